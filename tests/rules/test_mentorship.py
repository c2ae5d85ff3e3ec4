"""Family M: mentor and apprentice (师带徒)."""

from datetime import date

from helpers import findings, found, mentorship, person

from safetrain.api import load_archive, ruleset_for
from safetrain.rules.mentorship import mentor_problems

COAL = {"industry": "coal_mine"}

# A qualified mentor: senior, on the post since 2012, no violations.
MENTOR = person("李师傅", hired="2010-03-01", post_since="2012-01-01", skill_level='"senior"')


def apprentice(hired: str = "2023-07-20", **keys) -> str:
    return person("王徒弟", hired=hired, **keys)


def archive(memory_archive, files: dict[str, str], **config):
    files = {"people/M1.toml": MENTOR, "people/A1.toml": apprentice(), **files}
    return memory_archive(files, **(config or COAL))


# -- M001 ---------------------------------------------------------------------
def test_m001_new_worker_without_mentorship(memory_archive):
    root = archive(memory_archive, {"people/A2.toml": apprentice(hired="2023-07-03", on_post="2023-08-01"),
                                  "mentorships/A1.toml": mentorship()})
    fs = findings(root, select=["M001"])
    assert [(f.code, f.subject, f.period, f.line, f.file) for f in fs] == [("M001", "A2", None, 6, "people/A2.toml")]
    assert "2023-08-01" in fs[0].message_zh and "mentorships/A2.toml" in fs[0].message_en
    assert fs[0].citation == "培训规定 第十九条; 宁夏方案 二(八)"


def test_m001_line_falls_back_to_hired(memory_archive):
    root = archive(memory_archive, {})
    assert [(f.subject, f.line) for f in findings(root, select=["M001"])] == [("A1", 5)]


def test_m001_passes(memory_archive):
    root = archive(memory_archive, {
        "mentorships/A1.toml": mentorship(),
        "people/B1.toml": apprentice(roles='["safety_manager"]'),      # a manager: judged by Y003/C005
        "people/B2.toml": apprentice(hired="2023-06-01"),              # on the post before the window
        "people/B3.toml": apprentice(hired="2024-07-01"),              # on the post after as_of
        "people/B4.toml": apprentice(),
        "mentorships/B4.toml": 'mentor = "M1"\n',                      # broken (A002): a file, not judged
    })
    # M1 (hired 2010) is before the window too; the broken file's A002 is reported whatever is selected
    got = found(root, select=["M001"])
    assert got and {(code, subject) for code, subject, _ in got} == {("A002", "B4")}


def test_m001_a_mentorship_dated_after_as_of_does_not_count_yet(memory_archive):
    """RULES.md Terms: "nothing dated after it counts"."""
    root = archive(memory_archive, {"mentorships/A1.toml": mentorship(start="2024-07-01")})
    fs = findings(root, as_of=date(2024, 6, 1), select=["M001"])
    assert [(f.code, f.subject) for f in fs] == [("M001", "A1")]
    assert "2024-07-01" in fs[0].message_zh and "mentorships/A1.toml" in fs[0].message_en
    assert found(root, as_of=date(2024, 7, 1), select=["M001"]) == []


def test_m001_only_in_mentorship_industries(memory_archive):
    root = archive(memory_archive, {}, industry="manufacturing")
    assert found(root, select=["M001", "M004"]) == []


# -- M002 ---------------------------------------------------------------------
def m002(memory_archive, mentor: str, start: str = "2023-07-20", **config):
    root = archive(memory_archive, {"people/M1.toml": mentor, "mentorships/A1.toml": mentorship(start=start)}, **config)
    return findings(root, select=["M002"])


def test_m002_qualified_mentor_passes(memory_archive):
    assert m002(memory_archive, MENTOR) == []


def test_m002_passes_in_any_industry(memory_archive):
    fs = m002(memory_archive, person("李师傅", hired="2024-01-01"), industry="manufacturing")
    assert [(f.code, f.subject) for f in fs] == [("M002", "A1")]


def test_m002_mentor_hired_after_the_start(memory_archive):
    fs = m002(memory_archive, person("李师傅", hired="2023-08-01", post_since="2012-01-01", skill_level='"senior"'))
    assert [(f.code, f.subject, f.period, f.line, f.file) for f in fs] == [("M002", "A1", None, 1, "mentorships/A1.toml")]
    assert "尚未入职" in fs[0].message_zh and "not yet hired" in fs[0].message_en
    assert fs[0].citation == "煤矿培训规定"  # no figure decided: the rule's citation


