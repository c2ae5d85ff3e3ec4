"""Family M: mentor and apprentice ("师带徒"; 培训规定 第十九条; 煤矿培训规定;
宁夏方案 二(八)).

A mentorship runs from `start` to `signed_off`, else `end`, else as_of, both
days included. Mentorships that start after as_of are not judged yet
("nothing dated after it counts").

`mentor_problems` is the one definition of who may mentor on a day: M002
reports what it finds, and `safetrain pair` offers only people it finds
nothing against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from ..archive.reading.codes import SKILL_LEVEL, SKILL_RANK, label
from ..archive.reading.models import Enterprise, Mentorship, Person
from ..dates import add_months, whole_months, years_as_months
from .context import Context
from .registry import hit, rule
from .ruleset import Figure, RuleSet

MENTOR_FIGURES = ("mentor_min_skill_level", "mentor_min_years_on_post", "mentor_clean_record_years")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a person may not mentor on a day.

    code: not_employed, is_apprentice, skill_level, years_on_post, violation
    or unknown; figure: the rule set figure that decided, if one did; facts:
    what the texts name (dates, levels, months). The texts are made only when
    asked for: pairing checks many candidates and shows few reasons.
    """

    code: str
    figure: str | None = None
    facts: tuple = ()

    def message(self, lang: str = "zh") -> str:
        return _TEXTS[self.code](lang == "en", *self.facts)

    @property
    def zh(self) -> str:
        return self.message("zh")

    @property
    def en(self) -> str:
        return self.message("en")


def duration_text(months: int, lang: str = "zh") -> str:
    """12 -> "1年" / "1 year"; 35 -> "2年11个月" / "2 years 11 months"."""
    years, rest = divmod(months, 12)
    if lang == "en":
        parts = [f"{years} year{'s' if years != 1 else ''}"] if years or not rest else []
        parts += [f"{rest} month{'s' if rest != 1 else ''}"] if rest else []
        return " ".join(parts)
    return (f"{years}年" if years or not rest else "") + (f"{rest}个月" if rest else "")


def mentor_problems(mentor: Person | None, apprentice_id: str, start: date, ruleset: RuleSet,
                    enterprise: Enterprise | None) -> list[Reason]:
    """Every reason `mentor` may not take `apprentice_id` on `start` (empty: eligible).

    The M002 figures (煤矿培训规定): employed on the start day, not the
    apprentice, a skill level at least `mentor_min_skill_level`, at least
    `mentor_min_years_on_post` on the post by the start day (`post_since`; a
    missing one counts as none; years are counted in calendar months), and no
    violation in the `mentor_clean_record_years` ending on the start day
    (after start − N years, up to and including the start day).
    """
    if mentor is None:
        return [Reason("unknown", None, (apprentice_id,))]
    out: list[Reason] = []
    if not mentor.employed_on(start):
        out.append(Reason("not_employed", None, (start, mentor.hired, mentor.left)))
    if mentor.id == apprentice_id:
        out.append(Reason("is_apprentice"))
    least = ruleset.value("mentor_min_skill_level", enterprise)
    if mentor.skill_level is None or SKILL_RANK[mentor.skill_level] < SKILL_RANK[least]:
        out.append(Reason("skill_level", "mentor_min_skill_level", (mentor.skill_level, least)))
    months = years_as_months(ruleset.value("mentor_min_years_on_post", enterprise))
    if months > 0 and (mentor.post_since is None or add_months(mentor.post_since, months) > start):
        out.append(Reason("years_on_post", "mentor_min_years_on_post", (mentor.post_since, start, months)))
    if mentor.violations:
        clean = years_as_months(ruleset.value("mentor_clean_record_years", enterprise))
        since = add_months(start, -clean)
        bad = tuple(sorted((v.date, v.note) for v in mentor.violations if since < v.date <= start))
        if bad:
            out.append(Reason("violation", "mentor_clean_record_years", (bad, clean)))
    return out


