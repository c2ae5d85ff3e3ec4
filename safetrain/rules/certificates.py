"""Family C: certificates (安全生产法 第二十七、三十条; 特种作业规定; 培训管理办法).

Judged for active people (employed on as_of), on as_of, from the shared
certificate state (`certstatus.certificate_state`), so that `safetrain
expiring`, the matrix and the ledger say what `check` says. Findings are about
the person; they point at the certificate in the person's file, or at
`roles` when a certificate is missing.
"""

from __future__ import annotations

from typing import Iterator

from ..archive.reading.codes import CERTIFICATE_KIND, label
from ..archive.reading.models import Certificate, Person
from .certstatus import EXPIRED, EXPIRING, REVIEW_DUE, REVIEW_OVERDUE, CertState, due_alongside, last_review
from .context import Context, away_at_least, previous_change
from ..dates import add_months
from .registry import hit, rule


def _active(ctx: Context) -> Iterator[Person]:
    for pid in sorted(ctx.archive.people):
        p = ctx.archive.people[pid]
        if p.employed_on(ctx.as_of):
            yield p


def _states(ctx: Context, state: str | tuple[str, ...]) -> Iterator[CertState]:
    """The states of active people's certificates that are in `state` (one pass for C002–C004)."""
    wanted = (state,) if isinstance(state, str) else state
    for cs in ctx.memo("certificate states", lambda: _all_states(ctx)):
        if cs.state in wanted:
            yield cs


def _all_states(ctx: Context) -> list[CertState]:
    return [cs for p in _active(ctx) for cs in ctx.certificates(p)]


def _cert(c: Certificate, lang: str = "zh") -> str:
    """'T6401…（特种作业操作证 低压电工作业）'"""
    what = " ".join(x for x in (label(CERTIFICATE_KIND, c.kind, lang), c.category) if x)
    return f"{c.number}（{what}）" if lang == "zh" else f"{c.number} ({what})"


@rule("C001", "uncertified-special-operator", title="特种作业人员无证上岗")
def uncertified_special_operator(ctx: Context):
    """
    An active person with the role `special_operator` has no
    `special_operation` certificate at all (issued on or before as_of). An
    expired one is C002's. The finding points at `roles` in the person's file.

    Why:
    安全生产法 第三十条: "特种作业人员必须按照国家有关规定经专门的安全作业培训，
    取得相应资格，方可上岗作业" — special operators must receive specialised
    safety training as the state requires and obtain the corresponding
    qualification before they may work; 宁夏方案 二(三): "坚决杜绝无证上岗现象"
    — resolutely put an end to working without a certificate.

    Example:
    `roles = ["special_operator"]` and no `[[certificates]]` with
    `kind = "special_operation"`.

    Fix:
    Record the person's certificate (`[[certificates]]`, kind
    `special_operation`, its number and dates); if the person does no
    special operation, remove the role.
    """
    for p in _active(ctx):
        if "special_operator" in p.roles and not any(
                c.kind == "special_operation" and c.issued <= ctx.as_of for c in p.certificates):
            yield hit(p.id, p.file, f"特种作业人员 {p.name}（{p.id}）没有特种作业操作证",
                      f"special operator {p.name} ({p.id}) holds no special operation certificate", key=("roles",))


@rule("C002", "certificate-expired", title="证书已过期")
def certificate_expired(ctx: Context):
    """
    An active person's certificate is past `expires` (expires before as_of)
    and no certificate of the same kind and category replaces it. A
    certificate expiring on as_of is still valid (C004). Of several lapsed
    certificates of one category only the latest is reported. The finding
    names the number and points at the certificate.

    Why:
    安全生产法 第三十条 (special operators) and 第二十七条 (principals and safety
    managers of key industries) require a valid qualification while working;
    an expired certificate is "无证上岗" — working without a certificate.

    Example:
    `expires = 2024-05-31` checked as of 2024-06-30, with no newer certificate
    of the same category.

    Fix:
    Record the renewed certificate as a new `[[certificates]]` entry (keep the
    old one); if the person no longer needs it, say so in a waiver.
    """
    for cs in _states(ctx, EXPIRED):
        p, c = cs.person, cs.certificate
        # the rule's citation names the special-operation and manager law; an `other` certificate
        # (a 健康证) is cited by the figure of its own warning window instead
        yield hit(p.id, p.file, f"{p.name}（{p.id}）的证书 {_cert(c)}已于 {c.expires} 过期，且没有同类有效证书",
                  f"certificate {_cert(c, 'en')} of {p.name} ({p.id}) expired on {c.expires} and none of the "
                  f"same kind and category is valid",
                  key=("certificates", c.index), citation=cs.citation if c.kind == "other" else None)


