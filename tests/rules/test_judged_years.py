"""Which years Y001/Y002 judge: one function (rules.annual.not_judged), and the
rules, the ledger, the person file and the matrix all agree with it."""

from datetime import date

import pytest
from helpers import person, session

from safetrain.api import check_path
from safetrain.reports.contexts import person_context
from safetrain.reports.facts import Facts
from safetrain.reports.ledger_data import hours_sheet
from safetrain.reports.matrix import matrix_document
from safetrain.rules.annual import BEFORE_WINDOW, NOT_OVER, PART_YEAR, judged_years, not_judged
from safetrain.rules.context import Context


def trained(pid: str, day: str, hours: str) -> str:
    return session(f'{{ person = "{pid}", score = 90 }}', type='"refresher"', level=None, hours=hours,
                   start=f"{day}T08:30:00", end=f"{day}T17:30:00")


# People around the year boundaries: (hired, left)
SPANS = {
    "E01": ("2020-05-01", None),            # employed all along
    "E02": ("2023-01-01", None),            # from the first day of 2023
    "E03": ("2023-01-02", None),            # one day late for 2023
    "E04": ("2021-01-01", "2023-12-31"),    # to the last day of 2023
    "E05": ("2021-01-01", "2023-12-30"),    # one day short of 2023
    "E06": ("2024-01-01", None),            # from the first day of 2024
    "E07": ("2024-03-01", None),            # part of 2024
    "E08": ("2021-01-01", "2024-05-31"),    # left during 2024
    "E09": ("2024-12-31", None),            # the last day of 2024
    "E10": ("2023-06-01", "2025-02-01"),
}
# Some hours for some people (8 are required in manufacturing), in 2023, 2024 and 2025
HOURS = {"E01": ("2023-03-01", "8"), "E02": ("2024-03-01", "8"), "E03": ("2023-05-01", "4"),
         "E06": ("2024-04-01", "6"), "E07": ("2024-04-01", "8"), "E10": ("2025-01-10", "8")}


EXPECTED = {
    date(2024, 6, 30): {("E02", 2023), ("E04", 2023), ("E08", 2023)},
    date(2025, 1, 1): {("E02", 2023), ("E04", 2023), ("E08", 2023), ("E01", 2024), ("E03", 2024), ("E06", 2024), ("E10", 2024)},
}


@pytest.fixture
def spans(make_archive):
    files = {f"people/{pid}.toml": person(hired=h, **({"left": left} if left else {}))
             for pid, (h, left) in SPANS.items()}
    files.update({f"sessions/S{pid}.toml": trained(pid, day, h) for pid, (day, h) in HOURS.items()})
    return make_archive(files, records_since="2023-01-01")


def test_not_judged_reasons(spans):
    result = check_path(spans, date(2024, 6, 30))
    ctx, people = Context(result.archive, result.ruleset, result.as_of), result.archive.people
    assert not_judged(ctx, people["E01"], 2022) == BEFORE_WINDOW  # the window starts 2023-01-01
    assert not_judged(ctx, people["E01"], 2023) is None
    assert not_judged(ctx, people["E02"], 2023) is None
    assert not_judged(ctx, people["E03"], 2023) == PART_YEAR
    assert not_judged(ctx, people["E04"], 2023) is None
    assert not_judged(ctx, people["E05"], 2023) == PART_YEAR
    assert not_judged(ctx, people["E01"], 2024) == NOT_OVER     # as_of's year, could still be judged
    assert not_judged(ctx, people["E06"], 2024) == NOT_OVER
    assert not_judged(ctx, people["E07"], 2024) == PART_YEAR    # hired in March: 2024 will never be judged
    assert not_judged(ctx, people["E08"], 2024) == PART_YEAR    # left before as_of
    assert [judged_years(ctx, people[pid]) for pid in ("E01", "E03", "E04", "E06")] == [[2023], [], [2023], []]


@pytest.mark.parametrize("as_of", [date(2023, 12, 31), date(2024, 1, 1), date(2024, 6, 30), date(2024, 12, 31),
                                   date(2025, 1, 1), date(2025, 3, 1)])
def test_rules_ledger_person_file_and_matrix_agree(spans, as_of):
    """未达标 in the ledger and the person file, `missing` last year in the matrix:
    exactly the years Y001 reports. This year in the matrix: exactly while it can still be judged."""
    result = check_path(spans, as_of)
    reported = {(f.subject, int(f.period)) for f in result.findings if f.code == "Y001"}
    facts = Facts(result)
    ledger = {(pid, year) for pid, _, _, _, year, _, _, status in hours_sheet(facts).rows if status == "未达标"}
    assert ledger == reported
    for pid in SPANS:
        years = person_context(facts, pid)["years"]
        assert {(pid, int(y["year"])) for y in years if y["status"] == "未达标"} == {r for r in reported if r[0] == pid}
    matrix = {row["person"]: row["cells"] for row in matrix_document(result)["people"]}
    ctx = Context(result.archive, result.ruleset, as_of)
    for pid, cells in matrix.items():
        assert (cells["hours_last_year"]["state"] == "missing") == ((pid, as_of.year - 1) in reported), pid
        can_still = not_judged(ctx, result.archive.people[pid], as_of.year) == NOT_OVER
        assert (cells["hours_this_year"]["state"] != "n.a.") == can_still, pid
    if as_of in EXPECTED:  # so that the agreement above is not between empty sets
        assert reported == EXPECTED[as_of]


def test_a_year_that_will_never_be_judged_says_why_already(make_archive, tmp_path):
    """Changed: the ledger and the person file said 进行中 for as_of's year even
    when Y001 will never judge it (hired after 1 January, or the archive starts
    after it); the matrix already left it n.a. Now both follow not_judged."""
    root = make_archive({
        "people/E1.toml": person(hired="2024-03-01"),
        "people/E2.toml": person(hired="2020-01-01"),
        "sessions/S1.toml": trained("E1", "2024-04-01", "4"),
    }, records_since="2023-01-01")
    result = check_path(root, date(2024, 6, 30))
    facts = Facts(result)
    rows = {(r[0], r[4]): r[7] for r in hours_sheet(facts).rows}
    # E2: 2024 is still 进行中, it will be judged once over
    assert rows == {("E1", 2024): "在职不满一年", ("E2", 2023): "未达标", ("E2", 2024): "进行中"}
    assert person_context(facts, "E1")["years"] == [{"year": "2024", "hours": "4", "required": "8",
                                                     "status": "在职不满一年"}]
    cells = {row["person"]: row["cells"] for row in matrix_document(result)["people"]}
    assert cells["E1"]["hours_this_year"]["state"] == "n.a."
    assert cells["E2"]["hours_this_year"] == {"state": "expiring", "value": "0/8"}

    root = make_archive({"people/E1.toml": person(hired="2020-01-01")}, root=tmp_path / "late",
                        records_since="2024-02-01")
    result = check_path(root, date(2024, 6, 30))
    assert [r[7] for r in hours_sheet(Facts(result)).rows] == ["建档不满一年"]
    assert matrix_document(result)["people"][0]["cells"]["hours_this_year"]["state"] == "n.a."
