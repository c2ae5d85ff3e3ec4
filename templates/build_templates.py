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

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from wordkit import (H, L, form, gap, heading, listing, new_document, page_break, para, row_height, signatures,
                     title, trim)

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "safetrain" / "templates"
BUILT = date(2024, 1, 1)  # the fixed date stamped into the templates' properties


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
    para(doc, "岗前培训：{{ pre_job }}；累计计入学时：{{ total_hours }}。", before=3, after=3)
    heading(doc, "四、年度培训学时")
    para(doc, "{{ years_counted }}", after=3)
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
            [L("授课人"), v % "instructor", L("考核成绩"), v % "grade"],
            [L("受教育人签名"), "", L("教育者签名"), ""],
        ], w, height=0.7)
        row_height(table.rows[4], 1.1)
    gap(doc, 6)
    form(doc, [
        [L("岗前培训学时"), ("{{ pre_job }}", 3)],
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
        [L("培训方式"), "{{ session.methods }}", L("考核方式"), "{{ session.assessment }}{{ session.pass_mark_note }}"],
        [L("培训主题"), ("{{ session.topics }}", 3)],
        [L("培训内容"), ("{{ session.content }}", 3, 3.0)],
        [L("附件"), ("{{ session.attachments }}", 3)],
        [L("备注"), ("{{ session.note }}", 3)],
    ], w)
    heading(doc, "参加人员及考核结果")
    para(doc, "参加 {{ count }} 人，合格 {{ passed }} 人，不合格 {{ failed }} 人，未记录考核结果 {{ unrecorded }} 人。",
         after=4)
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
            "attendees", var="a", height=0.9, empty="（名单为空：请在下列空行签到）", tail="blank")
    keep = para(doc, "应到 {{ count }} 人，实到 ______ 人。", before=8, after=4)
    keep.paragraph_format.keep_with_next = True  # the blank rows, this line and the signatures: one page
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
        [L("应急演练（建档以来）"), "{{ n.drills }}", L("{{ n.findings_label }}"), "{{ n.findings_shown }}"],
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
    listing(doc, ["日期", "培训名称（编号）", "类型", "级别", "学时", "人数", "合格", "培训机构（服务合同）"],
            ["date", "title|id", "type", "level", "hours", "count", "passed", "provider|contract"],
            [2.0, 3.9, 1.8, 1.8, 1.2, 1.2, 1.2, 2.9], "sessions", left=("title|id", "provider|contract"),
            empty="（无培训记录）")
    heading(doc, "五、应急演练")
    listing(doc, ["日期", "演练名称（编号）", "类型", "规模", "场景", "人数"],
            ["date", "title|id", "type", "scale", "scenario", "count"],
            [2.2, 5.8, 3.0, 1.6, 2.2, 1.2], "drills", left=("title|id",), empty="（无演练记录）")
    heading(doc, "六、年度安全培训计划执行情况")
    para(doc, "{{ plan.caption }}", indent=True, after=4).paragraph_format.keep_with_next = True
    listing(doc, ["序号", "培训项目", "类型", "计划月份", "培训对象", "计划学时", "实施情况", "实施培训"],
            ["n", "title", "type", "month", "audience", "hours", "state", "session|held"],
            [1.0, 3.8, 2.0, 1.4, 2.6, 1.4, 1.6, 2.2], "plan.rows", left=("title", "audience", "session|held"),
            empty="（无计划项目）")
    para(doc, "{%p if show_findings %}")
    heading(doc, "七、问题汇总")
    intro = para(doc, "截至 {{ printed }}，按所适用规则检查，发现问题 {{ n.findings }} 个，其中错误 {{ n.errors }} 个、"
                      "警告 {{ n.warnings }} 个。", indent=True, after=4)
    intro.paragraph_format.keep_with_next = True
    listing(doc, ["规则族", "内容", "错误", "警告", "合计"], ["family", "name", "errors", "warnings", "total"],
            [2.0, 7.0, 2.3, 2.3, 2.4], "families", empty="（未发现问题）")
    gap(doc, 6)
    listing(doc, ["代码", "问题", "级别", "数量", "依据"], ["code", "title", "severity", "count", "citation"],
            [1.6, 5.4, 1.4, 1.4, 6.2], "codes", left=("title", "citation"), empty="（未发现问题）")
    gap(doc, 6)
    para(doc, "豁免（不再报告的问题及其理由）：", indent=True, after=2).paragraph_format.keep_with_next = True
    listing(doc, ["规则", "对象", "文件", "理由", "有效至"], ["rule", "subject", "file", "reason", "until"],
            [3.2, 1.8, 3.6, 5.6, 1.8], "waivers", left=("rule", "file", "reason"), empty="（无豁免）")
    para(doc, "{%p endif %}")
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
        ("四、其他", ["本协议一式三份，甲乙双方和单位安全管理部门各执一份，自签订之日起生效。",
                     "{%p if note %}", "备注：{{ note }}", "{%p endif %}"]),
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


