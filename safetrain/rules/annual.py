"""Family Y: yearly re-training (培训规定 第九、十三条; 安委10号).

A year Y is judged for a person when Y is before as_of's year, the whole of Y
is in the window, and the person was employed all of Y. Hours count for the
year in which their session ended. Findings are about the person and point
at the person's file.
"""

from __future__ import annotations

from datetime import date
from typing import Iterator

from ..archive.reading.models import Person
from .context import Context, on_post_key
from ..dates import add_months
from .registry import hit, rule
from ..numbers import number_text

#: Why a year is not judged for a person (see not_judged).
NOT_OVER = "not_over"            # as_of's year or later; judged once over if nothing else stands in the way
BEFORE_WINDOW = "before_window"  # 1 January is before the window's start: the archive does not cover all of it
PART_YEAR = "part_year"          # the person was not employed all of the year (so far)


def not_judged(ctx: Context, person: Person, year: int) -> str | None:
    """Why Y001/Y002 do not judge `year` for `person`: None when they do, else
    BEFORE_WINDOW, PART_YEAR or NOT_OVER, in that order. The one definition
    of which years are judged; reports that show other years call it too.

    RULES.md: a year Y is judged for a person when Y is before as_of's year,
    the whole of Y is in the window, and the person was employed all of Y.
    For as_of's year, employment is looked at up to as_of, so NOT_OVER means
    the year will be judged if the person stays to 31 December."""
    first = date(year, 1, 1)
    if not ctx.in_window(first):
        return BEFORE_WINDOW
    if not (person.employed_on(first) and person.employed_on(min(date(year, 12, 31), ctx.as_of))):
        return PART_YEAR
    if year >= ctx.as_of.year:
        return NOT_OVER
    return None


def judged_years(ctx: Context, person: Person) -> list[int]:
    """The years Y001/Y002 judge for `person`, oldest first."""
    return [y for y in range(ctx.window_start.year, ctx.as_of.year) if not_judged(ctx, person, y) is None]


def year_hours(ctx: Context, person: Person, year: int) -> tuple[float, float]:
    """(credited hours in `year`, the yearly requirement) for one person (see annual_requirement):
    the rules and every view of the check ask it. The credited hours are worked out once per
    person, for all their years (`Context.credited_in_year`, kept with the result); nothing
    else is kept (a second memo by person and year cost 40 MB and 16 % of the ledger's hours
    sheet at 100,000 people)."""
    figure, types, exclude = annual_requirement(ctx, person)
    return ctx.credited_in_year(person.id, year, types=types, exclude=exclude), float(figure.value)


def manager_initial(ctx: Context, person: Person) -> tuple[float, float, date]:
    """(credited `management` 学时 ended by the deadline, the manager initial figure, the deadline:
    `on_post` + the initial-training months) of a principal or safety manager: Y003's measure,
    as the documents print it."""
    deadline = add_months(person.on_post, int(ctx.value("manager_initial_training_months")))
    hours = ctx.credited(person.id, end=deadline, types={"management"})
    return hours, float(ctx.value("manager_initial_hours")), deadline


def _short_years(ctx: Context, people: Iterator[Person]):
    """(person, year, hours, figure) for each judged year in which a person was
    credited fewer 学时 than their yearly figure."""
    for p in people:
        fig = annual_requirement(ctx, p)[0]
        for year in judged_years(ctx, p):
            hours, need = year_hours(ctx, p, year)
            if hours < need:
                yield p, str(year), hours, fig


_MANAGEMENT, _PRE_JOB, _NOTHING = frozenset({"management"}), frozenset({"pre_job"}), frozenset()


def annual_requirement(ctx: Context, person: Person):
    """(figure, credited session types or None for all, excluded types) of a
    person's yearly 学时: principals and safety managers count `management`
    hours against the manager figure (Y002), everyone else every type but
    `pre_job` against the annual figure (Y001)."""
    if person.is_manager:
        return ctx.figure("manager_annual_hours"), _MANAGEMENT, _NOTHING
    return ctx.figure("annual_hours"), None, _PRE_JOB


def _people(ctx: Context, managers: bool) -> Iterator[Person]:
    for pid in sorted(ctx.archive.people):
        p = ctx.archive.people[pid]
        if p.is_manager == managers:
            yield p


