"""Template contexts: one plain dict of strings (and lists of such dicts) per
document, from a checked archive. Pure functions: they never touch files.

Every context has `enterprise` (the enterprise's name), `as_of` and
`printed` (2024年6月30日), so a template's header can name the archive.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from ..archive.reading.codes import (ASSESSMENT, CERTIFICATE_KIND, CHANGE_KIND, DRILL_SCALE, DRILL_TYPE, EMPLOYMENT,
                             LEVEL, METHOD, ROLE, SCENARIO, SESSION_TYPE, SKILL_LEVEL, TOPIC, label)
from ..archive.reading.models import Attendance, Mentorship, Person, Session
from ..rules import certstatus as cs
from ..rules.annual import manager_initial
from ..numbers import HOURS_PLACES
from ..rules.context import credits_by
from ..rules.mentorship import apprenticeship_minimum
from ..rules.prejob import before_post, passed_pre_job
from . import fmt
from .facts import Facts

CERT_STATE = {state: zh for state, (zh, _) in cs.STATE_LABELS.items()}


def base(f: Facts) -> dict:
    return {"enterprise": f.enterprise_name, "as_of": fmt.day(f.as_of), "printed": fmt.day_zh(f.as_of)}


def result_of(s: Session, a: Attendance) -> str:
    """考核结果 as printed: 合格 / 不合格 / 无考核 / 未记录 (R002)."""
    if s.assessment == "none":
        return "无考核"
    if s.passed(a):
        return "合格"
    if a.score is None and a.passed is None:
        return "未记录"
    return "不合格"


def provider_of(s: Session) -> str:
    return "本单位自行组织" if s.is_internal else s.provider


def contract_of(s: Session) -> str:
    """The training service contract as the documents and the ledger print it: its file, or why
    there is none (internal training needs none; an outside provider's missing one is R003's)."""
    return fmt.text(s.contract) or ("不适用" if s.is_internal else "未附合同")


def cert_state_text(st: cs.CertState) -> str:
    """The state as the person's file prints it, with the days left or past; a review's with the
    day it falls or fell due (the table's 有效期至 column gives the expiry's)."""
    text = CERT_STATE[st.state]
    if st.state == cs.REVIEW_DUE:
        return f"{text}（应于 {fmt.day(st.due)} 复审，剩{st.days_left}天）"
    if st.state == cs.REVIEW_OVERDUE:
        return f"{text}（应于 {fmt.day(st.due)} 复审，逾期{-st.days_left}天）"
    if st.state == cs.EXPIRING:
        return f"{text}（剩{st.days_left}天）"
    if st.state == cs.EXPIRED:
        return f"{text}（{-st.days_left}天）"
    return text


# -- the person's file (一人一档) ---------------------------------------------
def identity(f: Facts, p: Person, on: date | None = None) -> dict:
    """Who the person is, with the post they held on `on` (default: as of the documents' date,
    or their last day when they left before it; ARCHIVE-FORMAT: the post on a date is the
    latest change on or before it)."""
    if on is None:
        on = max(p.hired, min(f.as_of, p.left) if p.left else f.as_of)
    post = p.post_on(on)
    return {
        "id": p.id, "name": p.name, "gender": fmt.gender(p.id_number),
        "id_number": fmt.id_number(p.id_number, f.mask),
        "employment": label(EMPLOYMENT, p.employment),
        "department": post.department, "team": fmt.text(post.team),
        "post": post.post + ("（井下）" if p.underground else ""),  # M004's four months turn on it
        "roles": fmt.labels(ROLE, sorted(p.roles)) or fmt.DASH,
        "skill_level": label(SKILL_LEVEL, p.skill_level) or fmt.DASH,
        "hired": fmt.day(p.hired), "on_post": fmt.day(p.on_post), "left": fmt.day(f.by_then(p.left)) or "在岗",
        "post_since": fmt.day(p.post_since_on(on)), "note": fmt.about(p.note, p.id_number, f.mask),
        **({"left": "截至日期尚未入职"} if p.hired > f.as_of else {}),  # not "在岗" before the first day
    }


def post_history(f: Facts, p: Person) -> list[dict]:
    """The posts held, from the hiring day: the changes made by the documents' date."""
    rows = [{"date": fmt.day(p.hired), "kind": "入职", "department": p.department,
             "team": fmt.text(p.team), "post": p.post}]
    for c in sorted((c for c in p.changes if f.by_then(c.date)), key=lambda c: (c.date, c.index)):
        now = p.post_on(c.date)
        away = f"（离岗自 {fmt.day(c.away_since)}）" if c.away_since else ""  # P005/C006 judge the time away
        rows.append({"date": fmt.day(c.date), "kind": label(CHANGE_KIND, c.kind) + away, "department": now.department,
                     "team": fmt.text(now.team), "post": now.post})
    return rows


