"""Family P: training before the post (培训规定 第十一至十三、十七条;
安全生产法 第二十八条).

P001–P004 judge each person without a manager role (principals and safety
managers are judged by Y003 and C005) whose `on_post` is in the window and on
or before as_of. P005 judges the changes of post dated in the window of every
person without a manager role, however long ago they were hired. P006 judges
everyone (managers too) who works with a 四新 introduced in the window.
Findings are about the person and point at the person's file (P006: at the
introduction's file).
"""

from __future__ import annotations


from datetime import timedelta

from ..archive.reading.codes import CHANGE_KIND, INTRODUCTION_KIND, LEVEL, label
from ..archive.reading.models import Attendance, Change, Introduction, Person, Session
from .context import Context, away_at_least, on_post_key, previous_change
from .registry import hit, rule
from ..numbers import number_text

THREE_LEVELS = ("company", "workshop", "team")  # 培训规定 第十二条, in the order they are given
TRANSFER_LEVELS = ("workshop", "team")  # 培训规定 第十七条: 重新进行车间（工段、区队）级和班组级的安全培训


def before_post(s: Session, p: Person) -> bool:
    """Whether session `s` ended on or before `p`'s first day on the post (that day included):
    the pre-job training P001–P003 count; one ended later is after the start, and counts not."""
    return s.end.date() <= p.on_post


def passed_pre_job(ctx: Context, p: Person) -> list[tuple[Session, Attendance]]:
    """The person's passed pre_job sessions that ended on or before on_post (that day included)."""
    return [(s, a) for s, a in ctx.sessions_of(p.id)
            if s.type == "pre_job" and before_post(s, p) and s.passed(a)]


def _levels(levels, lang: str = "zh") -> str:
    return ("、" if lang == "zh" else ", ").join(label(LEVEL, lv, lang) for lv in levels)


@rule("P001", "untrained-on-post", title="未经岗前安全培训上岗")
def untrained_on_post(ctx: Context):
    """
    A person without a manager role started on the post (`on_post`, default
    `hired`) with no passed `pre_job` session that ended on or before that
    day. A session ending on the on-post day counts; a failed attendee does
    not. Reported on the person's file, at `on_post` (or `hired`).
    Judged for people without a manager role whose `on_post` is in the
    window and on or before as_of.

    Why:
    安全生产法 第二十八条: "未经安全生产教育和培训合格的从业人员，不得上岗作业"
    — a worker who has not passed safety education and training may not work
    on the post;
    培训规定 第十一条 asks for pre-job training of every new worker, including
    temporary, contract and dispatched workers.

    Example:
    `people/E0012.toml` with `on_post = 2023-07-20`, and the only pre-job
    session E0012 attended ended on 2023-07-25, or E0012 scored 55 in it.

    Fix:
    Record the pre-job training the person passed before starting (a
    `pre_job` session with the person among `attendees`), or correct
    `on_post` if the person started later.
    """
    for p in ctx.newcomers:
        if not passed_pre_job(ctx, p):
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）于 {p.on_post} 上岗，此前没有考核合格的岗前安全培训",
                      f"{p.name} ({p.id}) started on the post on {p.on_post} with no pre-job training passed before",
                      key=on_post_key(p))


@rule("P002", "pre-job-hours", title="岗前安全培训学时不足", title_en="Pre-job hours short", figures=("pre_job_hours",))
def pre_job_hours(ctx: Context):
    """
    The hours credited to a person without a manager role by passed `pre_job`
    sessions that ended on or before `on_post` are below the pre-job figure
    of the industry. Partial attendance counts only its own `hours`. Not
    reported when P001 is (no pre-job training at all; where a rule set
    switches P001 off, P002 judges everyone). Reported on the
    person's file, at `on_post` (or `hired`).
    Judged for people without a manager role whose `on_post` is in the
    window and on or before as_of.

    Why:
    培训规定 第十三条: new workers get at least 24 hours of pre-job training,
    72 in mines, hazardous chemicals, fireworks and metal smelting; 安委10号:
    32 in construction. The figures are `pre_job_hours` in the rule set.

    Example:
    A manufacturing worker on post on 2023-07-20 whose pre-job sessions
    credit 8 + 8 hours (24 required).

    Fix:
    Give (and record) the missing hours before the person works on the post;
    if they were given, record them in the sessions' `hours`.
    """
    fig = ctx.figure("pre_job_hours")
    need = fig.value
    p001 = ctx.ruleset.enabled("P001")  # "only when P001 does not fire": it never does where it is off
    for p in ctx.newcomers:
        if p001 and not passed_pre_job(ctx, p):
            continue  # P001's
        hours = ctx.credited(p.id, end=p.on_post, types={"pre_job"})
        if hours < need:
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）{p.on_post} 上岗前岗前安全培训计 {number_text(hours)} 学时，少于规定的 {number_text(need)} 学时",
                      f"{p.name} ({p.id}) had {number_text(hours)} hours of pre-job training before starting on {p.on_post}; "
                      f"{number_text(need)} are required",
                      key=on_post_key(p), citation=fig.citation)


