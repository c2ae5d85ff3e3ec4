"""Building the pairing problem: who needs a mentor, who may mentor them, at what cost.

An apprentice's mentorship would run from its start (the apprentice's
`on_post`, or the date asked for) to start + the apprenticeship minimum, the
planned `end` that `--write` records. A mentor may take the apprentice when
`mentor_problems` finds nothing against them on the start day (the M002
figures), their post on that day is the apprentice's (M005), and they have a
free place during the whole planned span (M003): fewer than
`mentor_max_apprentices` of their mentorships already in the archive run at
once on any day of it. Checking the whole span, not only the start day, is
what makes a written pair safe from M003 when an existing mentorship of the
mentor starts later; an existing mentorship with neither `end` nor
`signed_off` is taken to run on indefinitely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Mapping, Sequence

from ..archive.reading.models import Archive, Mentorship, Person, Post
from ..dates import add_months, whole_months
from ..rules.mentorship import Reason, apprenticeship_minimum, mentor_problems, mentor_turning_points
from ..rules.ruleset import RuleSet

SAME_TEAM, SAME_DEPARTMENT, OTHER_DEPARTMENT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Apprentice:
    person: Person
    start: date
    end: date  # start + the apprenticeship minimum (M004): the planned end
    post: Post  # the apprentice's post on the start day


@dataclass(frozen=True, slots=True)
class Option:
    """A mentor the apprentice may take: the indexes, how close they work, and
    how many of the mentor's existing mentorships run at once during the span."""

    apprentice: int
    mentor: int
    relation: int  # SAME_TEAM, SAME_DEPARTMENT or OTHER_DEPARTMENT
    load: int


class Options(Sequence[Option]):
    """The options of a problem as four integer arrays (apprentice, mentor, relation,
    load), in apprentice then mentor order: a large mine has millions of options,
    and the solver works on the arrays; an Option is made only when one is asked for."""

    def __init__(self, apprentice, mentor, relation, load):
        import numpy as np

        self.apprentice, self.mentor, self.relation, self.load = (np.asarray(x, dtype=np.int64)
                                                                   for x in (apprentice, mentor, relation, load))

    @classmethod
    def of(cls, options: "Sequence[Option]") -> "Options":
        if isinstance(options, Options):
            return options
        return cls([o.apprentice for o in options], [o.mentor for o in options], [o.relation for o in options],
                   [o.load for o in options])

    def __len__(self) -> int:
        return len(self.apprentice)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Option(int(self.apprentice[i]), int(self.mentor[i]), int(self.relation[i]), int(self.load[i]))

    def __iter__(self):
        for a, m, r, k in zip(self.apprentice.tolist(), self.mentor.tolist(), self.relation.tolist(), self.load.tolist()):
            yield Option(a, m, r, k)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an apprentice has no option at all.

    code: not_employed, has_mentorship, no_candidate, none_eligible, all_full;
    nearest: for none_eligible, the closest candidates and what they lack;
    full: for all_full, the eligible mentors and their loads.
    """

    code: str
    nearest: tuple[tuple[Person, tuple[Reason, ...]], ...] = ()
    full: tuple[tuple[Person, int], ...] = ()


@dataclass(frozen=True)
class PairingProblem:
    apprentices: tuple[Apprentice, ...]  # in id order
    mentors: tuple[Person, ...]  # in id order: everyone in some option
    options: Sequence[Option]  # an Options from the Builder
    capacity: int  # mentor_max_apprentices
    gap: tuple[int, ...]  # per mentor: whole months less on the post than the most experienced mentor
    refused: Mapping[int, Refusal] = field(default_factory=dict)
    existing: Mapping[str, tuple[tuple[date, date], ...]] = field(default_factory=dict)  # mentor id -> spans

    @cached_property
    def exp_span(self) -> int:
        """One more than the largest experience gap: the unit of the load term."""
        return max(self.gap, default=0) + 1

    def cost(self, option: Option, slot: int) -> int:
        """The documented cost of a pair when it takes the mentor's place `slot` (1, 2, …).

        (relation × capacity + slot − 1) × exp_span + gap: per pair, the same
        team is cheaper than the same department whatever the load and the
        experience, the same department cheaper than another one, a lighter
        load cheaper than a heavier one whatever the experience, and then
        every month of experience counts. Smaller is better.
        """
        return (option.relation * self.capacity + slot - 1) * self.exp_span + self.gap[option.mentor]


def planned_end(start: date, ruleset: RuleSet, enterprise, apprentice: Person) -> date:
    """start + the apprentice's minimum (M004: 4 months underground in a coal mine, else 2)."""
    return add_months(start, int(apprenticeship_minimum(ruleset, enterprise, apprentice).value))


def existing_spans(archive: Archive) -> dict[str, tuple[tuple[date, date], ...]]:
    """mentor id -> (start, last day) of each mentorship in the archive; open ones run on. One that
    ends (or is signed off) before it starts runs on no day and takes no place, as M003 counts."""
    out: dict[str, list[tuple[date, date]]] = {}
    for m in archive.mentorships.values():
        if m.start <= _last_day(m):
            out.setdefault(m.mentor, []).append((m.start, _last_day(m)))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _last_day(m: Mentorship) -> date:
    return m.signed_off or m.end or date.max


