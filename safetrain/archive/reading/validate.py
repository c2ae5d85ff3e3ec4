"""Check a parsed TOML table against its spec; every problem is one A002.

Problems are collected, never raised: the user sees all of them at once.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Iterator

from ...controls import CONTROL, LINE_CONTROL, TEXT_CONTROL, code_point, first_control, shown
from ...dates import EARLIEST, LATEST, NO_EXPIRY, in_range
from .codes import code_for
from .fields import FieldSpec, TableSpec
from .spec import ATTACHMENT, ID_PATTERN

#: a recorded SHA-256: 64 hexadecimal digits, either case (the JSON Schemas say the same)
SHA256_PATTERN = r"^[0-9a-fA-F]{64}$"

KeyPath = tuple  # of str | int
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True, slots=True)
class Problem:
    key: KeyPath
    zh: str
    en: str


def dotted(key: KeyPath) -> str:
    """('attendees', 2, 'score') -> 'attendees[2].score' (control characters escaped)."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + shown(part)
    return out


def is_id(value: Any) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None  # "E1\n" is no id ($ before a last \n)


_TYPE_NAMES = {
    str: ("字符串", "a string"),
    bool: ("布尔值", "a boolean"),
    int: ("整数", "an integer"),
    float: ("小数", "a float"),
    date: ("日期", "a date"),
    datetime: ("日期时间", "a date-time"),
    time: ("时间", "a time"),
    list: ("数组", "an array"),
    dict: ("表", "a table"),
}

_EXPECTED = {
    "str": ("字符串", "a string"),
    "path": ("字符串（档案内路径）", "a string (a path inside the archive)"),
    "id": ("编号字符串", "an id string"),
    "int": ("整数", "an integer"),
    "number": ("数字", "a number"),
    "bool": ("true 或 false", "true or false"),
    "date": ("日期（如 2023-07-15，不加引号）", "a date (like 2023-07-15, without quotes)"),
    "datetime": ("本地日期时间（如 2023-07-15T08:30:00，不加引号）", "a local date-time (like 2023-07-15T08:30:00, without quotes)"),
    "code": ("代码字符串", "a code string"),
    "codes": ("代码数组", "an array of codes"),
    "strings": ("字符串数组", "an array of strings"),
    "ids": ("编号数组", "an array of ids"),
    "dates": ("日期数组", "an array of dates"),
    "table": ("表", "a table"),
    "tables": ("表的数组", "an array of tables"),
    "attachments": ("路径数组", "an array of paths"),
    "waivers": ("豁免数组", "an array of waivers"),
}


def _type_name(value: Any) -> tuple[str, str]:
    for typ in (bool, datetime, date, time, str, int, float, list, dict):
        if isinstance(value, typ):
            return _TYPE_NAMES[typ]
    return ("未知类型", "an unknown type")


def _wrong_type(key: KeyPath, kind: str, value: Any) -> Problem:
    ez, ee = _EXPECTED[kind]
    gz, ge = _type_name(value)
    name = dotted(key)
    if kind in ("date", "datetime") and isinstance(value, str):
        hint_zh, hint_en = "（日期不要加引号）", " (write dates without quotes)"
    else:
        hint_zh = hint_en = ""
    return Problem(key, f"`{name}` 应为{ez}，实际为{gz}{hint_zh}", f"`{name}` must be {ee}, not {ge}{hint_en}")


def _bad_code(key: KeyPath, value: str, field: FieldSpec) -> Problem:
    assert field.codes is not None
    meant = code_for(field.codes, value)
    if meant is not None:  # a label (正式工) where its code (formal) belongs
        name = dotted(key)
        return Problem(key, f"`{name}` 的值 \"{value}\" 是名称，文件中应写代码：{name} = \"{meant}\"",
                       f"`{name}` = \"{value}\" is a label; the file takes its code: {name} = \"{meant}\"")
    value = shown(value)
    choices = "、".join(f"{c} {zh}" for c, (zh, _) in field.codes.items())
    choices_en = ", ".join(field.codes)
    name = dotted(key)
    return Problem(
        key,
        f"`{name}` 的值 \"{value}\" 不是有效代码；可选：{choices}",
        f"`{name}` = \"{value}\" is not a known code; one of: {choices_en}",
    )


def _finite_at_least(v: Any, f: FieldSpec) -> bool:
    low, high = f.minimum, f.maximum
    return ((low is None or v > low or (v == low and not f.exclusive_minimum)) and (high is None or v <= high)
            and v == v and v not in _INFINITE)


_INFINITE = (float("inf"), float("-inf"))

#: The common, valid case of a simple field, decided without building anything;
#: `_check` runs (and explains) only when this says no.
_FIRST_YEAR, _LAST_YEAR = EARLIEST.year, LATEST.year  # dates.in_range, inline in the hot tests below
_CONTROL = CONTROL.search
_LINE_CONTROL = LINE_CONTROL.search
_TEXT_CONTROL = TEXT_CONTROL.search

