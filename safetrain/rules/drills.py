"""Family D: emergency drills (宁夏方案 二(四); 预案办法 第三十三条).

D001–D004 and D006 judge each whole calendar period in the window that ended before
as_of: a period is in the window when it starts on or after the window's
start, so the month, quarter or half-year the window starts inside of is not
judged (its records are incomplete, as for the years of family Y). Their
subject is `enterprise`, their file safetrain.toml and their period the
period's label. `drill_cadence` archives (by industry, or `crowded_place`
where the rule set says so) are judged by D001–D003, the others by D004;
every archive by D006 (a comprehensive or special plan drill each year).
"""

from __future__ import annotations

from typing import Callable

from ..archive.reading.models import Drill
from ..findings import ENTERPRISE

#: drill types that exercise a plan, not only an on-site procedure (预案办法 第三十三条 第一款)
PLAN_DRILL_TYPES = ("comprehensive", "special")
from .context import Context
from .periods import complete_periods, period_label
from .registry import hit, rule


def _missing(ctx: Context, kind: str, counts: Callable[[Drill], bool]):
    """The whole periods of `kind` in the window, ended before as_of, with no drill `counts` accepts."""
    held = {period_label(kind, d.date) for d in ctx.archive.drills.values() if d.date <= ctx.as_of and counts(d)}
    for period in complete_periods(kind, ctx.window_start, ctx.as_of):
        if period.label not in held:
            yield period


def _enterprise_hits(ctx: Context, kind: str, counts: Callable[[Drill], bool], zh: str, en: str):
    for period in _missing(ctx, kind, counts):
        yield hit(ENTERPRISE, ctx.archive.config.file, f"{period.label}（{period.start} 至 {period.end}）{zh}",
                  f"{period.label} ({period.start} to {period.end}): {en}", period=period.label)


@rule("D001", "monthly-drill-missing", title="未做到一月一小练")
def monthly_drill_missing(ctx: Context):
    """
    In a `drill_cadence` archive, a whole month in the window that ended
    before as_of has no drill of any scale. A drill on the month's last day
    counts for it.

    Why:
    宁夏方案 二(四): mines, hazardous chemicals, road transport, construction,
    metal smelting, gas, and crowded places (hotels, restaurants, scenic
    areas, commercial complexes) practise "一月一小练、一季一大练、半年一检验" —
    a small drill every month, a large drill every quarter, an assessment
    every half-year.

    Example:
    A restaurant (`ningxia-2023`, `catering`) whose window starts on
    2023-09-01, with drills in September and November 2023 only, checked on
    2023-12-15: D001 for 2023-10 (December has not ended yet).

    Fix:
    Record the month's drill in drills/; if none was held, hold one and
    waive the finding in safetrain.toml with the reason.
    """
    if ctx.in_group("drill_cadence"):
        yield from _enterprise_hits(ctx, "month", lambda d: True,
                                    "没有应急演练（一月一小练）", "no emergency drill this month (a small drill every month)")


@rule("D002", "quarterly-large-drill-missing", title="未做到一季一大练")
def quarterly_large_drill_missing(ctx: Context):
    """
    In a `drill_cadence` archive, a whole quarter in the window that ended
    before as_of has no `large` or `assessment` drill.

    Why:
    宁夏方案 二(四): "一季一大练" — a large drill every quarter; the half-yearly
    assessment drill is at least as large.

    Example:
    Q4 2023 with three `small` drills and nothing larger.

    Fix:
    Record the quarter's large drill (`scale = "large"`), or correct the
    scale of a drill that was one.
    """
    if ctx.in_group("drill_cadence"):
        yield from _enterprise_hits(ctx, "quarter", lambda d: d.scale in ("large", "assessment"),
                                    "没有大练或检验演练（一季一大练）", "no large or assessment drill this quarter (a large drill every quarter)")


