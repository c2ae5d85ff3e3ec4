"""The register (一企一册): the enterprise, its headline numbers, every session
and drill, and the open findings summed up. The numbers come from
reports.summary, the same ones `safetrain status` shows."""

from __future__ import annotations

from collections import Counter
from datetime import date

from ..archive.reading.codes import DRILL_SCALE, DRILL_TYPE, LEVEL, SCENARIO, SESSION_TYPE, label
from ..archive.reading.codes import EMPLOYMENT
from ..findings import severity_label
from ..rules import RULES
from ..rules.context import held_by
from . import fmt
from .contexts import base, contract_of, plan_session, provider_of
from .facts import Facts
from .summary import archive_summary

#: rule families, in the order of RULES.md
FAMILIES = {
    "A": "档案完整性", "R": "培训记录要素", "P": "岗前培训", "Y": "年度再培训", "K": "2023年全员安全培训",
    "C": "持证上岗", "D": "应急演练", "M": "师带徒", "F": "虚假培训迹象",
}
FAMILIES_EN = {
    "A": "archive integrity", "R": "training records", "P": "pre-job training", "Y": "yearly refresher",
    "K": "2023 all-staff campaign", "C": "certificates", "D": "emergency drills", "M": "mentorship",
    "F": "signs of fake training",
}


def share(part: int, whole: int, pct: float | None) -> str:
    """12/13（92.3%）; — when nobody is judged."""
    return f"{part}/{whole}（{fmt.num(pct)}%）" if whole and pct is not None else fmt.DASH


def _before_the_post(shared: str) -> str:
    return shared if shared == fmt.DASH else f"上岗前完成岗前培训 {shared}"


def numbers(s: dict) -> dict:
    head, hours, certs, found = s["headcount"], s["hours"], s["certificates"], s["findings"]
    camp = s["campaign"]
    return {
        "active": str(head["active"]), "managers": str(head["managers"]),
        "special_operators": str(head["special_operators"]),
        # what is counted: pre-job training complete before the first day on the post (P001-P003:
        # passed, its hours and levels), as status says it
        "pre_job": _before_the_post(share(s["pre_job"]["covered"], s["pre_job"]["judged"], s["pre_job"]["percent"])),
        "campaign": share(camp["covered"], camp["judged"], camp["percent"]) if camp else "不适用",
        "hours_year": str(hours["year"]), "hours_met": share(hours["met"], hours["people"], hours["percent_met"]),
        "hours_average": fmt.num(hours["average"]),
        **{f"certs_{k}": str(v) for k, v in certs.items()},
        "drills": str(s["drills"]["total"]), "sessions": str(s["sessions"]),
        "errors": str(found["errors"]), "warnings": str(found["warnings"]), "findings": str(found["total"]),
    }


def departments(f: Facts) -> list[dict]:
    """Training coverage by department (as_of's year): active people, trained, meeting the hours
    of those whose hours are judged (met/judged, as the summary's 学时达标 line and status say it)."""
    rows = []
    for dept, active, trained, judged, met in f.coverage_by_department():
        rows.append({"department": dept, "active": str(active), "trained": str(trained), "met": f"{met}/{judged}",
                     "percent": f"{fmt.num(round(100.0 * trained / active, 1))}%" if active else fmt.DASH})
    return rows


def sessions(f: Facts) -> list[dict]:
    rows = []
    for s in held_by(f.archive.sessions.values(), f.as_of):
        count, passed = s.head_count()
        rows.append({"id": s.id, "date": fmt.days(s.start, s.end), "title": s.title,
                     "type": label(SESSION_TYPE, s.type), "level": label(LEVEL, s.level) or fmt.DASH,
                     "hours": fmt.num(s.hours), "count": str(count), "passed": str(passed),
                     "provider": provider_of(s), "contract": contract_of(s)})
    return rows


def drills(f: Facts) -> list[dict]:
    return [{"id": d.id, "date": fmt.day(d.date), "title": d.title, "type": label(DRILL_TYPE, d.type),
             "scale": label(DRILL_SCALE, d.scale),
             "scenario": label(SCENARIO, d.scenario) or fmt.DASH, "count": str(len(d.counted_participants()))}
            for d in sorted(f.archive.drills.values(), key=lambda d: (d.date, d.id)) if d.date <= f.as_of]


