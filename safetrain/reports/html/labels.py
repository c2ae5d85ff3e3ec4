"""Every word the HTML report prints that is not data, in Chinese and English.

Templates receive the labels of one language as `L` (a plain dict), so a
user's template writes `{{ L.findings }}` and gets the site's language."""

from __future__ import annotations

from functools import lru_cache

from ...rules.certstatus import STATE_LABELS
from ..matrix import LEGEND

_LABELS: dict[str, tuple[str, str]] = {
    # the site
    "site_title": ("安全培训档案概览", "Safety-training dashboard"),
    "generated": ("由 safetrain {version} 生成 · 截至 {as_of}", "Made by safetrain {version} · as of {as_of}"),
    "workspace": ("工作区", "Workspace"),
    "skip": ("跳到正文", "Skip to the content"),
    "nav": ("导航", "Navigation"),
    "archives_n": ("{n} 个档案 · 截至 {as_of}", "{n} archives · as of {as_of}"),
    "print_note": ("打印：浏览器“打印”即可，图表与颜色说明随页打印。", "Print from the browser: charts and legends print with the page."),
    # the workspace table
    "archive": ("档案", "Archive"), "enterprise": ("企业", "Enterprise"), "industry": ("行业", "Industry"),
    "ruleset": ("规则集", "Rule set"), "headcount": ("在岗", "Active"), "state": ("状态", "State"),
    "findings_col": ("问题（错误/警告）", "Findings (errors/warnings)"), "by_family": ("按规则族", "By family"),
    "pre_job": ("岗前培训", "Pre-job"), "hours": ("年度学时达标", "Yearly hours met"), "campaign": ("全员安全培训", "Campaign"),
    "certs_lapsed": ("证书已过期", "Certificates lapsed"), "certs_30": ("30天内到期", "Due ≤30 days"),
    "certs_60": ("60天内到期", "Due ≤60 days"), "last_drill": ("最近演练", "Last drill"),
    "plan_col": ("本年计划（已实施/应实施）", "This year's plan (done/due)"), "no_plan": ("无计划", "no plan"),
    "total": ("合计", "Total"), "filter": ("筛选", "Filter"), "filter_hint": ("输入企业、档案或行业", "enterprise, archive or industry"),
    "show": ("显示", "Show"), "all": ("全部", "all"), "sort_by": ("按此列排序", "sort by this column"),
    "none": ("无", "none"), "dash": ("—", "—"),
    "light_red": ("需处理", "act now"), "light_amber": ("需关注", "watch"), "light_green": ("正常", "fine"),
    "light_legend": ("状态：■ 需处理＝有错误或证书已过期；▲ 需关注＝有警告或证书30天内到期；● 正常＝都没有。",
                     "State: ■ act now = errors or a lapsed certificate; ▲ watch = warnings or a certificate due "
                     "within 30 days; ● fine = neither."),
    "shown_n": ("显示 {shown} / {n} 个档案", "{shown} of {n} archives shown"),
    # the archive page
    "overview": ("概况", "Overview"), "records_since": ("档案自 {since}", "records since {since}"),
    "active_people": ("在岗人员", "Active people"), "people_n": ("{n} 人", "{n}"),
    "managers": ("主要负责人/安全管理人员 {n} · 特种作业人员 {s}", "managers {n} · special operators {s}"),
    "pre_job_card": ("岗前培训完成", "Pre-job training complete"), "hours_card": ("{year}年学时达标", "Hours {year} met"),
    "campaign_card": ("全员安全培训覆盖", "Campaign coverage"), "of": ("{covered}/{judged} 人", "{covered} of {judged}"),
    "avg_hours": ("人均 {avg} 学时，应 {need}", "{avg} hours per person, {need} required"),
    "certificates": ("证书", "Certificates"), **STATE_LABELS, "upcoming": ("提前提示", "upcoming"),
    "drills": ("应急演练", "Drills"), "drills_n": ("共 {n} 次", "{n} in all"), "last": ("最近 {day}", "last {day}"),
    "sessions": ("培训记录", "Sessions"), "findings": ("问题", "Findings"),
    "plan_card": ("{year}年培训计划", "Training plan {year}"),
    "plan_note": ("已实施 {done}/{due} 项 · 共 {items} 项", "{done} of {due} items due carried out · {items} in all"),
    "plan_none": ("没有经批准的计划（plans/{year}.toml）", "no approved plan (plans/{year}.toml)"),
    "plan_held": ("计划执行情况", "Plan against what was held"),
    "plan_held_note": ("一个计划项目在当年计划月份或之后开始过同类型培训，即视为已实施。",
                       "An item is carried out when a session of its type started in its month or later that year."),
    "plan_approved": ("{year}年度计划，{approved} 批准{by}{budget}", "Plan {year}, approved {approved}{by}{budget}"),
    "plan_by": ("（{name}）", " by {name}"), "plan_budget": ("，经费 {budget} 元", ", budget {budget} yuan"),
    "plan_item": ("培训项目", "Planned training"), "plan_type": ("类型", "Type"), "plan_month": ("计划月份", "Month"),
    "plan_audience": ("培训对象", "Audience"), "plan_hours": ("计划学时", "Hours"),
    "plan_state": ("实施情况", "State"), "plan_session": ("实施培训", "Held as"),
    "errors": ("错误", "errors"), "warnings": ("警告", "warnings"), "infos": ("提示", "info"),
    "error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info"),
    "no_findings": ("没有问题。", "No findings."),
    "family": ("{family} 族", "Family {family}"), "rule_page": ("规则说明", "rule page"),
    "where": ("位置", "Where"), "subject": ("对象", "Subject"), "period": ("期间", "Period"),
    "message": ("说明", "Message"), "citation": ("依据", "Citation"), "rule": ("规则", "Rule"),
    "severity": ("严重程度", "Severity"), "count": ("条数", "Count"),
    "charts": ("图表", "Charts"),
    "dept_hours": ("{year}年各部门人均学时与要求", "Hours {year} per person by department, against the requirement"),
    "dept_hours_note": ("实心条为人均已得学时，竖线为人均应得学时；条末数字为 已得/应得，括号内为达标人数。",
                        "Bars: hours credited per person; tick: required per person; figures: credited/required "
                        "(people meeting it)."),
    "department": ("部门", "Department"), "credited": ("已得学时", "Credited"), "required": ("应得学时", "Required"),
    "met": ("达标", "Met"),
    "calendar": ("应急演练日历", "Drill calendar"),
    "calendar_note": ("每格为当月演练次数；标 ! 的格子所在期间有演练问题（见下方）。要求：{cadence}。",
                      "Each cell: drills held that month; ! marks a month in a period with a drill finding "
                      "(listed below). Required: {cadence}."),
    "cadence_month": ("一月一小练、一季一大练、半年一检验", "a drill a month, a large one a quarter, an assessment each half-year"),
    "cadence_half": ("每半年至少一次演练", "at least one drill each half-year"),
    "month": ("月", "Month"), "year": ("年", "Year"), "outside": ("档案期外", "outside the records"),
    "timeline": ("未来12个月证书到期", "Certificates due in the next 12 months"),
    "timeline_note": ("每月到期或需复审的证书数；已过期、复审逾期的另列。", "Certificates expiring or due for review each month; "
                      "lapsed ones are counted apart."),
    "lapsed_now": ("已过期或复审逾期：{n}", "Lapsed or review overdue now: {n}"),
    "coverage_years": ("历年培训覆盖", "Coverage over the years"),
    "coverage_years_note": ("深色：年度学时达标率（规则 Y 判定的人员，当年至今）；浅色：岗前培训覆盖率（当年上岗的新员工）。",
                            "Dark: yearly hours met (people the Y rules judge; this year so far); light: pre-job "
                            "training before the post (newcomers of that year)."),
    "hours_met_pct": ("学时达标率", "Hours met"), "pre_job_pct": ("岗前覆盖率", "Pre-job"),
    "not_judged": ("未判定", "not judged"),
    "due_list": ("证书到期与复审（60天内）", "Certificates due (60 days)"),
    "days_left": ("剩余天数", "Days"), "due": ("日期", "Due"), "holder": ("持证人", "Holder"),
    "certificate": ("证书", "Certificate"), "number": ("证号", "Number"),
    "nothing_due": ("60天内没有过期、到期或待复审的证书。", "No certificate lapsed or due within 60 days."),
    "matrix": ("人员×要求", "Person × requirement"), "people": ("人员", "People"),
    "left_out": ("以下档案无法读取，未列入本报告（见命令的输出）", "These archives could not be read and are not in this report (see the command's output)"),
    "colon": ("：", ": "),
    "matrix_legend": LEGEND,  # the matrix's own (its cells are printed as `matrix` prints them)
    "id": ("工号", "ID"), "name": ("姓名", "Name"), "left_on": ("已离职 {day}", "left {day}"),
    "page_n": ("第 {n} 页", "page {n}"), "pages": ("分页", "Pages"), "prev": ("上一页", "previous"),
    "next": ("下一页", "next"), "people_range": ("第 {first}–{last} 人，共 {n} 人", "people {first}–{last} of {n}"),
    "people_range_former": ("第 {first}–{last} 人，共 {n} 人（在岗 {active} 人，已离职 {former} 人）",
                            "people {first}–{last} of {n} ({active} employed, {former} who left)"),
    "col_pre_job": ("岗前", "Pre-job"), "col_company": ("公司级", "Company"), "col_workshop": ("车间级", "Workshop"),
    "col_team": ("班组级", "Team"), "col_hours_this_year": ("{year}学时", "Hours {year}"),
    "col_hours_last_year": ("{last}学时", "Hours {last}"), "col_certificate": ("证书", "Certificate"),
    "col_mentorship": ("师带徒", "Mentorship"),
    "cell_current": ("已满足", "met"), "cell_expiring": ("即将到期或待完成", "expiring or due"),
    "cell_expired": ("已过期", "expired"), "cell_missing": ("缺失", "missing"), "cell_n.a.": ("不适用", "not applicable"),
    # the person page
    "person": ("一人一档", "Person file"), "id_number": ("身份证号", "ID number"), "employment": ("用工形式", "Employment"),
    "post": ("岗位", "Post"), "team": ("班组", "Team"), "roles": ("角色", "Roles"), "hired": ("入职", "Hired"),
    "on_post": ("上岗", "On the post"), "left": ("离职", "Left"), "in_post": ("在岗", "still employed"),
    "trainings": ("培训经历", "Training history"), "date": ("日期", "Date"), "title": ("名称", "Title"),
    "type": ("类型", "Type"), "level": ("级别", "Level"), "session_hours": ("学时", "Hours"),
    "credited_hours": ("计入学时", "Credited"), "score": ("成绩", "Score"), "result": ("结果", "Result"),
    "no_trainings": ("没有培训记录。", "No training on record."),
    "yearly": ("年度学时", "Yearly hours"), "status": ("情况", "Status"),
    "no_certificates": ("没有证书。", "No certificates."), "issued": ("发证", "Issued"), "expires": ("有效期至", "Expires"),
    "open_findings": ("未解决的问题", "Open findings"), "requirements": ("要求", "Requirements"),
    "back_archive": ("返回档案", "back to the archive"),
    # the rule pages
    "rules": ("规则", "Rules"), "rules_of": ("规则集 {name}", "Rule set {name}"),
    "what": ("检查内容", "What it checks"), "why": ("为什么", "Why it matters"), "example": ("示例", "Example"),
    "fix": ("如何改正", "How to fix"), "figures": ("参数", "Figures"), "enabled": ("启用", "on"), "disabled": ("未启用", "off"),
    "value": ("值", "Value"), "tier": ("适用于", "Applies to"), "default": ("缺省", "default"),
    # results and statuses (contexts print Chinese; the site translates)
    "合格": ("合格", "passed"), "不合格": ("不合格", "failed"), "无考核": ("无考核", "no assessment"),
    "未记录": ("未记录", "not recorded"), "达标": ("达标", "met"), "进行中": ("进行中", "in progress"),
    "建档不满一年": ("建档不满一年", "records start mid-year"), "在职不满一年": ("在职不满一年", "employed part of the year"),
    "未达标": ("未达标", "short"),
}


@lru_cache(maxsize=None)
def labels(lang: str) -> dict[str, str]:
    """Every label in `lang` (zh unless en); one dict per language, shared by the pages."""
    i = 1 if lang == "en" else 0
    return {key: pair[i] for key, pair in _LABELS.items()}


def t(key: str, lang: str, **values) -> str:
    text = _LABELS[key][lang == "en"]
    return text.format(**values) if values else text