def test_m002_mentor_left_before_the_start(memory_archive):
    fs = m002(memory_archive, person("李师傅", hired="2010-03-01", left="2023-07-19", post_since="2012-01-01",
                                   skill_level='"senior"'))
    assert len(fs) == 1 and "left 2023-07-19" in fs[0].message_en


def test_m002_every_reason_in_one_finding(memory_archive):
    fs = m002(memory_archive, person("李师傅", hired="2023-01-01", post_since="2021-08-01", skill_level='"junior"',
                                   extra="[[violations]]\ndate = 2023-05-01\nnote = \"未戴安全帽\"\n"))
    assert len(fs) == 1
    en = fs[0].message_en
    assert "skill level junior is below intermediate" in en
    assert "1 year 11 months on the post (since 2021-08-01), less than 3 years" in en
    assert "violations in the 3 years before the start: 2023-05-01 (未戴安全帽)" in en
    assert "技能等级初级工低于中级工" in fs[0].message_zh
    assert fs[0].citation == "煤矿培训规定; 煤矿培训规定 (没有违章)"


def test_m002_missing_skill_and_post_since_count_as_none(memory_archive):
    fs = m002(memory_archive, person("李师傅", hired="2010-03-01"))
    assert "no skill level recorded" in fs[0].message_en
    assert "no post_since recorded, so no years on the post" in fs[0].message_en


def test_m002_years_counted_to_the_start_date(memory_archive):
    mentor = person("李师傅", hired="2010-03-01", post_since="2020-07-21", skill_level='"senior"')
    assert len(m002(memory_archive, mentor, start="2023-07-20")) == 1  # one day short of 3 years
    assert m002(memory_archive, mentor, start="2023-07-21") == []


def violator(day: str) -> str:
    return person("李师傅", hired="2010-03-01", post_since="2012-01-01", skill_level='"senior"',
                  extra=f"[[violations]]\ndate = {day}\n")


def test_m002_violation_2_years_364_days_before_trips(memory_archive):
    # start 2024-03-01; 2 years 364 days before is 2021-03-02
    fs = m002(memory_archive, violator("2021-03-02"), start="2024-03-01")
    assert [(f.code, f.subject) for f in fs] == [("M002", "A1")]
    assert fs[0].citation == "煤矿培训规定 (没有违章)"


def test_m002_violation_3_years_1_day_before_passes(memory_archive):
    assert m002(memory_archive, violator("2021-02-28"), start="2024-03-01") == []


def test_m002_violation_exactly_3_years_before_passes(memory_archive):
    assert m002(memory_archive, violator("2021-03-01"), start="2024-03-01") == []


def test_m002_violation_on_the_start_day_trips_after_it_passes(memory_archive):
    assert len(m002(memory_archive, violator("2024-03-01"), start="2024-03-01")) == 1
    assert m002(memory_archive, violator("2024-03-02"), start="2024-03-01") == []


def test_m002_mentor_is_the_apprentice(memory_archive):
    root = archive(memory_archive, {"people/A1.toml": MENTOR, "mentorships/A1.toml": mentorship(mentor="A1")})
    fs = findings(root, select=["M002"])
    assert [f.message_en.split(": ", 1)[1] for f in fs] == ["the mentor is the apprentice"]


def test_m002_unknown_or_broken_mentor_is_not_judged(memory_archive):
    root = archive(memory_archive, {"mentorships/A1.toml": mentorship(mentor="X9"),
                                  "people/M2.toml": 'name = "坏档案"\n',
                                  "people/A2.toml": apprentice(),
                                  "mentorships/A2.toml": mentorship(mentor="M2")})
    # the broken person file's A002 is reported whatever is selected; M002/M003/M005 judge nothing
    assert {f[0] for f in found(root, select=["M002", "M003", "M005"])} == {"A002"}
    assert ("A003", "A1", None) in found(root, select=["A003"])


def test_m002_future_mentorship_not_judged(memory_archive):
    assert m002(memory_archive, person("李师傅", hired="2024-07-01"), start="2024-07-10") == []


def test_mentor_problems_is_the_one_definition(make_archive):
    root = archive(make_archive, {})
    a, _ = load_archive(root)
    rs = ruleset_for(a)
    e = a.config.enterprise
    assert mentor_problems(a.people["M1"], "A1", date(2023, 7, 20), rs, e) == []
    codes = [r.code for r in mentor_problems(a.people["A1"], "A1", date(2023, 7, 1), rs, e)]
    assert codes == ["not_employed", "is_apprentice", "skill_level", "years_on_post"]
    assert [r.code for r in mentor_problems(None, "A1", date(2023, 7, 1), rs, e)] == ["unknown"]


