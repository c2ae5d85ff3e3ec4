"""The Excel ledger (台账) writer. openpyxl (write-only) sets up the workbook:
sheets, column widths, print settings, styles, the chart; the rows, two
million cells for 100,000 people, are written by reports/xlsxrows.py straight
into the file as it is made deterministic (ooxml.normalize_file), never held
in memory as cells.

Every sheet has a title row (the enterprise, the sheet, the as-of date), a
frozen, filtered header row, columns as wide as their contents up to a
printable width (a CJK character counts double; long free text wraps), real
date cells with a date format, and text cells that stay text: a value such
as `=HYPERLINK(...)` is written as a string, never as a formula.

It prints as an inspector expects: A4 landscape fitted to the page width,
the title and header rows repeated on every page, "第 N 页 共 M 页" in the
footer, and the 文件/行 columns (where to look in the archive) left out of
the print area. The file is byte-identical for the same archive and as_of
(fixed core properties and zip times).
"""

from __future__ import annotations

import io
import os
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path

from ..api import Result
from ..archive.writing import atomic
from . import ooxml, xlsxrows
from .facts import Facts
from .ledger_data import DATE, DATETIME, ORANGE, PERCENT, RED, TEXT, Sheet, ledger_sheets
from .xlsxrows import Style

TITLE = "安全培训台账"
FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", PERCENT: "0.0%"}  # numbers: General
FILLS = {RED: "FFC7CE", ORANGE: "FFD8A8"}
MAX_WIDTH = 30
WRAP_WIDTH = 18  # a wrapped column is no wider: its text runs onto more lines instead
LINE_HEIGHT = 15.0  # points per line of wrapped text (11 pt type); rows of one line keep the default
MAX_LINES = 12
FOOTER = "第 &P 页 共 &N 页"  # Excel's page-number fields


def text_width(value) -> int:
    """Display width: East Asian wide and full-width characters count double."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.2f}")
    s = str(value)
    if s.isascii():
        return len(s)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


class Measure:
    """What the writer needs to know of a sheet's values before its rows: each column's
    width (as wide as its widest value, up to a printable width), how many distinct
    values it holds, and the width of each value of a wrapped column (its rows' heights).
    A value is measured once, however often it occurs (a column of 200,000 rows holds a
    few hundred departments and dates)."""

    def __init__(self, sheet: Sheet):
        self.widths: list[float] = []
        self.distinct: list[int] = []
        self.wrapped: dict[int, dict] = {}  # column -> {value: width}
        for i, col in enumerate(sheet.columns):
            values = [r[i] for r in sheet.rows]
            if len(set(map(type, values)) - {type(None)}) <= 1:
                distinct = set(values)
            else:  # by type too: 8 and 8.0 are printed apart
                distinct = [v for _, v in {(type(v), v) for v in values}]
            limit = WRAP_WIDTH if col.wrap else MAX_WIDTH
            self.distinct.append(len(distinct))
            if col.wrap:
                each = self.wrapped[i] = {v: text_width(v) for v in distinct}
                widest = max([text_width(col.header), *each.values()])
            else:
                widest = _widest(distinct, text_width(col.header), limit - 2)
            self.widths.append(min(widest + 2, limit))


def _widest(values, widest: int, enough: int) -> int:
    """The widest of `values` (at least `widest`); a text is measured only when it may be
    wider (a character counts at most two), and none once `enough` is reached."""
    for v in values:
        if widest >= enough:
            break
        if type(v) is str and (len(v) <= widest if v.isascii() else 2 * len(v) <= widest):
            continue
        widest = max(widest, text_width(v))
    return widest


def widths(sheet: Sheet) -> list[float]:
    """Each column's width (Measure)."""
    return Measure(sheet).widths


class _Styles:
    """The workbook's style ids (openpyxl registers each style once and writes styles.xml);
    the rows, written by reports/xlsxrows.py, only name them."""

    def __init__(self, wb, ws):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self._cell, self._wb, self._ws, self._cache = WriteOnlyCell, wb, ws, {}
        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="D9D9D9")
        self.border = Border(bottom=Side(style="thin", color="808080"))
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrapped = Alignment(vertical="top", wrap_text=True)
        self.top = Alignment(vertical="top")
        self.title_font = Font(bold=True, size=14)
        self.PatternFill = PatternFill

    def _id(self, key, dress) -> int:
        if key not in self._cache:
            proto = self._cell(self._ws, value="")
            dress(proto)
            self._cache[key] = self._wb._cell_styles.add(proto._style)
        return self._cache[key]

    def header(self) -> int:
        def dress(proto):
            proto.font, proto.fill, proto.border, proto.alignment = \
                self.header_font, self.header_fill, self.border, self.center
        return self._id(("header",), dress)

    def title(self) -> int:
        def dress(proto):
            proto.font = self.title_font
        return self._id(("title",), dress)

    def body(self, kind: str, fill: str | None, wrap: bool = False, top: bool = False) -> int:
        key = (kind in FORMATS and kind, fill, wrap, top)  # the kinds without a number format look alike

        def dress(proto):
            if kind in FORMATS:
                proto.number_format = FORMATS[kind]
            if fill:
                proto.fill = self.PatternFill("solid", fgColor=FILLS[fill])
            if wrap:
                proto.alignment = self.wrapped
            elif top:  # beside wrapped text, every cell of the row starts at its top
                proto.alignment = self.top
        return self._id(key, dress)

    def row(self, columns, fill: str | None, top: bool) -> Style:
        """The Style of a body row: a row with a fill, or beside wrapped text, styles every cell, empty
        ones too; otherwise only wrapped cells, and dates and percentages that hold a value, have one."""
        full, empty = [], []
        for c in columns:
            if fill or c.wrap or top:
                full.append(self.body(c.kind, fill, c.wrap, top))
                empty.append(full[-1])
            else:
                full.append(self.body(c.kind, None) if c.kind in FORMATS else None)
                empty.append(None)
        return Style(full, empty)


