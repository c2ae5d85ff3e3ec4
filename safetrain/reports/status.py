"""`safetrain status`: the dashboard of one archive or a workspace.

`status_document` is the JSON (`{"archives": [...], "total": {...}}`, each
archive's entry being `summary.archive_summary`); `status_text` lays the same
document out for a terminal: a detailed block for one archive, one row per
archive and a total row for a workspace."""

from __future__ import annotations

from typing import Sequence

from ..api import Result
from ..archive.reading.codes import EMPLOYMENT, INDUSTRY, label
from ..rules.certstatus import STATE_LABELS
from .summary import archive_summary, workspace_total
from ..numbers import number_text
from .fmt import phrases
from .terminal import name_column, short_names, table, text, to_text

# What the terminal shows, in Chinese and English.
_LABELS = {
    "active": ("在岗人员", "Active people"),
    "people": ("{n} 人", "{n}"),
    "managers": ("主要负责人/安全管理人员 {n} · 特种作业人员 {s}", "managers {n} · special operators {s}"),
    "pre_job": ("岗前培训", "Pre-job training"),
    "pre_job_value": ("上岗前完成岗前培训 {covered}/{judged} 人（{pct}）",
                      "{covered} of {judged} complete (hours, levels) before starting on the post ({pct})"),
    "campaign": ("全员安全培训", "Campaign"),
    "campaign_value": ("{start}—{end}：{covered}/{judged} 人（{pct}）", "{start} to {end}: {covered} of {judged} ({pct})"),
    "hours": ("{year}年学时", "Hours {year}"),
    "hours_value": ("达标 {met}/{people} 人（{pct}）· 人均 {avg} 学时，应 {need}",
                    "{met} of {people} met the yearly figure ({pct}) · {avg} training hours per person, {need} required"),
    "certificates": ("证书", "Certificates"),
    **STATE_LABELS,
    "drills": ("应急演练", "Drills"),
    "drills_value": ("共 {n} 次", "{n} in all"),
    "month": ("按月", "by month"), "half": ("按半年", "by half-year"),
    "plan": ("{year}年培训计划", "Plan {year}"),
    "plan_value": ("已实施 {done}/{due} 项（{pct}）· 共 {items} 项，未到计划月份 {planned} 项",
                   "{done} of {due} items carried out ({pct}) · {items} in all, {planned} not yet due"),
    "plan_none": ("无经批准的年度安全培训计划（plans/{year}.toml）", "no approved training plan (plans/{year}.toml)"),
    "sessions": ("培训记录", "Sessions"),
    "findings": ("问题", "Findings"),
    "errors": ("错误", "errors"), "warnings": ("警告", "warnings"), "infos": ("提示", "info"),
    "none": ("无", "none"),
    "sep": ("；", "; "), "colon": ("：", ": "), "paren": ("（{x}）", " ({x})"),
    "header": ("{industry} · 规则集 {ruleset} · 截至 {as_of} · 档案自 {since}",
               "{industry} · rule set {ruleset} · as of {as_of} · records since {since}"),
    # the workspace table
    "archive": ("档案", "Archive"), "col_active": ("在岗", "Active"), "col_pre_job": ("岗前", "Pre-job"),
    "col_campaign": ("全员\n培训", "Campaign"), "col_hours": ("学时\n达标", "Hours\nmet"),
    "col_certificates": ("证书\n有效/将到期/过期", "Certificates\nok/soon/lapsed"),
    "col_drills": ("演练", "Drills"), "col_plan": ("计划\n已实施/应实施", "Plan\ndone/due"), "col_findings": ("问题\n错误/警告", "Findings\nerr/warn"),
    "col_families": ("按类", "By family"), "total": ("合计", "Total"),
    "workspace": ("{n} 个档案 · 截至 {as_of}", "{n} archives · as of {as_of}"),
}


_t = phrases(_LABELS)


def status_document(results: Sequence[Result]) -> dict:
    """One JSON document: every archive's summary and the workspace total."""
    return status_of([archive_summary(r) for r in results])


def status_of(summaries: Sequence[dict]) -> dict:
    """The document of `archive_summary` of each archive (as a workspace streams them)."""
    return {"archives": list(summaries), "total": workspace_total(summaries)}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _certificates(c: dict, lang: str) -> str:
    return " · ".join(f"{_t(k, lang)} {c[k]}" for k in ("valid", "expiring", "review_due", "review_overdue", "expired"))


def _findings(f: dict, lang: str) -> str:
    if not f["total"]:
        return _t("none", lang)
    parts = [f"{_t(k, lang)} {f[k]}" for k in ("errors", "warnings", "infos") if f[k]]
    return " · ".join(parts) + _t("sep", lang) + _families(f)


def _families(f: dict) -> str:
    return " ".join(f"{fam}{n}" for fam, n in f["by_family"].items())


