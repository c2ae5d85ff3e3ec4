"""Family P: training before the post (P001–P006)."""

from datetime import date

from helpers import findings, found, introduction, person, session


def pre_job(pid: str, level: str, day: str, hours: str = "8", score: str = "90", extra: str = "") -> str:
    """A one-day pre-job session at `level` on `day` (08:30–17:30) with one attendee."""
    return session(f'{{ person = "{pid}", score = {score}{extra} }}', level=f'"{level}"',
                   start=f"{day}T08:30:00", end=f"{day}T17:30:00", hours=hours)


def three_levels(pid: str, days=("2023-07-03", "2023-07-04", "2023-07-05")) -> dict[str, str]:
    """Company, workshop and team sessions of 8 学时 each for `pid`."""
    return {f"sessions/{pid}-{lv}.toml": pre_job(pid, lv, day)
            for lv, day in zip(("company", "workshop", "team"), days)}


# -- P001 ---------------------------------------------------------------------

def test_p001_session_ending_on_the_on_post_day_counts(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-05"),
        **three_levels("E1"),
    })
    assert found(root, select=["P"]) == []


def test_p001_session_ending_after_on_post_does_not_count(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-04"),
        **three_levels("E1", days=("2023-07-05", "2023-07-06", "2023-07-07")),
    })
    fs = findings(root, select=["P"])
    assert [(f.code, f.subject, f.period, f.line) for f in fs] == [("P001", "E1", None, 6)]
    assert "2023-07-04" in fs[0].message_zh and "张三" in fs[0].message_zh
    assert fs[0].citation == "安全生产法 第二十八条"


def test_p001_points_at_hired_when_on_post_is_the_default(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2023-07-03")})
    fs = findings(root, select=["P001"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("P001", "E1", 5)]


def test_p001_a_failed_attendee_is_not_trained(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-10"),
        "sessions/S1.toml": pre_job("E1", "company", "2023-07-05", hours="24", score="55"),
    })
    assert found(root, select=["P001", "P002"]) == [("P001", "E1", None)]


def test_p001_judges_only_on_post_in_the_window_and_by_as_of(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-06-01"),                       # before records_since
        "people/E2.toml": person(hired="2024-06-20", on_post="2024-07-01"),  # after as_of
        "people/E3.toml": person(hired="2023-07-01"),                       # the window's first day
    })
    assert found(root, select=["P001"]) == [("P001", "E3", None)]


def test_p001_skips_managers(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-08-01", roles='["safety_manager"]'),
        "people/E2.toml": person(hired="2023-08-01", roles='["special_operator"]'),
    })
    assert found(root, select=["P"]) == [("P001", "E2", None)]


def test_p001_waiver_silences_and_an_expired_one_does_not(memory_archive):
    waiver = '[{ rule = "P001", reason = "外派人员，由派遣单位培训", until = %s }]'
    root = memory_archive({
        "people/E1.toml": person(hired="2023-08-01", waivers=waiver % "2024-12-31"),
        "people/E2.toml": person(hired="2023-08-01", waivers=waiver % "2024-03-31"),
    })
    assert found(root, select=["P001", "A010"]) == [("P001", "E2", None), ("A010", "E2", None)]


# -- P002 ---------------------------------------------------------------------