def trainings(f: Facts, p: Person) -> list[dict]:
    rows = []
    for s, a in f.ctx.sessions_of(p.id):
        rows.append({
            "session": s.id, "date": fmt.days(s.start, s.end), "title": s.title,
            "type": label(SESSION_TYPE, s.type), "level": label(LEVEL, s.level) or fmt.DASH,
            "hours": fmt.num(s.hours), "credited": fmt.num(s.credited_hours(a)),
            "score": fmt.score(a.score), "result": result_of(s, a) + _after_post(s, p),
        })
    return rows


#: a pre-job session that ended after the person's first day on the post, as the documents mark it
AFTER_POST = "（上岗后，不计入岗前学时）"


def _after_post(s: Session, p: Person) -> str:
    """AFTER_POST for a pre-job session P001–P003 do not count (it ended after `on_post`), else ""."""
    return AFTER_POST if s.type == "pre_job" and not before_post(s, p) else ""


def yearly(f: Facts, p: Person) -> list[dict]:
    rows = []
    for year in f.years_of(p):
        got, need, status = f.year_hours(p, year)
        rows.append({"year": str(year), "hours": fmt.num(got), "required": fmt.num(need), "status": status})
    return rows


def certificates(f: Facts, p: Person) -> list[dict]:
    states = f.ctx.certificates(p)
    return [{
        "kind": label(CERTIFICATE_KIND, st.certificate.kind), "category": st.certificate.category,
        "number": fmt.certificate_number(st.certificate.number, p.id_number, f.mask),
        "issued": fmt.day(st.certificate.issued),
        "expires": fmt.day(st.certificate.expires),
        "reviews": "、".join(fmt.day(r) for r in f.reviews_by_then(st.certificate)) or fmt.DASH,
        "state": cert_state_text(st), "due": fmt.day(f.ctx.next_due(st).due),
    } for st in sorted(states, key=lambda st: (st.certificate.issued, st.certificate.index))]


def mentorships(f: Facts, p: Person) -> list[dict]:
    """The person's apprenticeship and those they mentor, begun by the documents' date."""
    rows = []
    m = f.archive.mentorships.get(p.id)
    if m is not None and f.by_then(m.start):
        rows.append(_mentorship_row(f, m, "徒弟", m.mentor))
    for m in f.apprenticeships_as_mentor.get(p.id, []):
        if f.by_then(m.start):
            rows.append(_mentorship_row(f, m, "师傅", m.apprentice))
    return rows


def _mentorship_row(f: Facts, m: Mentorship, role: str, other: str) -> dict:
    return {"role": role, "other": f"{f.name_of(other)}（{other}）", "post": m.post, "start": fmt.day(m.start),
            "end": fmt.day(m.end) or fmt.DASH, "signed_off": fmt.day(f.by_then(m.signed_off)) or "未出师"}


def pre_job_phrase(f: Facts, p: Person, hours: float, need: float) -> str:
    """岗前培训 as the documents say it: the hours against the figure, or, for someone on the
    post before the archive begins, that the pre-job training predates it (not "0 学时"); a
    principal or safety manager has no pre-job figure (RULES.md P) but the initial training Y003
    measures."""
    if p.on_post < f.ctx.window_start:
        return f"建档前入职（{fmt.day(p.on_post)} 上岗，早于建档起始日 {fmt.day(f.ctx.window_start)}，岗前培训不在本档案内）"
    if p.is_manager:
        got, initial, deadline = manager_initial(f.ctx, p)
        return (f"主要负责人/安全管理人员初次安全培训：至 {fmt.day(deadline)} 计入 {fmt.num(got)} 学时"
                f"（要求不少于 {fmt.num(initial)} 学时）")
    later = round(f.ctx.credited(p.id, types={"pre_job"}) - hours, HOURS_PLACES)
    after = f"；{fmt.day(p.on_post)} 上岗后的岗前培训 {fmt.num(later)} 学时不计入" if later > 0 else ""
    return f"计入 {fmt.num(hours)} 学时（要求不少于 {fmt.num(need)} 学时）{after}"


def years_counted(p: Person) -> str:
    """What the yearly-hours table counts for this person (rules.annual.annual_requirement)."""
    if p.is_manager:
        return "年度学时计入主要负责人/安全管理人员培训（management）的学时，按主要负责人和安全管理人员的年度要求。"
    return "年度学时计入岗前培训以外的各类培训（年度再培训、全员、特种作业、调岗、四新等）的学时。"


