"""Family R: the records every session must hold (R001–R004), and the year's plan (R005)."""

from datetime import date

from helpers import findings, found, person, plan, session


def test_clean_session_has_no_findings(memory_archive):
    root = memory_archive({"people/E1.toml": person(), "sessions/S1.toml": session(),
                           "plans/2024.toml": plan(2024)})
    assert found(root, select=["R"]) == []


def test_r001_missing_content_and_topics(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(),
        "sessions/S1.toml": session(content=None, topics="[]"),
        "sessions/S2.toml": session(content='"  "'),
        "sessions/S3.toml": session(topics="[]"),
    })
    assert found(root, select=["R001"]) == [("R001", "S1", None), ("R001", "S2", None), ("R001", "S3", None)]


def test_r002_missing_result_unless_no_assessment(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(),
        "people/E2.toml": person("李梅"),
        "sessions/S1.toml": session('{ person = "E1" },\n  { person = "E2", passed = true }'),
        "sessions/S2.toml": session('{ person = "E1" }', assessment='"none"'),
        "sessions/S3.toml": session('{ person = "E1" }', assessment=None),
    })
    fs = findings(root, select=["R002"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("R002", "S1", 13), ("R002", "S3", 12)]


def test_r003_external_provider_needs_contract(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(),
        "sessions/S1.toml": session(provider='"宁夏安培中心"'),
        "sessions/S2.toml": session(provider='"宁夏安培中心"', contract='"contracts/2023-001.pdf"'),
        "sessions/S3.toml": session(provider='"Internal"'),
        "contracts/2023-001.pdf": b"%PDF-1.4\n",
    })
    assert found(root, select=["R003", "A008"]) == [("R003", "S1", None)]


def test_r004_empty_session_and_drill_are_warnings(memory_archive):
    root = memory_archive({
        "sessions/S1.toml": session(attendees=""),
        "drills/D1.toml": 'title = "疏散演练"\ndate = 2023-08-20\nscale = "small"\nscenario = "fire"\n',
        "drills/D2.toml": 'title = "疏散演练"\ndate = 2023-08-20\nscale = "small"\nparticipants = []\n',
    })
    fs = findings(root, select=["R004"])
    assert [(f.code, f.subject, f.severity) for f in fs] == [
        ("R004", "D1", "warning"), ("R004", "D2", "warning"), ("R004", "S1", "warning")]


def test_future_sessions_are_not_judged(memory_archive):
    root = memory_archive({"sessions/S1.toml": session(attendees="", content=None,
                                                      start="2024-07-10T08:00:00", end="2024-07-10T12:00:00")})
    assert found(root, select=["R001", "R002", "R003", "R004"]) == []


# -- R005: the year's training plan ---------------------------------------------
def test_r005_judged_from_1_february(memory_archive):
    root = memory_archive({"people/E1.toml": person()}, records_since="2024-01-01")
    assert found(root, as_of=date(2024, 1, 31), select=["R005"]) == []
    fs = findings(root, as_of=date(2024, 2, 1), select=["R005"])
    assert [(f.code, f.subject, f.period, f.file) for f in fs] == [("R005", "enterprise", "2024", "safetrain.toml")]
    assert "plans/2024.toml" in fs[0].message_zh and fs[0].citation.startswith("安全生产法 第二十一条 (三)")


def test_r005_a_plan_approved_late_still_counts_but_not_after_as_of(memory_archive):
    late = memory_archive({"plans/2024.toml": plan(2024, approved="2024-02-01")}, records_since="2024-01-01")
    assert found(late, as_of=date(2024, 2, 1), select=["R005"]) == []
    later = memory_archive({"plans/2024.toml": plan(2024, approved="2024-02-02")}, records_since="2024-01-01")
    fs = findings(later, as_of=date(2024, 2, 1), select=["R005"])
    assert [(f.code, f.period) for f in fs] == [("R005", "2024")] and "晚于检查日期" in fs[0].message_zh
    assert found(later, as_of=date(2024, 2, 2), select=["R005"]) == []


def test_r005_judges_each_year_whose_first_day_is_in_the_window(memory_archive):
    files = {"plans/2024.toml": plan(2024)}
    assert found(memory_archive(files, records_since="2023-01-01"), as_of=date(2025, 3, 1), select=["R005"]) == [
        ("R005", "enterprise", "2023"), ("R005", "enterprise", "2025")]
    # a window starting on 2 January leaves that year out
    assert found(memory_archive(files, records_since="2023-01-02"), as_of=date(2025, 3, 1), select=["R005"]) == [
        ("R005", "enterprise", "2025")]


def test_r005_waived_archive_wide(memory_archive):
    waivers = '[{ rule = "R005", reason = "2024年计划由集团统一下发，存集团档案" }]'
    root = memory_archive({}, records_since="2024-01-01", waivers=waivers)
    assert found(root, as_of=date(2024, 6, 30), select=["R005", "A011"]) == []