@rule("Y001", "annual-hours", title="年度再培训学时不足", title_en="Annual hours short", figures=("annual_hours",))
def annual_hours(ctx: Context):
    """
    A person without a manager role was credited fewer hours in a judged year
    than the annual figure, counting every session type except `pre_job`
    (refresher, all-staff, special operation, transfer, new technology, ...).
    The period is the year; the finding points at the person's file.
    A year is judged when it is before as_of's year, lies wholly in the
    window, and the person was employed all of it.

    Why:
    培训规定 第十三条: workers of mines, hazardous chemicals, fireworks and metal
    smelting get at least 20 hours of re-training a year; 安委10号 asks the same of
    construction and at least 8 hours of every other worker. The figures are
    `annual_hours` in the rule set.

    Example:
    A manufacturing worker employed all of 2023 whose 2023 sessions credit 6
    hours (a failed exam credits none; partial attendance its own `hours`).

    Fix:
    Give and record the missing re-training. A person away for most of the
    year (sick leave, secondment) may carry a waiver with the reason.
    """
    for p, y, hours, fig in _short_years(ctx, _people(ctx, managers=False)):
        yield hit(p.id, p.file,
                  f"{p.name}（{p.id}）{y} 年度安全再培训计 {number_text(hours)} 学时，少于规定的 {number_text(fig.value)} 学时",
                  f"{p.name} ({p.id}) had {number_text(hours)} hours of re-training in {y}; {number_text(fig.value)} are required",
                  period=y, citation=fig.citation)


@rule("Y002", "manager-annual-hours", title="主要负责人、安全管理人员年度再培训学时不足", title_en="Manager annual hours short",
      figures=("manager_annual_hours",))
def manager_annual_hours(ctx: Context):
    """
    A `principal` or `safety_manager` was credited fewer `management` hours in
    a judged year than the manager annual figure. The period is the year; the
    finding points at the person's file.
    A year is judged when it is before as_of's year, lies wholly in the
    window, and the person was employed all of it.

    Why:
    培训规定 第九条: principals and safety managers get at least 12 hours of
    re-training a year, 16 in mines, hazardous chemicals, fireworks and metal
    smelting. The figures are `manager_annual_hours` in the rule set. The
    finding cites 培训规定 第九条 only: 宁夏方案 二(六) also names 12 hours, but
    as a duty of the authorities (organising the training), not of the
    enterprise.

    Example:
    A safety manager employed all of 2023 with one 8-hour `management` session in 2023.

    Fix:
    Record the manager's `management` sessions of that year (training by the
    regulator or an institution counts; keep its contract), or give them.
    """
    for p, y, hours, fig in _short_years(ctx, _people(ctx, managers=True)):
        yield hit(p.id, p.file,
                  f"{p.name}（{p.id}）{y} 年度主要负责人/安全管理人员再培训计 {number_text(hours)} 学时，少于规定的 {number_text(fig.value)} 学时",
                  f"{p.name} ({p.id}) had {number_text(hours)} hours of manager re-training in {y}; {number_text(fig.value)} are required",
                  period=y, citation=fig.citation)


@rule("Y003", "manager-initial-hours", title="主要负责人、安全管理人员初次培训学时不足", title_en="Manager initial hours short",
      figures=("manager_initial_hours", "manager_initial_training_months"))
def manager_initial_hours(ctx: Context):
    """
    A `principal` or `safety_manager` whose `on_post` is in the window and
    more than 6 calendar months (the figure `manager_initial_training_months`)
    before as_of was credited fewer `management` hours by sessions that ended on or before
    `on_post` + 6 months than the manager initial figure. Sessions before `on_post` count. The finding
    points at the person's `on_post` (or `hired`).

    Why:
    培训规定 第九条: initial safety training of principals and safety managers
    is at least 32 hours, 48 in mines, hazardous chemicals, fireworks and metal
    smelting; 第二十四条: they are assessed within 6 months of taking the post.
    The figures are `manager_initial_hours` and `manager_initial_training_months`
    (the same 6 months in every industry; C005's assessment grace is another
    figure, 0 outside the high-risk industries).

    Example:
    A safety manager on post since 2023-09-01 with 16 `management` hours by
    2024-03-01, checked as of 2024-06-30.

    Fix:
    Record the initial training the manager passed (for instance the
    regulator's course before the assessment), or give it.
    """
    fig = ctx.figure("manager_initial_hours")
    for p in _people(ctx, managers=True):
        hours, _, deadline = manager_initial(ctx, p)
        if not (ctx.in_window(p.on_post) and deadline < ctx.as_of):  # RULES.md: whether still employed or not
            continue
        if hours < fig.value:
            yield hit(p.id, p.file,
                      f"{p.name}（{p.id}）{p.on_post} 任职，至 {deadline} 初次安全培训计 {number_text(hours)} 学时，"
                      f"少于规定的 {number_text(fig.value)} 学时",
                      f"{p.name} ({p.id}) took the post on {p.on_post} and had {number_text(hours)} hours of initial manager "
                      f"training by {deadline}; {number_text(fig.value)} are required",
                      key=on_post_key(p), citation=fig.citation)
