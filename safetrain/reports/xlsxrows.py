"""A worksheet's rows as SpreadsheetML, written by hand: the ledger's sheets
hold hundreds of thousands of plain rows (text, numbers, dates, a few style
ids), and building an openpyxl cell for each of two million values costs more
than checking the archive did. openpyxl still writes everything around the
rows (sheet setup, print settings, styles, the chart); `splice` puts these
rows into the empty `<sheetData>` it wrote.

What a cell becomes, as openpyxl writes it (so a workbook reads back the same
with openpyxl, Excel or LibreOffice):

- text: an inline string, control characters dropped, at most 32,767
  characters, `xml:space="preserve"` when it starts or ends with a space; a
  value starting with "=" stays text (there is no formula cell here at all);
- int: its digits; float: `%.16g` (NaN and infinity: an empty cell); True/False: a boolean cell;
- date and datetime: Excel's serial day number (the column's number format
  shows it as a date);
- None or "": no cell, or an empty one when it has a style (a coloured row is
  coloured to its last column).
"""

from __future__ import annotations

import re
from math import isfinite
from datetime import date, datetime
from typing import Iterable, Iterator, Sequence

from openpyxl.utils import get_column_letter

from ..controls import TEXT_CONTROL
from .ooxml import XML_TEXT

MAX_TEXT = 32767  # Excel holds at most 32,767 characters in a cell
CHUNK = 20000  # cells joined and encoded at once

#: what a text value must not hold as it is: markup, CR (an XML reader would turn it into LF), controls
_SPECIAL = re.compile("[&<>\r" + TEXT_CONTROL.pattern[1:])  # controls, bidi controls too
_ESCAPES = str.maketrans({**XML_TEXT, "\r": "&#13;"})  # a carriage return kept as one
_EPOCH = datetime(1899, 12, 30)
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")


def serial(value: date) -> float | int:
    """Excel's serial day number of a date or datetime (the 1900 date system, openpyxl's to_excel)."""
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    delta = moment - _EPOCH
    days = delta.days
    if 0 < days <= 60:  # Excel counts a 29 February 1900 that never was
        days -= 1
    if type(value) is date:
        return days
    return days + (delta.seconds + delta.microseconds / 1e6) / 86400


def text_xml(value: str) -> str | None:
    """The inline-string body of a text cell (`<is><t>…</t></is>`); None when nothing is left."""
    if _SPECIAL.search(value):
        value = TEXT_CONTROL.sub("", value)[:MAX_TEXT].translate(_ESCAPES)
        if not value:
            return None
    elif len(value) > MAX_TEXT:
        value = value[:MAX_TEXT]
    if value != value.strip():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


class Style:
    """The style ids of a row's cells: per column, of a cell with a value and of an empty
    one (None: no style, and no cell at all when empty). A sheet has a handful of them;
    each keeps the cells it made of a column's repeated values."""

    __slots__ = ("full", "empty", "made")

    def __init__(self, full: Sequence[int | None], empty: Sequence[int | None]):
        self.full = [f' s="{s}"' if s is not None else "" for s in full]
        self.empty = list(empty)
        self.made: list[dict] = [{} for _ in self.full]


def rows_xml(rows: Iterable[tuple[Sequence, Style, float | None]], first: int, text_columns: Sequence[bool],
             cached: Sequence[bool] | None = None, most: int | None = None) -> Iterator[bytes]:
    """`<row>` elements, numbered from `first`, of (values, Style, height in points or None
    for the default) in order, as UTF-8 chunks. `text_columns[i]`: column i holds text,
    whatever its values' type (a number there is written as text). `cached[i]`: column i
    repeats its values (departments, years), so each value's cell is made once; `most`: at
    most that many values kept a column and Style (for rows not known ahead: a column of
    ids keeps its first few, not one cell per row). The bytes are the same either way."""
    starts = [f'<c r="{get_column_letter(i)}' for i in range(1, len(text_columns) + 1)]
    texts = list(text_columns)
    keep = list(cached) if cached is not None else [False] * len(texts)
    most = most if most is not None else float("inf")
    out: list[str] = []
    append = out.append
    for n, (values, style, height) in enumerate(rows, first):
        row = str(n)
        made = style.made
        append(f'<row r="{row}">' if height is None else f'<row r="{row}" ht="{height:g}" customHeight="1">')
        for i, v in enumerate(values):
            rest = made[i].get(v)
            if rest is None or v is True or v is False:  # True == 1: a flag is never a number's cell
                rest = _rest(v, style.full[i], style.empty[i], texts[i])
                if keep[i] and type(v) in _KEPT and len(made[i]) < most:
                    made[i][v] = rest
            if rest:
                append(starts[i])
                append(row)
                append(rest)
        append("</row>")
        if len(out) > CHUNK:
            yield "".join(out).encode("utf-8")
            out.clear()
    if out:
        yield "".join(out).encode("utf-8")


#: values whose cell is the same for every equal value (8 == 8.0 are written alike in a number column;
#: in a text column only text is kept)
_KEPT = frozenset((str, int, float, date, datetime, type(None)))


def _rest(v, style: str, empty: int | None, text: bool) -> str:
    """A cell after its reference (`<c r="A1` + row + this); "" for no cell."""
    kind = type(v)
    if v is not None and (kind is str or text) and v != "":
        body = text_xml(v if kind is str else str(v))
        if body is not None:
            return f'"{style} t="inlineStr">{body}</c>'
        v = None
    if v is None or v == "":
        return f'" s="{empty}"/>' if empty is not None else ""
    if kind is bool:
        return f'"{style} t="b"><v>{int(v)}</v></c>'
    if kind is int:
        return f'"{style}><v>{v}</v></c>'
    if kind is float:
        return f'"{style}><v>{v:.16g}</v></c>' if isfinite(v) else f'"{style}/>'
    if isinstance(v, date):
        return f'"{style}><v>{serial(v):.16g}</v></c>'
    body = text_xml(str(v))  # anything else is written as its text
    return f'"{style} t="inlineStr">{body}</c>' if body is not None else f'"{style}/>'


def splice(sheet_xml: bytes, rows: Iterable[bytes]) -> Iterator[bytes]:
    """openpyxl's XML of a sheet written without rows, with `rows` inside its sheetData."""
    m = _SHEET_DATA.search(sheet_xml)
    if m is None:  # pragma: no cover - a programming error (openpyxl always writes sheetData)
        raise ValueError("the worksheet has no empty <sheetData>")
    yield sheet_xml[:m.start()] + b"<sheetData>"
    yield from rows
    yield b"</sheetData>" + sheet_xml[m.end():]
