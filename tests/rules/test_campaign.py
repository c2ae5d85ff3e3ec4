"""Family K: the 2023 Ningxia campaign (K001–K004, ningxia-2023 only)."""

from datetime import date

from helpers import config, findings, found, person, session

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
    fs = findings(root, as_of=AFTER, select=["K001", "K002"])
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
    fs = findings(root, as_of=AFTER, select=["K001", "K002"])
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
    assert found(root, as_of=AFTER, select=["K001", "K002"]) == [("K002", "E1", None)]


# -- the window (v2): the campaign is judged only when the archive covers it -------
def test_k_rules_need_the_archive_window_to_cover_the_campaign(memory_archive):
    files = {"people/E1.toml": person(hired="2020-01-01")}
    assert found(memory_archive(files, ruleset="ningxia-2023", records_since="2023-07-01"), as_of=AFTER,
                 select=["K"]) == [("K001", "E1", None)]
    for since in ("2023-07-02", "2024-01-01"):
        assert found(memory_archive(files, ruleset="ningxia-2023", records_since=since), as_of=AFTER,
                     select=["K"]) == [], since


def test_the_status_campaign_figures_follow_the_same_window(make_archive):
    from safetrain.api import check_path
    from safetrain.reports.summary import archive_summary
    files = {"people/E1.toml": person(hired="2020-01-01")}
    covered = make_archive(files, ruleset="ningxia-2023")
    assert archive_summary(check_path(covered, AFTER))["campaign"]["judged"] == 1
    late = make_archive(files, root=covered.parent / "late", ruleset="ningxia-2023", records_since="2023-07-02")
    assert archive_summary(check_path(late, AFTER))["campaign"] is None


# -- K003: the three-level rotation of manufacturing ------------------------------
def leveled(attendees: str, level: str, day: str, kind: str = "all_staff") -> str:
    return session(attendees, type=f'"{kind}"', level=f'"{level}"', title='"全员安全培训"',
                   start=f"{day}T08:30:00", end=f"{day}T17:30:00")


def test_k003_names_the_missing_levels(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "people/E2.toml": person("李梅", hired="2020-01-01"),
        "people/E3.toml": person("王五", hired="2020-01-01"),
        "sessions/S1.toml": leveled('{ person = "E1", score = 90 },\n  { person = "E2", score = 90 }', "company",
                                    "2023-09-01"),
        "sessions/S2.toml": leveled('{ person = "E2", score = 90 }', "workshop", "2023-10-09", kind="refresher"),
        "sessions/S3.toml": leveled('{ person = "E2", score = 90 }', "team", "2023-11-06", kind="other"),
        "sessions/S4.toml": all_staff('{ person = "E3", score = 90 }'),  # no level at all
    }, ruleset="ningxia-2023")
    fs = findings(root, as_of=AFTER, select=["K003"])
    assert [(f.code, f.subject, f.severity) for f in fs] == [("K003", "E1", "error"), ("K003", "E3", "error")]
    assert "车间(部门)级、班组(岗位)级" in fs[0].message_zh and "公司" not in fs[0].message_zh
    assert fs[0].citation == "宁夏方案 二(一)"


def test_k003_only_in_rotation_archives_and_not_for_k001s_people(memory_archive):
    files = {"people/E1.toml": person(hired="2020-01-01"), "people/E2.toml": person("李梅", hired="2020-01-01"),
             "sessions/S1.toml": all_staff('{ person = "E1", score = 90 }')}
    assert found(memory_archive(files, ruleset="ningxia-2023"), as_of=AFTER, select=["K001", "K003"]) == [
        ("K003", "E1", None), ("K001", "E2", None)]
    for config in ({"industry": "coal_mine", "ruleset": "ningxia-2023"}, {"ruleset": "national"}):
        assert found(memory_archive(files, **config), as_of=AFTER, select=["K003"]) == [], config