def findings(f: Facts) -> tuple[list[dict], list[dict]]:
    """(by family, by rule) counts of the open findings."""
    by_code = Counter(x.code for x in f.result.findings)
    by_family: dict[str, Counter] = {}
    for x in f.result.findings:
        by_family.setdefault(x.code[0], Counter())[x.severity] += 1
    fams = [{"family": k, "name": FAMILIES.get(k, k), "errors": str(c["error"]), "warnings": str(c["warning"]),
             "total": str(sum(c.values()))}
            for k, c in sorted(by_family.items(), key=lambda kv: _order(kv[0]))]
    codes = []
    cited: dict[str, dict[str, None]] = {}  # code -> the citations its findings print, in order
    for x in f.result.findings:
        if x.citation:
            cited.setdefault(x.code, {})[x.citation] = None
    for code, n in sorted(by_code.items(), key=lambda kv: (_order(kv[0]), kv[0])):
        rule = RULES.get(code)
        codes.append({"code": code, "title": rule.title if rule else code,
                      "severity": severity_label(rule.severity) if rule else "", "count": str(n),
                      # what the findings cite (the figure each applied), as check and the ledger print them
                      "citation": "；".join(cited.get(code, ())) or (f.result.ruleset.citation(code) if rule else "")})
    return fams, codes


def plan(f: Facts) -> dict:
    """This year's plan against the sessions held (summary.plan_summary, as status, the ledger and
    the site show it): a caption and one row per item."""
    from ..rules.planstatus import STATE_LABELS
    from .summary import plan_summary

    p = plan_summary(f.result)
    if p["approved"] is None:
        return {"caption": f"{p['year']} 年没有经主要负责人批准的年度安全培训计划。", "rows": []}
    by = f"，批准人 {f.name_of(p['approved_by'])}（{p['approved_by']}）" if p["approved_by"] else ""
    rows = [{"n": str(r["n"]), "title": r["title"], "type": label(SESSION_TYPE, r["type"]), "month": f"{r['month']}月",
             "audience": fmt.text(r["audience"]) or fmt.DASH, "hours": fmt.num(r["hours"]) or fmt.DASH,
             "state": STATE_LABELS[r["state"]][0], "session": plan_session(r), "held": r["held"] or ""}
            for r in p["rows"]]
    return {"caption": f"{p['year']} 年度计划于 {fmt.day_zh(date.fromisoformat(p['approved']))} 批准{by}；"
                       f"截至 {fmt.day_zh(f.as_of)}，到期的 {p['due']} 项中已实施 {p['done']} 项。", "rows": rows}


def waivers(f: Facts) -> list[dict]:
    """The waivers in force on the register's date, each with its reason (ARCHIVE-FORMAT: "a reason
    an inspector can read"): the rule, whom or what it is about, its file, until when."""
    from ..rules.engine import all_waivers

    rows = []
    for subject, file, _, w in all_waivers(f.archive):
        if w.until is not None and w.until < f.as_of:
            continue  # ended: what it waived is reported again (A010)
        rule = RULES.get(w.rule)
        rows.append({"rule": w.rule + (f" {rule.title}" if rule else ""), "subject": subject or "全档案",
                     "file": file, "reason": fmt.about(w.reason, None, f.mask), "until": fmt.day(w.until) or "长期"})
    return sorted(rows, key=lambda r: (r["file"], r["rule"]))


def _order(code: str) -> int:
    order = list(FAMILIES)
    return order.index(code[0]) if code[0] in order else len(order)


def register_context(f: Facts, show_findings: bool = True) -> dict:
    """The register (一企一册); `show_findings=False` leaves its findings section (六、问题汇总) out."""
    s = archive_summary(f.result)
    e = f.enterprise
    fams, codes = findings(f)
    n = numbers(s)
    return {
        **base(f),
        "e": {
            "name": e.name if e else "", "credit_code": e.credit_code if e else "",
            "industry": s["industry_label"], "region": e.region if e else "", "address": fmt.text(e.address if e else ""),
            "crowded_place": ("是" if e.crowded_place else "否") if e else "",
            "uses_gas": ("是" if e.uses_gas else "否") if e else "",
            "records_since": fmt.day(f.ctx.window_start), "note": fmt.text(e.note if e else ""),
        },
        "ruleset": f.result.ruleset.title,
        # without the findings section, its count is not printed either (the cell pair is left blank)
        "n": {**n, "findings_label": "检查发现问题" if show_findings else "",
              "findings_shown": n["findings"] if show_findings else ""},
        "employment": [{"label": label(EMPLOYMENT, code), "count": str(n)}
                       for code, n in s["headcount"]["by_employment"].items()],
        "departments": departments(f), "sessions": sessions(f), "drills": drills(f),
        "families": fams, "codes": codes, "waivers": waivers(f), "show_findings": show_findings,
        "plan": plan(f),
    }
