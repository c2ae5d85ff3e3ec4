"""An archive's headline numbers: what `safetrain status` shows and what the
register (一企一册) prints. Pure functions of a checked Result; plain dicts
of numbers and strings so templates and JSON can take them as they are."""

from __future__ import annotations

from collections import Counter
from datetime import date

from ..api import Result
from ..archive.codes import EMPLOYMENT, INDUSTRY, label
from ..archive.models import Person
from ..findings import summarize
from ..rules.certstatus import SUPERSEDED, person_certificates
from ..rules.context import Context
from ..rules.prejob import passed_pre_job


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def annual_requirement(ctx: Context, person: Person):
    """(figure, credited session types or None for all, excluded types) of a person's yearly hours:
    managers count `management` hours against the manager figure (Y002), others
    every type but `pre_job` against the annual figure (Y001)."""
    if person.is_manager:
        return ctx.figure("manager_annual_hours"), frozenset({"management"}), frozenset()
    return ctx.figure("annual_hours"), None, frozenset({"pre_job"})


def year_hours(ctx: Context, person: Person, year: int) -> tuple[float, float]:
    """(credited hours in `year`, the yearly requirement) for one person."""
    figure, types, exclude = annual_requirement(ctx, person)
    got = ctx.credited(person.id, start=date(year, 1, 1), end=date(year, 12, 31), types=types, exclude=exclude)
    return got, float(figure.value)


def pre_job_covered(ctx: Context, person: Person) -> bool:
    """A passed pre_job session ended on or before the person's first day on the post (P001)."""
    return bool(passed_pre_job(ctx, person))


def _campaign(ctx: Context, active: list[Person]) -> dict | None:
    rs = ctx.ruleset
    if not (rs.enabled("K001") and rs.has("campaign_start")):
        return None
    start, end = ctx.value("campaign_start"), ctx.value("campaign_end")
    min_days = ctx.value("campaign_min_days")
    judged = covered = 0
    for p in ctx.archive.people.values():
        first, last = max(start, p.hired), min(end, p.left or end)
        if (last - first).days + 1 < min_days:
            continue
        judged += 1
        if any(s.start.date() >= start and s.end.date() <= end and s.passed(a) for s, a in ctx.sessions_of(p.id)):
            covered += 1
    return {"start": start.isoformat(), "end": end.isoformat(), "judged": judged, "covered": covered,
            "percent": percent(covered, judged)}


def archive_summary(result: Result) -> dict:
    a, as_of = result.archive, result.as_of
    ctx = Context(a, result.ruleset, as_of)
    e = ctx.enterprise
    active = sorted((p for p in a.people.values() if p.employed_on(as_of)), key=lambda p: p.id)

    new_workers = [p for p in ctx.newcomers if p.employed_on(as_of)]
    pre_job = sum(pre_job_covered(ctx, p) for p in new_workers)

    year = as_of.year
    met, total_hours = 0, 0.0
    for p in active:
        got, need = year_hours(ctx, p, year)
        total_hours += got
        met += got >= need

    certs = Counter()
    for p in active:
        for st in person_certificates(p, result.ruleset, e, as_of):
            if st.state != SUPERSEDED:
                certs[st.state] += 1

    drills = Counter()
    for d in a.drills.values():
        if ctx.window_start <= d.date <= as_of:
            drills[d.date.strftime("%Y-%m")] += 1

    fams = Counter(f.code[0] for f in result.findings)
    return {
        "archive": a.name,
        "enterprise": e.name if e else "",
        "industry": e.industry if e else "",
        "industry_label": label(INDUSTRY, e.industry) if e else "",
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
        "campaign": _campaign(ctx, active),
        "hours": {"year": year, "people": len(active), "met": met, "percent_met": percent(met, len(active)),
                  "average": round(total_hours / len(active), 1) if active else 0.0},
        "certificates": {k: certs.get(k, 0) for k in ("valid", "expiring", "review_due", "review_overdue", "expired")},
        "drills": {"total": sum(drills.values()), "by_month": dict(sorted(drills.items()))},
        "sessions": sum(1 for s in a.sessions.values() if s.start.date() <= as_of),
        "findings": {**summarize(result.findings), "by_family": dict(sorted(fams.items()))},
    }
