"""The pages' contexts: plain dicts of strings, numbers and lists, from the
views every other output uses. No figure is computed here: the headline
numbers are `summary.archive_summary` (what `status --format json` prints),
the matrix is `matrix.matrix_document`, certificates due are
`expiring.due_items` (`due_states` for the timeline's counts), yearly hours `Facts.year_hours`. This module only
chooses, labels and links them.

Links are computed by the caller (`Links`): every href is relative, so the
site works from a folder, a zip or any web server path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from ...api import Result
from ...archive.reading.codes import (CERTIFICATE_KIND, EMPLOYMENT, INDUSTRY, LEVEL, ROLE, SESSION_TYPE, label)
from ...dates import add_months
from ...findings import Finding
from ...rules import RULES
from ...rules import certstatus as cs
from ...rules.periods import period_label
from ...rules.planstatus import STATE_LABELS
from .. import fmt
from ..contexts import plan_session, result_of
from ..expiring import due_states
from ..facts import Facts
from ..matrix import CURRENT, EXPIRED, EXPIRING, MISSING, NA, Requirements, cell_shown, shown_columns
from ..register import FAMILIES, FAMILIES_EN
from ..rulebook import _family_order, figures_in_force, rule_title
from . import charts
from .labels import t

#: people per page of an archive's person list
PAGE_SIZE = 200
#: the drill rules whose periods the calendar marks
DRILL_PERIOD_RULES = ("D001", "D002", "D003", "D004")
LAPSED = (cs.EXPIRED, cs.REVIEW_OVERDUE)
RED, AMBER, GREEN = "red", "amber", "green"
_LIGHT_RANK = {RED: 0, AMBER: 1, GREEN: 2}
_MARK = {RED: "■", AMBER: "▲", GREEN: "●"}
_CELL_MARK = {CURRENT: "✓", EXPIRING: "!", EXPIRED: "✗", MISSING: "✗", NA: "—"}


@dataclass(frozen=True)
class Links:
    """Where things are, relative to the page being built."""

    home: str  # the workspace page
    archive: str  # the archive's page
    person: Callable[[str], str]  # person id -> their file (an anchor on a page of the person list)
    rule: Callable[[str], str]  # rule code -> its page
    people_page: Callable[[int], str]  # page number (1-based) -> that page of the person list


def pct(value: float | None) -> str:
    return "—" if value is None else f"{fmt.num(value)}%"


def sort_value(value: float | None) -> str:
    """A cell's value for sorting: the figure, or -1 when there is none."""
    return "-1" if value is None else fmt.num(value)


def family_name(family: str, lang: str) -> str:
    return (FAMILIES_EN if lang == "en" else FAMILIES).get(family, family)


# -- the traffic light ------------------------------------------------------------
def light(summary: dict, due: dict) -> str:
    """red: errors or a lapsed certificate; amber: warnings or one due within 30 days; green otherwise."""
    if summary["findings"]["errors"] or due["lapsed"]:
        return RED
    if summary["findings"]["warnings"] or due["within_30"]:
        return AMBER
    return GREEN


def light_context(colour: str, lang: str) -> dict:
    return {"colour": colour, "mark": _MARK[colour], "text": t(f"light_{colour}", lang), "rank": _LIGHT_RANK[colour]}


