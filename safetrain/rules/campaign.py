"""Family K: the 2023 Ningxia full-staff training campaign (宁夏方案 一、二(一)).

On only in rule sets that give the campaign window (`ningxia-2023`). Judged
once as_of is after the window's end, and only when the campaign window starts
on or after the archive's window (an archive complete from 2024 on proves
nothing about 2023), for everyone employed at least `campaign_min_days` days
inside it. A session counts when it started and ended inside the window and
the person passed it. One cause, one finding: K002, K003 and K004 judge only
people K001 does not report (who passed at least one session; everyone judged
when a rule set switches K001 off: then K001 reports nobody). Findings are
about the person and point at the person's file.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterator

from ..archive.reading.codes import LEVEL, TOPIC, label
from ..archive.reading.models import Person, Session
from .context import Context
from .registry import hit, rule

CORE_TOPICS = ("rules", "knowledge", "skills", "emergency")  # 宁夏方案 二(一)
ROTATION_LEVELS = ("company", "workshop", "team")  # "三级"培训, 宁夏方案 二(一)


def _days_employed(p: Person, start: date, end: date) -> int:
    lo, hi = max(p.hired, start), min(p.left or end, end)
    return max((hi - lo).days + 1, 0)


def campaign_in_window(ctx: Context) -> bool:
    """RULES.md (v2): the campaign is judged only when its window starts on or after the archive's."""
    return ctx.value("campaign_start") >= ctx.window_start


def _campaigners(ctx: Context) -> list[tuple[Person, list[Session], date, date]]:
    """(person, passed sessions inside the window, start, end) for everyone judged; computed once
    per check for the four K rules."""
    return ctx.memo("campaign", lambda: list(_judged(ctx)), keep=True)


def _beyond_k001(ctx: Context) -> list[tuple[Person, list[Session], date, date]]:
    """The campaigners K002–K004 judge: those K001 does not report (who passed a session), or
    everyone where a rule set switches K001 off (then it reports nobody)."""
    k001 = ctx.ruleset.enabled("K001")
    return [c for c in _campaigners(ctx) if c[1] or not k001]


def _judged(ctx: Context) -> Iterator[tuple[Person, list[Session], date, date]]:
    end = ctx.value("campaign_end")
    if ctx.as_of <= end or not campaign_in_window(ctx):
        return
    yield from _employed(ctx, end)


def campaign_so_far(ctx: Context) -> list[tuple[Person, list[Session], date, date]]:
    """K001's people and the sessions each passed in the window, as of as_of: once the window
    is over, the K rules' own; while it runs, those employed the minimum days of it up to
    as_of, with what they passed by then (status's and the report's coverage of the campaign)."""
    end = ctx.value("campaign_end")
    return _campaigners(ctx) if ctx.as_of > end else list(_employed(ctx, ctx.as_of))


def _employed(ctx: Context, until: date) -> Iterator[tuple[Person, list[Session], date, date]]:
    """Everyone employed `campaign_min_days` (and at all) from the window's start to `until`,
    with the sessions they passed that started and ended inside the window by then."""
    start, end = ctx.value("campaign_start"), ctx.value("campaign_end")
    passed: dict[str, list[Session]] = defaultdict(list)  # one pass over the sessions, not one per person
    for s in ctx.archive.named("session").values():  # a duplicate file (A004) credits nothing
        if start <= s.start.date() and s.end.date() <= min(end, until):
            for a in s.counted_attendees():
                if s.passed(a):
                    passed[a.person].append(s)
    least = ctx.value("campaign_min_days")
    for pid in sorted(ctx.archive.people):
        p = ctx.archive.people[pid]
        days = _days_employed(p, start, min(end, until))
        if days >= least and days > 0:  # employed in the window at all, whatever the figure (0 included)
            yield p, passed.get(pid, []), start, end


@rule("K001", "campaign-uncovered", title="全员安全培训未覆盖", title_en="Not covered by the campaign",
      figures=("campaign_start", "campaign_end", "campaign_min_days"))
def campaign_uncovered(ctx: Context):
    """
    A person employed at least `campaign_min_days` (30) days inside the
    campaign window (`campaign_start` to `campaign_end`, 2023-07-01 to
    2023-12-31) passed no session of any type that started and ended inside
    it. Judged once as_of is after the window, and only when the campaign
    window starts on or after the archive's window (`records_since`): an
    archive complete from 2024-01-01 is not judged on 2023.

    Why:
    宁夏方案 一: from the second half of 2023, half a year of systematic
    training for every worker of every business; 二(一): "一企不漏、一人不落" —
    no business left out, no person left behind.

    Example:
    A worker hired in 2021 whose only sessions in 2023 were in March, or who
    failed the one all-staff session of the autumn.

    Fix:
    Record the session the person passed in the window; if they were not
    trained, train them now and waive the finding with the reason and date.
    """
    cite = ctx.figure("campaign_start").citation
    for p, sessions, start, end in _campaigners(ctx):
        if not sessions:
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）在 {start} 至 {end} 全员安全培训期间在岗，但没有考核合格的培训记录",
                      f"{p.name} ({p.id}) was employed during the campaign ({start} to {end}) "
                      f"but passed no training in it",
                      citation=cite)


