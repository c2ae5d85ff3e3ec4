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
