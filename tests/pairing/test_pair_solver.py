"""The solver alone, on random problems full of near ties: exact against a brute force."""

from __future__ import annotations

import random
from datetime import date

import pytest

from safetrain.archive.reading.models import Person, Post
from safetrain.pairing.problem import Apprentice, Option, PairingProblem
from safetrain.pairing.solver import EXACT, best_in_times, components, freed_places, solve, weights


def someone(pid: str) -> Person:
    return Person(id=pid, file=f"people/{pid}.toml", name=pid, employment="formal", department="一队", post="司机",
                  hired=date(2024, 1, 1))


def random_problem(seed: int) -> PairingProblem:
    rng = random.Random(seed)
    cap = rng.choice([1, 1, 2, 3])
    n, m = rng.randint(2, 6), rng.randint(1, 4)
    apprentices = tuple(Apprentice(someone(f"A{i}"), date(2024, 1, 1), date(2024, 5, 1), Post("一队", "司机", None, date(2024, 1, 1)))
                        for i in range(n))
    mentors = tuple(someone(f"M{j}") for j in range(m))
    options = tuple(Option(i, j, rng.randint(0, 2), rng.randint(0, cap - 1))
                    for i in range(n) for j in range(m) if rng.random() < 0.55)
    return PairingProblem(apprentices, mentors, options, cap, tuple(rng.randint(0, 1) for _ in range(m)))


def positions(problem: PairingProblem) -> tuple[dict[int, int], dict[int, int]]:
    """Positions in id order within each part, computed without the solver's helpers."""
    part = {}
    for o in problem.options:  # naive merging: relabel one part into the other
        a, m = part.setdefault(("a", o.apprentice), ("a", o.apprentice)), part.setdefault(("m", o.mentor), ("m", o.mentor))
        if a != m:
            for k, v in part.items():
                if v == m:
                    part[k] = a
    at_a, at_m = {}, {}
    for label in set(part.values()):
        members = sorted(k for k, v in part.items() if v == label)
        at_a.update({k[1]: i for i, k in enumerate(x for x in members if x[0] == "a")})
        at_m.update({k[1]: j for j, k in enumerate(x for x in members if x[0] == "m")})
    return at_a, at_m


def brute(problem: PairingProblem):
    at_a, at_m = positions(problem)
    by_apprentice = {}
    for o in problem.options:
        by_apprentice.setdefault(o.apprentice, []).append(o)
    order = sorted(by_apprentice)
    best = [None]

    def walk(k, used, key):
        if k == len(order):
            best[0] = key if best[0] is None or key < best[0] else best[0]
            return
        walk(k + 1, used, key)
        for o in by_apprentice[order[k]]:
            for place in range(o.load + 1, problem.capacity + 1):
                if (o.mentor, place) not in used:
                    step = (-1, problem.cost(o, place), at_a[o.apprentice], at_m[o.mentor])
                    walk(k + 1, used | {(o.mentor, place)}, tuple(x + y for x, y in zip(key, step)))

    walk(0, frozenset(), (0, 0, 0, 0))
    return best[0]


@pytest.mark.parametrize("seed", range(250))
def test_solver_against_brute_force(seed):
    problem = random_problem(seed)
    chosen = best_in_times(problem)  # the exact optimum; solve adds freed_places to it
    assert solve(problem) == sorted(chosen + freed_places(problem, chosen), key=lambda c: c.option.apprentice)
    at_a, at_m = positions(problem)
    key = (-len(chosen), sum(problem.cost(c.option, c.slot) for c in chosen),
           sum(at_a[c.option.apprentice] for c in chosen), sum(at_m[c.option.mentor] for c in chosen))
    assert key == brute(problem)
    places = [(c.option.mentor, c.slot) for c in chosen]
    assert len(set(places)) == len(places)
    assert all(c.option.load < c.slot <= problem.capacity for c in chosen)
    assert len({c.option.apprentice for c in chosen}) == len(chosen)


def test_components_split_by_shared_people():
    a = [Apprentice(someone(f"A{i}"), date(2024, 1, 1), date(2024, 5, 1), Post("一队", "司机", None, date(2024, 1, 1)))
         for i in range(3)]
    options = (Option(0, 0, 1, 0), Option(1, 1, 1, 0), Option(2, 1, 1, 0), Option(2, 2, 1, 0))
    problem = PairingProblem(tuple(a), tuple(someone(f"M{j}") for j in range(3)), options, 2, (0, 0, 0))
    assert [[(o.apprentice, o.mentor) for o in part] for part in components(problem)] == [
        [(0, 0)], [(1, 1), (2, 1), (2, 2)]]


