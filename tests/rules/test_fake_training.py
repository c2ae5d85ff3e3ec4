"""Family F: signs of fake training (F001–F004)."""

from datetime import date

from helpers import drill, findings, found, person, session


def held(attendees: str, start: str, end: str, hours: str = "4", **keys) -> str:
    return session(attendees, start=start, end=end, hours=hours, **keys)


E1 = '{ person = "E1", score = 90 }'


# -- F001 ---------------------------------------------------------------------

def test_f001_overlapping_sessions_reported_once_per_pair(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:30:00", "2023-07-01T17:30:00", hours="8"),
        "sessions/S2.toml": held('{ person = "E2", score = 90 },\n  { person = "E1", score = 30 }',
                                 "2023-07-01T14:00:00", "2023-07-01T16:00:00", hours="2"),
        "people/E2.toml": person("李梅", hired="2023-06-01"),
    })
    fs = findings(root, select=["F"])
    assert [(f.code, f.subject, f.file, f.line) for f in fs] == [("F001", "E1", "sessions/S2.toml", 14)]
    assert "S1（2023-07-01 08:30–17:30）" in fs[0].message_zh and "S2（2023-07-01 14:00–16:00）" in fs[0].message_zh


def test_f001_back_to_back_sessions_do_not_overlap(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:30:00", "2023-07-01T12:00:00"),
        "sessions/S2.toml": held(E1, "2023-07-01T12:00:00", "2023-07-01T15:30:00"),
    })
    assert found(root, select=["F"]) == []


def test_f001_three_overlapping_sessions_make_three_pairs(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:00:00", "2023-07-03T17:30:00", hours="24"),
        "sessions/S2.toml": held(E1, "2023-07-02T08:30:00", "2023-07-02T12:00:00"),
        "sessions/S3.toml": held(E1, "2023-07-02T09:00:00", "2023-07-02T12:30:00"),
        "sessions/S4.toml": held(E1, "2023-07-04T09:00:00", "2023-07-04T12:30:00"),
    })
    fs = findings(root, select=["F001"])
    assert [(f.file, f.subject) for f in fs] == [
        ("sessions/S2.toml", "E1"), ("sessions/S3.toml", "E1"), ("sessions/S3.toml", "E1")]
    assert "S1" in fs[1].message_zh and "S2" in fs[2].message_zh


def test_f001_waived_in_the_person_file(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01", waivers='[{ rule = "F001", reason = "上午参加S1，下午参加S2，学时按实计" }]'),
        "sessions/S1.toml": held('{ person = "E1", score = 90, hours = 4 }', "2023-07-01T08:30:00",
                                 "2023-07-01T17:30:00", hours="8"),
        "sessions/S2.toml": held(E1, "2023-07-01T14:00:00", "2023-07-01T17:00:00"),
    })
    assert found(root, select=["F", "A011"]) == []


def test_f001_sessions_after_as_of_do_not_count(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2024-06-30T08:30:00", "2024-06-30T12:00:00"),
        "sessions/S2.toml": held(E1, "2024-06-30T11:00:00", "2024-07-01T12:00:00", hours="8"),
    })
    assert found(root, select=["F001"]) == []
    assert found(root, as_of=date(2024, 7, 1), select=["F001"]) == [("F001", "E1", None)]


# -- F002 ---------------------------------------------------------------------

def test_f002_more_hours_than_minutes(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:30:00", "2023-07-01T12:00:00", hours="5"),
        "sessions/S2.toml": held(E1, "2023-07-02T08:30:00", "2023-07-02T12:00:00", hours="4.5"),
    })
    fs = findings(root, select=["F"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("F002", "S1", 6)]
    assert "225 分钟" in fs[0].message_zh and "210 分钟" in fs[0].message_zh
    assert fs[0].citation == "学时按45分钟计（无全国统一文本，可配置）"


def test_f002_hours_that_fit_the_minutes_exactly_fit_whatever_floats_make_of_them(memory_archive):
    """1.1 学时 x 45 minutes is 49.50000000000001 in binary floats: a session of 49 min 30 s was "too short"."""
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:30:00", "2023-07-01T09:19:30", hours="1.1"),
        "sessions/S2.toml": held(E1, "2023-07-02T08:30:00", "2023-07-02T09:19:29", hours="1.1"),
    })
    assert [(f.code, f.subject) for f in findings(root, select=["F002"])] == [("F002", "S2")]