# -- M003 ---------------------------------------------------------------------
def m003(memory_archive, files: dict[str, str], as_of=date(2024, 6, 30)):
    people = {f"people/{f.split('/')[1][:-5]}.toml": apprentice() for f in files}
    root = archive(memory_archive, {**people, **files})
    return findings(root, as_of, select=["M003"])


def test_m003_three_at_once_trips(memory_archive):
    fs = m003(memory_archive, {
        "mentorships/A1.toml": mentorship(start="2023-07-20", end="2023-11-20"),
        "mentorships/A2.toml": mentorship(start="2023-08-01", end="2023-12-01"),
        "mentorships/A3.toml": mentorship(start="2023-08-15", signed_off="2023-12-20"),
    })
    # RULES.md v2: M003 has no period; the message names the days
    assert [(f.code, f.subject, f.period, f.file, f.line) for f in fs] == [
        ("M003", "M1", None, "mentorships/A3.toml", 1)]
    assert fs[0].message_en == ("mentor M1 has 3 apprentices at once from 2023-08-15 to 2023-11-20 "
                                "(A1, A2, A3), more than the limit of 2")
    assert fs[0].citation == "师带徒管理惯例（可配置）"


def test_m003_capacity_exactly_at_the_figure_passes(memory_archive):
    assert m003(memory_archive, {
        "mentorships/A1.toml": mentorship(start="2023-07-20", end="2023-11-20"),
        "mentorships/A2.toml": mentorship(start="2023-08-01", end="2023-12-01"),
        "mentorships/A3.toml": mentorship(start="2023-11-21", end="2024-03-21"),  # after A1 ended
    }) == []


def test_m003_days_are_inclusive(memory_archive):
    # A1 signed off on 2023-11-20, the day A3 starts: three run on that day.
    fs = m003(memory_archive, {
        "mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-11-20"),
        "mentorships/A2.toml": mentorship(start="2023-08-01", end="2023-12-01"),
        "mentorships/A3.toml": mentorship(start="2023-11-20", end="2024-03-20"),
    })
    assert [(f.subject, f.period) for f in fs] == [("M1", None)]
    assert "from 2023-11-20 to 2023-11-20" in fs[0].message_en


def test_m003_without_sign_off_runs_to_as_of(memory_archive):
    files = {
        "mentorships/A1.toml": mentorship(start="2023-07-20"),  # no end, no sign-off
        "mentorships/A2.toml": mentorship(start="2024-05-01", end="2024-09-01"),
        "mentorships/A3.toml": mentorship(start="2024-06-01", end="2024-10-01"),
    }
    fs = m003(memory_archive, files)
    assert [(f.subject, f.period) for f in fs] == [("M1", None)]
    assert "from 2024-06-01 to 2024-06-30" in fs[0].message_en
    # Judged on 2024-05-31, A3 has not started yet.
    assert m003(memory_archive, files, as_of=date(2024, 5, 31)) == []


def test_m003_once_per_mentor_at_the_peak(memory_archive):
    fs = m003(memory_archive, {
        "mentorships/A1.toml": mentorship(start="2023-07-01", end="2023-08-31"),
        "mentorships/A2.toml": mentorship(start="2023-07-01", end="2023-08-31"),
        "mentorships/A3.toml": mentorship(start="2023-07-01", end="2023-08-31"),
        "mentorships/A4.toml": mentorship(start="2023-10-01", end="2024-01-31"),
        "mentorships/A5.toml": mentorship(start="2023-10-01", end="2024-01-31"),
        "mentorships/A6.toml": mentorship(start="2023-10-01", end="2024-01-31"),
        "mentorships/A7.toml": mentorship(start="2023-11-01", end="2024-01-31"),
    })
    assert [(f.subject, f.period) for f in fs] == [("M1", None)]
    assert "4 apprentices at once from 2023-11-01 to 2024-01-31 (A4, A5, A6, A7)" in fs[0].message_en


# -- M004 ---------------------------------------------------------------------
def test_m004_signed_off_too_early(memory_archive):
    root = archive(memory_archive, {"mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-09-19")})
    fs = findings(root, select=["M004"])
    assert [(f.code, f.subject, f.period, f.line) for f in fs] == [("M004", "A1", None, 4)]
    assert "earliest 2023-09-20" in fs[0].message_en and "2 months" in fs[0].message_en
    assert fs[0].citation == "安委10号 (高危企业新职工 实习至少2个月)"


def test_m004_two_months_exactly_passes(memory_archive):
    root = archive(memory_archive, {"mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-09-20")})
    assert found(root, select=["M004"]) == []


