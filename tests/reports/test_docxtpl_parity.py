"""Our compiled renderer (reports/wordtpl.py) calls docxtpl's undocumented
helpers (patch_xml, resolve_listing, fix_tables, fix_docpr_ids). Its documents
must read exactly as docxtpl's own `DocxTemplate.render` makes them, for every
built-in template, so that a docxtpl upgrade that changes those helpers fails here."""

import io
from pathlib import Path

import pytest

from safetrain.reports.facts import Facts
from safetrain.reports.kinds import DOCUMENT_KINDS
from safetrain.reports.samples import AS_OF, sample_result
from safetrain.reports.wordtpl import CompiledTemplate, jinja_env

TEMPLATES = Path(__file__).resolve().parents[2] / "safetrain" / "templates"
BUILT_IN = sorted(p.stem for p in TEMPLATES.glob("*.docx"))


def contexts(kind_name: str) -> list[tuple[str, dict]]:
    """(title, context) of every document the sample archive gives for a kind."""
    kind = DOCUMENT_KINDS[kind_name]
    facts = Facts(sample_result())
    ids = kind.ids(facts.archive) or [""]
    return [(f"{kind.title} {rid}".strip(), kind.build(facts, rid)) for rid in ids]


def tricky(value):
    """Every string of a context with what escaping and docxtpl's listing handling must get
    right: XML characters, a line break, a tab, a new paragraph."""
    if isinstance(value, dict):
        return {k: tricky(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tricky(v) for v in value]
    return f"{value} <甲&乙>\n第二行\t制表\a新段" if isinstance(value, str) and value else value


def reading(data: bytes) -> list[tuple[str, str]]:
    """(where, text) of every paragraph and every table cell (nested tables too), then of
    every header and footer of every section: what a reader of the document sees."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    out: list[tuple[str, str]] = []

    def block(where: str, container) -> None:
        for i, p in enumerate(container.paragraphs):
            out.append((f"{where} p{i}", p.text))
        for t, table in enumerate(container.tables):
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    here = f"{where} t{t} r{r} c{c}"
                    out.append((here, cell.text))
                    block(here, cell)

    block("body", doc)
    for s, section in enumerate(doc.sections):
        for name in ("header", "footer", "first_page_header", "first_page_footer", "even_page_header",
                     "even_page_footer"):
            part = getattr(section, name)
            if not part.is_linked_to_previous:
                block(f"section{s} {name}", part)
    return out


def docxtpl_render(kind_name: str, context: dict) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(TEMPLATES / f"{kind_name}.docx"))
    tpl.render(context, jinja_env=jinja_env())
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def test_every_built_in_template_is_covered():
    assert BUILT_IN == sorted(DOCUMENT_KINDS)


@pytest.mark.parametrize("variant", ["sample", "tricky"])
@pytest.mark.parametrize("kind_name", BUILT_IN)
def test_our_renderer_reads_as_docxtpl_render(kind_name, variant):
    compiled = CompiledTemplate.from_file(TEMPLATES / f"{kind_name}.docx")
    for title, context in contexts(kind_name):
        if variant == "tricky":
            context = tricky(context)
        ours, theirs = reading(compiled.render(context, title, AS_OF)), reading(docxtpl_render(kind_name, context))
        assert ours == theirs, (kind_name, title)
        assert sum(bool(text.strip()) for _, text in ours) > 5  # a document, not two empty ones
        if variant == "tricky":
            assert any("<甲&乙>" in text for _, text in ours) and any("\t制表" in text for _, text in ours)


def xml_parts(data: bytes) -> dict[str, bytes]:
    """Every XML part of a .docx in canonical form (c14n), but the document properties,
    which we fix for byte-identical output and docxtpl leaves as the template has them."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: etree.tostring(etree.fromstring(z.read(name)), method="c14n")
                for name in sorted(z.namelist())
                if name.endswith((".xml", ".rels")) and name != "docProps/core.xml"}


@pytest.mark.parametrize("kind_name", BUILT_IN)
def test_our_renderer_writes_the_same_xml_as_docxtpl_render(kind_name):
    """Stricter than the text: table grids, image ids and run properties too."""
    compiled = CompiledTemplate.from_file(TEMPLATES / f"{kind_name}.docx")
    for title, context in contexts(kind_name):
        for ctx in (context, tricky(context)):
            ours, theirs = xml_parts(compiled.render(ctx, title, AS_OF)), xml_parts(docxtpl_render(kind_name, ctx))
            assert ours.keys() == theirs.keys()
            assert [name for name in ours if ours[name] != theirs[name]] == [], (kind_name, title)


def png_1x1() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def test_cell_tags_and_pictures_take_docxtpl_fix_ups_alike(tmp_path):
    """The built-in templates need neither docxtpl's table-grid fix (cell-level tags) nor
    its picture-id renumbering; a user's template may: same XML as docxtpl there too."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ enterprise }}"
    doc.add_paragraph("{{ person.name }}")
    table = doc.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["{%tc for r in years %}", "{{ r.year }}", "{%tc endfor %}"]):
        cell.text = text
    (tmp_path / "dot.png").write_bytes(png_1x1())
    doc.add_paragraph().add_run().add_picture(str(tmp_path / "dot.png"), width=Cm(1))
    doc.save(str(tmp_path / "person.docx"))

    compiled = CompiledTemplate.from_file(tmp_path / "person.docx")
    assert compiled.needs_tree == {"word/document.xml"}
    from docxtpl import DocxTemplate

    for title, context in contexts("person"):
        tpl = DocxTemplate(str(tmp_path / "person.docx"))
        tpl.render(context, jinja_env=jinja_env())
        buf = io.BytesIO()
        tpl.save(buf)
        ours, theirs = compiled.render(context, title, AS_OF), buf.getvalue()
        assert reading(ours) == reading(theirs)
        assert xml_parts(ours) == xml_parts(theirs)
        out = Document(io.BytesIO(ours)).tables[0]
        assert [c.text for c in out.rows[0].cells] == [y["year"] for y in context["years"]] == ["2023", "2024"]
        assert len(out._tbl.tblGrid.gridCol_lst) == 2  # the grid fixed as docxtpl does
        assert b'id="1001"' in xml_parts(ours)["word/document.xml"]  # pictures renumbered as docxtpl does
