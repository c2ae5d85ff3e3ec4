"""An archive's headline numbers: what `safetrain status` shows and what the
register (一企一册) prints. Pure functions of a checked Result; plain dicts
of numbers and strings so templates and JSON can take them as they are."""

from __future__ import annotations

from collections import Counter

from ..api import Result
from ..archive.reading.codes import EMPLOYMENT, INDUSTRY, label
from ..archive.reading.gbcodes import masked_value
from ..archive.reading.models import Person
from ..findings import summarize
from ..rules.certstatus import SUPERSEDED
from ..rules.context import Context, credits_by, held_by
from ..dates import add_months
from ..rules.periods import period_label
from ..rules.annual import year_hours
from ..rules.campaign import campaign_in_window, campaign_so_far
from ..rules.planstatus import STATES, year_plan


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def pre_job_covered(ctx: Context, person: Person) -> bool:
    """Pre-job training complete before the person's first day on the post: passed (P001), its
    学时 (P002) and, where three-level training applies, every level (P003) — the matrix's cells,
    so that status, the register and the dashboard never count as trained someone `check` finds
    short (a passed company-level day of 24 of 72 学时 was counted)."""
    from .matrix import CURRENT, LEVELS, MISSING, Requirements

    cells = Requirements.of(ctx).pre_job(person)
    return cells["pre_job"].state == CURRENT and all(cells[level].state != MISSING for level in LEVELS)


def _campaign(ctx: Context) -> dict | None:
    """K001's coverage so far: people employed at least the minimum days of the
    campaign window up to as_of ("nothing dated after it counts"), and how many
    of them passed a session inside the window. None when the K rules do not
    judge this archive (the rule set has no campaign, or the archive's window
    starts after the campaign's)."""
    rs = ctx.ruleset
    if not (rs.enabled("K001") and rs.has("campaign_start")) or not campaign_in_window(ctx):
        return None
    start, end = ctx.value("campaign_start"), ctx.value("campaign_end")
    people = campaign_so_far(ctx)
    judged, covered = len(people), sum(1 for _, passed, _, _ in people if passed)
    return {"start": start.isoformat(), "end": end.isoformat(), "judged": judged, "covered": covered,
            "percent": percent(covered, judged)}


def plan_summary(result: Result, year: int | None = None) -> dict:
    """The year's plan against the sessions held (planstatus: an item is carried out when a
    session of its type started in its month or later that year), as status, its JSON, the
    ledger and the HTML report show it. `approved` is None when the year has no plan approved
    by as_of (R005's view); `percent` is carried out among the items whose month has begun."""
    a, as_of = result.archive, result.as_of
    year = year or as_of.year
    st = year_plan(a, year, as_of)
    counts = {state: 0 for state in STATES}
    if st is None:
        return {"year": year, "approved": None, "approved_by": None, "budget": None, "items": 0, "due": 0,
                "done": 0, "percent": None, "states": counts, "rows": []}
    rows = []
    shown = masked_value if a.masks_id_numbers else (lambda text: text)
    for n, it in enumerate(st.items, 1):
        counts[it.state] += 1
        s = it.session
        rows.append({"n": n, "title": shown(it.item.title), "type": it.item.type, "month": it.item.month,
                     "audience": shown(it.item.audience), "hours": it.item.hours, "state": it.state,
                     "session": s.id if s else None, "held": s.start.date().isoformat() if s else None,
                     # the plan counts a session from its start; one still running on as_of has not ended
                     "ended": credits_by(s, as_of) if s else None})
    p = st.plan
    return {"year": year, "approved": p.approved.isoformat(), "approved_by": p.approved_by, "budget": p.budget,
            "items": len(st.items), "due": st.due, "done": st.done, "percent": percent(st.done, st.due),
            "states": counts, "rows": rows}


def _hours(year: int, people: int, met: int, credited: float, required: float) -> dict:
    """This year's 学时 so far against each person's yearly figure (Y001/Y002)."""
    return {"year": year, "people": people, "met": met, "percent_met": percent(met, people),
            "credited": round(credited, 1), "required": round(required, 1),
            "average": round(credited / people, 1) if people else 0.0,
            "average_required": round(required / people, 1) if people else 0.0}