def person_context(f: Facts, pid: str) -> dict:
    p = f.archive.people[pid]
    pre_job = f.ctx.credited(pid, end=p.on_post, types={"pre_job"})
    need = float(f.figure("pre_job_hours").value)
    return {
        **base(f), "person": identity(f, p), "posts": post_history(f, p), "trainings": trainings(f, p),
        "years": yearly(f, p), "years_counted": years_counted(p), "certificates": certificates(f, p),
        "pre_job": pre_job_phrase(f, p, pre_job, need),
        "drills": [{"date": fmt.day(d.date), "title": d.title, "scale": label(DRILL_SCALE, d.scale),
                    "scenario": label(SCENARIO, d.scenario) or fmt.DASH} for d in f.drills_of.get(pid, [])],
        "mentorships": mentorships(f, p),
        "violations": [{"date": fmt.day(v.date), "note": fmt.about(v.note, p.id_number, f.mask)}
                       for v in sorted(p.violations, key=lambda v: (v.date, v.index)) if f.by_then(v.date)],
        "pre_job_hours": fmt.num(pre_job), "pre_job_required": fmt.num(f.figure("pre_job_hours").value),
        "total_hours": fmt.num(sum(s.credited_hours(a) for s, a in f.ctx.sessions_of(pid))),
    }


# -- the three-level card (三级安全教育卡) --------------------------------------
def _level(f: Facts, p: Person, level: str, passed_all: list) -> dict:
    """One level of the card: its sessions one by one (a failed one and its retake are two, each
    with its dates and its score and result), and the level's result as P003 judges it: passed
    when one of them was passed by the first day on the post (one ended later is marked so)."""
    rows = sorted(((s, a) for s, a in f.ctx.sessions_of(p.id) if s.type == "pre_job" and s.level == level),
                  key=lambda sa: (sa[0].start, sa[0].id))
    if not rows:
        return {"label": label(LEVEL, level), "dates": "", "hours": "", "content": "", "instructor": "",
                "score": "", "result": "", "grade": ""}
    passed = [(s, a) for s, a in passed_all if s.level == level]
    score = "、".join(fmt.score(a.score) for _, a in rows if a.score is not None)
    result = result_of(*passed[0]) if passed else \
        "、".join(dict.fromkeys(result_of(s, a) + _after_post(s, p) for s, a in rows))
    return {
        "label": label(LEVEL, level),
        "dates": "；".join(fmt.days(s.start, s.end) for s, _ in rows),
        "hours": fmt.num(sum(s.credited_hours(a) for s, a in rows)),
        "content": "；".join(_content(s) for s, _ in rows),
        "instructor": "、".join(dict.fromkeys(s.instructor for s, _ in rows)),
        "score": score, "result": result,
        # 考核成绩: each session's score and result (the result alone where there is no score)
        "grade": "；".join(" ".join(x for x in (fmt.score(a.score), result_of(s, a)) if x) + _after_post(s, p)
                          for s, a in rows),
    }


def _content(s: Session) -> str:
    topics = fmt.labels(TOPIC, s.topics)
    body = fmt.text(s.content)
    return "：".join(x for x in (topics, body) if x) or s.title


def card_context(f: Facts, pid: str) -> dict:
    p = f.archive.people[pid]
    passed_all = passed_pre_job(f.ctx, p)  # P003's: passed by the first day on the post
    levels = {lv: _level(f, p, lv, passed_all) for lv in LEVEL}
    done = f.ctx.credited(pid, end=p.on_post, types={"pre_job"})  # P002's measure: ended by the first day on the post
    need = float(f.figure("pre_job_hours").value)
    three_level = f.ctx.in_group("three_level")  # P003: the levels are required in these industries only
    passed = bool(passed_all)
    passed_levels = {s.level for s, _ in passed_all}
    levels_done = all(lv in passed_levels for lv in LEVEL)  # P003: each level passed by the first day on the post
    complete = (levels_done if three_level else passed) and done >= need
    before = p.on_post < f.ctx.window_start
    what = "三级安全教育" if three_level else "岗前安全培训"
    conclusion = ("主要负责人/安全管理人员：初次安全培训按管理人员要求（见一人一档），不适用本卡" if p.is_manager
                  else f"建档前入职，{what}记录不在本档案内" if before and not complete
                  else f"{what}完成，准予上岗" if complete else f"{what}未完成")
    return {**base(f), "person": identity(f, p, p.on_post), **levels,
            "total_hours": fmt.num(done), "required_hours": fmt.num(need),
            "pre_job": pre_job_phrase(f, p, done, need) if not complete else
            f"计入 {fmt.num(done)} 学时（要求不少于 {fmt.num(need)} 学时）", "conclusion": conclusion}


