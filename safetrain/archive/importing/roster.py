"""Importing people from a roster sheet (花名册), and the blank roster template.

Every row is checked like a person file (the spec, the ID number, the dates,
text no longer than a person file should hold); a bad row is reported with
its row number and column and not written, good rows are written. An
existing person is never silently overwritten: without `update` the row is
reported as skipped; with it, only the fields that differ are changed, and
listed.

A roster without 工号 (many have only 序号) takes its ids from another column
(`id_from="序号"`) or has them made (`id_prefix="E"`: E0001, E0002, ...
after the highest the archive already has); a row whose 身份证号, or else
whose name, matches a person already in the archive keeps that person's id,
so importing the same roster twice never makes anyone twice.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ...errors import Interrupted, SafetrainError
from ..writing.edit import EditError, Editor, SetKey
from ..writing.inputs import InputError, coerce, id_number_text, name_key, name_text, narrow, parse_id
from .sheets import EXPONENT, Column, Sheet, read_sheet
from ..reading.gbcodes import id_number_problem, mask_id_number
from ..reading.spec import PERSON
from ..reading.validate import Problem, validate_table

#: field key -> headers accepted (the first is the one the template writes)
ROSTER_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("工号", "人员编号", "员工编号", "编号", "职工号", "员工号", "职工编号", "工作证号", "员工工号", "职工工号"),
    "name": ("姓名", "员工姓名", "职工姓名", "人员姓名"),
    "id_number": ("身份证号", "身份证号码", "居民身份证号", "居民身份证号码", "公民身份号码", "身份证件号码", "证件号码", "证件号",
                  "身份证", "居民身份证"),
    "department": ("部门", "车间", "车间/部门", "所在部门", "部门名称", "所属部门", "科室", "所在车间", "所在科室"),
    "team": ("班组", "所在班组", "所属班组", "班组名称"),
    "post": ("岗位", "工种", "岗位/工种", "岗位名称", "工作岗位", "所在岗位"),
    "employment": ("用工形式", "用工性质", "用工类型", "用工方式"),
    "hired": ("入职日期", "入职时间", "入厂日期", "入厂时间", "入司日期", "入司时间", "进厂日期", "进厂时间"),
    "on_post": ("上岗日期", "上岗时间", "到岗日期", "到岗时间"),
    "left": ("离职日期", "离职时间"),
    "roles": ("人员类别",),
    "skill_level": ("技能等级",),
    "post_since": ("本岗位起始日期", "本岗位起始时间", "本岗位/工种起始日期"),
    "note": ("备注",),
}
#: a column saying whether someone still works there (在职/离职): no field of a person file (the day
#: they left is), read so that a leaver without a 离职日期 is never written as someone at work
STATUS_HEADERS = ("在职状态", "人员状态", "在岗状态", "员工状态", "在职情况", "状态")
#: what such a column says of someone at work (read first: 未离职, 退休返聘 are at work) ...
_AT_WORK = re.compile("在职|在岗|未离职|返聘|正常|试用|实习|在册|active", re.I)
#: ... and of a leaver, anywhere in the cell (已辞职, 离职（2024.1）, 退休人员, 终止劳动合同)
_LEAVER = re.compile("离职|辞职|辞工|自离|辞退|劝退|开除|除名|解聘|解除|终止|退休|调离|离岗|离厂|离司|退工|合同到期|死亡|去世"
                     "|resigned|left|retired|terminated", re.I)
#: headers of columns that are no field but are expected on a roster (not reported as ignored)
KNOWN_EXTRA = ("序号", "性别", "出生日期", "年龄", "学历", "联系电话", "手机号", "手机号码", "民族", "籍贯", "家庭住址")
#: the longest text a cell may give a field (a longer one is a pasted paragraph, not a name)
TEXT_LIMITS = {"name": 50, "note": 1000}
TEXT_LIMIT = 100
EXAMPLE_ID = "示例"  # the template's example row carries this in 工号 and is never imported
_KEY_PREFIX = re.compile(r"^`[^`]*`[:：]?\s*")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # "身份证号（C列）" style label, or "" for the whole row
    column_en: str
    zh: str
    en: str


@dataclass
class ImportReport:
    created: list[tuple[int, str, str]] = field(default_factory=list)  # (row, id, name)
    updated: list[tuple[int, str, list[tuple[str, Any, Any]]]] = field(default_factory=list)  # (row, id, [(key, old, new)])
    unchanged: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # existing people without --update
    errors: list[RowError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows: int | None = None  # data rows read from the sheet (the template's example row not counted)
    generated: list[tuple[int, str, str]] = field(default_factory=list)  # (row, id made, name) with id_prefix
    by_name: set[int] = field(default_factory=set)  # rows taken for a person of the archive by their name alone
    written: dict[int, dict] = field(default_factory=dict)  # row -> what a new record holds (a dry run shows it)
    doubtful: list[RowError] = field(default_factory=list)  # written, but worth a look (a valid ID ending in 000)
    absent: list[tuple[int, str | None]] = field(default_factory=list)  # attendance: 缺考 rows, not listed
    unsigned: set[int] = field(default_factory=set)  # attendance: absent rows whose only sign is a blank signature
    hidden: list[str] = field(default_factory=list)  # hidden sheets not read
    hidden_rows: list[int] = field(default_factory=list)  # hidden (filtered out) rows not read
    footer: list[int] = field(default_factory=list)  # footer rows left out
    sheet: str = ""
    other_sheets: list[str] = field(default_factory=list)  # the workbook's other visible sheets of records, not read
    visible_sheets: int = 1  # the workbook's visible sheets (the one read among them)
    sheet_chosen: bool = False  # the sheet was named (--sheet)
    #: a required field without a column in the sheet -> the rows of new people it left out (said once)
    lacking: dict[str, list[int]] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) about the whole sheet

    @classmethod
    def of(cls, sheet: Sheet, **more: Any) -> "ImportReport":
        """The report of an import of `sheet`: what the reading of the sheet says, before any row."""
        return cls(ignored=sheet.ignored, hidden=sheet.hidden, hidden_rows=sheet.hidden_rows, footer=sheet.footer,
                   sheet=sheet.name, notes=list(sheet.notes), other_sheets=sheet.others, sheet_chosen=sheet.chosen,
                   visible_sheets=sheet.visible,
                   **more)

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.lacking)

    @property
    def failed_rows(self) -> int:
        return len({e.row for e in self.errors} | {r for rows in self.lacking.values() for r in rows})


def _label(sheet: Sheet, key: str) -> tuple[str, str]:
    col: Column | None = sheet.columns.get(key)
    if col is None:  # no such column (the 工号 --id-prefix makes): the field's name, English in English
        field = PERSON.fields.get(key)
        return ROSTER_HEADERS.get(key, (key,))[0], field.en if field is not None else key
    return f"{col.header}（{col.letter}列）", f"{col.header} (column {col.letter})"


def row_error(sheet: Sheet, row: int, key: str | None, zh: str, en: str) -> RowError:
    if key is None:
        return RowError(row, "", "", zh, en)
    cz, ce = _label(sheet, key)
    return RowError(row, cz, ce, zh, en)


def _problem_error(sheet: Sheet, row: int, p: Problem) -> RowError:
    key = p.key[0] if p.key and isinstance(p.key[0], str) else None
    zh, en = _KEY_PREFIX.sub("", p.zh), _KEY_PREFIX.sub("", p.en)
    return row_error(sheet, row, key if key in ROSTER_HEADERS else None, zh, en)


def _cell_value(key: str, value: Any) -> Any:
    """A cell as the person field's value (InputError when it cannot be one)."""
    if isinstance(value, str) and PERSON.fields[key].kind == "str":
        limit = TEXT_LIMITS.get(key, TEXT_LIMIT)
        if len(value.strip()) > limit:
            raise InputError(f"内容过长（{len(value.strip())} 字，最多 {limit} 字）",
                             f"too long ({len(value.strip())} characters, at most {limit})")
    if PERSON.fields[key].kind in ("date", "dates", "id", "ids"):
        value = narrow(value)
    if key == "id_number" and isinstance(value, str) and EXPONENT.fullmatch(narrow(value)):
        value = math.inf  # 6.40104E+17, a number Excel wrote into a CSV: its digits are gone, as a number cell's
    if key == "id_number":
        value = id_number_text(value)
    elif key == "name":
        value = name_text(value)
    if key == "id_number" and isinstance(value, str):
        if len(value) == 18 and value.isdigit() and value.endswith("000") and id_number_problem(value):
            # the look of a number Excel cut to 15 digits, and not a valid one: say why (a valid one is
            # written, with a word: import_roster's `doubtful`)
            raise InputError("身份证号末三位为 000：Excel 把身份证号当作数字时只保留前 15 位，后 3 位变成 0；"
                             "请核对原始记录，把该列设为“文本”后重新填写",
                             "the ID number ends in 000: Excel keeps 15 digits of a number and turns the last three "
                             "into 0; check the original, format the column as text and type it again")
    return coerce(PERSON.fields[key], value)


