"""reports.summary: an archive's headline numbers and a workspace's total."""

from datetime import date

from helpers import AS_OF, certificate, drill, person, plan, session

from safetrain.api import check_path
from safetrain.reports.summary import archive_summary, workspace_total


def small_archive(make_archive, root=None, **config):
    return make_archive({
        "people/E1.toml": person(roles='["special_operator"]',
                                 extra=certificate("T001", issued="2022-01-01", expires="2028-01-01")),
        "people/E2.toml": person("李梅", hired="2024-03-01", employment='"contract"',
                                 extra=certificate("F002", "other", "叉车", "2020-07-20", "2024-07-20")),
        "people/E3.toml": person("王五", left="2024-01-01"),
        "people/M1.toml": person("赵六", hired="2023-07-01", roles='["principal"]',
                                 extra=certificate("M003", "manager", "主要负责人", "2021-05-01", "2024-05-01")),
        "sessions/S1.toml": session(),
        "sessions/S2.toml": session(type='"refresher"', level=None, start="2024-03-05T08:30:00",
                                    end="2024-03-05T17:30:00"),
        "sessions/S3.toml": session('{ person = "M1", passed = true }', type='"management"', level=None,
                                    start="2024-04-01T08:30:00", end="2024-04-01T12:30:00", hours="4"),
        "drills/D1.toml": drill("2023-08-20"),
        "drills/D2.toml": drill("2024-02-01"),
        "drills/D3.toml": drill("2024-07-05"),
        "plans/2024.toml": plan(2024, items=(("pre_job", 3), ("refresher", 3), ("management", 5), ("all_staff", 9))),
    }, root=root, **config)


def test_headline_numbers(make_archive):
    s = archive_summary(check_path(small_archive(make_archive), AS_OF))
    assert s["headcount"] == {"active": 3, "by_employment": {"formal": 2, "contract": 1},
                              "managers": 1, "special_operators": 1}
    # E1 passed 8 of the 24 pre-job 学时 before the post (P002), E2 none: neither completed it; the
    # principal is judged by Y003/C005, not here
    assert s["pre_job"] == {"judged": 2, "covered": 0, "percent": 0.0}
    assert s["campaign"] is None  # national rule set: no campaign
    # this year's hours, of the people the Y rules judge for it (the matrix's): E1 and M1; E2, hired in
    # March, is not (n.a. in the matrix, no Y001 for 2024)
    assert s["hours"] == {"year": 2024, "people": 2, "met": 1, "percent_met": 50.0, "credited": 12.0,
                          "required": 20.0, "average": 6.0, "average_required": 10.0}
    assert s["certificates"] == {"valid": 1, "expiring": 1, "review_due": 0, "review_overdue": 0, "expired": 1}
    # manufacturing has no monthly cadence nationally: half-years (D004), empty ones included
    # the last drill held by as_of (D3 on 2024-07-05 is after it)
    assert s["drills"] == {"total": 2, "by_month": {"2023-08": 1, "2024-02": 1}, "cadence": "half",
                           "last": "2024-02-01", "by_period": [{"period": "2023-H2", "count": 1}, {"period": "2024-H1", "count": 1}]}


def test_this_years_plan_against_what_was_held(make_archive):
    s = archive_summary(check_path(small_archive(make_archive), AS_OF))
    plan = s["plan"]
    assert {k: plan[k] for k in ("year", "approved", "items", "due", "done", "percent", "states")} == {
        "year": 2024, "approved": "2024-01-05", "items": 4, "due": 3, "done": 1, "percent": 33.3,
        "states": {"done": 1, "open": 2, "missed": 0, "planned": 1}}
    # S2 (refresher, 2024-03-05) carries out the March refresher item; S3 (management, April) started before May
    assert [(r["type"], r["month"], r["state"], r["session"], r["held"]) for r in plan["rows"]] == [
        ("pre_job", 3, "open", None, None), ("refresher", 3, "done", "S2", "2024-03-05"),
        ("management", 5, "open", None, None), ("all_staff", 9, "planned", None, None)]
    # as of the year's end, what was not held is missed
    end = archive_summary(check_path(small_archive(make_archive, root=make_archive().parent / "b"), date(2025, 1, 2)))
    assert end["plan"]["year"] == 2025 and end["plan"]["approved"] is None
    from safetrain.reports.summary import plan_summary
    last = plan_summary(check_path(small_archive(make_archive, root=make_archive().parent / "c"), date(2025, 1, 2)), 2024)
    assert last["states"] == {"done": 1, "open": 0, "missed": 3, "planned": 0}