def _drills(ctx: Context) -> dict:
    """Drills from the window's start to as_of, by month and by the period the
    archive's cadence judges (D001 monthly in `drill_cadence` archives, D004
    half-yearly elsewhere), empty periods included."""
    cadence = "month" if ctx.in_group("drill_cadence") else "half"
    months, periods = Counter(), Counter()
    for d in ctx.archive.drills.values():
        if ctx.window_start <= d.date <= ctx.as_of:
            months[period_label("month", d.date)] += 1
            periods[period_label(cadence, d.date)] += 1
    labels, day = [], ctx.window_start.replace(day=1)
    while day <= ctx.as_of:
        labels.append(period_label(cadence, day))
        day = add_months(day, 1)
    labels = list(dict.fromkeys(labels))
    last = max((d.date for d in ctx.archive.drills.values() if d.date <= ctx.as_of), default=None)
    return {"total": sum(months.values()), "by_month": dict(sorted(months.items())), "cadence": cadence,
            "last": last.isoformat() if last else None,
            "by_period": [{"period": p, "count": periods[p]} for p in labels]}


def archive_summary(result: Result) -> dict:
    a, as_of = result.archive, result.as_of
    ctx = result.view_context()
    e = ctx.enterprise
    active = sorted((p for p in a.people.values() if p.employed_on(as_of)), key=lambda p: p.id)

    new_workers = [p for p in ctx.newcomers if p.employed_on(as_of)]
    pre_job = sum(pre_job_covered(ctx, p) for p in new_workers)

    year = as_of.year
    departments = hours_by_department(ctx, active, year)
    judged, met, total_hours, total_need = (sum(t[i] for t in departments.values()) for i in range(4))

    certs = Counter()
    for p in active:
        for st in ctx.certificates(p):
            if st.state != SUPERSEDED:
                certs[st.state] += 1

    fams = Counter(f.code[0] for f in result.findings)
    severities: dict[str, Counter] = {}
    for f in result.findings:
        severities.setdefault(f.code[0], Counter())[f.severity] += 1
    return {
        "archive": a.name,
        "enterprise": e.name if e else "",
        "industry": e.industry if e else "",
        "industry_label": label(INDUSTRY, e.industry) if e else "",
        "industry_label_en": label(INDUSTRY, e.industry, "en") if e else "",
        "ruleset": result.ruleset.name,
        "as_of": as_of.isoformat(),
        "window_start": ctx.window_start.isoformat(),
        "headcount": {
            "active": len(active),
            "by_employment": {code: n for code in EMPLOYMENT
                              if (n := sum(p.employment == code for p in active))},
            "managers": sum(p.is_manager for p in active),
            "special_operators": sum("special_operator" in p.roles for p in active),
        },
        "pre_job": {"judged": len(new_workers), "covered": pre_job, "percent": percent(pre_job, len(new_workers))},
        "campaign": _campaign(ctx),
        "hours": _hours(year, judged, met, total_hours, total_need),
        "hours_by_department": [{"department": dept, **_hours(year, *tally)}
                                for dept, tally in sorted(departments.items())],
        "by_year": by_year(ctx),
        "certificates": {k: certs.get(k, 0) for k in ("valid", "expiring", "review_due", "review_overdue", "expired")},
        "drills": _drills(ctx),
        "plan": plan_summary(result),
        "sessions": len(held_by(a.sessions.values(), as_of)),
        "findings": {**summarize(result.findings), "by_family": dict(sorted(fams.items())),
                     "by_family_severity": {fam: _severities(c) for fam, c in sorted(severities.items())}},
    }


def _severities(counts) -> dict:
    return {"errors": counts.get("error", 0), "warnings": counts.get("warning", 0), "infos": counts.get("info", 0)}


def hours_by_department(ctx: Context, active: list[Person], year: int) -> dict[str, list]:
    """department on as_of -> [people, met, credited, required] of `year`'s 学时, of the `active`
    people the Y rules judge for the year, so far (the matrix's cells: a year they judge, or
    as_of's year while it can still be judged). What status, the register and the ledger's
    coverage sheet count as 学时达标 (someone hired mid-year is not counted, met or not)."""
    from .matrix import NA, Requirements

    cells = Requirements.of(ctx)
    return _department_hours(ctx, [p for p in active if cells.hours(p, year).state != NA], year)