def roster_headers(id_from: str | None = None) -> dict[str, tuple[str, ...]]:
    """The headers read: the usual ones, or with `id_from` that column as the 工号."""
    if id_from is None:
        return {**ROSTER_HEADERS, "status": STATUS_HEADERS}
    from .sheets import normalise_header

    taken = normalise_header(id_from)
    headers = {k: tuple(h for h in names if normalise_header(h) != taken)
               for k, names in {**ROSTER_HEADERS, "status": STATUS_HEADERS}.items() if k != "id"}
    return {"id": (id_from,), **headers}


def import_roster(ed: Editor, path: str | Path, update: bool = False, sheet_name: str | None = None,
                  id_from: str | None = None, id_prefix: str | None = None) -> ImportReport:
    """Create (or with `update`, change) people from the roster at `path`."""
    if id_from and id_prefix:
        raise SafetrainError("--id-from 与 --id-prefix 只能给一个", "give --id-from or --id-prefix, not both")
    if id_prefix:  # a prefix no id can begin with is said once, before any row
        try:
            parse_id(f"{id_prefix}0001")
        except InputError as exc:
            raise SafetrainError(f"--id-prefix {id_prefix}：用它编出的工号 {exc.zh}",
                                 f"--id-prefix {id_prefix}: the ids it makes: {exc.en}") from None
    sheet = read_sheet(path, roster_headers(id_from), ("id", "name"), sheet_name, known=KNOWN_EXTRA, as_shown=("id",))
    if id_from and "id" not in sheet.columns:
        raise SafetrainError(f"{path}：表头中没有“{id_from}”列（--id-from）", f"{path}: no \"{id_from}\" column (--id-from)")
    if "id" not in sheet.columns and not id_prefix:
        raise SafetrainError(
            f"{path}：花名册没有工号列。用 --id-from 序号 以序号作工号，或用 --id-prefix E 自动编号（E0001、E0002…，导入前列出）",
            f"{path}: the roster has no 工号 (id) column. Use --id-from 序号 to take the ids from a column, or "
            "--id-prefix E to number people E0001, E0002, ... (listed before anything is written)")
    report = ImportReport.of(sheet, rows=0)
    made = _IdMaker(ed, id_prefix) if id_prefix and "id" not in sheet.columns else None
    if id_prefix and made is None:
        col = sheet.columns["id"]
        report.notes.append((f"花名册有工号列（{col.header}，{col.letter}列），--id-prefix 未使用",
                             f"the roster has an id column ({col.header}, column {col.letter}); --id-prefix is not used"))
    first_row: dict[str, int] = {}
    try:
        _rows(ed, sheet, report, made, first_row, update)
    except KeyboardInterrupt:
        raise _interrupted(ed, report) from None
    _account(report)
    return report