def test_p002_partial_hours_leave_a_shortfall(memory_archive):
    files = {"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"), **three_levels("E1")}
    files["sessions/E1-team.toml"] = pre_job("E1", "team", "2023-07-05", extra=", hours = 4")
    root = memory_archive(files)
    fs = findings(root, select=["P"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("P002", "E1", 6)]
    assert "20 学时" in fs[0].message_zh and "24 学时" in fs[0].message_zh
    assert fs[0].citation == "培训规定 第十三条"


def test_p002_enough_hours_pass(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"), **three_levels("E1")})
    assert found(root, select=["P002"]) == []


def test_p002_construction_needs_32_with_its_own_citation(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"), **three_levels("E1")},
                        industry="construction")
    fs = findings(root, select=["P002"])
    assert [(f.code, f.subject) for f in fs] == [("P002", "E1")]
    assert "32 学时" in fs[0].message_zh and fs[0].citation == "安委10号"


def test_p002_high_risk_needs_72(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-10"),
        "sessions/S1.toml": session('{ person = "E1", score = 90 }', start="2023-07-03T08:00:00",
                                    end="2023-07-08T17:00:00", hours="64"),
    }, industry="coal_mine")
    fs = findings(root, select=["P002"])
    assert [(f.code, f.subject) for f in fs] == [("P002", "E1")]
    assert "64 学时" in fs[0].message_zh and "72 学时" in fs[0].message_zh


def test_p002_not_reported_with_p001(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2023-07-03")})
    assert found(root, select=["P"]) == [("P001", "E1", None)]


# -- P003 ---------------------------------------------------------------------

def test_p003_names_the_missing_levels(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
        "sessions/S1.toml": pre_job("E1", "company", "2023-07-03", hours="24"),
    })
    fs = findings(root, select=["P"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("P003", "E1", 6)]
    assert "车间(部门)级、班组(岗位)级" in fs[0].message_zh
    assert "workshop level, team level" in fs[0].message_en


def test_p003_a_failed_level_is_missing(memory_archive):
    files = {"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"), **three_levels("E1")}
    files["sessions/E1-workshop.toml"] = pre_job("E1", "workshop", "2023-07-04", score="40")
    fs = findings(memory_archive(files), select=["P003"])
    assert [(f.code, f.subject) for f in fs] == [("P003", "E1")]
    assert "车间(部门)级培训" in fs[0].message_zh


def test_p003_only_in_three_level_industries(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
        "sessions/S1.toml": pre_job("E1", "company", "2023-07-03", hours="24"),
    }, industry="catering")
    assert found(root, select=["P"]) == []


# -- P004 ---------------------------------------------------------------------

def test_p004_levels_out_of_order_is_a_warning(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
        **three_levels("E1", days=("2023-07-05", "2023-07-04", "2023-07-03")),
    })
    fs = findings(root, select=["P"])
    assert [(f.code, f.subject, f.severity) for f in fs] == [("P004", "E1", "warning")]
    assert fs[0].message_zh.index("班组(岗位)级") < fs[0].message_zh.index("公司(厂矿)级")


def test_p004_judges_the_levels_present(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
        "sessions/S1.toml": pre_job("E1", "team", "2023-07-03", hours="16"),
        "sessions/S2.toml": pre_job("E1", "company", "2023-07-04", hours="16"),
    })
    assert found(root, select=["P"]) == [("P003", "E1", None), ("P004", "E1", None)]


def test_p004_same_start_is_in_order(memory_archive):
    files = {"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
             **three_levels("E1", days=("2023-07-03", "2023-07-03", "2023-07-04"))}
    assert found(memory_archive(files), select=["P004"]) == []


# -- P005 ---------------------------------------------------------------------

CHANGE = """
[[changes]]
date = {date}
kind = "{kind}"
post = "钳工"
"""


def transfer(pid: str, level: str, day: str, score: str = "90") -> str:
    return session(f'{{ person = "{pid}", score = {score} }}', type='"transfer"', level=f'"{level}"',
                   title='"调岗安全培训"', start=f"{day}T08:30:00", end=f"{day}T12:00:00", hours="4")


def test_p005_change_on_the_first_day_of_the_window_is_judged(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01", extra=CHANGE.format(date="2023-07-01", kind="transfer")),
        "sessions/T1.toml": transfer("E1", "team", "2023-06-30"),
    })
    fs = findings(root, select=["P"])
    assert [(f.code, f.subject, f.period, f.line) for f in fs] == [("P005", "E1", "2023-07-01", 7)]
    assert "车间(部门)级" in fs[0].message_zh and "班组" not in fs[0].message_zh
    assert fs[0].citation == "培训规定 第十七条"


def test_p005_both_levels_before_the_change_pass(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01", extra=CHANGE.format(date="2024-03-01", kind="return")),
        "sessions/T1.toml": transfer("E1", "workshop", "2024-02-28"),
        "sessions/T2.toml": transfer("E1", "team", "2024-03-01"),
    })
    assert found(root, select=["P005"]) == []


def test_p005_change_before_the_window_or_after_as_of_is_not_judged(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01", extra=CHANGE.format(date="2023-06-30", kind="transfer")
                                 + CHANGE.format(date="2024-07-01", kind="transfer")),
    })
    assert found(root, select=["P005"]) == []


def test_p005_training_must_follow_the_previous_change(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01", extra=CHANGE.format(date="2023-09-01", kind="transfer")
                                 + CHANGE.format(date="2024-03-01", kind="transfer")),
        # trained once, for the first change (ending on its day): not after it, so not for the second
        "sessions/T1.toml": transfer("E1", "workshop", "2023-09-01"),
        "sessions/T2.toml": transfer("E1", "team", "2023-09-01"),
        # a failed attempt before the second change
        "sessions/T3.toml": transfer("E1", "workshop", "2024-02-01", score="30"),
    })
    fs = findings(root, select=["P005"])
    assert [(f.code, f.subject, f.period, f.line) for f in fs] == [("P005", "E1", "2024-03-01", 12)]
    assert "2023-09-01 之后" in fs[0].message_zh