@rule("P003", "three-level-missing", title="三级安全教育不全", title_en="Three-level training missing")
def three_level_missing(ctx: Context):
    """
    In `three_level` industries, a person without a manager role has no passed
    `pre_job` session at one or more of the company, workshop and team levels
    that ended on or before `on_post`; the finding names the missing levels.
    Not reported when P001 is (where a rule set switches P001 off, P003
    judges everyone). Reported on the person's file, at `on_post`
    (or `hired`).
    Judged for people without a manager role whose `on_post` is in the
    window and on or before as_of.

    Why:
    培训规定 第十二条: processing, manufacturing and other production units
    (加工、制造业等生产单位) give new workers company-level (厂矿级),
    workshop-level (车间级) and team-level (班组级) training; 宁夏方案 二(一)
    repeats the three-level ("三级") method.

    Example:
    A manufacturing worker who passed the company-level session but whose
    record has no workshop- or team-level session before `on_post`.

    Fix:
    Record the missing level's session (`level = "workshop"` or `"team"`),
    or set `level` on a session that was given at that level.
    """
    if not ctx.in_group("three_level"):
        return
    p001 = ctx.ruleset.enabled("P001")  # "only when P001 does not fire": it never does where it is off
    for p in ctx.newcomers:
        sessions = passed_pre_job(ctx, p)
        done = {s.level for s, _ in sessions}
        missing = [lv for lv in THREE_LEVELS if lv not in done]
        if (sessions or not p001) and missing:
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）{p.on_post} 上岗前缺少三级安全教育中的{_levels(missing)}培训",
                      f"{p.name} ({p.id}) started on {p.on_post} without the {_levels(missing, 'en')} "
                      f"pre-job training of the three levels",
                      key=on_post_key(p))


@rule("P004", "three-level-order", "warning", title="三级安全教育顺序颠倒", title_en="Three-level training out of order")
def three_level_order(ctx: Context):
    """
    In `three_level` industries, the levels of a person's pre-job training did
    not start in the order company, workshop, team: the first passed session
    of a later level started before the first of an earlier one. Levels that
    are missing are P003's concern; this rule orders those present. Reported
    on the person's file, at `on_post` (or `hired`).
    Judged for people without a manager role whose `on_post` is in the
    window and on or before as_of.

    Why:
    培训规定 第十二条 describes the three levels from the general to the
    particular (厂矿级, 车间级, 班组级); training given the other way round is
    a sign of records written after the fact.

    Example:
    Team-level training on 2023-07-03, company-level on 2023-07-10.

    Fix:
    Check the sessions' dates and levels; correct the one that was mistyped.
    """
    if not ctx.in_group("three_level"):
        return
    for p in ctx.newcomers:
        first: dict[str, Session] = {}
        for s, _ in passed_pre_job(ctx, p):  # sorted by start
            if s.level in THREE_LEVELS:
                first.setdefault(s.level, s)
        present = [first[lv] for lv in THREE_LEVELS if lv in first]
        actual = sorted(present, key=lambda s: s.start)  # stable: a tie keeps the order
        if [s.level for s in actual] != [s.level for s in present]:
            zh = " → ".join(f"{label(LEVEL, s.level)}（{s.id}，{s.start:%Y-%m-%d %H:%M}）" for s in actual)
            en = " → ".join(f"{s.level} ({s.id}, {s.start:%Y-%m-%d %H:%M})" for s in actual)
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）的三级安全教育未按公司级、车间级、班组级的顺序进行：{zh}",
                      f"the pre-job levels of {p.name} ({p.id}) did not start in the order company, workshop, team: {en}",
                      key=on_post_key(p))


def needs_retraining(ch: Change, away_months: int) -> bool:
    """培训规定 第十七条: a transfer, or a return after at least `away_months` calendar months
    away (`away_since` + the months on or before the return; no `away_since`: a year or more)."""
    return ch.kind != "return" or away_at_least(ch, away_months)