def mentor_turning_points(mentor: Person, ruleset: RuleSet, enterprise: Enterprise | None) -> list[date]:
    """The days on which what `mentor_problems` says of `mentor` may change, sorted:
    from one of them up to the day before the next (and before the first) it says
    the same of every day, whoever the apprentice. Each figure's own test above
    gives its days: hired and the day after left; post_since plus the years;
    each violation's date and the first day it is out of the clean-record years."""
    days = {mentor.hired}
    if mentor.left is not None:
        days.add(mentor.left + timedelta(days=1))
    months = years_as_months(ruleset.value("mentor_min_years_on_post", enterprise))
    if months > 0 and mentor.post_since is not None:
        days.add(add_months(mentor.post_since, months))
    if mentor.violations:
        clean = years_as_months(ruleset.value("mentor_clean_record_years", enterprise))
        for v in mentor.violations:
            days.add(v.date)
            day = add_months(v.date, clean) - timedelta(days=7)  # month ends clamp: start a few days early
            while not add_months(day, -clean) >= v.date:
                day += timedelta(days=1)
            days.add(day)
    return sorted(days)


def _unknown(en: bool, apprentice_id: str) -> str:
    return f"the mentor of {apprentice_id} has no person file" if en else f"{apprentice_id} 的师傅没有人员档案"


def _not_employed(en: bool, start: date, hired: date, left: date | None) -> str:
    if start < hired:
        return f"not yet hired on the start date {start} (hired {hired})" if en else f"开始日 {start} 时尚未入职（{hired} 入职）"
    return f"had left before the start date {start} (left {left})" if en else f"开始日 {start} 前已离职（{left} 离职）"


def _is_apprentice(en: bool) -> str:
    return "the mentor is the apprentice" if en else "师傅就是徒弟本人"


def _skill(en: bool, level: str | None, least: str) -> str:
    lang = "en" if en else "zh"
    need = label(SKILL_LEVEL, least, lang)
    if level is None:
        return f"no skill level recorded ({need} or above required)" if en else f"未登记技能等级（须不低于{need}）"
    have = label(SKILL_LEVEL, level, lang)
    return f"skill level {have} is below {need}" if en else f"技能等级{have}低于{need}"


def _years(en: bool, post_since: date | None, start: date, months: int) -> str:
    need = duration_text(months, "en" if en else "zh")
    if post_since is None:
        return (f"no post_since recorded, so no years on the post ({need} required)" if en
                else f"未登记本岗位起始日期（post_since），按无本岗位工龄计，须满{need}")
    have = duration_text(whole_months(post_since, start), "en" if en else "zh")
    return (f"{have} on the post (since {post_since}), less than {need}" if en
            else f"本岗位工龄{have}（自 {post_since}），不满{need}")


def _violations(en: bool, bad: tuple, clean_months: int) -> str:
    span = duration_text(clean_months, "en" if en else "zh")
    if en:
        return f"violations in the {span} before the start: " + ", ".join(
            f"{d}" + (f" ({note})" if note else "") for d, note in bad)
    return f"开始日前{span}内有违章记录：" + "、".join(f"{d}" + (f"（{note}）" if note else "") for d, note in bad)


_TEXTS = {"unknown": _unknown, "not_employed": _not_employed, "is_apprentice": _is_apprentice,
          "skill_level": _skill, "years_on_post": _years, "violation": _violations}


def citation_of(reasons: list[Reason], ruleset: RuleSet, enterprise: Enterprise | None) -> str | None:
    """The citations of the figures that decided, in order, each once (None when no figure did)."""
    cites: list[str] = []
    for r in reasons:
        if r.figure:
            c = ruleset.figure(r.figure, enterprise).citation
            if c and c not in cites:
                cites.append(c)
    return "; ".join(cites) or None