def test_p005_skips_managers(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-03-01", roles='["principal"]',
                                                  extra=CHANGE.format(date="2024-03-01", kind="transfer"))})
    assert found(root, select=["P005"]) == []


def test_p005_waived_in_the_person_file(memory_archive):
    root = memory_archive({"people/E1.toml": person(
        hired="2020-03-01", waivers='[{ rule = "P005", reason = "同车间同工种调班，经安全科确认" }]',
        extra=CHANGE.format(date="2024-03-01", kind="transfer"))})
    assert found(root, select=["P005", "A011"]) == []
    assert found(root, as_of=date(2024, 2, 1), select=["P005", "A011"]) == [("A011", "E1", None)]


# -- P005 (v2): a return needs re-training after 12 months away ----------------
RETURN = '\n[[changes]]\ndate = {date}\nkind = "return"\naway_since = {away}\n'


def test_p005_return_away_exactly_twelve_months_needs_retraining(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-03-01",
                                                    extra=RETURN.format(date="2024-03-01", away="2023-03-01"))})
    fs = findings(root, select=["P005"])
    assert [(f.code, f.subject, f.period) for f in fs] == [("P005", "E1", "2024-03-01")]
    assert fs[0].citation == "培训规定 第十七条 (离岗一年以上)"


def test_p005_return_after_less_than_twelve_months_needs_none(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-03-01",
                                                    extra=RETURN.format(date="2024-03-01", away="2023-03-02"))})
    assert found(root, select=["P005"]) == []


def test_p005_return_without_away_since_counts_as_a_year_away(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-03-01",
                                                    extra=CHANGE.format(date="2024-03-01", kind="return"))})
    assert found(root, select=["P005"]) == [("P005", "E1", "2024-03-01")]


def test_p005_month_end_clamps_the_twelve_months(memory_archive):
    # 2023-02-28 + 12 months = 2024-02-28: a return on 2024-02-28 is a year away; on 2024-02-27 it is not
    away = memory_archive({"people/E1.toml": person(hired="2020-03-01",
                                                    extra=RETURN.format(date="2024-02-28", away="2023-02-28"))})
    assert found(away, select=["P005"]) == [("P005", "E1", "2024-02-28")]
    short = memory_archive({"people/E1.toml": person(hired="2020-03-01",
                                                     extra=RETURN.format(date="2024-02-27", away="2023-02-28"))})
    assert found(short, select=["P005"]) == []


# -- P006: training before a 四新 is used ---------------------------------------
def new_tech(pid: str, end: str, score: str = "90") -> str:
    return session(f'{{ person = "{pid}", score = {score} }}', type='"new_tech"', level=None, title='"四新培训"',
                   start=f"{end}T08:30:00", end=f"{end}T12:00:00", hours="4")


def test_p006_training_90_days_before_counts_and_91_does_not(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01"),
        "people/E2.toml": person("李梅", hired="2020-03-01"),
        "sessions/N1.toml": new_tech("E1", "2024-02-20"),  # 2024-05-20 − 90 days
        "sessions/N2.toml": new_tech("E2", "2024-02-19"),  # 91 days before
        "introductions/I1.toml": introduction("2024-05-20"),
    })
    fs = findings(root, select=["P006"])
    assert [(f.code, f.subject, f.period, f.file, f.line) for f in fs] == [
        ("P006", "E2", "2024-05-20", "introductions/I1.toml", 3)]
    assert "新设备「激光切割机」" in fs[0].message_zh and "90 日" in fs[0].message_zh
    assert fs[0].citation == "安全生产法 第二十九条（培训须在投入使用前；90日为规则集选择）"


def test_p006_training_on_the_day_counts_after_it_or_failed_does_not(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01"),
        "people/E2.toml": person("李梅", hired="2020-03-01"),
        "people/E3.toml": person("王五", hired="2020-03-01"),
        "sessions/N1.toml": new_tech("E1", "2024-05-20"),
        "sessions/N2.toml": new_tech("E2", "2024-05-21"),
        "sessions/N3.toml": new_tech("E3", "2024-05-10", score="30"),
        "introductions/I1.toml": introduction("2024-05-20"),
    })
    assert found(root, select=["P006"]) == [("P006", "E2", "2024-05-20"), ("P006", "E3", "2024-05-20")]


