"""Family C: certificates (C001–C006) and the certificate state they share with the views."""

from datetime import date

from helpers import AS_OF, certificate, findings, found, person, session

from safetrain.api import check_path
from safetrain.rules.certstatus import person_certificates

OPERATOR = '["special_operator"]'


def states(root, as_of: date = AS_OF) -> dict[str, str]:
    """certificate number -> state on as_of, for every person (what the views show)."""
    result = check_path(root, as_of)
    enterprise = result.archive.config.enterprise
    return {cs.certificate.number: cs.state for p in result.archive.people.values()
            for cs in person_certificates(p, result.ruleset, enterprise, as_of)}


# -- C001 ---------------------------------------------------------------------

def test_c001_special_operator_without_any_certificate(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(roles=OPERATOR),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(issued="2024-07-01", expires="2030-06-30")),
        "people/E3.toml": person(roles=OPERATOR, extra=certificate(issued="2018-03-01", expires="2024-02-28")),
        "people/E4.toml": person(roles=OPERATOR, extra=certificate()),
        "people/E5.toml": person(roles=OPERATOR, left="2024-05-31"),
        "people/E6.toml": person(extra=certificate(kind="other", category="叉车")),
    })
    fs = findings(root, select=["C001"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("C001", "E1", 6), ("C001", "E2", 6)]
    assert "张三（E1）" in fs[0].message_zh and fs[0].citation == "安全生产法 第三十条; 特种作业规定"


# -- C002 ---------------------------------------------------------------------

def test_c002_expired_certificate_names_its_number(memory_archive):
    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        number="T001", issued="2018-06-01", expires="2024-05-31", reviews="2021-05-10"))})
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("C002", "E1", 8)]
    assert "T001（特种作业操作证 低压电工作业）" in fs[0].message_zh and "2024-05-31" in fs[0].message_zh


def test_c002_expiring_on_as_of_is_still_valid(memory_archive):
    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        number="T001", issued="2018-07-01", expires="2024-06-30", reviews="2021-06-01"))})
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject, f.severity) for f in fs] == [("C004", "E1", "warning")]
    assert "还有 0 天" in fs[0].message_zh
    assert found(root, as_of=date(2024, 7, 1), select=["C"]) == [("C002", "E1", None)]


def test_c002_not_when_renewed_and_only_the_latest_lapse(make_archive):
    root = make_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(number="OLD", issued="2018-03-01",
                                                                  expires="2024-02-28", reviews="2021-02-01")
                                 + certificate(number="NEW", issued="2024-02-20", expires="2030-02-19")),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(number="A", issued="2012-03-01",
                                                                  expires="2018-02-28", reviews="2015-02-01")
                                 + certificate(number="B", issued="2018-03-01", expires="2024-02-28",
                                               reviews="2021-02-01")),
        "people/E3.toml": person(roles=OPERATOR, extra=certificate(number="C", issued="2018-03-01",
                                                                  expires="2024-02-28", reviews="2021-02-01")
                                 + certificate(number="D", category="焊接与热切割作业", issued="2023-03-01",
                                               expires="2029-02-28")),
    })
    fs = findings(root, select=["C002"])
    assert [(f.subject, f.line) for f in fs] == [("E2", 16), ("E3", 8)]
    assert "B（" in fs[0].message_zh and "C（" in fs[1].message_zh
    assert states(root)["A"] == "superseded" and states(root)["OLD"] == "superseded"


def test_the_newer_certificate_replaces_the_older_whatever_their_expiry(make_archive):
    """A certificate issued in 2024 beside one of 2018 marked 长期有效 (9999-12-31): the new one was
    labelled superseded (by expiry, the old one "ran longer") and the old one judged, review overdue
    (C003), status counting 0 valid. The one issued later is the one in force; issued the same day,
    the one that runs longer."""
    root = make_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(number="OLD", issued="2018-04-22",
                                                                  expires="9999-12-31")
                                 + certificate(number="NEW", issued="2024-03-23", expires="2030-03-22")),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(number="A", issued="2023-03-01", expires="2029-02-28")
                                 + certificate(number="B", issued="2023-03-01", expires="2026-02-28")),
    })
    assert states(root, date(2024, 4, 23)) == {"OLD": "superseded", "NEW": "valid", "A": "valid", "B": "superseded"}
    assert found(root, date(2024, 4, 23), select=["C"]) == []