def apprenticeship_minimum(ruleset: RuleSet, enterprise: Enterprise | None, apprentice: Person | None) -> Figure:
    """M004's minimum for this apprentice, in calendar months: the underground figure
    (4 in a coal mine) for a person marked `underground = true`, else 2. The one
    definition M004, `safetrain pair` (the planned end) and the agreement use."""
    underground = apprentice is not None and apprentice.underground
    return ruleset.figure("apprenticeship_min_months_underground" if underground else "apprenticeship_min_months",
                          enterprise)


# -- the running period ------------------------------------------------------
def earliest_sign_off(ctx: Context, m: Mentorship) -> tuple[Figure, date]:
    """(M004's figure for this apprentice, the first day the apprentice may be signed off:
    `start` + its calendar months)."""
    fig = apprenticeship_minimum(ctx.ruleset, ctx.enterprise, ctx.archive.people.get(m.apprentice))
    return fig, add_months(m.start, int(fig.value))


def unqualified(ctx: Context, m: Mentorship) -> bool:
    """M002 would find the mentorship's mentor not qualified on its start (an unknown mentor is A003's)."""
    mentor = ctx.archive.people.get(m.mentor)
    return mentor is not None and bool(mentor_problems(mentor, m.apprentice, m.start, ctx.ruleset, ctx.enterprise))


def judged(ctx: Context) -> list[Mentorship]:
    """Mentorships that started by as_of, in id order."""
    return [m for _, m in sorted(ctx.archive.mentorships.items()) if m.start <= ctx.as_of]


def apprentices_without_mentor(ctx: Context) -> Iterator[Person]:
    """M001's people: no manager role, `on_post` in the window and by as_of,
    and no mentorship file that started by as_of ("nothing dated after it counts";
    a broken file counts as a file: A002 reports it)."""
    a = ctx.archive
    broken = a.excluded.get("mentorship", frozenset())
    for p in ctx.newcomers:
        m = a.mentorships.get(p.id)
        if (m is None or m.start > ctx.as_of) and p.id not in broken:
            yield p


@rule("M001", "apprentice-without-mentor", title="新上岗人员没有师带徒记录", figures=())
def apprentice_without_mentor(ctx: Context):
    """
    In `mentorship` industries (coal and non-coal mines, hazardous chemicals,
    fireworks, metal smelting), a person without a manager role whose
    `on_post` is in the window (and not after as_of) has no mentorship file
    `mentorships/<pid>.toml`.

    Why:
    培训规定 第十九条: in mines, hazardous chemicals, fireworks and metal
    smelting a new worker works under a mentor (师傅带徒弟制度) before working
    alone; 宁夏方案 二(八) asks for the 师带徒 system to be carried through.

    Example:
    people/E0107.toml with `hired = 2023-08-01` in a coal mine and no
    mentorships/E0107.toml.

    Fix:
    Record the apprenticeship in mentorships/E0107.toml (`safetrain pair
    --write` proposes an eligible mentor and writes it).
    """
    if not ctx.in_group("mentorship"):
        return
    for p in apprentices_without_mentor(ctx):
        key = ("on_post",) if p.on_post != p.hired else ("hired",)
        later = ctx.archive.mentorships.get(p.id)
        if later is not None:  # dated after as_of: it does not count yet
            yield hit(p.id, p.file, f"{p.name}（{p.id}）{p.on_post} 上岗，师带徒记录（{later.file}）到 {later.start} 才开始",
                      f"{p.name} ({p.id}) on the post since {p.on_post}; the mentorship ({later.file}) starts only "
                      f"on {later.start}", key=key)
            continue
        yield hit(p.id, p.file, f"{p.name}（{p.id}）{p.on_post} 上岗，没有师带徒记录（mentorships/{p.id}.toml）",
                  f"{p.name} ({p.id}) on the post since {p.on_post} without a mentorship (mentorships/{p.id}.toml)",
                  key=key)


