"""Where a certificate stands on a day: the one definition shared by the
certificate rules (C002–C004), `safetrain expiring`, the matrix and the
ledger, so every view says what `check` says.

特种作业规定 第二十一条: a special operation certificate is reviewed every 3
years (figure `special_operation_review_years`), or every 6 where the issuing
authority extended the cycle (the certificate's `review_every_years`); a
review passed in the year before the due date, or after it, satisfies it. Warning windows: 60 days for
special operation certificates (第二十二条), 30 for the others (培训管理办法).

On the due day itself a certificate is still in force and a review not yet
late: a certificate expiring on as_of is `expiring`, a review due on as_of is
`review_due`. A certificate is `superseded` when another of its kind and
category was issued after it, by as_of (the newer one replaced it; issued the
same day, the one that runs longer) (C002: "with no valid one of the same
kind and category"; of several lapsed ones only the latest is named); one
still in force only when both name that category (an early renewal), so that
certificates without a category do not hide each other's C003 and C004.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Iterator

from ..dates import LATEST, NO_EXPIRY, add_years
from ..archive.reading.models import Certificate, Enterprise, Person
from .ruleset import RuleSet

VALID, EXPIRING, EXPIRED, REVIEW_DUE, REVIEW_OVERDUE, SUPERSEDED = (
    "valid", "expiring", "expired", "review_due", "review_overdue", "superseded")
#: each state as every view prints it (documents, ledger, terminal, HTML), Chinese and English
STATE_LABELS: dict[str, tuple[str, str]] = {
    VALID: ("有效", "valid"), EXPIRING: ("即将到期", "expiring"), EXPIRED: ("已过期", "expired"),
    REVIEW_DUE: ("待复审", "review due"), REVIEW_OVERDUE: ("复审逾期", "review overdue"),
    SUPERSEDED: ("已换证", "superseded"),
}


@dataclass(frozen=True, slots=True)
class CertState:
    person: Person
    certificate: Certificate
    state: str  # one of the constants above
    due: date  # the date that matters: the expiry, or the review due date
    due_kind: str  # "expiry" or "review"
    days_left: int  # due - as_of; negative when past
    window: int  # the warning window in days
    citation: str  # the citation of the figure that decided the state

    @property
    def is_valid(self) -> bool:
        return self.state not in (EXPIRED, SUPERSEDED)

    @property
    def days_shown(self) -> int | None:
        """days_left as outputs print it: None for a certificate that never expires
        (dates.NO_EXPIRY: 长期有效), which has no count of days to its due date."""
        return None if self.due == NO_EXPIRY else self.days_left


def review_due_dates(cert: Certificate, years: int, until: date) -> Iterator[date]:
    """issued + N, + 2N, ... years, while the certificate is in force, up to `until`:
    as many steps as the window holds, whatever the expiry (9999-12-31: no expiry)."""
    n = 1
    last = min(cert.expires, until)
    while years > 0:
        if cert.issued.year + years * n > last.year:  # past the last day (and never past the calendar's end)
            return
        due = add_years(cert.issued, years * n)
        if due > last:
            return
        yield due
        n += 1


def review_interval(cert: Certificate, figure: int) -> int:
    """Years between reviews: the certificate's own `review_every_years` (the authority
    extended the cycle), else the rule set's figure."""
    return cert.review_every_years or figure


def review_satisfied(cert: Certificate, due: date, as_of: date) -> bool:
    """A review on or before as_of, no earlier than a year before `due`."""
    since = add_years(due, -1)
    return any(since <= r <= as_of for r in cert.reviews)


def last_review(cert: Certificate, as_of: date) -> date | None:
    """The latest review on or before as_of (what an overdue review's message says was too early)."""
    return max((r for r in cert.reviews if r <= as_of), default=None)


def _superseded(person: Person, cert: Certificate, as_of: date) -> bool:
    """Another certificate of the same kind and category was issued after this one, by as_of
    (the same day: it runs longer): it replaced this one, whether it is still in force (this
    one then does not matter) or lapsed too (then it is the one to renew). By the day of
    issue, not of expiry: a certificate issued in 2024 replaces one of 2018 even where the
    old one says 长期有效 (9999-12-31), as `cert list` says "superseded by a newer one". For a lapsed certificate these are
    C002's words ("no valid one of the same kind and category"); one still in force is
    replaced early only by a renewal that shows itself as one, the same `category`
    named on both (what `cert renew` writes): a forklift licence expiring next week is
    not made safe by a first-aid certificate, both `other` with no category."""
    if cert.expires >= as_of and not cert.category:
        return False
    return any(
        other is not cert and other.kind == cert.kind and other.category == cert.category
        and other.issued <= as_of and (other.issued, other.expires) > (cert.issued, cert.expires)
        for other in person.certificates
    )