HEADER_ROW = 2  # row 1 is the title


#: a column with at most this many distinct values (or four rows a value) has its cells made once per value
CACHED = 512


def _write_sheet(wb, sheet: Sheet, heading: str):
    """The sheet set up in openpyxl (widths, print setup, chart), without rows; returns a
    function that writes its rows into openpyxl's XML of it (ooxml.normalize_file's `fill`)."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet.title)
    measured = Measure(sheet)
    for i, w in enumerate(measured.widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    last = get_column_letter(len(sheet.columns))
    end = len(sheet.rows) + HEADER_ROW
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{end}"
    _print_setup(ws, sheet, end)
    styles = _Styles(wb, ws)
    columns = sheet.columns
    title = Style([styles.title()], [None])
    header = Style([styles.header()] * len(columns), [styles.header()] * len(columns))
    wrapped = [(i, measured.wrapped[i], max(int(measured.widths[i]) - 2, 1)) for i, c in enumerate(columns) if c.wrap]
    lines = [_lines(row, wrapped) for row in sheet.rows] if wrapped else [1] * len(sheet.rows)
    fills = sheet.fills or [None] * len(sheet.rows)
    kinds: dict[tuple, Style] = {}  # (fill, top) -> the rows' Style, made in the order rows need them
    body = [kinds.get(key) or kinds.setdefault(key, styles.row(columns, *key))
            for key in zip(fills, (n > 1 for n in lines))]
    if sheet.chart and sheet.rows:
        _chart(ws, sheet, last)
    texts = [c.kind == TEXT for c in columns]
    cached = [n <= CACHED or 4 * n <= len(sheet.rows) for n in measured.distinct]

    def rows():
        yield [f"{heading} · {sheet.title}"], title, None
        yield [c.header for c in columns], header, None
        for row, style, n in zip(sheet.rows, body, lines):
            # set on the row: spreadsheets do not grow rows of wrapped text themselves
            yield row, style, (LINE_HEIGHT * n if n > 1 else None)

    return ws, lambda xml: xlsxrows.splice(xml, xlsxrows.rows_xml(rows(), 1, texts, cached))


def _lines(row: list, wrapped: list[tuple[int, dict, int]]) -> int:
    """How many lines the row's wrapped cells need: `wrapped` is, per wrapped column, its
    index, the width of each of its values and the characters a line holds."""
    most = 1
    for i, width_of, per_line in wrapped:
        value = row[i]
        if value:
            most = max(most, -(-width_of[value] // per_line))
    return min(most, MAX_LINES)


def _print_setup(ws, sheet: Sheet, end: int) -> None:
    """A4 landscape, one page wide; title and header repeated on every page; page numbers in
    the footer; the columns that are not printed (文件, 行) left out of the print area."""
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", "9"  # 9: A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.right.text = sheet.title
    printed = [i for i, c in enumerate(sheet.columns, 1) if c.printed]
    if printed != list(range(1, len(printed) + 1)):  # pragma: no cover - a sheet declared wrongly
        raise ValueError(f"{sheet.title}: the columns left out of print must come last")
    ws.print_area = f"A1:{get_column_letter(len(printed))}{max(end, HEADER_ROW)}"


def _chart(ws, sheet: Sheet, last: str) -> None:
    """Clustered bars per department: active, trained, meeting the hours (columns B-D)."""
    from openpyxl.chart import BarChart, Reference

    n = len(sheet.rows)
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = sheet.chart
    chart.y_axis.title, chart.x_axis.title = "人数", "部门（车间）"
    chart.x_axis.delete = chart.y_axis.delete = False  # newer Excel hides axes left unset
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=HEADER_ROW, max_row=n + HEADER_ROW),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=n + HEADER_ROW))
    chart.width, chart.height = max(16, min(40, 2.5 * n)), 9
    ws.add_chart(chart, f"{chr(ord(last) + 2)}{HEADER_ROW + 1}")


def ledger_bytes(result: Result) -> bytes:
    """The workbook's bytes: the same archive and as_of give the same bytes."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        _write(result, Path(tmp) / "ledger.xlsx", buf)
    return buf.getvalue()