def test_monthly_drill_periods_in_cadence_archives(make_archive):
    root = small_archive(make_archive, industry="catering", ruleset="ningxia-2023", records_since="2024-03-01")
    s = archive_summary(check_path(root, date(2024, 5, 10)))
    assert s["drills"]["cadence"] == "month"
    assert s["drills"]["by_period"] == [{"period": "2024-03", "count": 0}, {"period": "2024-04", "count": 0},
                                        {"period": "2024-05", "count": 0}]


def test_campaign_counts_only_days_up_to_as_of(make_archive):
    root = make_archive({
        "people/E1.toml": person(hired="2023-07-01"),
        "people/E2.toml": person("李梅", hired="2023-08-20"),  # 12 days by as_of: not judged yet
        "sessions/S1.toml": session(start="2023-07-10T08:30:00", end="2023-07-10T17:30:00"),
    }, ruleset="ningxia-2023")
    s = archive_summary(check_path(root, date(2023, 8, 31)))
    assert s["campaign"] == {"start": "2023-07-01", "end": "2023-12-31", "judged": 1, "covered": 1, "percent": 100.0}


def test_workspace_total_adds_counts_and_recomputes_percentages(make_archive, tmp_path):
    a = archive_summary(check_path(small_archive(make_archive, root=tmp_path / "ws" / "a"), AS_OF))
    b = archive_summary(check_path(make_archive({
        "people/E1.toml": person(employment='"dispatched"'),
        "sessions/S1.toml": session(),
    }, root=tmp_path / "ws" / "b", ruleset="ningxia-2023"), AS_OF))
    t = workspace_total([a, b])
    assert t["archives"] == 2
    assert t["headcount"] == {"active": 4, "by_employment": {"formal": 2, "contract": 1, "dispatched": 1},
                              "managers": 1, "special_operators": 1}
    assert t["pre_job"] == {"judged": 3, "covered": 0, "percent": 0.0}  # 8 of 24 学时 each (P002)
    assert t["campaign"] == {"judged": 1, "covered": 1, "percent": 100.0}
    assert t["hours"]["people"] == 3 and t["hours"]["met"] == 1 and t["hours"]["percent_met"] == 33.3
    assert t["certificates"] == {"valid": 1, "expiring": 1, "review_due": 0, "review_overdue": 0, "expired": 1}
    assert t["drills"] == {"total": 2, "last": "2024-02-01"}
    assert t["findings"]["by_family_severity"]["C"] == {"errors": 1, "warnings": 1, "infos": 0}
    assert t["findings"]["total"] == a["findings"]["total"] + b["findings"]["total"]


def test_total_of_nothing():
    t = workspace_total([])
    assert t["headcount"]["active"] == 0 and t["pre_job"]["percent"] is None and t["campaign"] is None


def test_hours_by_department_add_up_to_the_archive_figure(make_archive):
    root = small_archive(make_archive)
    (root / "people/E9.toml").write_text(person("孙七", department='"装配车间"'), encoding="utf-8")
    s = archive_summary(check_path(root, AS_OF))
    rows = {r["department"]: r for r in s["hours_by_department"]}
    assert list(rows) == ["机加车间", "装配车间"]
    assert (rows["机加车间"]["people"], rows["机加车间"]["met"], rows["机加车间"]["credited"]) == (2, 1, 12.0)
    assert (rows["装配车间"]["people"], rows["装配车间"]["met"], rows["装配车间"]["credited"]) == (1, 0, 0.0)
    assert rows["装配车间"]["required"] == s["hours"]["required"] - rows["机加车间"]["required"] > 0
    assert s["hours"]["people"] == 3 and s["hours"]["met"] == 1 and s["hours"]["credited"] == 12.0


