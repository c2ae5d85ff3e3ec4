"""Importing a session's attendance (签到表/成绩单) from a sheet.

Each row names a person by 工号, or by 姓名 when exactly one person has that
name, with a score (成绩), a result (结果: 合格/不合格…) and/or the 学时
credited. Rows go through records.attend, the same path as `safetrain attend`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..writing.edit import Editor
from ..writing.inputs import InputError, is_blank, parse_bool, parse_id, parse_number
from ..writing.records import attend
from .roster import ImportReport, row_error
from .sheets import read_sheet

ATTENDANCE_HEADERS: dict[str, tuple[str, ...]] = {
    "person": ("工号", "人员编号", "员工编号", "编号"),
    "name": ("姓名",),
    "score": ("成绩", "分数", "考核成绩"),
    "passed": ("结果", "考核结果", "是否合格"),
    "hours": ("学时", "计入学时"),
    "note": ("备注",),
}


def _result(value: Any) -> dict:
    """成绩 or 结果 cell -> {"score": n} or {"passed": bool}."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"score": parse_number(value)}
    try:
        return {"score": parse_number(value)}
    except InputError:
        pass
    try:
        return {"passed": parse_bool(value)}
    except InputError:
        raise InputError(f"应为分数或 合格/不合格：{value}", f"must be a score or 合格/不合格 (pass/fail): {value}") from None


def import_attendance(ed: Editor, sid: str, path: str | Path, update: bool = False,
                      sheet_name: str | None = None) -> ImportReport:
    """Add the attendees of session `sid` listed in the sheet at `path`."""
    sheet = read_sheet(path, ATTENDANCE_HEADERS, ("person", "name"), sheet_name)
    report = ImportReport(ignored=sheet.ignored)
    entries: list[dict] = []
    rows: list[int] = []
    first_row: dict[str, int] = {}
    for row, cells in sheet.rows:
        errors, pid, entry = _read_row(ed, sheet, row, cells)
        who = "person" if not is_blank(cells.get("person")) else "name"
        if pid is not None and pid in first_row:
            errors.insert(0, row_error(sheet, row, who, f"人员 {pid} 与第 {first_row[pid]} 行重复",
                                       f"person {pid} repeats row {first_row[pid]}"))
        elif pid is not None:
            first_row[pid] = row
        if errors:
            report.errors.extend(errors)
            continue
        entries.append({"person": pid, **entry})
        rows.append(row)
    result = attend(ed, sid, entries, update=update, strict=False)
    names = {pid: (data or {}).get("name", "") for pid, data in ed.index.people().items()}
    row_of = {e["person"]: r for e, r in zip(entries, rows)}
    for n, key, zh, en in result.failed:
        report.errors.append(row_error(sheet, rows[n], key, zh, en))
    report.created = [(row_of[p], p, names.get(p, "")) for p in result.added]
    report.updated = [(row_of[p], p, changes) for p, changes in result.updated]
    report.unchanged = [(row_of[p], p) for p in result.unchanged]
    report.skipped = [(row_of[p], p) for p in result.skipped]
    if result.added or result.updated:
        report.files.append(result.rel)
    report.errors.sort(key=lambda e: e.row)
    return report


def _read_row(ed: Editor, sheet, row: int, cells: dict) -> tuple[list, str | None, dict]:
    """(errors, person id, attendee fields) of one row."""
    errors = [row_error(sheet, row, key, *msg) for (r, key), msg in sheet.formula_errors.items() if r == row]
    pid, entry = None, {}
    try:
        pid = _person(ed, cells)
    except InputError as exc:
        errors.append(row_error(sheet, row, "person" if not is_blank(cells.get("person")) else "name", exc.zh, exc.en))
    for key in ("score", "passed", "hours", "note"):
        value = cells.get(key)
        if is_blank(value) or (row, key) in sheet.formula_errors:
            continue
        try:
            if key in ("score", "passed"):
                entry.update(_result(value))
            elif key == "hours":
                entry["hours"] = parse_number(value)
            else:
                entry["note"] = str(value).strip()
        except InputError as exc:
            errors.append(row_error(sheet, row, key, exc.zh, exc.en))
    return errors, pid, entry


def _person(ed: Editor, cells: dict) -> str:
    raw_id, name = cells.get("person"), cells.get("name")
    name = str(name).strip() if not is_blank(name) else None
    if not is_blank(raw_id):
        pid = parse_id(raw_id if not isinstance(raw_id, float) else int(raw_id))
        if not ed.index.has("person", pid):
            raise InputError(f"人员 {pid} 没有人员档案（people/{pid}.toml）", f"person {pid} has no person file (people/{pid}.toml)")
        if name is not None:
            actual = (ed.index.people().get(pid) or {}).get("name")
            if actual is not None and actual != name:
                raise InputError(f"工号 {pid} 的姓名是 {actual}，不是 {name}", f"person {pid} is {actual}, not {name}")
        return pid
    if name is None:
        raise InputError("缺少工号和姓名", "neither an id nor a name is given")
    found = ed.index.by_name(name)
    if not found:
        raise InputError(f"没有姓名为 {name} 的人员", f"nobody is named {name}")
    if len(found) > 1:
        raise InputError(f"姓名 {name} 对应 {len(found)} 人（{'、'.join(found)}），请填写工号",
                         f"{len(found)} people are named {name} ({', '.join(found)}); give the id")
    return found[0]
