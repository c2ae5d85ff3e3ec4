"""What people type (options, prompts, Excel cells) turned into the values of
the archive format, field by field as spec.py describes them.

Codes accept their Chinese and English labels; dates accept `2023-07-01`,
`2023/7/1`, `2023.7.1`, `2023年7月1日` and Excel date cells; lists accept
commas (, ，), 、 and semicolons. Every refusal says what was wrong, in
Chinese and English.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from ...controls import BIDI
from ...dates import EARLIEST, LATEST, NO_EXPIRY, in_range
from ...errors import SafetrainError
from ..reading.codes import Labels, code_for
from ..reading.fields import FieldSpec
from ..reading.validate import is_id

_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_DATETIME = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*[T\s]?\s*"
    r"(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(?:(\d{1,2})\s*秒?)?)?\s*$"
)
_SEPARATORS = re.compile(r"[,，、;；\s]+")
#: between the texts of a list (departments, posts): list punctuation only, a blank being part of a name
_TEXT_SEPARATORS = re.compile(r"[,，、;；]+")
_TRUE = frozenset({"true", "yes", "y", "1", "是", "合格", "通过", "已通过", "pass", "passed"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不合格", "未通过", "不通过", "fail", "failed"})


class InputError(SafetrainError):
    """A value typed or read from a cell that is not what its field takes;
    callers add where it came from (the option, the row and column)."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: Any, open_end: bool = False) -> date:
    """A date as people type it; with `open_end`, 9999-12-31 (dates.NO_EXPIRY: 长期有效) too."""
    day = _parse_date(value)
    if open_end and day == NO_EXPIRY:
        return day
    if not in_range(day):  # outside the dates an archive may hold it is a slip (0202-03-01, 2203-01-05)
        raise InputError(f"日期 {day.isoformat()} 不在 {EARLIEST.year} 年到 {LATEST.year} 年之间，请检查年份",
                         f"the date {day.isoformat()} is not between {EARLIEST.year} and {LATEST.year}; check the year")
    return day


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise InputError(f"应为日期，不含时间：{value:%Y-%m-%d %H:%M}", f"must be a date without a time: {value:%Y-%m-%d %H:%M}")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and _COMPACT_DATE.match(_text(value)):  # 20230701 typed into a number cell,
            return _parse_date(_text(value))  # read as the same text in a text cell is
        raise InputError(f"数字 {_text(value)} 不是日期（请把单元格设为日期格式，或写成 2023-07-01）",
                         f"the number {_text(value)} is not a date (format the cell as a date, or write 2023-07-01)")
    text = _text(value)
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
        raise InputError(f"不是有效日期：{text}（没有这一天）", f"not a valid date: {text} (no such day)")
    if _DATETIME.match(text):  # a date cell saved as text (CSV: 2024/1/2 0:00): read as the cell itself is
        return _parse_date(parse_datetime(text))
    raise InputError(f"不是日期：{text}（应写成 2023-07-01、2023.7.1、2023/7/1 或 2023年7月1日）",
                     f"not a date: {text} (write 2023-07-01, 2023.7.1, 2023/7/1 or 2023年7月1日)")


def parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        raise InputError(f"缺少时间：{value}（应写成 2023-07-15 08:30）", f"the time is missing: {value} (write 2023-07-15 08:30)")
    text = _text(value)
    m = _DATETIME.match(text)
    if m:
        try:
            return datetime(*(int(g) for g in m.groups(default="0")))
        except ValueError:
            raise InputError(f"不是有效的日期时间：{text}", f"not a valid date and time: {text}") from None
    if _DATE.match(text):
        raise InputError(f"缺少时间：{text}（应写成 2023-07-15 08:30）", f"the time is missing: {text} (write 2023-07-15 08:30)")
    raise InputError(f"不是日期时间：{text}（应写成 2023-07-15 08:30）", f"not a date and time: {text} (write 2023-07-15 08:30)")


def parse_number(value: Any, integer: bool = False) -> int | float:
    if isinstance(value, bool):
        raise InputError(f"不是数字：{value}", f"not a number: {value}")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = _text(value)
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"不是数字：{text}", f"not a number: {text}") from None
    if not math.isfinite(number):
        raise InputError(f"不是有限数字：{value}", f"not a finite number: {value}")
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if integer and not isinstance(number, int):
        raise InputError(f"应为整数：{value}", f"must be a whole number: {value}")
    return number


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"应为 是/否（true/false）：{text}", f"must be yes or no (true/false): {text}")


