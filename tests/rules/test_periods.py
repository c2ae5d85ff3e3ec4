"""Calendar periods and month arithmetic shared by the per-period rules."""

from datetime import date

from safetrain.rules.periods import add_months, complete_periods


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(date(2023, 9, 1), 6) == date(2024, 3, 1)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 15), 1) == date(2024, 1, 15)
    assert add_months(date(2024, 1, 31), -2) == date(2023, 11, 30)


def test_only_whole_periods_that_ended_before_the_day_are_listed():
    labels = lambda kind, since, before: [p.label for p in complete_periods(kind, since, before)]
    # a window starting mid-quarter skips that quarter; a period ending on `before` has not ended before it
    assert labels("quarter", date(2023, 8, 15), date(2024, 6, 30)) == ["2023-Q4", "2024-Q1"]
    assert labels("quarter", date(2023, 7, 1), date(2024, 7, 1)) == ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
    assert labels("month", date(2023, 11, 2), date(2024, 2, 1)) == ["2023-12", "2024-01"]
    assert labels("half", date(2023, 1, 1), date(2024, 1, 1)) == ["2023-H1", "2023-H2"]
    assert labels("year", date(2022, 1, 1), date(2023, 12, 31)) == ["2022"]
    assert complete_periods("month", date(2024, 6, 30), date(2024, 6, 30)) == []
