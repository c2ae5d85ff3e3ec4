"""Build the built-in Word templates into safetrain/templates/*.docx.

    PYTHONPATH=. python templates/build_templates.py            # write all kinds
    PYTHONPATH=. python templates/build_templates.py person     # one kind
    PYTHONPATH=. python templates/build_templates.py --check    # exit 1 if a committed file is stale

The .docx files are committed; this script is how they are made, so a change
to a template's layout is a change here, reviewed as code, and regenerating
gives the same bytes. Each file is an ordinary Word document with docxtpl tags:
a safety officer may open it in Word, restyle it and save it as
`<archive>/templates/<kind>.docx` to override the built-in one.

Conventions (docs/STYLE.md, docxtpl):
- A4, 2.5 cm top and bottom, 2.8 cm left (binding), 2.2 cm right: 16 cm of text width.
- 宋体 body, 黑体 headings and titles: the East Asian font is set in each
  style's rFonts (w:eastAsia), and the theme fonts are removed, because a
  theme font overrides an explicit one.
- Repeating table rows use `{%tr for r in rows %}` ... `{%tr endfor %}` rows;
  a plain `{% for %}` inside a table corrupts the document.
- Values arrive as strings formatted by safetrain/reports/contexts.py.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "safetrain" / "templates"
BUILT = date(2024, 1, 1)  # the fixed date stamped into the templates' properties

BODY_FONT, HEAD_FONT, LATIN = "宋体", "黑体", "Times New Roman"
TEXT_WIDTH = 16.0  # cm
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


def _height(row, cm: float, exact: bool = False) -> None:
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
        _height(row, height)
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
                _height(row, item[2])
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
            empty: str = "（无）", left: tuple[str, ...] = (), height: float = 0.6):
    """A table whose rows repeat over `items`: header, {%tr for %}, the row, {%tr endfor %},
    and a "（无）" row when the list is empty."""
    table = _table(doc, 7, widths)
    head = table.rows[0]
    _repeat_header(head)
    _height(head, 0.7)
    for i, h in enumerate(headers):
        _cell(head.cells[i], h, bold=True, shade=True)

    def control(row, tag: str):
        cell = row.cells[0].merge(row.cells[-1])
        _cell(cell, tag, align=LEFT)

    control(table.rows[1], f"{{%tr for {var} in {items} %}}")
    data = table.rows[2]
    _height(data, height)
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
    return table


def signatures(doc, labels: list[str], widths: list[float] | None = None, height: float = 1.6):
    """Signature boxes: a label on top, room to sign, 年 月 日 at the bottom."""
    n = len(labels)
    widths = widths or [TEXT_WIDTH / n] * n
    table = _table(doc, 1, widths)
    row = table.rows[0]
    _height(row, height)
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


# -------------------------------------------------------------------- the kinds
def person(doc):
    title(doc, "员工安全教育培训档案", "（一人一档）")
    para(doc, "单位：{{ enterprise }}", after=2)
    para(doc, "工号：{{ person.id }}        截至：{{ printed }}", after=6)
    heading(doc, "一、基本情况")
    w = [2.6, 5.4, 2.6, 5.4]
    form(doc, [
        [L("姓名"), "{{ person.name }}", L("工号"), "{{ person.id }}"],
        [L("性别"), "{{ person.gender }}", L("身份证号"), "{{ person.id_number }}"],
        [L("用工形式"), "{{ person.employment }}", L("技能等级"), "{{ person.skill_level }}"],
        [L("部门（车间）"), "{{ person.department }}", L("班组"), "{{ person.team }}"],
        [L("岗位（工种）"), "{{ person.post }}", L("人员类别"), "{{ person.roles }}"],
        [L("入职日期"), "{{ person.hired }}", L("上岗日期"), "{{ person.on_post }}"],
        [L("离职日期"), "{{ person.left }}", L("现岗位起始"), "{{ person.post_since }}"],
    ], w)
    heading(doc, "二、岗位变动记录")
    listing(doc, ["日期", "变动", "部门（车间）", "班组", "岗位（工种）"],
            ["date", "kind", "department", "team", "post"], [2.6, 3.2, 3.8, 2.6, 3.8], "posts")
    heading(doc, "三、安全教育培训记录")
    listing(doc, ["日期", "培训名称", "类型", "级别", "学时", "计入学时", "成绩", "结果"],
            ["date", "title", "type", "level", "hours", "credited", "score", "result"],
            [2.4, 4.5, 2.1, 2.1, 1.1, 1.3, 1.1, 1.4], "trainings", left=("title",), empty="（无培训记录）")
    para(doc, "岗前培训计入学时：{{ pre_job_hours }}（要求不少于 {{ pre_job_required }}）；"
              "累计计入学时：{{ total_hours }}。", before=3, after=3)
    heading(doc, "四、年度培训学时")
    listing(doc, ["年度", "计入学时", "要求学时", "结果"], ["year", "hours", "required", "status"],
            [3.0, 4.0, 4.0, 5.0], "years")
    heading(doc, "五、持证情况")
    listing(doc, ["证书", "作业类别", "证号", "发证日期", "有效期至", "复审记录", "状态"],
            ["kind", "category", "number", "issued", "expires", "reviews", "state"],
            [2.8, 2.0, 3.6, 1.9, 1.9, 1.9, 1.9], "certificates", empty="（无证书）")
    heading(doc, "六、应急演练")
    listing(doc, ["日期", "演练名称", "规模", "场景"], ["date", "title", "scale", "scenario"],
            [2.6, 8.2, 2.2, 3.0], "drills", left=("title",))
    heading(doc, "七、师带徒")
    listing(doc, ["身份", "师傅/徒弟", "岗位", "开始", "计划结束", "出师"],
            ["role", "other", "post", "start", "end", "signed_off"], [1.4, 3.6, 3.0, 2.6, 2.6, 2.8], "mentorships")
    heading(doc, "八、违章记录")
    listing(doc, ["日期", "内容"], ["date", "note"], [2.6, 13.4], "violations", left=("note",))
    heading(doc, "备注")
    para(doc, "{{ person.note }}", after=8)
    signatures(doc, ["本人签名：", "安全管理部门（盖章）："])


def card(doc):
    title(doc, "三级安全教育卡")
    para(doc, "单位：{{ enterprise }}", after=6)
    w = [2.6, 5.4, 2.6, 5.4]
    form(doc, [
        [L("姓名"), "{{ person.name }}", L("工号"), "{{ person.id }}"],
        [L("性别"), "{{ person.gender }}", L("身份证号"), "{{ person.id_number }}"],
        [L("部门（车间）"), "{{ person.department }}", L("班组"), "{{ person.team }}"],
        [L("岗位（工种）"), "{{ person.post }}", L("用工形式"), "{{ person.employment }}"],
        [L("入职日期"), "{{ person.hired }}", L("上岗日期"), "{{ person.on_post }}"],
    ], w, height=0.7)
    for level in ("company", "workshop", "team"):
        gap(doc, 6)
        v = "{{ %s.%%s }}" % level
        table = form(doc, [
            [H("{{ %s.label }}安全教育" % level, 4)],
            [L("教育日期"), v % "dates", L("学时"), v % "hours"],
            [L("教育内容"), (v % "content", 3, 1.5)],
            [L("授课人"), v % "instructor", L("考核成绩"), f"{v % 'score'} {v % 'result'}"],
            [L("受教育人签名"), "", L("教育者签名"), ""],
        ], w, height=0.7)
        _height(table.rows[4], 1.1)
    gap(doc, 6)
    form(doc, [
        [L("岗前培训学时"), ("计入 {{ total_hours }} 学时（要求不少于 {{ required_hours }} 学时）", 3)],
        [L("结论"), ("{{ conclusion }}", 3)],
        [L("安全管理部门意见"), ("", 3, 1.4)],
    ], w, height=0.7)


def session(doc):
    title(doc, "安全培训记录", "（一期一档）")
    para(doc, "单位：{{ enterprise }}        编号：{{ session.id }}", after=6)
    w = [2.6, 5.4, 2.6, 5.4]
    form(doc, [
        [L("培训名称"), ("{{ session.title }}", 3)],
        [L("培训类型"), "{{ session.type }}", L("培训级别"), "{{ session.level }}"],
        [L("培训时间"), ("{{ session.time }}", 3)],
        [L("培训地点"), "{{ session.location }}", L("学时"), "{{ session.hours }}"],
        [L("授课人"), "{{ session.instructor }}", L("培训机构"), "{{ session.provider }}"],
        [L("服务合同"), ("{{ session.contract }}", 3)],
        [L("培训方式"), "{{ session.methods }}", L("考核方式"), "{{ session.assessment }}（合格线 {{ session.pass_mark }}）"],
        [L("培训主题"), ("{{ session.topics }}", 3)],
        [L("培训内容"), ("{{ session.content }}", 3, 3.0)],
        [L("附件"), ("{{ session.attachments }}", 3)],
        [L("备注"), ("{{ session.note }}", 3)],
    ], w)
    heading(doc, "参加人员及考核结果")
    para(doc, "参加 {{ count }} 人，合格 {{ passed }} 人，不合格 {{ failed }} 人。", after=4)
    listing(doc, ["序号", "工号", "姓名", "部门（车间）", "成绩", "结果", "计入学时", "本人签名"],
            ["n", "id", "name", "department", "score", "result", "hours", None],
            [1.1, 2.0, 2.2, 3.4, 1.4, 1.5, 1.6, 2.8], "attendees", var="a", empty="（无参加人员）", height=0.8)
    gap(doc, 10)
    signatures(doc, ["授课人签名：", "记录人签名：", "安全管理部门审核："])


def signin(doc):
    title(doc, "培训签到表")
    para(doc, "单位：{{ enterprise }}        编号：{{ session.id }}", after=6)
    w = [2.6, 5.4, 2.6, 5.4]
    form(doc, [
        [L("培训名称"), ("{{ session.title }}", 3)],
        [L("培训时间"), ("{{ session.time }}", 3)],
        [L("培训地点"), "{{ session.location }}", L("学时"), "{{ session.hours }}"],
        [L("授课人"), "{{ session.instructor }}", L("培训类型"), "{{ session.type }}"],
    ], w)
    gap(doc, 8)
    listing(doc, ["序号", "工号", "姓名", "部门（车间）", "签到时间", "本人签名"],
            ["n", "id", "name", "department", None, None], [1.2, 2.4, 2.6, 3.8, 2.4, 3.6],
            "attendees", var="a", height=0.9)
    para(doc, "应到 {{ count }} 人，实到 ______ 人。", before=8, after=4)
    para(doc, "授课人签名：______________        记录人签名：______________", before=8)


def register(doc):
    gap(doc, 60)
    title(doc, "企业安全培训档案册", "（一企一册）")
    gap(doc, 30)
    p = para(doc, "{{ e.name }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, after=30)
    p.runs[0].font.size = Pt(16)
    w = [3.6, 12.4]
    form(doc, [
        [L("单位名称"), "{{ e.name }}"],
        [L("统一社会信用代码"), "{{ e.credit_code }}"],
        [L("行业"), "{{ e.industry }}"],
        [L("所在地区"), "{{ e.region }}"],
        [L("地址"), "{{ e.address }}"],
        [L("人员密集场所"), "{{ e.crowded_place }}（使用燃气：{{ e.uses_gas }}）"],
        [L("建档起始日期"), "{{ e.records_since }}"],
        [L("适用规则"), "{{ ruleset }}"],
        [L("统计截止日期"), "{{ printed }}"],
    ], w, height=0.9)
    gap(doc, 30)
    signatures(doc, ["单位主要负责人（签名）：", "安全管理部门负责人（签名）：", "单位（盖章）："], height=2.2)
    page_break(doc)

    heading(doc, "一、基本情况")
    w4 = [4.4, 3.6, 4.4, 3.6]
    form(doc, [
        [L("在岗人数"), "{{ n.active }}", L("主要负责人、安全管理人员"), "{{ n.managers }}"],
        [L("特种作业人员"), "{{ n.special_operators }}", L("培训期数"), "{{ n.sessions }}"],
        [L("新上岗人员岗前培训"), "{{ n.pre_job }}", L("2023年全员培训覆盖"), "{{ n.campaign }}"],
        [L("{{ n.hours_year }}年度学时达标"), "{{ n.hours_met }}", L("人均计入学时"), "{{ n.hours_average }}"],
        [L("应急演练（建档以来）"), "{{ n.drills }}", L("检查发现问题"), "{{ n.findings }}"],
    ], w4)
    gap(doc, 6)
    listing(doc, ["用工形式", "在岗人数"], ["label", "count"], [8.0, 8.0], "employment", empty="（无在岗人员）")
    heading(doc, "二、持证情况")
    form(doc, [
        [L("有效"), L("即将到期"), L("待复审"), L("复审逾期"), L("已过期")],
        ["{{ n.certs_valid }}", "{{ n.certs_expiring }}", "{{ n.certs_review_due }}", "{{ n.certs_review_overdue }}",
         "{{ n.certs_expired }}"],
    ], [3.2] * 5, align=WD_ALIGN_PARAGRAPH.CENTER)
    heading(doc, "三、各部门培训覆盖（{{ n.hours_year }}年度）")
    listing(doc, ["部门（车间）", "在岗人数", "本年度参训", "学时达标", "参训率"],
            ["department", "active", "trained", "met", "percent"], [5.2, 2.7, 2.7, 2.7, 2.7], "departments",
            left=("department",))
    heading(doc, "四、培训台账（一期一档）")
    listing(doc, ["日期", "培训名称（编号）", "类型", "级别", "学时", "人数", "合格"],
            ["date", "title|id", "type", "level", "hours", "count", "passed"],
            [2.4, 5.6, 2.3, 2.3, 1.1, 1.1, 1.2], "sessions", left=("title|id",), empty="（无培训记录）")
    heading(doc, "五、应急演练")
    listing(doc, ["日期", "演练名称（编号）", "规模", "场景", "人数"], ["date", "title|id", "scale", "scenario", "count"],
            [2.4, 8.4, 1.8, 2.2, 1.2], "drills", left=("title|id",), empty="（无演练记录）")
    heading(doc, "六、问题汇总")
    intro = para(doc, "截至 {{ printed }}，按所适用规则检查，发现问题 {{ n.findings }} 个，其中错误 {{ n.errors }} 个、"
                      "警告 {{ n.warnings }} 个。", indent=True, after=4)
    intro.paragraph_format.keep_with_next = True
    listing(doc, ["规则族", "内容", "错误", "警告", "合计"], ["family", "name", "errors", "warnings", "total"],
            [2.0, 7.0, 2.3, 2.3, 2.4], "families", empty="（未发现问题）")
    gap(doc, 6)
    listing(doc, ["代码", "问题", "级别", "数量", "依据"], ["code", "title", "severity", "count", "citation"],
            [1.6, 5.4, 1.4, 1.4, 6.2], "codes", left=("title", "citation"), empty="（未发现问题）")
    gap(doc, 10)
    signatures(doc, ["填表人：", "审核人："])


def mentorship(doc):
    title(doc, "师带徒协议书")
    para(doc, "单位：{{ enterprise }}", after=6)
    para(doc, "为使新上岗人员尽快掌握本岗位安全操作技能，依据《生产经营单位安全培训规定》第十九条及"
              "本单位师带徒管理制度，经单位同意，师傅（甲方）与徒弟（乙方）签订本协议。", indent=True, after=6)
    w = [3.0, 5.0, 3.0, 5.0]
    form(doc, [
        [H("甲方（师傅）", 2), H("乙方（徒弟）", 2)],
        [L("姓名"), "{{ mentor.name }}", L("姓名"), "{{ apprentice.name }}"],
        [L("工号"), "{{ mentor.id }}", L("工号"), "{{ apprentice.id }}"],
        [L("身份证号"), "{{ mentor.id_number }}", L("身份证号"), "{{ apprentice.id_number }}"],
        [L("部门（车间）"), "{{ mentor.department }}", L("部门（车间）"), "{{ apprentice.department }}"],
        [L("岗位（工种）"), "{{ mentor.post }}", L("岗位（工种）"), "{{ apprentice.post }}"],
        [L("技能等级"), "{{ mentor.skill_level }}", L("入职日期"), "{{ apprentice.hired }}"],
        [L("本岗位工作起始"), "{{ mentor.post_since }}", L("带徒岗位"), "{{ post }}"],
    ], w, height=0.7)
    clauses = [
        ("一、带徒期限", ["自 {{ start }} 起至 {{ end }} 止。实习期不少于 {{ min_months }} 个月；期满经考核合格、"
                     "由甲方签署实习合格证明后，乙方方可独立上岗作业。"]),
        ("二、甲方职责", ["1. 向乙方传授本岗位安全操作规程、安全操作技能和事故应急处置方法；",
                     "2. 在现场作业中对乙方的作业行为进行监护，及时纠正违章行为；",
                     "3. 实习期内不安排乙方单独作业；",
                     "4. 实习期满对乙方进行考核，如实签署实习合格证明。"]),
        ("三、乙方职责", ["1. 虚心学习，服从甲方的安全指导和监护；",
                     "2. 严格遵守安全生产规章制度和操作规程，未经许可不得独立操作；",
                     "3. 正确佩戴和使用劳动防护用品；",
                     "4. 按时参加实习考核。"]),
        ("四、其他", ["本协议一式三份，甲乙双方和单位安全管理部门各执一份，自签订之日起生效。{{ note }}"]),
    ]
    for head, body in clauses:
        heading(doc, head, 2)
        for line in body:
            para(doc, line, indent=True, after=1)
    gap(doc, 10)
    signatures(doc, ["甲方（师傅）签名：", "乙方（徒弟）签名：", "单位安全管理部门（盖章）："], height=2.0)
    page_break(doc)
    title(doc, "实习合格证明")
    para(doc, "单位：{{ enterprise }}", after=10)
    para(doc, "兹证明 {{ apprentice.name }}（工号 {{ apprentice.id }}）在 {{ mentor.name }} 师傅带领下，自 {{ start }} "
              "起在{{ post }}岗位实习，于 {{ signed_off }} 经考核合格，准予独立上岗作业。", indent=True, after=10)
    form(doc, [
        [L("出师日期"), ("{{ signed_off }}", 3)],
        [L("考核内容及成绩"), ("", 3, 2.4)],
        [L("师傅评语"), ("", 3, 2.4)],
    ], w)
    gap(doc, 10)
    signatures(doc, ["师傅签名：", "徒弟签名：", "安全管理部门意见（盖章）："], height=2.0)


def page_break(doc):
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def drill(doc):
    title(doc, "应急演练记录")
    para(doc, "单位：{{ enterprise }}        编号：{{ drill.id }}", after=6)
    w = [2.6, 5.4, 2.6, 5.4]
    form(doc, [
        [L("演练名称"), ("{{ drill.title }}", 3)],
        [L("演练日期"), "{{ drill.date }}", L("演练地点"), "{{ drill.location }}"],
        [L("演练规模"), "{{ drill.scale }}", L("演练场景"), "{{ drill.scenario }}"],
        [L("参加人数"), ("{{ count }}", 3)],
        [L("附件"), ("{{ drill.attachments }}", 3)],
        [L("演练评估"), ("{{ drill.evaluation }}", 3, 3.0)],
        [L("存在问题及改进措施"), ("", 3, 2.0)],
        [L("备注"), ("{{ drill.note }}", 3)],
    ], w)
    heading(doc, "参加人员")
    listing(doc, ["序号", "工号", "姓名", "部门（车间）", "本人签名"], ["n", "id", "name", "department", None],
            [1.4, 2.8, 3.0, 4.8, 4.0], "participants", var="p", empty="（无参加人员）", height=0.8)
    gap(doc, 10)
    signatures(doc, ["演练总指挥签名：", "记录人签名："])


KINDS = {
    "person": ("员工安全教育培训档案", person),
    "card": ("三级安全教育卡", card),
    "session": ("安全培训记录", session),
    "signin": ("培训签到表", signin),
    "register": ("企业安全培训档案册", register),
    "mentorship": ("师带徒协议书", mentorship),
    "drill": ("应急演练记录", drill),
}


# ---------------------------------------------------------------------- output
def _trim(doc) -> None:
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


def build(kind: str) -> bytes:
    from safetrain.reports import ooxml

    name, make = KINDS[kind]
    doc = new_document(name)
    make(doc)
    _trim(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return ooxml.normalize(buf.getvalue(), name, BUILT)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kinds", nargs="*", metavar="KIND", help=f"any of {', '.join(KINDS)} (default: all)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a committed template differs from a fresh build")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    stale = []
    for kind in args.kinds or list(KINDS):
        if kind not in KINDS:
            ap.error(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
        data = build(kind)
        path = args.out / f"{kind}.docx"
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path.name)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path} ({len(data):,} bytes)")
    if stale:
        print("stale: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
