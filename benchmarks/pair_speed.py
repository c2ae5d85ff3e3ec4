"""How fast `safetrain pair` is on a large mine, and how much better than greedy.

    PYTHONPATH=. python benchmarks/pair_speed.py [--runs 5] [--seed 1]

A coal mine with 1,000 possible mentors and 2,000 new workers without a
mentorship, 20 posts, 10 departments of 4 teams each; posts are worked in 2–3
departments, people sit in teams inside their department; mentors have varied
experience, skill levels, a few violations and transfers, and 0–2
mentorships already running (some with no end), so loads vary. The archive is
built in memory (loading 3,000 TOML files is `check`'s cost, not pairing's).

Prints the median time of `plan_pairs` (M001 for the default apprentices,
building the problem, solving, explaining) over the runs, the share of it
spent in the solver, and the pairs and total cost against a greedy baseline
that gives each apprentice, in id order, the cheapest place still free.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from datetime import date, timedelta
from types import MappingProxyType

from safetrain.api import DEFAULT_RULESET
from safetrain.archive.reading.models import Archive, Change, Config, Enterprise, Mentorship, Person, Violation
from safetrain.archive.reading.rulesets import ruleset_tables
from safetrain.dates import add_months
from safetrain.pairing import plan_pairs
from safetrain.pairing import solver as solver_module
from safetrain.pairing.problem import PairingProblem
from safetrain.rules import build_ruleset

AS_OF = date(2024, 6, 30)
POSTS = [f"岗位{i:02d}" for i in range(1, 21)]
DEPARTMENTS = [f"{i:02d}队" for i in range(1, 11)]
TEAMS = ["一班", "二班", "三班", "四班"]


def day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def mine(seed: int, mentors: int = 1000, apprentices: int = 2000) -> Archive:
    rng = random.Random(seed)
    where = {p: rng.sample(DEPARTMENTS, rng.randint(2, 3)) for p in POSTS}
    people, existing = [], []
    for i in range(mentors):
        post = rng.choice(POSTS)
        hired = day(rng, date(1995, 1, 1), date(2021, 1, 1))
        changes = ()
        if rng.random() < 0.1:  # transferred onto this post from another
            changes = (Change(date=day(rng, hired, date(2022, 1, 1)), kind="transfer", post=post),)
            post_first = rng.choice(POSTS)
        else:
            post_first = post
        people.append(Person(
            id=f"M{i:04d}", file=f"people/M{i:04d}.toml", name=f"师傅{i}", employment="formal",
            department=rng.choice(where[post]), post=post_first, hired=hired,
            team=rng.choice(TEAMS), post_since=day(rng, hired, date(2022, 6, 1)),
            skill_level=rng.choices(["junior", "intermediate", "senior", "technician"], [1, 4, 4, 1])[0],
            violations=(Violation(date=day(rng, date(2019, 1, 1), date(2024, 6, 1))),) if rng.random() < 0.08 else (),
            changes=changes))
        for k in range(rng.choices([0, 1, 2], [5, 3, 2])[0]):
            start = day(rng, date(2023, 9, 1), date(2024, 6, 1))
            end = add_months(start, 4) if rng.random() < 0.8 else None
            existing.append(Mentorship(id=f"X{i:04d}{k}", file=f"mentorships/X{i:04d}{k}.toml", mentor=f"M{i:04d}",
                                       post=post, start=start, end=end))
    for j in range(apprentices):
        post = rng.choice(POSTS)
        hired = day(rng, date(2024, 1, 1), AS_OF)
        people.append(Person(id=f"A{j:04d}", file=f"people/A{j:04d}.toml", name=f"徒弟{j}", employment="contract",
                             department=rng.choice(where[post]), post=post, hired=hired, team=rng.choice(TEAMS)))
    enterprise = Enterprise(name="宁夏某煤业", credit_code="91350100M000100Y43", industry="coal_mine", crowded_place=False,
                            uses_gas=False, region="宁夏", records_since=date(2024, 1, 1))
    return Archive("bench", Config(ruleset=DEFAULT_RULESET, enterprise=enterprise),
                   MappingProxyType({p.id: p for p in people}), MappingProxyType({}), MappingProxyType({}),
                   MappingProxyType({m.id: m for m in existing}), MappingProxyType({}), None)


def greedy(problem: PairingProblem) -> tuple[int, int]:
    """(pairs, total cost): each apprentice in id order takes the cheapest place still free."""
    taken: set[tuple[int, int]] = set()
    by_apprentice: dict[int, list] = {}
    for o in problem.options:
        by_apprentice.setdefault(o.apprentice, []).append(o)
    pairs = cost = 0
    for a in sorted(by_apprentice):
        free = [(problem.cost(o, k), o.mentor, k) for o in by_apprentice[a]
                for k in range(o.load + 1, problem.capacity + 1) if (o.mentor, k) not in taken]
        if free:
            c, m, k = min(free)
            taken.add((m, k))
            pairs, cost = pairs + 1, cost + c
    return pairs, cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--apprentices", type=int, default=2000)
    parser.add_argument("--goal", type=float, default=2.0, help="seconds (2 for the default mine, 3 for 5k x 10k)")
    args = parser.parse_args()
    data, chain, origin = ruleset_tables(DEFAULT_RULESET, None)
    rs = build_ruleset(data, chain, origin)
    archive = mine(args.seed, args.mentors, args.apprentices)
    gc.freeze()  # as `pair` finds the archive it loaded: set aside by the loader (loader.quiet_gc)
    plan_pairs(archive, rs, AS_OF)  # warm up: imports of scipy and numpy are not the pairing's cost

    solve, spent = solver_module.solve, []

    def timed_solve(problem):
        t = time.perf_counter()
        try:
            return solve(problem)
        finally:
            spent.append(time.perf_counter() - t)

    solver_module.solve = timed_solve
    times, cpu = [], []
    for _ in range(args.runs):
        t, c = time.perf_counter(), time.process_time()
        plan = plan_pairs(archive, rs, AS_OF)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    solver_module.solve = solve

    p = plan.problem
    opt_pairs, opt_cost = len(plan.pairs), sum(x.cost for x in plan.pairs)
    g_pairs, g_cost = greedy(p)
    print(f"apprentices {len(p.apprentices)}, mentors offered {len(p.mentors)}, options {len(p.options)}, "
          f"capacity {p.capacity}, parts {len(solver_module.components(p))}")
    print(f"median time {statistics.median(times):.3f} s over {args.runs} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}); solver {statistics.median(spent):.3f} s; "
          f"cpu {statistics.median(cpu):.3f} s")
    print(f"optimal: {opt_pairs} pairs, total cost {opt_cost} ({opt_cost / max(opt_pairs, 1):.1f} per pair)")
    print(f"greedy:  {g_pairs} pairs, total cost {g_cost} ({g_cost / max(g_pairs, 1):.1f} per pair)")
    print(f"goal: under {args.goal:g} s -- {'meets' if statistics.median(times) <= args.goal else 'MISSES'} it; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("unpaired by reason: " + ", ".join(
        f"{code} {sum(u.code == code for u in plan.unpaired)}" for code in sorted({u.code for u in plan.unpaired})))


if __name__ == "__main__":
    main()
