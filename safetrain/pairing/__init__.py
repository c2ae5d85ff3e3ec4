"""Mentor–apprentice pairing ("师带徒"): the most pairs the rules allow, at the least cost.

    from safetrain.pairing import plan_pairs
    plan = plan_pairs(archive, ruleset, as_of)
    for p in plan.pairs: print(p.apprentice.id, p.mentor.id, p.reasons("en"))

`problem` builds who may mentor whom (the M002 figures through
`mentor_problems`, the post on the start day, free places over the planned
span), `solver` finds the optimum exactly, `explain` says why. No click here.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from ..archive.reading.excluded import broken_record, not_found
from ..archive.reading.models import Archive
from ..dates import whole_months
from ..errors import Interrupted, SafetrainError
from ..rules.ruleset import RuleSet
from .explain import Pair, Unpaired, pairs_of, unpaired_of
from .problem import Builder, PairingProblem

__all__ = ["Pair", "Plan", "Unpaired", "default_apprentices", "plan_pairs", "write_plan"]


@dataclass(frozen=True)
class Plan:
    pairs: list[Pair]
    unpaired: list[Unpaired]
    as_of: date
    capacity: int
    problem: PairingProblem


def default_apprentices(archive: Archive, ruleset: RuleSet, as_of: date) -> list[str]:
    """The people M001 reports on as_of (waivers applied): new workers in
    `mentorship` industries without a mentorship file."""
    from ..rules import check

    return sorted({f.subject for f in check(archive, ruleset, as_of, select=("M001",)) if f.code == "M001"})


def plan_pairs(archive: Archive, ruleset: RuleSet, as_of: date, *, apprentices: Sequence[str] = (),
               start: date | None = None, findings: Sequence = ()) -> Plan:
    """Pairs for `apprentices` (default: `default_apprentices`), each starting
    on the apprentice's `on_post`, or on `start` when given.

    Raises SafetrainError for an id without a (valid) person file (naming its first problem
    from `findings`, the loader's).
    """
    ids = sorted(set(apprentices)) or default_apprentices(archive, ruleset, as_of)
    for pid in ids:
        if pid in archive.excluded.get("person", ()):
            raise broken_record("person", pid, findings)
        if pid not in archive.people:
            raise not_found("person", [pid], findings)
    problem = Builder(archive, ruleset).build([archive.people[pid] for pid in ids], start)
    from .solver import solve

    chosen = solve(problem)
    return Plan(pairs_of(problem, chosen), unpaired_of(problem, chosen), as_of, problem.capacity, problem)


def write_plan(archive: Archive, plan: Plan) -> list[str]:
    """Record each pair as mentorships/<apprentice>.toml, through the archive's
    one write path (lock, checks, atomic create); never overwrites.

    Returns the paths written (relative to the archive). Raises SafetrainError
    naming the first file that already exists; the pairs before it are written.
    """
    from ..archive.writing.edit import editing

    if archive.root is None:
        raise SafetrainError("档案不在磁盘上，无法写入", "the archive is not on disk; nothing can be written")
    written: list[str] = []
    with editing(archive.root) as ed, _said_if_interrupted(written, len(plan.pairs)):
        for p in plan.pairs:
            header = (f"师带徒记录：徒弟 {p.apprentice.id} {p.apprentice.name}，师傅 {p.mentor.id} {p.mentor.name}，岗位 {p.post}",
                      f"由 safetrain pair 配对：{'；'.join(p.reasons('zh'))}",
                      f"计划结束日期 end = 开始日期 + 最短带徒期限 {whole_months(p.start, p.end)} 个月；"
                      "徒弟实习合格、师傅签署证明后填写 signed_off")
            data = {"mentor": p.mentor.id, "post": p.post, "start": p.start, "end": p.end}
            written.append(ed.create("mentorship", p.apprentice.id, data, header=header))
    return written


@contextmanager
def _said_if_interrupted(written: list[str], total: int):
    """A Ctrl-C during the writes says how many of the pairs were recorded (each file whole)."""
    try:
        yield
    except KeyboardInterrupt:
        if not written:
            raise Interrupted("未写入任何文件", "nothing was written") from None
        raise Interrupted(f"中断前已写入 {len(written)} 对师带徒记录（共 {total} 对，每个文件都完整）；再次运行 "
                          "safetrain pair --write 会为其余的徒弟重新配对",
                          f"{len(written)} of {total} mentorships were written before it, each file whole; run "
                          "safetrain pair --write again to pair the rest") from None
