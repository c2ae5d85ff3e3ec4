"""Reading a sheet of records as HR departments and trainers hand them over:
.xlsx, .xls (Excel 97–2003), .ods and .csv (UTF-8, or GBK as Chinese Excel
saves "CSV"). Find the header row (below a merged title row, say; one or two
rows, with group labels merged over the headers), map its headers (Chinese,
or the format's keys) to fields, and give every data row with its row number
and column letter as the spreadsheet shows them.

Workbooks are read with python-calamine (Rust; fast on large sheets): cells
are values, a formula gives the result saved with it, and a text cell is
text even when it looks like a formula (`=...`); nothing is ever evaluated.
What calamine gives values only of is read beside it, as Excel shows it: an
.xlsx formula saved without its result, or with an error value (#N/A),
is reported; an id's number format (000120) is applied; hidden or
filtered-out rows are left out and said; signatures pasted in as pictures are
read: for an .xlsx in one streamed pass over the sheet's XML (and its drawing),
for an .xls with xlrd, for an .ods from its content.xml. The first visible sheet is read
unless --sheet names one; hidden sheets, and the other visible ones, are named so the user knows. The
usual footer of a roster (制表人, 审核人, 制表日期, 合计 ...) is left out.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import SafetrainError
from ..writing.inputs import EXCEL_DIGITS_LOST, narrow, visible

HEADER_SEARCH_ROWS = 10
WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")
#: the most a sheet may hold, as a file and (a zipped workbook) unpacked: a roster of 100,000 people
#: is some 50 MB unpacked; a few MB zipped can unpack to gigabytes (a decompression bomb)
MAX_SHEET_BYTES = 256 * 1024 * 1024
#: the brackets a header's note is written in: full- and half-width (), （）, 【】, []
_OPEN, _CLOSE = "（(【[", "）)】]"
_MARKS = re.compile(rf"[\s*＊★☆※▲△●◆■]|[:：]$|[{re.escape(_OPEN)}]\s*(必填|选填|可选)\s*[{re.escape(_CLOSE)}]")
#: the first filled cell of a footer row: who made and checked the sheet, when, totals
FOOTER = re.compile(r"^\s*(制表人|制表|制表日期|制表时间|填表人|填表日期|填报人|填报日期|填报时间|审核人|审核|审批人|审批|"
                    r"负责人|单位负责人|经办人|授课人|授课教师|培训教师|讲师|记录人|监考人|"
                    r"盖章|单位（盖章）|单位\(盖章\)|日期|合计|总计|共计|小计|备注说明|注|说明)\s*([:：]|\s|$)")
#: a header's words and the last of its notes in brackets at its end (入职日期（年月日）, 身份证号(18位),
#: 身份证（复印件）, 姓名【必填】; 身份证号码(18位)(必填) has two: the words are read by peeling them one by one)
_HEADER_NOTE = re.compile(rf"(.*?)\s*[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]*)[{re.escape(_CLOSE)}]",
                          re.S)  # (身份证⏎号码（18位）: a line break in the words)
#: a note that says the column holds another thing than the field its words name: a copy of the
#: document, its term of validity, its sides, a photo or scan, an address, the name in pinyin or in
#: English, another person's, an earlier value, a certificate's (身份证（复印件）: whether a copy is on file;
#: 身份证（有效期）: a date; 姓名（拼音）; 姓名（配偶）; 岗位（原岗位）; 编号（证书）). Any other
#: note says how the values are written or which values there are (身份证号（18位）, 入职日期（年月日）,
#: 考核结果（合格/不合格）, 用工形式（正式/劳务派遣）, 学时（课时）) and is read past, as it always was
_OTHER_THING = re.compile(r"复印|影印|原件|有效期|有效日期|正反面|正面|反面|背面|国徽|人像|照片|相片|扫描|附件|图片|"
                          r"地址|住址|户籍|签发|发证|拼音|全拼|英文|外文|曾用名|联系人|监护人|家属|预计|计划|拟|"
                          r"配偶|亲属|父亲|母亲|父母|子女|丈夫|妻子|原(?!因)|旧|调整前|变更前|调动前|之前|以前|上一|证书|"
                          r"特种作业证|操作证|试用期|转正|"
                          r"english|pinyin|copy|photo|scan|address|expir", re.I)


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
    hidden: list[str] = field(default_factory=list)  # hidden sheets of the workbook, not read
    hidden_rows: list[int] = field(default_factory=list)  # hidden (filtered out) rows below the header, not read
    footer: list[int] = field(default_factory=list)  # footer rows left out (制表人 ...)
    header_row: int = 1
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) about the whole sheet
    others: list[str] = field(default_factory=list)  # the workbook's other visible sheets of records, not read
    visible: int = 1  # the visible sheets of the workbook (the one read among them)
    chosen: bool = False  # the sheet read was named (--sheet), not taken as the first visible one


def clean_text(value: Any) -> Any:
    """A cell as the importers read it: a text without the characters that show nothing (INVISIBLE)
    and the spaces at its ends, None when nothing is left; any other value as it is. The one
    cleanup of every cell (names, ids, dates, headers), and of names on file matched against a sheet's."""
    if isinstance(value, str):
        return visible(value).strip() or None
    return value


#: a number as Excel shows one too long for its column (6.40104E+17): saved so as the text of a CSV,
#: its digits are gone
EXPONENT = re.compile(r"\s*[+-]?\d+(?:\.\d+)?[eE][+-]?\d+\s*")


def normalise_header(text: Any) -> str:
    return _MARKS.sub("", clean_text(str(text)) or "").lower() if text is not None else ""


