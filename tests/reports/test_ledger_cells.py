"""The ledger's rows are written as SpreadsheetML by hand (reports/xlsxrows.py):
every sheet, read back with openpyxl, holds exactly the rows of ledger_data,
with their colours, formats and heights; awkward values survive the trip."""

from __future__ import annotations

import io
import math
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from printing import AS_OF, checked, write_printed

from safetrain.reports.facts import Facts
from safetrain.reports.ledger import FILLS, FORMATS, LINE_HEIGHT, write_ledger, write_workbook
from safetrain.reports.ledger_data import DATE, DATETIME, INT, NUMBER, TEXT, Column, Sheet, ledger_sheets

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p.parent for p in (ROOT / "sample_archive").glob("*/safetrain.toml"))


def expected(value, column: Column):
    """What openpyxl gives back for a value the ledger wrote."""
    if value is None or value == "":
        return None
    if column.kind == TEXT:
        return str(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


def _same(got, want) -> bool:
    if isinstance(want, float) and isinstance(got, (int, float)):
        return math.isclose(got, want, rel_tol=1e-15)
    return got == want and type(got) is type(want) if not isinstance(want, (int, float)) else got == want


def assert_sheets_read_back(path: Path, sheets: list[Sheet]) -> None:
    book = load_workbook(path)
    assert book.sheetnames == [s.title for s in sheets]
    for sheet in sheets:
        ws = book[sheet.title]
        rows = list(ws.iter_rows())
        assert [c.value for c in rows[1]] == [c.header for c in sheet.columns], sheet.title
        assert len(rows) == len(sheet.rows) + 2, sheet.title
        fills = sheet.fills or [None] * len(sheet.rows)
        for n, (cells, values, fill) in enumerate(zip(rows[2:], sheet.rows, fills), 3):
            padded = list(cells) + [None] * (len(values) - len(cells))
            for cell, value, column in zip(padded, values, sheet.columns):
                got = cell.value if cell is not None else None
                assert _same(got, expected(value, column)), (sheet.title, n, column.header, got, value)
                if cell is not None and got is not None and column.kind in FORMATS:
                    assert cell.number_format == FORMATS[column.kind], (sheet.title, n, column.header)
                if cell is not None and column.kind == TEXT and got is not None:
                    assert cell.data_type == "s"
            colour = cells[0].fill.fgColor.rgb if cells[0].fill.fill_type == "solid" else None
            assert colour == (f"00{FILLS[fill]}" if fill else None), (sheet.title, n, fill, colour)
            if fill:  # the whole row is coloured, empty cells too
                assert len(cells) == len(sheet.columns)
                assert all(c.fill.fgColor.rgb == f"00{FILLS[fill]}" for c in cells)
            height = ws.row_dimensions[n].height
            assert height is None or height % LINE_HEIGHT == 0 and height > LINE_HEIGHT


@pytest.mark.parametrize("root", SAMPLES, ids=lambda p: p.name)
def test_every_sheet_of_the_sample_archives_reads_back_as_its_rows(root, tmp_path):
    from safetrain.api import check_path

    result = check_path(root, AS_OF)
    path = write_ledger(result, tmp_path / "l.xlsx")
    assert_sheets_read_back(path, ledger_sheets(Facts(result)))


def test_every_sheet_of_the_printed_archive_reads_back_as_its_rows(make_archive, tmp_path):
    result = checked(write_printed(make_archive))
    path = write_ledger(result, tmp_path / "l.xlsx")
    sheets = ledger_sheets(Facts(result))
    assert any(s.fills and any(s.fills) for s in sheets)  # coloured rows are there to compare
    assert_sheets_read_back(path, sheets)


AWKWARD = [
    ("=HYPERLINK(\"http://x\",\"y\")", "=HYPERLINK(\"http://x\",\"y\")"),  # never a formula
    ("=1+1", "=1+1"),
    ("  前后有空格 ", "  前后有空格 "),
    ("a\rb\r\nc\td\ne", "a\rb\r\nc\td\ne"),  # CR kept (an XML reader would turn it into LF)
    ("响\x07铃\x0b换\ufffe页", "响铃换页"),  # control characters dropped
    ("<b>&amp;</b> \"'", "<b>&amp;</b> \"'"),
    ("😀 𠀀", "😀 𠀀"),  # beyond the BMP
    ("x" * 40000, "x" * 32767),  # Excel's limit
    ("\x07", None),  # nothing left: an empty cell
    ("", None),
    (None, None),
]


def _book(tmp_path, sheets, name="w.xlsx") -> Path:
    path = tmp_path / name
    with open(path, "wb") as out:
        write_workbook(sheets, "测试", "测试台账", AS_OF, out)
    return path


def test_awkward_text_stays_text_as_it_was(tmp_path):
    sheet = Sheet("文本", [Column("值"), Column("编号")], [[v, i] for i, (v, _) in enumerate(AWKWARD)])
    ws = load_workbook(_book(tmp_path, [sheet]))["文本"]
    got = [(row[0].value, row[1].value) for row in ws.iter_rows(min_row=3)]
    assert got == [(want, str(i)) for i, (_, want) in enumerate(AWKWARD)]  # a number in a text column is text
    assert all(row[0].data_type == "s" for row in ws.iter_rows(min_row=3) if row[0].value is not None)


def test_numbers_dates_and_words_in_a_date_column(tmp_path):
    sheet = Sheet("数值", [Column("整数", INT), Column("小数", NUMBER), Column("日期", DATE), Column("时间", DATETIME)], [
        [2024, 4.0, date(2024, 2, 29), datetime(2024, 3, 15, 8, 30)],
        [-7, 0.1 + 0.2, date(1900, 1, 15), datetime(2023, 12, 31, 23, 59, 59)],
        [10**15, 1e-7, "长期有效", datetime(1900, 3, 1, 12, 0)],
        [True, float("nan"), None, None],
    ])
    ws = load_workbook(_book(tmp_path, [sheet]))["数值"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert rows[0] == [2024, 4, datetime(2024, 2, 29), datetime(2024, 3, 15, 8, 30)]
    assert rows[1][:3] == [-7, pytest.approx(0.3, rel=1e-15), datetime(1900, 1, 15)]  # 16 digits, as openpyxl
    assert rows[1][3] == datetime(2023, 12, 31, 23, 59, 59)
    assert rows[2] == [10**15, 1e-7, "长期有效", datetime(1900, 3, 1, 12, 0)]
    assert rows[3][0] is True and rows[3][1] is None
    assert ws["C3"].is_date and ws["C3"].number_format == "yyyy-mm-dd"
    assert ws["D3"].number_format == "yyyy-mm-dd hh:mm"


def test_the_same_sheets_give_the_same_bytes(tmp_path):
    sheet = Sheet("文本", [Column("值", wrap=True), Column("日期", DATE)],
                  [[v, date(2024, 1, i + 1)] for i, (v, _) in enumerate(AWKWARD)], fills=["red", None] * 5 + ["orange"])
    first, second = _book(tmp_path, [sheet], "a.xlsx"), _book(tmp_path, [sheet], "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    ws = load_workbook(io.BytesIO(first.read_bytes()))["文本"]
    assert ws.row_dimensions[10].height == LINE_HEIGHT * 12  # 40,000 characters: at most twelve lines
    assert ws["B3"].fill.fgColor.rgb == "00FFC7CE" and ws["A3"].alignment.wrap_text


def _streamed_and_held(sheet: Sheet):
    from safetrain.reports.ledger_data import Streamed

    return Streamed(sheet.title, sheet.columns, iter(list(zip(sheet.rows, sheet.fills or [None] * len(sheet.rows)))))


def test_a_streamed_sheet_gives_the_bytes_of_the_sheet_held(tmp_path, monkeypatch):
    """The hours sheet is written as its rows are made (never held): the same bytes as its rows
    held and measured first, including the widths (a wide value late in the stream, 8 and 8.0
    counted apart) and with fewer cells kept than there are values."""
    from safetrain.reports import ledger

    rows = [[f"E{i:05d}", "张" * (i % 7), 8 if i % 3 else 8.0, None if i % 5 else "", date(2024, 1, 1 + i % 28)]
            for i in range(300)]
    rows[-1][1] = "很长的姓名" * 10  # the widest value comes last: the width is known only at the end
    columns = [Column("工号"), Column("姓名"), Column("学时", NUMBER), Column("备注"), Column("日期", DATE)]
    sheet = Sheet("学时", columns, rows, fills=[("red" if i % 4 == 0 else None) for i in range(300)])
    held = _book(tmp_path, [sheet], "held.xlsx").read_bytes()
    monkeypatch.setattr(ledger, "STREAM_KEEPS", 3)  # ids, names, dates: more values than cells kept
    streamed = _book(tmp_path, [_streamed_and_held(sheet)], "streamed.xlsx").read_bytes()
    assert streamed == held
    ws = load_workbook(io.BytesIO(streamed))["学时"]
    assert ws.column_dimensions["B"].width == 30 and ws.max_row == 302


def test_a_streamed_sheet_measures_a_float_that_follows_an_equal_int(tmp_path):
    """8 and 8.0 make the same cell (a float finds the int's cell kept), but 8.0 is printed wider:
    the streamed sheet, which measures values as their cells are made, measures the float too."""
    columns = [Column("h", NUMBER)]
    sheet = Sheet("学时", columns, [[8], [8.0], [8]])
    held = _book(tmp_path, [sheet], "held.xlsx").read_bytes()
    streamed = _book(tmp_path, [_streamed_and_held(sheet)], "streamed.xlsx").read_bytes()
    assert streamed == held
    assert load_workbook(io.BytesIO(streamed))["学时"].column_dimensions["A"].width == len("8.00") + 2


def test_the_ledger_streams_the_hours_sheet_and_writes_the_rows_held(make_archive):
    """The ledger as written (hours streamed, masked on the way) against every sheet held and written."""
    from safetrain.reports import ledger

    result = checked(write_printed(make_archive))
    out = io.BytesIO()
    write_workbook(ledger_sheets(Facts(result)), ledger._heading(result), f"{ledger.TITLE} {result.archive.config.enterprise.name}",
                   result.as_of, out)
    assert ledger.ledger_bytes(result) == out.getvalue()
    assert any(type(make(Facts(result))).__name__ == "Streamed" for make in ledger.SHEETS)


def test_an_empty_streamed_sheet_gives_the_bytes_of_the_empty_sheet_held(tmp_path):
    """An archive without people: the hours sheet has its title and header only, as when held."""
    columns = [Column("工号"), Column("学时", NUMBER)]
    held = _book(tmp_path, [Sheet("学时", columns)], "held.xlsx").read_bytes()
    assert _book(tmp_path, [_streamed_and_held(Sheet("学时", columns))], "streamed.xlsx").read_bytes() == held


def test_awkward_text_streamed_gives_the_bytes_held(tmp_path):
    """Formulas, spaces, CR, controls, markup, characters beyond the BMP, 40,000 characters:
    a streamed sheet measures and writes them as a held one does."""
    columns = [Column("值"), Column("编号", INT)]
    sheet = Sheet("文本", columns, [[v, i] for i, (v, _) in enumerate(AWKWARD)], fills=["red", None] * 5 + ["orange"])
    held = _book(tmp_path, [sheet], "held.xlsx").read_bytes()
    assert _book(tmp_path, [_streamed_and_held(sheet)], "streamed.xlsx").read_bytes() == held