@rule("M002", "mentor-unqualified", title="师傅不具备带徒条件", figures=MENTOR_FIGURES)
def mentor_unqualified(ctx: Context):
    """
    At the mentorship's start the mentor is not employed, is the apprentice,
    is below the skill level figure, has fewer years on the post than the
    figure (`post_since`, counted to the start day; a missing one counts as
    none), or has a violation in the clean-record years before the start
    (after start − N years, up to and including the start day). One finding
    per mentorship, naming every reason.

    Why:
    煤矿培训规定: a mentor must hold at least an intermediate skill level
    (中级工), have at least three years on the post and no violation
    (没有违章) in the last three years. A mentor who is not qualified teaches
    the habits the apprenticeship should prevent.

    Example:
    mentorships/E0107.toml with `mentor = "E0100"` and `start = 2023-08-01`,
    where E0100 has `post_since = 2021-03-01` and a violation on 2022-11-02.

    Fix:
    Choose a qualified mentor (`safetrain pair` lists the eligible ones), or
    correct the mentor's `skill_level`, `post_since` or `hired` if they were
    recorded wrongly.
    """
    for m in judged(ctx):
        mentor = ctx.archive.people.get(m.mentor)
        if mentor is None:
            continue  # A003 reports an unknown mentor; an excluded one is not judged
        reasons = mentor_problems(mentor, m.apprentice, m.start, ctx.ruleset, ctx.enterprise)
        if reasons:
            yield hit(m.id, m.file,
                      f"师傅 {m.mentor} 在开始日 {m.start} 不具备带徒条件：" + "；".join(r.zh for r in reasons),
                      f"mentor {m.mentor} is not qualified on the start date {m.start}: " + "; ".join(r.en for r in reasons),
                      key=("mentor",), citation=citation_of(reasons, ctx.ruleset, ctx.enterprise))


@rule("M003", "mentor-overloaded", title="师傅同时带徒过多", figures=("mentor_max_apprentices",),
      person_elsewhere=True)
def mentor_overloaded(ctx: Context):
    """
    A mentor has more mentorships running at once than
    `mentor_max_apprentices`: on some day up to as_of, more of the mentor's
    mentorships run (each from `start` to `signed_off`, else `end`, else
    as_of, both days included) than the figure allows. Reported once per
    mentor (subject the mentor, no period), at the first day the largest
    number runs: the message gives the days all those mentorships run
    together and their apprentices. The finding points at the mentorship
    among them that started last (the one that went over).

    Why:
    A mentor can watch only so many apprentices on the job; the figure
    (2 by practice, configurable) keeps 师带徒 real rather than a signature.

    Example:
    E0100 mentors E0107 from 2023-07-20, E0108 from 2023-08-01 and E0109
    from 2023-08-15, none signed off by 2023-09-30.

    Fix:
    Move an apprentice to another mentor, or record `signed_off` for those
    already signed off.
    """
    most = ctx.value("mentor_max_apprentices")
    by_mentor: dict[str, list[Mentorship]] = {}
    for m in judged(ctx):
        if m.mentor in ctx.archive.people:
            by_mentor.setdefault(m.mentor, []).append(m)
    for mentor, ms in sorted(by_mentor.items()):
        peak = busiest_day(ms, ctx.as_of)
        if peak is None or len(peak[1]) <= most:
            continue
        _, together = peak
        first, last = max(m.start for m in together), min(_until(m, ctx.as_of) for m in together)
        newest = max(together, key=lambda m: (m.start, m.id))
        ids = [m.id for m in sorted(together, key=lambda m: m.id)]
        yield hit(mentor, newest.file,
                  f"师傅 {mentor} 在 {first} 至 {last} 同时带徒 {len(ids)} 人（{'、'.join(ids)}），超过上限 {most} 人",
                  f"mentor {mentor} has {len(ids)} apprentices at once from {first} to {last} ({', '.join(ids)}), "
                  f"more than the limit of {most}",
                  key=("mentor",), citation=ctx.figure("mentor_max_apprentices").citation)