def test_p006_an_introduction_on_the_first_day_of_the_window_is_judged(memory_archive):
    files = {"people/E1.toml": person(hired="2020-03-01"), "introductions/I1.toml": introduction("2023-07-01")}
    assert found(memory_archive(files), select=["P006"]) == [("P006", "E1", "2023-07-01")]
    files["introductions/I1.toml"] = introduction("2023-06-30")  # the day before the window: not judged
    assert found(memory_archive(files), select=["P006"]) == []


def test_p006_judges_only_introductions_up_to_as_of(memory_archive):
    files = {"people/E1.toml": person(hired="2020-03-01"), "introductions/I1.toml": introduction("2024-07-01")}
    assert found(memory_archive(files), select=["P006"]) == []
    assert found(memory_archive(files), as_of=date(2024, 7, 1), select=["P006"]) == [("P006", "E1", "2024-07-01")]


def test_p006_who_is_affected(memory_archive):
    moved = '\n[[changes]]\ndate = 2024-05-01\nkind = "transfer"\ndepartment = "装配车间"\npost = "装配工"\n'
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01", department='"装配车间"', post='"焊工"'),  # listed post
        "people/E2.toml": person("李梅", hired="2020-03-01", extra=moved),  # moved out before the date
        "people/E3.toml": person("王五", hired="2024-05-21"),  # not yet employed on the date
        "people/E4.toml": person("赵六", hired="2020-03-01", left="2024-05-19"),  # left before it
        "people/E5.toml": person("钱七", hired="2020-03-01", roles='["safety_manager"]'),  # managers too
        "people/E6.toml": person("孙八", hired="2020-03-01", department='"装配车间"', post='"装配工"'),
        "introductions/I1.toml": introduction("2024-05-20", posts='["焊工"]'),
    })
    assert found(root, select=["P006"]) == [("P006", "E1", "2024-05-20"), ("P006", "E5", "2024-05-20")]


def test_p006_waived_in_the_person_file(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2020-03-01", waivers='[{ rule = "P006", reason = "不操作该设备，仅在同车间" }]'),
        "introductions/I1.toml": introduction("2024-05-20"),
    })
    assert found(root, select=["P006", "A011"]) == []


def test_p002_p003_judge_everyone_when_a_rule_set_switches_p001_off(memory_archive):
    """RULES.md: P002/P003 apply "only when P001 does not fire" — switched off, it never does."""
    files = {"people/E1.toml": person(hired="2023-08-01")}
    on = memory_archive(files)
    assert found(on, select=["P"]) == [("P001", "E1", None)]
    off = memory_archive({**files, "rules/r.toml": 'extends = "national"\nname = "r"\n[rules]\nP001 = { enabled = false }\n'},
                         ruleset="rules/r.toml")
    assert found(off, select=["P"]) == [("P002", "E1", None), ("P003", "E1", None)]


def test_p002_hours_that_add_up_to_the_figure_meet_it(memory_archive):
    """6.6 + 9.7 + 7.7 is 23.999999999999996 in binary floats: P002 said "计 24 学时，少于规定的 24 学时"."""
    files = {"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06")}
    for lv, day, hours in (("company", "2023-07-03", "6.6"), ("workshop", "2023-07-04", "9.7"),
                           ("team", "2023-07-05", "7.7")):
        files[f"sessions/E1-{lv}.toml"] = pre_job("E1", lv, day, hours=hours)
    assert found(memory_archive(files), select=["P002"]) == []
    files["sessions/E1-team.toml"] = pre_job("E1", "team", "2023-07-05", hours="7.6")
    fs = findings(memory_archive(files), select=["P002"])
    assert [f.code for f in fs] == ["P002"] and "23.9 学时" in fs[0].message_zh


def test_p002_hours_just_short_are_printed_short(memory_archive):
    """15.99999 + 8: 23.99999 hours against 24 is a shortfall, and the message said "计 24 学时，少于规定的
    24 学时" (six significant digits); printed as compared now (numbers.number_text), as the documents
    and the matrix print it."""
    files = {"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06")}
    for lv, day, hours in (("company", "2023-07-03", "15.99999"), ("workshop", "2023-07-04", "4"),
                           ("team", "2023-07-05", "4")):
        files[f"sessions/E1-{lv}.toml"] = pre_job("E1", lv, day, hours=hours)
    [f] = findings(memory_archive(files), select=["P002"])
    assert "计 23.99999 学时，少于规定的 24 学时" in f.message_zh and "had 23.99999 hours" in f.message_en