def header_lookup(headers: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each accepted header as normalise_header gives it (and each field's key) -> its field."""
    return {normalise_header(h): key for key, names in headers.items() for h in (key, *names)}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


#: the value of an empty cell with a picture anchored on it, in a field read with `pictured`
PICTURE = "[图片]"


def read_sheet(path: str | Path, headers: dict[str, tuple[str, ...]], anchors: tuple[str, ...],
               sheet: str | None = None, known: tuple[str, ...] = (), as_shown: tuple[str, ...] = (),
               pictured: tuple[str, ...] = ()) -> Sheet:
    """The records of the sheet at `path`. `headers`: field key -> accepted headers (the key
    itself is always accepted); `anchors`: fields of which one marks the header row;
    `known`: headers of columns that are expected but read by no field (序号); `as_shown`:
    fields whose numbers are read as Excel shows them (a 工号 000123 stored as 123 with the
    format 000000, or E0045 as 45 with "E"0000), not as the bare number; `pictured`: fields
    whose empty cell with a picture anchored on it (a signature pasted in as an image, in an
    .xlsx) holds PICTURE."""
    path = Path(path)
    if not path.is_file():
        if path.exists():  # a folder, a pipe, a device: there, but nothing a sheet is read from
            raise SafetrainError(f"{path} 不是普通文件（是文件夹、管道或设备），无法读取",
                                 f"{path} is not a regular file (a folder, a pipe or a device): it cannot be read")
        raise SafetrainError(f"文件不存在：{path}", f"no such file: {path}")
    suffix = path.suffix.lower()
    _not_too_large(path, suffix)
    merged: list = []
    formulas: dict[tuple[int, int], tuple[str, str]] = {}
    if suffix == ".csv":
        grid, name, hidden, others, visible = _read_csv(path), path.name, [], [], 1
    elif suffix in WORKBOOKS:
        grid, name, hidden, merged, others, visible = _read_workbook(path, sheet, headers, anchors)
    else:
        raise SafetrainError(f"{path}：只能读取 .xlsx、.xls、.ods 或 .csv 文件",
                             f"{path}: only .xlsx, .xls, .ods and .csv files can be read")
    lookup = header_lookup(headers)
    header_at = _header_row(grid, lookup, anchors)
    if header_at is None:
        wanted = "或".join(headers[a][0] for a in anchors)
        which_zh = f"；读取的是工作表“{name}”，其他工作表用 --sheet 指定" if suffix != ".csv" else ""
        which_en = f"; the sheet read was \"{name}\", name another with --sheet" if suffix != ".csv" else ""
        raise SafetrainError(f"{path}：前 {HEADER_SEARCH_ROWS} 行中找不到表头（需要 {wanted} 列）{which_zh}",
                             f"{path}: no header row in the first {HEADER_SEARCH_ROWS} rows "
                             f"(a column for {' or '.join(anchors)} is needed){which_en}")
    quiet = {normalise_header(k) for k in known}
    header, first = _grouped_header(grid, header_at, lookup, frozenset(quiet))
    columns, index_of, ignored, notes, spare = _columns(path, header, lookup, headers)
    shown = [c for c, key in index_of.items() if key in as_shown]
    concealed: set[int] = set()
    if suffix in (".xlsx", ".xlsm"):
        drawn = [c for c, key in index_of.items() if key in pictured]
        formulas, concealed, pictures, unread = _xlsx_cells(path, name, grid, first, shown, pictured=bool(drawn))
        if unread is not None:
            notes.append(unread)
        for r, c in sorted(pictures):
            if c in drawn and first <= r < len(grid):
                grid[r].extend([None] * (c + 1 - len(grid[r])))
                if grid[r][c] is None:
                    grid[r][c] = PICTURE
    elif suffix == ".ods":  # (the reader gives no merged cells of an .ods: they come from its content.xml too)
        formulas, concealed, merged = _ods_cells(path, name, grid, first, shown)
    elif suffix == ".xls":
        formulas, concealed = _xls_cells(path, name, grid, first, shown)
    ignored = [h for h in ignored if normalise_header(h) not in quiet]
    _fill_merged(grid, merged, first)
    rows: list[tuple[int, dict[str, Any]]] = []
    footer: list[int] = []
    hidden_rows: list[int] = []
    differ: dict[tuple[int, str], tuple[str, str]] = {}
    for r in range(first, len(grid)):
        if r + 1 in concealed:  # filtered out or hidden: not what the sheet shows, so not read (and said)
            if any(v is not None for v in grid[r]):
                hidden_rows.append(r + 1)
            continue
        if _is_footer(grid[r]):
            footer.append(r + 1)
            continue
        cells = {key: clean_text(grid[r][c]) for c, key in index_of.items() if c < len(grid[r])}
        for key, spares in spare.items():  # the field's other columns: where the one read is blank
            for i, text in spares:
                other = clean_text(grid[r][i]) if i < len(grid[r]) else None
                if other is None:
                    continue
                if cells.get(key) is None:
                    cells[key] = other
                elif cells[key] != other and (r + 1, key) not in differ:
                    differ[(r + 1, key)] = (
                        f"为 {cells[key]}，而{text}（{column_letter(i)}列）为 {other}，两者不同：请核对，本行未导入",
                        f"says {cells[key]} where {text} (column {column_letter(i)}) says {other}: check it; this row "
                        "was not imported")
        if all(v is None for v in cells.values()):
            continue
        rows.append((r + 1, cells))
    formula_errors = {(r + 1, index_of[c]): msg for (r, c), msg in formulas.items() if c in index_of}
    formula_errors.update({k: v for k, v in differ.items() if k not in formula_errors})
    for r, cells in rows:  # an error value pasted as text (#REF!, #N/A): no value of a field either
        for key, value in cells.items():
            if isinstance(value, str) and _ERROR_TEXT.fullmatch(value):
                formula_errors.setdefault((r, key), (
                    f"单元格的内容是错误值 {value}（多为复制公式结果时带出的），请在表中改正后再导入",
                    f"the cell holds the error value {value} (copied from a formula's result, most often); correct "
                    "it in the sheet and import again"))
    return Sheet(name, columns, rows, ignored, formula_errors, hidden, hidden_rows, footer, first, notes, others,
                 visible, sheet is not None)


def _header_row(grid: list[list[Any]], lookup: dict[str, str], anchors: tuple[str, ...]) -> int | None:
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if any(_field(v, lookup) in anchors for v in row):  # (工号（8位）（必填） too: read as every header is)
            return r
    return None


#: a note that tells how to fill the column in, whatever it names (姓名（与身份证原件一致）, 身份证号码（按身份证
#:正面填写）, 备注（如有曾用名请注明）): read past, as a note of how values are written
_INSTRUCTION = re.compile(r"一致|为准|填写|填入|请|须|务必|如有|注明|参照|按照")


def _named(text: str, lookup: dict[str, str]) -> str:
    """The words of a header that name its field: the header without the notes in brackets at its
    end (入职日期（年月日）（必填）: each peeled off until the words left name a field), unless a
    note says the column holds another thing (_OTHER_THING: 身份证（复印件） is no 身份证 column,
    nor is 身份证号（复印件）（必填）, 姓名（English） no 姓名 one) and names no field of its own alike;
    else the header as it is. The one reading of a header's notes."""
    text = text.strip()
    if normalise_header(text) in lookup:
        return text
    words, notes = text, []
    while (m := _HEADER_NOTE.fullmatch(words)) is not None:
        words = m.group(1)
        notes.append(m.group(2))
        key = lookup.get(normalise_header(words))
        if key is not None:
            if all(_OTHER_THING.search(narrow(note)) is None or _INSTRUCTION.search(narrow(note)) is not None
                   or lookup.get(normalise_header(note)) == key for note in notes):
                return words
            return text
    return text


def _field(value: Any, lookup: dict[str, str]) -> str | None:
    """The field a header names (with a note in brackets at its end that says how values are
    written: _named), or None."""
    if value is None or not str(value).strip():
        return None
    key = lookup.get(normalise_header(_named(str(value), lookup)))
    if key is None and (m := _ENGLISH_AFTER.fullmatch(str(value).strip())) is not None:  # 姓名⏎Name, 工号 Employee No.
        key = lookup.get(normalise_header(_named(m.group(1), lookup)))
    if key is None and _ALTERNATIVES.search(str(value)):  # 部门/车间, 岗位、工种: read when the words name one field
        named = {lookup.get(normalise_header(part)) for part in _ALTERNATIVES.split(str(value)) if part.strip()}
        if len(named) == 1:
            key = named.pop()
    return key


#: a bilingual header: the Chinese words (and their notes), then the same in English after a blank or a line break
_ENGLISH_AFTER = re.compile(r"(.*[^\x00-\x7f][）)】\]]?)\s+[A-Za-z][A-Za-z0-9 .'/&()\-]*", re.S)

#: what separates the words of a header naming one thing twice (部门/车间, 岗位（工种） is a note)
_ALTERNATIVES = re.compile(r"[/／、|]")


def _grouped_header(grid: list[list[Any]], at: int, lookup: dict[str, str],
                    known: frozenset[str] = frozenset()) -> tuple[list[Any], int]:
    """The header (one cell per column) and the index of the first data row. A roster's header
    often takes two rows: group labels (基本信息, 岗位信息, or a header such as 部门 over 车间 and
    班组) merged over the headers below them, and the other headers merged down over both rows
    (a merged cell holds its text in its first row only). Found at row `at` (the first naming an
    anchor field), it is completed by the row above where a column is headed there only, and by
    the row below when every filled cell of that row is a header (`known`: headers read by no
    field, 序号) and one names a field: no data row is all headers. Below a group label, the
    header under it is the column's."""
    header = list(grid[at])

    def blank(value: Any) -> bool:
        return value is None or not str(value).strip()

    def put(row: list[Any], over_labels: bool) -> None:
        for c, value in enumerate(row):
            if _field(value, lookup) is None:
                continue
            if c >= len(header):
                header.extend([None] * (c + 1 - len(header)))
            if blank(header[c]) or (over_labels and value != header[c]):
                header[c] = value

    if at > 0:
        put(grid[at - 1], over_labels=False)
    if at + 1 < len(grid):
        below = [v for v in grid[at + 1] if not blank(v)]
        if any(_field(v, lookup) is not None for v in below) and \
                all(_field(v, lookup) is not None or normalise_header(v) in known for v in below):
            put(grid[at + 1], over_labels=True)
            return header, at + 2
    return header, at + 1


def _columns(path: Path, header: list[Any], lookup: dict[str, str], headers: dict[str, tuple[str, ...]]):
    """The columns read (key -> Column, index -> key), the headers naming no field, the other
    columns of a field named twice (key -> their indexes), and notes. Two columns of one field
    under different names (上岗日期 and 到岗日期, 部门 and 科室): the name listed first in `headers`
    is read, the others fill in where it is blank (and a row where they differ is refused); the
    same name twice is refused (a sheet in two blocks side by side)."""
    named: dict[str, list[tuple[int, str]]] = {}  # key -> (index, header) of every column naming it
    ignored: list[str] = []

    def rank(key: str, text: str) -> int:
        names = [normalise_header(h) for h in (*headers.get(key, ()), key)]
        said = {normalise_header(text), normalise_header(_named(text, lookup))}
        return next((i for i, n in enumerate(names) if n in said), len(names))

    for c, value in enumerate(header):
        if value is None or not str(value).strip():
            continue
        key = _field(value, lookup)
        text = str(value).strip()
        if key is None:
            ignored.append(text)
            continue
        for c0, was in named.get(key, ()):
            if normalise_header(was) == normalise_header(text):
                # one header twice: a sheet laid out in two blocks side by side (序号 姓名 签字 | 序号 姓名 签字)
                raise SafetrainError(f"{path}：{was} 列出现了两次（{column_letter(c0)} 列和 {column_letter(c)} 列）；"
                                     "如是左右两栏排版的签到表，请把右栏的行移到左栏下方后再导入",
                                     f"{path}: the {was} column appears twice (columns {column_letter(c0)} and "
                                     f"{column_letter(c)}); for a sheet laid out in two blocks side by side, move the "
                                     "right block's rows below the left one's and import again")
        named.setdefault(key, []).append((c, text))
    columns: dict[str, Column] = {}
    index_of: dict[int, str] = {}
    spare: dict[str, list[tuple[int, str]]] = {}
    notes: list[tuple[str, str]] = []
    for key, found in named.items():
        c, text = min(found, key=lambda f: (rank(key, f[1]), f[0]))
        columns[key] = Column(key, text, column_letter(c))
        index_of[c] = key
        spares = [(i, t) for i, t in found if i != c]
        if spares:
            spare[key] = spares
            listed_zh = "、".join(f"{column_letter(i)} 列“{t}”" for i, t in spares)
            listed_en = ", ".join(f"column {column_letter(i)} \"{t}\"" for i, t in spares)
            notes.append((f"{listed_zh}与 {column_letter(c)} 列“{text}”是同一项：读取“{text}”，它空白时用前者；两者不同的行不导入",
                          f"{listed_en} and column {column_letter(c)} \"{text}\" are one field: \"{text}\" is read, "
                          "the other where it is blank; a row where they differ is not imported"))
    return columns, dict(sorted(index_of.items())), ignored, notes, spare


def _is_footer(row: list[Any]) -> bool:
    first = next((v for v in row if v is not None and str(v).strip()), None)
    if not isinstance(first, str):
        return False
    # (合 计: the word spaced out as some sheets write it)
    return FOOTER.match(first) is not None or FOOTER.match(re.sub(r"[ \u3000]", "", first)) is not None


def _read_csv(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese Excel's "CSV" is GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SafetrainError(f"{path}：无法识别 CSV 的编码（请存为“CSV UTF-8”或 .xlsx）",
                             f"{path}: the CSV file's encoding is unknown (save as \"CSV UTF-8\" or .xlsx)")
    # csv reads the lines itself (newline=""): a line break inside a quoted cell stays in the cell
    return [[_csv_cell(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]


#: how HR systems keep Excel from making a number of a CSV cell: ="0012" (a formula giving the text),
#: '640104198505120021 (Excel's mark of a text typed in)
_CSV_TEXT = re.compile(r'\s*="(.*)"\s*', re.S)
_CSV_QUOTED = re.compile(r"\s*'([0-9A-Za-z][0-9A-Za-z.\-/:]*)\s*")


def _csv_cell(value: str) -> str | None:
    """A CSV cell as the text it stands for: ="0012" is 0012, '0012 is 0012; empty is None."""
    if value == "":
        return None
    if m := _CSV_TEXT.fullmatch(value) or _CSV_QUOTED.fullmatch(value):
        return m.group(1).replace('""', '"')
    return value


def _fill_merged(grid: list[list[Any]], merged: list, first: int) -> None:
    """A cell merged down over rows below the header (部门 后厨 over three people's rows) holds its
    value in its first row only; the rows below show it too, and are given it (its first column)."""
    for (r0, c0), (r1, _) in merged:
        if r0 < first or r1 <= r0 or r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
            # a spare row under the merge (序号 alone, the rest blank) stays blank: no one's row
            if c0 < len(grid[r]) and grid[r][c0] is None and any(
                    v is not None for i, v in enumerate(grid[r]) if i != c0 and not isinstance(v, (int, float))):
                grid[r][c0] = value


def _sheet_part(z, name: str, rid: str | None = None, rels_of: str = "xl/workbook.xml") -> str | None:
    """The zip part of the sheet `name` of an open .xlsx (xl/worksheets/sheet1.xml), or with `rid`
    the part that relationship of the part `rels_of` points to (a sheet's drawing). A workbook or
    relationships part larger than MAX_DRAWING_BYTES (a few KB in any real workbook) is none (None)."""
    import posixpath

    def small(part: str) -> bytes | None:
        return z.read(part) if z.getinfo(part).file_size <= MAX_DRAWING_BYTES else None


    if rid is None:
        if (text := small(rels_of)) is None:
            return None
        book = _xml_root(text)
        rid = next((v for s in book.iter() if _local(s.tag) == "sheet" and s.get("name") == name
                    for k, v in s.attrib.items() if k.endswith("}id")), None)  # (Strict OOXML: another namespace)
    folder, file = posixpath.split(rels_of)
    if (text := small(posixpath.join(folder, "_rels", file + ".rels"))) is None:
        return None
    rels = _xml_root(text)
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if target is None:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    names = z.namelist()
    if part not in names:  # a target written in another case than the part (Excel reads it)
        part = next((n for n in names if n.lower() == part.lower()), part)
    return part


def _xml_root(text: bytes):
    """A small part's XML (a workbook's, its relationships'), read past what XML forbids as calamine
    reads it (an undeclared prefix, a control character); ValueError when nothing can be read."""
    from lxml import etree

    try:
        root = etree.fromstring(text, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from None
    if root is None:
        raise ValueError("no XML")
    return root


#: the most a sheet's drawing part may unpack to for its pictures to be read: some 600 bytes an
#: anchored picture, so a sign-in sheet of thousands of signatures is well within it; a larger one
#: is no sign-in sheet's (a decompression bomb: 100 MB of <a/> zips to 100 KB), and is not parsed
MAX_DRAWING_BYTES = 4 * 1024 * 1024


class _NotADrawing(Exception):
    """The part a sheet's drawing relationship points to is no drawing (the sheet itself, say)."""


#: a row or column number of an anchor: ASCII digits only ("²".isdigit() is true, and int() refuses it)
_DIGITS = re.compile("[0-9]+")


class _Anchors:
    """The cells of a drawing's pictures as its XML streams through the parser (a parser target:
    no tree is built, nothing but the anchor being read is kept): each anchor's `from` row and
    column, and whether a picture or ink (mc:AlternateContent's contentPart) is inside it. An
    anchor whose row or column is no whole number is skipped, the others read."""

    def __init__(self) -> None:
        self.cells: set[tuple[int, int]] = set()
        self.depth = 0
        self.anchor = 0  # the depth of the anchor being read, 0 outside one
        self.at: dict[str, str] = {}
        self.place = self.field = ""  # "from" while inside the anchor's from; "row"/"col" inside those
        self.text: list[str] = []
        self.shown = False

    def start(self, tag: str, attrs: dict) -> None:
        local = tag.rsplit("}", 1)[-1]
        self.depth += 1
        if self.depth == 1 and local != "wsDr":
            raise _NotADrawing(local)
        if not self.anchor:
            if local in ("twoCellAnchor", "oneCellAnchor"):
                self.anchor, self.at, self.shown, self.place = self.depth, {}, False, ""
        elif local == "from" and self.depth == self.anchor + 1 and not self.at:
            self.place, self.at = "from", {"from": ""}
        elif self.place == "from" and local in ("row", "col") and self.depth == self.anchor + 2:
            self.field, self.text = local, []
        elif local in ("pic", "contentPart"):
            self.shown = True

    def data(self, text: str) -> None:
        if self.field and sum(map(len, self.text)) < 32:  # a row or column is a few digits
            self.text.append(text)

    def end(self, tag: str) -> None:
        if self.field and self.depth == self.anchor + 2:
            self.at[self.field], self.field = "".join(self.text).strip(), ""
        elif self.place == "from" and self.depth == self.anchor + 1:
            self.place = ""
        elif self.anchor and self.depth == self.anchor:
            row, col = self.at.get("row", ""), self.at.get("col", "")
            if self.shown and _DIGITS.fullmatch(row) and _DIGITS.fullmatch(col) and len(row) < 8 and len(col) < 6:
                self.cells.add((int(row), int(col)))
            self.anchor = 0
        self.depth -= 1

    def close(self) -> set[tuple[int, int]]:
        return self.cells


def _drawn_cells(z, part: str, rid: str) -> tuple[set[tuple[int, int]], tuple[str, str] | None]:
    """The cells (row, column, from 0) with a picture anchored on them (a signature photographed or
    drawn and pasted in, or ink written with a pen), read from the drawing that the relationship
    `rid` of the sheet part `part` of the open .xlsx `z` points to (the reader gives values only;
    openpyxl needs Pillow to see pictures), and a note (zh, en) when the drawing's pictures could
    not be read: larger than MAX_DRAWING_BYTES, or damaged (a signature only pictured is then a
    blank cell)."""
    import xml.etree.ElementTree as ET
    import zipfile

    try:
        drawing = _sheet_part(z, "", rid, part)
        if drawing is None or drawing == part:  # (a relationship pointing at the sheet itself is no drawing)
            return set(), None
        size = z.getinfo(drawing).file_size
        if size > MAX_DRAWING_BYTES:
            return set(), (
                f"工作表的绘图部分过大（解压后 {size / 1048576:.0f} MB，上限 {MAX_DRAWING_BYTES // 1048576} MB），"
                "其中的图片（贴入的签名）未读取：只有签名图片的签字栏按空白处理",
                f"the sheet's drawing is too large ({size / 1048576:.0f} MB unpacked, the limit is "
                f"{MAX_DRAWING_BYTES // 1048576} MB): its pictures (signatures pasted in) were not read, so a "
                "signature cell holding only a picture is read as blank")
        parser = ET.XMLParser(target=_Anchors())
        with z.open(drawing) as fh:
            while chunk := fh.read(1 << 16):
                parser.feed(chunk)
        return parser.close(), None
    except _NotADrawing:
        return set(), None
    except ET.ParseError:
        return set(), ("工作表的绘图部分已损坏，其中的图片（贴入的签名）未读取：只有签名图片的签字栏按空白处理",
                       "the sheet's drawing is damaged: its pictures (signatures pasted in) were not read, so a "
                       "signature cell holding only a picture is read as blank")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, TypeError):
        return set(), None


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_UNSAVED = ("公式单元格没有保存的计算结果（请在 Excel 中打开并保存，或填入数值）",
            "a formula cell without a saved result (open and save the file in Excel, or type the value)")


def _xlsx_cells(path: Path, name: str, grid: list[list[Any]], first: int, columns: list[int],
                pictured: bool) -> tuple[dict[tuple[int, int], tuple[str, str]], set[int],
                                         set[tuple[int, int]], tuple[str, str] | None]:
    """What the reader does not give of the .xlsx sheet `name`, in one streamed pass over its XML
    (as _ods_cells for an .ods): the formula cells saved without their result (files written by
    programs, never opened in Excel) or with an error value (#N/A, #REF!: the reader reads both as
    blank; a text result saved empty, =IFERROR(…,""), is a blank cell) and error values pasted as
    values; the text a number in `columns` shows by its number format (as _formatted reads one: 000120
    for 120 in a 工号 column formatted 000000), put into `grid` from row index `first`; the numbers of
    the rows hidden or filtered out; and, when `pictured`, the cells with a picture anchored on them
    and a note when they could not be read (_drawn_cells). Nothing but the row being read is held."""
    import xml.etree.ElementTree as ET
    import zipfile

    from lxml import etree

    errors: dict[tuple[int, int], tuple[str, str]] = {}
    hidden: set[int] = set()
    rid = None
    wanted = set(columns)
    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, name)
            if part is None:
                return errors, hidden, set(), _UNREAD_SHEET
            formats = _id_formats(z) if wanted else {}
            with z.open(part) as fh:
                row_el, last, r, c, ns, root = None, 0, -1, -1, "", None  # (last: the last row's number, from 1)
                # recovering past what XML forbids (a control character calamine reads) rather than stopping
                # there with the rows after it unread
                parser = etree.XMLPullParser(events=("start", "end"), tag=("{*}worksheet", "{*}c", "{*}row",
                                                                              "{*}drawing"),
                                             resolve_entities=False, no_network=True, huge_tree=False, recover=True)
                more = True
                while more:
                    chunk = fh.read(1 << 20)
                    if chunk:
                        parser.feed(chunk)
                    else:
                        parser.close()
                        more = False
                    for event, el in parser.read_events():
                        if event == "start":
                            root = root if root is not None else el.getroottree().getroot()
                            continue
                        local = _local(el.tag)
                        if local == "c":
                            parent = el.getparent()
                            if parent is not row_el:  # a row's first cell: the row's number
                                row_el, r, c = parent, _row_number(parent, last + 1) - 1, -1
                                ns = el.tag[:el.tag.rfind("}") + 1]
                            m = _CELL_REF.fullmatch(el.get("r") or "")  # (a cell may not say where it is: the next)
                            r, c = (int(m.group(2)) - 1, _column_index(m.group(1))) if m else (r, c + 1)
                            # (most cells are none of these: looked into only when they may be)
                            if el.get("t") == "e" or (el.get("s") or "0").strip() in formats or el.find(f"{ns}f") is not None:
                                _xlsx_cell(el, ns, r, c, grid, first, wanted, formats, errors)
                            el.clear()
                        elif local == "row":
                            last, row_el = _row_number(el, last + 1), None
                            if (el.get("hidden") or "").strip() in ("1", "true"):
                                hidden.add(last)
                            el.clear()
                        elif local == "drawing":  # <drawing r:id="rId1"/>, after the rows
                            rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), rid)
                    _let_go(root)  # what was read is let go: nothing but the row being read is held
            pictures, unread = _drawn_cells(z, part, rid) if pictured and rid else (set(), None)
            # damage read past (the parser stopped short of rows the reader gives, or said so): the rows
            # after it may have lost what they say; said, and their hidden rows looked for in the text too
            if any(any(v not in (None, "") for v in row) for row in grid[last:]) or \
                    any(e.level >= etree.ErrorLevels.ERROR for e in parser.error_log):
                hidden |= _hidden_rows(z, part)
                unread = _UNREAD_SHEET
            return errors, hidden, pictures, unread
    except (KeyError, zipfile.BadZipFile, OSError, etree.XMLSyntaxError, ET.ParseError, ValueError):
        return errors, hidden, set(), _UNREAD_SHEET


#: said when the XML of an .xlsx sheet (or of the workbook naming it) cannot be read beside the reader
_UNREAD_SHEET = ("工作表的 XML 无法完整读取：隐藏（或被筛选掉）的行、无结果或出错的公式、编号的显示格式和贴入的签名图片可能未识别，请核对导入结果",
                 "the sheet's XML could not be read whole: hidden (or filtered-out) rows, formulas without a "
                 "result or with an error, the number formats of ids and signatures pasted as pictures may not "
                 "have been found; check what was imported")


def _hidden_rows(z, part: str) -> set[int]:
    """The numbers of the rows of the sheet part `part` of the open .xlsx `z` marked hidden, found in
    its text (<row r="5" hidden="1">) where its XML is damaged and the parser may have lost them."""
    hidden: set[int] = set()
    with z.open(part) as fh:
        tail = b""
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            cut = text.rfind(b"<")
            for m in _ROW_TAG.finditer(text, 0, cut if cut > 0 else len(text)):
                attrs = m.group(1)
                if _HIDDEN.search(attrs) and (number := _ROW_NUMBER.search(attrs)):
                    hidden.add(int(number.group(1)))
            tail = text[cut:] if cut > 0 else b""
    return hidden


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb'\bhidden\s*=\s*["\'](?:1|true)["\']')
_ROW_NUMBER = re.compile(rb'\br\s*=\s*["\'](\d+)["\']')