def choices(labels: Labels, lang: str = "zh") -> str:
    if lang == "en":
        return ", ".join(f"{c} ({en})" for c, (_, en) in labels.items())
    return "、".join(f"{c} {zh}" for c, (zh, _) in labels.items())


def parse_code(value: Any, labels: Labels) -> str:
    text = _text(value)
    code = code_for(labels, text)
    if code is None:
        raise InputError(f"\"{text}\" 不是有效选项；可选：{choices(labels)}",
                         f"\"{text}\" is not one of: {choices(labels, 'en')}")
    return code


def split_list(value: Any, texts: bool = False) -> list[str]:
    """The items of a list typed in one option or cell; `texts`: names that may hold a blank
    (二号 车间), split at list punctuation only."""
    if isinstance(value, (list, tuple)):
        return [p for v in value for p in split_list(v, texts)]
    if texts:
        return [p.strip() for p in _TEXT_SEPARATORS.split(_text(value)) if p.strip()]
    return [p for p in _SEPARATORS.split(_text(value)) if p]


#: a number cell this large holds more digits than Excel keeps (15 significant): its last ones are gone
EXCEL_DIGITS_LOST = 10 ** 15


def narrow(value: Any) -> Any:
    """A text with its full-width forms made ASCII (NFKC: ２０２４／３／５ is 2024/3/5, Ｅ０２０ is E020,
    the Ｘ of a 身份证号 X); any other value as it is. The one such cleanup: of ids, dates and ID numbers."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) and not value.isascii() else value


def id_number_text(value: Any) -> Any:
    """A 身份证号 as a cell gives it, as a person file holds it: full-width digits and Ｘ made
    ASCII (NFKC), spaces of every kind (U+3000, tabs, 640104 19900307 0014) taken out, x upper-
    cased; a number cell is its digits when Excel kept them all (below EXCEL_DIGITS_LOST: a
    15-digit first-generation number), refused when it did not. Anything else is left as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and (not value.is_integer() or abs(value) >= EXCEL_DIGITS_LOST):
        raise InputError("Excel 把身份证号存成了数字，后几位已丢失；请把该列设为“文本”后重新填写",
                         "Excel stored the ID number as a number and lost its last digits; format the column as text "
                         "and type it again")
    if isinstance(value, (int, float)):
        return str(int(value))
    if isinstance(value, str):
        return "".join(narrow(value).split()).upper()
    return value


#: a Chinese character (or the dot between the parts of a name): the spaces between two of them are
#: padding (张  三, 欧阳 明: printed sheets and WPS space out two-character names), never part of the name
_HAN = "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff·•・"
_PADDING = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")


def name_text(value: Any) -> Any:
    """A person's name as a cell gives it: the spaces padding Chinese characters taken out (张  三 is
    张三), other runs of spaces one space (Li  Ming is Li Ming), none at the ends."""
    if not isinstance(value, str):
        return value
    return " ".join(_PADDING.sub("", value).split())


#: characters that show nothing: Unicode's format characters (category Cf: the zero-width space U+200B,
#: the BOM U+FEFF, the joiners U+200C/D, the word joiner U+2060, the marks LRM/RLM U+200E/F and the
#: other direction controls (controls.BIDI), the soft hyphen U+00AD ...) and the blank letters (Hangul fillers,
#: U+034F). Pasted from a web page or a chat with a name, they make 王\u200b五 look like 王五 and never
#: match it: no cell of a sheet keeps them (tests/cli/test_import_sheets.py holds this to unicodedata's Cf)
INVISIBLE = re.compile("[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
                       "\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb" + BIDI +
                       "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                       "\U000e0001\U000e0020-\U000e007f]")


def visible(value: Any) -> Any:
    """A text without the characters that show nothing (INVISIBLE); any other value as it is."""
    return INVISIBLE.sub("", value) if isinstance(value, str) and not value.isascii() else value


def name_key(value: Any) -> Any:
    """A name as names are compared (a sheet's with the archive's, a roster's with itself): without
    the characters that show nothing (visible) and the spaces padding Chinese characters
    (name_text); 王\u200b五 written by an older import is 王五."""
    value = visible(value)
    return name_text(value) or None if isinstance(value, str) else value