def test_c002_waived_in_the_person_file(memory_archive):
    root = memory_archive({"people/E1.toml": person(
        roles=OPERATOR, waivers='[{ rule = "C002", reason = "已调离特种作业岗位，证书不再需要" }]',
        extra=certificate(issued="2018-03-01", expires="2024-02-28", reviews="2021-02-01"))})
    assert found(root, select=["C", "A011"]) == []


# -- C003 ---------------------------------------------------------------------

def test_c003_a_review_eleven_months_before_the_due_date_counts(memory_archive):
    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        issued="2020-03-01", expires="2026-02-28", reviews="2022-04-01"))})
    assert found(root, select=["C"]) == []


def test_c003_a_review_thirteen_months_before_does_not(memory_archive):
    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        number="T9", issued="2020-03-01", expires="2026-02-28", reviews="2022-02-01"))})
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("C003", "E1", 8)]
    assert "T9" in fs[0].message_zh and "2023-03-01" in fs[0].message_zh
    assert fs[0].citation == "特种作业规定 第二十一条"
    # the review on file is named as too early, not passed over as if there were none
    assert "最近一次复审 2022-02-01 早于应复审日前一年，不算" in fs[0].message_zh
    assert "no review in the year before it (the last on file, 2022-02-01, was earlier)" in fs[0].message_en


def test_c003_with_no_review_on_file_says_none(memory_archive):
    """A review after as_of has not happened yet: the message says no review, naming none."""
    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        issued="2020-03-01", expires="2026-02-28", reviews="2024-07-05"))})
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject) for f in fs] == [("C003", "E1")]
    assert fs[0].message_zh.endswith("天未复审") and "最近一次复审" not in fs[0].message_zh
    assert "; no review, " in fs[0].message_en and "on file" not in fs[0].message_en


def test_c003_a_late_review_counts_and_none_does_not(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2020-03-01", expires="2026-02-28",
                                                                  reviews="2023-05-10")),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(issued="2020-03-01", expires="2026-02-28")),
        "people/E3.toml": person(extra=certificate(kind="manager", category="", issued="2020-03-01",
                                                   expires="2026-02-28")),
    })
    assert found(root, select=["C"]) == [("C003", "E2", None)]


def test_c003_a_review_due_on_as_of_is_not_yet_late(memory_archive):
    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        issued="2021-06-30", expires="2027-06-29"))})
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject) for f in fs] == [("C004", "E1")]
    assert "应于 2024-06-30 复审" in fs[0].message_zh
    assert found(root, as_of=date(2024, 7, 1), select=["C"]) == [("C003", "E1", None)]


# -- C004 ---------------------------------------------------------------------

def test_c004_special_operation_window_is_60_days(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(number="IN", issued="2018-09-01",
                                                                  expires="2024-08-29", reviews="2021-08-01")),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(number="OUT", issued="2018-09-01",
                                                                  expires="2024-08-30", reviews="2021-08-01")),
    })
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("C004", "E1", 8)]
    assert "2024-08-29" in fs[0].message_zh and "60 天" in fs[0].message_zh
    assert fs[0].citation == "特种作业规定 第二十二条"


def test_c004_other_certificates_warn_30_days_ahead(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(extra=certificate(number="M1", kind="manager", category="", issued="2021-08-01",
                                                   expires="2024-07-30")),
        "people/E2.toml": person(extra=certificate(number="M2", kind="manager", category="", issued="2021-08-01",
                                                   expires="2024-07-31")),
    })
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject) for f in fs] == [("C004", "E1")]
    assert fs[0].citation == "培训管理办法 第二十五条"


def test_c004_review_falling_due_within_the_window(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2021-08-20", expires="2027-08-19")),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(issued="2021-08-20", expires="2027-08-19",
                                                                  reviews="2024-06-01")),
    })
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject) for f in fs] == [("C004", "E1")]
    assert "应于 2024-08-20 复审" in fs[0].message_zh


