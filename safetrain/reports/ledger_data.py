"""The ledger workbook's contents (台账): one table per sheet, as Python values
(str, int, float, date, datetime), from a checked archive. Pure: no openpyxl
here; reports/ledger.py writes them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator

from ..archive.reading.codes import (ASSESSMENT, CERTIFICATE_KIND, DRILL_SCALE, DRILL_TYPE, LEVEL, SCENARIO,
                                     SESSION_TYPE, TOPIC, label)
from ..archive.reading.gbcodes import mask_in_place
from ..dates import NO_EXPIRY
from ..findings import severity_label
from ..rules import RULES
from ..rules import certstatus as cs
from ..rules.context import held_by
from ..rules.planstatus import MISSED, OPEN, STATE_LABELS
from . import fmt
from .contexts import CERT_STATE, contract_of, plan_session, provider_of
from .facts import Facts

#: column kinds: how the writer formats a cell
TEXT, DATE, DATETIME, INT, NUMBER, PERCENT = "text", "date", "datetime", "int", "number", "percent"
#: row fills
RED, ORANGE = "red", "orange"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    printed: bool = True  # False: on screen only (文件, 行: where to look in the archive, not for the inspector)
    wrap: bool = False  # long free text: wrapped within the column's width


class Remade:
    """A sheet's rows made afresh each time they are gone through, never held: the writer goes
    through them three times (measuring, row heights, writing). For the findings sheet: a
    row per finding, 153,113 as of today at 100,000 people."""

    def __init__(self, make: Callable[[], Iterator[list[Any]]], count: int):
        self.make, self.count = make, count

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self.make())

    def __len__(self) -> int:
        return self.count

    def masked(self) -> "Remade":
        """These rows with anything shaped like a 身份证号 masked as each is made."""
        make = self.make

        def rows():
            for row in make():
                mask_in_place(row)
                yield row
        return Remade(rows, self.count)


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[Any]] | Remade = field(default_factory=list)
    fills: list[str | None] = field(default_factory=list)  # per row, when the sheet colours rows
    chart: str | None = None  # the chart's title, drawn from the sheet's columns


def C(header: str, kind: str = TEXT, printed: bool = True, wrap: bool = False) -> Column:  # noqa: N802
    return Column(header, kind, printed, wrap)


FILE = Column("文件", TEXT, printed=False)  # always the last columns, so the print area leaves them out


def sessions_sheet(f: Facts) -> Sheet:
    sheet = Sheet("培训台账", [C("编号", wrap=True), C("培训名称", wrap=True), C("类型", wrap=True), C("级别", wrap=True),
                            C("开始", DATETIME),
                            C("结束", DATETIME), C("学时", NUMBER), C("地点", wrap=True), C("授课人"),
                            C("培训机构", wrap=True), C("服务合同", wrap=True), C("考核方式"), C("参加人数", INT),
                            C("合格人数", INT), C("培训主题", wrap=True), FILE])
    # as of its date: the sessions held by then, as the register lists them ("nothing dated after it counts")
    for s in held_by(f.archive.sessions.values(), f.as_of):
        sheet.rows.append([
            s.id, s.title, label(SESSION_TYPE, s.type), label(LEVEL, s.level), s.start, s.end, s.hours,
            fmt.text(s.location), s.instructor, provider_of(s), contract_of(s), label(ASSESSMENT, s.assessment),
            *s.head_count(), fmt.labels(TOPIC, s.topics), s.file])
    return sheet


@dataclass
class Streamed:
    """A sheet whose rows are made as the writer writes them, never held: (row, fill) pairs
    from `rows`, to be gone through once. For a sheet of a row per person and year (200,000
    rows at 100,000 people); its columns do not wrap (a wrapped row's height needs every
    value measured before the rows are written)."""

    title: str
    columns: list[Column]
    rows: Iterator[tuple[list[Any], str | None]]
    chart: str | None = None


def hours_streamed(f: Facts) -> Streamed:
    """Each person's credited hours in each year shown (Facts.years_of), against the requirement;
    red where the Y rules find them short. Streamed: the rows are made as they are written."""
    def rows():
        for p in sorted(f.archive.people.values(), key=lambda p: p.id):
            for year in f.years_of(p):
                got, need, status = f.year_hours(p, year)
                post = p.post_on(min(date(year, 12, 31), f.as_of))
                yield [p.id, p.name, post.department, post.post, year, got, need, status], \
                    RED if status == "未达标" else None

    return Streamed("人员学时", [C("工号"), C("姓名"), C("部门（车间）"), C("岗位（工种）"), C("年度", INT),
                             C("计入学时", NUMBER), C("要求学时", NUMBER), C("结果")], rows())


def held(sheet: Sheet | Streamed) -> Sheet:
    """A sheet with its rows held (a Streamed one gone through)."""
    if isinstance(sheet, Sheet):
        return sheet
    out = Sheet(sheet.title, sheet.columns, chart=sheet.chart)
    for row, fill in sheet.rows:
        out.rows.append(row)
        out.fills.append(fill)
    return out


def hours_sheet(f: Facts) -> Sheet:
    return held(hours_streamed(f))


def certificates_sheet(f: Facts) -> Sheet:
    """Active people's certificates; the state is certstatus's, the one the C rules use."""
    sheet = Sheet("持证台账", [C("工号"), C("姓名"), C("部门（车间）", wrap=True), C("证书", wrap=True),
                            C("作业类别", wrap=True), C("证号"),
                            C("发证日期", DATE), C("有效期至", DATE), C("最近复审", DATE), C("到期/应复审日期", DATE),
                            C("事项"), C("剩余天数", INT), C("状态")])
    for p in sorted(f.archive.people.values(), key=lambda p: p.id):
        if not p.employed_on(f.as_of):
            continue
        states = f.ctx.certificates(p)
        for st in sorted(states, key=lambda st: (st.certificate.issued, st.certificate.index)):
            c = st.certificate
            due = f.ctx.next_due(st)  # a valid one's next review, if sooner
            reviews = f.reviews_by_then(c)
            sheet.rows.append([
                p.id, p.name, p.post_on(f.as_of).department, label(CERTIFICATE_KIND, c.kind), c.category,
                fmt.certificate_number(c.number, p.id_number, f.mask), c.issued, _expiry(c.expires),
                reviews[-1] if reviews else None, _expiry(due.due), "复审" if due.due_kind == "review" else "有效期",
                due.days_shown, CERT_STATE[st.state]])
            sheet.fills.append(RED if st.state in (cs.EXPIRED, cs.REVIEW_OVERDUE)
                               else ORANGE if st.state in (cs.EXPIRING, cs.REVIEW_DUE) else None)
    return sheet


def _expiry(day: date):
    """A date cell, or the words 长期有效 for a certificate without expiry (dates.NO_EXPIRY)."""
    return fmt.day(day) if day == NO_EXPIRY else day


def mentorships_sheet(f: Facts) -> Sheet:
    sheet = Sheet("师带徒台账", [C("徒弟工号"), C("徒弟姓名"), C("岗位", wrap=True), C("师傅工号"), C("师傅姓名"),
                             C("开始", DATE), C("计划结束", DATE), C("出师日期", DATE), C("实习天数", INT), C("状态")])
    # as of its date: the mentorships begun by then, as the other sheets and `render mentorship --all`
    for m in sorted((m for m in f.archive.mentorships.values() if m.start <= f.as_of), key=lambda m: (m.start, m.id)):
        until = min(m.runs_until(f.as_of), f.as_of)
        state = "已出师" if m.signed_off and m.signed_off <= f.as_of else \
            "期满未出师" if m.end and m.end < f.as_of else "带徒中"
        sheet.rows.append([m.apprentice, f.name_of(m.apprentice), m.post, m.mentor, f.name_of(m.mentor), m.start,
                           m.end, f.by_then(m.signed_off), max((until - m.start).days, 0), state])
    return sheet


def drills_sheet(f: Facts) -> Sheet:
    sheet = Sheet("应急演练台账", [C("编号", wrap=True), C("日期", DATE), C("演练名称", wrap=True), C("规模"),
                              C("类型", wrap=True), C("场景"), C("地点", wrap=True), C("参加人数", INT),
                              C("演练评估", wrap=True), FILE])
    for d in sorted((d for d in f.archive.drills.values() if d.date <= f.as_of), key=lambda d: (d.date, d.id)):
        sheet.rows.append([d.id, d.date, d.title, label(DRILL_SCALE, d.scale), label(DRILL_TYPE, d.type),
                           label(SCENARIO, d.scenario),
                           fmt.text(d.location), len(d.counted_participants()), fmt.text(d.evaluation), d.file])
    return sheet


def plans_sheet(f: Facts) -> Sheet:
    """Each year's plan against the sessions held: the rows of `summary.plan_summary`, the function
    `status` and the HTML report show (red: not held in a year that is over; orange: due, not yet held)."""
    from .summary import plan_summary

    sheet = Sheet("培训计划", [C("年度", INT), C("批准日期", DATE), C("序号", INT), C("培训项目", wrap=True),
                            C("类型", wrap=True), C("计划月份", INT), C("培训对象", wrap=True), C("计划学时", NUMBER),
                            C("实施情况"), C("实施培训", wrap=True), C("实施日期", DATE)])
    for key in sorted(f.archive.plans):
        plan = plan_summary(f.result, f.archive.plans[key].year)
        if plan["approved"] is None:  # approved after as_of
            continue
        approved = date.fromisoformat(plan["approved"])
        for r in plan["rows"]:
            sheet.rows.append([plan["year"], approved, r["n"], r["title"], label(SESSION_TYPE, r["type"]), r["month"],
                               fmt.text(r["audience"]), r["hours"], STATE_LABELS[r["state"]][0], plan_session(r) or None,
                               date.fromisoformat(r["held"]) if r["held"] else None])
            sheet.fills.append(RED if r["state"] == MISSED else ORANGE if r["state"] == OPEN else None)
    return sheet


def findings_sheet(f: Facts) -> Sheet:
    sheet = Sheet("问题清单", [C("代码"), C("问题", wrap=True), C("级别"), C("对象"), C("期间"), C("说明", wrap=True),
                            C("依据", wrap=True), FILE, C("行", INT, printed=False)])
    findings = f.result.findings

    def rows():  # remade for each pass of the writer (Remade): the findings hold the values already
        for x in findings:
            rule = RULES.get(x.code)
            yield [x.code, rule.title if rule else x.name, severity_label(x.severity), fmt.subject(x.subject),
                   x.period, x.message_zh, x.citation, x.file, x.line]

    sheet.rows = Remade(rows, len(findings))
    sheet.fills = [RED if x.severity == "error" else ORANGE if x.severity == "warning" else None for x in findings]
    return sheet


def coverage_sheet(f: Facts) -> Sheet:
    year = f.as_of.year
    sheet = Sheet("部门覆盖", [C("部门（车间）"), C("在岗人数", INT), C(f"{year}年参训人数", INT),
                            C(f"{year}年学时达标", INT), C(f"{year}年学时应达标", INT), C("参训率", PERCENT)],
                  chart=f"{year}年各部门培训覆盖")
    # 学时达标 of 学时应达标: the people whose year's hours are judged, as status counts them
    for dept, active, trained, judged, met in f.coverage_by_department():
        sheet.rows.append([dept, active, trained, met, judged, trained / active if active else None])
    return sheet


def _masking(make: Callable[[Facts], Sheet | Streamed]) -> Callable[[Facts], Sheet | Streamed]:
    """`make`, with anything shaped like a 身份证号 in its text cells masked where the archive masks
    (a session's content or a plan's audience may quote one; the person's own number is masked
    where it is printed), a 工号 too, and a file named by one, as the Word documents print them
    (an enterprise that numbers its people by their 身份证号)."""
    @functools.wraps(make)
    def made(f: Facts) -> Sheet | Streamed:
        sheet = make(f)
        if f.mask:
            if isinstance(sheet, Streamed):
                sheet.rows = _masked_rows(sheet.rows)
            elif isinstance(sheet.rows, Remade):
                sheet.rows = sheet.rows.masked()
            else:
                for row in sheet.rows:
                    mask_in_place(row)
        return sheet
    return made


def _masked_rows(rows: Iterator[tuple[list[Any], str | None]]) -> Iterator[tuple[list[Any], str | None]]:
    for row, fill in rows:
        mask_in_place(row)
        yield row, fill


#: the only sheet made from the check's findings: the others can be made before the rules ran
FROM_FINDINGS = (_masking(findings_sheet),)
#: the sheets in the workbook's order (the hours sheet streamed: ledger_sheets holds it)
SHEETS = tuple(_masking(s) for s in (sessions_sheet, hours_streamed, certificates_sheet, mentorships_sheet, drills_sheet,
                                     plans_sheet)) + FROM_FINDINGS + (_masking(coverage_sheet),)


def ledger_sheets(f: Facts) -> list[Sheet]:
    """Every sheet of the workbook, its rows held."""
    return [held(sheet(f)) for sheet in SHEETS]


__all__ = ["Sheet", "Streamed", "Remade", "Column", "held", "ledger_sheets", "SHEETS", "FROM_FINDINGS"]