def write_ledger(result: Result, path: str | os.PathLike) -> Path:
    """Write the workbook to `path` (atomically). openpyxl writes the workbook without
    its rows to a file next to it, which is then copied deterministically, the rows
    written into it as it is (without decompressing the rest): a workbook of 100,000
    people never sits in memory whole."""
    path = Path(path)
    with atomic.replacing(path) as tmp, atomic.scratch(path) as raw:
        with open(tmp, "wb") as out:
            _write(result, raw, out)
    return path


def _write(result: Result, raw: Path, out) -> None:
    from ..archive.reading.loader import quiet_gc

    name = result.archive.config.enterprise.name if result.archive.config else result.archive.name
    heading = f"{name} · 截至 {result.as_of.year}年{result.as_of.month}月{result.as_of.day}日"
    title = f"{TITLE} {result.archive.config.enterprise.name}" if result.archive.config else TITLE
    with quiet_gc():  # hundreds of thousands of rows of plain values: nothing for the collector to find
        write_workbook(ledger_sheets(Facts(result)), heading, title, result.as_of, raw, out)


def write_workbook(sheets: list[Sheet], heading: str, title: str, as_of: date, raw: Path, out) -> None:
    """`sheets` as a workbook on `out` (a binary file), through the scratch file `raw`:
    `heading` starts each sheet's title row, `title` is the document's title."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    stamp = datetime.combine(as_of, datetime.min.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = ooxml.AUTHOR
    wb.properties.title = TITLE
    written = [_write_sheet(wb, sheet, heading) for sheet in sheets]
    wb.save(raw)
    fill = {ws.path.lstrip("/"): rows for ws, rows in written}  # the sheets' paths are set on saving
    ooxml.normalize_file(raw, out, title, as_of, fill)


def default_name(result: Result) -> str:
    """`<archive name>-台账-<as_of>.xlsx`: the enterprise's name (else the archive folder's),
    with the characters a file name cannot hold replaced."""
    import re

    config = result.archive.config
    name = (config.enterprise.name if config else "") or result.archive.name or "safetrain"
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")[:80] or "safetrain"
    return f"{name}-台账-{result.as_of.isoformat()}.xlsx"


def written_by_safetrain(path) -> bool:
    """A ledger this program wrote (and nobody saved since), which the next run may replace."""
    return ooxml.written_by_safetrain(path, TITLE)