def test_m004_underground_in_a_coal_mine_needs_four_months(memory_archive):
    files = {"people/A1.toml": apprentice(underground="true"),
             "people/A2.toml": apprentice(),
             "mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-11-19"),
             "mentorships/A2.toml": mentorship(start="2023-07-20", signed_off="2023-11-19")}
    fs = findings(archive(memory_archive, files), select=["M004"])
    assert [(f.subject, f.citation) for f in fs] == [("A1", "煤矿培训规定 (井下作业人员 实习满四个月)")]
    assert "earliest 2023-11-20" in fs[0].message_en
    files["mentorships/A1.toml"] = mentorship(start="2023-07-20", signed_off="2023-11-20")
    assert found(archive(memory_archive, files), select=["M004"]) == []


def test_m004_underground_outside_coal_mines_is_two_months(memory_archive):
    files = {"people/A1.toml": apprentice(underground="true"),
             "mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-09-20")}
    assert found(archive(memory_archive, files, industry="non_coal_mine"), select=["M004"]) == []
    files["mentorships/A1.toml"] = mentorship(start="2023-07-20", signed_off="2023-09-19")
    assert found(archive(memory_archive, files, industry="non_coal_mine"), select=["M004"]) == [("M004", "A1", None)]


def test_m001_and_m004_cover_the_five_industries_of_article_19(memory_archive):
    files = {"mentorships/A2.toml": mentorship(start="2023-07-20", signed_off="2023-08-01"),
             "people/A2.toml": apprentice()}
    for industry in ("coal_mine", "non_coal_mine", "hazardous_chemicals", "fireworks", "metal_smelting"):
        assert found(archive(memory_archive, files, industry=industry), select=["M001", "M004"]) == [
            ("M004", "A2", None), ("M001", "A1", None)], industry
    for industry in ("construction", "manufacturing", "road_transport"):
        assert found(archive(memory_archive, files, industry=industry), select=["M001", "M004"]) == [], industry


def test_m004_passes(memory_archive):
    ok = archive(memory_archive, {"mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-11-20"),
                                "people/A2.toml": apprentice(),
                                "mentorships/A2.toml": mentorship(start="2024-05-01", signed_off="2024-07-01"),
                                "people/A3.toml": apprentice(),
                                "mentorships/A3.toml": mentorship(start="2023-10-31", end="2024-01-01")})
    assert found(ok, select=["M004"]) == []  # A2 signed off after as_of; A3 not signed off


def test_m004_month_end_clamps(memory_archive):
    root = archive(memory_archive, {"people/A1.toml": apprentice(underground="true"),
                                    "mentorships/A1.toml": mentorship(start="2023-10-31", signed_off="2024-02-29")})
    assert found(root, select=["M004"]) == []  # 2023-10-31 + 4 months = 2024-02-29
    root = archive(memory_archive, {"people/A1.toml": apprentice(underground="true"),
                                    "mentorships/A1.toml": mentorship(start="2023-10-31", signed_off="2024-02-28")})
    assert found(root, select=["M004"]) == [("M004", "A1", None)]


# -- M005 ---------------------------------------------------------------------
TRANSFERRED = person("李师傅", hired="2010-03-01", post_since="2012-01-01", skill_level='"senior"', post='"井下电工"',
                     extra='[[changes]]\ndate = 2023-03-01\nkind = "transfer"\npost = "车工"\n')


def test_m005_uses_the_post_on_the_start_date(memory_archive):
    root = archive(memory_archive, {"people/M1.toml": TRANSFERRED,
                                  "mentorships/A1.toml": mentorship(start="2023-02-20"),
                                  "people/A2.toml": apprentice(),
                                  "mentorships/A2.toml": mentorship(start="2023-07-20")})
    fs = findings(root, select=["M005"])
    assert [(f.code, f.subject, f.severity, f.line) for f in fs] == [("M005", "A1", "warning", 2)]
    assert fs[0].message_en == "on the start date 2023-02-20 mentor M1 works as 井下电工, not 车工"


def test_m005_passes_on_the_same_post(memory_archive):
    root = archive(memory_archive, {"mentorships/A1.toml": mentorship()})
    assert found(root, select=["M"]) == []


def test_waiver_in_the_mentorship_silences_m005(memory_archive):
    root = archive(memory_archive, {"people/M1.toml": TRANSFERRED,
                                  "mentorships/A1.toml": mentorship(start="2023-02-20") +
                                  'waivers = [{ rule = "M005", reason = "矿长批准临时跨岗带徒" }]\n'})
    assert found(root, select=["M005", "A011"]) == []