def test_c004_a_certificate_whose_review_is_overdue_still_warns_of_what_falls_due_next(memory_archive):
    """RULES.md C004: "a certificate expiring, or a review falling due, within its warning
    window" — C003 for the overdue review does not take that away. E1: issued 2018-08-15,
    review due 2021-08-15 never recorded, expires 2024-08-15 (46 days after as_of). E2 runs to
    2024-08-30, so its next review falls due on 2024-08-15, before it expires: that review is
    what C004 names (as for a certificate whose reviews are in order). E3: the second review
    62 days ahead, outside the 60-day window: C003 alone."""
    root = memory_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2018-08-15", expires="2024-08-15")),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(issued="2018-08-15", expires="2024-08-30")),
        "people/E3.toml": person(roles=OPERATOR, extra=certificate(issued="2018-08-31", expires="2030-08-30")),
    })
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject) for f in fs] == [("C003", "E1"), ("C004", "E1"), ("C003", "E2"), ("C004", "E2"),
                                                  ("C003", "E3")]
    c004 = fs[1]
    assert "将于 2024-08-15 到期（还有 46 天）" in c004.message_zh and "expires on 2024-08-15" in c004.message_en
    # no space between a full-width bracket and the Chinese after it (C002–C004 alike)
    assert "） " not in "".join(f.message_zh for f in fs) and "）将于" in c004.message_zh
    assert c004.citation == "特种作业规定 第二十二条" and c004.line == fs[0].line
    review = fs[3]
    assert "应于 2024-08-15 复审（还有 46 天）" in review.message_zh and "is due for review on 2024-08-15" \
        in review.message_en
    assert review.citation == "特种作业规定 第二十二条" and review.line == fs[2].line


def test_c004_the_next_review_beside_an_overdue_one_counts_a_review_taken_for_it(memory_archive):
    """Issued 2018-08-01 with no review: 2021-08-01 overdue (C003) and 2024-08-01 32 days ahead
    (C004). A review on 2024-06-01 satisfies both (after the first due date, within the year
    before the second): neither is reported."""
    root = memory_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2018-08-01", expires="2030-07-31")),
        "people/E2.toml": person(roles=OPERATOR, extra=certificate(issued="2018-08-01", expires="2030-07-31",
                                                                  reviews="2024-06-01")),
    })
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject) for f in fs] == [("C003", "E1"), ("C004", "E1")]
    assert "应于 2021-08-01 复审" in fs[0].message_zh and "应于 2024-08-01 复审（还有 32 天）" in fs[1].message_zh


def _uncategorised(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith("category ="))


def test_c004_certificates_without_a_category_do_not_hide_each_other(make_archive):
    """A forklift licence expiring in 10 days beside a first-aid certificate, both `other`
    with no category: the licence is still C004's (it is no renewal of the other). With the
    same category named on both, the longer one is an early renewal and the old one is left
    alone (superseded), as it is once lapsed (C002's "no valid one of the same kind and
    category")."""
    forklift = certificate("FORKLIFT", "other", "", "2021-07-10", "2024-07-10")
    first_aid = certificate("FIRSTAID", "other", "", "2023-01-01", "2026-01-01")
    root = make_archive({
        "people/E1.toml": person(extra=_uncategorised(forklift + first_aid)),
        "people/E2.toml": person(extra=certificate("OLD", "other", "叉车", "2021-07-10", "2024-07-10")
                                 + certificate("NEW", "other", "叉车", "2024-06-01", "2027-05-31")),
    })
    fs = findings(root, select=["C"])
    assert [(f.code, f.subject) for f in fs] == [("C004", "E1")]
    assert "FORKLIFT" in fs[0].message_zh and "将于 2024-07-10 到期（还有 10 天）" in fs[0].message_zh
    assert states(root) == {"FORKLIFT": "expiring", "FIRSTAID": "valid", "OLD": "superseded", "NEW": "valid"}