@rule("C003", "review-overdue", title="特种作业操作证逾期未复审", figures=("special_operation_review_years",))
def review_overdue(ctx: Context):
    """
    A valid `special_operation` certificate's review fell due (`issued` + N
    years, then every N years, before it expires) before as_of, and `reviews`
    holds no date in the year before that due date or after it (up to
    as_of). N is the certificate's `review_every_years` when it gives one,
    else the figure (3). A review due on as_of is not yet late (C004). The
    finding names the number and the due date and points at the certificate;
    where the last review on file (up to as_of) came too early, it names it.

    Why:
    特种作业规定 第二十一条: "特种作业操作证每3年复审1次" — a special operation
    certificate is reviewed once every 3 years; where the holder has
    worked the trade 10 years or more without a violation, the issuing
    authority may extend the cycle to 6 years, and the certificate then
    records `review_every_years = 6`. A certificate not reviewed on time does
    not qualify its holder to work (安全生产法 第三十条).

    Example:
    Issued 2020-03-01, review due 2023-03-01, `reviews = [2022-02-01]` (13
    months before: too early) checked as of 2024-06-30.

    Fix:
    Record the review date in the certificate's `reviews`; if there was
    none, have the person reviewed before working again.
    """
    for cs in _states(ctx, REVIEW_OVERDUE):
        p, c = cs.person, cs.certificate
        last = last_review(c, ctx.as_of)
        zh, en = "", "no review"
        if last is not None:  # on file, but more than a year before the due date: it does not count
            zh = f"（最近一次复审 {last} 早于应复审日前一年，不算）"
            en = f"no review in the year before it (the last on file, {last}, was earlier)"
        yield hit(p.id, p.file, f"{p.name}（{p.id}）的证书 {_cert(c)}应于 {cs.due} 复审，逾期 {-cs.days_left} 天未复审{zh}",
                  f"certificate {_cert(c, 'en')} of {p.name} ({p.id}) was due for review on {cs.due}; "
                  f"{en}, {-cs.days_left} days late",
                  key=("certificates", c.index), citation=cs.citation)


@rule("C004", "certificate-expiring", "warning", title="证书即将到期或待复审",
      figures=("special_operation_warning_days", "certificate_warning_days", "special_operation_review_years"))
def certificate_expiring(ctx: Context):
    """
    An active person's certificate expires, or its review falls due, within
    the warning window: 60 days for special operation certificates, 30 for
    the others (counting as_of itself: a certificate expiring on as_of is
    reported here, not as C002). A certificate whose review is overdue (C003)
    is reported here too when its next review, or else its expiry, falls
    within the window.
    The certificates `safetrain expiring` lists for the same window. The
    finding points at the certificate.

    Why:
    特种作业规定 第二十二条: the review is applied for 60 days before it falls
    due; 培训管理办法 第二十五条: other certificates are renewed before they
    expire (30 days). A warning leaves time to arrange it.

    Example:
    A special operation certificate expiring on 2024-08-15, checked as of 2024-06-30.

    Fix:
    Arrange the review or renewal; record it when done.
    """
    for cs in _states(ctx, (EXPIRING, REVIEW_DUE, REVIEW_OVERDUE)):
        p, c = cs.person, cs.certificate
        due, days, citation = cs.due, cs.days_left, cs.citation
        state = cs.state
        if state == REVIEW_OVERDUE:  # C003's; its next review or its expiry within the window is still this rule's
            alongside = due_alongside(cs, ctx.ruleset, ctx.enterprise, ctx.as_of)
            if alongside is None:
                continue
            state, due, days, citation = alongside.state, alongside.due, alongside.days_left, alongside.citation
        if state == REVIEW_DUE:
            zh, en = f"应于 {due} 复审", f"is due for review on {due}"
        else:
            zh, en = f"将于 {due} 到期", f"expires on {due}"
        yield hit(p.id, p.file, f"{p.name}（{p.id}）的证书 {_cert(c)}{zh}（还有 {days} 天）",
                  f"certificate {_cert(c, 'en')} of {p.name} ({p.id}) {en} (in {days} days)",
                  key=("certificates", c.index), citation=citation)


@rule("C005", "manager-unassessed", title="主要负责人、安全管理人员未考核合格",
      figures=("manager_assessment_grace_months",))