# -- the workspace page ------------------------------------------------------------
def workspace_row(summary: dict, due: dict, lang: str, href: str | None, name: str = "") -> dict:
    """One archive's row (or, with href None, the total row): every figure from status and expiring.
    `name`: the archive's folder below the workspace, as the row shows it."""
    f = summary["findings"]
    families = [{"family": fam, "name": family_name(fam, lang), "errors": c["errors"], "warnings": c["warnings"],
                 "infos": c["infos"]} for fam, c in sorted(f["by_family_severity"].items(),
                                                           key=lambda kv: _family_order(kv[0]))]
    campaign = summary["campaign"]
    row = {
        "href": href, "name": name or summary.get("archive", ""), "archive": summary.get("archive", ""), "enterprise": summary.get("enterprise", ""),
        "industry": label(INDUSTRY, summary.get("industry", ""), lang) if summary.get("industry") else "",
        "ruleset": summary.get("ruleset", ""),
        "active": summary["headcount"]["active"], "errors": f["errors"], "warnings": f["warnings"], "infos": f["infos"],
        "families": families,
        "pre_job": pct(summary["pre_job"]["percent"]), "pre_job_value": sort_value(summary["pre_job"]["percent"]),
        "hours": pct(summary["hours"]["percent_met"]), "hours_value": sort_value(summary["hours"]["percent_met"]),
        "campaign": pct(campaign["percent"]) if campaign else "—",
        "campaign_value": sort_value(campaign["percent"] if campaign else None),
        "lapsed": due["lapsed"], "within_30": due["within_30"], "within_60": due["within_60"],
        "last_drill": summary["drills"].get("last") or "—",
        "plan": plan_cell(summary["plan"], lang), "plan_value": sort_value(summary["plan"]["percent"]),
        "light": light_context(light(summary, due), lang),
    }
    return row


def plan_cell(plan: dict, lang: str) -> str:
    """This year's plan in the workspace table: done/due, or no plan; the total row: done/due of every plan."""
    if "with_plan" in plan:
        return f"{plan['done']}/{plan['due']}"
    if plan["approved"] is None:
        return t("no_plan", lang)
    return f"{plan['done']}/{plan['due']}"


def add_due(counts: Sequence[dict]) -> dict:
    return {k: sum(c[k] for c in counts) for k in ("lapsed", "within_30", "within_60")}


# -- the archive page ----------------------------------------------------------------
def cards(s: dict, due: dict, lang: str) -> list[dict]:
    """The summary cards: a title, a figure and a line under it."""
    h, hrs, c, d, f = s["headcount"], s["hours"], s["certificates"], s["drills"], s["findings"]
    out = [
        {"key": "active", "title": t("active_people", lang), "figure": str(h["active"]),
         "note": t("managers", lang, n=h["managers"], s=h["special_operators"])},
        {"key": "pre_job", "title": t("pre_job_card", lang), "figure": pct(s["pre_job"]["percent"]),
         "note": t("of", lang, covered=s["pre_job"]["covered"], judged=s["pre_job"]["judged"])},
        {"key": "hours", "title": t("hours_card", lang, year=hrs["year"]), "figure": pct(hrs["percent_met"]),
         "note": t("of", lang, covered=hrs["met"], judged=hrs["people"]) + " · "
         + t("avg_hours", lang, avg=fmt.num(hrs["average"]), need=fmt.num(hrs["average_required"]))},
    ]
    if s["campaign"]:
        camp = s["campaign"]
        out.append({"key": "campaign", "title": t("campaign_card", lang), "figure": pct(camp["percent"]),
                    "note": t("of", lang, covered=camp["covered"], judged=camp["judged"]) + f" · {camp['start']}—{camp['end']}"})
    out += [
        {"key": "certificates", "title": t("certificates", lang), "figure": str(sum(c.values())),
         "note": " · ".join(f"{t(k, lang)} {c[k]}" for k in ("valid", "expiring", "review_due", "review_overdue", "expired"))},
        {"key": "drills", "title": t("drills", lang), "figure": str(d["total"]),
         "note": t("last", lang, day=d["last"]) if d.get("last") else t("none", lang)},
        {"key": "plan", "title": t("plan_card", lang, year=s["plan"]["year"]),
         "figure": pct(s["plan"]["percent"]) if s["plan"]["approved"] else "—",
         "note": t("plan_note", lang, done=s["plan"]["done"], due=s["plan"]["due"], items=s["plan"]["items"])
         if s["plan"]["approved"] else t("plan_none", lang, year=s["plan"]["year"])},
        {"key": "findings", "title": t("findings", lang), "figure": f"{f['errors']}/{f['warnings']}",
         "note": f"{t('errors', lang)} {f['errors']} · {t('warnings', lang)} {f['warnings']} · {t('infos', lang)} {f['infos']}"},
    ]
    return out