def most_at_once(spans, first: date, last: date) -> int:
    """The most of `spans` (inclusive (start, last day) pairs) running on one day in [first, last].

    On the day a span starts, those running are the spans started by then (starts sorted)
    less those whose last day is before it (ends sorted): the most at once is the largest
    such count, at some span's start."""
    if not spans:
        return 0
    if len(spans) == 1:
        s, e = spans[0]
        return int(s <= last and e >= first)
    starts, ends = [], []
    for s, e in spans:
        s, e = (s if s > first else first), (e if e < last else last)  # clipped to [first, last]
        if s <= e:
            starts.append(s)
            ends.append(e)
    if len(starts) < 2:
        return len(starts)
    starts.sort()
    ends.sort()
    best = ended = 0
    for running, s in enumerate(starts, 1):
        while ends[ended] < s:
            ended += 1
        if running - ended > best:
            best = running - ended
    return best


def experience_gaps(mentors, latest_start: date) -> tuple[int, ...]:
    """Per mentor, whole months on the post less than the most experienced one
    (by `post_since`; a mentor without one, possible only when the years
    figure is 0, counts as on the post since the latest start)."""
    since = [m.post_since or latest_start for m in mentors]
    earliest = min(since, default=latest_start)
    return tuple(whole_months(earliest, s) for s in since)


def relation(a: Post, m: Post) -> int:
    """Teams are named inside departments: the same team needs the same department."""
    if a.department != m.department:
        return OTHER_DEPARTMENT
    return SAME_TEAM if a.team is not None and a.team == m.team else SAME_DEPARTMENT