def _department_hours(ctx: Context, people: list[Person], year: int) -> dict[str, list]:
    """department on as_of -> [people, met, credited, required] of `year`'s 学时 (Y001/Y002's figure), of
    the `people` given (those the Y rules judge for the year)."""
    out: dict[str, list] = {}
    for p in people:
        got, need = year_hours(ctx, p, year)
        tally = out.setdefault(p.post_on(ctx.as_of).department, [0, 0, 0.0, 0.0])
        tally[0] += 1
        tally[1] += got >= need
        tally[2] += got
        tally[3] += need
    return out


def by_year(ctx: Context) -> list[dict]:
    """Coverage over the archive's years, window_start's year to as_of's:
    yearly 学时 met among the people the Y rules judge for that year (the
    matrix's definition; this year: so far), and pre-job training before the
    post among the newcomers who started on their post that year."""
    from .matrix import CURRENT, NA, Requirements

    requirements = Requirements.of(ctx)
    people = sorted(ctx.archive.people.values(), key=lambda p: p.id)
    out = []
    for year in range(ctx.window_start.year, ctx.as_of.year + 1):
        cells = [requirements.hours(p, year) for p in people]
        judged = sum(c.state != NA for c in cells)
        met = sum(c.state == CURRENT for c in cells)
        new = [p for p in ctx.newcomers if p.on_post.year == year]
        covered = sum(pre_job_covered(ctx, p) for p in new)
        out.append({"year": year, "hours_judged": judged, "hours_met": met, "hours_percent": percent(met, judged),
                    "pre_job_judged": len(new), "pre_job_covered": covered,
                    "pre_job_percent": percent(covered, len(new))})
    return out


def _add(counts: list[dict]) -> dict:
    """Key-wise sum of count dicts, keys in first-seen order."""
    out: dict = {}
    for c in counts:
        for k, v in c.items():
            out[k] = out.get(k, 0) + v
    return out


def _coverage(parts: list[dict]) -> dict:
    judged, covered = sum(p["judged"] for p in parts), sum(p["covered"] for p in parts)
    return {"judged": judged, "covered": covered, "percent": percent(covered, judged)}


def _plans_total(plans: list[dict]) -> dict:
    """This year's plans of a workspace: how many archives have one, and their items added up."""
    due, done = sum(p["due"] for p in plans), sum(p["done"] for p in plans)
    return {"archives": len(plans), "with_plan": sum(p["approved"] is not None for p in plans),
            "items": sum(p["items"] for p in plans), "due": due, "done": done, "percent": percent(done, due)}


def workspace_total(summaries: list[dict]) -> dict:
    """The total row of a workspace: counts added up, percentages recomputed
    from the added counts (never averaged)."""
    heads = [s["headcount"] for s in summaries]
    campaigns = [s["campaign"] for s in summaries if s["campaign"] is not None]
    hours = [s["hours"] for s in summaries]
    findings = [s["findings"] for s in summaries]
    by_employment = _add([h["by_employment"] for h in heads])
    return {
        "archives": len(summaries),
        "headcount": {
            "active": sum(h["active"] for h in heads),
            "by_employment": {code: by_employment[code] for code in EMPLOYMENT if code in by_employment},
            "managers": sum(h["managers"] for h in heads),
            "special_operators": sum(h["special_operators"] for h in heads),
        },
        "pre_job": _coverage([s["pre_job"] for s in summaries]),
        "campaign": _coverage(campaigns) if campaigns else None,
        "hours": _hours(max((h["year"] for h in hours), default=0), sum(h["people"] for h in hours),
                        sum(h["met"] for h in hours), sum(h["credited"] for h in hours),
                        sum(h["required"] for h in hours)),
        "certificates": _add([s["certificates"] for s in summaries]),
        "drills": {"total": sum(s["drills"]["total"] for s in summaries),
                   "last": max((s["drills"]["last"] for s in summaries if s["drills"]["last"]), default=None)},
        "sessions": sum(s["sessions"] for s in summaries),
        "plan": _plans_total([s["plan"] for s in summaries]),
        "findings": {**{k: sum(f[k] for f in findings) for k in ("errors", "warnings", "infos", "total")},
                     "by_code": dict(sorted(_add([f["by_code"] for f in findings]).items())),
                     "by_family": dict(sorted(_add([f["by_family"] for f in findings]).items())),
                     "by_family_severity": {fam: _add([f["by_family_severity"][fam] for f in findings
                                                       if fam in f["by_family_severity"]])
                                            for fam in sorted({k for f in findings for k in f["by_family_severity"]})}},
    }