def plan_table(plan: dict, lang: str, name_of: Callable[[str], str]) -> dict:
    """This year's plan against the sessions held: the rows of `summary.plan_summary`, labelled."""
    if plan["approved"] is None:
        return {"caption": t("plan_none", lang, year=plan["year"]), "rows": []}
    by = t("plan_by", lang, name=f"{name_of(plan['approved_by'])} {plan['approved_by']}") if plan["approved_by"] else ""
    budget = t("plan_budget", lang, budget=fmt.num(plan["budget"])) if plan["budget"] is not None else ""
    rows = [{"n": r["n"], "title": r["title"], "type": label(SESSION_TYPE, r["type"], lang), "month": r["month"],
             "audience": r["audience"] or "—", "hours": fmt.num(r["hours"]) if r["hours"] is not None else "—",
             "state": r["state"], "state_text": STATE_LABELS[r["state"]][1 if lang == "en" else 0],
             "session": plan_session(r, lang), "held": r["held"] or ""} for r in plan["rows"]]
    return {"caption": t("plan_approved", lang, year=plan["year"], approved=plan["approved"], by=by, budget=budget),
            "rows": rows}


def finding_row(x: Finding, lang: str, links: Links, people) -> dict:
    return {"code": x.code, "severity": x.severity, "severity_text": t(x.severity, lang), "message": x.message(lang),
            "where": f"{x.file}:{x.line}" if x.line else x.file,
            "subject": fmt.subject(x.subject, lang),
            "subject_href": links.person(x.subject) if x.subject in people else None,
            "period": x.period or "", "citation": x.cited(lang), "rule_href": links.rule(x.code)}


def finding_groups(findings: Sequence[Finding], lang: str, links: Links, people) -> list[dict]:
    """Findings by family (RULES.md's order), then by rule, each in check's order."""
    families: dict[str, dict[str, list[Finding]]] = {}
    for x in findings:
        families.setdefault(x.code[0], {}).setdefault(x.code, []).append(x)
    out = []
    for fam in sorted(families, key=_family_order):
        rules = []
        for code in sorted(families[fam]):
            rule = RULES.get(code)
            items = families[fam][code]
            rules.append({"code": code, "name": rule.name if rule else "", "title": rule_title(rule, lang) if rule else "",
                          "href": links.rule(code), "count": len(items), "severity": items[0].severity,
                          "severity_text": t(items[0].severity, lang),
                          "rows": [finding_row(x, lang, links, people) for x in items]})
        out.append({"family": fam, "name": family_name(fam, lang), "count": sum(r["count"] for r in rules), "rules": rules})
    return out


def department_chart(s: dict, lang: str) -> dict:
    rows = s["hours_by_department"]
    title = t("dept_hours", lang, year=s["hours"]["year"])
    bars = [(r["department"], r["average"], r["average_required"],
             f"{fmt.num(r['average'])}/{fmt.num(r['average_required'])} ({r['met']}/{r['people']})") for r in rows]
    return {"title": title, "svg": charts.target_bars(title, bars) if rows else "",
            "rows": [{**r, "average": fmt.num(r["average"]), "average_required": fmt.num(r["average_required"]),
                      "percent_met": pct(r["percent_met"])} for r in rows]}


def _flagged_months(findings: Sequence[Finding]) -> dict[str, list[str]]:
    """period label -> the drill rules that found it wanting."""
    out: dict[str, list[str]] = {}
    for x in findings:
        if x.code in DRILL_PERIOD_RULES and x.period:
            out.setdefault(x.period, []).append(x.code)
    return out