def test_f002_a_session_ending_at_midnight_spans_only_the_days_before(memory_archive):
    """[start, end): 08:00 to 00:00 the next day is one calendar day (the cap 8), as 08:00 to 23:59 is;
    a minute past midnight is a second day."""
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:00:00", "2023-07-02T00:00:00", hours="16"),
        "sessions/S2.toml": held(E1, "2023-07-03T08:00:00", "2023-07-03T23:59:00", hours="16"),
        "sessions/S3.toml": held(E1, "2023-07-05T08:00:00", "2023-07-06T00:01:00", hours="16"),
        "sessions/S4.toml": held(E1, "2023-07-07T00:00:00", "2023-07-08T00:00:00", hours="8"),
    })
    fs = findings(root, select=["F002"])
    assert [f.subject for f in fs] == ["S1", "S2"]
    assert "1 个日历日" in fs[0].message_zh and "over 1 calendar day(s)" in fs[0].message_en


def test_f002_more_than_the_daily_maximum(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-15T08:30:00", "2023-07-17T17:30:00", hours="25"),
        "sessions/S2.toml": held(E1, "2023-07-18T08:30:00", "2023-07-20T17:30:00", hours="24"),
    })
    fs = findings(root, select=["F"])
    assert [(f.code, f.subject) for f in fs] == [("F002", "S1")]
    assert "3 个日历日" in fs[0].message_zh and "8 学时" in fs[0].message_zh
    assert fs[0].citation == "档案完整性检查（每日学时上限，可配置；无法规条文规定）"  # RULES.md v2: no article


def test_f002_failing_both_cites_both_figures(memory_archive):
    """RULES.md: a finding prints the citation of the figure it applied — here two."""
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:00:00", "2023-07-01T12:00:00", hours="9"),
    })
    [f] = findings(root, select=["F"])
    assert "405 分钟" in f.message_zh and "每日最多 8 学时" in f.message_zh
    assert f.citation == "学时按45分钟计（无全国统一文本，可配置）; 档案完整性检查（每日学时上限，可配置；无法规条文规定）"


# -- F003 ---------------------------------------------------------------------

def test_f003_training_before_hire_or_after_leaving(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-10"),
        "people/E2.toml": person("李梅", hired="2023-07-01", left="2023-12-31"),
        "sessions/S1.toml": held(E1, "2023-07-05T08:30:00", "2023-07-05T12:00:00"),   # before E1's hire
        "sessions/S2.toml": held(E1, "2023-07-09T08:30:00", "2023-07-10T12:00:00", hours="8"),  # ends on hire day
        "sessions/S3.toml": held('{ person = "E2", score = 90 }', "2023-12-31T08:30:00", "2023-12-31T12:00:00"),
        "sessions/S4.toml": held('{ person = "E2", score = 90 }', "2024-01-05T08:30:00", "2024-01-05T12:00:00"),
        "drills/D1.toml": drill("2024-01-05", participants='"E1", "E2"'),
        "drills/D2.toml": drill("2023-12-31", participants='"E2"'),
    })
    fs = findings(root, select=["F"])
    assert [(f.code, f.subject, f.file, f.line) for f in fs] == [
        ("F003", "E2", "drills/D1.toml", 5), ("F003", "E1", "sessions/S1.toml", 13),
        ("F003", "E2", "sessions/S4.toml", 13)]
    assert "2023-07-01 至 2023-12-31" in fs[0].message_zh and "D1" in fs[0].message_zh


