"""The exact solver: the most pairs, then the least cost, then ties by ids.

Each mentor offers places 1 … `capacity` (one column per place); place k is
open to an apprentice when fewer than k of the mentor's existing mentorships
run at once during the apprentice's span (`Option.load < k`). Taking place k
costs `PairingProblem.cost(option, k)`, whose load term is k − 1. Whatever places
are taken, no day of any new span has more than `capacity` mentorships of one
mentor: on a day t, every new pair running then sits in a place above
existing(t), and the places are distinct, so existing(t) + new(t) <= capacity.

New pairs whose planned spans never meet cannot crowd a mentor together, so
the apprentices are first split into times: groups whose spans are linked by
overlaps (inclusive, as M003 counts: a span starting on the day another ends
meets it). A group's places are taken anew, after the groups before it have
ended (three apprentices hired months apart may all learn from one mentor
with two places); within a group every new pair keeps its own place, as above.

Each time's problem splits into independent parts (connected components of
apprentices and mentors linked by options; in practice one per post), each
solved in two stages:

1. Hopcroft–Karp (`scipy.sparse.csgraph.maximum_bipartite_matching`) finds P,
   the most pairs possible.
2. `scipy.optimize.linear_sum_assignment` on the apprentices × (places + n − P
   dummy columns of cost 0), with closed places forbidden (inf). A full
   assignment uses at most n − P dummies, so at least P places, and never
   more than P: every optimum pairs exactly P apprentices, and among such
   pairings it minimises the sum over pairs of

       W · cost + B · i + j

   where i and j are the positions of the apprentice and the mentor in id
   order within the part (0 …), M the part's mentors, n its apprentices, and

       B = P · (M − 1) + 1,    W = P · ((n − 1) · B + M − 1) + 1.

   Two pairings of P pairs with different sums of i differ by at least 1 in
   it, and their sums of j by at most P · (M − 1) < B; likewise two pairings
   with different total costs differ by at least W while their tie terms
   differ by at most P · ((n − 1) · B + M − 1) < W. So the order is strict:
   the most pairs, then the least total cost, then the apprentices with the
   smallest ids (least sum of positions), then the mentors with the smallest
   ids. Every entry and every sum is an integer below 2**52, so the float64
   arithmetic of the solver is exact; for a part too large for that, the
   apprentice term is dropped (B = 0, W = P · (M − 1) + 1), then the mentor
   term too, and the remaining ties fall to the order below.

Rows are apprentices in id order and columns places in (mentor id, place)
order, and the solver is deterministic, so the same archive always gives the
same pairs, whatever the order of its files.

Keeping a time's places until it has ended is what makes the optimum exact, and
it is stricter than M003, which counts day by day: in a time that never breaks,
a place freed early is not given again. So the apprentices left over then take,
in id order, a place that is free on every day of their span
(`freed_places`): never fewer pairs than the optimum above, M003 safe day by day,
and a second run, which counts the first run's pairs as recorded mentorships,
finds no one more to pair (tested on the random instances of the brute force).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..cores import cpu_count
from .problem import Option, Options, PairingProblem, most_at_once

EXACT = 2**52
THREADS_FROM = 20_000  # options: below this a part is solved in milliseconds, and one thread does


@dataclass(frozen=True, slots=True)
class Choice:
    option: Option
    slot: int  # the mentor's place taken, 1 … capacity


def times(problem: PairingProblem) -> list[list[int]]:
    """The apprentices (indexes) with an option, in groups whose planned spans are linked by
    overlaps, in time order: spans of different groups never share a day."""
    import numpy as np

    having = np.unique(Options.of(problem.options).apprentice).tolist()
    order = sorted(having, key=lambda i: (problem.apprentices[i].start, i))
    groups: list[list[int]] = []
    last = None
    for i in order:
        a = problem.apprentices[i]
        if last is None or a.start > last:
            groups.append([])
            last = a.end
        groups[-1].append(i)
        last = max(last, a.end)
    return groups


def components(problem: PairingProblem) -> list[Options]:
    """Options grouped into parts that share no apprentice and no mentor's places of one time
    (`times`: a mentor of two times is two nodes, whose places are taken anew), in the order of
    their first apprentice (each part in the problem's order)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    opts = Options.of(problem.options)
    if not len(opts):
        return []
    n = len(problem.apprentices)
    time_of = np.zeros(n, dtype=np.int64)
    groups = times(problem)
    for k, group in enumerate(groups):
        time_of[group] = k
    mentor_node = time_of[opts.apprentice] * max(len(problem.mentors), 1) + opts.mentor
    if len(groups) * len(problem.mentors) > 4 * len(opts):  # many times: number only the nodes in use
        mentor_node = np.unique(mentor_node, return_inverse=True)[1].reshape(-1)
    size = n + int(mentor_node.max()) + 1
    graph = csr_matrix((np.ones(len(opts)), (opts.apprentice, n + mentor_node)), shape=(size, size))
    labels = connected_components(graph, directed=False)[1][opts.apprentice]
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    parts = [Options(opts.apprentice[k], opts.mentor[k], opts.relation[k], opts.load[k])
             for k in np.split(order, cuts)]
    return sorted(parts, key=lambda part: int(part.apprentice.min()))


def solve(problem: PairingProblem) -> list[Choice]:
    """The choices, in apprentice order: the optimum of `best_in_times`, then `freed_places`."""
    out = best_in_times(problem)
    return sorted(out + freed_places(problem, out), key=lambda c: c.option.apprentice)


def best_in_times(problem: PairingProblem, workers: int | None = None) -> list[Choice]:
    """The optimal choices with each time's places kept until the time has ended (above).

    The parts are independent, and scipy's solvers let go of the interpreter while they work, so
    on a machine with more than one core the parts are solved in that many threads, the largest
    first; the choices come back in the parts' order, the same whichever thread solved a part."""
    parts = components(problem)
    workers = min(workers or cpu_count(), len(parts))
    if workers < 2 or sum(len(part) for part in parts) < THREADS_FROM:
        return [c for part in parts for c in _solve_part(problem, part)]
    from concurrent.futures import ThreadPoolExecutor

    largest_first = sorted(range(len(parts)), key=lambda k: -len(parts[k]))
    with ThreadPoolExecutor(workers) as pool:
        solved = dict(zip(largest_first, pool.map(lambda k: _solve_part(problem, parts[k]), largest_first)))
    return [c for k in range(len(parts)) for c in solved[k]]


def freed_places(problem: PairingProblem, chosen: list[Choice]) -> list[Choice]:
    """Pairs for the apprentices left over where a mentor's place is in fact free on every day of
    their span. Within a time, places are kept until the whole time has ended (above), so a place
    freed early in a run that never breaks went unused, and a second `pair --write` (the first
    run's pairs then recorded, counted day by day) paired the one left over: the same archive
    gave more pairs on the second run. Each left-over apprentice, in id order, takes the cheapest
    option (the documented cost, its place one above the most of the mentor's mentorships, recorded
    and chosen, running on one day of the span; ties to the mentor of the smaller id) whose mentor
    has a place free on every day: M003 holds day by day, and the first run pairs what a second
    would. (The options are looked at cheapest first, by the cost with no new pair in the way,
    which no option can beat: a large mine's left-over thousands take a fraction of a second.)"""
    import numpy as np

    opts = Options.of(problem.options)
    if not len(opts):
        return []
    paired = {c.option.apprentice for c in chosen}
    left = [i for i in np.unique(opts.apprentice).tolist() if i not in paired]
    if not left:
        return []
    cap, unit = problem.capacity, problem.exp_span
    gap = np.asarray(problem.gap, dtype=np.int64)
    spans: dict[int, list] = {}  # mentor index -> the new spans chosen for them
    width = 4
    firsts = np.full((len(problem.mentors), width), np.iinfo(np.int64).max, dtype=np.int64)  # new spans, ordinals
    lasts = np.full((len(problem.mentors), width), np.iinfo(np.int64).min, dtype=np.int64)

    def add(mentor: int, start: date, end: date) -> None:
        nonlocal firsts, lasts, width
        held = spans.setdefault(mentor, [])
        if len(held) == width:
            firsts = np.concatenate([firsts, np.full_like(firsts, np.iinfo(np.int64).max)], axis=1)
            lasts = np.concatenate([lasts, np.full_like(lasts, np.iinfo(np.int64).min)], axis=1)
            width *= 2
        firsts[mentor, len(held)], lasts[mentor, len(held)] = start.toordinal(), end.toordinal()
        held.append((start, end))

    for c in chosen:
        a = problem.apprentices[c.option.apprentice]
        add(c.option.mentor, a.start, a.end)
    order = np.argsort(opts.apprentice, kind="stable")
    by_apprentice = opts.apprentice[order]
    lows = np.searchsorted(by_apprentice, left, side="left").tolist()
    highs = np.searchsorted(by_apprentice, left, side="right").tolist()
    out: list[Choice] = []
    full: set = set()  # (mentor, first, last day) found full on a day of that span: new pairs only add to it
    for i, lo, hi in zip(left, lows, highs):
        a = problem.apprentices[i]
        k = order[lo:hi]
        mentor, load = opts.mentor[k], opts.load[k]
        open_ = load < cap
        k, mentor, load = k[open_], mentor[open_], load[open_]
        if not len(k):
            continue
        lowest = (opts.relation[k] * cap + load) * unit + gap[mentor]  # the cost with no new pair in the way
        meeting = ((firsts[mentor] <= a.end.toordinal()) & (lasts[mentor] >= a.start.toordinal())).any(axis=1)
        best = None  # ((cost, mentor), option index, place)
        free = np.flatnonzero(~meeting)
        if len(free):
            at = free[np.lexsort((mentor[free], lowest[free]))[0]]
            best = ((int(lowest[at]), int(mentor[at])), int(k[at]), int(load[at]) + 1)
        for at in np.flatnonzero(meeting)[np.lexsort((mentor[meeting], lowest[meeting]))].tolist():
            m = int(mentor[at])
            if best is not None and (int(lowest[at]), m) >= best[0]:
                break  # cheapest first: no option after this one can do better
            if (m, a.start, a.end) in full:
                continue
            who = problem.mentors[m]
            running = most_at_once(problem.existing.get(who.id, ()) + tuple(spans[m]), a.start, a.end)
            if running >= cap:
                full.add((m, a.start, a.end))  # a cohort hired the same day asks the same again
            else:
                option = opts[int(k[at])]
                key = (problem.cost(option, running + 1), m)
                if best is None or key < best[0]:
                    best = (key, int(k[at]), running + 1)
        if best is not None:
            option = opts[best[1]]
            out.append(Choice(option, best[2]))
            add(option.mentor, a.start, a.end)
    return out


def weights(pairs: int, n: int, mentors: int, most: int) -> tuple[int, int, int]:
    """(W, B, 1 or 0 for the mentor term): the weights above, the strongest that stay exact."""
    for keep_i, keep_j in ((1, 1), (0, 1), (0, 0)):
        b = (pairs * (mentors - 1) + 1) * keep_i
        tie = (n - 1) * b + (mentors - 1) * keep_j
        w = pairs * tie + 1
        if pairs * (most * w + tie) < EXACT:
            return w, b, keep_j
    raise OverflowError("pairing problem too large for exact float64 costs")  # pragma: no cover


def _solve_part(problem: PairingProblem, part: Options) -> list[Choice]:
    """One part: a cell per (option, open place), in arrays; rows are the part's
    apprentices and columns its mentors' open places, both in id order."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    cap = problem.capacity
    rows, row = np.unique(part.apprentice, return_inverse=True)
    mentors, pos = np.unique(part.mentor, return_inverse=True)
    lowest = np.full(len(mentors), cap, dtype=np.int64)
    np.minimum.at(lowest, pos, part.load)
    first_col = np.concatenate(([0], np.cumsum(cap - lowest)))  # mentor j's places lowest+1 … cap
    places = cap - part.load  # open places per option
    cell_option = np.repeat(np.arange(len(part)), places)
    starts = np.repeat(np.cumsum(places) - places, places)
    slot = part.load[cell_option] + 1 + (np.arange(len(cell_option)) - starts)
    r, j = row[cell_option], pos[cell_option]
    c = first_col[j] + slot - lowest[j] - 1
    n, s = len(rows), int(first_col[-1])
    # Stage 1: the most pairs.
    graph = csr_matrix((np.ones(len(r)), (r, c)), shape=(n, s))
    pairs = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
    if pairs == 0:
        return []
    # Stage 2: the least cost among pairings of that size, then ids.
    gap = np.asarray(problem.gap, dtype=np.int64)
    cost = (part.relation[cell_option] * cap + slot - 1) * problem.exp_span + gap[part.mentor[cell_option]]
    w, b, keep = weights(pairs, n, len(mentors), int(cost.max()))
    matrix = np.full((n, s + n - pairs), np.inf)
    matrix[:, s:] = 0.0
    matrix[r, c] = (cost * w + r * b + j * keep).astype(np.float64)
    ri, ci = linear_sum_assignment(matrix)
    cell_at = np.full((n, s), -1, dtype=np.int64)
    cell_at[r, c] = np.arange(len(r))
    chosen = [Choice(part[int(cell_option[k])], int(slot[k])) for k in cell_at[ri[ci < s], ci[ci < s]].tolist()]
    if len(chosen) != pairs:  # pragma: no cover - the argument above rules it out
        raise RuntimeError("stage 2 paired a different number than stage 1")
    return chosen