def _interrupted(ed: Editor, report: ImportReport) -> Interrupted:
    """What a roster import interrupted half-way had written: each person file is whole (written
    atomically), the rows after it were not imported; running it again finishes the job."""
    made, changed = len(report.created), len(report.updated)
    if ed.dry_run or not (made or changed):
        return Interrupted("未写入任何文件", "nothing was written")
    rows = [r for r, _, _ in report.created + report.updated]
    return Interrupted(f"中断前已新建 {made} 人、更新 {changed} 人的档案（表中第 {min(rows)}–{max(rows)} 行之间），"
                       f"每个文件都完整；其余行未导入，再次运行同一导入即可补齐（已建档的人员会被跳过）",
                       f"{made} person files were created and {changed} updated before it (rows {min(rows)}–"
                       f"{max(rows)} of the sheet), each file whole; the rest were not imported: run the same "
                       f"import again to finish (people already on file are skipped)")


def _rows(ed: Editor, sheet: Sheet, report: ImportReport, made, first_row: dict[str, int], update: bool) -> None:
    for row, cells in sheet.rows:
        raw_id = cells.get("id")
        if isinstance(raw_id, str) and raw_id.strip() == EXAMPLE_ID:
            continue
        report.rows += 1
        if made is not None:
            cells["id"] = made.id_for(row, cells, report)
        status: dict[int, tuple[str, str]] = {}
        errors, pid, values = _read_row(sheet, row, cells, made_ids=made is not None, said_status=status)
        if pid is not None and not errors and isinstance(raw_id, (int, float)) and not ed.index.has("person", pid):
            padded = sorted(i for i in ed.index.ids("person") if i != pid and i.isdigit() and i.lstrip("0") == pid)
            if padded:  # Excel took the 工号 for a number and dropped its leading zeros
                errors.append(row_error(sheet, row, "id", f"工号在表中是数字 {pid}，档案中有 {padded[0]}：Excel 可能去掉了"
                                                         "前导零；请把工号列设为“文本”后重新填写",
                                        f"the id is the number {pid} in the sheet and the archive has {padded[0]}: "
                                        "Excel may have dropped its leading zeros; format the column as text and "
                                        "type it again"))
        if pid is not None:
            if pid in first_row:
                errors.insert(0, _repeated(sheet, row, first_row[pid], pid, cells, made is not None and "id" not in
                                           sheet.columns, row in report.by_name, first_row[pid] in report.by_name))
            else:
                first_row[pid] = row
        if errors:
            report.errors.extend(errors + _record_problems(sheet, row, values, errors))
            continue
        failed = len(report.errors)
        if ed.index.has("person", pid) and not update:
            data = ed.index.people().get(pid)
            refusal = _someone_else(sheet, pid, data, values, update=False) if isinstance(data, dict) else None
            if refusal is not None:
                report.errors.append(row_error(sheet, row, *refusal))
                continue
        if ed.index.has("person", pid):
            _update_row(ed, sheet, row, pid, values, update, report, status.get(row, ("", ""))[0] == "at_work")
        else:
            _create_row(ed, sheet, row, pid, values, report)
        if status.get(row, ("", ""))[0] == "unclear" and len(report.errors) == failed:
            said = status[row][1]
            report.doubtful.append(row_error(sheet, row, "status", f"“{said}”看不出是否在职：已按在职导入（没有离职日期），请核对",
                                             f"\"{said}\" says neither at work nor left: imported as at work (no "
                                             "date left); check it"))
        number = values.get("id_number")
        if isinstance(number, str) and number.endswith("000") and len(number) == 18 and len(report.errors) == failed:
            # valid, yet as Excel cuts a number: a word with the row written (a row refused says why already)
            report.doubtful.append(row_error(sheet, row, "id_number", "末三位为 000，号码校验通过；如表格经 Excel 转存过，请核对",
                                             "ends in 000 and passes its check; if the sheet went through Excel, "
                                             "check it against the original"))