_VALID = {
    "str": lambda v, f: type(v) is str and not ((_LINE_CONTROL(v) or (f.required and not v.strip())) if f.one_line
                                                else _TEXT_CONTROL(v)),
    "path": lambda v, f: type(v) is str and not _LINE_CONTROL(v.replace("\0", "")),  # a NUL is A008 (leaves_archive)
    "id": lambda v, f: type(v) is str and _ID.fullmatch(v) is not None,
    "code": lambda v, f: type(v) is str and v in f.codes,
    "int": lambda v, f: type(v) is int and _finite_at_least(v, f),
    "number": lambda v, f: (type(v) is int or type(v) is float) and _finite_at_least(v, f),
    "bool": lambda v, f: type(v) is bool,
    "date": lambda v, f: type(v) is date and _FIRST_YEAR <= v.year <= _LAST_YEAR,
    "datetime": lambda v, f: type(v) is datetime and v.tzinfo is None and _FIRST_YEAR <= v.year <= _LAST_YEAR,
}


def validate_table(raw: dict, spec: TableSpec, key: KeyPath = ()) -> list[Problem]:
    problems: list[Problem] = []
    fields = spec.fields
    for name, value in raw.items():
        field = fields.get(name)
        if field is None:
            if not (isinstance(name, str) and name.startswith("x_")) and not spec.open:
                problems.append(_unknown_key(key + (name,), name, fields))
            continue
        valid = _VALID.get(field.kind)
        if valid is not None and valid(value, field):
            continue
        if field.kind == "tables" and type(value) is list:
            for i, item in enumerate(value):
                if type(item) is dict:
                    problems.extend(validate_table(item, field.table, key + (name, i)))
                else:
                    problems.append(_wrong_type(key + (name, i), "table", item))
            continue
        problems.extend(_check(key + (name,), value, field))
    for name in spec.required:
        if name not in raw:
            path = dotted(key + (name,))
            problems.append(Problem(key + (name,), f"缺少必填键 `{path}`", f"required key `{path}` is missing"))
    return problems


def _unknown_key(key: KeyPath, name: str, fields) -> Problem:
    path = dotted(key)
    close = difflib.get_close_matches(name, list(fields), n=1)
    if close:
        return Problem(
            key,
            f"未知的键 `{path}`：是否应为 `{close[0]}`？（自定义键请以 x_ 开头）",
            f"unknown key `{path}`: did you mean `{close[0]}`? (custom keys start with x_)",
        )
    return Problem(key, f"未知的键 `{path}`（自定义键请以 x_ 开头）", f"unknown key `{path}` (custom keys start with x_)")


def _check(key: KeyPath, value: Any, field: FieldSpec) -> Iterator[Problem]:
    kind = field.kind
    if kind in ("str", "path"):
        if not isinstance(value, str):
            yield _wrong_type(key, kind, value)
            return
        text = value.replace("\0", "") if kind == "path" else value  # a NUL in a path is A008's: leaves_archive
        if first_control(text):
            yield _control(key, first_control(text))
        elif (kind == "path" or field.one_line) and _LINE_CONTROL(text):  # a file's name is one line too
            yield _line_break(key, _LINE_CONTROL(text).group(0))
        elif _TEXT_CONTROL(text):  # a title, a note, an enterprise's name: no bidi control either
            yield _line_break(key, _TEXT_CONTROL(text).group(0))
        elif kind == "str" and field.one_line and field.required and not value.strip():  # a name of nobody
            yield Problem(key, f"`{dotted(key)}` 为空", f"`{dotted(key)}` is empty")
    elif kind == "id":
        if not isinstance(value, str):
            yield _wrong_type(key, kind, value)
        elif not is_id(value):
            yield _malformed_id(key, value)
    elif kind == "code":
        if not isinstance(value, str):
            yield _wrong_type(key, kind, value)
        elif value not in field.codes:
            yield _bad_code(key, value, field)
    elif kind in ("int", "number"):
        yield from _check_number(key, value, field)
    elif kind == "bool":
        if not isinstance(value, bool):
            yield _wrong_type(key, kind, value)
    elif kind == "date":
        if not isinstance(value, date) or isinstance(value, datetime):
            yield _wrong_type(key, kind, value)
        elif not in_range(value) and not (field.open_end and value == NO_EXPIRY):
            yield _out_of_range(key, value, field)
    elif kind == "datetime":
        if not isinstance(value, datetime):
            yield _wrong_type(key, kind, value)
        elif value.tzinfo is not None:
            name = dotted(key)
            yield Problem(key, f"`{name}` 应为本地日期时间，不带时区", f"`{name}` must be a local date-time, without an offset")
        elif not in_range(value):
            yield _out_of_range(key, value, field)
    elif kind in ("codes", "strings", "ids", "dates"):
        yield from _check_list(key, value, field)
    elif kind == "table":
        if not isinstance(value, dict):
            yield _wrong_type(key, kind, value)
        else:
            yield from validate_table(value, field.table, key)
    elif kind in ("tables", "waivers"):
        if not isinstance(value, list):
            yield _wrong_type(key, kind, value)
            return
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                yield _wrong_type(key + (i,), "table", item)
            else:
                yield from validate_table(item, field.table, key + (i,))
    elif kind == "attachments":
        yield from _check_attachments(key, value)
    else:  # pragma: no cover - a spec error, not a user error
        raise ValueError(f"unknown field kind {kind}")


