"""The Excel ledger (台账) writer. openpyxl (write-only) sets up the workbook:
sheets, column widths, print settings, styles, the chart; the rows, two
million cells for 100,000 people, are written by reports/xlsxrows.py into
each sheet's XML, compressed to a scratch file as they come (`make_parts`),
and copied into the workbook as it is made deterministic (`assemble`,
ooxml.normalize_file): never held in memory as cells. The hours sheet, a row
per person and year, is not held even as values: its rows are written as they
are made (`Streamed`, `_spool`). The sheets that need no findings can be made
while the rules run (`Ahead`).

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
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from ..api import Result
from ..archive.writing import atomic
from . import fmt, ooxml, xlsxrows
from .facts import Facts
from .ledger_data import DATE, DATETIME, FROM_FINDINGS, ORANGE, PERCENT, RED, SHEETS, TEXT, Column, Sheet, Streamed
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
        texts = [set() for _ in sheet.columns]  # each column's text (and None)
        others = [set() for _ in sheet.columns]  # and its other values, by type: 8 and 8.0 are printed apart
        for row in sheet.rows:  # once: rows remade on each pass (ledger_data.Remade) are made once here
            for i, v in enumerate(row):
                if type(v) is str or v is None:
                    texts[i].add(v)
                else:
                    others[i].add((type(v), v))
        for i, col in enumerate(sheet.columns):
            distinct = [*texts[i], *(v for _, v in others[i])]
            limit = WRAP_WIDTH if col.wrap else MAX_WIDTH
            self.distinct.append(len(distinct))
            if col.wrap:
                each = self.wrapped[i] = {v: text_width(v) for v in distinct}
                widest = max([text_width(col.header), *each.values()])
            else:
                widest = _widest(distinct, text_width(col.header), limit - 2)
            self.widths.append(_fitted(widest, limit))


def _fitted(widest: int, limit: int) -> float:
    """A column's width: its widest value and a margin, up to `limit`."""
    return min(widest + 2, limit)


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