@rule("D003", "half-year-assessment-missing", title="未做到半年一检验", title_en="Half-year assessment missing")
def half_year_assessment_missing(ctx: Context):
    """
    In a `drill_cadence` archive, a whole half-year in the window that ended
    before as_of has no `assessment` drill.

    Why:
    宁夏方案 二(四): "半年一检验" — every half-year a drill that evaluates the
    enterprise's emergency capability.

    Example:
    The first half of 2024 with monthly small drills and a large drill each
    quarter but no `scale = "assessment"`.

    Fix:
    Hold and record the half-year's assessment drill, with its `evaluation`.
    """
    if ctx.in_group("drill_cadence"):
        yield from _enterprise_hits(ctx, "half", lambda d: d.scale == "assessment",
                                    "没有检验性演练（半年一检验）", "no assessment drill this half-year (an assessment every half-year)")


@rule("D004", "half-year-drill-missing", title="每半年应急演练不足一次", title_en="Half-year drill missing")
def half_year_drill_missing(ctx: Context):
    """
    In an archive outside `drill_cadence`, a whole half-year in the window
    that ended before as_of has no drill of any scale.

    Why:
    预案办法 第三十三条: "每半年至少组织一次现场处置方案演练" — organise at
    least one drill of the on-site response procedures every half-year.

    Example:
    A manufacturer (national rule set) whose last drill was in May 2023,
    checked as of 2024-06-30: D004 for 2023-H2 when the window starts by July 2023.

    Fix:
    Record the half-year's drill; if none was held, hold one.
    """
    if not ctx.in_group("drill_cadence"):
        yield from _enterprise_hits(ctx, "half", lambda d: True,
                                    "没有应急演练（现场处置方案每半年至少演练一次）",
                                    "no emergency drill this half-year (at least one every half-year)")


@rule("D005", "drill-unevaluated", title="检验性演练没有评估", needs_enterprise=False)
def drill_unevaluated(ctx: Context):
    """
    An `assessment` drill dated on or before as_of has no `evaluation` (or
    only blanks). The subject is the drill; the finding points at its `scale`.

    Why:
    预案办法 第三十四条 asks for drills to be evaluated (演练效果评估); 宁夏方案
    二(四) calls the half-yearly drill a "检验" — a test, and a test needs its
    result.

    Example:
    `drills/2024-06-18.toml` with `scale = "assessment"` and no `evaluation`.

    Fix:
    Write the evaluation in `evaluation`: what was tested, what went well,
    what must improve.
    """
    for did in sorted(ctx.archive.drills):
        d = ctx.archive.drills[did]
        if d.scale == "assessment" and d.date <= ctx.as_of and not (d.evaluation or "").strip():
            yield hit(d.id, d.file, f"检验性演练「{d.title}」（{d.date}）没有演练评估（evaluation）",
                      f"assessment drill \"{d.title}\" ({d.date}) has no evaluation", key=("scale",))


@rule("D006", "yearly-plan-drill-missing", title="每年未组织综合或专项应急预案演练", title_en="Yearly emergency plan drill missing")
def yearly_plan_drill_missing(ctx: Context):
    """
    In every archive, a whole calendar year in the window that ended before
    as_of has no drill whose `type` is `comprehensive` (综合应急预案演练) or
    `special` (专项应急预案演练). A drill without `type` is an on-site
    procedure drill (`on_site`) and does not count. The period is the year
    (`2024`).

    Why:
    预案办法 第三十三条 第一款: "每年至少组织一次综合应急预案演练或者专项应急
    预案演练" — organise at least one drill of the comprehensive emergency plan
    or of a special emergency plan every year; the monthly and half-yearly
    drills of D001–D004 may all be
    on-site procedure drills, which do not exercise the plan itself.

    Example:
    2024 with twelve drills, all of them `type = "on_site"` or without `type`,
    checked as of 2025-03-31.

    Fix:
    Record the year's comprehensive or special plan drill with its `type`;
    if one was held and recorded without `type`, add it.
    """
    yield from _enterprise_hits(ctx, "year", lambda d: d.type in PLAN_DRILL_TYPES,
                                "没有综合应急预案演练或专项应急预案演练（每年至少一次）",
                                "no comprehensive or special emergency plan drill this year (at least one a year)")