def _control(key: KeyPath, ch: str) -> Problem:
    name = dotted(key)
    return Problem(key, f"`{name}` 含有控制字符 {code_point(ch)}（多为从 Word 粘贴带入），请删除",
                   f"`{name}` holds the control character {code_point(ch)} (often pasted from Word): remove it")


def _line_break(key: KeyPath, ch: str) -> Problem:
    name = dotted(key)
    if ch in "\n\r\x85\u2028\u2029":
        return Problem(key, f"`{name}` 含有换行（姓名、部门、岗位等是一行文字；多行说明写在 note 中）",
                       f"`{name}` holds a line break (a name, a department or a post is one line; longer words go "
                       "in a note)")
    return Problem(key, f"`{name}` 含有不可见的文字方向控制字符 {code_point(ch)}（会让文字显示得与实际不同），请删除",
                   f"`{name}` holds the invisible direction control {code_point(ch)} (it makes the text read "
                   "otherwise than written): remove it")


def _out_of_range(key: KeyPath, value: date, field: FieldSpec) -> Problem:
    """A date outside EARLIEST..LATEST: a typing slip (0001-01-01), never a real record."""
    name, shown_value = dotted(key), value.isoformat()
    hint_zh = f"；长期有效的证书写 {NO_EXPIRY.isoformat()}" if field.open_end else ""
    hint_en = f"; write {NO_EXPIRY.isoformat()} for a certificate without expiry" if field.open_end else ""
    return Problem(key, f"`{name}` = {shown_value} 不在 {EARLIEST.year}–{LATEST.year} 年之间{hint_zh}",
                   f"`{name}` = {shown_value} is not between {EARLIEST.year} and {LATEST.year}{hint_en}")


def _malformed_id(key: KeyPath, value: str) -> Problem:
    value = shown(value)
    name = dotted(key)
    return Problem(
        key,
        f"`{name}` = \"{value}\" 不是有效编号（字母或数字开头，仅含字母、数字、. _ -，最长64位）",
        f"`{name}` = \"{value}\" is not a valid id (a letter or digit, then letters, digits, . _ -, at most 64)",
    )


def _check_number(key: KeyPath, value: Any, field: FieldSpec) -> Iterator[Problem]:
    ok = isinstance(value, int) if field.kind == "int" else isinstance(value, (int, float))
    if not ok or isinstance(value, bool):
        yield _wrong_type(key, field.kind, value)
        return
    name = dotted(key)
    if isinstance(value, float) and not math.isfinite(value):
        yield Problem(key, f"`{name}` 应为有限数字", f"`{name}` must be a finite number")
        return
    low = field.minimum
    if low is not None and (value < low or (field.exclusive_minimum and value == low)):
        op_zh = "大于" if field.exclusive_minimum else "不小于"
        op_en = "greater than" if field.exclusive_minimum else "at least"
        yield Problem(key, f"`{name}` = {value} 应{op_zh} {low:g}", f"`{name}` = {value} must be {op_en} {low:g}")
    high = field.maximum
    if high is not None and value > high:
        yield Problem(key, f"`{name}` = {value} 应不大于 {high:g}", f"`{name}` = {value} must be at most {high:g}")


def _check_list(key: KeyPath, value: Any, field: FieldSpec) -> Iterator[Problem]:
    if not isinstance(value, list):
        yield _wrong_type(key, field.kind, value)
        return
    item_field = field.item()
    for i, item in enumerate(value):
        yield from _check(key + (i,), item, item_field)


def _check_attachments(key: KeyPath, value: Any) -> Iterator[Problem]:
    if not isinstance(value, list):
        yield _wrong_type(key, "attachments", value)
        return
    for i, item in enumerate(value):
        if isinstance(item, str):
            yield from _check(key + (i,), item, ATTACHMENT.fields["path"])
            continue
        if not isinstance(item, dict):
            yield _wrong_type(key + (i,), "path", item)
            continue
        yield from validate_table(item, ATTACHMENT, key + (i,))
        sha = item.get("sha256")
        if isinstance(sha, str) and not re.fullmatch(SHA256_PATTERN, sha):
            name = dotted(key + (i, "sha256"))
            yield Problem(key + (i, "sha256"), f"`{name}` 应为64位十六进制 SHA-256 值", f"`{name}` must be 64 hexadecimal digits (SHA-256)")