class _Styles:
    """The workbook's style ids. Every style a ledger cell may have is registered, always in
    the same order, so the ids are the same in every workbook the ledger makes (the sheets
    written ahead in one, assembled in another); openpyxl writes them to styles.xml."""

    def __init__(self, wb, ws):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.styles.cell_style import StyleArray

        def add(font=None, fill=None, border=None, alignment=None, number_format=None) -> int:
            proto = WriteOnlyCell(ws, value="")
            for name, value in (("font", font), ("fill", fill), ("border", border), ("alignment", alignment),
                                ("number_format", number_format)):
                if value is not None:
                    setattr(proto, name, value)
            return wb._cell_styles.add(proto._style if proto._style is not None else StyleArray())

        self.title = add(font=Font(bold=True, size=14))
        self.header = add(font=Font(bold=True), fill=PatternFill("solid", fgColor="D9D9D9"),
                          border=Border(bottom=Side(style="thin", color="808080")),
                          alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
        self._body = {}
        for kind in (None, *FORMATS):
            for fill in (None, *FILLS):
                for wrap in (False, True):
                    for top in (False, True):
                        # beside wrapped text, every cell of the row starts at its top
                        alignment = (Alignment(vertical="top", wrap_text=True) if wrap else
                                     Alignment(vertical="top") if top else None)
                        self._body[kind, fill, wrap, top] = add(
                            fill=PatternFill("solid", fgColor=FILLS[fill]) if fill else None, alignment=alignment,
                            number_format=FORMATS.get(kind))

    def body(self, kind: str, fill: str | None, wrap: bool = False, top: bool = False) -> int:
        return self._body[kind if kind in FORMATS else None, fill, wrap, top]

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


@dataclass(frozen=True)
class Shape:
    """What the workbook's setup of a sheet needs: its title, columns, their widths, how
    many rows, the chart's title."""

    title: str
    columns: list[Column]
    widths: list[float]
    rows: int
    chart: str | None


@dataclass(frozen=True)
class Part:
    """One sheet made: its Shape, and where its worksheet XML lies compressed in a file."""

    shape: Shape
    offset: int
    packed: int
    crc: int
    size: int

    def packed_in(self, source) -> ooxml.Packed:
        return ooxml.Packed(source, self.offset, self.packed, self.crc, self.size)


def _setup(wb, shape: Shape):
    """The sheet in openpyxl, without rows: column widths, frozen and filtered header, print
    setup, chart."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(shape.title)
    for i, w in enumerate(shape.widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    last = get_column_letter(len(shape.columns))
    end = shape.rows + HEADER_ROW
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{end}"
    _print_setup(ws, shape, end)
    if shape.chart and shape.rows:
        _chart(ws, shape, last)
    return ws


def _workbook():
    from openpyxl import Workbook

    return Workbook(write_only=True)


def make_parts(sheets: list[Sheet | Streamed], heading: str, out) -> list[Part]:
    """Each sheet's worksheet XML, openpyxl's setup with the rows written into it
    (reports/xlsxrows.py), compressed to the end of `out` (a binary file). A Streamed
    sheet's rows are written as they come to a scratch file, measured on the way, and
    compressed from there once its setup is known."""
    import zipfile

    if not sheets:
        return []
    wb = _workbook()
    styles = _Styles(*_scratch_sheet())  # the same ids in every workbook
    made = []
    with ExitStack() as stack:
        for sheet in sheets:
            if isinstance(sheet, Streamed):
                spool = stack.enter_context(tempfile.TemporaryFile())
                widths, count = _spool(sheet, heading, styles, spool)
                rows, shape = _spooled(spool), Shape(sheet.title, list(sheet.columns), widths, count, sheet.chart)
            else:
                measured = Measure(sheet)
                rows = _rows(sheet, measured, heading, styles)
                shape = Shape(sheet.title, list(sheet.columns), measured.widths, len(sheet.rows), sheet.chart)
            made.append((_setup(wb, shape), rows, shape))
        skeleton = io.BytesIO()
        wb.save(skeleton)
        parts = []
        with zipfile.ZipFile(skeleton) as z:
            for ws, rows, shape in made:  # each sheet's path is set on saving
                xml = z.read(ws.path.lstrip("/"))
                p = ooxml.pack_into(out, xlsxrows.splice(xml, rows))
                parts.append(Part(shape, p.offset, p.packed, p.crc, p.size))
    out.flush()
    return parts


def _scratch_sheet():
    """A workbook and sheet to register the ledger's styles in (_Styles: their ids are the
    same in every workbook)."""
    wb = _workbook()
    return wb, wb.create_sheet("styles")


#: a streamed sheet keeps the cells of at most this many values a column (its ids: no cell per row)
STREAM_KEEPS = 4096


def _spool(sheet: Streamed, heading: str, styles: _Styles, spool) -> tuple[list[float], int]:
    """Write a streamed sheet's rows (title and header first) as SpreadsheetML to `spool`,
    measuring its columns as Measure does: (the columns' widths, the rows written)."""
    columns = sheet.columns
    if any(c.wrap for c in columns):  # pragma: no cover - a sheet declared wrongly
        raise ValueError(f"{sheet.title}: a streamed sheet's columns cannot wrap")
    enough = MAX_WIDTH - 2  # as Measure: a column this wide is as wide as it gets
    widest = [text_width(c.header) for c in columns]
    others = [set() for _ in columns]  # values other than text, by type (8 and 8.0 are printed apart)
    count = 0
    kinds: dict = {}  # fill -> the rows' Style

    def measured(i: int) -> int:
        widest[i] = _widest((v for _, v in others[i]), widest[i], enough)
        others[i].clear()
        return widest[i]

    def rows():
        nonlocal count
        yield from _head(sheet.title, columns, heading, styles)
        for row, fill in sheet.rows:
            for i, v in enumerate(row):
                if type(v) is str:  # measured only when it may be wider (a character counts at most two)
                    w = widest[i]
                    if w < enough and (len(v) > w if v.isascii() else 2 * len(v) > w):
                        widest[i] = max(w, text_width(v))
                elif v is not None:
                    others[i].add((type(v), v))
                    if len(others[i]) > STREAM_KEEPS:
                        measured(i)
            count += 1
            yield row, kinds.get(fill) or kinds.setdefault(fill, styles.row(columns, fill, False)), None

    for chunk in xlsxrows.rows_xml(rows(), 1, [c.kind == TEXT for c in columns], [True] * len(columns),
                                   STREAM_KEEPS):
        spool.write(chunk)
    return [_fitted(measured(i), MAX_WIDTH) for i in range(len(columns))], count


def _spooled(spool, size: int = 1 << 20) -> Iterator[bytes]:
    spool.seek(0)
    while chunk := spool.read(size):
        yield chunk


def _head(title: str, columns: list[Column], heading: str, styles: _Styles):
    """A sheet's title row and header row, as rows_xml takes rows."""
    yield [f"{heading} · {title}"], Style([styles.title], [None]), None
    yield [c.header for c in columns], Style([styles.header] * len(columns), [styles.header] * len(columns)), None


def _rows(sheet: Sheet, measured: Measure, heading: str, styles: _Styles) -> Iterator[bytes]:
    """The sheet's rows as SpreadsheetML: its title, its header, its values."""
    columns = sheet.columns
    wrapped = [(i, measured.wrapped[i], max(int(measured.widths[i]) - 2, 1)) for i, c in enumerate(columns) if c.wrap]
    lines = [_lines(row, wrapped) for row in sheet.rows] if wrapped else [1] * len(sheet.rows)
    fills = sheet.fills or [None] * len(sheet.rows)
    kinds: dict[tuple, Style] = {}  # (fill, top) -> the rows' Style
    body = [kinds.get(key) or kinds.setdefault(key, styles.row(columns, *key))
            for key in zip(fills, (n > 1 for n in lines))]
    texts = [c.kind == TEXT for c in columns]
    cached = [n <= CACHED or 4 * n <= len(sheet.rows) for n in measured.distinct]

    def rows():
        yield from _head(sheet.title, columns, heading, styles)
        for row, style, n in zip(sheet.rows, body, lines):
            # set on the row: spreadsheets do not grow rows of wrapped text themselves
            yield row, style, (LINE_HEIGHT * n if n > 1 else None)

    return xlsxrows.rows_xml(rows(), 1, texts, cached)


def assemble(parts: list[tuple[Part, object]], title: str, as_of: date, out) -> None:
    """The workbook of `parts` (each with the file it lies in) on `out`: openpyxl's workbook
    of their shapes, every sheet replaced by its part, made deterministic (ooxml)."""
    wb = _workbook()
    stamp = datetime.combine(as_of, datetime.min.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = ooxml.AUTHOR
    wb.properties.title = TITLE
    sheets = [_setup(wb, part.shape) for part, _ in parts]
    if sheets:
        _Styles(wb, sheets[0])  # the ids the parts were written with
    skeleton = io.BytesIO()
    wb.save(skeleton)
    ooxml.normalize_file(skeleton, out, title, as_of,
                         {ws.path.lstrip("/"): part.packed_in(source) for ws, (part, source) in zip(sheets, parts)})


def write_workbook(sheets: list[Sheet], heading: str, title: str, as_of: date, out) -> None:
    """`sheets` as a workbook on `out` (a binary file): `heading` starts each sheet's title
    row, `title` is the document's title."""
    with tempfile.TemporaryFile() as scratch:
        assemble([(part, scratch) for part in make_parts(sheets, heading, scratch)], title, as_of, out)


def _lines(row: list, wrapped: list[tuple[int, dict, int]]) -> int:
    """How many lines the row's wrapped cells need: `wrapped` is, per wrapped column, its
    index, the width of each of its values and the characters a line holds."""
    most = 1
    for i, width_of, per_line in wrapped:
        value = row[i]
        if value:
            most = max(most, -(-width_of[value] // per_line))
    return min(most, MAX_LINES)


def _print_setup(ws, shape: Shape, end: int) -> None:
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
    ws.oddFooter.right.text = shape.title
    printed = [i for i, c in enumerate(shape.columns, 1) if c.printed]
    if printed != list(range(1, len(printed) + 1)):  # pragma: no cover - a sheet declared wrongly
        raise ValueError(f"{shape.title}: the columns left out of print must come last")
    ws.print_area = f"A1:{get_column_letter(len(printed))}{max(end, HEADER_ROW)}"


def _chart(ws, shape: Shape, last: str) -> None:
    """Clustered bars per department: active, trained, meeting the hours (columns B-D)."""
    from openpyxl.chart import BarChart, Reference

    n = shape.rows
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = shape.chart
    chart.y_axis.title, chart.x_axis.title = "人数", "部门（车间）"
    chart.x_axis.delete = chart.y_axis.delete = False  # newer Excel hides axes left unset
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=HEADER_ROW, max_row=n + HEADER_ROW),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=n + HEADER_ROW))
    chart.width, chart.height = max(16, min(40, 2.5 * n)), 9
    ws.add_chart(chart, f"{chr(ord(last) + 2)}{HEADER_ROW + 1}")


# -- the ledger of a checked archive ------------------------------------------------------

#: records (people and sessions) from which the sheets that need no findings are made in a forked
#: copy of the process while the rules run
AHEAD_MIN = 5000


class Ahead:
    """The sheets that need no findings, made while the rules run: `start` is check_path's
    `meanwhile` (called with the loaded archive, before the rules), and forks a copy of this
    process that makes them into a scratch file; `write_ledger` takes them from it. On two
    cores the ledger then costs little more than the check. Where no copy can be made, for a
    small archive, or when the check's result came from the cache, nothing is made ahead
    and the ledger makes every sheet itself; the bytes are the same either way."""

    def __init__(self):
        self.job = None
        self.file = None
        self.made: list[Part] | None = None

    def start(self, archive, ruleset, as_of: date) -> None:
        from ..forked import Forked

        if len(archive.people) + len(archive.sessions) < AHEAD_MIN:
            return
        self.file = tempfile.TemporaryFile()
        self.job = Forked.start(_sheets_ahead, Result(archive, ruleset, as_of, []), self.file)
        if self.job is None:
            self.close()

    def parts(self) -> list[Part] | None:
        """The sheets made ahead (in the file `self.file`), once the copy is done; None when
        there are none."""
        if self.job is not None:
            self.made, self.job = self.job.result(), None
        return self.made

    def close(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None
        if self.file is not None:
            self.file.close()
            self.file = None


def _sheets_ahead(result: Result, out) -> list[Part]:
    """In the forked copy: the sheets that need no findings (`result` has none), made into `out`."""
    from ..archive.reading.loader import quiet_gc

    with quiet_gc():
        facts = Facts(result)
        return make_parts([sheet(facts) for sheet in SHEETS if sheet not in FROM_FINDINGS], _heading(result), out)


def _heading(result: Result) -> str:
    name = result.archive.config.enterprise.name if result.archive.config else result.archive.name
    return f"{name} · 截至 {result.as_of.year}年{result.as_of.month}月{result.as_of.day}日"


def ledger_bytes(result: Result) -> bytes:
    """The workbook's bytes: the same archive and as_of give the same bytes."""
    buf = io.BytesIO()
    _write(result, buf)
    return buf.getvalue()


def write_ledger(result: Result, path: str | os.PathLike, ahead: Ahead | None = None) -> Path:
    """Write the workbook to `path` (atomically), with the sheets `ahead` made (if any).
    Each sheet is compressed to a scratch file as its rows are written, then copied into
    place: a workbook of 100,000 people never sits in memory whole."""
    path = Path(path)
    with atomic.replacing(path) as tmp:
        with open(tmp, "wb") as out:
            _write(result, out, ahead)
    return path


def _write(result: Result, out, ahead: Ahead | None = None) -> None:
    from ..archive.reading.loader import quiet_gc

    title = f"{TITLE} {result.archive.config.enterprise.name}" if result.archive.config else TITLE
    heading = _heading(result)
    with quiet_gc(), tempfile.TemporaryFile() as scratch:  # rows of plain values: nothing for the collector
        made = ahead.parts() if ahead is not None else None
        facts = Facts(result)
        if made is None:
            made = make_parts([sheet(facts) for sheet in SHEETS if sheet not in FROM_FINDINGS], heading, scratch)
            source = scratch
        else:
            source = ahead.file
        mine = iter(make_parts([sheet(facts) for sheet in FROM_FINDINGS], heading, scratch))
        theirs = iter(made)
        parts = [(next(mine), scratch) if sheet in FROM_FINDINGS else (next(theirs), source) for sheet in SHEETS]
        assemble(parts, title, result.as_of, out)


def default_name(result: Result) -> str:
    """`<archive name>-台账-<as_of>.xlsx`: the enterprise's name (else the archive folder's),
    with the characters a file name cannot hold replaced."""
    from pathlib import PurePath

    config = result.archive.config
    folder = PurePath(str(result.archive.root)).name if result.archive.root else result.archive.name
    name = fmt.file_name_part((config.enterprise.name if config else "") or folder, "safetrain")
    return f"{name}-台账-{result.as_of.isoformat()}.xlsx"


def written_by_safetrain(path) -> bool:
    """A ledger this program wrote (and nobody saved since), which the next run may replace."""
    return ooxml.written_by_safetrain(path, TITLE)
