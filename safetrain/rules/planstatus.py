"""Where a year's training plan stands against the sessions held: the one
definition shared by `status` (and its JSON), the ledger, the HTML report and
the export, so every view says the same.

ARCHIVE-FORMAT (plans/): an item is carried out when a session of its type
started in its month or later in the same year. As everywhere, nothing dated
after as_of counts: a session counts when it started on or before as_of. As
the format words it, one session may carry out several items of its type (two
pre-job items of March and September are both carried out by a pre-job
session in October): the plan is compared with what was held, not matched
one to one.

An item is
- `done` when such a session exists (the first one, by start, carried it out);
- `planned` when its month has not begun by as_of;
- `missed` when the year is over and no such session started in it;
- `open` otherwise: its month has begun and the year is not over yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..archive.reading.models import Archive, Plan, PlanItem, Session

DONE, OPEN, MISSED, PLANNED = "done", "open", "missed", "planned"
STATES = (DONE, OPEN, MISSED, PLANNED)
#: state -> (zh, en), as reports print it
STATE_LABELS = {DONE: ("已实施", "carried out"), OPEN: ("待实施", "not yet held"),
                MISSED: ("未实施", "not held"), PLANNED: ("未到计划月份", "month not yet begun")}


@dataclass(frozen=True, slots=True)
class ItemState:
    item: PlanItem
    state: str
    session: Session | None  # the first session (by start, then id) that carried it out


@dataclass(frozen=True)
class PlanState:
    plan: Plan
    as_of: date
    items: tuple[ItemState, ...]

    @property
    def year(self) -> int:
        return self.plan.year

    def count(self, *states: str) -> int:
        return sum(i.state in states for i in self.items)

    @property
    def done(self) -> int:
        return self.count(DONE)

    @property
    def due(self) -> int:
        """Items whose month has begun by as_of: the ones that could have been held."""
        return self.count(DONE, OPEN, MISSED)


def _held_by_type(archive: Archive, year: int, as_of: date) -> dict[str, list[Session]]:
    out: dict[str, list[Session]] = {}
    for s in archive.sessions.values():
        day = s.start.date()
        if day.year == year and day <= as_of:
            out.setdefault(s.type, []).append(s)
    for sessions in out.values():
        sessions.sort(key=lambda s: (s.start, s.id))
    return out


def plan_state(archive: Archive, plan: Plan, as_of: date) -> PlanState:
    """Each item of `plan` against the sessions of the archive, as of as_of."""
    held = _held_by_type(archive, plan.year, as_of)
    year_over = as_of > date(plan.year, 12, 31)
    items = []
    for item in plan.items:
        first = date(plan.year, item.month, 1)
        session = next((s for s in held.get(item.type, ()) if s.start.date() >= first), None)
        if session is not None:
            state = DONE
        elif first > as_of:
            state = PLANNED
        else:
            state = MISSED if year_over else OPEN
        items.append(ItemState(item, state, session))
    return PlanState(plan, as_of, tuple(items))


def plan_states(archive: Archive, as_of: date) -> list[PlanState]:
    """Every plan of the archive approved on or before as_of, by year."""
    return [plan_state(archive, archive.plans[key], as_of) for key in sorted(archive.plans)
            if archive.plans[key].approved <= as_of]


def approved_plan(archive: Archive, year: int, as_of: date) -> Plan | None:
    """plans/<year>.toml when it was approved on or before as_of (R005 judges this), else None."""
    plan = archive.plans.get(str(year))
    return plan if plan is not None and plan.approved <= as_of else None


def year_plan(archive: Archive, year: int, as_of: date) -> PlanState | None:
    """The state of the plan of `year` as of as_of; None when none was approved by then."""
    plan = approved_plan(archive, year, as_of)
    return plan_state(archive, plan, as_of) if plan is not None else None
