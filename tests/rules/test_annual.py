"""Family Y: yearly re-training (Y001–Y003)."""

from datetime import date

from helpers import findings, found, person, session


def trained(pid: str, day: str, hours: str = "8", kind: str = "refresher", score: str = "90", extra: str = "",
            end: str | None = None) -> str:
    """A session of `kind` on `day` with one attendee."""
    return session(f'{{ person = "{pid}", score = {score}{extra} }}', type=f'"{kind}"', level=None,
                   title='"年度安全再培训"', start=f"{day}T08:30:00", end=end or f"{day}T17:30:00", hours=hours)


# -- Y001 ---------------------------------------------------------------------

def test_y001_a_short_year_for_a_worker_employed_all_of_it(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2022-05-01"),
        "sessions/S1.toml": trained("E1", "2023-03-01", hours="6"),
    }, records_since="2023-01-01")
    fs = findings(root, select=["Y"])
    assert [(f.code, f.subject, f.period) for f in fs] == [("Y001", "E1", "2023")]
    assert "6 学时" in fs[0].message_zh and "8 学时" in fs[0].message_zh and "2023" in fs[0].message_zh
    assert fs[0].citation == "安委10号"


def test_y001_enough_hours_of_any_type_but_pre_job(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2022-05-01"),
        "people/E2.toml": person(hired="2022-05-01"),
        "sessions/S1.toml": trained("E1", "2023-03-01", hours="4", kind="all_staff"),
        "sessions/S2.toml": trained("E1", "2023-10-01", hours="4", kind="special_operation"),
        "sessions/S3.toml": session('{ person = "E2", score = 90 }', type='"pre_job"', level='"company"',
                                    start="2023-03-01T08:30:00", end="2023-03-01T17:30:00", hours="8"),
    }, records_since="2023-01-01")
    assert found(root, select=["Y"]) == [("Y001", "E2", "2023")]  # a valid pre-job session, not counted


def test_y001_failed_and_partial_attendance(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2022-05-01"),
        "people/E2.toml": person(hired="2022-05-01"),
        "sessions/S1.toml": session('{ person = "E1", score = 50 },\n  { person = "E2", score = 90, hours = 4 }',
                                    type='"refresher"', level=None, start="2023-03-01T08:30:00",
                                    end="2023-03-01T17:30:00"),
    }, records_since="2023-01-01")
    fs = findings(root, select=["Y001"])
    assert [(f.code, f.subject, f.period) for f in fs] == [("Y001", "E1", "2023"), ("Y001", "E2", "2023")]
    assert "计 0 学时" in fs[0].message_zh and "计 4 学时" in fs[1].message_zh


def test_y001_part_of_a_year_is_not_judged(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-01-02"),
        "people/E2.toml": person(hired="2022-01-01", left="2023-12-30"),
        "people/E3.toml": person(hired="2023-01-01", left="2023-12-31"),  # employed all of 2023
    }, records_since="2023-01-01")
    assert found(root, select=["Y001"]) == [("Y001", "E3", "2023")]


def test_y001_only_whole_years_in_the_window_before_as_of(memory_archive):
    files = {"people/E1.toml": person(hired="2020-05-01")}
    root = memory_archive(files, records_since="2023-07-01")  # 2023 starts before the window
    assert found(root, as_of=date(2024, 12, 31), select=["Y001"]) == []
    assert found(root, as_of=date(2025, 1, 1), select=["Y001"]) == [("Y001", "E1", "2024")]


def test_y001_credits_by_the_session_end(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-05-01"),
        "sessions/S1.toml": trained("E1", "2023-12-31", end="2024-01-01T12:00:00"),
    }, records_since="2023-01-01")
    assert found(root, as_of=date(2025, 1, 1), select=["Y001"]) == [("Y001", "E1", "2023")]