def test_f003_once_per_person_and_record_however_often_listed(memory_archive):
    """A person listed twice in one session's attendees (A004) or one drill's participants is one
    F003 of that record, at the first listing."""
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-10"),
        "sessions/S1.toml": held(E1 + ",\n  " + '{ person = "E1", score = 80 }', "2023-07-05T08:30:00", "2023-07-05T12:00:00"),
        "drills/D1.toml": drill("2023-07-01", participants='"E1", "E1"'),
    })
    fs = [(f.subject, f.file, f.line) for f in findings(root, select=["F003"])]
    assert fs == [("E1", "drills/D1.toml", 5), ("E1", "sessions/S1.toml", 13)]


def test_f003_waived_in_the_person_file(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-10", waivers='[{ rule = "F003", reason = "录用前参加岗前培训，合同附后" }]'),
        "sessions/S1.toml": held(E1, "2023-07-05T08:30:00", "2023-07-05T12:00:00"),
    })
    assert found(root, select=["F", "A011"]) == []


# -- F004 ---------------------------------------------------------------------

def test_f004_instructor_among_the_attendees(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),
        "people/E2.toml": person("李四", hired="2023-06-01"),
        "sessions/S1.toml": held('{ person = "E1", score = 90 },\n  { person = "E2", score = 98 }',
                                 "2023-07-01T08:30:00", "2023-07-01T12:00:00"),
        "sessions/S2.toml": held(E1, "2023-07-02T08:30:00", "2023-07-02T12:00:00", instructor='"王五、张三"'),
        "sessions/S3.toml": held(E1, "2023-07-03T08:30:00", "2023-07-03T12:00:00", instructor='"张三丰"'),
    })
    fs = findings(root, select=["F"])
    assert [(f.code, f.subject, f.severity, f.line) for f in fs] == [
        ("F004", "S1", "warning", 14), ("F004", "S2", "warning", 13)]
    assert "李四" in fs[0].message_zh and "E2" in fs[0].message_zh


def test_f004_names_are_compared_without_their_spaces(memory_archive):
    """A two-character name is often padded with a full-width space (王　五), on either side; a
    Latin name holds one (John Smith); two names may still be separated by a space (李四 王五)."""
    root = memory_archive({
        "people/E1.toml": person("王五", hired="2023-06-01"),
        "people/E2.toml": person("赵　六", hired="2023-06-01"),
        "people/E3.toml": person("John Smith", hired="2023-06-01"),
        "people/E4.toml": person("张三", hired="2023-06-01"),
        "sessions/S1.toml": held('{ person = "E1", score = 90 }', "2023-07-01T08:30:00", "2023-07-01T12:00:00",
                                 instructor='"王　五"'),
        "sessions/S2.toml": held('{ person = "E2", score = 90 }', "2023-07-02T08:30:00", "2023-07-02T12:00:00",
                                 instructor='"赵六"'),
        "sessions/S3.toml": held('{ person = "E3", score = 90 }', "2023-07-03T08:30:00", "2023-07-03T12:00:00",
                                 instructor='"John  Smith"'),
        "sessions/S4.toml": held('{ person = "E1", score = 90 }', "2023-07-04T08:30:00", "2023-07-04T12:00:00",
                                 instructor='"李四 王五"'),
        "sessions/S5.toml": held('{ person = "E4", score = 90 }', "2023-07-05T08:30:00", "2023-07-05T12:00:00",
                                 instructor='"张　三丰"'),  # 张三丰, not 张三
    })
    assert [(f.code, f.subject) for f in findings(root, select=["F004"])] == [
        ("F004", "S1"), ("F004", "S2"), ("F004", "S3"), ("F004", "S4")]


def test_f_rules_run_when_safetrain_toml_is_unusable(memory_archive):
    root = memory_archive({
        "safetrain.toml": 'format = 1\nruleset = "national"\n',  # no [enterprise]: A002
        "people/E1.toml": person(hired="2023-06-01"),
        "sessions/S1.toml": held(E1, "2023-07-01T08:30:00", "2023-07-01T17:30:00", hours="8"),
        "sessions/S2.toml": held(E1, "2023-07-01T14:00:00", "2023-07-01T16:00:00", hours="8"),
    })
    assert found(root, select=["A002", "F", "P"]) == [
        ("A002", "enterprise", None), ("F002", "S2", None), ("F001", "E1", None)]