def _let_go(root) -> None:
    """Of the tree a pull parser has built so far under `root`, every element read whole dropped
    (each but the last child along the open path; of an open cell, all but its <f> and <v>): what
    a tag filter skips is built all the same, and 30 million empty elements in 120 MB of a
    sheet's XML took 3.8 GB."""
    node = root
    while node is not None and len(node):
        if _local(node.tag) == "c":
            for child in [ch for ch in node[:-1] if _local(ch.tag) not in ("f", "v")]:
                node.remove(child)
        else:
            del node[:-1]
        node = node[-1]


def _local(tag) -> str:
    """An element's name without its namespace ("" for a comment's or a processing instruction's)."""
    return tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""


def _row_number(el, otherwise: int) -> int:
    """A <row>'s number as its r says it (from 1), or `otherwise` where it says none."""
    text = el.get("r")
    return int(text) if text is not None and text.strip().isascii() and text.strip().isdigit() else otherwise


def _column_index(letters: str) -> int:
    """A, B, ..., Z, AA ... as a column index from 0 (the reverse of column_letter)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _xlsx_cell(el, ns: str, r: int, c: int, grid: list[list[Any]], first: int, wanted: set[int],
               formats: dict[str, str], errors: dict[tuple[int, int], tuple[str, str]]) -> None:
    """One <c> of _xlsx_cells (`ns`: its namespace, {…}): a formula without its result, an error
    value, an id shown by its format."""
    kind = el.get("t", "n")
    value = el.findtext(f"{ns}v") or None
    formula = el.find(f"{ns}f") is not None
    blank = r >= len(grid) or c >= len(grid[r]) or grid[r][c] is None
    if kind == "e" and (blank or not formula):  # an error value (of a formula, or pasted as a value)
        errors[(r, c)] = _error_value(value or "#N/A")
    elif formula and blank and not (kind == "str" and value is None):  # (a text result saved empty: blank)
        errors[(r, c)] = _UNSAVED
    elif c in wanted and r >= first and not blank and (code := formats.get((el.get("s") or "0").strip())) is not None:
        number = grid[r][c]
        if isinstance(number, (int, float)) and not isinstance(number, bool) and float(number).is_integer() and \
                abs(number) < EXCEL_DIGITS_LOST:  # digits lost: refused
            text = _formatted(int(number), code)
            if text is not None:
                grid[r][c] = text


def _id_formats(z) -> dict[str, str]:
    """The cell styles (their index in cellXfs) of the open .xlsx `z` whose number format pads with
    zeros or adds letters (000000, "E"0000: custom formats, listed in its styles; no built-in one
    does) -> that format; streamed through a parser target (no tree: the part may be large, or
    millions of empty elements), read past damage as the reader reads it."""
    from lxml import etree

    target = _Formats()
    parser = etree.XMLParser(target=target, recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with z.open("xl/styles.xml") as fh:
            while chunk := fh.read(1 << 16):
                parser.feed(chunk)
        parser.close()
    except (KeyError, etree.XMLSyntaxError, OSError, ValueError):
        pass
    return target.out


class _Formats:
    """_id_formats' parser target: the custom number formats of <numFmts> (a conditional format's,
    in <dxfs>, is no cell's), and the styles of <cellXfs> that use one of those that show an id."""

    def __init__(self):
        self.open: list[str] = []  # the names of the elements open, outermost first
        self.codes: dict[str, str] = {}
        self.out: dict[str, str] = {}
        self.index = 0

    def start(self, tag, attrib) -> None:
        local, parent = _local(tag), self.open[-1] if self.open else ""
        if local == "numFmt" and parent == "numFmts":
            code = attrib.get("formatCode") or ""
            if _formatted(1, code) is not None:
                self.codes[attrib.get("numFmtId") or ""] = code
        elif local == "xf" and parent == "cellXfs":
            if (code := self.codes.get(attrib.get("numFmtId") or "0")) is not None:
                self.out[str(self.index)] = code
            self.index += 1
        self.open.append(local)

    def end(self, tag) -> None:
        if self.open:
            self.open.pop()

    def data(self, data) -> None:
        pass

    def close(self) -> dict[str, str]:
        return self.out


