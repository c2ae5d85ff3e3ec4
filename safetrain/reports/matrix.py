"""`safetrain matrix`: person × requirement, one row per active person.

Which requirements apply follows RULES.md, each column the rule family that
judges it:

- `pre_job` (P001/P002) and the three levels `company`, `workshop`, `team`
  (P003, `three_level` industries only): the people P judges, without a
  manager role and on the post since the window's start (by as_of).
- `hours_this_year`, `hours_last_year` (Y001/Y002): last year when they judge
  it, this year while they can still judge it (rules.annual.not_judged: the
  whole year in the window, employed since 1 January); managers count
  `management` hours against the manager figure. This year's hours short of
  the figure are `expiring` (due by 31 December), last year's `missing`.
- `certificate` (C001–C005): a `special_operation` certificate for special
  operators and, in `key` industries, a `manager` certificate for principals
  and safety managers; a manager still in the grace months after `on_post`
  without one is `expiring`. States come from `rules.certstatus`; the worst
  of the required certificates shows. Someone no certificate is required of
  who holds one (a 健康证, `other`) shows the worst of those held (C002/C004
  judge every certificate).
- `mentorship` (M001, `mentorship` industries): the same new workers need a
  mentorship file; `missing` exactly when M001 reports it.

A cell is `current`, `expiring`, `expired`, `missing` or `n.a.`, with a short
value (`24/24` 学时, a date). The hours and certificate columns are always
shown; an hours cell of a year not judged is `n.a.` with the hours credited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..api import Result
from ..archive.reading.models import Person
from ..dates import NO_EXPIRY
from ..errors import SafetrainError
from ..rules.certstatus import (EXPIRED as CERT_EXPIRED, EXPIRING as CERT_EXPIRING, REVIEW_DUE,
                                REVIEW_OVERDUE, SUPERSEDED)
from ..rules.annual import NOT_OVER, not_judged, year_hours
from ..rules.context import Context
from ..dates import add_months
from ..rules.mentorship import apprentices_without_mentor, earliest_sign_off, unqualified
from ..rules.prejob import THREE_LEVELS as LEVELS, passed_pre_job
from .fmt import phrases
from .terminal import STATE_STYLES, table, text, to_text
from ..numbers import number_text

CURRENT, EXPIRING, EXPIRED, MISSING, NA = "current", "expiring", "expired", "missing", "n.a."
STATES = (CURRENT, EXPIRING, EXPIRED, MISSING, NA)
COLUMNS = ("pre_job", *LEVELS, "hours_this_year", "hours_last_year", "certificate", "mentorship")
ALWAYS_SHOWN = ("hours_this_year", "hours_last_year", "certificate")  # what `matrix` promises for everyone

_RANK = {NA: 0, CURRENT: 1, EXPIRING: 2, EXPIRED: 3, MISSING: 4}
_CERT = {CERT_EXPIRING: EXPIRING, REVIEW_DUE: EXPIRING, CERT_EXPIRED: EXPIRED, REVIEW_OVERDUE: EXPIRED}


@dataclass(frozen=True, slots=True)
class Cell:
    state: str
    value: str = ""

    def to_dict(self) -> dict:
        return {"state": self.state, "value": self.value}


NOT_APPLICABLE = Cell(NA)


class Requirements:
    """Who each requirement applies to, and where each person stands, on as_of.
    Whom the P and M rules judge comes from the rules themselves."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.newcomers = {p.id for p in ctx.newcomers}  # P001–P004, M001
        self.unmentored = {p.id for p in apprentices_without_mentor(ctx)} if ctx.in_group("mentorship") else set()
        self._hours: dict[tuple[str, int], Cell] = {}

    @staticmethod
    def of(ctx: Context) -> "Requirements":
        """The one Requirements of a check's Context (the matrix and status's years share its cells)."""
        return ctx.memo("requirements", lambda: Requirements(ctx))

    def cells(self, p: Person) -> dict[str, Cell]:
        """Every column's cell for one person."""
        year = self.ctx.as_of.year
        return {**self.pre_job(p), "hours_this_year": self.hours(p, year), "hours_last_year": self.hours(p, year - 1),
                "certificate": self.certificate(p), "mentorship": self.mentorship(p)}

    def pre_job(self, p: Person) -> dict[str, Cell]:
        ctx = self.ctx
        if p.id not in self.newcomers:
            return {k: NOT_APPLICABLE for k in ("pre_job", *LEVELS)}
        passed = passed_pre_job(ctx, p)
        hours, need = ctx.credited(p.id, end=p.on_post, types={"pre_job"}), ctx.value("pre_job_hours")
        cells = {"pre_job": Cell(CURRENT if passed and hours >= need else MISSING, f"{number_text(hours)}/{number_text(need)}")}
        for level in LEVELS:
            ends = [s.end.date() for s, _ in passed if s.level == level]
            cells[level] = (NOT_APPLICABLE if not ctx.in_group("three_level")
                            else Cell(CURRENT, min(ends).isoformat()) if ends else Cell(MISSING))
        return cells

    def hours(self, p: Person, year: int) -> Cell:
        """Y001/Y002 for `year`: a year they judge, or as_of's year while it can
        still be judged (rules.annual.not_judged); any other year is n.a."""
        got = self._hours.get((p.id, year))
        if got is None:
            got = self._hours[p.id, year] = self._year_hours(p, year)
        return got

    def _year_hours(self, p: Person, year: int) -> Cell:
        ctx = self.ctx
        why = not_judged(ctx, p, year)
        got, need = year_hours(ctx, p, year)
        if why not in (None, NOT_OVER):
            return Cell(NA, f"{number_text(got)}") if p.employed_on(min(date(year, 12, 31), ctx.as_of)) else NOT_APPLICABLE
        short = EXPIRING if why == NOT_OVER else MISSING
        return Cell(CURRENT if got >= need else short, f"{number_text(got)}/{number_text(need)}")

    def certificate(self, p: Person) -> Cell:
        ctx = self.ctx
        kinds = (["special_operation"] if "special_operator" in p.roles else []) + \
                (["manager"] if p.is_manager and ctx.in_group("key") else [])
        states = [st for st in ctx.certificates(p)
                  if st.state != SUPERSEDED]

        def cell(st) -> Cell:  # the date shown is what falls due next, as everywhere (Context.next_due);
            due = ctx.next_due(st).due  # none for a certificate that never expires (9999-12-31: 长期有效)
            return Cell(_CERT.get(st.state, CURRENT), "" if due == NO_EXPIRY else due.isoformat())

        if not kinds:  # none required: the certificates held, if any (a 健康证 expires too)
            held = [cell(st) for st in states]
            return worst(held) if held else NOT_APPLICABLE
        cells = []
        for kind in kinds:
            mine = [cell(st) for st in states if st.certificate.kind == kind]
            if not mine and kind == "manager":  # C005: assessed within the grace months after on_post
                due = add_months(p.on_post, int(ctx.value("manager_assessment_grace_months")))
                mine = [Cell(EXPIRING if due >= ctx.as_of else MISSING, due.isoformat())]
            cells.extend(mine or [Cell(MISSING)])
        cells += [cell(st) for st in states if st.certificate.kind not in kinds]  # the others held expire too
        return worst(cells)

    def mentorship(self, p: Person) -> Cell:
        if not self.ctx.in_group("mentorship") or p.id not in self.newcomers:
            return NOT_APPLICABLE
        if p.id in self.unmentored:
            return Cell(MISSING)
        m = self.ctx.archive.mentorships.get(p.id)  # None: a broken file, which A002 reports
        if m is None:
            return Cell(CURRENT)
        # a mentorship M002 or M004 finds wanting (an unqualified mentor, signed off too soon) is no
        # mentorship the requirement asks for
        state = MISSING if unqualified(self.ctx, m) else CURRENT
        if m.signed_off and m.signed_off <= self.ctx.as_of:
            short = m.signed_off < earliest_sign_off(self.ctx, m)[1]
            return Cell(MISSING if short else state, m.signed_off.isoformat())
        return Cell(state, f"{m.start.isoformat()}–")


