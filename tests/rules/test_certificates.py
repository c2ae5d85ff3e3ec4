"""Family C: certificates (C001–C005) and the certificate state they share with the views."""

from datetime import date

from helpers import AS_OF, certificate, findings, found, person

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
    }, industry="construction")
    fs = findings(root, select=["C005"])
    assert [(f.code, f.subject, f.line) for f in fs] == [("C005", "E1", 7), ("C005", "E4", 6)]
    assert "2023-09-01" in fs[0].message_zh and fs[0].citation == "安全生产法 第二十七条; 培训规定 第二十四条"


def test_c005_exactly_six_months_is_not_yet_late(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2023-12-30", roles=MANAGER)}, industry="road_transport")
    assert found(root, select=["C005"]) == []
    assert found(root, as_of=date(2024, 7, 1), select=["C005"]) == [("C005", "E1", None)]


def test_c005_only_in_key_industries(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="2020-01-01", roles=MANAGER)}, industry="manufacturing")
    assert found(root, select=["C005"]) == []
