"""Calendar arithmetic the rules share: months and years as the law counts them.

"实习满四个月" and "三年内没有违章" count calendar months and years, not days:
2023-07-20 plus four months is 2023-11-20. A day that does not exist in the
target month falls back to the month's last day (2024-01-31 + 1 month is
2024-02-29), as people count it.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months (negative moves back)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= 28:
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes 28 February in a common year)."""
    return add_months(day, 12 * years)


def years_as_months(years: float) -> int:
    """A figure in years as whole months (3 -> 36, 2.5 -> 30)."""
    return round(years * 12)


def whole_months(since: date, until: date) -> int:
    """Whole calendar months from `since` to `until` (0 when `until` is not later)."""
    if until <= since:
        return 0
    months = (until.year - since.year) * 12 + until.month - since.month
    if add_months(since, months) > until:
        months -= 1
    return months


#: The dates an archive may hold: a day outside them is a typing slip (0001-01-01,
#: 20230-01-01), reported as A002 naming the key, and --as-of outside them is refused.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
#: `expires = 9999-12-31`: how people write 永久有效/长期有效 (a certificate without an
#: expiry date). The one date outside EARLIEST..LATEST the format accepts, and only in
#: `expires`; it never expires and is printed as NO_EXPIRY_TEXT.
NO_EXPIRY = date(9999, 12, 31)
NO_EXPIRY_TEXT = ("长期有效", "no expiry")


def in_range(day: date) -> bool:
    """Whether `day` (a date or a date-time) lies within EARLIEST..LATEST."""
    return EARLIEST.year <= day.year <= LATEST.year