def manager_unassessed(ctx: Context):
    """
    In `key` industries, an active `principal` or `safety_manager` past
    `on_post` + the grace figure (calendar months: 6 in `high_risk`
    industries, 0 in the rest of `key`) holds no valid `manager` certificate
    (expired and superseded ones do not count). The finding points at `roles`.

    Why:
    安全生产法 第二十七条: principals and safety managers of mines, metal
    smelting, construction, road transport and dangerous goods "应当由主管的
    负有安全生产监督管理职责的部门对其安全生产知识和管理能力考核合格" — must
    be assessed and found competent in safety knowledge and management
    ability by the authority in charge of their safety supervision;
    培训规定 第二十四条 gives the five high-risk industries 6 months from
    taking the post. Construction, road transport and dangerous goods have no
    such grace: the assessment comes before the post.

    Example:
    A construction company's safety manager on post since 2023-09-01 with no
    `kind = "manager"` certificate, checked as of 2024-06-30.

    Fix:
    Record the certificate (`[[certificates]]`, kind `manager`); if it
    lapsed, have the person assessed again.
    """
    if not ctx.in_group("key"):
        return
    fig = ctx.figure("manager_assessment_grace_months")
    grace = int(fig.value)
    for p in _active(ctx):
        if not p.is_manager or add_months(p.on_post, grace) >= ctx.as_of:
            continue
        states = ctx.certificates(p)
        if not any(cs.certificate.kind == "manager" and cs.is_valid for cs in states):
            late_zh = f"逾 {grace} 个月" if grace else "上岗前应考核合格，至今"
            late_en = (f"more than {grace} months, without a valid manager certificate" if grace else
                       "without a valid manager certificate (the assessment comes before the post)")
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）{p.on_post} 任主要负责人/安全管理人员，{late_zh}仍无有效的考核合格证",
                      f"{p.name} ({p.id}) has been a principal or safety manager since {p.on_post}, {late_en}",
                      key=("roles",), citation=fig.citation)


@rule("C006", "special-operator-return-untested", title="特种作业人员离岗后复岗未重新进行实际操作考试",
      title_en="Special operator not retested on return", figures=("special_operator_retest_months",))
def special_operator_return_untested(ctx: Context):
    """
    An active `special_operator` has a `return` in `changes`, dated in the
    window and on or before as_of, after at least the figure's months away
    (6: `away_since` + 6 calendar months on or before the return's `date`;
    a return without `away_since` counts as a year or more away), and passed
    no `special_operation` session with `assessment = "practical"` that ended
    between `away_since` and the return's `date` (both days included; without
    `away_since`: after the previous change or the hire). The period is the
    return's date; the finding points at the change.

    Why:
    特种作业规定: "离开特种作业岗位6个月以上的特种作业人员，应当重新进行实际
    操作考试，经确认合格后方可上岗作业" — a special operator who has left the
    special operation post for 6 months or more must take the practical
    operation exam again and may work only once confirmed as passed. A
    certificate alone does not show the skill survived the time away.

    Example:
    An electrician away from 2023-08-01 who returns on 2024-03-01 (7 months)
    with no practical special operation assessment in between.

    Fix:
    Record the practical exam the person passed (a `special_operation`
    session, `assessment = "practical"`, with the person among `attendees`)
    before the return; record `away_since` if the time away was shorter.
    """
    fig = ctx.figure("special_operator_retest_months")
    months = int(fig.value)
    for p in _active(ctx):
        if "special_operator" not in p.roles or not any(ch.kind == "return" for ch in p.changes):
            continue
        exams = [s.end.date() for s, a in ctx.sessions_of(p.id)
                 if s.type == "special_operation" and s.assessment == "practical" and s.passed(a)]
        for ch in sorted(p.changes, key=lambda c: (c.date, c.index)):
            if ch.kind != "return" or not (ctx.in_window(ch.date) and ch.date <= ctx.as_of):
                continue
            if not away_at_least(ch, months):
                continue  # away less than the figure
            if ch.away_since is not None:
                ok = any(ch.away_since <= end <= ch.date for end in exams)
                since_zh, since_en = f"离岗（{ch.away_since} 起）", f"away since {ch.away_since}"
            else:
                since = previous_change(p, ch)
                ok = any(since < end <= ch.date for end in exams)
                since_zh, since_en = f"离岗一年以上（未记 away_since；{since} 之后）", \
                    f"away a year or more (no away_since; after {since})"
            if not ok:
                yield hit(p.id, p.file,
                          f"特种作业人员 {p.name}（{p.id}）{since_zh}，{ch.date} 复岗前没有考核合格的特种作业实际操作考试",
                          f"special operator {p.name} ({p.id}), {since_en}, returned on {ch.date} without a passed "
                          "practical special operation exam",
                          key=("changes", ch.index), period=ch.date.isoformat(), citation=fig.citation)