def test_weights_are_strict_and_exact():
    for pairs, n, mentors, most in [(1, 1, 1, 10), (3, 4, 5, 30), (100, 120, 60, 3000), (2000, 2000, 1000, 3000)]:
        w, b, keep = weights(pairs, n, mentors, most)
        tie = (n - 1) * b + (mentors - 1) * keep
        assert w > pairs * tie  # a cost unit outweighs every tie term together
        assert b == 0 or b > pairs * (mentors - 1) * keep  # an apprentice position outweighs every mentor position
        assert pairs * (most * w + tie) < EXACT
    assert weights(100, 120, 60, 3000)[1] > 0  # typical parts keep both tie terms


def test_a_mentor_found_full_is_not_asked_again_for_the_same_span(monkeypatch):
    """Where mentors run short, every apprentice left over asked every full mentor again whether
    a place was free over its span (1,000 mentors x 10,000 apprentices: 4.7 s of 8.3 s). New pairs
    only add to a mentor's load, so a mentor full over a span stays full over it: asked once."""
    import safetrain.pairing.solver as solver

    post = Post("一队", "司机", None, date(2024, 1, 1))
    apprentices = tuple(Apprentice(someone(f"A{i:02d}"), date(2024, 1, 1), date(2024, 3, 1), post) for i in range(40))
    mentors = tuple(someone(f"M{j}") for j in range(4))
    problem = PairingProblem(apprentices, mentors, tuple(Option(i, j, 0, 0) for i in range(40) for j in range(4)),
                             1, (0, 0, 0, 0))
    asked = []
    real = solver.most_at_once

    def most_at_once(spans, first, last):
        asked.append((first, last))
        return real(spans, first, last)

    monkeypatch.setattr(solver, "most_at_once", most_at_once)
    chosen = best_in_times(problem)
    assert len(chosen) == 4 and freed_places(problem, chosen) == []  # one place each, all taken
    assert len(asked) == 4  # each mentor once, not once per apprentice left over (36 x 4)


def many_parts(seed: int, months: int, days: int = 28, share: float = 0.5) -> PairingProblem:
    """Apprentices on 4 posts (mentors work one post each), starting in `months` different months,
    spans ending on day `days` of the month or 2 days after the start, some meeting and some not:
    many parts, and times in which mentors are taken anew."""
    rng = random.Random(seed)
    post = Post("一队", "司机", None, date(2024, 1, 1))
    apprentices = []
    for i in range(120):
        start = date(2024, 1 + rng.randrange(months), 1 + rng.randrange(20))
        end = start.replace(day=days) if days > start.day else start.replace(day=start.day + 2)
        apprentices.append(Apprentice(someone(f"A{i:03d}"), start, end, post))
    mentors = tuple(someone(f"M{j:02d}") for j in range(24))
    options = tuple(Option(i, j, rng.randint(0, 2), rng.randint(0, 1)) for i in range(120) for j in range(24)
                    if j % 4 == i % 4 and rng.random() < share)
    return PairingProblem(tuple(apprentices), mentors, options, 2, tuple(rng.randint(0, 30) for _ in range(24)))


@pytest.mark.parametrize("seed", range(6))
def test_parts_solved_in_threads_are_the_parts_solved_in_turn(seed, monkeypatch):
    """best_in_times solves independent parts in threads where there are cores: the same choices,
    in the same order, as one part after another."""
    import concurrent.futures

    import safetrain.pairing.solver as solver

    problem = many_parts(seed, months=6)
    assert len(components(problem)) >= 8
    pools = []
    real = concurrent.futures.ThreadPoolExecutor

    class Counted(real):
        def __init__(self, *a, **kw):
            pools.append(a)
            super().__init__(*a, **kw)

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", Counted)
    monkeypatch.setattr(solver, "THREADS_FROM", 0)
    alone = best_in_times(problem, workers=1)
    assert pools == []
    assert best_in_times(problem, workers=2) == alone
    assert pools == [(2,)]
    assert len(alone) >= 40


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("months", [1, 12])
def test_components_share_no_apprentice_and_no_mentor_of_one_time(seed, months):
    """Parts against a plain union of apprentices with (time, mentor) nodes, with one time (mentors are
    nodes as they are) and with many times of few options (the nodes in use numbered)."""
    from safetrain.pairing.solver import times

    problem = many_parts(seed, months) if months == 1 else many_parts(seed, months, days=0, share=0.15)
    time_of = {i: k for k, group in enumerate(times(problem)) for i in group}
    parent: dict = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for o in problem.options:
        parent[root(("a", o.apprentice))] = root(("m", time_of[o.apprentice], o.mentor))
    want = {}
    for o in problem.options:
        want.setdefault(root(("a", o.apprentice)), []).append((o.apprentice, o.mentor))
    got = [[(o.apprentice, o.mentor) for o in part] for part in components(problem)]
    assert sorted(got) == sorted(want.values())
    assert got == sorted(got, key=lambda part: min(a for a, _ in part))
    if months == 1:
        assert len(times(problem)) == 1
    else:  # the nodes in use numbered: more (time, mentor) pairs than four per option
        assert len(times(problem)) * len(problem.mentors) > 4 * len(problem.options)
