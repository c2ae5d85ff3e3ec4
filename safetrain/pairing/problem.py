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
from typing import Mapping

from ..archive.reading.models import Archive, Mentorship, Person, Post
from ..dates import add_months, whole_months
from ..rules.mentorship import Reason, apprenticeship_minimum, mentor_problems
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
    options: tuple[Option, ...]
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
    """mentor id -> (start, last day) of each mentorship in the archive; open ones run on."""
    out: dict[str, list[tuple[date, date]]] = {}
    for m in archive.mentorships.values():
        out.setdefault(m.mentor, []).append((m.start, _last_day(m)))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _last_day(m: Mentorship) -> date:
    return m.signed_off or m.end or date.max


def most_at_once(spans, first: date, last: date) -> int:
    """The most of `spans` (inclusive (start, last day) pairs) running on one day in [first, last]."""
    if not spans:
        return 0
    events = []
    for s, e in spans:
        s, e = max(s, first), min(e, last)
        if s <= e:
            events += [(s, 1), (e + timedelta(days=1) if e < date.max else e, -1)]
    best = running = 0
    for _, delta in sorted(events):
        running += delta
        best = max(best, running)
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

    Eligibility is `mentor_problems`, remembered per (mentor, day): it does
    not depend on the apprentice once the mentor is someone else. People
    below the skill level (which does not depend on the day) are looked at
    only when no one on the post is eligible and the nearest candidates'
    reasons are wanted.
    """

    def __init__(self, archive: Archive, ruleset: RuleSet):
        self.archive = archive
        self.ruleset = ruleset
        self.enterprise = e = archive.config.enterprise if archive.config else None
        self.capacity = ruleset.value("mentor_max_apprentices", e)
        self.existing = existing_spans(archive)
        self.by_post: dict[str, list[Person]] = {}  # everyone who ever held the post
        self.hopeful: dict[str, list[Person]] = {}  # of those, everyone at or above the skill level
        self._fixed: dict[str, Post] = {}  # the post of people who never changed it
        for pid, p in sorted(archive.people.items()):
            skilled = not any(r.code == "skill_level" for r in mentor_problems(p, "", p.hired, ruleset, e))
            for post in dict.fromkeys([p.post, *(c.post for c in p.changes if c.post)]):
                self.by_post.setdefault(post, []).append(p)
                if skilled:
                    self.hopeful.setdefault(post, []).append(p)
            if not p.changes:
                self._fixed[pid] = p.post_on(p.hired)
        self._reasons: dict[tuple[str, date], list[Reason]] = {}

    def post_on(self, p: Person, day: date) -> Post:
        return self._fixed.get(p.id) or p.post_on(day)

    def problems(self, mentor: Person, apprentice_id: str, start: date) -> list[Reason]:
        key = (mentor.id, start)
        if key not in self._reasons:
            self._reasons[key] = mentor_problems(mentor, apprentice_id, start, self.ruleset, self.enterprise)
        return self._reasons[key]

    def on_post(self, people: dict[str, list[Person]], a: Apprentice) -> list[tuple[Person, Post]]:
        """Those of `people` (by post) other than the apprentice who work its post on the start day."""
        p, post = a.person, a.post.post
        return [(m, theirs) for m in people.get(post, ()) if m.id != p.id
                for theirs in (self.post_on(m, a.start),) if theirs.post == post]

    def build(self, people: list[Person], start: date | None) -> PairingProblem:
        apprentices, options, refused = [], [], {}
        mentor_ids: set[str] = set()
        raw: list[tuple[int, Person, int, int]] = []
        for i, p in enumerate(sorted(people, key=lambda p: p.id)):
            day = start or p.on_post
            a = Apprentice(p, day, planned_end(day, self.ruleset, self.enterprise, p), p.post_on(day))
            apprentices.append(a)
            found = self._options(a)
            if isinstance(found, Refusal):
                refused[i] = found
            else:
                raw += [(i, m, rel, load) for m, rel, load in found]
                mentor_ids.update(m.id for m, _, _ in found)
        mentors = tuple(self.archive.people[mid] for mid in sorted(mentor_ids))
        index = {m.id: j for j, m in enumerate(mentors)}
        options = tuple(Option(i, index[m.id], rel, load) for i, m, rel, load in raw)
        gap = experience_gaps(mentors, max((a.start for a in apprentices), default=date.min))
        return PairingProblem(tuple(apprentices), mentors, options, self.capacity, gap, refused, self.existing)

    def _options(self, a: Apprentice) -> Refusal | list[tuple[Person, int, int]]:
        p = a.person
        if not p.employed_on(a.start):
            return Refusal("not_employed")
        if p.id in self.archive.mentorships or p.id in self.archive.excluded.get("mentorship", ()):
            return Refusal("has_mentorship")
        eligible = [(m, post) for m, post in self.on_post(self.hopeful, a) if not self.problems(m, p.id, a.start)]
        if not eligible:
            candidates = self.on_post(self.by_post, a)
            if not candidates:
                return Refusal("no_candidate")
            verdicts = [(m, post, self.problems(m, p.id, a.start)) for m, post in candidates]
            nearest = sorted(verdicts, key=lambda v: (len(v[2]), v[0].id))[:3]
            return Refusal("none_eligible", nearest=tuple((m, tuple(r)) for m, _, r in nearest))
        found, full = [], []
        for m, post in eligible:
            load = most_at_once(self.existing.get(m.id, ()), a.start, a.end)
            (found if load < self.capacity else full).append((m, post, load))
        if not found:
            return Refusal("all_full", full=tuple((m, load) for m, _, load in full))
        return [(m, relation(a.post, post), load) for m, post, load in found]