def test_coverage_by_year(make_archive):
    s = archive_summary(check_path(small_archive(make_archive), AS_OF))
    # 2023 is not wholly in the window (records since 2023-07-01): no one is judged for its hours;
    # 2024 so far: E1 and M1 (employed since 1 January; E2 hired in March, E3 gone), E1 short
    assert s["by_year"] == [
        {"year": 2023, "hours_judged": 0, "hours_met": 0, "hours_percent": None,
         "pre_job_judged": 2, "pre_job_covered": 0, "pre_job_percent": 0.0},  # E1 8 of 24 学时, E3 none
        {"year": 2024, "hours_judged": 2, "hours_met": 1, "hours_percent": 50.0,
         "pre_job_judged": 1, "pre_job_covered": 0, "pre_job_percent": 0.0},  # E2
    ]


def test_findings_by_family_and_severity(make_archive):
    s = archive_summary(check_path(small_archive(make_archive), AS_OF))
    assert s["findings"]["by_family_severity"] == {
        "C": {"errors": 1, "warnings": 1, "infos": 0}, "F": {"errors": 1, "warnings": 0, "infos": 0},
        "P": {"errors": 4, "warnings": 0, "infos": 0}, "Y": {"errors": 1, "warnings": 0, "infos": 0}}
    assert {fam: sum(c.values()) for fam, c in s["findings"]["by_family_severity"].items()} == s["findings"]["by_family"]


def test_this_years_hours_count_only_the_people_the_y_rules_judge(make_archive):
    """An archive complete only from March: nobody's year is wholly in it, so nobody is judged for it
    (no Y001, n.a. in the matrix): no percentage made of people the rules leave out."""
    root = make_archive({"people/A.toml": person(hired="2020-01-01"),
                         "sessions/x.toml": session(type='"refresher"', level=None, start="2024-03-05T08:30:00",
                                                    end="2024-03-05T17:30:00")}, records_since="2024-03-01")
    s = archive_summary(check_path(root, AS_OF))
    assert s["hours"]["people"] == 0 and s["hours"]["percent_met"] is None
    assert [y for y in s["by_year"] if y["year"] == 2024][0]["hours_judged"] == 0


def test_the_views_take_the_campaign_the_rules_worked_out(monkeypatch):
    """The result keeps the rules' campaign people (and judged years' hours) for status and the
    site (a workspace of 500 archives worked them out twice), and they give the same figures."""
    from safetrain.rules import campaign

    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "sample_archive" / "hongshan-coal"
    result = check_path(root, date(2024, 6, 30))
    fresh = archive_summary(check_path(root, date(2024, 6, 30)))

    def again(*args, **kwargs):
        raise AssertionError("worked out again")
    monkeypatch.setattr(campaign, "_judged", again)
    assert archive_summary(result)["campaign"] == fresh["campaign"] and fresh["campaign"] is not None
    kept = result.view_context()  # the rules' own Context: the campaign's people, each person's hours by year
    assert "campaign" in kept._memo and kept._yearly


def test_pre_job_coverage_counts_only_training_check_finds_complete(make_archive):
    """status's (and the register's, the dashboard's) pre-job figure counts a newcomer only when
    P001-P003 all hold: E2 passed the company level (8 of 24 学时) and check reports P002/P003
    for E2 alone; E1 has all three levels, 24 学时. It counted both (P001 only)."""
    levels = {"company": "2023-07-03", "workshop": "2023-07-04", "team": "2023-07-05"}
    files = {"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
             "people/E2.toml": person("李梅", hired="2023-07-03", on_post="2023-07-06")}
    for level, day in levels.items():
        who = '{ person = "E1", score = 90 },\n  { person = "E2", score = 90 }' if level == "company" else \
            '{ person = "E1", score = 90 }'
        files[f"sessions/S-{level}.toml"] = session(who, level=f'"{level}"', start=f"{day}T08:30:00",
                                                    end=f"{day}T17:30:00")
    result = check_path(make_archive(files), AS_OF)
    p = sorted((f.code, f.subject) for f in result.findings if f.code in ("P001", "P002", "P003"))
    assert p == [("P002", "E2"), ("P003", "E2")]
    s = archive_summary(result)
    assert s["pre_job"] == {"judged": 2, "covered": 1, "percent": 50.0}
    assert s["by_year"][0]["pre_job_covered"] == 1