def test_c003_judges_a_certificate_in_force_that_another_of_its_kind_without_a_category_outlasts(make_archive):
    """Two special operation certificates with no category: the older one, still in force, is
    judged on its own (review due 2022-01-10, none recorded: C003)."""
    root = make_archive({"people/E1.toml": person(roles=OPERATOR, extra=_uncategorised(
        certificate("OLD", issued="2019-01-10", expires="2025-01-09")
        + certificate("NEW", issued="2023-06-01", expires="2029-05-31")))})
    assert [(f.code, f.subject) for f in findings(root, select=["C"])] == [("C003", "E1")]
    assert states(root) == {"OLD": "review_overdue", "NEW": "valid"}


def test_c004_is_exactly_what_the_certificate_state_calls_expiring(make_archive):
    root = make_archive({
        "people/E1.toml": person(roles=OPERATOR, extra=certificate(number="A", issued="2021-08-20",
                                                                  expires="2027-08-19")
                                 + certificate(number="B", kind="manager", category="", issued="2021-08-01",
                                               expires="2024-07-10")
                                 + certificate(number="C", kind="other", category="叉车", issued="2020-08-01",
                                               expires="2028-07-10")),
        "people/E2.toml": person(left="2024-06-01", extra=certificate(number="D", kind="other", category="叉车",
                                                                     issued="2020-08-01", expires="2024-07-10")),
    })
    reported = {f.message_zh.split("证书 ")[1].split("（")[0] for f in findings(root, select=["C004"])}
    assert reported == {"A", "B"}
    assert {n for n, s in states(root).items() if s in ("expiring", "review_due")} == {"A", "B", "D"}


# -- C005 ---------------------------------------------------------------------

MANAGER = '["safety_manager"]'


def test_c005_manager_of_a_key_industry_past_six_months_without_certificate(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="2023-08-01", on_post="2023-09-01", roles=MANAGER),
        "people/E2.toml": person(hired="2023-08-01", roles=MANAGER, extra=certificate(
            kind="manager", category="", issued="2023-12-01", expires="2026-11-30")),
        "people/E3.toml": person(hired="2024-01-01", roles=MANAGER),  # six months end on 2024-07-01
        "people/E4.toml": person(hired="2020-01-01", roles='["principal"]', extra=certificate(
            number="M9", kind="manager", category="", issued="2020-03-01", expires="2023-02-28")),
    }, industry="coal_mine")
    fs = findings(root, select=["C005"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("C005", "E1", 7), ("C005", "E4", 6)]
    assert "2023-09-01" in fs[0].message_zh and fs[0].citation == "培训规定 第二十四条"


def test_c005_exactly_six_months_is_not_yet_late_in_high_risk_industries(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2023-12-30", roles=MANAGER)}, industry="hazardous_chemicals")
    assert found(root, select=["C005"]) == []
    assert found(root, as_of=date(2024, 7, 1), select=["C005"]) == [("C005", "E1", None)]


def test_c005_no_grace_in_construction_road_transport_and_dangerous_goods(memory_archive):
    # RULES.md v2: the six months of 培训规定 第二十四条 belong to the five high-risk industries only
    for industry in ("construction", "road_transport", "dangerous_goods"):
        root = memory_archive({"people/E1.toml": person(hired="2024-06-29", roles=MANAGER),
                               "people/E2.toml": person(hired="2024-06-30", roles=MANAGER)}, industry=industry)
        fs = findings(root, select=["C005"])
        assert [(f.code, f.subject) for f in fs] == [("C005", "E1")], industry
        assert fs[0].citation == "安全生产法 第二十七条" and "上岗前应考核合格" in fs[0].message_zh
        assert fs[0].message_en.endswith(", without a valid manager certificate (the assessment comes before the post)")


def test_c005_only_in_key_industries(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-01-01", roles=MANAGER)}, industry="manufacturing")
    assert found(root, select=["C005"]) == []


# -- C003 (v2): a certificate's own review interval --------------------------------
def test_c003_uses_the_certificates_review_every_years(memory_archive):
    three = certificate(issued="2020-03-01", expires="2027-02-28")
    six = three + "review_every_years = 6\n"
    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=three),
                           "people/E2.toml": person("李梅", roles=OPERATOR, extra=six)})
    fs = findings(root, select=["C003", "C004"])
    assert [(f.code, f.subject) for f in fs] == [("C003", "E1")]  # E2's first review falls due on 2026-03-01
    assert "2023-03-01" in fs[0].message_zh
    six_due = certificate(issued="2018-07-01", expires="2030-06-30") + "review_every_years = 6\n"
    soon = memory_archive({"people/E3.toml": person(roles=OPERATOR, extra=six_due)})
    assert [(f.code, f.subject) for f in findings(soon, select=["C003", "C004"])] == [("C004", "E3")]  # 2024-07-01