def worst(cells: list[Cell]) -> Cell:
    """The cell that needs attention first: the worst state, then the soonest value."""
    rank = max(_RANK[c.state] for c in cells)
    return min((c for c in cells if _RANK[c.state] == rank), key=lambda c: c.value)


def matrix_document(result: Result, department: str | None = None, *, absent_ok: bool = False) -> dict | None:
    """The matrix of one archive: active people (of `department`), by department and id.
    A department nobody active is in is an error, or with `absent_ok` (a workspace, where
    other archives may have it) None."""
    ctx = result.view_context()
    active = [p for p in result.archive.people.values() if p.employed_on(ctx.as_of)]
    dept = {p.id: p.post_on(ctx.as_of).department for p in active}
    if department is not None and department not in dept.values():
        if absent_ok:
            return None
        known = "、".join(sorted(set(dept.values()))) or "—"
        raise SafetrainError(f"在岗人员中没有部门“{department}”（现有：{known}）",
                         f"no active person in department \"{department}\" (there are: {known.replace('、', ', ')})")
    people = sorted((p for p in active if department in (None, dept[p.id])), key=lambda p: (dept[p.id], p.id))
    rows, totals, requirements = [], {c: Counter() for c in COLUMNS}, Requirements.of(ctx)
    for p in people:
        cells = requirements.cells(p)
        for c in COLUMNS:
            totals[c][cells[c].state] += 1
        rows.append({"person": p.id, "name": p.name, "department": dept[p.id],
                     "cells": {c: cells[c].to_dict() for c in COLUMNS}})
    e = ctx.enterprise
    return {
        "archive": result.archive.name, "enterprise": e.name if e else "", "as_of": ctx.as_of.isoformat(),
        "department": department, "columns": list(COLUMNS),
        "people": rows,
        "totals": {c: {s: totals[c].get(s, 0) for s in STATES} for c in COLUMNS},
    }


