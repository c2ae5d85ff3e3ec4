"""The building blocks of the Word templates (python-docx): an A4 document with
East Asian fonts set in its styles, headings, label/value forms, tables whose
rows repeat with docxtpl's {%tr %} tags, signature boxes. Used by
build_templates.py; WordprocessingML's element order is kept throughout, since
Word refuses a file that breaks it."""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BODY_FONT, HEAD_FONT, LATIN = "宋体", "黑体", "Times New Roman"
TEXT_WIDTH = 16.0  # cm: A4 less 2.8 cm (binding) and 2.2 cm margins
SHADE = "EDEDED"


# --------------------------------------------------------------- document setup
def _fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # theme fonts (asciiTheme, eastAsiaTheme...) win over explicit ones
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _style(doc, name: str, east_asia: str, size: float, bold: bool = False, before: float = 0, after: float = 0,
           align=None, colour: RGBColor | None = None):
    style = doc.styles[name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = colour or RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr(), east_asia, HEAD_FONT if east_asia == HEAD_FONT else LATIN)
    pf = style.paragraph_format
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.line_spacing = 1.15 if name == "Normal" else None
    if align is not None:
        pf.alignment = align
    return style


def new_document(title: str, landscape: bool = False):
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    sec.top_margin = sec.bottom_margin = Cm(2.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.2)
    sec.header_distance = sec.footer_distance = Cm(1.5)

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    # the theme's East Asian fonts are the Chinese ones, not python-docx's default template's Japanese
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    _style(doc, "Normal", BODY_FONT, 10.5)
    _style(doc, "Title", HEAD_FONT, 18, bold=True, before=0, after=6, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "Subtitle", BODY_FONT, 12, after=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "Heading 1", HEAD_FONT, 14, bold=True, before=12, after=6)
    _style(doc, "Heading 2", HEAD_FONT, 12, bold=True, before=8, after=4)
    header = _style(doc, "Header", BODY_FONT, 9)
    tabs = header.paragraph_format.tab_stops  # enterprise on the left, the document's title on the right
    for stop in list(tabs):
        tabs._pPr.tabs.remove(stop._tab)
    tabs.add_tab_stop(Cm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    _style(doc, "Footer", BODY_FONT, 9, align=WD_ALIGN_PARAGRAPH.CENTER)
    for name in ("Title", "Subtitle"):  # the default template draws a border under the title
        ppr = doc.styles[name].element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    table_text = doc.styles.add_style("表格文字", 1)  # WD_STYLE_TYPE.PARAGRAPH
    table_text.base_style = doc.styles["Normal"]
    _style(doc, "表格文字", BODY_FONT, 9)
    table_text.paragraph_format.line_spacing = 1.0
    _header_footer(doc, title)
    return doc


# WordprocessingML fixes the order of child elements; Word refuses a file that
# breaks it, so each element goes in before the ones the schema puts after it.
PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                  "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
TRPR_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
TRPR_AFTER_TBLHEADER = ("w:tblCellSpacing", "w:jc", "w:hidden")


def _put(parent, el, successors) -> None:
    parent.insert_element_before(el, *successors)


def _shade(cell, fill: str = SHADE) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    _put(tcpr, _el("w:shd", val="clear", color="auto", fill=fill), TCPR_AFTER_SHD)


def _el(tag: str, **attrs):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run._r.append(instr)
    run._r.append(_el("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    end = paragraph.add_run()
    end._r.append(_el("w:fldChar", fldCharType="end"))


def _header_footer(doc, title: str) -> None:
    sec = doc.sections[0]
    head = sec.header.paragraphs[0]
    head.style = doc.styles["Header"]
    head.text = ""
    head.add_run("{{ enterprise }}")
    head.add_run("\t" + title)
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_el("w:bottom", val="single", sz=4, space=1, color="808080"))
    _put(head._p.get_or_add_pPr(), pbdr, PPR_AFTER_PBDR)
    foot = sec.footer.paragraphs[0]
    foot.style = doc.styles["Footer"]
    foot.add_run("第 ")
    _field(foot, "PAGE")
    foot.add_run(" 页  共 ")
    _field(foot, "NUMPAGES")
    foot.add_run(" 页")


# ------------------------------------------------------------------- paragraphs
def title(doc, text: str, subtitle: str | None = None) -> None:
    doc.add_paragraph(text, style="Title")
    if subtitle:
        doc.add_paragraph(subtitle, style="Subtitle")


def heading(doc, text: str, level: int = 1) -> None:
    p = doc.add_paragraph(text, style=f"Heading {level}")
    p.paragraph_format.keep_with_next = True


def para(doc, text: str = "", align=None, bold: bool = False, after: float = 0, before: float = 0,
         indent: bool = False):
    p = doc.add_paragraph()
    if text:
        p.add_run(text).bold = bold
    pf = p.paragraph_format
    pf.space_after, pf.space_before = Pt(after), Pt(before)
    if indent:
        pf.first_line_indent = Pt(21)
    if align is not None:
        p.alignment = align
    return p


# ----------------------------------------------------------------------- tables
def _table(doc, rows: int, widths: list[float]):
    assert abs(sum(widths) - TEXT_WIDTH) < 0.05 or sum(widths) < TEXT_WIDTH, widths
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths) / 2.54 * 1440)))
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)
    return table


def _cell(cell, text: str = "", bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, shade: bool = False,
          size: float | None = None):
    p = cell.paragraphs[0]
    p.style = "表格文字"
    p.alignment = align
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if shade:
        _shade(cell)
    return p


def row_height(row, cm: float, exact: bool = False) -> None:
    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _no_split(row) -> None:
    _put(row._tr.get_or_add_trPr(), _el("w:cantSplit"), TRPR_AFTER_CANTSPLIT)