# -- sessions: the record (一期一档) and the sign-in sheet -----------------------
SIGNIN_BLANK_ROWS = 5  # walk-ins sign on blank rows


def session_head(f: Facts, s: Session) -> dict:
    return {
        "id": s.id, "title": s.title, "type": label(SESSION_TYPE, s.type), "level": label(LEVEL, s.level) or fmt.DASH,
        "time": fmt.span(s.start, s.end), "date": fmt.day_zh(s.start), "location": fmt.text(s.location),
        "instructor": s.instructor, "provider": provider_of(s),
        "contract": contract_of(s),
        "hours": fmt.num(s.hours), "topics": fmt.labels(TOPIC, s.topics), "content": fmt.text(s.content),
        "methods": fmt.labels(METHOD, s.methods) or fmt.DASH,
        "assessment": label(ASSESSMENT, s.assessment) or fmt.DASH, "pass_mark": fmt.score(s.pass_mark),
        # the pass mark as the record prints it: none where there is no assessment (everyone passes)
        "pass_mark_note": "" if s.assessment == "none" else f"（合格线 {fmt.score(s.pass_mark)}）",
        "attachments": "、".join(a.path for a in s.attachments) or fmt.DASH, "note": fmt.text(s.note),
    }


#: the 计入学时 of an attendee of a session still running on the documents' date (credits_by)
NOT_ENDED, NOT_ENDED_EN = "未结束", "not ended"


def plan_session(row: dict, lang: str = "zh") -> str:
    """The session that carried out a plan item (a row of summary.plan_summary) as the documents
    name it: its id, marked 未结束 when it was still running on their date (the plan counts a
    session from its start, ARCHIVE-FORMAT; the register's and the ledger's 培训台账 list it once
    it has ended, so the mark says why it is not there yet)."""
    if not row["session"]:
        return ""
    if row["ended"]:
        return row["session"]
    return f"{row['session']}（{NOT_ENDED}）" if lang != "en" else f"{row['session']} ({NOT_ENDED_EN})"


def _attendee(f: Facts, s: Session, a: Attendance, n: int, credit: float | None) -> dict:
    """One entry of the session record; its `note` (ARCHIVE-FORMAT: "printed") after its result,
    and as `note` for a template of one's own."""
    person = f.archive.people.get(a.person)
    note = fmt.about(a.note, person.id_number if person else None, f.mask)
    return {"n": str(n), "id": a.person, "name": f.name_of(a.person),
            "department": f.department_on(a.person, s.start.date()), "score": fmt.score(a.score),
            "result": result_of(s, a) + (f"（{note}）" if note else ""), "note": note,
            "hours": NOT_ENDED if credit is None else fmt.num(credit)}


def session_context(f: Facts, sid: str) -> dict:
    """The session record: every entry as the file lists it; the counts are of people (a person
    listed twice, A004, is one attendee, and the second entry credits nothing)."""
    s = f.archive.sessions[sid]
    ended = credits_by(s, f.as_of)  # still running on the documents' date: nothing credited yet, as the person's file says
    rows = [_attendee(f, s, a, n, credit if ended else None) for n, (a, _, credit) in enumerate(s.entries(), 1)]
    count, passed = s.head_count()
    results = [result_of(s, a) for a in s.counted_attendees()]
    return {**base(f), "session": session_head(f, s), "attendees": rows, "count": str(count),
            "passed": str(passed), "failed": str(results.count("不合格")), "unrecorded": str(results.count("未记录"))}


def _blank_rows(after: int) -> list[dict]:
    return [{"n": str(n), "id": "", "name": "", "department": ""} for n in range(after + 1, after + 1 + SIGNIN_BLANK_ROWS)]


def signin_context(f: Facts, sid: str) -> dict:
    """The sign-in sheet: the attendees listed, each person once (one signature a person: a
    person listed twice, A004, is one line, as 应到 counts them), then blank rows (kept on the
    page of the signatures)."""
    s = f.archive.sessions[sid]
    rows = [{"n": str(n), "id": a.person, "name": f.name_of(a.person),
             "department": f.department_on(a.person, s.start.date())} for n, a in enumerate(s.counted_attendees(), 1)]
    return {**base(f), "session": session_head(f, s), "attendees": rows, "blank": _blank_rows(len(rows)),
            "count": str(s.head_count()[0])}