def drill(doc):
    title(doc, "应急演练记录")
    para(doc, "单位：{{ enterprise }}        编号：{{ drill.id }}", after=6)
    w = [2.6, 5.4, 2.6, 5.4]
    form(doc, [
        [L("演练名称"), ("{{ drill.title }}", 3)],
        [L("演练日期"), "{{ drill.date }}", L("演练地点"), "{{ drill.location }}"],
        [L("演练规模"), "{{ drill.scale }}", L("演练场景"), "{{ drill.scenario }}"],
        [L("演练类型"), ("{{ drill.type }}", 3)],
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


def plan(doc):
    title(doc, "{{ year }}年度安全培训计划")
    para(doc, "单位：{{ enterprise }}", align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    w = [3.0, 5.0, 3.0, 5.0]
    form(doc, [
        [L("计划年度"), "{{ year }}年", L("安全培训经费"), "{{ budget }}"],
        [L("批准日期"), "{{ approved }}", L("批准人"), "{{ approver }}"],
        [L("计划项目"), "{{ count }} 项", L("计划学时合计"), "{{ total_hours }} 学时"],
    ], w)
    heading(doc, "一、编制依据")
    para(doc, "依据《中华人民共和国安全生产法》第二十一条第（三）项“组织制定并实施本单位安全生产教育和培训计划”、"
              "《生产经营单位安全培训规定》{{ ruleset }}，结合本单位实际，制定本年度安全培训计划。",
         indent=True, after=4)
    heading(doc, "二、培训项目")
    listing(doc, ["序号", "培训项目", "培训类型", "计划月份", "培训对象", "学时"],
            ["n", "title", "type", "month", "audience", "hours"], [1.2, 4.6, 3.8, 1.8, 3.4, 1.2], "items",
            left=("title", "audience"), empty="（无计划项目）")
    heading(doc, "三、保障措施")
    for line in ["1. 安全培训经费按计划列支，专款专用；",
                 "2. 每期培训按“一期一档”建立记录，如实记录培训时间、内容、参加人员和考核结果；",
                 "3. 计划调整须经主要负责人批准，并在本计划备注中说明。"]:
        para(doc, line, indent=True, after=1)
    heading(doc, "备注")
    para(doc, "{{ note }}", after=10)
    signatures(doc, ["编制人（安全管理部门）：", "主要负责人（批准）：", "单位（盖章）："], height=2.0)


KINDS = {
    "person": ("员工安全教育培训档案", person),
    "card": ("三级安全教育卡", card),
    "session": ("安全培训记录", session),
    "signin": ("培训签到表", signin),
    "register": ("企业安全培训档案册", register),
    "mentorship": ("师带徒协议书", mentorship),
    "drill": ("应急演练记录", drill),
    "plan": ("年度安全培训计划", plan),
}


# ---------------------------------------------------------------------- output
def build(kind: str) -> bytes:
    from safetrain.reports import ooxml

    name, make = KINDS[kind]
    doc = new_document(name)
    make(doc)
    trim(doc)
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