@rule("K002", "campaign-topics", "warning", title="全员安全培训内容不全", title_en="Campaign topics incomplete",
      figures=("campaign_start", "campaign_end", "campaign_min_days"))
def campaign_topics(ctx: Context):
    """
    The sessions a person passed inside the campaign window do not together
    cover the four topics every worker must learn: rules (规章制度和操作规程),
    knowledge (安全生产知识), skills (本岗位安全操作技能) and emergency (事故应急
    处理措施); the finding names the missing ones. A person with no session
    at all is K001's.

    Why:
    宁夏方案 二(一): training "重点围绕安全生产规章制度和操作规程、必备的安全
    生产知识、本岗位的安全操作技能、事故应急处理措施等内容" — centred on the
    safety rules and operating procedures, the necessary safety knowledge,
    the safe operating skills of one's own post, and the measures for
    handling accidents and emergencies.

    Example:
    A worker whose only campaign session has `topics = ["rules", "knowledge"]`.

    Fix:
    Record (or give) training on the missing topics; if a session taught
    them, list them in its `topics`.
    """
    for p, sessions, start, end in _beyond_k001(ctx):
        covered = {t for s in sessions for t in s.topics}
        missing = [t for t in CORE_TOPICS if t not in covered]
        if missing:
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）在 {start} 至 {end} 全员安全培训中未培训："
                      + "、".join(label(TOPIC, t) for t in missing),
                      f"{p.name} ({p.id}) was not trained during the campaign ({start} to {end}) in: "
                      + ", ".join(label(TOPIC, t, "en") for t in missing))


@rule("K003", "campaign-rotation", title="全员安全培训未按三级轮训一遍", title_en="Campaign rotation incomplete",
      figures=("campaign_start", "campaign_end", "campaign_min_days"))
def campaign_rotation(ctx: Context):
    """
    In `rotation` archives (manufacturing, in `ningxia-2023`), the sessions a
    person passed inside the campaign window (any type that has a `level`) do
    not include company, workshop and team level; the finding names the
    missing levels. A person with no passed session at all is K001's (one
    cause, one finding, even where K001 is waived). Principals and safety
    managers are judged too: the campaign trains every employee.

    Why:
    宁夏方案 二(一): processing, manufacturing and other production units
    (加工、制造业等生产单位) carry out three-level ("三级") training (company,
    workshop and team) and "对员工轮训一遍" — train every employee once in
    rotation: every employee goes through the three levels once during the
    campaign, old hands as well as new ones.

    Example:
    A machinist employed since 2019 whose only campaign sessions are two
    all-staff sessions at company level (`level = "company"`).

    Fix:
    Record the workshop- and team-level sessions the person passed in the
    campaign (`level` is allowed on every session type), or give them.
    """
    if not ctx.in_group("rotation"):
        return
    for p, sessions, start, end in _beyond_k001(ctx):
        levels = {s.level for s in sessions}
        missing = [lv for lv in ROTATION_LEVELS if lv not in levels]
        if missing:
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）在 {start} 至 {end} 全员安全培训中未参加"
                      + "、".join(label(LEVEL, lv) for lv in missing) + "培训（三级轮训一遍）",
                      f"{p.name} ({p.id}) passed no {', '.join(label(LEVEL, lv, 'en') for lv in missing)} "
                      f"training during the campaign ({start} to {end}) (the three-level rotation)")


@rule("K004", "campaign-gas-training", "warning", title="使用燃气单位全员安全培训未涉及燃气安全", title_en="Campaign gas training missing",
      figures=("campaign_start", "campaign_end", "campaign_min_days"))
def campaign_gas_training(ctx: Context):
    """
    In an archive with `uses_gas = true`, a person passed no session covering
    `gas` (燃气使用安全) inside the campaign window. A person with no passed
    session at all is K001's (one cause, one finding, even where K001 is
    waived).

    Why:
    The Ningxia plan was written after a restaurant gas explosion; 宁夏方案
    二(七) has the campaign supervise 防火、燃气使用 training where gas is
    used. The duty it states is the authorities', so this is a warning, not
    an error.

    Example:
    A waiter of a restaurant with `uses_gas = true` whose campaign sessions
    have `topics = ["rules", "knowledge", "skills", "emergency"]` only.

    Fix:
    Record (or give) the gas safety training; if a session taught it, add
    `gas` to its `topics`.
    """
    e = ctx.enterprise
    if e is None or not e.uses_gas:
        return
    for p, sessions, start, end in _beyond_k001(ctx):
        if not any("gas" in s.topics for s in sessions):
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）在 {start} 至 {end} 全员安全培训中没有考核合格的燃气使用安全培训",
                      f"{p.name} ({p.id}) passed no gas safety training during the campaign ({start} to {end})")