def test_y001_high_risk_needs_20(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-05-01"),
        "sessions/S1.toml": trained("E1", "2023-03-01", hours="16", end="2023-03-02T17:30:00"),
    }, records_since="2023-01-01", industry="non_coal_mine")
    fs = findings(root, select=["Y001"])
    assert [(f.code, f.period) for f in fs] == [("Y001", "2023")]
    assert "20 学时" in fs[0].message_zh and fs[0].citation == "培训规定 第十三条"


def test_y001_skips_managers_and_waivers_silence_it(memory_archive):
    waiver = '[{ rule = "Y001", reason = "2023年病假六个月", until = %s }]'
    root = memory_archive({
        "people/E1.toml": person(hired="2020-05-01", roles='["principal"]'),
        "people/E2.toml": person(hired="2020-05-01", waivers=waiver % "2024-12-31"),
        "people/E3.toml": person(hired="2020-05-01", waivers=waiver % "2024-03-31"),
    }, records_since="2023-01-01")
    assert found(root, select=["Y001", "A010"]) == [("Y001", "E3", "2023"), ("A010", "E3", None)]


# -- Y002 ---------------------------------------------------------------------

def test_y002_counts_only_management_hours(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-05-01", roles='["safety_manager"]'),
        "people/E2.toml": person(hired="2020-05-01", roles='["principal"]'),
        "sessions/S1.toml": trained("E1", "2023-03-01", kind="management"),
        "sessions/S2.toml": trained("E1", "2023-04-01"),
        "sessions/S3.toml": trained("E2", "2023-03-01", kind="management", hours="12",
                                    end="2023-03-02T12:00:00"),
    }, records_since="2023-01-01")
    fs = findings(root, select=["Y"])
    assert [(f.code, f.subject, f.period) for f in fs] == [("Y002", "E1", "2023")]
    assert "8 学时" in fs[0].message_zh and "12 学时" in fs[0].message_zh
    assert fs[0].citation == "培训规定 第九条"  # RULES.md v2: 宁夏方案 二(六) binds the authorities


def test_y002_high_risk_needs_16(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-05-01", roles='["safety_manager"]'),
        "sessions/S1.toml": trained("E1", "2023-03-01", kind="management", hours="12",
                                    end="2023-03-02T12:00:00"),
    }, records_since="2023-01-01", industry="coal_mine")
    fs = findings(root, select=["Y002"])
    assert [(f.code, f.period, f.citation) for f in fs] == [("Y002", "2023", "培训规定 第九条")]


# -- Y003 ---------------------------------------------------------------------

def test_y003_initial_hours_by_on_post_plus_six_months(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-08-01", on_post="2023-09-01", roles='["safety_manager"]'),
        "sessions/S1.toml": trained("E1", "2023-08-20", kind="management", hours="16", end="2023-08-21T17:30:00"),
        "sessions/S2.toml": trained("E1", "2024-03-02", kind="management", hours="16", end="2024-03-03T17:30:00"),
    })
    fs = findings(root, select=["Y"])
    assert [(f.code, f.subject, f.period, f.line) for f in fs] == [("Y003", "E1", None, 6)]
    assert "2024-03-01" in fs[0].message_zh and "16 学时" in fs[0].message_zh and "32 学时" in fs[0].message_zh
    assert fs[0].citation == "培训规定 第九条"


def test_y003_a_session_ending_on_the_deadline_counts(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-08-01", on_post="2023-09-01", roles='["safety_manager"]'),
        "sessions/S1.toml": trained("E1", "2023-08-20", kind="management", hours="16", end="2023-08-21T17:30:00"),
        "sessions/S2.toml": trained("E1", "2024-02-29", kind="management", hours="16", end="2024-03-01T17:30:00"),
    })
    assert found(root, select=["Y003"]) == []


