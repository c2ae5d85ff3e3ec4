"""reports/terminal.py: the terminal tables of the views (expiring, cert list, status, matrix)."""

import re
from pathlib import Path

import pytest
from helpers import AS_OF

from safetrain.api import check_paths
from safetrain.reports.certlist import certificate_rows, certificate_text
from safetrain.reports.expiring import expiring_document, expiring_text
from safetrain.reports.matrix import matrix_document, matrix_text
from safetrain.reports.status import status_document, status_text
from safetrain.reports.terminal import table, to_text

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"


@pytest.fixture(scope="module")
def results():
    return list(check_paths(sorted(p for p in SAMPLE.iterdir() if (p / "safetrain.toml").is_file()), AS_OF))


def _views(results):
    yield "expiring", lambda lang, w: expiring_text(expiring_document(results), lang, width=w)
    yield "status", lambda lang, w: status_text(status_document(results), lang, width=w)
    for r in results:
        yield f"cert list {r.archive.name}", lambda lang, w, r=r: certificate_text(certificate_rows(r), lang, width=w)
        yield f"matrix {r.archive.name}", lambda lang, w, r=r: matrix_text(matrix_document(r), lang, width=w)


def test_english_headers_are_never_broken_inside_a_word(results):
    """At 100 columns (not a terminal) and narrower, "Department" was "Departmen / t", "Category"
    "Cate / gory", "By family" "By / fami / ly": a column is at least its header's longest word,
    and the table is as wide as that needs; no cell is cropped for it."""
    for name, view in _views(results):
        wide = view("en", 1000)
        words = {w for w in wide.split() if w.isascii() and len(w) > 2}
        for width in (100, 80, 60, 40):
            out = view("en", width)
            assert not words - set(out.split()), (name, width, sorted(words - set(out.split())), out)
    out = expiring_text(expiring_document(results), "en", width=100)
    assert re.search(r"\bDepartment\s+Certificate\b", out) and "xingqing-machinery" in out, out
    status = status_text(status_document(results), "en", width=100).split()
    assert "family" in status and "fami" not in status


def test_longest_word_of_a_header():
    from safetrain.reports.terminal import longest_word

    assert longest_word("By family") == 6 and longest_word("ok/soon/lapsed") == 14
    assert longest_word("持证人") == 2 and longest_word("") == 0  # Chinese breaks between any characters


def test_a_narrow_table_is_as_wide_as_its_header_words_need():
    t = table("Department", "Certificate", ("Number", {"no_wrap": True}))
    t.add_row("机电队", "special op. 煤矿提升机操作作业", "T640181********3614")
    lines = to_text(t, width=20).splitlines()
    assert lines[0].split() == ["Department", "Certificate", "Number"]
    assert "T640181********3614" in to_text(t, width=20)


# --- terminal.py's own layout (terminal._laid_out) against rich's ---------------------------------

_WORDS = ["E1", "E10000", "张三", "欧阳明月", "仓储物流部", "4/8 !", "—", "", "2024-06-30", "a b", "合格",
          "Department", "x", "12/24", "已过期", "即将到期", "Löwe", "ｆｕｌｌ", "a  b", "e\u0301", "😀", "[red]markup[/red]",
          "Three-level training missing for this person", "安全生产管理人员年度再培训学时不足", "a-very-long-unbreakable-word"]
_ODD = [" lead", "trail ", "tab\there", "two\nlines", "\u3000全角空格"]  # what rich changes: left to it
_STYLES = ["", "bold", "green", "bold red", "yellow", "dim", "cyan"]


def _random_table(rng):
    from safetrain.reports.terminal import text

    columns = []
    for _ in range(rng.randint(1, 7)):
        name = rng.choice(["工号", "姓名", "部门", "Department", "By family", "2024学时", "证书 Category", "x"])
        opts = {}
        if rng.random() < 0.4:
            opts["no_wrap"] = True
        if rng.random() < 0.3:
            opts["justify"] = "center"
        columns.append((name, opts) if opts else name)
    t = table(*columns)
    for _ in range(rng.randint(0, 12)):
        cells = []
        for _ in columns:
            word = rng.choice(_ODD if rng.random() < 0.01 else _WORDS) * rng.choice([1, 1, 1, 2, 5])
            cells.append(text(word, rng.choice(_STYLES)) if rng.random() < 0.5 else word)
        t.add_row(*cells)
    return t


def test_tables_laid_out_without_rich_are_rich_s_own_layout():
    """The views' tables are laid out by terminal.py itself (rich took 3.9 s for a matrix of 2,000
    people): for 1,500 random tables of CJK, wide, combining and empty cells, long words and
    sentences, centred and no-wrap columns, at widths from 10 to 200 (so that cells wrap, headers
    wrap and columns are narrowed), the text is rich's, character for character, and with colour
    the same once the colour codes are taken out; a table rich would crop, or a cell rich would
    change (a tab, a line break, blanks at its ends), is left to rich."""
    import io
    import random

    from rich.console import Console

    from safetrain.reports import terminal
    from safetrain.reports.terminal import text

    rng = random.Random(20261203)
    laid = wrapped = left = 0
    for _ in range(1500):
        width = rng.choice([10, 20, 30, 40, 60, 80, 100, 200])
        t = _random_table(rng)
        title = text(rng.choice(["标题", "A title that is rather long for a narrow terminal " * 2]), "bold")
        cells = terminal._cells(t)
        wide = cells and max(width, terminal._needed_by(t, cells))
        mine = cells and terminal._laid_out(t, cells, wide, False, Console(file=io.StringIO(), width=wide))
        if mine is None:
            left += 1
        else:
            laid += 1
        assert to_text(title, t, "end", width=width) == to_text(title, t, "end", width=width, fast=False)
        if mine is not None:  # (a title wrapped in colour keeps a blank inside its codes: rich's, not the table's)
            coloured = to_text(t, width=width, color=True)
            assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == to_text(t, width=width)
            wrapped += mine.count("\n") > len(t.rows) + 2  # a cell or a header took more than one line
    assert laid > 500 and left > 100 and wrapped > 100  # every way was tried


def test_a_large_matrix_is_laid_out_without_rich(monkeypatch):
    """The views' tables of real size take the one-line layout (not rich's per-cell rendering)."""
    from rich.table import Table

    from safetrain.reports.terminal import text

    t = table(("工号", {"no_wrap": True}), "姓名", ("2024学时", {"justify": "center", "no_wrap": True}))
    for i in range(2000):
        t.add_row(f"E{i:05d}", "张三", text("4/8 !", "yellow"))
    monkeypatch.setattr(Table, "__rich_console__", lambda *a: (_ for _ in ()).throw(AssertionError("rich laid it out")))
    out = to_text(t, width=80)
    assert out.count("\n") == 2002 and "E01999  张三   4/8 !" in out