BLANK_SESSION = {"id": "", "title": "", "type": "", "level": "", "time": "　　年　　月　　日　　时　　分 至 　　时　　分",
                 "date": "", "location": "", "instructor": "", "provider": "", "contract": "", "hours": "",
                 "topics": "", "content": "", "methods": "", "assessment": "", "pass_mark": "", "pass_mark_note": "", "attachments": "",
                 "note": ""}


def blank_signin_context(f: Facts, people: list[str]) -> dict:
    """A sign-in sheet printed before the session is recorded: the people expected (by
    department and id), the session's particulars left to fill in by hand."""
    rows = [{"n": str(n), "id": pid, "name": f.name_of(pid), "department": f.department_on(pid, f.as_of)}
            for n, pid in enumerate(people, 1)]
    return {**base(f), "session": BLANK_SESSION, "attendees": rows, "blank": _blank_rows(len(rows)),
            "count": str(len(rows))}


# -- mentorship agreement (师带徒协议书) and drill record ------------------------
def _party(f: Facts, pid: str, on: date) -> dict:
    p = f.person(pid)
    if p is None:
        return {"id": pid, "name": pid, "id_number": "", "department": "", "post": "", "skill_level": "",
                "post_since": "", "hired": ""}
    post = p.post_on(on)
    return {"id": p.id, "name": p.name, "id_number": fmt.id_number(p.id_number, f.mask),
            "department": post.department, "post": post.post,
            "skill_level": label(SKILL_LEVEL, p.skill_level) or fmt.DASH,
            "post_since": fmt.day(p.post_since_on(on)) or fmt.DASH, "hired": fmt.day(p.hired)}


def mentorship_context(f: Facts, mid: str) -> dict:
    m = f.archive.mentorships[mid]
    return {**base(f), "mentor": _party(f, m.mentor, m.start), "apprentice": _party(f, m.apprentice, m.start),
            "post": m.post, "start": fmt.day_zh(m.start), "end": fmt.day_zh(m.end) or "出师之日",
            "signed_off": fmt.day_zh(f.by_then(m.signed_off)) or "　　年　　月　　日", "min_months": fmt.num(apprenticeship_minimum(
                f.result.ruleset, f.enterprise, f.person(m.apprentice)).value),
            "note": fmt.text(m.note)}


def drill_context(f: Facts, did: str) -> dict:
    d = f.archive.drills[did]
    rows = [{"n": str(n), "id": pid, "name": f.name_of(pid), "department": f.department_on(pid, d.date)}
            for n, pid in enumerate(d.participants, 1)]
    return {**base(f), "drill": {
        "id": d.id, "title": d.title, "date": fmt.day_zh(d.date), "scale": label(DRILL_SCALE, d.scale),
        "type": label(DRILL_TYPE, d.type),
        "scenario": label(SCENARIO, d.scenario) or fmt.DASH, "location": fmt.text(d.location),
        "evaluation": fmt.text(d.evaluation), "attachments": "、".join(a.path for a in d.attachments) or fmt.DASH,
        "note": fmt.text(d.note)}, "participants": rows, "count": str(len(d.counted_participants()))}


# -- the year's training plan (年度安全培训计划) ------------------------------------
def plan_context(f: Facts, pid: str) -> dict:
    p = f.archive.plans[pid]
    items = [{"n": str(n), "title": i.title, "type": label(SESSION_TYPE, i.type), "month": f"{i.month}月",
              "audience": fmt.text(i.audience) or fmt.DASH, "hours": fmt.num(i.hours) or fmt.DASH}
             for n, i in enumerate(p.items, 1)]
    approver = f"{f.name_of(p.approved_by)}（{p.approved_by}）" if p.approved_by else fmt.DASH
    rs = f.result.ruleset
    return {**base(f), "year": str(p.year), "approved": fmt.day_zh(f.by_then(p.approved)) or "　　年　　月　　日",
            "approver": approver,
            "budget": f"{fmt.num(p.budget)} 元" if p.budget is not None else fmt.DASH, "items": items,
            "count": str(len(items)), "total_hours": fmt.num(sum(i.hours or 0 for i in p.items)),
            # the document the rule set carries out, cited after the national rules (none for them alone)
            "ruleset": f"及{rs.document}" if rs.document else "", "note": fmt.text(p.note)}


#: kind -> (title, the ids it renders, context function); `register` takes no id.
Builder = Callable[[Facts, str], dict]
