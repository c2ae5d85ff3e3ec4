"""The calendar periods (years, half-years, quarters, months) that per-period rules
judge, with their labels (`2024`, `2024-H2`, `2024-Q3`, `2024-08`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dates import add_months

#: period kind -> months in one period
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: date
    end: date  # the last day, inclusive


def period_label(kind: str, day: date) -> str:
    """The label of the period of `kind` holding `day`: 2024, 2024-H2, 2024-Q3, 2024-08."""
    if kind == "year":
        return f"{day.year}"
    if kind == "half":
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def complete_periods(kind: str, since: date, before: date) -> list[Period]:
    """The calendar periods of `kind` that start on or after `since` and end
    before `before`, oldest first. A period `since` falls inside is left out:
    only whole periods are judged."""
    step = _MONTHS[kind]
    first_month = (since.month - 1) // step * step + 1  # the period holding `since`
    start = date(since.year, first_month, 1)
    if start < since:
        start = add_months(start, step)
    out = []
    while True:
        nxt = add_months(start, step)
        end = date.fromordinal(nxt.toordinal() - 1)
        if end >= before:
            return out
        out.append(Period(period_label(kind, start), start, end))
        start = nxt
