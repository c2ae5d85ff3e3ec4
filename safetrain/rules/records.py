"""Family R: what every record must hold (安全生产法 第二十八条: 时间、内容、
参加人员、考核结果; 宁夏方案 二(九)), and the year's training plan (安全生产法
第二十一条 (三)). Only records dated on or before as_of are judged: a session
planned for next week has no results yet."""

from __future__ import annotations

from datetime import date, timedelta

from ..findings import ENTERPRISE
from .context import Context
from .planstatus import approved_plan
from .registry import hit, rule


def _held(ctx: Context):
    return [s for s in ctx.archive.sessions.values() if s.start.date() <= ctx.as_of]


@rule("R001", "missing-content", needs_enterprise=False, title="培训记录缺少内容")
def missing_content(ctx: Context):
    """
    A session has an empty `content` or no `topics`.

    Why:
    安全生产法 第二十八条 requires the archive to record what was taught; 宁夏方案
    二(一) names the topics every worker must cover (rules, knowledge, skills,
    emergency).

    Example:
    A session with `topics = []` and no `content`.

    Fix:
    Write what was taught in `content` and list its `topics` codes.
    """
    for s in _held(ctx):
        no_topics, no_content = not s.topics, not (s.content or "").strip()
        if no_topics and no_content:
            yield hit(s.id, s.file, "培训记录没有填写培训内容（content）和内容类别（topics）",
                      "the session records no content and no topics", key=("content",))
        elif no_topics:
            yield hit(s.id, s.file, "培训记录没有填写培训内容类别（topics）", "the session lists no topics", key=("topics",))
        elif no_content:
            yield hit(s.id, s.file, "培训记录没有填写培训内容（content）", "the session records no content", key=("content",))


@rule("R002", "missing-result", needs_enterprise=False, title="缺少考核结果")
def missing_result(ctx: Context):
    """
    An attendee has neither `score` nor `passed` in a session whose
    `assessment` is not `none`.

    Why:
    The law asks for assessment results (考核结果); hours are credited only to
    attendees who passed, so an attendee without a result is credited nothing.

    Example:
    `{ person = "E0001" }` in a session with `assessment = "written"`.

    Fix:
    Record the score (`score = 85`) or the result (`passed = true`), or set
    `assessment = "none"` for a session without assessment.
    """
    for s in _held(ctx):
        if s.assessment == "none":
            continue
        for i, a in enumerate(s.attendees):
            if a.score is None and a.passed is None:
                yield hit(s.id, s.file, f"参加人员 {a.person} 没有考核成绩或结果", f"attendee {a.person} has no score or result",
                          key=("attendees", i))


@rule("R003", "missing-contract", needs_enterprise=False, title="委托培训缺少服务合同")
def missing_contract(ctx: Context):
    """
    A session given by an external provider (not `internal`) names no `contract`.

    Why:
    宁夏方案 二(九): "委托安全培训机构进行安全培训的，应保存服务合同档案" —
    where safety training is entrusted to a training institution, the service
    contract is to be kept on file.

    Example:
    `provider = "宁夏某某安全培训中心"` without `contract`.

    Fix:
    Put the service contract in `contracts/` and name it: `contract = "contracts/2023-001.pdf"`.
    """
    for s in _held(ctx):
        if not s.is_internal and not s.contract:
            yield hit(s.id, s.file, f"委托培训机构「{s.provider}」培训，但未保存服务合同（contract）",
                      f"training by an external provider ({s.provider}) without a service contract", key=("provider",))


@rule("R004", "empty-session", "warning", needs_enterprise=False, title="培训或演练无人参加")
def empty_session(ctx: Context):
    """
    A session or drill has nobody in it.

    Why:
    A record without participants proves no one was trained or drilled.

    Example:
    `attendees = []`, or a drill without `participants`.

    Fix:
    List who took part (`safetrain attend SID PID ...`).
    """
    for s in _held(ctx):
        if not s.attendees:
            yield hit(s.id, s.file, "培训记录没有参加人员", "the session has no attendees", key=("attendees",))
    for d in ctx.archive.drills.values():
        if d.date <= ctx.as_of and not d.participants:
            yield hit(d.id, d.file, "演练记录没有参演人员", "the drill has no participants", key=("participants",))


def plan_years(ctx: Context) -> list[int]:
    """The years R005 judges: 1 January in the window, and as_of on or after
    1 January + the plan-due figure (31 days: 1 February)."""
    grace = timedelta(days=int(ctx.value("plan_due_days")))
    first = ctx.window_start.year + (ctx.window_start > date(ctx.window_start.year, 1, 1))
    return [y for y in range(first, ctx.as_of.year + 1) if date(y, 1, 1) + grace <= ctx.as_of]


@rule("R005", "training-plan-missing", title="没有年度安全培训计划", figures=("plan_due_days",))
def training_plan_missing(ctx: Context):
    """
    A calendar year whose 1 January is in the window, judged once as_of is on
    or after 1 January + the plan-due figure (31 days: 1 February), has no
    plans/<year>.toml approved on or before as_of. A plan approved late still
    satisfies it: the figure only delays judging. A plan file with an A001 or
    A002 finding does not count (it is reported itself). The subject is
    `enterprise`, the period the year (`2024`), the file safetrain.toml.

    Why:
    安全生产法 第二十一条 (三): the principal "组织制定并实施本单位安全生产教育
    和培训计划" — organises the drawing up and carrying out of the unit's
    safety education and training plan. The law gives no date; a plan not
    there by the end of January is a rule-set choice of when the year's plan
    is overdue.

    Example:
    An archive complete from 2023-07-01 with no plans/2024.toml, checked as
    of 2024-02-01 (on 2024-01-31 it is not judged yet).

    Fix:
    Write the year's plan (`safetrain new plan 2024 --approved ...`) with its
    items, approved by the principal; `safetrain render plan 2024` prints it.
    """
    fig = ctx.figure("plan_due_days")
    for year in plan_years(ctx):
        if approved_plan(ctx.archive, year, ctx.as_of) is None:
            plan = ctx.archive.plans.get(str(year))
            late = "" if plan is None else f"（plans/{year}.toml 批准日期 {plan.approved} 晚于检查日期）"
            late_en = "" if plan is None else f" (plans/{year}.toml is approved on {plan.approved}, after as_of)"
            yield hit(ENTERPRISE, ctx.archive.config.file,
                      f"{year} 年没有经主要负责人批准的年度安全培训计划（plans/{year}.toml）{late}",
                      f"no safety-training plan for {year} approved by the principal (plans/{year}.toml){late_en}",
                      period=str(year), citation=fig.citation)