def test_y003_not_judged_before_the_grace_months_end_and_judged_for_a_manager_who_left(memory_archive):
    """RULES.md Y003 asks only that on_post is in the window and more than 6 months before as_of:
    a manager who left (E2, a day before the six months ended) is judged as one who stayed."""
    root = memory_archive({
        "people/E1.toml": person(hired="2024-01-01", roles='["principal"]'),   # deadline 2024-07-01
        "people/E2.toml": person(hired="2023-07-01", left="2023-12-31", roles='["principal"]'),
        "people/E3.toml": person(hired="2023-06-01", roles='["principal"]'),  # before the window
        "people/E4.toml": person(hired="2023-12-30", roles='["principal"]'),  # deadline 2024-06-30 = as_of
    })
    assert found(root, select=["Y003"]) == [("Y003", "E2", None)]
    assert found(root, as_of=date(2024, 7, 1), select=["Y003"]) == [("Y003", "E2", None), ("Y003", "E4", None)]


def test_y003_keeps_six_months_where_c005_has_no_grace(memory_archive):
    # construction: C005 wants the assessment before the post (grace 0), Y003 still gives six months
    files = {"people/E1.toml": person(hired="2024-01-01", roles='["principal"]')}
    assert found(memory_archive(files, industry="construction"), select=["Y003"]) == []
    fs = findings(memory_archive(files, industry="construction"), as_of=date(2024, 7, 2), select=["Y003"])
    assert [(f.code, f.subject) for f in fs] == [("Y003", "E1")] and "2024-07-01" in fs[0].message_zh


def test_y003_high_risk_needs_48(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-08-01", roles='["principal"]'),
        "sessions/S1.toml": trained("E1", "2023-08-20", kind="management", hours="40", end="2023-08-25T17:30:00"),
    }, industry="fireworks")
    fs = findings(root, select=["Y003"])
    assert [(f.code, f.subject) for f in fs] == [("Y003", "E1")]
    assert "48 学时" in fs[0].message_zh


# -- hours written with decimals ------------------------------------------------

def test_hours_that_add_up_to_the_figure_meet_it_whatever_floats_make_of_them(memory_archive):
    """0.1 + 4.1 + 3.8 is 7.999999999999999 in binary floats: Y001 said "计 8 学时，少于规定的 8 学时".
    Totals are rounded (Context.HOURS_PLACES); a tenth short is still short."""
    files = {"people/E1.toml": person(hired="2022-05-01"), "people/E2.toml": person(hired="2022-05-01")}
    for k, (day, hours) in enumerate((("2023-03-01", "0.1"), ("2023-04-01", "4.1"), ("2023-05-01", "3.8"))):
        files[f"sessions/S{k}.toml"] = trained("E1", day, hours=hours)
        files[f"sessions/T{k}.toml"] = trained("E2", day, hours="3.7" if hours == "3.8" else hours)
    root = memory_archive(files, records_since="2023-01-01")
    fs = findings(root, select=["Y001"])
    assert [(f.code, f.subject, f.period) for f in fs] == [("Y001", "E2", "2023")]
    assert "计 7.9 学时" in fs[0].message_zh


def test_manager_hours_that_add_up_to_the_figure_meet_it(memory_archive):
    """Y002 (0.1 + 10.2 + 1.7 = 12) and Y003 (0.4 + 16.4 + 15.2 = 32) with float sums just below."""
    files = {"people/E1.toml": person(hired="2022-05-01", roles='["principal"]'),
             "people/E2.toml": person(hired="2023-08-01", on_post="2023-09-01", roles='["safety_manager"]')}
    for k, (day, hours) in enumerate((("2023-03-01", "0.1"), ("2023-04-01", "10.2"), ("2023-05-01", "1.7"))):
        files[f"sessions/Y{k}.toml"] = trained("E1", day, kind="management", hours=hours)
    for k, (day, hours) in enumerate((("2023-09-05", "0.4"), ("2023-10-05", "16.4"), ("2023-11-06", "15.2"))):
        files[f"sessions/Z{k}.toml"] = trained("E2", day, kind="management", hours=hours, end=f"{day}T17:30:00")
    root = memory_archive(files, records_since="2023-01-01")
    assert found(root, select=["Y002", "Y003"]) == []
