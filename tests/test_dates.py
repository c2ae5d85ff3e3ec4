"""Calendar months as the law counts them."""

from datetime import date

from safetrain.dates import add_months, whole_months, years_as_months


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2023, 7, 20), 4) == date(2023, 11, 20)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 3, 1), -36) == date(2021, 3, 1)
    assert add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert add_months(date(2023, 11, 30), 2) == date(2024, 1, 30)


def test_whole_months_and_years():
    assert whole_months(date(2020, 7, 21), date(2023, 7, 20)) == 35
    assert whole_months(date(2020, 7, 21), date(2023, 7, 21)) == 36
    assert whole_months(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert whole_months(date(2024, 5, 1), date(2024, 4, 1)) == 0
    assert years_as_months(3) == 36 and years_as_months(2.5) == 30
