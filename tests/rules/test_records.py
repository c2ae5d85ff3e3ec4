"""Family R: the records every session must hold."""

from helpers import findings, found, person, session


def test_clean_session_has_no_findings(memory_archive):
    root = memory_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
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
    assert found(root, select=["R"]) == []