class Builder:
    """Builds a PairingProblem.

    Eligibility is `mentor_problems`: it does not depend on the apprentice once
    the mentor is someone else, and between two of the mentor's turning points
    (`mentor_turning_points`, and the days the mentor changed posts) neither
    does it nor the mentor's post, so each is asked once per stretch of days.
    Each post keeps a table of the stretches in which someone may mentor on it;
    apprentices who start on the post on the same day share its rows and the
    mentors' loads, and their options are made as arrays. People below the
    skill level (which does not depend on the day) are looked at only when no
    one on the post is eligible and the nearest candidates' reasons are wanted.
    """

    def __init__(self, archive: Archive, ruleset: RuleSet):
        self.archive = archive
        self.ruleset = ruleset
        self.enterprise = e = archive.config.enterprise if archive.config else None
        self.capacity = ruleset.value("mentor_max_apprentices", e)
        self.existing = existing_spans(archive)
        self.people = [archive.people[pid] for pid in sorted(archive.people)]
        self.number = {p.id: k for k, p in enumerate(self.people)}  # position in id order
        self.by_post: dict[str, list[Person]] = {}  # everyone who ever held the post
        self.hopeful: dict[str, list[Person]] = {}  # of those, everyone at or above the skill level
        self._fixed: dict[str, Post] = {}  # the post of people who never changed it
        for p in self.people:
            skilled = not any(r.code == "skill_level" for r in mentor_problems(p, "", p.hired, ruleset, e))
            for post in dict.fromkeys([p.post, *(c.post for c in p.changes if c.post)]):
                self.by_post.setdefault(post, []).append(p)
                if skilled:
                    self.hopeful.setdefault(post, []).append(p)
            if not p.changes:
                self._fixed[p.id] = p.post_on(p.hired)
        self._tables: dict[str, tuple] = {}
        self._groups: dict[tuple[str, date, date], tuple] = {}
        self._codes: dict[str | None, int] = {None: -1}
        self._spans: tuple | None = None

    def post_on(self, p: Person, day: date) -> Post:
        return self._fixed.get(p.id) or p.post_on(day)

    def problems(self, mentor: Person, apprentice_id: str, start: date) -> list[Reason]:
        return mentor_problems(mentor, apprentice_id, start, self.ruleset, self.enterprise)

    def stretches(self, mentor: Person) -> list[tuple[int, int, bool, Post]]:
        """(first day, day after the last, as ordinals; eligible; the mentor's post) of each
        stretch of days in which mentor_problems (for someone else) and the post do not change."""
        points = sorted(set(mentor_turning_points(mentor, self.ruleset, self.enterprise))
                        | {c.date for c in mentor.changes})
        bounds = [date.min.toordinal(), *(d.toordinal() for d in points), date.max.toordinal() + 1]
        out = []
        for k, day in enumerate([points[0] - timedelta(days=1), *points]):
            out.append((bounds[k], bounds[k + 1], not self.problems(mentor, "", day), self.post_on(mentor, day)))
        return out

    def _code(self, name: str | None) -> int:
        return self._codes.setdefault(name, len(self._codes))

    def _table(self, post: str) -> tuple:
        """Per post: arrays (person number, first day, day after, department, team) of every stretch
        in which someone at the skill level is eligible and works the post, in id order."""
        import numpy as np

        if post not in self._tables:
            rows = [(self.number[m.id], first, after, self._code(theirs.department), self._code(theirs.team))
                    for m in self.hopeful.get(post, ()) for first, after, ok, theirs in self.stretches(m)
                    if ok and theirs.post == post]
            self._tables[post] = tuple(np.asarray(col, dtype=np.int64) for col in zip(*rows)) if rows else None
        return self._tables[post]

    def _free(self, a: Apprentice) -> tuple | None:
        """(person numbers, departments, teams, loads over a's span) of the eligible mentors on a's
        post on its start day (the apprentice itself included, if eligible), in id order; None: nobody."""
        key = (a.post.post, a.start, a.end)  # the end (the load's span) may differ: underground apprentices
        if key not in self._groups:
            table, got = self._table(a.post.post), None
            if table is not None:
                number, first, after, dept, team = table
                day = a.start.toordinal()
                on = (first <= day) & (day < after)
                if on.any():
                    mentors = number[on]
                    got = (mentors, dept[on], team[on], self._loads(mentors, a.start, a.end))
            self._groups[key] = got
        return self._groups[key]

    def _loads(self, mentors, first: date, last: date):
        """most_at_once of each mentor's existing mentorships over [first, last]: the number of
        them overlapping it, which is the most at once unless it is two or more (then counted)."""
        import numpy as np

        if self._spans is None:
            rows = [(self.number[mid], s.toordinal(), min(e, date.max - timedelta(days=1)).toordinal())
                    for mid, spans in self.existing.items() if mid in self.number for s, e in spans]
            self._spans = tuple(np.asarray(col, dtype=np.int64) for col in zip(*rows)) if rows else ()
        if not self._spans:
            return np.zeros(len(mentors), dtype=np.int64)
        number, s, e = self._spans
        overlapping = number[(s <= last.toordinal()) & (e >= first.toordinal())]
        loads = np.bincount(overlapping, minlength=len(self.people))[mentors]
        for k in np.flatnonzero(loads > 1).tolist():
            loads[k] = most_at_once(self.existing[self.people[int(mentors[k])].id], first, last)
        return loads

    def on_post(self, people: dict[str, list[Person]], a: Apprentice) -> list[tuple[Person, Post]]:
        """Those of `people` (by post) other than the apprentice who work its post on the start day."""
        p, post = a.person, a.post.post
        return [(m, theirs) for m in people.get(post, ()) if m.id != p.id
                for theirs in (self.post_on(m, a.start),) if theirs.post == post]

    def build(self, people: list[Person], start: date | None) -> PairingProblem:
        import numpy as np

        apprentices, refused, parts = [], {}, []
        for i, p in enumerate(sorted(people, key=lambda p: p.id)):
            day = start or p.on_post
            a = Apprentice(p, day, planned_end(day, self.ruleset, self.enterprise, p), p.post_on(day))
            apprentices.append(a)
            found = self._options(a)
            if isinstance(found, Refusal):
                refused[i] = found
            else:
                mentors, relations, loads = found
                parts.append((np.full(len(mentors), i, dtype=np.int64), mentors, relations, loads))
        if parts:
            apprentice, number, rel, load = (np.concatenate(col) for col in zip(*parts))
        else:
            apprentice = number = rel = load = np.zeros(0, dtype=np.int64)
        used, mentor = np.unique(number, return_inverse=True)  # person numbers are in id order
        mentors = tuple(self.people[k] for k in used.tolist())
        options = Options(apprentice, mentor.reshape(-1), rel, load)
        gap = experience_gaps(mentors, max((a.start for a in apprentices), default=date.min))
        return PairingProblem(tuple(apprentices), mentors, options, self.capacity, gap, refused, self.existing)

    def _options(self, a: Apprentice) -> Refusal | tuple:
        """Why `a` has no option, or its options: (person numbers, relations, loads) of its mentors."""
        import numpy as np

        p = a.person
        if not p.employed_on(a.start):
            return Refusal("not_employed")
        if p.id in self.archive.mentorships or p.id in self.archive.excluded.get("mentorship", ()):
            return Refusal("has_mentorship")
        free = self._free(a)
        others = None if free is None else free[0] != self.number.get(p.id, -1)
        if free is None or not others.any():
            candidates = self.on_post(self.by_post, a)
            if not candidates:
                return Refusal("no_candidate")
            verdicts = [(m, post, self.problems(m, p.id, a.start)) for m, post in candidates]
            nearest = sorted(verdicts, key=lambda v: (len(v[2]), v[0].id))[:3]
            return Refusal("none_eligible", nearest=tuple((m, tuple(r)) for m, _, r in nearest))
        mentors, dept, team, loads = (x[others] for x in free)
        room = loads < self.capacity
        if not room.any():
            return Refusal("all_full", full=tuple((self.people[k], load)
                                                  for k, load in zip(mentors.tolist(), loads.tolist())))
        dept, team = dept[room], team[room]
        mine = self._codes.get(a.post.team, -2) if a.post.team is not None else -2
        same_dept = dept == self._codes.get(a.post.department, -2)
        relations = np.where(same_dept, np.where(team == mine, SAME_TEAM, SAME_DEPARTMENT), OTHER_DEPARTMENT)
        return mentors[room], relations.astype(np.int64), loads[room]
