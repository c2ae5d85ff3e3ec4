"""Reading an Excel sheet (or a UTF-8 CSV file) of records: find the header
row, map its headers (Chinese, or the format's keys) to fields, and give every
data row with its row number as Excel shows it.

Cells are read as values: a formula gives the result Excel saved with it, and
a text cell is text even when it looks like a formula (`=...`); nothing is
ever evaluated.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import SafetrainError

HEADER_SEARCH_ROWS = 10
_MARKS = re.compile(r"[\s*＊]|[（(]\s*(必填|选填|可选)\s*[)）]")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the sheet
    letter: str  # A, B, ... (the row number for CSV is the line number)


@dataclass
class Sheet:
    name: str
    columns: dict[str, Column]
    rows: list[tuple[int, dict[str, Any]]]  # (row number, key -> cell value), blank rows left out
    ignored: list[str] = field(default_factory=list)  # headers that name no field
    formula_errors: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)


def normalise_header(text: Any) -> str:
    return _MARKS.sub("", str(text)).lower() if text is not None else ""


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_sheet(path: str | Path, headers: dict[str, tuple[str, ...]], anchors: tuple[str, ...],
               sheet: str | None = None) -> Sheet:
    """The records of the sheet at `path`. `headers`: field key -> accepted headers (the key
    itself is always accepted); `anchors`: fields of which one marks the header row."""
    path = Path(path)
    if not path.is_file():
        raise SafetrainError(f"文件不存在：{path}", f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid, formulas, name = _read_csv(path), {}, path.name
    elif suffix in (".xlsx", ".xlsm"):
        grid, formulas, name = _read_xlsx(path, sheet)
    else:
        raise SafetrainError(f"{path}：只能读取 .xlsx 或 .csv 文件（.xls 请在 Excel 中另存为 .xlsx）",
                             f"{path}: only .xlsx and .csv files can be read (save an .xls as .xlsx in Excel)")
    lookup = {normalise_header(h): key for key, names in headers.items() for h in (key, *names)}
    header_at = None
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if any(lookup.get(normalise_header(v)) in anchors for v in row):
            header_at = r
            break
    if header_at is None:
        wanted = "、".join(headers[a][0] for a in anchors)
        raise SafetrainError(f"{path}：前 {HEADER_SEARCH_ROWS} 行中找不到表头（需要 {wanted} 列）",
                             f"{path}: no header row in the first {HEADER_SEARCH_ROWS} rows (a {' or '.join(anchors)} column is needed)")
    columns: dict[str, Column] = {}
    index_of: dict[int, str] = {}
    ignored: list[str] = []
    for c, value in enumerate(grid[header_at]):
        if value is None or not str(value).strip():
            continue
        key = lookup.get(normalise_header(value))
        if key is None:
            ignored.append(str(value).strip())
            continue
        if key in columns:
            raise SafetrainError(f"{path}：{columns[key].header} 列出现了两次（{columns[key].letter} 列和 {column_letter(c)} 列）",
                                 f"{path}: the {key} column appears twice (columns {columns[key].letter} and {column_letter(c)})")
        columns[key] = Column(key, str(value).strip(), column_letter(c))
        index_of[c] = key
    rows: list[tuple[int, dict[str, Any]]] = []
    for r in range(header_at + 1, len(grid)):
        cells = {key: _clean(grid[r][c]) for c, key in index_of.items() if c < len(grid[r])}
        if all(v is None for v in cells.values()):
            continue
        rows.append((r + 1, cells))
    formula_errors = {(r + 1, index_of[c]): msg for (r, c), msg in formulas.items() if c in index_of}
    return Sheet(name, columns, rows, ignored, formula_errors)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return [list(row) for row in csv.reader(fh)]
    except UnicodeDecodeError:
        raise SafetrainError(f"{path}：不是 UTF-8 编码的 CSV（请在 Excel 中另存为“CSV UTF-8”或 .xlsx）",
                             f"{path}: not a UTF-8 CSV file (save as \"CSV UTF-8\" or .xlsx)") from None


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[list[Any]], dict, str]:
    """The grid of cell values; formula cells hold the value Excel saved with them."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    def open_book(data_only: bool):
        try:
            return load_workbook(path, read_only=True, data_only=data_only)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise SafetrainError(f"{path}：无法读取 Excel 文件：{exc}", f"{path}: cannot read the Excel file: {exc}") from None

    book = open_book(False)
    try:
        ws = _pick(book, sheet, path)
        ws.reset_dimensions()  # read-only mode trusts <dimension>, which other programs leave stale: read every row
        grid: list[list[Any]] = []
        formula_at: list[tuple[int, int]] = []
        for r, row in enumerate(ws.iter_rows()):
            values = []
            for c, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    formula_at.append((r, c))
                values.append(getattr(cell, "value", None))
            grid.append(values)
        name = ws.title
    finally:
        book.close()
    errors: dict[tuple[int, int], tuple[str, str]] = {}
    if formula_at:
        book = open_book(True)
        try:
            ws = _pick(book, sheet, path)
            ws.reset_dimensions()
            cached = [list(row) for row in ws.iter_rows(values_only=True)]
        finally:
            book.close()
        for r, c in formula_at:
            value = cached[r][c] if r < len(cached) and c < len(cached[r]) else None
            grid[r][c] = value
            if value is None:
                errors[(r, c)] = ("公式单元格没有保存的计算结果（请在 Excel 中打开并保存，或填入数值）",
                                  "a formula cell without a saved result (open and save the file in Excel, or type the value)")
    return grid, errors, name


def _pick(book, sheet: str | None, path: Path):
    if sheet is None:
        return book.worksheets[0]
    if sheet not in book.sheetnames:
        raise SafetrainError(f"{path}：没有名为 {sheet} 的工作表（有：{'、'.join(book.sheetnames)}）",
                             f"{path}: no sheet named {sheet} (there are: {', '.join(book.sheetnames)})")
    return book[sheet]
