"""Importing a session's attendance (签到表/成绩单) from a sheet, and its blank template.

Each row names a person by 工号, or by 姓名 when exactly one person has that
name, with a score (成绩, 考试成绩, 分数, 得分: `85` or `85分`), a result
(结果: 合格/不合格, 补考合格 ...) and/or the 学时 credited. `缺考` (absent)
means the person did not attend: the row is reported and not written. A row
with neither a score nor a result, for a session that assesses, is reported
too, never written without one. Rows go through records.attend, the same path
as `safetrain attend`; people are only ever listed, never created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..writing.edit import Editor
from ..writing.inputs import InputError, is_blank, name_text, parse_bool, parse_id, parse_number
from ..writing.records import ATTENDEE_LABELS, MAX_SCORE, assessed, attend, no_person_file, pass_mark_of, score_too_high
from .roster import EXAMPLE_ID, ROSTER_HEADERS, ImportReport, name_key, row_error
from .sheets import narrow, read_sheet
from ...numbers import score_text

ATTENDANCE_HEADERS: dict[str, tuple[str, ...]] = {
    "person": ROSTER_HEADERS["id"],  # a person is found as the roster names them
    "name": ROSTER_HEADERS["name"],
    # (the first of each: the word a change to it is said by, records.ATTENDEE_LABELS)
    "score": (ATTENDEE_LABELS["score"][0], "考试成绩", "考核成绩", "分数", "得分", "考试分数"),
    "passed": (ATTENDEE_LABELS["passed"][0], "考核结果", "考试结果", "是否合格", "考核情况"),
    "hours": (ATTENDEE_LABELS["hours"][0], "计入学时"),
    "note": (ATTENDEE_LABELS["note"][0],),
    # read only for a word of absence written where the signature or the check-in mark would be
    # (请假 in 签字, × in 签到); a sheet may have both
    "signed": ("签字", "签名", "本人签名", "本人签字", "学员签名", "学员签字"),
    "checked_in": ("签到", "签到情况", "出勤", "出勤情况", "到课情况", "考勤"),
}
#: expected columns that no field reads
KNOWN_EXTRA = ("序号", "签到时间", *(h for key in ("department", "team", "post", "id_number") for h in ROSTER_HEADERS[key]))
#: the words a sign-in or score sheet says "did not attend" with, in 成绩, 结果, 签字, or 备注 without
#: a score or result: anywhere in the cell (病假半天, 请假（病）, 因病请假) ...
ABSENT = ("缺考", "缺席", "缺勤", "缺课", "旷考", "旷工", "旷课", "未参加", "未参训", "未参考", "未签到", "未到场", "未出席",
          "没来", "没到", "请假", "病假", "事假", "公假", "婚假", "产假", "丧假", "年假", "休假", "探亲假", "调休", "出差",
          "absent")
#: ... or as the whole cell (未到 inside a note may be 证书未到期); in 签字/签到, a cross or a no
ABSENT_ALONE = frozenset({"未到", "缺"})
NOT_SIGNED = frozenset({"×", "✗", "✘", "╳", "x", "否", "无", "未签", "未签字", "未签名", "未签到", "没签", "没签字", "未到"})
_ABSENT = re.compile("|".join(ABSENT))
#: why a row blank in a signature column others signed is an absence (zh, en)
UNSIGNED = ("签字栏空白", "no signature where others signed")


def _bare(value: Any) -> str:
    return "".join(str(value).split()).lower() if value is not None else ""


def is_absent(value: Any, signature: bool = False, anywhere: bool = True) -> bool:
    """Whether a cell says the person did not attend (spaces aside: 请 假). `anywhere`: the word may
    stand anywhere in it (a note: 因病请假, 病假半天); else it begins the cell (a result: 请假（病）,
    where 合格（请假后补考） is a result). `signature`: a 签字 or 签到 cell, where ×, 否 and 未签字 say it too
    (a tick or a name is a signature)."""
    if not isinstance(value, str):
        return False
    text = _bare(value)
    if not text:
        return False
    if text in ABSENT_ALONE or (signature and text in NOT_SIGNED):
        return True
    found = _ABSENT.search(text)
    return found is not None and (anywhere or found.start() == 0)


def only_absence(value: Any) -> bool:
    """Whether a cell says nothing but absence (缺考, 旷考: not 请假半天，已补课)."""
    text = _bare(value)
    return text in ABSENT_ALONE or any(text == word for word in ABSENT)
#: results that pass after a retake, kept as the attendee's note
_RETAKE = re.compile(r"^\s*补考\s*(合格|通过)\s*$")
#: results given as a grade: a pass (the grade kept as the attendee's note), or a fail
_GRADES = {"优秀": True, "良好": True, "中等": True, "及格": True, "不及格": False}
_SCORE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*分?\s*$")
_HOURS = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*学时$")


class Absent(InputError):
    """The sheet says the person did not attend (缺考)."""


@dataclass(frozen=True)
class Absence:
    """A row saying the person did not attend: the column and the words."""

    key: str
    word: str


_NOTED = re.compile(r"^([^（(]+)[（(](.*)[)）]$")  # 合格（请假后补考）: a result with a word in brackets


def _result(value: Any, key: str = "score") -> dict:
    """成绩 or 结果 cell -> {"score": n} or {"passed": bool} (+ a note for a retake or a grade). In the
    结果 column (`key` passed) a number is yes or no (1/0 of a 是否合格 column), never a score."""
    if key == "passed" and isinstance(value, str) and \
            (digit := narrow(value).strip()) in ("0", "1", "0.0", "1.0"):  # 1/0 as text (a .csv, １)
        value = int(float(digit))
    if key == "passed" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if value in (0, 1):
            return {"passed": bool(value)}
        raise InputError(f"结果栏应为 合格/不合格（或 1/0），不是分数 {score_text(value)}：分数请填在成绩栏",
                         f"the result column takes 合格/不合格 (or 1/0), not the score {score_text(value)}: put scores in the "
                         "score column")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"score": parse_number(value)}
    text = str(value).strip()
    if is_absent(text, anywhere=False):
        raise Absent(f"{text}：未参加培训，未登记", f"{text} (absent): did not attend; not listed")
    if key == "passed" and _SCORE.match(text):
        raise InputError(f"结果栏应为 合格/不合格，不是分数 {text}：分数请填在成绩栏",
                         f"the result column takes 合格/不合格, not the score {text}: put scores in the score column")
    if (m := _NOTED.match(text)) and not _NOTED.match(m.group(1)):
        try:
            inner = _result(m.group(1).strip(), key)
        except InputError:
            inner = None
        if inner is not None:
            return {**inner, "note": text}
    if m := _SCORE.match(text):
        return {"score": parse_number(m.group(1))}
    if _RETAKE.match(text):
        return {"passed": True, "note": text}
    if text in _GRADES:
        return {"passed": _GRADES[text], **({"note": text} if _GRADES[text] else {})}
    try:
        return {"passed": parse_bool(text)}
    except InputError:
        raise InputError(f"应为分数（如 85 或 85分）、合格/不合格、优秀/良好/及格/不及格、补考合格 或 缺考：{text}",
                         f"must be a score (85 or 85分), 合格/不合格 (pass/fail), a grade (优秀, 良好, 及格, 不及格), "
                         f"补考合格 (passed a retake) or 缺考 (absent): {text}") from None


def import_attendance(ed: Editor, sid: str, path: str | Path, update: bool = False,
                      sheet_name: str | None = None) -> ImportReport:
    """Add the attendees of session `sid` listed in the sheet at `path`."""
    sheet = read_sheet(path, ATTENDANCE_HEADERS, ("person", "name"), sheet_name, known=KNOWN_EXTRA, as_shown=("person",),
                       pictured=("signed", "checked_in"))  # a signature pasted in as a picture is one
    report = ImportReport.of(sheet)
    _, _, data = ed.read("session", sid)
    is_assessed = assessed(data)
    pass_mark = pass_mark_of(ed, data)  # a session without its own takes the archive's
    kept = {a.get("person"): a for a in (data or {}).get("attendees", []) if isinstance(a, dict)}
    listed = set(kept)
    entries: list[dict] = []
    rows: list[int] = []
    first_row: dict[str, int] = {}
    # a signature column signed in some rows: a row left blank there, with nothing else saying the
    # person was there, did not attend (a column blank in every row was never filled in: no sign)
    marked = [k for k in ("signed", "checked_in")  # signed: a mark that is no word of absence (请假 is none)
              if any(not is_blank(c.get(k)) and not is_absent(c.get(k), signature=True, anywhere=False)
                     for r, c in sheet.rows if str(c.get("person") or "").strip() != EXAMPLE_ID)]
    for row, cells in sheet.rows:
        if str(cells.get("person") or "").strip() == EXAMPLE_ID:
            continue
        errors, pid, entry = _read_row(ed, sheet, row, cells, marked)
        who = "person" if not is_blank(cells.get("person")) else "name"
        if pid is not None and pid in first_row:  # present in one row and absent in another is a repeat too
            errors.insert(0, row_error(sheet, row, who, f"人员 {pid} 与第 {first_row[pid]} 行重复",
                                       f"person {pid} repeats row {first_row[pid]}"))
        elif pid is not None:
            first_row[pid] = row
        if isinstance(entry, Absence) and not errors and pid in listed:  # the sheet and the record disagree: say so
            why = (entry.word, entry.word) if entry.word else UNSIGNED
            report.errors.append(row_error(
                sheet, row, entry.key, f"{pid} 在表中为未参加（{why[0]}），但本期培训已登记此人：未改动；"
                                       "如确未参加，请从 attendees 中删除此人",
                f"{pid} did not attend by the sheet ({why[1]}) but is listed in the session: left as it is; if "
                "they did not attend, remove them from its attendees"))
            continue
        if isinstance(entry, Absence) and not errors:
            report.absent.append((row, pid))
            if not entry.word:
                report.unsigned.add(row)
            continue
        if isinstance(entry, Absence):
            entry = {}
        if not errors and is_assessed and "score" not in entry and "passed" not in entry:
            errors.append(row_error(sheet, row, next((k for k in ("score", "passed") if k in sheet.columns), None),
                                    "没有成绩或结果（本期培训有考核）；填写后再导入，本行未登记",
                                    "no score or result (the session is assessed); fill it in and import again; "
                                    "this row was not listed"))
        if entry:
            errors += _implausible(sheet, row, entry, cells, pass_mark)
        retake = any(_RETAKE.match(str(cells.get(k) or "").strip()) for k in ("passed", "score"))
        if not errors and update and pid in kept and entry.get("passed") is True and "score" not in entry and not retake:
            score = kept[pid].get("score")  # 合格 over a failing score on file (kept by --update): a pass it is not
            if isinstance(score, (int, float)) and not isinstance(score, bool) and score < pass_mark:
                errors.append(row_error(sheet, row, "passed", f"档案中成绩 {score_text(score)} 低于合格线 {score_text(pass_mark)}，表中却为合格："
                                                              "请核对（补考合格请写“补考合格”并填写补考成绩），本行未更新",
                                        f"the score on file, {score_text(score)}, is under the pass mark {score_text(pass_mark)}, but the "
                                        "sheet says passed: check it (a passed retake: write 补考合格 and its score); "
                                        "this row was not updated"))
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
    entry_of = {e["person"]: e for e in entries}
    report.written = {row_of[p]: {k: v for k, v in entry_of[p].items() if k != "person"} for p in result.added}
    report.updated = [(row_of[p], p, changes) for p, changes in result.updated]
    report.unchanged = [(row_of[p], p) for p in result.unchanged]
    report.skipped = [(row_of[p], p) for p in result.skipped]
    if result.added or result.updated:
        report.files.append(result.rel)
    report.errors.sort(key=lambda e: e.row)
    return report


def _implausible(sheet, row: int, entry: dict, cells: dict, pass_mark: float) -> list:
    """What a row says that cannot be so, and is never written as it stands: a score above
    MAX_SCORE, 合格 beside a score under the pass mark (a retake says 补考合格), or 不合格
    beside a score at or above it (ARCHIVE-FORMAT: `score >= pass_mark` is a pass whatever
    `passed` says, so the row would be written as the opposite of what it says)."""
    score = entry.get("score")
    if score is None:
        return []
    if score_too_high(score, pass_mark):  # as `attend` refuses it
        return [row_error(sheet, row, "score", f"成绩 {score_text(score)} 超过 {MAX_SCORE} 分：请核对（是否多打了一位？），本行未登记",
                          f"score {score_text(score)} is above {MAX_SCORE}: check it (a digit too many?); this row was not listed")]
    retake = any(_RETAKE.match(str(cells.get(k) or "").strip()) for k in ("passed", "score"))
    if entry.get("passed") is True and not retake and score < pass_mark:
        return [row_error(sheet, row, "passed", f"成绩 {score_text(score)} 低于合格线 {score_text(pass_mark)}，结果却为合格：请核对"
                                                "（补考合格请写“补考合格”），本行未登记",
                          f"score {score_text(score)} is under the pass mark {score_text(pass_mark)} but the result says passed: check "
                          "it (a passed retake is 补考合格); this row was not listed")]
    if entry.get("passed") is False and score >= pass_mark:
        return [row_error(sheet, row, "passed", f"成绩 {score_text(score)} 达到合格线 {score_text(pass_mark)}，结果却为不合格：请核对，本行未登记"
                                                "（按档案格式，成绩达到合格线即为合格）",
                          f"score {score_text(score)} reaches the pass mark {score_text(pass_mark)} but the result says failed: check it; "
                          "this row was not listed (in the archive format a score at the pass mark is a pass)")]
    return []


def _read_row(ed: Editor, sheet, row: int, cells: dict, marked: list[str] = ()) -> tuple[list, str | None, "dict | Absence"]:
    """(errors, person id, attendee fields) of one row; an Absence where the row says the person
    did not attend, or (its word "") where it is blank in a column of `marked` (signed in other
    rows) and nothing else says the person was there."""
    errors = [row_error(sheet, row, key, *msg) for (r, key), msg in sheet.formula_errors.items() if r == row]
    pid, entry = None, {}
    try:
        pid = _person(ed, cells)
    except InputError as exc:
        errors.append(row_error(sheet, row, "person" if not is_blank(cells.get("person")) else "name", exc.zh, exc.en))
    results: dict[str, dict | None] = {}  # 成绩 and 结果 as read; None: the cell says absent
    for key in ("score", "passed"):
        value = cells.get(key)
        if is_blank(value) or (row, key) in sheet.formula_errors:
            continue
        try:
            results[key] = _result(value, key)
        except Absent:
            results[key] = None
        except InputError as exc:
            errors.append(row_error(sheet, row, key, exc.zh, exc.en))
    given = [k for k, v in results.items() if v is not None]
    said_absent = [(k, cells.get(k)) for k, v in results.items() if v is None]
    signatures = [k for k in ("signed", "checked_in") if not is_blank(cells.get(k))]
    for key in signatures:  # 请假 or × where the signature or the check-in mark would be
        if is_absent(cells.get(key), signature=True, anywhere=False):
            said_absent.append((key, cells.get(key)))
    signed = [k for k in signatures if not is_absent(cells.get(k), signature=True, anywhere=False)]
    hours_given = not is_blank(cells.get("hours"))
    note = cells.get("note")
    if not is_blank(note) and only_absence(note):  # 备注 缺考 alone: an absence, whatever else the row says
        said_absent.append(("note", note))
    # what says the person was there: a result, a signature, 学时 credited
    evidence = [(k, "成绩" if k == "score" else "考核结果", "a score" if k == "score" else "a result") for k in given] + \
        [(k, "签字", "a signature") for k in signed] + ([("hours", "学时", "training hours credited")] if hours_given else [])
    if said_absent and evidence:  # one cell says absent, another that they were there: not ours to choose
        where, word = said_absent[0]
        _, zh, en = evidence[0]
        errors.append(row_error(sheet, row, where, f"“{str(word).strip()}”表示未参加，但本行有{zh}：请核对，本行未登记",
                                f"\"{str(word).strip()}\" says the person did not attend, but the row has {en}: check "
                                "it; this row was not listed"))
        return errors, pid, {}
    if said_absent:
        where, word = said_absent[0]
        return errors, pid, Absence(where, str(word).strip())
    unsigned = [k for k in marked if is_blank(cells.get(k))]
    if unsigned and not evidence:
        return errors, pid, Absence(unsigned[0], "")
    verdicts = {k: results[k]["passed"] for k in given if "passed" in results[k]}
    if len(set(verdicts.values())) > 1:  # 不及格 in 成绩, 合格 in 结果: never written as either
        errors.append(row_error(sheet, row, "passed", f"成绩栏“{str(cells.get('score')).strip()}”与结果栏“"
                                                      f"{str(cells.get('passed')).strip()}”不一致：请核对，本行未登记",
                                f"the score cell \"{str(cells.get('score')).strip()}\" and the result cell "
                                f"\"{str(cells.get('passed')).strip()}\" disagree: check it; this row was not listed"))
        return errors, pid, {}
    for key in given:
        result = dict(results[key])
        if "note" in result and (not is_blank(cells.get("note")) or "note" in entry):
            result.pop("note")
        entry.update(result)
    if not is_blank(note) and (row, "note") not in sheet.formula_errors:
        if is_absent(note) and not evidence:  # 因病请假 in 备注, nothing saying they were there: absent
            return errors, pid, Absence("note", str(note).strip())
        entry["note"] = str(note).strip()
    hours = cells.get("hours")
    if not is_blank(hours) and (row, "hours") not in sheet.formula_errors:
        try:  # 3 or 3学时, as a score may be 85分
            m = _HOURS.match(str(hours).strip()) if isinstance(hours, str) else None
            entry["hours"] = parse_number(m.group(1) if m else hours)
        except InputError as exc:
            errors.append(row_error(sheet, row, "hours", exc.zh, exc.en))
    return errors, pid, entry


def _person(ed: Editor, cells: dict) -> str:
    raw_id, name = cells.get("person"), cells.get("name")
    name = name_text(str(name)) if not is_blank(name) else None
    if not is_blank(raw_id):
        pid = parse_id(narrow(raw_id))
        if not ed.index.has("person", pid):
            raise InputError(*no_person_file(pid, ed.index))
        if name is not None:
            actual = (ed.index.people().get(pid) or {}).get("name")
            if actual is not None and name_key(actual) != name_key(name):
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


# -- the blank sign-in and score sheet ---------------------------------------------------

TEMPLATE_HEADERS = ("序号", "工号", "姓名", "部门", "成绩", "结果", "学时", "备注", "本人签名")
TEMPLATE_ROWS = 500
TEMPLATE_TITLE = "签到及成绩表模板"  # its title property: how `--template` knows a template it wrote before


def template(title: str | None = None) -> bytes:
    """A blank attendance sheet (.xlsx bytes): a title row, the headers this importer reads, an
    example row (工号 示例, never imported), text format for 工号, a drop-down list of results."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.creator = book.properties.lastModifiedBy = "safetrain"
    book.properties.title = TEMPLATE_TITLE
    ws = book.active
    ws.title = "签到表"
    ws.append([title or "培训签到及考核登记表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_HEADERS))
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    ws.append(list(TEMPLATE_HEADERS))
    for cell in ws[2]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    ws.append([1, EXAMPLE_ID, "张三", "综采一队", "85分", "", "", "示例行：工号为“示例”的行导入时忽略，可删除", ""])
    for cell in ws[3]:
        cell.font = Font(italic=True, color="808080")
    for r in range(3, TEMPLATE_ROWS + 3):
        ws.cell(r, 2).number_format = "@"
    dv = DataValidation(type="list", formula1='"合格,不合格,补考合格,缺考"', allow_blank=True)
    dv.promptTitle, dv.prompt = "结果", "有分数时可不填；缺考的人员不会登记"
    ws.add_data_validation(dv)
    dv.add(f"F3:F{TEMPLATE_ROWS + 2}")
    for letter, width in zip("ABCDEFGHI", (6, 12, 10, 14, 8, 10, 6, 24, 14)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
