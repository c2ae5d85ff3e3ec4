"""Dates, numbers and labels as the printed documents show them.

Templates receive strings only (STYLE.md, docxtpl): every value is formatted
here, once, so a user's template never has to know a date from a float.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Callable, Iterable, Mapping

from ..archive.reading.codes import Labels, label
from ..dates import NO_EXPIRY, NO_EXPIRY_TEXT
from ..findings import ENTERPRISE
from ..numbers import number_text, score_text
from ..archive.reading.gbcodes import mask_id_number, mask_id_numbers_in

DASH = "—"


def day(d: date | datetime | None, lang: str = "zh") -> str:
    """2023-07-15 (tables); a certificate's 9999-12-31 is 长期有效 (dates.NO_EXPIRY)."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    if d == NO_EXPIRY:
        return NO_EXPIRY_TEXT[lang == "en"]
    return d.isoformat()


def day_zh(d: date | datetime | None) -> str:
    """2023年7月15日 (headings and prose)."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def moment(t: datetime | None) -> str:
    """2023-07-15 08:30."""
    return t.strftime("%Y-%m-%d %H:%M") if t is not None else ""


def span(start: datetime, end: datetime) -> str:
    """A session's time: 2023-07-15 08:30—17:30, or 2023-07-15 08:30 至 2023-07-17 17:30."""
    if start.date() == end.date():
        return f"{moment(start)}—{end.strftime('%H:%M')}"
    return f"{moment(start)} 至 {moment(end)}"


def days(start: date | datetime, end: date | datetime, lang: str = "zh") -> str:
    """A date range in a narrow cell: 2023-07-15, or 2023-07-15至07-17 (2023-07-15 – 07-17 in English)."""
    a, b = day(start), day(end)
    to = " – " if lang == "en" else "至"
    if a == b:
        return a
    if a[:4] == b[:4]:
        return f"{a}{to}{b[5:]}"
    return f"{a}{to}{b}"


def num(x: float | int | None) -> str:
    """24.0 -> "24", 1.5 -> "1.5", 1.25 -> "1.25"; None -> "". As the rules compare it (to six
    places, HOURS_PLACES), never rounded to the next figure: a score of 59.996 beside a pass
    mark of 60, or 23.996 hours beside 24 required, is printed so, not as "60" or "24"."""
    got = _NUMS.get(x)  # a report prints the same few hours and scores a million times
    if got is None:
        got = number_text(x)
        if len(_NUMS) < 4096:
            _NUMS[x] = got
    return got


_NUMS: dict = {}  # what num remembers of number_text's answers


#: a score or a pass mark, as compared: exactly
score = score_text



def subject(value: str, lang: str = "zh") -> str:
    """A finding's subject as a document or page prints it: a person's or record's id as it is,
    the enterprise as a whole in words (企业), not the code `enterprise`."""
    return ("Enterprise" if lang == "en" else "企业") if value == ENTERPRISE else value


def labels(table: Labels, codes: Iterable[str], sep: str = "、") -> str:
    return sep.join(label(table, c) for c in codes)


def id_number(value: str | None, mask: bool) -> str:
    """ID numbers are masked unless the archive's settings say `mask_id_numbers = false`."""
    if not value:
        return ""
    return mask_id_number(value) if mask else value


def certificate_number(number: str, id_number: str | None, mask: bool) -> str:
    """A special operation certificate's number is usually "T" + the holder's ID number:
    masking the ID number elsewhere means masking it inside the certificate number too."""
    return mask_id_numbers_in(number, id_number) if mask else number


def about(value: str | None, id_number: str | None, mask: bool) -> str:
    """Free text about a person (a note): their own ID number, and anything shaped like one, masked."""
    value = text(value)
    return mask_id_numbers_in(value, id_number) if mask else value


def gender(value: str | None) -> str:
    """性别 from a 18-character 身份证号 (GB 11643: the 17th digit, odd = male)."""
    if not value or len(value) != 18 or not value[16].isdigit():
        return ""
    return "男" if int(value[16]) % 2 else "女"


def text(value: str | None) -> str:
    return (value or "").strip()


_NOT_IN_A_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name_part(text: str | None, default: str) -> str:
    """`text` as part of a file name on every system: the characters Windows, macOS and Linux
    refuse (and control characters) replaced by _, no leading or trailing dot or space, at
    most 80 characters; `default` when nothing is left."""
    return _NOT_IN_A_FILE_NAME.sub("_", text or "").strip(" .")[:80] or default


def phrases(table: Mapping[str, tuple[str, str]]) -> Callable[..., str]:
    """A view's fixed wording, Chinese and English: `_t = phrases({"total": ("合计", "Total")})`,
    then `_t("total", lang)`; `{name}` fields are filled from keywords."""
    def say(key: str, lang: str, **values) -> str:
        zh, en = table[key]
        return (en if lang == "en" else zh).format(**values)

    return say