def test_k003_a_failed_or_out_of_window_level_does_not_count(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-01-01"),
        "sessions/S1.toml": leveled('{ person = "E1", score = 90 }', "company", "2023-09-01"),
        "sessions/S2.toml": leveled('{ person = "E1", score = 20 }', "workshop", "2023-10-09"),
        "sessions/S3.toml": leveled('{ person = "E1", score = 90 }', "team", "2024-01-10"),
    }, ruleset="ningxia-2023")
    fs = findings(root, as_of=date(2024, 6, 30), select=["K003"])
    assert [f.subject for f in fs] == ["E1"] and "车间(部门)级、班组(岗位)级" in fs[0].message_zh


# -- K004: gas safety where gas is used -------------------------------------------
def gas_archive(memory_archive, uses_gas: bool, topics: str):
    cfg = config(industry="catering", ruleset="ningxia-2023").replace("uses_gas = false", f"uses_gas = {str(uses_gas).lower()}")
    return memory_archive({
        "safetrain.toml": cfg,
        "people/E1.toml": person(hired="2020-01-01"),
        "people/E2.toml": person("李梅", hired="2020-01-01"),
        "sessions/S1.toml": all_staff('{ person = "E1", score = 90 }', topics=topics),
    })


def test_k004_warns_of_a_worker_without_gas_training(memory_archive):
    fs = findings(gas_archive(memory_archive, True, '["rules", "knowledge", "skills", "emergency"]'), as_of=AFTER,
                  select=["K"])
    assert [(f.code, f.subject, f.severity) for f in fs] == [("K004", "E1", "warning"), ("K001", "E2", "error")]
    assert "燃气使用安全培训" in fs[0].message_zh and fs[0].citation == "宁夏方案 二(七)"


def test_k004_passes_with_gas_and_is_off_without_gas(memory_archive):
    with_gas = '["rules", "knowledge", "skills", "emergency", "gas"]'
    assert found(gas_archive(memory_archive, True, with_gas), as_of=AFTER, select=["K004"]) == []
    assert found(gas_archive(memory_archive, False, '["rules"]'), as_of=AFTER, select=["K004"]) == []


def test_k_rules_judge_everyone_when_a_rule_set_switches_k001_off(memory_archive):
    """RULES.md: K002–K004 judge only people K001 does not report; with K001 off it reports nobody."""
    root = memory_archive({
        "rules/r.toml": 'extends = "ningxia-2023"\nname = "r"\n[rules]\nK001 = { enabled = false }\n',
        "people/E1.toml": person(hired="2020-01-01"),
        "safetrain.toml": config(industry="catering", ruleset="rules/r.toml").replace("uses_gas = false", "uses_gas = true"),
    })
    assert found(root, as_of=AFTER, select=["K"]) == [("K002", "E1", None), ("K004", "E1", None)]


def test_k_a_campaign_min_days_of_0_still_needs_a_day_employed_in_the_window(memory_archive):
    root = memory_archive({
        "rules/r.toml": 'extends = "ningxia-2023"\nname = "r"\n[figures.campaign_min_days]\nvalue = 0\n',
        "people/E1.toml": person(hired="2024-03-01"),  # never employed in the campaign
        "people/E2.toml": person(hired="2023-12-31"),  # one day
        "people/E3.toml": person(hired="2024-01-01"),  # the day after: none
    }, ruleset="rules/r.toml")
    assert found(root, as_of=date(2024, 6, 1), select=["K001"]) == [("K001", "E2", None)]
    # status's campaign coverage judges the same people (E1 and E3 were never employed in the window)
    from safetrain.api import check_files
    from safetrain.reports.summary import archive_summary

    campaign = archive_summary(check_files(root, date(2024, 6, 1)))["campaign"]
    assert (campaign["judged"], campaign["covered"]) == (1, 0)
    during = archive_summary(check_files(root, date(2023, 12, 31)))["campaign"]  # so far, inside the window
    assert (during["judged"], during["covered"]) == (1, 0)