def _drills(d: dict, lang: str, last: int = 6) -> str:
    periods = d["by_period"][-last:]
    shown = " · ".join(f"{p['period']} {p['count']}" for p in periods)
    more = "… " if len(d["by_period"]) > last else ""
    return (_t("drills_value", lang, n=d["total"]) + _t("sep", lang) + more + shown
            + _t("paren", lang, x=_t(d["cadence"], lang)))


def _plan(p: dict, lang: str) -> str:
    if p["approved"] is None:
        return _t("plan_none", lang, year=p["year"])
    return _t("plan_value", lang, done=p["done"], due=p["due"], pct=_pct(p["percent"]), items=p["items"],
              planned=p["states"]["planned"])


def _plan_cell(p: dict):
    """done/due of this year's plan; a missing plan in red."""
    if "with_plan" in p:  # the total row
        return f"{p['done']}/{p['due']}"
    if p["approved"] is None:
        return text("—", "bold red")
    return text(f"{p['done']}/{p['due']}", "yellow" if p["done"] < p["due"] else None)


def _detail(s: dict, lang: str):
    """One archive, one line per subject."""
    h = s["headcount"]
    forms = " · ".join(f"{label(EMPLOYMENT, code, lang)} {n}" for code, n in h["by_employment"].items())
    rows = [
        (_t("active", lang), _t("people", lang, n=h["active"]) + (_t("colon", lang) + forms if forms else "")),
        ("", _t("managers", lang, n=h["managers"], s=h["special_operators"])),
        (_t("pre_job", lang), _t("pre_job_value", lang, **s["pre_job"], pct=_pct(s["pre_job"]["percent"]))),
    ]
    if s["campaign"]:
        rows.append((_t("campaign", lang), _t("campaign_value", lang, **s["campaign"], pct=_pct(s["campaign"]["percent"]))))
    hrs = s["hours"]
    rows += [
        (_t("hours", lang, year=hrs["year"]), _t("hours_value", lang, met=hrs["met"], people=hrs["people"],
                                                 pct=_pct(hrs["percent_met"]), avg=number_text(hrs["average"]),
                                                 need=number_text(hrs["average_required"]))),
        (_t("certificates", lang), _certificates(s["certificates"], lang)),
        (_t("drills", lang), _drills(s["drills"], lang)),
        (_t("plan", lang, year=s["plan"]["year"]), _plan(s["plan"], lang)),
        (_t("sessions", lang), str(s["sessions"])),
        (_t("findings", lang), _findings(s["findings"], lang)),
    ]
    t = table("", ("", {"overflow": "fold"}))
    t.show_header = False
    for name, value in rows:
        t.add_row(text(name, "bold"), text(value))
    title = f"{s['archive']} · {s['enterprise']}" if s["enterprise"] else s["archive"]
    meta = _t("header", lang, industry=label(INDUSTRY, s["industry"], lang) or "—", ruleset=s["ruleset"], as_of=s["as_of"],
              since=s["window_start"])
    return text(title, "bold"), text(meta, "dim"), t


def _row(s: dict) -> list:
    c, f = s["certificates"], s["findings"]
    soon, lapsed = c["expiring"] + c["review_due"], c["expired"] + c["review_overdue"]
    campaign = s["campaign"]
    return [
        str(s["headcount"]["active"]), _pct(s["pre_job"]["percent"]), _pct(campaign["percent"]) if campaign else "—",
        _pct(s["hours"]["percent_met"]),
        text(f"{c['valid']}/{soon}/{lapsed}", "bold red" if lapsed else "yellow" if soon else None),
        str(s["drills"]["total"]), _plan_cell(s["plan"]),
        text(f"{f['errors']}/{f['warnings']}", "bold red" if f["errors"] else None),
        _families(f),
    ]


def _workspace(doc: dict, lang: str):
    right = {"justify": "right", "no_wrap": True}
    names = short_names(s["archive"] for s in doc["archives"])
    t = table(
        (_t("archive", lang), name_column(names.values())), (_t("col_active", lang), right),
        (_t("col_pre_job", lang), right), (_t("col_campaign", lang), right), (_t("col_hours", lang), right),
        (_t("col_certificates", lang), right), (_t("col_drills", lang), right), (_t("col_plan", lang), right),
        (_t("col_findings", lang), right),
        _t("col_families", lang),
    )
    for s in doc["archives"]:
        t.add_row(names[s["archive"]], *_row(s))
    t.add_section()
    total = doc["total"]
    t.add_row(text(_t("total", lang), "bold"), *_row(total), style="bold")
    return text(_t("workspace", lang, n=len(doc["archives"]), as_of=doc["archives"][0]["as_of"]), "bold"), t


def status_text(doc: dict, lang: str = "zh", *, width: int = 100, color: bool = False) -> str:
    """The dashboard: a detailed block for one archive, a table for several."""
    if not doc["archives"]:
        return ""
    if len(doc["archives"]) == 1:
        return to_text(*_detail(doc["archives"][0], lang), width=width, color=color)
    return to_text(*_workspace(doc, lang), width=width, color=color)