def test_a_review_interval_past_any_calendar_is_a002_not_a_crash(memory_archive):
    """review_every_years = 8000 (or a 64-bit integer) would step past year 9999: A002 names the key,
    and a certificate that never expires still steps no further than its window."""
    for years in ("8000", "9223372036854775807"):
        root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
            issued="2021-03-01", expires="2027-02-28") + f"review_every_years = {years}\n")})
        fs = findings(root, select=["A002", "C"])
        assert [(f.code, f.key) for f in fs] == [("A002", ("certificates", 0, "review_every_years"))], years
    forever = certificate(issued="2021-03-01", expires="9999-12-31") + "review_every_years = 50\n"
    assert found(memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=forever)}), select=["C"]) == []


# -- C006: a special operator back after six months away --------------------------
RETURN = '\n[[changes]]\ndate = {date}\nkind = "return"\n'
CERT_OK = certificate(issued="2022-03-01", expires="2028-02-29")


def exam(pid: str, day: str, assessment: str = "practical", score: str = "90") -> str:
    return session(f'{{ person = "{pid}", score = {score} }}', type='"special_operation"', level=None,
                   title='"低压电工实际操作考试"', start=f"{day}T08:30:00", end=f"{day}T12:00:00", hours="4",
                   assessment=f'"{assessment}"')


def returned(date_: str, away: str | None, **keys) -> str:
    change = RETURN.format(date=date_) + (f"away_since = {away}\n" if away else "")
    return person(hired="2015-03-01", roles=OPERATOR, extra=CERT_OK + change, **keys)


def test_c006_away_exactly_six_months_needs_the_practical_exam(memory_archive):
    root = memory_archive({"people/E1.toml": returned("2024-03-01", "2023-09-01")})
    fs = findings(root, select=["C006"])
    assert [(f.code, f.subject, f.period, f.line) for f in fs] == [("C006", "E1", "2024-03-01", 16)]
    assert "2023-09-01" in fs[0].message_zh and "实际操作考试" in fs[0].message_zh
    assert fs[0].citation.startswith("特种作业规定 (离开特种作业岗位6个月以上")


def test_c006_away_less_than_six_months_needs_none(memory_archive):
    root = memory_archive({"people/E1.toml": returned("2024-03-01", "2023-09-02")})
    assert found(root, select=["C006"]) == []


def test_c006_away_exactly_twelve_months_needs_the_exam_and_re_training(memory_archive):
    root = memory_archive({"people/E1.toml": returned("2024-03-01", "2023-03-01")})
    assert found(root, select=["C006", "P005"]) == [("C006", "E1", "2024-03-01"), ("P005", "E1", "2024-03-01")]


def test_c006_the_exam_between_away_since_and_the_return_passes(memory_archive):
    files = {"people/E1.toml": returned("2024-03-01", "2023-08-01"),
             "people/E2.toml": returned("2024-03-01", "2023-08-01", name="李梅"),
             "people/E3.toml": returned("2024-03-01", "2023-08-01", name="王五"),
             "people/E4.toml": returned("2024-03-01", "2023-08-01", name="赵六"),
             "sessions/X1.toml": exam("E1", "2024-03-01"),  # on the return day: counts
             "sessions/X2.toml": exam("E2", "2023-07-31"),  # before away_since
             "sessions/X3.toml": exam("E3", "2024-02-20", assessment="written"),  # not a practical exam
             "sessions/X4.toml": exam("E4", "2024-02-20", score="40")}  # failed
    assert found(memory_archive(files), select=["C006"]) == [
        ("C006", "E2", "2024-03-01"), ("C006", "E3", "2024-03-01"), ("C006", "E4", "2024-03-01")]