def _until(m: Mentorship, as_of: date) -> date:
    """The last day `m` runs that counts on as_of."""
    return min(m.runs_until(as_of), as_of)


def busiest_day(ms: list[Mentorship], as_of: date) -> tuple[date, list[Mentorship]] | None:
    """The first day, up to as_of, on which the most of `ms` run, and those running then."""
    events: list[tuple[date, int]] = []
    for m in ms:
        until = _until(m, as_of)
        if until >= m.start:
            events += [(m.start, 1), (until + timedelta(days=1), -1)]
    best: tuple[int, date] | None = None
    running = 0
    for day, delta in sorted(events):  # ends (-1) sort before starts on the same day
        running += delta
        if delta > 0 and (best is None or running > best[0]):
            best = (running, day)
    if best is None:
        return None
    day = best[1]
    return day, [m for m in ms if m.start <= day <= _until(m, as_of)]


@rule("M004", "apprenticeship-short", title="带徒期限不足", title_en="Apprenticeship too short",
      figures=("apprenticeship_min_months", "apprenticeship_min_months_underground"))
def apprenticeship_short(ctx: Context):
    """
    In `mentorship` industries, `signed_off` is earlier than `start` plus the
    apprenticeship minimum in calendar months: 2 (`apprenticeship_min_months`),
    or, when the apprentice's person file says `underground = true`, the
    figure `apprenticeship_min_months_underground` (4 in a coal mine, 2
    elsewhere). A sign-off after as_of is not judged yet.

    Why:
    安委10号: new workers of high-risk enterprises practise under a mentor for
    at least 2 months (实习至少2个月); 煤矿培训规定: a coal mine's underground
    workers (井下作业人员) for at least four months (实习满四个月), before the
    mentor may sign the apprentice off to work alone.

    Example:
    An underground worker of a coal mine with `start = 2023-07-20` and
    `signed_off = 2023-10-31`: the earliest sign-off is 2023-11-20 (for a
    surface worker, 2023-09-20).

    Fix:
    Correct `signed_off` if it was mistyped; otherwise the apprentice goes
    back under the mentor until the minimum has passed, and the sign-off is
    dated then.
    """
    if not ctx.in_group("mentorship"):
        return
    for m in judged(ctx):
        if m.signed_off is None or m.signed_off > ctx.as_of:
            continue
        fig, earliest = earliest_sign_off(ctx, m)
        months = int(fig.value)
        if m.signed_off < earliest:
            yield hit(m.id, m.file,
                      f"{m.signed_off} 签署实习合格，带徒不满 {months} 个月（自 {m.start}，最早 {earliest}）",
                      f"signed off on {m.signed_off}, less than {months} months after the start {m.start} "
                      f"(earliest {earliest})",
                      key=("signed_off",), citation=fig.citation)


@rule("M005", "mentor-post-mismatch", "warning", title="师傅岗位与带徒岗位不符")
def mentor_post_mismatch(ctx: Context):
    """
    The mentor's post on the start day (the latest `changes` entry on or
    before it, else the person's `post`) differs from the mentorship's `post`.

    Why:
    煤矿培训规定: the mentor teaches the apprentice the safe way to work the
    post; a mentor from another post cannot.

    Example:
    `post = "采煤机司机"` while the mentor has been `井下电工` since a transfer
    on 2023-03-01, before the start 2023-07-20.

    Fix:
    Choose a mentor working the apprentice's post, or correct `post` (or the
    mentor's `changes`) if it was recorded wrongly.
    """
    for m in judged(ctx):
        mentor = ctx.archive.people.get(m.mentor)
        if mentor is None:
            continue
        theirs = mentor.post_on(m.start).post
        if theirs != m.post:
            yield hit(m.id, m.file,
                      f"师傅 {m.mentor} 在开始日 {m.start} 的岗位是「{theirs}」，不是本记录的「{m.post}」",
                      f"on the start date {m.start} mentor {m.mentor} works as {theirs}, not {m.post}", key=("post",))
