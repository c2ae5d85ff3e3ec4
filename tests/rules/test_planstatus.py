"""rules.planstatus: the one definition of a plan item carried out (ARCHIVE-FORMAT, plans/)."""

from datetime import date

from helpers import person, plan, session

from safetrain.api import check_files
from safetrain.rules.planstatus import approved_plan, plan_state, plan_states, year_plan


def refresher(day: str, sid_attendee: str = "E1") -> str:
    return session(f'{{ person = "{sid_attendee}", score = 90 }}', type='"refresher"', level=None,
                   start=f"{day}T08:30:00", end=f"{day}T12:00:00", hours="4")


def states(memory_archive, files: dict, as_of: date = date(2024, 6, 30), year: int = 2024):
    result = check_files(memory_archive({"people/E1.toml": person(), **files}), as_of)
    return [(i.state, i.session.id if i.session else None) for i in year_plan(result.archive, year, as_of).items]


def test_started_in_its_month_or_later_that_year(memory_archive):
    files = {"plans/2024.toml": plan(2024, items=(("refresher", 4),))}
    assert states(memory_archive, {**files, "sessions/S1.toml": refresher("2024-04-01")}) == [("done", "S1")]
    assert states(memory_archive, {**files, "sessions/S1.toml": refresher("2024-03-31")}) == [("open", None)]
    assert states(memory_archive, {**files, "sessions/S1.toml": refresher("2024-06-30")}) == [("done", "S1")]
    # after as_of it has not happened yet; in the next year it is another year's
    assert states(memory_archive, {**files, "sessions/S1.toml": refresher("2024-07-01")}) == [("open", None)]
    assert states(memory_archive, {**files, "sessions/S1.toml": refresher("2025-01-10")},
                  as_of=date(2025, 2, 1)) == [("missed", None)]


def test_a_session_of_another_type_does_not_carry_it_out(memory_archive):
    files = {"plans/2024.toml": plan(2024, items=(("all_staff", 4),)), "sessions/S1.toml": refresher("2024-05-06")}
    assert states(memory_archive, files) == [("open", None)]


def test_the_first_session_carries_out_every_item_of_its_type_due_by_then(memory_archive):
    files = {"plans/2024.toml": plan(2024, items=(("refresher", 3), ("refresher", 5), ("refresher", 9))),
             "sessions/S2.toml": refresher("2024-06-03"), "sessions/S1.toml": refresher("2024-05-20")}
    assert states(memory_archive, files) == [("done", "S1"), ("done", "S1"), ("planned", None)]


def test_only_plans_approved_by_as_of(memory_archive):
    result = check_files(memory_archive({"plans/2024.toml": plan(2024, approved="2024-02-10"),
                                         "plans/2023.toml": plan(2023)}), date(2024, 2, 1))
    a = result.archive
    assert approved_plan(a, 2024, date(2024, 2, 1)) is None and year_plan(a, 2024, date(2024, 2, 1)) is None
    assert [s.year for s in plan_states(a, date(2024, 2, 1))] == [2023]
    st = plan_state(a, a.plans["2024"], date(2024, 2, 1))  # its state all the same, for the export's rows
    assert (st.done, st.due, [i.state for i in st.items]) == (0, 0, ["planned"])