def _repeated(sheet: Sheet, row: int, first: int, pid: str, cells: dict, made: bool, by_name: bool,
              first_by_name: bool = False) -> RowError:
    """A row whose id is the id of an earlier row. With ids made (--id-prefix) the sheet has no 工号: the
    row was taken for the person of the earlier row by its 身份证号 (the same number twice, or the
    number on file of the person the earlier row, without one, was taken for by the name:
    `first_by_name`) or, without one, by its name alone (two namesakes nothing tells apart)."""
    if made and by_name:
        name = name_key(cells.get("name"))
        return row_error(sheet, row, "name", f"没有身份证号，只凭姓名认定为第 {first} 行的同一人（{pid}）：表中有不止一个{name}，"
                                             "无法区分；请填写身份证号（或给花名册加上工号列），本行未导入",
                         f"no ID number, so taken by the name alone for the person of row {first} ({pid}): more "
                         f"than one row names {name} and nothing tells them apart; give the ID number (or add an id "
                         "column to the roster); this row was not imported")
    if made and first_by_name:
        return row_error(sheet, row, "id_number", f"是档案中 {pid} 的身份证号，而第 {first} 行（没有身份证号）已只凭姓名认定为 {pid}："
                                                  "同一人列了两次？请核对两行，本行未导入",
                         f"the ID number of {pid} on file, and row {first} (without an ID number) was already taken "
                         f"for {pid} by the name alone: listed twice? check both rows; this row was not imported")
    if made:
        return row_error(sheet, row, "id_number", f"与第 {first} 行相同（同一人 {pid}）：同一人列了两次？本行未导入",
                         f"the same as row {first}'s (one person, {pid}): listed twice? this row was not imported")
    return row_error(sheet, row, "id", f"工号 {pid} 与第 {first} 行重复", f"id {pid} repeats row {first}")