def _not_too_large(path: Path, suffix: str) -> None:
    """Refuse, before reading, a file larger than MAX_SHEET_BYTES, or a zipped workbook that says
    it unpacks to more (what its zip directory says of each part)."""
    import zipfile

    size = path.stat().st_size
    unpacked = 0
    if size <= MAX_SHEET_BYTES and suffix in (".xlsx", ".xlsm", ".ods"):
        try:
            with zipfile.ZipFile(path) as z:
                unpacked = sum(info.file_size for info in z.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # not a zip: the reader says what it is
    if size > MAX_SHEET_BYTES or unpacked > MAX_SHEET_BYTES:
        mb, limit = max(size, unpacked) / 1048576, MAX_SHEET_BYTES // 1048576
        how = ("解压后" if unpacked > MAX_SHEET_BYTES else "", "unpacked " if unpacked > MAX_SHEET_BYTES else "")
        raise SafetrainError(f"{path}：文件{how[0]}过大（{mb:.0f} MB，上限 {limit} MB），未读取：请只保留需要导入的工作表和行",
                             f"{path}: the file is too large {how[1]}({mb:.0f} MB, the limit is {limit} MB); not read: "
                             "keep only the sheet and rows to import")


def _read_workbook(path: Path, sheet: str | None, headers: dict[str, tuple[str, ...]],
                   anchors: tuple[str, ...]) -> tuple[list[list[Any]], str, list[str], list, list[str], int]:
    """(grid from A1, sheet name, hidden sheet names, merged
    ranges ((first row, first column), (last row, last column)), from 0), the other visible sheets
    with a header row of `headers` naming one of `anchors`: records that were not read (a 说明 sheet beside
    the roster is none), and how many sheets are visible."""
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's errors (in English): not a workbook, encrypted, damaged
        zh, en = _what_it_is(path)
        raise SafetrainError(f"{path}：无法读取工作簿（{zh}）", f"{path}: cannot read the workbook ({en}: {exc})") from None
    try:
        sheets = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        hidden = [m.name for m in sheets if m.visible != calamine.SheetVisibleEnum.Visible]
        visible = [m.name for m in sheets if m.name not in hidden]
        if sheet is None:
            if not visible:
                raise SafetrainError(f"{path}：没有可见的工作表", f"{path}: no visible sheet")
            name = visible[0]
        elif sheet in [m.name for m in sheets]:
            name = sheet
        else:
            raise SafetrainError(f"{path}：没有名为 {sheet} 的工作表（有：{'、'.join(m.name for m in sheets)}）",
                                 f"{path}: no sheet named {sheet} (there are: {', '.join(m.name for m in sheets)})")
        try:
            data = book.get_sheet_by_name(name)
            grid = [[None if v == "" else v for v in row] for row in data.to_python(skip_empty_area=False)]
            merged = list(data.merged_cell_ranges or [])
        except Exception as exc:  # the sheet itself damaged (its XML cut short) in a workbook that opened
            raise SafetrainError(f"{path}：无法读取工作表“{name}”（文件已损坏）",
                                 f"{path}: cannot read the sheet \"{name}\" (the file is damaged: {exc})") from None
        others = [v for v in visible if v != name and _has_header(book, v, headers, anchors)]
    finally:
        book.close()
    return grid, name, [h for h in hidden if h != name], merged, others, len(visible)


def _has_header(book, name: str, headers: dict[str, tuple[str, ...]], anchors: tuple[str, ...]) -> bool:
    """Whether the sheet `name` of the open workbook has a header row of records: one naming an
    anchor field and another (a 说明 sheet listing the headers one a row has none); a sheet that cannot
    be read is said to have one (it may). Only its first HEADER_SEARCH_ROWS rows are looked at, but
    python-calamine (0.9) loads a sheet whole when it is asked for (iter_rows and to_python(nrows=)
    only limit what is converted): some 0.03 s for each other sheet of 5,000 rows."""
    import itertools

    lookup = header_lookup(headers)
    try:
        rows = list(itertools.islice(book.get_sheet_by_name(name).iter_rows(), HEADER_SEARCH_ROWS))
    except Exception:  # a damaged sheet beside the one read: not ours to read, but maybe records
        return True
    for row in rows:
        named = {_field(v, lookup) for v in row if v != ""} - {None}
        if len(named) > 1 and named & set(anchors):
            return True
    return False


def _what_it_is(path: Path) -> tuple[str, str]:
    """Why a file named as a workbook could not be read, as far as its name and first bytes tell:
    Excel's lock file (~$花名册.xlsx), another format under the name (an .xlsx saved as .xls, a web
    page a system exported as "Excel"), or else damaged or encrypted."""
    if path.name.startswith("~$"):
        return (f"这是 Excel/WPS 打开文件时生成的临时锁文件，不是表格；请导入 {path.name[2:]}",
                f"this is the lock file Excel/WPS makes while a file is open, not a sheet; import {path.name[2:]}")
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        head = b""
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        real = _zip_kind(path)
        if real is not None and real != suffix.lstrip("."):
            return (f"文件实为 .{real} 格式，扩展名却是 {suffix}；请把扩展名改为 .{real} 后再导入",
                    f"the file is an .{real} named {suffix}; rename it to .{real} and import again")
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffix != ".xls":
        return (f"工作簿设置了打开密码（加密），或实为 .xls（Excel 97–2003）格式而扩展名是 {suffix}："
                "请在 Excel 或 WPS 中去掉密码后另存为 .xlsx，或把扩展名改为 .xls",
                f"the workbook has a password to open it (encrypted), or is an .xls (Excel 97–2003) named {suffix}: "
                "remove the password in Excel or WPS and save it as .xlsx, or rename it to .xls")
    text = _text_of(head)
    if text is not None and re.match(r"\s*<(!doctype|html|\?xml|table|meta|head|body|style|!--)", text, re.I):
        return ("文件实为网页（HTML/XML）格式，是某些系统导出的“Excel”；请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入",
                "the file is a web page (HTML/XML), as some systems export \"Excel\"; open it in Excel or WPS and "
                "save it as .xlsx")
    if text is not None and "\t" in text:
        return ("文件实为以制表符分隔的文本，是某些系统导出的“Excel”；请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入",
                "the file is tab-separated text, as some systems export \"Excel\"; open it in Excel or WPS and save "
                "it as .xlsx")
    if text is not None:
        return ("文件实为纯文本，不是工作簿；如是逗号分隔的表格，请把扩展名改为 .csv",
                "the file is plain text, no workbook; if it is comma-separated, rename it to .csv")
    return "文件已损坏、加密，或不是 Excel/WPS 工作簿", "damaged, encrypted, or no Excel/WPS workbook"


def _zip_kind(path: Path) -> str | None:
    """xlsx or ods, by what a zip file holds (a workbook under another suffix); None for another zip."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                return "ods"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _text_of(head: bytes) -> str | None:
    """The first bytes of a file as text (UTF-8, or UTF-16 by its byte-order mark), or None for binary."""
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, "ignore")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of what was read
            try:
                text = head.decode("gb18030")
            except UnicodeDecodeError:
                return None
        else:
            text = head[:exc.start].decode("utf-8")
    return text if text and all(ch.isprintable() or ch in "\t\r\n" for ch in text) else None


_LITERAL = re.compile(r'"([^"]*)"|\\(.)')
_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
#: the text a number cell may show in place of its number: an id's (000120, E0045)
_ID_SHOWN = re.compile(r"[A-Za-z\-_/]*\d+[A-Za-z\-_/]*")


#: Excel's error values, as a cell shows them
_ERROR_TEXT = re.compile(r"#(?:N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)")


def _error_value(value: str) -> tuple[str, str]:
    return (f"公式的结果是错误值 {value}（如 #N/A 是查找没有找到对应的值），请在表中改正后再导入",
            f"the formula's result is the error {value} (#N/A: a lookup found nothing); correct it in the sheet "
            "and import again")


def _ods_cells(path: Path, name: str, grid: list[list[Any]], first: int,
               columns: list[int]) -> tuple[dict[tuple[int, int], tuple[str, str]], set[int], list]:
    """What the reader does not give of an .ods sheet, from its content.xml: the cells whose formula
    gave an error value (#N/A; read as blank), the text a number in `columns` shows (000120 for
    120 in a 工号 column formatted 000000), put into `grid` from row index `first`, the
    numbers of the rows hidden or filtered out, and the merged cells (as calamine gives them)."""
    import zipfile

    from lxml import etree

    t, o, x, p = (f"{{{_ODS[k]}}}" for k in ("table", "office", "calcext", "text"))
    errors: dict[tuple[int, int], tuple[str, str]] = {}
    hidden: set[int] = set()
    merges: list = []
    wanted = set(columns)
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
            inside, r, c = False, 0, 0
            for event, el in etree.iterparse(fh, events=("start", "end"), resolve_entities=False, no_network=True,
                                             huge_tree=False):
                tag = el.tag
                if tag == f"{t}table":
                    if event == "start":
                        inside, r = el.get(f"{t}name") == name, 0
                    elif inside:
                        break
                    continue
                if not inside:
                    if event == "end" and tag in (f"{t}table-row", f"{t}table-cell"):
                        el.clear()
                    continue
                if tag == f"{t}table-row":
                    if event == "start":
                        c = 0
                        if el.get(f"{t}visibility") in ("collapse", "filter"):
                            repeat = int(el.get(f"{t}number-rows-repeated", "1"))
                            hidden.update(range(r + 1, min(r + repeat, len(grid)) + 1))
                    else:
                        r += int(el.get(f"{t}number-rows-repeated", "1"))
                        el.clear()
                        if r >= len(grid):
                            break
                elif tag in (f"{t}table-cell", f"{t}covered-table-cell") and event == "end":
                    span = int(el.get(f"{t}number-columns-repeated", "1"))
                    down = int(el.get(f"{t}number-rows-spanned", "1"))
                    if down > 1:
                        across = int(el.get(f"{t}number-columns-spanned", "1"))
                        merges.append(((r, c), (r + down - 1, c + across - 1)))
                    error = el.get(f"{x}value-type") == "error"
                    if error or (c in wanted and r >= first and el.get(f"{o}value-type") == "float"):
                        text = "\n".join("".join(q.itertext()) for q in el.iter(f"{p}p")).strip()
                        if error:
                            errors[(r, c)] = _error_value(text or "#N/A")
                        elif r < len(grid) and c < len(grid[r]):
                            number = grid[r][c]
                            if isinstance(number, (int, float)) and float(number).is_integer() and \
                                    text != str(int(number)) and _ID_SHOWN.fullmatch(text) and \
                                    str(int(number)) in text:
                                grid[r][c] = text
                    c += span
                    el.clear()
    except (KeyError, zipfile.BadZipFile, OSError, etree.XMLSyntaxError, ValueError):
        return errors, hidden, merges
    return errors, hidden, merges


def _xls_cells(path: Path, name: str, grid: list[list[Any]], first: int,
               columns: list[int]) -> tuple[dict[tuple[int, int], tuple[str, str]], set[int]]:
    """As _ods_cells, for an .xls (Excel 97–2003) read with xlrd: error values, the text a number in
    `columns` shows by its number format (as _as_shown for an .xlsx), hidden rows."""
    import xlrd

    errors: dict[tuple[int, int], tuple[str, str]] = {}
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # xlrd's errors: what calamine read is kept as it is
        return errors, set()
    try:
        sheet = book.sheet_by_name(name)
        hidden = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden and r < len(grid)}
        for r in range(min(sheet.nrows, len(grid))):
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype == xlrd.XL_CELL_ERROR:
                    errors[(r, c)] = _error_value(xlrd.error_text_from_code.get(cell.value, "#N/A"))
                elif c in columns and r >= first and cell.ctype == xlrd.XL_CELL_NUMBER and \
                        float(cell.value).is_integer() and c < len(grid[r]) and abs(cell.value) < EXCEL_DIGITS_LOST:
                    xf = book.xf_list[cell.xf_index]
                    text = _formatted(int(cell.value), book.format_map[xf.format_key].format_str)
                    if text is not None:
                        grid[r][c] = text
        return errors, hidden
    except Exception:  # pragma: no cover - a file calamine read and xlrd cannot: read as calamine read it
        return errors, set()
    finally:
        book.release_resources()


def _formatted(n: int, number_format: str) -> str | None:
    """`n` as the number format shows it when the format is zeros with literal text around them
    ("000000", '"E"0000', "E0000"); None for any other format (the number is then read as is)."""
    parts = _id_format(number_format)
    if parts is None or n < 0:
        return None
    prefix, width, suffix = parts
    return f"{prefix}{str(n).zfill(width)}{suffix}"


@functools.lru_cache(maxsize=256)
def _id_format(number_format: str) -> tuple[str, int, str] | None:
    """(the text before the zeros, how many, the text after) of an id's number format, None for
    any other (read once a format: a sheet's ids share a few)."""
    fmt = number_format.split(";")[0]
    if fmt in ("General", "0", "@") or "0" not in fmt:
        return None
    head = fmt.split("0", 1)[0]
    digits = re.match(r"0+", fmt[len(head):]).group(0)
    prefix, rest = _literal_text(head)
    suffix, rest2 = _literal_text(fmt[len(head) + len(digits):])
    if rest or rest2:
        return None  # thousands separators, decimals, colours...: not an id's format
    return prefix, len(digits), suffix


def _literal_text(part: str) -> tuple[str, bool]:
    """(the literal text of a format piece: "E", a backslashed E or plain letters; whether anything else is left)."""
    text = "".join(a or b for a, b in _LITERAL.findall(part))
    left = _LITERAL.sub("", part)
    plain = re.fullmatch(r"[A-Za-z\-_/]*", left) is not None
    return text + (left if plain else ""), not plain