def drill_calendar(s: dict, findings: Sequence[Finding], lang: str) -> dict:
    """Month × year: drills held (from status's by_month), the months outside the
    records, and the months of a period a drill rule found wanting."""
    start, as_of = date.fromisoformat(s["window_start"]), date.fromisoformat(s["as_of"])
    flagged = _flagged_months(findings)
    by_month = s["drills"]["by_month"]
    years = []
    for year in range(start.year, as_of.year + 1):
        cells = []
        for month in range(1, 13):
            day = date(year, month, 1)
            inside = date(start.year, start.month, 1) <= day <= as_of
            codes = sorted({c for kind in ("month", "quarter", "half", "year")
                            for c in flagged.get(period_label(kind, day), [])}) if inside and flagged else []
            n = by_month.get(f"{year}-{month:02d}", 0)
            cells.append({"month": month, "count": n if inside else None, "inside": inside, "codes": codes,
                          "text": ("" if not inside else str(n) + (" !" if codes else "")),
                          "title": (t("outside", lang) if not inside else
                                    f"{year}-{month:02d}: {n}" + (f" ({', '.join(codes)})" if codes else ""))})
        years.append({"year": year, "cells": cells})
    problems = [{"code": x.code, "period": x.period, "message": x.message(lang)} for x in findings
                if x.code in DRILL_PERIOD_RULES]
    return {"years": years, "months": list(range(1, 13)), "problems": problems,
            "cadence": t("cadence_month" if s["drills"]["cadence"] == "month" else "cadence_half", lang)}


def expiry_timeline(result: Result, lang: str) -> dict:
    """Certificates due in the 12 months after as_of (to the same day a year on), by calendar month
    and by expiry or review: `expiring`'s items. The first and last months are partial (as_of
    2024-06-30: June 2024's last day to June 2025's 30th, 13 columns); a chart of 12 whole months
    from as_of's month left out what falls due in the twelfth month after it."""
    as_of = result.as_of
    first = as_of.replace(day=1)
    end = add_months(as_of, 12)
    months, month = [], first
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    counts = {m.strftime("%Y-%m"): [0, 0] for m in months}
    lapsed = 0
    for _, st, state, _ in due_states(result, within=(end - as_of).days):
        month = st.due.isoformat()[:7]
        if state in LAPSED:
            lapsed += 1
        elif month in counts:
            counts[month][0 if st.due_kind == "expiry" else 1] += 1
    title = t("timeline", lang)
    groups = [(k[2:], v) for k, v in counts.items()]
    return {"title": title, "svg": charts.stacked_columns(title, groups, ("bar expiry", "bar review")),
            "rows": [{"month": k, "expiry": v[0], "review": v[1]} for k, v in counts.items()],
            "lapsed": lapsed}


def coverage_chart(s: dict, lang: str) -> dict:
    title = t("coverage_years", lang)
    groups = [(str(y["year"]), (y["hours_percent"], y["pre_job_percent"])) for y in s["by_year"]]
    return {"title": title,
            "svg": charts.columns(title, groups, ("bar hours", "bar prejob"), none_text=t("not_judged", lang)),
            "rows": [{**y, "hours_percent": pct(y["hours_percent"]), "pre_job_percent": pct(y["pre_job_percent"])}
                     for y in s["by_year"]]}


def due_rows(items: Sequence[dict], lang: str, links: Links) -> list[dict]:
    return [{"days_left": i["days_left"], "due": i["due"], "state": i["state"],
             "state_text": t(i["state"], lang), "holder": i["name"], "person": i["person"],
             "href": links.person(i["person"]), "department": i["department"],
             "certificate": f"{label(CERTIFICATE_KIND, i['kind'], lang)} {i['category']}", "number": i["number"],
             "lapsed": i["state"] in LAPSED} for i in items]


