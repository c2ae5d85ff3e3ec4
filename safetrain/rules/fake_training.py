"""Family F: signs of fake training ("严厉打击虚假培训", 宁夏方案 二(十一)).

Records that cannot all be true: one person in two places at once, more
学时 than the clock allows, training outside the person's employment, a
teacher who is also a pupil. Like the other families, F judges the sessions
that ended on or before as_of and the drills dated on or before it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, time, timedelta

from ..archive.reading.models import Session
from ..numbers import HOURS_PLACES, number_text, score_text
from .context import Context
from .registry import hit, rule

_NAME_SEPARATORS = re.compile(r"[、,，;；/]+")
_SPACES = re.compile(r"\s+")  # full-width ones too: "王　五" is 王五 written to the width of three characters


def _names_in(instructor: str) -> set[str]:
    """The names `instructor` may hold, without their spaces: each one separated by 、 , ; or /,
    and where one holds a space, the words around it too (two names separated by a space)."""
    names = set()
    for part in _NAME_SEPARATORS.split(instructor):
        words = [w for w in _SPACES.split(part) if w]
        names.add("".join(words))
        if len(words) > 1:
            names.update(words)
    names.discard("")
    return names


def _when(s: Session) -> str:
    end = f"{s.end:%H:%M}" if s.end.date() == s.start.date() else f"{s.end:%Y-%m-%d %H:%M}"
    return f"{s.start:%Y-%m-%d %H:%M}–{end}"


def _counted_sessions(ctx: Context) -> list[Session]:
    """Sessions that ended on or before as_of, by id."""
    return [s for _, s in sorted(ctx.archive.sessions.items()) if s.end.date() <= ctx.as_of]


@rule("F001", "overlapping-attendance", title="同一人同时参加两期培训", needs_enterprise=False, person_elsewhere=True)
def overlapping_attendance(ctx: Context):
    """
    One person attends two sessions whose times overlap ([start, end) of
    each; a session ending at 12:00 and one starting at 12:00 do not). Each
    overlapping pair is reported once, about the person, at the person's
    line in the attendee list of the later-starting session (by start, then
    id); the message names both sessions. Failed and partial attendance
    count: being listed is being there.

    Why:
    宁夏方案 二(十一) orders "严厉打击虚假培训" — a firm crackdown on fake
    training; a person signed in to two
    sessions at once was not at both, so at least one record is false.

    Example:
    E0007 in sessions/2023/S12.toml (2023-09-01 08:30–17:30) and in
    sessions/2023/S13.toml (2023-09-01 14:00–16:00).

    Fix:
    Remove the person from the session they did not attend, or correct the
    sessions' times. A person who attended part of one and then the other
    (partial `hours`) may carry a waiver saying so.
    """
    for pid in sorted(ctx.attendance):
        p = ctx.archive.people.get(pid)
        if p is None:
            continue
        running: list[Session] = []  # sessions started so far that end after the current one starts
        for s, a in ctx.sessions_of(pid):  # sorted by (start, id)
            if s.end <= s.start:
                continue  # empty or reversed (A009): occupies no time
            if running:  # those still running when this one starts (most people: none)
                if len(running) == 1 and running[0].end <= s.start:
                    running = []  # the one before ended first: the usual case, without a new list
                else:
                    running = [o for o in running if o.end > s.start]
            for o in running:
                if o is s:
                    continue  # listed twice in one session: A004's
                yield hit(pid, s.file,
                          f"{p.name}（{pid}）同时参加了 {o.id}（{_when(o)}）和 {s.id}（{_when(s)}）两期培训，时间重叠",
                          f"{p.name} ({pid}) attends both {o.id} ({_when(o)}) and {s.id} ({_when(s)}), which overlap",
                          key=("attendees", a.index))
            running.append(s)


@rule("F002", "implausible-hours", title="学时与培训时长不符", needs_enterprise=False,
      figures=("minutes_per_hour", "max_hours_per_day"))
def implausible_hours(ctx: Context):
    """
    A session's `hours` need more time than it lasted (hours × the minutes
    of one training hour (学时), 45, is more than end − start), or more than
    the daily maximum (8 hours) times the calendar days it spans ([start, end): one
    ending at 00:00 does not span that day). About the session, at its
    `hours`.

    Why:
    宁夏方案 二(十一) orders "严厉打击虚假培训" — a firm crackdown on fake
    training; hours that do not fit in the session's time were not given. The figures are `minutes_per_hour` and
    `max_hours_per_day` in the rule set. No article sets a daily maximum:
    it is an integrity check of the archive (档案完整性检查), configurable, and
    a finding it decides cites no law. A session failing both cites both figures.

    Example:
    `start = 2023-07-01T08:30:00`, `end = 2023-07-01T12:00:00` (210 minutes)
    and `hours = 8` (360 minutes); or 24 training hours in one day.

    Fix:
    Correct `hours`, or `start` and `end` (a multi-day session ends on its
    last day).
    """
    per_hour, per_day = ctx.figure("minutes_per_hour"), ctx.figure("max_hours_per_day")
    for s in _counted_sessions(ctx):
        if s.end < s.start:
            continue  # A009's
        minutes = (s.end - s.start).total_seconds() / 60
        # the calendar days of [start, end): a session ending at 00:00 does not run into that day
        last = (s.end - timedelta(microseconds=1)).date() if s.end > s.start and s.end.time() == time() else s.end.date()
        days = (last - s.start.date()).days + 1
        reasons, citations = [], []
        if round(s.hours * per_hour.value, HOURS_PLACES) > minutes:  # 1.1 学时 x 45 is 49.50000000000001
            reasons.append((f"按每学时 {number_text(per_hour.value)} 分钟需 {number_text(s.hours * per_hour.value)} 分钟，"
                            f"但 {_when(s)} 只有 {number_text(minutes)} 分钟",
                            f"at {number_text(per_hour.value)} minutes each they need {number_text(s.hours * per_hour.value)} minutes, "
                            f"but {_when(s)} lasts {number_text(minutes)}"))
            citations.append(per_hour.citation)
        if s.hours > per_day.value * days:
            reasons.append((f"超过 {days} 个日历日每日最多 {number_text(per_day.value)} 学时的上限",
                            f"more than {number_text(per_day.value)} a day over {days} calendar day(s)"))
            citations.append(per_day.citation)
        if reasons:  # the citation of each figure it applied
            citation = "; ".join(dict.fromkeys(c for c in citations if c)) or None
            yield hit(s.id, s.file, f"培训 {s.id} 记 {score_text(s.hours)} 学时：" + "；".join(zh for zh, _ in reasons),
                      f"session {s.id} credits {score_text(s.hours)} hours: " + "; ".join(en for _, en in reasons),
                      key=("hours",), citation=citation)


@rule("F003", "outside-employment", title="在职期间以外参加培训或演练",
      title_en="Training outside employment", needs_enterprise=False, person_elsewhere=True)
def outside_employment(ctx: Context):
    """
    A person attends a session or drill that ends before their `hired` date
    or starts after their `left` date. About the person, at their line in
    the session's `attendees` or the drill's `participants`.

    Why:
    宁夏方案 二(十一): a record of training before someone was hired or after
    they left is a sign of fake training ("虚假培训"): names copied into a
    sign-in sheet.

    Example:
    E0031 hired 2023-09-01 among the attendees of a session on 2023-08-15.

    Fix:
    Remove the person from the record, or correct `hired`/`left` if the
    dates of employment are wrong (pre-hire training by the enterprise can
    be recorded by moving `hired` to its first day).
    """
    people = ctx.archive.people
    for pid in sorted(ctx.attendance):
        p = people.get(pid)
        if p is None:
            continue
        said: set[str] = set()  # one finding per person and session, however often the list names them (A004)
        hired = datetime.combine(p.hired, time())  # ends on a day before the hiring day: ends before its midnight
        after = datetime.combine(p.left + timedelta(days=1), time()) if p.left is not None else None
        for s, a in ctx.sessions_of(pid):
            if (s.end < hired or (after is not None and s.start >= after)) and s.file not in said:
                said.add(s.file)
                yield _outside(p, s.id, s.file, ("attendees", a.index), _when(s))
    by_person = defaultdict(list)
    for did in sorted(ctx.archive.drills):
        d = ctx.archive.drills[did]
        if d.date <= ctx.as_of:
            for i, pid in enumerate(d.participants):
                by_person[pid].append((d, i))
    for pid in sorted(by_person):
        p = people.get(pid)
        if p is None:
            continue
        said = set()
        for d, i in by_person[pid]:
            if d.file not in said and not p.employed_on(d.date):
                said.add(d.file)
                yield _outside(p, d.id, d.file, ("participants", i), str(d.date))


def _outside(p, record_id: str, file: str, key: tuple, when: str):
    span = f"{p.hired} 至 {p.left}" if p.left else f"{p.hired} 起"
    span_en = f"{p.hired} to {p.left}" if p.left else f"from {p.hired}"
    return hit(p.id, file, f"{p.name}（{p.id}）在职期间为 {span}，却参加了 {record_id}（{when}）",
               f"{p.name} ({p.id}), employed {span_en}, is recorded in {record_id} ({when})", key=key)


@rule("F004", "instructor-attends", "warning", title="授课人同时是参训人员",
      title_en="Instructor among the attendees", needs_enterprise=False)
def instructor_attends(ctx: Context):
    """
    The session's `instructor` (or one of several names separated by 、 , ;
    / or spaces) is the `name` of one of its attendees, spaces aside (王　五,
    padded to three characters' width, is 王五). About the session, at that
    attendee.

    Why:
    宁夏方案 二(十一): a teacher who signs the attendance list as a pupil is
    a sign of a record filled in by one hand.

    Example:
    `instructor = "李四"` and `{ person = "E0020", score = 95 }` where
    people/E0020.toml has `name = "李四"`.

    Fix:
    Remove the instructor from the attendees; if a namesake really attended,
    waive the finding in the session file with that reason.
    """
    people = ctx.archive.people
    by_name: dict[str, list[str]] = {}  # a name -> the people who bear it: a session asks of its teachers only
    for pid, p in people.items():
        by_name.setdefault(_SPACES.sub("", p.name), []).append(pid)
    for s in _counted_sessions(ctx):
        named = {pid for name in _names_in(s.instructor) for pid in by_name.get(name, ())}
        if not named:
            continue
        for a in s.attendees:
            if a.person in named:
                p = people[a.person]
                yield hit(s.id, s.file, f"培训 {s.id} 的授课人 {p.name.strip()} 也是参训人员（{a.person}）",
                          f"the instructor of {s.id}, {p.name.strip()}, is also an attendee ({a.person})",
                          key=("attendees", a.index))
