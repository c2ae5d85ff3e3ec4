"""The exact solver: the most pairs, then the least cost, then ties by ids.

Each mentor offers places 1 … `capacity` (one column per place); place k is
open to an apprentice when fewer than k of the mentor's existing mentorships
run at once during the apprentice's span (`Option.load < k`). Taking place k
costs `PairingProblem.cost(option, k)`, whose load term is k − 1. Whatever places
are taken, no day of any new span has more than `capacity` mentorships of one
mentor: on a day t, every new pair running then sits in a place above
existing(t), and the places are distinct, so existing(t) + new(t) <= capacity.

The problem splits into independent parts (connected components of
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
"""

from __future__ import annotations

from dataclasses import dataclass

from .problem import Option, PairingProblem

EXACT = 2**52


@dataclass(frozen=True, slots=True)
class Choice:
    option: Option
    slot: int  # the mentor's place taken, 1 … capacity


def components(problem: PairingProblem) -> list[list[Option]]:
    """Options grouped into parts that share no apprentice and no mentor,
    in the order of their first apprentice."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    if not problem.options:
        return []
    n = len(problem.apprentices)
    a = np.fromiter((o.apprentice for o in problem.options), dtype=np.int64, count=len(problem.options))
    m = np.fromiter((n + o.mentor for o in problem.options), dtype=np.int64, count=len(problem.options))
    size = n + len(problem.mentors)
    graph = csr_matrix((np.ones(len(a)), (a, m)), shape=(size, size))
    labels = connected_components(graph, directed=False)[1][:n].tolist()
    parts: dict[int, list[Option]] = {}
    for o in problem.options:
        parts.setdefault(labels[o.apprentice], []).append(o)
    return sorted(parts.values(), key=lambda part: part[0].apprentice)


def solve(problem: PairingProblem) -> list[Choice]:
    """The optimal choices, in apprentice order."""
    out: list[Choice] = []
    for part in components(problem):
        out += _solve_part(problem, part)
    return sorted(out, key=lambda c: c.option.apprentice)


@dataclass
class _Cells:
    """The places of one part as sparse matrix cells: one per (option, open place)."""

    rows: list[int]  # apprentice index per row
    cols: list[tuple[int, int]]  # (mentor index, place) per column
    r: list[int]
    c: list[int]
    cost: list[int]
    i: list[int]  # the apprentice's position in id order, for ties
    j: list[int]  # the mentor's position in id order, for ties
    option: list[Option]
    mentors: int


def _cells(problem: PairingProblem, options: list[Option]) -> _Cells:
    cap = problem.capacity
    rows = sorted({o.apprentice for o in options})
    row = {a: i for i, a in enumerate(rows)}
    mentors = sorted({o.mentor for o in options})
    pos = {m: j for j, m in enumerate(mentors)}
    lowest = {m: cap for m in mentors}
    for o in options:
        lowest[o.mentor] = min(lowest[o.mentor], o.load)
    cols = [(m, k) for m in mentors for k in range(lowest[m] + 1, cap + 1)]
    col = {c: j for j, c in enumerate(cols)}
    cells = _Cells(rows, cols, [], [], [], [], [], [], len(mentors))
    for o in options:
        for k in range(o.load + 1, cap + 1):
            cells.r.append(row[o.apprentice])
            cells.c.append(col[(o.mentor, k)])
            cells.cost.append(problem.cost(o, k))
            cells.i.append(row[o.apprentice])  # apprentices and mentors are in id order
            cells.j.append(pos[o.mentor])
            cells.option.append(o)
    return cells


def weights(pairs: int, n: int, mentors: int, most: int) -> tuple[int, int, int]:
    """(W, B, 1 or 0 for the mentor term): the weights above, the strongest that stay exact."""
    for keep_i, keep_j in ((1, 1), (0, 1), (0, 0)):
        b = (pairs * (mentors - 1) + 1) * keep_i
        tie = (n - 1) * b + (mentors - 1) * keep_j
        w = pairs * tie + 1
        if pairs * (most * w + tie) < EXACT:
            return w, b, keep_j
    raise OverflowError("pairing problem too large for exact float64 costs")  # pragma: no cover


def _solve_part(problem: PairingProblem, options: list[Option]) -> list[Choice]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    cells = _cells(problem, options)
    n, s = len(cells.rows), len(cells.cols)
    r, c = np.asarray(cells.r), np.asarray(cells.c)
    # Stage 1: the most pairs.
    graph = csr_matrix((np.ones(len(r)), (r, c)), shape=(n, s))
    pairs = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
    if pairs == 0:
        return []
    # Stage 2: the least cost among pairings of that size, then ids.
    cost, i, j = (np.asarray(x, dtype=np.int64) for x in (cells.cost, cells.i, cells.j))
    w, b, keep = weights(pairs, n, cells.mentors, int(cost.max()))
    matrix = np.full((n, s + n - pairs), np.inf)
    matrix[:, s:] = 0.0
    matrix[r, c] = (cost * w + i * b + j * keep).astype(np.float64)
    ri, ci = linear_sum_assignment(matrix)
    at = {(i, j): k for k, (i, j) in enumerate(zip(cells.r, cells.c))}
    chosen = [Choice(cells.option[at[(i, j)]], cells.cols[j][1])
              for i, j in zip(ri.tolist(), ci.tolist()) if j < s]
    if len(chosen) != pairs:  # pragma: no cover - the argument above rules it out
        raise RuntimeError("stage 2 paired a different number than stage 1")
    return chosen