# -- the person list (the matrix) -------------------------------------------------------
def matrix_columns(doc: dict, lang: str) -> list[dict]:
    """The columns `matrix` prints (matrix.shown_columns), labelled."""
    year = int(doc["as_of"][:4])
    return [{"key": c, "label": t(f"col_{c}", lang, year=year, last=year - 1)} for c in shown_columns(doc)] \
        if doc["people"] else []


def matrix_cell(column: str, cell: dict, lang: str) -> dict:
    """A cell as `matrix` prints it (matrix.cell_shown), with its state for the colour and a title;
    one dict for the cells alike (a site prints the same few thousands of times; read, never changed)."""
    key = (column, cell["state"], cell["value"], lang)
    got = _CELLS.get(key)
    if got is None:
        state = cell["state"]
        got = {"state": state.replace(".", ""), "text": cell_shown(column, cell), "title": t(f"cell_{state}", lang)}
        if len(_CELLS) < 4096:
            _CELLS[key] = got
    return got


_CELLS: dict[tuple, dict] = {}


def person_rows(doc: dict, columns: list[dict], former: Sequence, lang: str, links: Links) -> list[dict]:
    rows = [{"id": r["person"], "name": r["name"], "department": r["department"], "href": links.person(r["person"]),
             "cells": [matrix_cell(c["key"], r["cells"][c["key"]], lang) for c in columns], "left": ""}
            for r in doc["people"]]
    rows += [{"id": p.id, "name": p.name, "department": p.post_on(p.left).department, "href": links.person(p.id),
              "cells": [], "left": t("left_on", lang, day=fmt.day(p.left))} for p in former]
    return rows


def pager(page: int, pages: int, total: int, links: Links, lang: str, former: int = 0) -> dict:
    """Links to every page of the person list (`page`, from 1: the first is the archive's page).
    `former`: how many of the `total` listed have left (their files kept, 一人一档): the list
    says so, its other figures being those of `matrix` (the people employed on as_of)."""
    first, last = (page - 1) * PAGE_SIZE + 1, min(page * PAGE_SIZE, total)
    shown = dict(first=first if total else 0, last=last, n=total)
    return {"page": page, "pages": pages,
            "range": t("people_range_former", lang, **shown, active=total - former, former=former) if former
            else t("people_range", lang, **shown),
            "links": [{"n": n, "href": links.people_page(n), "current": n == page} for n in range(1, pages + 1)],
            "prev": links.people_page(page - 1) if page > 1 else None,
            "next": links.people_page(page + 1) if page < pages else None}


# -- a person's file (一人一档) -----------------------------------------------------------
def findings_about(findings: Sequence[Finding]) -> Callable[[str, str], list[Finding]]:
    """about(pid, file): the findings whose subject is the person or whose file is theirs, in
    the order of `findings`; indexed once, not searched per person (10,000 people times
    thousands of findings)."""
    by_subject: dict[str, list[int]] = {}
    by_file: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        by_subject.setdefault(f.subject, []).append(i)
        by_file.setdefault(f.file, []).append(i)

    def about(pid: str, file: str) -> list[Finding]:
        return [findings[i] for i in sorted({*by_subject.get(pid, ()), *by_file.get(file, ())})]
    return about


def session_cells(s, lang: str) -> dict:
    """What a person's training history says of a session, whoever attended it."""
    return {"session": s.id, "date": fmt.days(s.start, s.end, lang), "title": s.title,
            "type": label(SESSION_TYPE, s.type, lang), "level": label(LEVEL, s.level, lang) or "—",
            "hours": fmt.num(s.hours)}


