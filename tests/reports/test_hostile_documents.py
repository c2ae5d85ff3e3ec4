"""Every XML part of every document kind, rendered from hostile data, is well-formed.

`check` reports control characters in text fields (A002) and leaves such a
record out; here validation is told to let them through, as if a value got
past it (a library caller, a field added later), to prove that every writer
still drops or escapes what XML cannot hold."""

import re
import zipfile

import pytest
from lxml import etree
from printing import AS_OF, FILES

from helpers import config
from safetrain.api import check_path
from safetrain.reports.kinds import DOCUMENT_KINDS
from safetrain.reports.ledger import write_ledger
from safetrain.reports.render import render_documents

#: what people paste: a vertical tab from Word, other C0 controls, an escape sequence, markup,
#: template syntax, a CDATA end, quotes, a right-to-left override, an emoji, a lone NUL
HOSTILE = r"\u000b\u0001\u001b[31m<w:p>&amp;]]>{{ x }}{% if %}'\"\u202e😀\u0000\u0008\u001f\ufffe\uffff"
TEXT_KEYS = ("name", "title", "department", "post", "team", "content", "location", "instructor", "evaluation", "note",
             "category", "number", "region", "address")
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")  # and bidi controls


def hostile(text: str) -> str:
    """Append HOSTILE to every string value of a text key in a TOML file."""
    keys = "|".join(TEXT_KEYS)
    return re.sub(rf'^(\s*(?:{keys}) = "(?:[^"\\\n]|\\.)*)"', lambda m: m.group(1) + HOSTILE + '"', text, flags=re.M)


@pytest.fixture
def result(make_archive, any_text_through):
    files = {rel: hostile(text) if isinstance(text, str) else text for rel, text in FILES.items()}
    files["safetrain.toml"] = hostile(config())
    files["people/E0006.toml"] = files["people/E0002.toml"].replace("李梅", "长" * 5000)
    r = check_path(make_archive(files), AS_OF)
    assert not [f for f in r.findings if f.code in ("A001", "A002")]
    assert "\x0b" in r.archive.people["E0001"].name  # the hostile values did get through
    return r


def parse_every_part(data_or_path) -> dict[str, etree._Element]:
    parts = {}
    with zipfile.ZipFile(data_or_path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                blob = z.read(name)
                assert not CONTROLS.search(blob.decode("utf-8")), name
                parts[name] = etree.fromstring(blob)  # raises on anything malformed
    return parts


@pytest.mark.parametrize("kind", list(DOCUMENT_KINDS))
def test_every_part_of_every_document_kind_is_well_formed(result, kind, tmp_path):
    everything = DOCUMENT_KINDS[kind].record_kind is not None
    files = render_documents(result, kind, out_dir=tmp_path, everything=everything)
    assert files
    for path in files:
        parts = parse_every_part(path)
        text = "".join(parts["word/document.xml"].itertext())
        assert "<w:p>&amp;]]>{{ x }}" in text or kind in ("card", "signin", "mentorship", "drill"), path
    core = parse_every_part(files[0])["docProps/core.xml"]
    assert core is not None


def test_every_part_of_the_ledger_is_well_formed(result, tmp_path):
    from openpyxl import load_workbook

    path = write_ledger(result, tmp_path / "l.xlsx")
    parts = parse_every_part(path)
    title = parts["docProps/core.xml"].findtext("{http://purl.org/dc/elements/1.1/}title")
    assert title.startswith("安全培训台账 宁夏测试机械有限公司") and "<w:p>" in title
    book = load_workbook(path)
    cells = [c for ws in book for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("<w:p>&amp;]]>{{ x }}" in c for c in cells)


def test_the_html_report_and_the_calendar_hold_no_control_characters(result, tmp_path):
    from safetrain.reports.expiring import expiring_document, expiring_ics
    from safetrain.reports.html.site import build_site, render_site

    pages = render_site(build_site([result], "zh"))
    for name, data in pages.items():
        assert not CONTROLS.search(data.decode("utf-8")), name
    assert any("&lt;w:p&gt;" in data.decode("utf-8") for data in pages.values())
    ics = expiring_ics(expiring_document([result], 3650))
    assert not CONTROLS.search(ics)


@pytest.mark.parametrize("text", ["", "中文 plain \t\n\r\x7f \ufffd 😀", "a\x0bb", "\x00", "x\ufffey\uffff", "lone \ud800 \udfff",
                                  "长" * 300 + "\x1f", "\ufeff\u202e"])
def test_a_page_s_bytes_are_its_text_without_controls_in_utf8(text):
    """What the HTML report writes: its text without what XML cannot hold, in UTF-8, found in the bytes."""
    from safetrain.controls import drop_controls, utf8_without_controls

    assert utf8_without_controls(text) == drop_controls(text).encode("utf-8")


def test_a_folder_named_with_a_direction_control_reaches_no_page(make_archive, tmp_path):
    """An archive folder named bidi<U+202E>abc reversed the as-of date and the rule set's name
    beside it on the dashboard ("2024-06-30" read "03-60-4202"); no check sees a folder's name,
    so every page drops the bidi controls, as it drops what XML cannot hold."""
    from click.testing import CliRunner

    from safetrain.cli import main

    make_archive(FILES, root=tmp_path / "ws" / "bidi\u202eabc")
    make_archive(FILES, root=tmp_path / "ws" / "plain")
    r = CliRunner().invoke(main, ["report", "html", str(tmp_path / "ws"), "-o", str(tmp_path / "site"),
                                  "--as-of", str(AS_OF)])
    assert r.exit_code in (0, 1), r.output
    pages = [p for p in (tmp_path / "site").rglob("*") if p.is_file() and p.suffix in (".html", ".svg", ".css", ".js")]
    assert pages and not [p for p in pages if CONTROLS.search(p.read_text("utf-8"))]
    assert any("bidiabc" in p.read_text("utf-8") for p in pages if p.name == "index.html")


@pytest.mark.parametrize("name", ["a" * 252, "档" * 85])
def test_an_archive_with_a_long_folder_name_is_published(make_archive, tmp_path, name):
    """A folder name of 251-255 bytes is a valid archive; its page name (the slug and .html) was
    too long to write and the archive was left out of the site. The slug is cut and kept apart
    by a digest."""
    from click.testing import CliRunner

    from safetrain.cli import main

    make_archive(FILES, root=tmp_path / "ws" / name)
    make_archive(FILES, root=tmp_path / "ws" / (name[:-1] + "b"))
    r = CliRunner().invoke(main, ["report", "html", str(tmp_path / "ws"), "-o", str(tmp_path / "site"),
                                  "--as-of", str(AS_OF)])
    assert r.exit_code in (0, 1), r.output
    pages = sorted(p.name for p in (tmp_path / "site" / "a").glob("*.html"))
    assert len(pages) == 2 and all(len(p.encode()) <= 130 for p in pages), pages