def _repeat_header(row) -> None:
    _put(row._tr.get_or_add_trPr(), _el("w:tblHeader"), TRPR_AFTER_TBLHEADER)


LEFT = WD_ALIGN_PARAGRAPH.LEFT


def form(doc, rows: list[list], widths: list[float], height: float = 0.75, align=None):
    """A label/value grid. Each row is a list of cells: a label is ("label",), a value a
    plain string; (text, span) merges `span` columns; ("", span, cm) sets the row height."""
    table = _table(doc, len(rows), widths)
    for r, spec in enumerate(rows):
        row = table.rows[r]
        row_height(row, height)
        _no_split(row)
        col = 0
        for item in spec:
            item = (item,) if isinstance(item, str) else tuple(item)
            text, span = item[0], 1
            label = len(item) >= 2 and item[1] == "label"
            if len(item) >= 2 and isinstance(item[1], int):
                span = item[1]
            tall = len(item) >= 3 and isinstance(item[2], (int, float))
            if tall:
                row_height(row, item[2])
            cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[col + span - 1])
            if label:
                _cell(cell, text, bold=True, shade=True)
            elif len(item) >= 3 and item[2] == "head":
                _cell(cell, text, bold=True)
                _shade(cell, "D9D9D9")
            else:
                _cell(cell, text, align=align or LEFT)
                if tall:  # long text reads from the top left
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            col += span
    return table


def L(text: str):  # noqa: N802 - a label cell in form()
    return (text, "label")


def H(text: str, span: int):  # noqa: N802 - a heading cell across `span` columns in form()
    return (text, span, "head")


def listing(doc, headers: list[str], fields: list[str], widths: list[float], items: str, var: str = "r",
            empty: str = "（无）", left: tuple[str, ...] = (), height: float = 0.6, tail: str | None = None):
    """A table whose rows repeat over `items`: header, {%tr for %}, the row, {%tr endfor %},
    and a "（无）" row when the list is empty. `tail`: a second list whose rows follow, each
    kept with what follows the table (the last rows stay on the page of the signatures)."""
    table = _table(doc, 10 if tail else 7, widths)
    head = table.rows[0]
    _repeat_header(head)
    row_height(head, 0.7)
    for i, h in enumerate(headers):
        _cell(head.cells[i], h, bold=True, shade=True)

    def control(row, tag: str):
        cell = row.cells[0].merge(row.cells[-1])
        _cell(cell, tag, align=LEFT)

    control(table.rows[1], f"{{%tr for {var} in {items} %}}")
    data = table.rows[2]
    row_height(data, height)
    _no_split(data)
    for i, f in enumerate(fields):  # None: a column written by hand (signatures)
        main, _, sub = (f or "").partition("|")  # "title|id": the id in small grey under the title
        text = f"{{{{ {var}.{main} }}}}" if main else ""
        _cell(data.cells[i], text, align=LEFT if f in left else WD_ALIGN_PARAGRAPH.CENTER)
        if sub:
            p = data.cells[i].add_paragraph(style="表格文字")
            run = p.add_run(f"{{{{ {var}.{sub} }}}}")
            run.font.size, run.font.color.rgb = Pt(7.5), RGBColor(0x59, 0x59, 0x59)
    control(table.rows[3], "{%tr endfor %}")
    control(table.rows[4], f"{{%tr if not {items} %}}")
    empty_row = table.rows[5]
    cell = empty_row.cells[0].merge(empty_row.cells[-1])
    _cell(cell, empty)
    control(table.rows[6], "{%tr endif %}")
    if tail:
        control(table.rows[7], f"{{%tr for {var} in {tail} %}}")
        last = table.rows[8]
        row_height(last, height)
        _no_split(last)
        for i, f in enumerate(fields):
            main = (f or "").partition("|")[0]
            _cell(last.cells[i], f"{{{{ {var}.{main} }}}}" if main else "", align=WD_ALIGN_PARAGRAPH.CENTER)
            for p in last.cells[i].paragraphs:
                p.paragraph_format.keep_with_next = True
        control(table.rows[9], "{%tr endfor %}")
    return table


def signatures(doc, labels: list[str], widths: list[float] | None = None, height: float = 1.6):
    """Signature boxes: a label on top, room to sign, 年 月 日 at the bottom."""
    n = len(labels)
    widths = widths or [TEXT_WIDTH / n] * n
    table = _table(doc, 1, widths)
    row = table.rows[0]
    row_height(row, height)
    _no_split(row)
    for i, text in enumerate(labels):
        cell = row.cells[i]
        _cell(cell, text, align=LEFT)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        cell.add_paragraph("", style="表格文字")
        p = cell.add_paragraph("年    月    日", style="表格文字")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_before = Pt(14)
    return table


def gap(doc, pt: float = 4):
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(pt)
    return p


def page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def trim(doc) -> None:
    """Leave out what a template does not need: unused styles (the default template
    carries 160 of them, 430 kB), the duplicate stylesWithEffects part, customXml
    and the thumbnail."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rid)
    pkg = part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg.rels.pop(rid)
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    used = set()
    xml_parts = [part.element] + [p.element for p in (s.header.part for s in doc.sections)] + \
                [p.element for p in (s.footer.part for s in doc.sections)]
    for el in xml_parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used.update(x.get(qn("w:val")) for x in el.iter(qn(tag)))
    used.update(sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1")
    used.update({"Heading1", "Heading2", "Title", "Subtitle", "Header", "Footer"})  # for restyling in Word
    todo = list(used)
    while todo:
        s = by_id.get(todo.pop())
        if s is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = s.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, s in by_id.items():
        if sid not in used:
            styles.remove(s)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
