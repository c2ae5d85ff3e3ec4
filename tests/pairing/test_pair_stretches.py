"""What makes pairing fast must not change what it finds: a mentor's verdict is
asked once per stretch of days (mentor_turning_points), loads are counted
with arrays; both against the definitions, day by day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from types import MappingProxyType

import pytest

from safetrain.api import DEFAULT_RULESET
from safetrain.archive.reading.models import Archive, Change, Config, Enterprise, Mentorship, Person, Violation
from safetrain.archive.reading.rulesets import ruleset_tables
from safetrain.pairing.problem import Builder, most_at_once
from safetrain.rules import build_ruleset
from safetrain.rules.mentorship import mentor_problems, mentor_turning_points

ENTERPRISE = Enterprise(name="宁夏某煤业", credit_code="91350100M000100Y43", industry="coal_mine", crowded_place=False,
                        uses_gas=False, region="宁夏")
ENDS = [date(2019, 1, 31), date(2020, 2, 29), date(2021, 3, 31), date(2022, 8, 31), date(2023, 12, 31)]


def ruleset():
    data, chain, origin = ruleset_tables(DEFAULT_RULESET, None)
    return build_ruleset(data, chain, origin)


def day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def mentor(rng: random.Random, k: int) -> Person:
    hired = rng.choice([day(rng, date(2010, 1, 1), date(2022, 1, 1)), *ENDS[:3]])
    left = rng.choice([None, None, day(rng, hired, date(2025, 1, 1))])
    changes = tuple(Change(date=day(rng, hired, date(2024, 12, 1)), kind="transfer", post=rng.choice(["司机", "电工"]),
                           department=rng.choice([None, "二队"]), index=i) for i in range(rng.choice([0, 0, 1, 2])))
    violations = tuple(Violation(date=rng.choice([*ENDS, day(rng, hired, date(2024, 12, 1))]), index=i)
                       for i in range(rng.choice([0, 1, 2, 3])))
    return Person(id=f"M{k:03d}", file=f"people/M{k:03d}.toml", name=f"师傅{k}", employment="formal",
                  department="一队", post=rng.choice(["司机", "电工"]), team=rng.choice(["一班", "二班", None]),
                  hired=hired, left=left, skill_level=rng.choice(["intermediate", "senior", "technician"]),
                  post_since=rng.choice([None, day(rng, hired, date(2023, 1, 1)), *ENDS]),
                  changes=changes, violations=violations)


def archive(people, mentorships=()) -> Archive:
    return Archive("test", Config(ruleset=DEFAULT_RULESET, enterprise=ENTERPRISE),
                   MappingProxyType({p.id: p for p in people}), MappingProxyType({}), MappingProxyType({}),
                   MappingProxyType({m.id: m for m in mentorships}), MappingProxyType({}), None)


@pytest.mark.parametrize("seed", range(40))
def test_the_verdict_holds_between_turning_points(seed):
    rng, rs = random.Random(seed), ruleset()
    m = mentor(rng, seed)
    points = mentor_turning_points(m, rs, ENTERPRISE)
    start = min(points) - timedelta(days=3)
    verdicts = {}
    for n in range((max(points) - start).days + 4):
        d = start + timedelta(days=n)
        stretch = sum(p <= d for p in points)
        verdicts.setdefault(stretch, set()).add(not mentor_problems(m, "A1", d, rs, ENTERPRISE))
    assert all(len(v) == 1 for v in verdicts.values()), verdicts


@pytest.mark.parametrize("seed", range(10))
def test_stretches_say_what_the_definitions_say_on_every_day(seed):
    rng, rs = random.Random(seed), ruleset()
    people = [mentor(rng, k) for k in range(12)]
    builder = Builder(archive(people), rs)
    for m in people:
        stretches = builder.stretches(m)
        for _ in range(150):
            d = day(rng, date(2009, 1, 1), date(2026, 1, 1))
            [(ok, post)] = [(ok, post) for first, after, ok, post in stretches if first <= d.toordinal() < after]
            assert ok == (not mentor_problems(m, "A1", d, rs, ENTERPRISE)), (m.id, d)
            assert post == m.post_on(d), (m.id, d)


@pytest.mark.parametrize("seed", range(10))
def test_loads_are_the_most_at_once(seed):
    rng = random.Random(seed)
    people = [mentor(rng, k) for k in range(10)]
    spans = []
    for k in range(25):
        start = day(rng, date(2023, 1, 1), date(2024, 12, 1))
        spans.append(Mentorship(id=f"X{k}", file=f"mentorships/X{k}.toml", mentor=rng.choice(people).id, post="司机",
                                start=start, end=rng.choice([None, start + timedelta(days=rng.randint(0, 200))])))
    builder = Builder(archive(people, spans), ruleset())
    import numpy as np

    numbers = np.arange(len(people))
    for _ in range(60):
        first = day(rng, date(2022, 6, 1), date(2025, 1, 1))
        last = first + timedelta(days=rng.randint(0, 200))
        got = builder._loads(numbers, first, last).tolist()
        assert got == [most_at_once(builder.existing.get(p.id, ()), first, last) for p in builder.people]


@pytest.mark.parametrize("seed", range(10))
def test_loads_of_crowded_mentors_are_the_most_at_once(seed):
    """Mentors with many mentorships at once (counted for all of them together): spans that touch,
    run on (no end), end before they start, or are signed off early."""
    rng = random.Random(seed)
    people = [mentor(rng, k) for k in range(6)]
    spans = []
    for k in range(70):
        start = day(rng, date(2023, 1, 1), date(2024, 6, 1))
        end = rng.choice([None, start, start + timedelta(days=rng.randint(0, 120)), start - timedelta(days=3)])
        signed = rng.choice([None, None, start + timedelta(days=rng.randint(0, 60))])
        spans.append(Mentorship(id=f"X{k}", file=f"mentorships/X{k}.toml", mentor=rng.choice(people).id, post="司机",
                                start=start, end=end, signed_off=signed))
    builder = Builder(archive(people, spans), ruleset())
    import numpy as np

    crowded = 0
    for _ in range(80):
        first = day(rng, date(2022, 10, 1), date(2024, 9, 1))
        last = first + timedelta(days=rng.randint(0, 150))
        numbers = np.asarray(rng.sample(range(len(people)), rng.randint(1, len(people))))
        got = builder._loads(numbers, first, last).tolist()
        want = [most_at_once(builder.existing.get(builder.people[n].id, ()), first, last) for n in numbers.tolist()]
        assert got == want, (first, last)
        crowded += max(want) > 1
    assert crowded >= 20  # the mentors' loads were counted, not just their overlaps


def _most_by_days(spans, first, last):
    """most_at_once by its definition: every day of [first, last] counted (date.max read as a far day)."""
    far = date(2031, 1, 1)
    best, d = 0, first
    while d <= min(last, far):
        best = max(best, sum(s <= d <= min(e, far) for s, e in spans))
        d += timedelta(days=1)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_most_at_once_counts_the_fullest_day(seed):
    """The sweep over sorted starts and ends against a count of every day: spans touching, ending the
    day another starts or the day before, running on (date.max), reversed (running on no day),
    windows cutting them."""
    rng = random.Random(seed)
    base = date(2024, 1, 1)
    for _ in range(40):
        spans = []
        for _ in range(rng.randint(2, 7)):
            s = base + timedelta(days=rng.randint(0, 60))
            e = rng.choice([s + timedelta(days=rng.randint(0, 30)), s, s - timedelta(days=rng.randint(1, 5)), date.max])
            spans.append((s, e))
        first = base + timedelta(days=rng.randint(-10, 70))
        last = rng.choice([first + timedelta(days=rng.randint(0, 40)), first - timedelta(days=1)])
        assert most_at_once(tuple(spans), first, last) == _most_by_days(spans, first, last), (spans, first, last)