# -- the terminal --------------------------------------------------------------
_LABELS = {
    "pre_job": ("岗前", "Pre-job"), "company": ("公司", "Co."), "workshop": ("车间", "Shop"),
    "team": ("班组", "Team"), "hours_this_year": ("{year}学时", "Hours {year}"),
    "hours_last_year": ("{last}学时", "Hours {last}"), "certificate": ("证书", "Certificate"),
    "mentorship": ("师带徒", "Mentor"),
    "id": ("工号", "ID"), "name": ("姓名", "Name"), "department": ("部门", "Department"),
    "title": ("{archive}{enterprise} · 人员×要求 · 截至 {as_of}",
              "{archive}{enterprise} · person × requirement · as of {as_of}"),
    "only": ("（{department}）", " ({department})"),
    "nobody": ("没有在岗人员。", "No active people."),
    "legend": ("值或 ✓ 已满足 · ! 即将到期或待完成 · ✗ 缺失或已过期 · — 不适用（学时为已计入的，该年度不考核）",
               "value or ✓ met · ! expiring or due · ✗ missing or expired · — not applicable "
               "(hours: credited, the year is not judged)"),
    "attention": ("缺失或已过期：", "Missing or expired: "), "soon": ("即将到期或待完成：", "Expiring or due: "),
    "people": ("共 {n} 人", "{n} people"),
}
_MARKS = {CURRENT: "", EXPIRING: "!", EXPIRED: "✗", MISSING: "✗"}
LEGEND = _LABELS["legend"]  # (zh, en): what the marks of cell_shown mean


_t = phrases(_LABELS)


def cell_shown(column: str, cell: dict) -> str:
    """A cell as every matrix prints it (the terminal, the HTML report): its value and mark (legend)."""
    state, value = cell["state"], cell["value"]
    if state == NA:
        return f"{value} —" if value else "—"
    if column in LEVELS:
        return "✓" if state == CURRENT else _MARKS[state]
    # met with no date to show (a certificate 长期有效, 9999-12-31): ✓, never a blank cell
    return " ".join(x for x in (value, _MARKS[state]) if x) or ("✓" if state == CURRENT else "")


def shown_columns(doc: dict) -> list[str]:
    """The columns a matrix prints: those that apply to somebody shown, and the ones promised for everyone."""
    return [c for c in doc["columns"] if c in ALWAYS_SHOWN or doc["totals"][c][NA] < len(doc["people"])]


def _cell_text(column: str, cell: dict):
    return text(cell_shown(column, cell), STATE_STYLES[cell["state"]])


def _column_label(column: str, doc: dict, lang: str) -> str:
    year = int(doc["as_of"][:4])
    return _t(column, lang, year=year, last=year - 1)


def _counts_line(doc: dict, states: tuple[str, ...], lead: str, lang: str) -> str | None:
    parts = [f"{_column_label(c, doc, lang)} {n}" for c in doc["columns"]
             if (n := sum(doc["totals"][c][s] for s in states))]
    return _t(lead, lang) + " · ".join(parts) if parts else None


def matrix_text(doc: dict, lang: str = "zh", *, width: int = 100, color: bool = False) -> str:
    """The matrix as a terminal table; columns that apply to nobody shown are left out."""
    title = _t("title", lang, archive=doc["archive"], enterprise=f" · {doc['enterprise']}" if doc["enterprise"] else "",
               as_of=doc["as_of"]) + (_t("only", lang, department=doc["department"]) if doc["department"] else "")
    if not doc["people"]:
        return to_text(text(title, "bold"), text(_t("nobody", lang)), width=width, color=color)
    shown = shown_columns(doc)
    t = table((_t("id", lang), {"no_wrap": True}), (_t("name", lang), {"no_wrap": True}), _t("department", lang),
              *[(_column_label(c, doc, lang), {"justify": "center" if c in LEVELS else "left", "no_wrap": True})
                for c in shown])
    for row in doc["people"]:
        t.add_row(row["person"], row["name"], row["department"], *[_cell_text(c, row["cells"][c]) for c in shown])
    notes = [_t("people", lang, n=len(doc["people"])), _counts_line(doc, (MISSING, EXPIRED), "attention", lang),
             _counts_line(doc, (EXPIRING,), "soon", lang)]
    return to_text(text(title, "bold"), t, *[text(n, "bold") for n in notes if n], text(_t("legend", lang), "dim"),
                  width=width, color=color)