def parse_id(value: Any) -> str:
    """An id as typed or read from a cell: a whole number cell (1001) is the text "1001";
    TRUE/FALSE and decimals (1001.5) are refused (a column Excel turned into numbers)."""
    if isinstance(value, bool):
        raise InputError(f"编号不能是逻辑值 {str(value).upper()}（请把该列设为文本后重新填写）",
                         f"an id cannot be the boolean {str(value).upper()} (format the column as text and type it again)")
    if isinstance(value, float) and not value.is_integer():
        raise InputError(f"编号不能是小数：{value:g}（请把该列设为文本后重新填写）",
                         f"an id cannot be a decimal number: {value:g} (format the column as text and type it again)")
    if isinstance(value, (int, float)) and abs(value) >= EXCEL_DIGITS_LOST:
        value = int(Decimal(f"{value:.15g}"))  # as Excel shows it: 15 digits, then zeros
        raise InputError(f"编号 {value} 是超过15位的数字：Excel 只保留15位有效数字，后几位可能已丢失"
                         "（请把该列设为文本后重新填写）",
                         f"the id {value} is a number of more than 15 digits: Excel keeps 15 significant digits, "
                         "so the last ones may be lost (format the column as text and type it again)")
    text = _text(value)
    if not is_id(text):
        raise InputError(f"\"{text}\" 不是有效编号（字母或数字开头，仅含字母、数字、. _ -，最长64位）",
                         f"\"{text}\" is not a valid id (a letter or digit, then letters, digits, . _ -, at most 64)")
    return text


def coerce(fld: FieldSpec, value: Any) -> Any:
    """`value` as the field's type; None when blank. Raises InputError."""
    if is_blank(value) or (isinstance(value, (list, tuple)) and not value):
        return None
    kind = fld.kind
    if kind in ("str", "path"):
        if isinstance(value, bool):  # a sheet's TRUE/FALSE cell: no name, post or path is a truth value
            shown = "TRUE" if value else "FALSE"
            raise InputError(f"单元格是逻辑值 {shown}，不是文字", f"the cell holds the logical value {shown}, not text")
        return _text(value)
    if kind == "id":
        return parse_id(value)
    if kind == "code":
        return parse_code(value, fld.codes)
    if kind == "codes":
        out = []
        for part in split_list(value):
            code = parse_code(part, fld.codes)
            if code not in out:
                out.append(code)
        return out
    if kind == "ids":
        out = []
        for part in split_list(value):
            pid = parse_id(part)
            if pid not in out:
                out.append(pid)
        return out
    if kind == "strings":
        return split_list(value, texts=True)
    if kind == "dates":  # a list (an option given again, cells) whose texts may each hold several, by commas
        return [parse_date(p) for raw in (value if isinstance(value, (list, tuple)) else [value])
                for p in (split_list(raw) if isinstance(raw, str) else [raw])]
    if kind == "date":
        return parse_date(value, fld.open_end)
    if kind == "datetime":
        return parse_datetime(value)
    if kind == "int":
        return parse_number(value, integer=True)
    if kind == "number":
        return parse_number(value)
    if kind == "bool":
        return parse_bool(value)
    raise InputError(f"此字段不能直接输入（{kind}）", f"this field cannot be typed in ({kind})")


def inputtable(fld: FieldSpec) -> bool:
    """Whether a field can be given as an option or a cell (not tables, waivers, attachments)."""
    return fld.kind not in ("table", "tables", "waivers", "attachments")


_ITEM_SEPARATOR = re.compile(r"[;；]")


def parse_plan_item(text: str) -> dict:
    """`新员工三级安全教育;岗前培训;3;当年新入职人员;24` -> a plan item (`[[items]]` of plans/<year>.toml):
    title, type (a code or its label), month, and optionally audience and hours."""
    from ..reading.spec import PLAN_ITEM

    parts = [p.strip() for p in _ITEM_SEPARATOR.split(text)]
    keys = ("title", "type", "month", "audience", "hours")
    if len(parts) < 3 or len(parts) > len(keys):
        raise InputError(f"应为 名称;类型;月份[;对象[;学时]]：{text}",
                         f"must be title;type;month[;audience[;hours]]: {text}")
    item = {}
    for key, part in zip(keys, parts):
        fld = PLAN_ITEM.fields[key]
        try:
            value = coerce(fld, part)
        except InputError as exc:
            raise InputError(f"{fld.zh}：{exc.zh}", f"{key}: {exc.en}") from None
        if value is None and fld.required:
            raise InputError(f"缺少{fld.zh}：{text}", f"{key} is missing: {text}")
        if value is not None:
            item[key] = value
    return item