@rule("P005", "retraining-after-change", title="调岗或复岗未重新培训", figures=("retraining_away_months",))
def retraining_after_change(ctx: Context):
    """
    For each `changes` entry dated in the window and on or before as_of, of a
    person without a manager role — a transfer, or a return after at least
    the re-training figure away (12 calendar months: `away_since` + 12 months
    on or before the return's `date`; a return without `away_since` counts as
    away that long) — no passed `transfer` session at workshop level and at
    team level that ended after the previous change (or the hire) and on or
    before the change's date. A return after a shorter time away needs no
    re-training. The finding names the missing levels; its period is the
    change's date; it points at the change in the person's file.

    Why:
    培训规定 第十七条: "从业人员在本生产经营单位内调整工作岗位或离岗一年以上
    重新上岗时，应当重新接受车间（工段、区队）和班组级的安全培训" — a worker
    who changes post within the business, or returns to work after a year or
    more away, must again receive workshop-level (section, district team) and
    team-level safety training.

    Example:
    `[[changes]] date = 2024-03-01, kind = "transfer"` with only a team-level
    `transfer` session on 2024-02-28; or a `return` on 2024-03-01 with
    `away_since = 2023-02-15` and no transfer session.

    Fix:
    Record the workshop- and team-level `transfer` sessions the person passed
    before starting on the new post; for a return after less than a year
    away, record `away_since`.
    """
    fig = ctx.figure("retraining_away_months")
    months = int(fig.value)
    for pid in sorted(ctx.archive.people):
        p = ctx.archive.people[pid]
        if p.is_manager or not p.changes:
            continue
        trained = [(s.end.date(), s.level) for s, a in ctx.sessions_of(pid)
                   if s.type == "transfer" and s.level in TRANSFER_LEVELS and s.passed(a)]
        for ch in sorted(p.changes, key=lambda c: (c.date, c.index)):
            since = previous_change(p, ch)
            if not (ctx.in_window(ch.date) and ch.date <= ctx.as_of and needs_retraining(ch, months)):
                continue
            done = {lv for end, lv in trained if since < end <= ch.date}
            missing = [lv for lv in TRANSFER_LEVELS if lv not in done]
            if missing:
                yield hit(p.id, p.file,
                          f"{p.name}（{p.id}）{ch.date} {label(CHANGE_KIND, ch.kind)}，{since} 之后至该日没有考核合格的"
                          f"{_levels(missing)}调岗/复岗培训",
                          f"{p.name} ({p.id}): {label(CHANGE_KIND, ch.kind, 'en')} on {ch.date} without passed "
                          f"{_levels(missing, 'en')} transfer training after {since}",
                          key=("changes", ch.index), period=ch.date.isoformat(),
                          citation=fig.citation if ch.kind == "return" else None)


def introduced(ctx: Context) -> list[Introduction]:
    """The introductions P006 judges: dated in the window and on or before as_of, by date and id."""
    return sorted((i for i in ctx.archive.introductions.values() if ctx.in_window(i.date) and i.date <= ctx.as_of),
                  key=lambda i: (i.date, i.id))


def new_tech_trained(ctx: Context, intro: Introduction) -> list[tuple[Person, bool]]:
    """(person, trained) for everyone `intro` affects, in id order: employed on its `date`
    with their department or post on that day listed; trained when they passed a `new_tech`
    session that ended on a day from `date` − the figure's days to `date`, both included.
    The one definition P006 and the export's columns use."""
    first = intro.date - timedelta(days=int(ctx.value("new_tech_training_days")))
    people = ctx.archive.people
    out = []
    for pid in sorted(people):
        p = people[pid]
        if not (p.employed_on(intro.date) and intro.affects(p)):
            continue
        trained = any(s.type == "new_tech" and first <= s.end.date() <= intro.date and s.passed(a)
                      for s, a in ctx.sessions_of(pid))
        out.append((p, trained))
    return out


@rule("P006", "new-tech-untrained", title="四新投入使用前未进行专门培训",
      title_en="Untrained for new technology", figures=("new_tech_training_days",), person_elsewhere=True)
def new_tech_untrained(ctx: Context):
    """
    For each record of introductions/ dated in the window and on or before
    as_of: a person employed on its `date` whose department or post on that
    day is in its `departments` or `posts` passed no `new_tech` session that
    ended on a day from `date` − 90 days to `date` (both included; the figure
    `new_tech_training_days`). Managers are judged too. The subject is the
    person, the period the introduction's date (`2024-05-20`); the finding
    points at the introduction's file.

    Why:
    安全生产法 第二十九条: "生产经营单位采用新工艺、新技术、新材料或者使用新
    设备，必须了解、掌握其安全技术特性，采取有效的安全防护措施，并对从业人员
    进行专门的安全生产教育和培训" — a business that adopts a new process,
    technology or material, or uses new equipment, must understand and master
    its safety characteristics, take effective protective measures, and give
    its workers specialised safety education and training; 培训规定 第十七条
    says the same. The law sets no window; training more than 90 days before
    is a rule-set choice of what still counts as preparing for this
    introduction.

    Example:
    introductions/laser.toml with `date = 2024-05-20` and `departments =
    ["机加车间"]`, and a worker of 机加车间 whose only `new_tech` session ended
    on 2024-02-19 (91 days before).

    Fix:
    Give and record the `new_tech` training (with the person among
    `attendees`) before the introduction is used; if the person does not
    work with it, correct `departments` or `posts`.
    """
    fig = ctx.figure("new_tech_training_days")
    for intro in introduced(ctx):
        what_zh = f"{label(INTRODUCTION_KIND, intro.kind)}「{intro.title}」"
        what_en = f"{label(INTRODUCTION_KIND, intro.kind, 'en')} \"{intro.title}\""
        for p, trained in new_tech_trained(ctx, intro):
            if not trained:
                yield hit(p.id, intro.file,
                          f"{p.name}（{p.id}）使用 {intro.date} 投入使用的{what_zh}，此前 {fig.value} 日内没有考核合格的"
                          "四新培训",
                          f"{p.name} ({p.id}) works with the {what_en} in use from {intro.date} without passed "
                          f"new technology training in the {fig.value} days before",
                          key=("date",), period=intro.date.isoformat(), citation=fig.citation)