def certificate_state(person: Person, cert: Certificate, ruleset: RuleSet, enterprise: Enterprise | None,
                      as_of: date, *, window: int | None = None) -> CertState:
    """The certificate's state on as_of. `window` replaces the kind's warning
    window: C004 uses the kind's own; `safetrain expiring --within` looks further."""
    ahead = _ahead(person, cert, ruleset, enterprise, as_of, window)
    if _superseded(person, cert, as_of):
        return replace(ahead, state=SUPERSEDED, due=cert.expires, due_kind="expiry",
                       days_left=(cert.expires - as_of).days)
    if cert.expires < as_of:
        return replace(ahead, state=EXPIRED, due=cert.expires, due_kind="expiry", days_left=(cert.expires - as_of).days)
    if cert.kind == "special_operation":
        review = ruleset.figure("special_operation_review_years", enterprise)
        past = [d for d in review_due_dates(cert, review_interval(cert, int(review.value)), as_of)
                if d < as_of and d < cert.expires]
        if past and not review_satisfied(cert, past[-1], as_of):
            return replace(ahead, state=REVIEW_OVERDUE, due=past[-1], due_kind="review",
                           days_left=(past[-1] - as_of).days, citation=review.citation)
    return ahead


def _ahead(person: Person, cert: Certificate, ruleset: RuleSet, enterprise: Enterprise | None, as_of: date,
           window: int | None) -> CertState:
    """What C004 warns of within the warning window (`window` replacing the kind's), whatever lies
    behind as_of: the first review ahead not taken yet (a review up to a year before its due date
    counts for it: the one after is what falls due next), else the expiry; else valid."""
    special = cert.kind == "special_operation"
    window_fig = ruleset.figure("special_operation_warning_days" if special else "certificate_warning_days", enterprise)
    window = int(window_fig.value) if window is None else window

    def state(kind: str, due: date, due_kind: str) -> CertState:
        return CertState(person, cert, kind, due, due_kind, (due - as_of).days, window, window_fig.citation)

    if special:
        years = int(ruleset.value("special_operation_review_years", enterprise))
        horizon = as_of.fromordinal(as_of.toordinal() + window)
        for due in review_due_dates(cert, review_interval(cert, years), horizon):
            if as_of <= due < cert.expires and not review_satisfied(cert, due, as_of):
                return state(REVIEW_DUE, due, "review")
    if (cert.expires - as_of).days <= window:
        return state(EXPIRING, cert.expires, "expiry")
    return state(VALID, cert.expires, "expiry")


def due_alongside(cs: CertState, ruleset: RuleSet, enterprise: Enterprise | None, as_of: date,
                  *, window: int | None = None) -> CertState | None:
    """A special operation certificate whose review is overdue (C003) may also have what C004
    warns of within its warning window (`window` replaces it, as in certificate_state): the
    next review falling due that is not taken yet, else its own expiry. That, as a state of its
    own (C004 reports it alongside C003); None when nothing falls due within the window."""
    if cs.state != REVIEW_OVERDUE:
        return None
    ahead = _ahead(cs.person, cs.certificate, ruleset, enterprise, as_of, window)
    return replace(ahead, window=cs.window) if ahead.state in (REVIEW_DUE, EXPIRING) else None


def next_due(cs: CertState, ruleset: RuleSet, enterprise: Enterprise | None, as_of: date) -> CertState:
    """What falls due next for a valid certificate, however far ahead: its next review when one
    comes before the expiry (a special operation certificate: issued + N years, ...), else the
    expiry; the state itself is the certificate's (`cs` for any other state). What the ledger and
    the exports print as the due date, as `expiring --within` looks ahead."""
    if cs.state != VALID:
        return cs
    ahead = certificate_state(cs.person, cs.certificate, ruleset, enterprise, as_of,
                              window=max((min(cs.certificate.expires, LATEST) - as_of).days, 0))
    if ahead.due_kind == "review" and ahead.due < cs.due:
        return replace(cs, due=ahead.due, due_kind="review", days_left=ahead.days_left)
    return cs


def person_certificates(person: Person, ruleset: RuleSet, enterprise: Enterprise | None,
                        as_of: date) -> list[CertState]:
    """The state of each of the person's certificates issued on or before as_of."""
    return [certificate_state(person, c, ruleset, enterprise, as_of) for c in person.certificates if c.issued <= as_of]