def test_c006_return_without_away_since_needs_the_exam_after_the_previous_change(memory_archive):
    files = {"people/E1.toml": returned("2024-03-01", None),
             "people/E2.toml": returned("2024-03-01", None, name="李梅"),
             "sessions/X1.toml": exam("E1", "2023-10-10"),
             "sessions/X2.toml": exam("E2", "2015-02-28")}  # before the hire
    fs = findings(memory_archive(files), select=["C006"])
    assert [(f.code, f.subject) for f in fs] == [("C006", "E2")]
    assert "未记 away_since" in fs[0].message_zh and "2015-03-01 之后" in fs[0].message_zh


def test_c006_judges_active_special_operators_with_returns_in_the_window(memory_archive):
    files = {"people/E1.toml": person(hired="2015-03-01", extra=RETURN.format(date="2024-03-01")),  # no role
             "people/E2.toml": returned("2024-03-01", None, left="2024-05-01"),  # no longer employed
             "people/E3.toml": returned("2023-06-30", None),  # before the window
             "people/E4.toml": returned("2024-07-01", None)}  # after as_of
    assert found(memory_archive(files), select=["C006"]) == []


def test_an_expired_health_certificate_cites_no_special_operation_law(memory_archive):
    from helpers import findings, person

    def cert(kind, category):
        return f"""
        [[certificates]]
        kind = "{kind}"
        category = "{category}"
        number = "N1"
        issued = 2022-01-01
        expires = 2024-01-01
        """

    root = memory_archive({"people/E1.toml": person(extra=cert("other", "健康证")),
                           "people/E2.toml": person("李梅", roles='["special_operator"]',
                                                    extra=cert("special_operation", "低压电工作业"))})
    by = {f.subject: f for f in findings(root, select=["C002"])}
    assert "特种作业" not in by["E1"].citation and by["E1"].citation
    assert "特种作业" in by["E2"].citation


def test_what_falls_due_next_is_worked_out_once_per_state(memory_archive):
    """Context.next_due remembers its answer per certificate state (the person file, the matrix
    and the ledger ask of the same state): the same answer as certstatus.next_due, and a state
    made afresh (the same values, another object) gets its own."""
    from dataclasses import replace

    from safetrain.api import check_files
    from safetrain.rules import certstatus

    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        issued="2022-03-01", expires="2028-02-28"))})
    ctx = check_files(root, AS_OF).view_context()
    p = ctx.archive.people["E1"]
    (st,) = ctx.certificates(p)
    first = ctx.next_due(st)
    assert first == certstatus.next_due(st, ctx.ruleset, ctx.enterprise, ctx.as_of)
    assert first.due_kind == "review" and first.due == date(2025, 3, 1) and st.state == certstatus.VALID
    assert ctx.next_due(st) is first and ctx.kept().next_due(st) is first
    other = replace(st, due=date(2028, 2, 28))
    assert ctx.next_due(other) is not first and ctx.next_due(other) == certstatus.next_due(
        other, ctx.ruleset, ctx.enterprise, ctx.as_of)


def test_a_review_taken_early_shows_the_next_one_as_what_falls_due(memory_archive):
    """A review a month before its due date counts for it (C003): what falls due next is the one
    three years on, in every view (expiring's preview, the ledger, the matrix), not nothing."""
    from safetrain.api import check_files
    from safetrain.rules import certstatus

    root = memory_archive({"people/E1.toml": person(roles=OPERATOR, extra=certificate(
        number="T9", issued="2021-07-01", expires="9999-12-31", reviews="2024-06-01"))})
    ctx = check_files(root, date(2024, 6, 10)).view_context()
    (st,) = ctx.certificates(ctx.archive.people["E1"])
    assert st.state == certstatus.VALID and found(root, date(2024, 6, 10), select=["C003", "C004"]) == []
    assert ctx.next_due(st).due == date(2027, 7, 1) and ctx.next_due(st).due_kind == "review"
