"""What rules share: the archive, the rule set, as_of, and derived facts
(the window, who attended what), each computed once per check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cached_property

from ..archive.reading.integrity import Issue, Surroundings, issues
from ..archive.reading.models import Archive, Attendance, Change, Enterprise, Person, Session
from ..archive.reading.spec import FOLDERS
from ..findings import ENTERPRISE
from ..dates import add_months
from ..numbers import HOURS_PLACES
from .ruleset import Figure, RuleSet




def credits_by(session: Session, as_of: date) -> bool:
    """A session credits its 学时 once it has ended, on or before as_of ("nothing dated after
    it counts"): the rules' attendance and the export's `credited_hours` ask this."""
    return session.end.date() <= as_of


def held_by(sessions: Iterable[Session], as_of: date) -> list[Session]:
    """The sessions held by as_of, by start and id: those that ended on or before it (credits_by).
    What the register, the ledger's 培训台账 and the summary's count list: a session still running
    on as_of is not held yet, as the person's file and status do not credit it."""
    return sorted((s for s in sessions if credits_by(s, as_of)), key=lambda s: (s.start, s.id))

class Context:
    def __init__(self, archive: Archive, ruleset: RuleSet, as_of: date):
        self.archive = archive
        self.ruleset = ruleset
        self.as_of = as_of
        self._memo: dict[str, object] = {}
        self._keep: set[str] = set()  # the memos views ask again (memo(..., keep=True)): kept with the result
        self._figures: dict[str, Figure] = {}
        self._yearly: dict[tuple, dict[int, float]] = {}  # (person, types, exclude) -> credited 学时 by year
        self._certificates: dict[str, list] = {}  # person id -> certstatus.CertState of their certificates
        self._next_due: dict[int, tuple] = {}  # id(state) -> (state, what falls due next)

    def kept(self) -> "Context":
        """A Context for what is made from the check's result (documents, the ledger, the views),
        holding what they ask again (who attended what, the window, the figures, yearly hours,
        the certificates' states, each year's hours against the figure, the campaign's people)
        but not what only the rules needed (integrity issues, the other families' memos)."""
        out = Context(self.archive, self.ruleset, self.as_of)
        for name in ("attendance", "window_start"):
            if name in self.__dict__:
                out.__dict__[name] = self.__dict__[name]
        out._figures, out._yearly, out._certificates = self._figures, self._yearly, self._certificates
        out._next_due = self._next_due
        out._memo = {key: value for key, value in self._memo.items() if key in self._keep}
        out._keep = set(self._keep)
        return out

    def memo(self, key: str, compute, keep: bool = False):
        """`compute()`, once per check: a fact several rules of a family share (the campaign's people).
        `keep`: the views ask it again (status and the site: yearly hours, the campaign's coverage),
        so it is kept with the result (`kept`)."""
        if keep:
            self._keep.add(key)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def certificates(self, person: Person) -> list:
        """The state on as_of of each of the person's certificates issued by then
        (certstatus.person_certificates), worked out once per person: the C rules, status,
        the matrix, expiring, the documents and the report all ask. Not to be changed."""
        if not person.certificates:  # most people: nothing to work out or keep
            return []
        got = self._certificates.get(person.id)
        if got is None:
            from .certstatus import person_certificates

            got = self._certificates[person.id] = person_certificates(person, self.ruleset, self.enterprise, self.as_of)
        return got

    def next_due(self, state):
        """What a certificate state shows as falling due next (certstatus.next_due): for a valid
        one, its next review when that comes before the expiry. Every view that prints a due date."""
        got = self._next_due.get(id(state))  # the person file, the matrix and the ledger ask of the same state
        if got is not None and got[0] is state:
            return got[1]
        from .certstatus import next_due

        due = next_due(state, self.ruleset, self.enterprise, self.as_of)
        self._next_due[id(state)] = (state, due)  # the state kept with it: its id is not another's
        return due

    def reviews_by_then(self, certificate) -> list:
        """The certificate's reviews on or before as_of, oldest first (a later one had not happened)."""
        return sorted(r for r in certificate.reviews if r <= self.as_of)

    @property
    def enterprise(self) -> Enterprise | None:
        return self.archive.config.enterprise if self.archive.config else None

    # -- figures ------------------------------------------------------------
    def figure(self, name: str) -> Figure:
        """The figure in force for this archive's enterprise (looked up once per check)."""
        got = self._figures.get(name)
        if got is None:
            got = self._figures[name] = self.ruleset.figure(name, self.enterprise)
        return got

    def value(self, name: str):
        return self.figure(name).value

    def in_group(self, group: str) -> bool:
        return self.ruleset.in_group(group, self.enterprise)

    # -- the window ---------------------------------------------------------
    @cached_property
    def window_start(self) -> date:
        """RULES.md: `records_since`, else the first day of the month of the
        earliest dated record (a hire, a session, a drill, a mentorship, an
        introduction's `date`, a plan's `approved`)."""
        e = self.enterprise
        if e is not None and e.records_since is not None:
            return e.records_since
        a = self.archive
        dates = [p.hired for p in a.people.values()]
        dates += [s.start.date() for s in a.sessions.values()]
        dates += [d.date for d in a.drills.values()]
        dates += [m.start for m in a.mentorships.values()]
        dates += [i.date for i in a.introductions.values()]
        dates += [p.approved for p in a.plans.values()]
        if not dates:
            return self.as_of
        return min(dates).replace(day=1)

    def in_window(self, day: date) -> bool:
        return self.window_start <= day

    # -- integrity ----------------------------------------------------------
    @cached_property
    def integrity(self) -> list[tuple[str, str, Issue]]:
        """(subject, file, issue) of every record's integrity issue (A003-A009)."""
        a = self.archive
        holders: dict[str, list[str]] = defaultdict(list)
        for p in a.people.values():
            if p.id_number:
                holders[p.id_number].append(p.id)
        status = a.files.status if a.files is not None else (lambda path, sha=None: "ok")
        known = frozenset(a.people).union(a.excluded.get("person", ())).__contains__  # a.known_person, at set speed
        if "person" in a.unread:  # people/ could not be read: no reference is said to have no file (RULES.md A001)
            known = a.known_person
        around = Surroundings(known, lambda number: holders.get(number, ()), status, self.as_of)
        out = []
        if a.config is not None:
            out += [(ENTERPRISE, a.config.file, i) for i in issues("config", a.config, around)]
        for kind in FOLDERS:
            for record in a.records(kind).values():
                out += [(record.id, record.file, i) for i in issues(kind, record, around)]
        return out

    # -- attendance ---------------------------------------------------------
    @cached_property
    def attendance(self) -> dict[str, list[tuple[Session, Attendance]]]:
        """person id -> (session, attendance) of every session that ended by
        as_of ("nothing dated after it counts"), sorted by start. A second file of a
        session id (A004) is judged as a record but credits nothing: a copy left in
        sessions/ must not count its hours twice and hide a shortfall; a person listed
        twice in one session (A004) counts once (Session.counted_attendees)."""
        out: dict[str, list[tuple[Session, Attendance]]] = defaultdict(list)
        for s in sorted(self.archive.named("session").values(), key=lambda s: (s.start, s.id)):
            if not credits_by(s, self.as_of):
                continue
            for a in s.counted_attendees():
                out[a.person].append((s, a))
        return out

    def sessions_of(self, pid: str) -> list[tuple[Session, Attendance]]:
        return self.attendance.get(pid, [])

    def credited(self, pid: str, *, start: date | None = None, end: date | None = None,
                 types: frozenset[str] | set[str] | None = None,
                 exclude: frozenset[str] | set[str] = frozenset()) -> float:
        """学时 credited to `pid` by sessions that ended between `start` and `end`
        (inclusive, by the end's date), optionally only of `types` / not of `exclude`;
        rounded to HOURS_PLACES."""
        total = 0.0
        for s, a in self.sessions_of(pid):
            day = s.end.date()
            if (start and day < start) or (end and day > end):
                continue
            if (types is not None and s.type not in types) or s.type in exclude:
                continue
            total += s.credited_hours(a)
        return round(total, HOURS_PLACES)

    def credited_in_year(self, pid: str, year: int, *, types: frozenset[str] | None = None,
                         exclude: frozenset[str] = frozenset()) -> float:
        """`credited` from 1 January to 31 December of `year`, the same sum: a person's
        sessions are gone through once for all their years (the Y rules, the ledger's
        hours and its coverage ask year after year of the same people)."""
        key = (pid, types, exclude)
        years = self._yearly.get(key)
        if years is None:
            years = self._yearly[key] = {}
            for s, a in self.sessions_of(pid):  # in credited's order: the same additions, the same sum
                if (types is not None and s.type not in types) or s.type in exclude:
                    continue
                day = s.end.year
                years[day] = years.get(day, 0.0) + s.credited_hours(a)
        return round(years.get(year, 0.0), HOURS_PLACES)

    @cached_property
    def newcomers(self) -> list[Person]:
        """People without a manager role whose `on_post` is in the window and on
        or before as_of, in id order: whom P001–P004 and M001 judge."""
        people = self.archive.people
        return [people[pid] for pid in sorted(people)
                if not people[pid].is_manager and self.in_window(people[pid].on_post)
                and people[pid].on_post <= self.as_of]


def on_post_key(person: Person) -> tuple:
    """The key of the line that says when `person` started on the post:
    `on_post`, or `hired` when the file gives no other on_post."""
    return ("on_post",) if person.on_post != person.hired else ("hired",)


def previous_change(person: Person, change: Change) -> date:
    """The date of the person's previous change on an earlier day, else `hired`:
    training for `change` counts when it ends after this day (P005, C006)."""
    return max((c.date for c in person.changes if c.date < change.date), default=person.hired)


def away_at_least(change: Change, months: int) -> bool:
    """A return after at least `months` calendar months away from the post: `away_since` +
    the months on or before its date; a return without `away_since` counts as away a year
    or more, which is enough (P005's re-training, C006's practical exam)."""
    return change.away_since is None or add_months(change.away_since, months) <= change.date
