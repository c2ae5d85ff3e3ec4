"""Family K: the 2023 Ningxia campaign (K001–K002, ningxia-2023 only)."""

from datetime import date

from helpers import findings, found, person, session

AFTER = date(2024, 1, 1)


def all_staff(attendees: str, start: str = "2023-09-01T08:30:00", end: str = "2023-09-01T17:30:00",
              topics: str = '["rules", "knowledge", "skills", "emergency"]') -> str:
    return session(attendees, type='"all_staff"', level=None, title='"全员安全培训"', start=start, end=end,
                   topics=topics)


def test_k_rules_are_off_in_the_national_rule_set(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-01-01")})
    assert found(root, as_of=AFTER, select=["K"]) == []


def test_k001_someone_untrained_in_the_window(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "people/E2.toml": person(hired="2020-01-01"),
        "sessions/S1.toml": all_staff('{ person = "E2", score = 90 }'),
    }, ruleset="ningxia-2023")
    fs = findings(root, as_of=AFTER, select=["K"])
    assert [(f.code, f.subject, f.period) for f in fs] == [("K001", "E1", None)]
    assert "2023-07-01 至 2023-12-31" in fs[0].message_zh and fs[0].citation == "宁夏方案 一"


def test_k001_judged_only_after_the_window(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-01-01")}, ruleset="ningxia-2023")
    assert found(root, as_of=date(2023, 12, 31), select=["K"]) == []
    assert found(root, as_of=AFTER, select=["K"]) == [("K001", "E1", None)]


def test_k001_sessions_must_lie_inside_the_window_and_be_passed(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "people/E2.toml": person(hired="2020-01-01"),
        "people/E3.toml": person(hired="2020-01-01"),
        "sessions/S1.toml": all_staff('{ person = "E1", score = 90 }', start="2023-06-30T08:30:00",
                                      end="2023-07-01T17:30:00"),
        "sessions/S2.toml": all_staff('{ person = "E2", score = 40 }'),
        "sessions/S3.toml": all_staff('{ person = "E3", score = 90 }', start="2023-12-31T08:30:00",
                                      end="2023-12-31T17:30:00"),
    }, ruleset="ningxia-2023")
    assert found(root, as_of=AFTER, select=["K001"]) == [("K001", "E1", None), ("K001", "E2", None)]


def test_k001_needs_30_days_employed_in_the_window(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-12-02"),  # 30 days: judged
        "people/E2.toml": person(hired="2023-12-03"),  # 29 days
        "people/E3.toml": person(hired="2020-01-01", left="2023-07-30"),  # 30 days: judged
        "people/E4.toml": person(hired="2020-01-01", left="2023-06-30"),  # none
    }, ruleset="ningxia-2023")
    assert found(root, as_of=AFTER, select=["K001"]) == [("K001", "E1", None), ("K001", "E3", None)]


def test_k001_waiver_silences_it(memory_archive):
    root = memory_archive({"people/E1.toml": person(
        hired="2020-01-01", waivers='[{ rule = "K001", reason = "2023年下半年借调外单位，由借调单位培训" }]')},
        ruleset="ningxia-2023")
    assert found(root, as_of=AFTER, select=["K", "A011"]) == []


def test_k002_names_the_missing_topics(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "people/E2.toml": person(hired="2020-01-01"),
        "sessions/S1.toml": all_staff('{ person = "E1", score = 90 },\n  { person = "E2", score = 90 }',
                                      topics='["rules", "fire"]'),
        "sessions/S2.toml": all_staff('{ person = "E2", score = 90 }', start="2023-10-09T08:30:00",
                                      end="2023-10-09T17:30:00", topics='["knowledge", "skills", "emergency"]'),
    }, ruleset="ningxia-2023")
    fs = findings(root, as_of=AFTER, select=["K"])
    assert [(f.code, f.subject, f.severity) for f in fs] == [("K002", "E1", "warning")]
    assert fs[0].message_zh.endswith("安全生产知识、本岗位安全操作技能、事故应急处理措施")
    assert fs[0].citation == "宁夏方案 二(一)"


def test_k002_ignores_topics_of_a_failed_session(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "sessions/S1.toml": all_staff('{ person = "E1", score = 90 }', topics='["rules", "knowledge", "skills"]'),
        "sessions/S2.toml": all_staff('{ person = "E1", score = 10 }', start="2023-10-09T08:30:00",
                                      end="2023-10-09T17:30:00", topics='["emergency"]'),
    }, ruleset="ningxia-2023")
    assert found(root, as_of=AFTER, select=["K"]) == [("K002", "E1", None)]
