"""`safetrain expiring`: certificates expired, expiring or due for review.

The states come from `rules.certstatus`, the definition the C rules use, so
the list says what `check` says:

- `expired` (C002) and `review_overdue` (C003) are always listed;
- `expiring` and `review_due` are C004's: due within the warning window of the
  certificate's own kind (60 days special operation, 30 the others, national
  figures); a certificate listed so is exactly one `check` reports as C004;
- `upcoming`: a certificate C004 does not warn about yet (it is outside its
  kind's window) whose expiry or review falls within `within` days — a
  preview, so `--within 180` can plan half a year ahead without changing
  what "expiring" means.

`within` is a horizon: expiring, review-due and upcoming certificates due
later than it are left out. By default it is 60 days, or the archive's widest
warning window when its rule set has a wider one, so by default every C004
certificate is listed.

Active people only; superseded certificates (renewed: `rules.certstatus` says
when) are not listed. Identity numbers are never shown: a certificate number that
holds one is masked.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime
from pathlib import PurePath
from typing import Iterator, Sequence

from ..api import Result
from ..archive.reading.codes import CERTIFICATE_KIND, label
from ..archive.reading.discover import path_text
from ..archive.reading.gbcodes import mask_id_numbers_in
from ..rules.certstatus import (EXPIRED, EXPIRING, REVIEW_DUE, REVIEW_OVERDUE, STATE_LABELS, SUPERSEDED, VALID,
                                certificate_state, due_alongside)
from . import fmt, ics
from .fmt import phrases
from .terminal import STATE_STYLES, name_column, short_names, table, text, to_text

DEFAULT_WITHIN = 60
UPCOMING = "upcoming"
STATES = (EXPIRED, REVIEW_OVERDUE, EXPIRING, REVIEW_DUE, UPCOMING)
ALARM_DAYS = (60, 30, 7)

_LABELS = {
    **{state: STATE_LABELS[state] for state in (EXPIRED, REVIEW_OVERDUE, EXPIRING, REVIEW_DUE)},
    (UPCOMING, "expiry"): ("提前提示：到期", "upcoming expiry"),
    (UPCOMING, "review"): ("提前提示：复审", "upcoming review"),
    UPCOMING: ("提前提示", "upcoming"),
    "special_operation": ("特种作业", "special op."),
    "manager": ("安全管理", "manager"),
    "other": ("其他", "other"),
    "title": ("证书到期与复审 · 截至 {as_of} · {within} 天内", "Certificates due · as of {as_of} · within {within} days"),
    "none": ("{within} 天内没有过期、到期或待复审的证书。",
             "No certificate expired, expiring or due for review within {within} days."),
    "days": ("剩余天数", "Days"), "due": ("日期", "Due"), "state": ("状态", "State"),
    "holder": ("持证人", "Holder"), "department": ("部门", "Department"), "certificate": ("证书", "Certificate"),
    "number": ("证号", "Number"), "archive": ("档案", "Archive"),
    "note": ("将到期、待复审按各类证书的预警期（与 check 的 C004 相同）；提前提示为预警期外、{within} 天内到期者。",
             "Expiring and review due follow each kind's warning window (as C004 in check); "
             "upcoming: outside that window, due within {within} days."),
    "ics_expiry": ("证书到期：{name} {category}（{kind}）", "Certificate expires: {name}, {category} ({kind})"),
    "ics_review": ("证书复审：{name} {category}（{kind}）", "Certificate review due: {name}, {category} ({kind})"),
    "ics_description": ("{enterprise}\n档案：{archive}\n{name}（{person}）{department}\n证号 {number}\n有效期至 {expires}\n"
                        "依据：{citation}",
                        "{enterprise}\nArchive: {archive}\n{name} ({person}), {department}\nNumber {number}\n"
                        "Valid until {expires}\nSource: {citation}"),
    "ics_of_archive": ("[{archive}] {summary}", "[{archive}] {summary}"),
    "calendar": ("证书到期与复审提醒", "Certificate reminders"),
}


_t = phrases(_LABELS)


def horizon(result: Result, within: int | None = None) -> int:
    """The days ahead to list: `within`, else 60 or the archive's widest warning window."""
    if within is not None:
        return within
    rs, e = result.ruleset, result.archive.config.enterprise if result.archive.config else None
    widest = max(int(rs.value("special_operation_warning_days", e)), int(rs.value("certificate_warning_days", e)))
    return max(DEFAULT_WITHIN, widest)