def _record_problems(sheet: Sheet, row: int, values: dict, errors: list[RowError]) -> list[RowError]:
    """Of a row refused for its cells, what its record would be refused for too (a line break
    or a control character in a value the cells gave), so that one reading shows every error."""
    said = {e.column for e in errors}
    out = []
    for p in validate_table(values, PERSON):
        key = p.key[0] if p.key and isinstance(p.key[0], str) else None
        if key in values and _label(sheet, key)[0] not in said:
            said.add(_label(sheet, key)[0])
            out.append(_problem_error(sheet, row, p))
    return out


def _account(report: ImportReport) -> None:
    """Every row read has one outcome: a row dropped without a word is a bug, never a success."""
    rows = ([r for r, _, _ in report.created] + [r for r, _, _ in report.updated] + [r for r, _ in report.skipped]
            + [r for r, _ in report.unchanged]
            + sorted({e.row for e in report.errors} | {r for rows in report.lacking.values() for r in rows}))
    if len(rows) != report.rows or len(set(rows)) != len(rows):
        raise RuntimeError(f"roster import: {report.rows} rows read, {len(rows)} outcomes")


class _IdMaker:
    """Ids for a roster without 工号: the person already in the archive with the row's
    身份证号 (or, for a row without one, its name, when exactly one person has it), else
    the next free `prefix` + four digits: a row whose 身份证号 nobody holds is someone new,
    even when an archived person has the same name."""

    def __init__(self, ed: Editor, prefix: str):
        self.ed, self.prefix = ed, prefix
        numbers = [int(m.group(1)) for pid in ed.index.ids("person")
                   if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", pid))]
        self.next = max(numbers, default=0) + 1

    def id_for(self, row: int, cells: dict, report: ImportReport) -> str | None:
        name = cells.get("name")
        try:
            number = id_number_text(cells.get("id_number"))
        except InputError:  # refused with the row's other cells, as _read_row reads them
            number = None
        has_number = isinstance(number, str) and bool(number)
        if has_number:
            held = sorted(self.ed.index.holders(number))
            if held:
                return held[0]
        if not has_number and isinstance(name, str) and name.strip():  # a number nobody holds: someone new
            same = self.ed.index.by_name(name)
            if len(same) == 1:
                report.by_name.add(row)  # said with the row's outcome, and never a reason to change a record
                return same[0]
        if name is None or (isinstance(name, str) and not name.strip()):
            return None
        while self.ed.index.has("person", pid := f"{self.prefix}{self.next:04d}"):
            self.next += 1
        self.next += 1
        report.generated.append((row, pid, str(name).strip()))
        return pid


def _read_row(sheet: Sheet, row: int, cells: dict, made_ids: bool = False,
              said_status: dict[int, tuple[str, str]] | None = None) -> tuple[list[RowError], str | None, dict]:
    """The row's id, values and errors. `made_ids`: the ids are made from the names
    (--id-prefix), so a row without one lacks its name, not a 工号 the sheet has no column for.
    `said_status` gets the row's 状态 cell when it says at work ("at_work", text) or neither ("unclear", text)."""
    errors: list[RowError] = []
    pid = None
    values: dict[str, Any] = {}
    status = cells.pop("status", None)
    for key, value in cells.items():
        formula = sheet.formula_errors.get((row, key))
        if formula:
            errors.append(row_error(sheet, row, key, *formula))
            continue
        try:
            if key == "id":
                pid = parse_id(narrow(value)) if value is not None else None
            else:
                typed = _cell_value(key, value)
                if typed is not None:
                    values[key] = typed
        except InputError as exc:
            errors.append(row_error(sheet, row, key, exc.zh, exc.en))
    said = "".join(str(status).split()) if status is not None else ""
    left_said = any(e.column.startswith(_label(sheet, "left")[0]) for e in errors)
    at_work = bool(said) and _AT_WORK.search(said) is not None
    if said and not at_work and _LEAVER.search(said) and "left" not in values and not left_said:
        errors.append(row_error(sheet, row, "status", f"{said}，但没有离职日期：填写离职日期后再导入（否则会作为在职人员建档）",
                                f"{said} (left), but no 离职日期 (date left): give it and import again (else the person "
                                "would be filed as working here)"))
    elif at_work and "left" in values:
        errors.append(row_error(sheet, row, "status", f"{said}，却有离职日期 {values['left']}：请核对，本行未导入",
                                f"{said} (at work), yet a 离职日期 (date left) {values['left']} is given: check it; this "
                                "row was not imported"))
    elif said_status is not None and at_work:
        said_status[row] = ("at_work", said)  # a person who left on file is not made at work by it
    elif said and not at_work and "left" not in values and not left_said and said_status is not None:
        said_status[row] = ("unclear", said)  # neither word: written as at work (no day of leaving), and said
    if pid is None and made_ids:
        if not any(e.column.startswith(_label(sheet, "name")[0]) for e in errors):
            name = PERSON.fields["name"]
            errors.insert(0, row_error(sheet, row, "name", f"缺少{name.zh}", f"{name.en} is missing"))
    elif pid is None and not any(e.column.startswith(_label(sheet, "id")[0]) for e in errors):
        errors.insert(0, row_error(sheet, row, "id", "缺少工号", "the id is missing"))
    return errors, pid, values


def _create_row(ed: Editor, sheet: Sheet, row: int, pid: str, values: dict, report: ImportReport) -> None:
    missing = [k for k in PERSON.required if k not in values]
    if missing:
        for key in missing:
            if key not in sheet.columns:  # no such column: said once for the sheet, not on every row
                report.lacking.setdefault(key, []).append(row)
            else:
                report.errors.append(row_error(sheet, row, key, f"缺少{PERSON.fields[key].zh}",
                                               f"{PERSON.fields[key].en} is missing"))
        return
    try:
        rel = ed.create("person", pid, values)
    except EditError as exc:
        _edit_failed(sheet, row, exc, report)
        return
    report.created.append((row, pid, values["name"]))
    report.written[row] = values
    report.files.append(rel)


def _update_row(ed: Editor, sheet: Sheet, row: int, pid: str, values: dict, update: bool, report: ImportReport,
                at_work: bool = False) -> None:
    if not update:
        report.skipped.append((row, pid))
        return
    if row in report.by_name:  # a namesake may be a new hire: a name alone never overwrites a record
        report.errors.append(row_error(
            sheet, row, "name", f"只凭姓名认定为已有人员 {pid}（表中没有工号和身份证号），不更新：同名者可能是另一个人；"
                                f"请填写身份证号，或对 {pid} 单独修改",
            f"taken for {pid} by the name alone (the row has no id and no ID number), not updated: a namesake may be "
            f"someone else; give the ID number, or change {pid} on its own"))
        return
    try:
        _, _, data = ed.read("person", pid)
        refusal = _history_kept(ed, sheet, pid, data, values)
        left = data.get("left")
        if refusal is None and at_work and isinstance(left, date) and left <= ed.today and "left" not in values:
            refusal = ("status", f"表中为在职，档案中 {pid} 已于 {data['left']} 离职，未更新：如确已重新入职，请核对后"
                                 f"直接编辑 people/{pid}.toml（重新入职须重新进行岗前培训）",
                       f"at work in the sheet, but {pid} left on {data['left']} on file, not updated: if the person "
                       f"was hired again, check it and edit people/{pid}.toml itself (a new hire needs pre-job "
                       "training again)")
        if refusal is not None:
            report.errors.append(row_error(sheet, row, refusal[0], *refusal[1:]))
            return
        changes = [(k, data.get(k), v) for k, v in values.items() if data.get(k) != v]
        if not changes:
            report.unchanged.append((row, pid))
            return
        change = ed.modify("person", pid, [SetKey((), k, v) for k, _, v in changes])
    except EditError as exc:
        _edit_failed(sheet, row, exc, report)
        return
    report.updated.append((row, pid, changes))
    report.files.append(change.rel)
    moved = [k for k, _, _ in changes if k in _POST_KEYS]
    if moved:  # the hiring post itself (no transfer on file): a correction, or a transfer without its day
        report.doubtful.append(row_error(
            sheet, row, moved[0], "作为更正写入人员档案的岗位信息；如是调岗，请改用 safetrain person transfer "
                                  "（记录调岗日期，P005 要求调岗培训）",
            "written as a correction of the person's post; for a transfer use safetrain person transfer "
            "instead (it records the day, and P005 asks for transfer training)"))


#: what a person file holds of the post: the hiring post at the top, later posts in `changes`
_POST_KEYS = ("department", "post", "team")


def _history_kept(ed: Editor, sheet: Sheet, pid: str, data: dict, values: dict) -> tuple[str, str, str] | None:
    """A roster lists people as they are now, without the day anything changed. For a person
    with `changes` on file its department, post and team are compared with the post today (the
    latest entry): the same, nothing is written (the hiring post stays as it was); another, the
    row is refused (a transfer has a day: `person transfer`; a correction is an edit), so a
    history is never rewritten as if the new post had been held since the hiring. A new name
    for a 工号 is taken only with the ID number the archive holds for it.
    (key, zh, en) of the refusal, or None; `values` loses the post keys already so."""
    from ..writing.people import person_of

    named = [k for k in _POST_KEYS if k in values]
    if named and data.get("changes"):  # without changes the file's post is today's: a difference is written (and said)
        _, person = person_of(ed, pid)  # the post today, as the loader builds it
        now = person.post_on(ed.today)
        # a team unknown since a change of department (a change holds no team) is nothing to compare
        differ = [k for k in named if values[k] != getattr(now, k) and not (k == "team" and now.team is None)]
        if differ:
            was = " ".join(x for x in (now.department, now.team, now.post) if x)
            given = " ".join(str(values.get(k, getattr(now, k)) or "") for k in ("department", "team", "post")).split()
            also_zh = "、".join(PERSON.fields[k].zh for k in differ[1:])
            also_en = ", ".join(PERSON.fields[k].en for k in differ[1:])
            also = (f"（{also_zh}也不同）", f" ({also_en} too)") if differ[1:] else ("", "")
            return (differ[0], f"与档案中的现岗位（{was}）不同{also[0]}，未更新：调岗请用 safetrain person transfer {pid} --date 日期"
                               f"（花名册没有调岗日期）；如是更正，请直接编辑 people/{pid}.toml",
                    f"differs from the post on file ({was}){also[1]}, not updated: record a transfer with safetrain person "
                    f"transfer {pid} --date DATE (a roster has no day of change); correct a mistake in people/{pid}.toml"
                    f" itself (given: {' '.join(given)})")
        for k in named:
            del values[k]
    name = values.get("name")
    if name is not None and name_key(name) == name_key(data.get("name")):  # 欧阳 丽, 王\u200b五 on file: the sheet's
        del values["name"]
        name = None
    return _someone_else(sheet, pid, data, values, update=True)


def _someone_else(sheet: Sheet, pid: str, data: dict, values: dict, update: bool) -> tuple[str, str, str] | None:
    """A row whose 工号 is a person on file with another name (and not the ID number on file to
    show it is the same person renamed) or, without `update`, another ID number: the 工号 may
    have been given to someone else (a 序号 of another month, a reused 工号), so the row is
    refused, never taken for that person. (key, zh, en) of the refusal, or None. With `update`
    a new ID number beside the name on file is a correction, written and listed."""
    name, number = values.get("name"), values.get("id_number")
    on_file, number_on_file = data.get("name"), data.get("id_number")
    renamed = name is not None and name_key(name) != name_key(on_file) and not (number and number == number_on_file)
    renumbered = not update and bool(number) and isinstance(number_on_file, str) and number != number_on_file
    if not (renamed or renumbered):
        return None
    file_zh = f"{on_file}（身份证号 {mask_id_number(number_on_file)}）" if number_on_file else f"{on_file}"
    file_en = f"{on_file} (ID number {mask_id_number(number_on_file)})" if number_on_file else f"{on_file}"
    said = [(key, value if key == "name" else mask_id_number(value))
            for key, value in (("name", name), ("id_number", number)) if value]
    sheet_zh = "、".join(f"{_label(sheet, key)[0]}为 {value}" for key, value in said)
    sheet_en = " and ".join(f"{_label(sheet, key)[1]} says {value}" for key, value in said)
    if renamed:
        advice = ("如确为此人改名，请在表中填写其档案中的身份证号，再用 --update 导入",
                  "if the person changed their name, give the ID number on file in the sheet and import with --update")
    else:
        advice = ("如档案中的身份证号有误，核对后用 --update 更正", "if the ID number on file is wrong, check it and "
                  "correct it with --update")
    return ("id", f"工号 {pid} 在档案中是 {file_zh}，表中{sheet_zh}：不是同一人，本行未导入；如此工号已另给他人，"
                  f"请换一个工号；{advice[0]}",
            f"id {pid} is {file_en} on file, but the sheet's {sheet_en}: not the same person; this row was not "
            f"imported; if the id was given to someone else, give them another; {advice[1]}")


def _edit_failed(sheet: Sheet, row: int, exc: EditError, report: ImportReport) -> None:
    if exc.problems:
        report.errors.extend(_problem_error(sheet, row, p) for p in exc.problems)
    else:
        report.errors.append(row_error(sheet, row, None, exc.zh, exc.en))


# -- the blank roster ----------------------------------------------------------------------

TEMPLATE_ROWS = 2000  # rows that get the drop-down lists and text formats
TEMPLATE_TITLE = "花名册模板"  # its title property: how `--template` knows a template it wrote before


def template() -> bytes:
    """A blank roster (.xlsx bytes): headers (required ones marked *), an example row, drop-down
    lists for the coded columns, text format for 工号 and 身份证号, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.creator = book.properties.lastModifiedBy = "safetrain"
    book.properties.title = TEMPLATE_TITLE
    ws = book.active
    ws.title = "花名册"
    keys = list(ROSTER_HEADERS)
    required = {"id", *PERSON.required}
    for c, key in enumerate(keys, 1):
        cell = ws.cell(1, c, ROSTER_HEADERS[key][0] + ("*" if key in required else ""))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[cell.column_letter].width = 16 if key not in ("id_number", "note") else 22
    example = {
        "id": EXAMPLE_ID, "name": "张三", "id_number": "11010519491231002X", "department": "综采一队", "team": "一班",
        "post": "采煤机司机", "employment": "正式工", "hired": date(2023, 7, 3), "on_post": date(2023, 7, 20),
        "roles": "特种作业人员", "skill_level": "中级工", "post_since": date(2015, 3, 1),
        "note": "示例行：工号为“示例”的行导入时忽略，可删除",
    }
    grey = Font(italic=True, color="808080")
    for c, key in enumerate(keys, 1):
        cell = ws.cell(2, c, example.get(key))
        cell.font = grey
    for c, key in enumerate(keys, 1):
        letter = ws.cell(1, c).column_letter
        fld = PERSON.fields.get(key)
        if key in ("id", "id_number"):
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(r, c).number_format = "@"
        elif fld is not None and fld.kind == "date":
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(r, c).number_format = "yyyy-mm-dd"
        if fld is not None and fld.codes:
            labels = ",".join(zh for zh, _ in fld.codes.values())
            dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
            if fld.kind == "codes":  # several may be given, separated by 、
                dv.showErrorMessage = False
            dv.promptTitle = ROSTER_HEADERS[key][0]
            dv.prompt = "从列表中选择" + ("；多个用、分隔" if fld.kind == "codes" else "")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.freeze_panes = "A2"
    _explain(book.create_sheet("说明"), keys, required)
    import io

    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _explain(ws, keys: list[str], required: set[str]) -> None:
    from openpyxl.styles import Font

    from ..writing.inputs import choices

    ws.append(["列", "字段", "说明", "必填", "可选值"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for key in keys:
        fld = PERSON.fields.get(key)
        text = fld.zh if fld else "人员编号（文件名），字母或数字开头，仅含字母、数字、. _ -"
        if fld is not None and fld.kind == "date":
            text += "；日期格式，或写成 2023-07-01、2023/7/1、2023年7月1日"
        values = choices(fld.codes) if fld is not None and fld.codes else ""
        ws.append(["、".join(ROSTER_HEADERS[key]), key, text, "是" if key in required else "", values])
    for letter, width in zip("ABCDE", (24, 14, 60, 6, 80)):
        ws.column_dimensions[letter].width = width