def person_context(facts: Facts, pid: str, cells: Sequence[dict] | None, columns: list[dict],
                   about: Callable[[str, str], list[Finding]], lang: str, links: Links, listed,
                   sessions: dict | None = None) -> dict:
    """One person's file (一人一档): who, what they must have (`cells`: their row's cells of
    the person list, person_rows', one per column; None for one not in the matrix), open findings (`about`:
    findings_about), yearly hours, certificates, training history. `listed`: the ids that
    have a person file to link to; `sessions`: session file -> session_cells, filled as the
    archive's people are gone through (each session's cells made once for all its attendees)."""
    p = facts.archive.people[pid]
    post = p.post_on(min(facts.as_of, p.left) if p.left else facts.as_of)
    sessions = {} if sessions is None else sessions
    trainings = []
    for s, a in facts.ctx.sessions_of(pid):
        common = sessions.get(s.file)  # by file: two files of one id (A004) are two sessions
        if common is None:
            common = sessions[s.file] = session_cells(s, lang)
        trainings.append({**common, "credited": fmt.num(s.credited_hours(a)), "score": fmt.score(a.score),
                          "result": t(result_of(s, a), lang), "passed": s.passed(a)})
    years = []
    requirements = Requirements.of(facts.ctx)
    for year in facts.years_of(p):
        got, need, status = facts.year_hours(p, year)
        state = requirements.hours(p, year).state  # the matrix's cell: judged and met or short, still due, not judged
        years.append({"year": year, "hours": fmt.num(got), "required": fmt.num(need), "status": t(status, lang),
                      "met": got >= need, "state": state.replace(".", ""), "mark": _CELL_MARK[state]})
    certs = []
    for st in sorted(facts.ctx.certificates(p),
                     key=lambda st: (st.certificate.issued, st.certificate.index)):
        c, due = st.certificate, facts.ctx.next_due(st)
        certs.append({"kind": label(CERTIFICATE_KIND, c.kind, lang), "category": c.category,
                      "number": fmt.certificate_number(c.number, p.id_number, facts.mask),
                      "issued": fmt.day(c.issued), "expires": fmt.day(c.expires, lang), "state": st.state,
                      "state_text": t(st.state, lang), "due": fmt.day(due.due, lang), "days_left": due.days_shown,
                      "lapsed": st.state in LAPSED})
    mine = about(pid, p.file)
    return {
        "anchor": f"p-{p.id}", "href": links.person(p.id),
        "person": {"id": p.id, "name": p.name, "id_number": fmt.id_number(p.id_number, facts.mask) or "—",
                   "employment": label(EMPLOYMENT, p.employment, lang), "department": post.department,
                   "post": post.post, "team": post.team or "—",
                   "roles": "、".join(label(ROLE, r, lang) for r in sorted(p.roles)) or "—",
                   "hired": fmt.day(p.hired), "on_post": fmt.day(p.on_post),
                   "left": fmt.day(facts.by_then(p.left)) or t("in_post", lang), "file": p.file},
        "trainings": trainings, "years": years, "certificates": certs,
        "requirements": [{"label": c["label"], **cell} for c, cell in zip(columns, cells)] if cells else [],
        "findings": [finding_row(x, lang, links, listed) for x in mine],
    }


# -- the rule pages ---------------------------------------------------------------------
def rule_context(rule, ruleset, lang: str) -> dict:
    return {
        "code": rule.code, "name": rule.name, "title": rule_title(rule, lang), "severity": rule.severity,
        "severity_text": t(rule.severity, lang), "family": family_name(rule.family, lang),
        "enabled": ruleset.enabled(rule.code), "citation": ruleset.citation(rule.code, lang),
        "ruleset": ruleset.name,
        "sections": [{"key": k, "title": t(k, lang), "text": text} for k in ("what", "why", "example", "fix")
                     if (text := rule.section(k, lang))],
        "figures": figures_in_force(ruleset, None, rule.figures, lang),
    }


def rule_list(ruleset, lang: str, href: Callable[[str], str]) -> list[dict]:
    return [{"code": r.code, "title": rule_title(r, lang), "href": href(r.code), "enabled": ruleset.enabled(r.code),
             "severity_text": t(r.severity, lang)}
            for r in sorted(RULES.values(), key=lambda r: (_family_order(r.code), r.code))]