def _archive_key(result: Result) -> str:
    """What names the archive in a UID, whatever folder the command runs in:
    the enterprise's credit code and the archive folder's own name."""
    a = result.archive
    folder = path_text(PurePath(str(a.root or a.name)).name)  # a name that is no UTF-8: its bytes written out
    return f"{a.config.enterprise.credit_code if a.config else ''}/{folder}"


def _uid(archive: str, person: str, kind: str, category: str, number: str, due: date) -> str:
    key = "\x1f".join((archive, person, kind, category, number, due.isoformat()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@safetrain"


def due_items(result: Result, within: int | None = None) -> list[dict]:
    """The certificates of one archive to list, soonest first."""
    return sorted((_item(result, p, st, state, window) for p, st, state, window in due_states(result, within)),
                  key=_order)


def due_states(result: Result, within: int | None = None) -> Iterator[tuple]:
    """(person, CertState, the state listed, the kind's warning window) of each certificate
    `due_items` lists, in no order: what a count by month needs, without the items' text."""
    a, rs, as_of = result.archive, result.ruleset, result.as_of
    e = a.config.enterprise if a.config else None
    days = horizon(result, within)
    certificates = result.view_context().certificates
    for pid in sorted(a.people):
        p = a.people[pid]
        if not p.employed_on(as_of):
            continue
        for own in certificates(p):
            st, state = own, own.state
            if state == VALID:  # a preview over `days`, with the same definition
                st = certificate_state(p, own.certificate, rs, e, as_of, window=days)
                if st.state not in (EXPIRING, REVIEW_DUE):
                    continue
                state = UPCOMING
            elif state == SUPERSEDED or (state in (EXPIRING, REVIEW_DUE) and st.days_left > days):
                continue
            yield p, st, state, own.window
            # C003's overdue review and what C004 warns of alongside (the next review, else the expiry): both listed
            alongside = due_alongside(own, rs, e, as_of, window=max(days, own.window))
            if alongside is not None and alongside.days_left <= days:
                yield p, alongside, alongside.state if alongside.days_left <= own.window else UPCOMING, own.window


def _item(result: Result, p, st, state: str, window: int) -> dict:
    a, e = result.archive, (result.archive.config.enterprise if result.archive.config else None)
    c = st.certificate
    return {
        "archive": a.name, "enterprise": e.name if e else "",
        "person": p.id, "name": p.name, "department": p.post_on(result.as_of).department,
        "kind": c.kind, "category": c.category,
        "number": mask_id_numbers_in(c.number, p.id_number) if a.masks_id_numbers else c.number,
        "state": state, "due_kind": st.due_kind, "due": st.due.isoformat(), "days_left": st.days_left,
        "expires": c.expires.isoformat(), "window": window, "citation": st.citation,
        "uid": _uid(_archive_key(result), p.id, c.kind, c.category, c.number, st.due),
    }


def due_counts(items: Sequence[dict], days: Sequence[int] = (30, 60)) -> dict:
    """How many of `due_items`' certificates have lapsed (expired or review
    overdue) and how many fall due within each of `days` (not lapsed yet)."""
    lapsed = sum(i["state"] in (EXPIRED, REVIEW_OVERDUE) for i in items)
    return {"lapsed": lapsed, **{f"within_{n}": sum(i["state"] not in (EXPIRED, REVIEW_OVERDUE) and i["days_left"] <= n
                                                   for i in items) for n in days}}


def _order(item: dict) -> tuple:
    return (item["due"], item["archive"], item["person"], item["kind"], item["category"], item["number"])


def expiring_document(results: Sequence[Result], within: int | None = None) -> dict:
    """Every archive's list merged, soonest first: the JSON of `expiring`."""
    return expiring_of([archive_part(r, within) for r in results], within)


def archive_part(result: Result, within: int | None = None) -> dict:
    """What one archive adds to the document (as a workspace streams them)."""
    return {"as_of": result.as_of.isoformat(), "archive": {"archive": result.archive.name,
                                                           "within": horizon(result, within)},
            "items": due_items(result, within)}


def expiring_of(parts: Sequence[dict], within: int | None = None) -> dict:
    """The document of `archive_part` of each archive."""
    items = sorted((i for p in parts for i in p["items"]), key=_order)
    counts = Counter(i["state"] for i in items)
    return {
        "as_of": parts[0]["as_of"] if parts else None,
        # the days looked ahead: as asked, else the widest of the archives' own (each says its own)
        "within": within if within is not None else max((p["archive"]["within"] for p in parts), default=DEFAULT_WITHIN),
        "archives": [p["archive"] for p in parts],
        "counts": {s: counts.get(s, 0) for s in STATES},
        "items": items,
    }


def _state_label(item: dict, lang: str) -> str:
    key = (UPCOMING, item["due_kind"]) if item["state"] == UPCOMING else item["state"]
    return _t(key, lang)


def expiring_text(doc: dict, lang: str = "zh", *, width: int = 100, color: bool = False) -> str:
    """The list as a terminal table, soonest first."""
    within = max((a["within"] for a in doc["archives"]), default=doc["within"])
    if not doc["items"]:
        return to_text(text(_t("none", lang, within=within)), width=width, color=color)
    several = len(doc["archives"]) > 1
    names = short_names(a["archive"] for a in doc["archives"])
    right = {"justify": "right", "no_wrap": True}
    columns = [(_t("days", lang), right), (_t("due", lang), {"no_wrap": True}), (_t("state", lang), {"no_wrap": True}),
               _t("holder", lang), _t("department", lang), _t("certificate", lang),
               (_t("number", lang), {"no_wrap": True})]
    t = table(*columns + ([(_t("archive", lang), name_column(names.values()))] if several else []))
    for i in doc["items"]:
        style = STATE_STYLES[i["state"]]
        row = [text(str(i["days_left"]), style), i["due"], text(_state_label(i, lang), style),
               f"{i['name']} {i['person']}", i["department"], f"{_t(i['kind'], lang)} {i['category']}", i["number"]]
        t.add_row(*row + ([names[i["archive"]]] if several else []))
    counts = " · ".join(f"{_t(s, lang)} {n}" for s, n in doc["counts"].items() if n)
    title = text(_t("title", lang, as_of=doc["as_of"], within=within), "bold")
    note = text(_t("note", lang, within=within), "dim")
    return to_text(title, t, text(counts, "bold"), note, width=width, color=color)


def expiring_ics(doc: dict, lang: str = "zh") -> str:
    """One all-day event per listed due date, with alarms 60, 30 and 7 days before; only the
    alarms still ahead of as_of (none for what has already expired or fallen due). Each names its
    archive as the terminal does (short_names) in its description, and in its summary too when the
    calendar covers several archives (two clients may share an enterprise's name)."""
    events = []
    as_of = date.fromisoformat(doc["as_of"]) if doc["as_of"] else None
    names = short_names(a["archive"] for a in doc["archives"])
    several = len(names) > 1
    for i in doc["items"]:
        kind = label(CERTIFICATE_KIND, i["kind"], lang)
        archive = names.get(i["archive"], i["archive"])
        summary = _t(f"ics_{i['due_kind']}", lang, name=i["name"], category=i["category"], kind=kind)
        if several:
            summary = _t("ics_of_archive", lang, archive=archive, summary=summary)
        description = _t("ics_description", lang, **{**i, "archive": archive,
                                                      "expires": fmt.day(date.fromisoformat(i["expires"]), lang)})
        due = date.fromisoformat(i["due"])
        alarms = tuple(d for d in ALARM_DAYS if as_of is None or (due - as_of).days >= d)
        events.append(ics.Event(i["uid"], due, summary, description, alarms))
    stamp = datetime.combine(date.fromisoformat(doc["as_of"]), datetime.min.time()) if doc["as_of"] \
        else datetime(1970, 1, 1)
    return ics.calendar(events, stamp=stamp, name=_t("calendar", lang))
