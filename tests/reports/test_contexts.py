"""Template contexts: plain strings, formatted in Python, from a checked archive."""

from datetime import date

import pytest
from printing import HYPERLINK, checked, write_printed

from safetrain.numbers import number_text
from safetrain.reports import fmt
from safetrain.reports.contexts import (card_context, drill_context, mentorship_context, person_context,
                                        session_context, signin_context)
from safetrain.reports.facts import Facts
from safetrain.reports.kinds import DOCUMENT_KINDS


@pytest.fixture
def printed(make_archive):
    return write_printed(make_archive)


def strings_only(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and strings_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(strings_only(v) for v in value)
    return isinstance(value, str)


def test_num_remembers_its_answers_without_changing_them():
    """fmt.num keeps the texts it made (a report prints the same hours a million times): the
    same text as worked out afresh for ints, floats and None, and a bounded memo."""
    values = [0, 1, 1.0, True, 24.0, 1.5, 1.25, 1.005, 2.675, -0.0, 7.999, None, 10 ** 20, float("nan")]
    fresh = [number_text(v) for v in values]  # worked out afresh
    assert [fmt.num(v) for v in values] == fresh == [fmt.num(v) for v in values]
    assert fresh[:7] == ["0", "1", "1", "1", "24", "1.5", "1.25"]
    for i in range(10_000):
        fmt.num(i + 0.5)
    assert len(fmt._NUMS) <= 4096 and fmt.num(9_999.5) == "9999.5"


def test_fmt():
    from datetime import date, datetime

    assert fmt.num(24.0) == "24" and fmt.num(1.5) == "1.5" and fmt.num(None) == ""
    # printed as the rules compare it, never rounded across a figure: 59.996 is not the pass mark 60
    assert fmt.num(59.996) == "59.996" and fmt.num(23.996) == "23.996" and fmt.num(0.1 + 0.2) == "0.3"
    assert fmt.score(69.9999999) == "69.9999999" and fmt.score(90.0) == "90" and fmt.score(None) == ""
    assert fmt.day_zh(date(2023, 7, 5)) == "2023年7月5日"
    assert fmt.span(datetime(2023, 7, 4, 8, 30), datetime(2023, 7, 4, 17, 30)) == "2023-07-04 08:30—17:30"
    assert fmt.days(datetime(2023, 7, 4), datetime(2023, 7, 5)) == "2023-07-04至07-05"
    assert fmt.id_number("640104199003070014", True) == "640104********0014"
    assert fmt.id_number("640104199003070014", False) == "640104199003070014"
    assert fmt.certificate_number("T640104199003070014", "640104199003070014", True) == "T640104********0014"
    assert fmt.certificate_number("C-1", "640104199003070014", True) == "C-1"
    assert fmt.gender("640104199003070014") == "男" and fmt.gender("11010519491231002X") == "女"


def test_every_context_is_strings(printed):
    f = Facts(checked(printed))
    for kind in DOCUMENT_KINDS.values():
        if kind.name == "register":
            continue
        for rid in kind.ids(f.archive):
            assert strings_only(kind.build(f, rid)), (kind.name, rid)


def test_person_context(printed):
    ctx = person_context(Facts(checked(printed)), "E0001")
    p = ctx["person"]
    assert (p["name"], p["gender"], p["id_number"]) == ("张三", "男", "640104********0014")
    # the post on the file's date (the transfer of 2024-03-01), not the one at hire: ARCHIVE-FORMAT
    assert (p["department"], p["post"]) == ("装配车间", "装配工") and p["roles"] == "特种作业人员" and p["left"] == "在岗"
    assert [(r["date"], r["kind"], r["department"], r["post"]) for r in ctx["posts"]] == [
        ("2023-07-03", "入职", "机加&装配车间", "车工"), ("2024-03-01", "调岗", "装配车间", "装配工")]
    # S9 ends after as_of: not in the file
    assert [(r["session"], r["hours"], r["credited"], r["score"], r["result"]) for r in ctx["trainings"]] == [
        ("S1", "8", "8", "92", "合格"), ("S2", "8", "8", "88", "合格"), ("S3", "8", "8", "95", "合格"),
        ("S4", "4", "4", "76", "合格")]
    assert ctx["pre_job_hours"] == "24" and ctx["pre_job_required"] == "24" and ctx["total_hours"] == "28"
    # manufacturing: 8 annual hours (安委10号); 2023 is not a whole year of the archive
    assert ctx["years"] == [{"year": "2023", "hours": "0", "required": "8", "status": "建档不满一年"},
                            {"year": "2024", "hours": "4", "required": "8", "status": "进行中"}]
    certs = {c["number"]: c for c in ctx["certificates"]}
    assert certs["C-0001"]["state"] == "即将到期（剩15天）"  # other certificates: 30-day window
    # the certificate number holds the ID number: masked with it
    assert certs["T640104********0014"]["state"] == "有效" and certs["T640104********0014"]["reviews"] == "2024-02-20"
    assert [d["title"] for d in ctx["drills"]] == ["车间火灾疏散演练", "半年应急能力检验"]
    assert ctx["violations"] == [{"date": "2024-01-05", "note": "未戴安全帽进入车间"}]
    assert ctx["enterprise"] == "宁夏测试机械有限公司" and ctx["printed"] == "2024年6月30日"


def test_a_review_state_names_the_day_the_review_falls_due(make_archive):
    """复审逾期 with the days alone left an inspector without the day it fell due (the ledger
    has it): the person's file says it, for a review due soon too."""
    from helpers import certificate, person

    root = make_archive({
        "people/E1.toml": person(roles='["special_operator"]', extra=certificate(issued="2018-03-01", expires="2024-07-15")),
        "people/E2.toml": person("李梅", roles='["special_operator"]',
                                 extra=certificate(number="T2", issued="2021-08-01", expires="2027-07-31")),
    })
    facts = Facts(checked(root, date(2024, 6, 30)))
    [late] = person_context(facts, "E1")["certificates"]
    assert late["state"] == "复审逾期（应于 2024-03-01 复审，逾期121天）", late
    [soon] = person_context(facts, "E2")["certificates"]
    assert soon["state"] == "待复审（应于 2024-08-01 复审，剩32天）", soon


def test_id_numbers_unmasked_only_when_the_archive_says_so(make_archive):
    from printing import FILES
    from helpers import config

    root = make_archive({**FILES, "safetrain.toml": config() + "\n[settings]\nmask_id_numbers = false\n"})
    assert person_context(Facts(checked(root)), "E0001")["person"]["id_number"] == "640104199003070014"


def test_failed_and_partial_attendance(printed):
    f = Facts(checked(printed))
    assert [(r["session"], r["credited"], r["result"]) for r in person_context(f, "E0002")["trainings"]] == [
        ("S1", "8", "合格"), ("S2", "8", "合格"), ("S3", "0", "不合格")]
    ctx = session_context(f, "S4")
    assert [(a["id"], a["name"], a["score"], a["result"], a["hours"]) for a in ctx["attendees"]] == [
        ("E0001", "张三", "76", "合格", "4"), ("E0003", HYPERLINK, "", "合格", "4"), ("E0005", "赵师傅", "80", "合格", "2")]
    assert (ctx["count"], ctx["passed"], ctx["failed"]) == ("3", "3", "0")
    s = ctx["session"]
    assert s["provider"] == "宁夏安培培训中心" and s["contract"] == "contracts/2024-001.pdf"
    assert s["time"] == "2024-03-15 08:30—12:00" and s["methods"] == "讲授、案例" and s["level"] == "—"


def test_card_context(printed):
    f = Facts(checked(printed))
    ctx = card_context(f, "E0001")
    assert [ctx[lv]["instructor"] for lv in ("company", "workshop", "team")] == ["李四", "孙主任", "赵师傅"]
    assert ctx["company"]["dates"] == "2023-07-04" and ctx["team"]["score"] == "95"
    assert ctx["conclusion"] == "三级安全教育完成，准予上岗"
    failed = card_context(f, "E0002")
    assert failed["team"]["result"] == "不合格" and failed["conclusion"] == "三级安全教育未完成"
    blank = card_context(f, "E0004")  # no pre-job training: a card to fill in by hand
    assert blank["company"]["dates"] == "" and blank["company"]["label"] == "公司(厂矿)级"


def test_signin_pads_blank_rows(printed):
    ctx = signin_context(Facts(checked(printed)), "S9")
    assert [a["name"] for a in ctx["attendees"]] == ["张三", "李梅"]
    assert [(b["n"], b["name"]) for b in ctx["blank"]] == [(str(n), "") for n in range(3, 8)]
    assert ctx["count"] == "2"


def test_mentorship_and_drill(printed):
    f = Facts(checked(printed))
    m = mentorship_context(f, "E0002")
    assert m["mentor"]["name"] == "赵师傅" and m["apprentice"]["id_number"] == "640104********0013"
    # manufacturing, not underground: the national minimum (安委10号), 2 months
    assert (m["start"], m["end"], m["signed_off"], m["min_months"]) == ("2023年7月10日", "2023年11月10日", "2023年11月15日", "2")
    d = drill_context(f, "D1")
    assert d["drill"]["scale"] == "小练" and d["drill"]["scenario"] == "火灾" and d["count"] == "3"
    assert [p["department"] for p in d["participants"]] == ["机加&装配车间", "机加车间", "机加车间"]


def test_the_card_judges_what_the_rules_judge(make_archive):
    """The three-level card's conclusion: the levels only in three_level industries (P003), and
    no pre-job verdict for a principal or safety manager (RULES.md P: Y003 and C005 judge them)."""
    from helpers import person, session

    files = {"people/E1.toml": person("张三", hired="2024-03-01"),
             "people/M1.toml": person("王经理", hired="2024-03-01", roles='["safety_manager"]'),
             "sessions/S1.toml": session(start="2024-02-26T08:30:00", end="2024-02-28T17:30:00", hours="24")}
    catering = Facts(checked(make_archive(files, industry="catering")))
    assert card_context(catering, "E1")["conclusion"] == "岗前安全培训完成，准予上岗"  # one level is enough here
    assert card_context(catering, "E1")["company"]["grade"] == "90 合格" and card_context(catering, "E1")["team"]["grade"] == ""
    factory = Facts(checked(make_archive(files, industry="manufacturing", root=None)))
    assert card_context(factory, "E1")["conclusion"] == "三级安全教育未完成"  # company level only: P003
    manager = card_context(catering, "M1")
    assert "不适用本卡" in manager["conclusion"] and "初次安全培训" in person_context(catering, "M1")["pre_job"]


def test_no_pass_mark_where_nothing_is_assessed_and_no_staff_before_the_first_day(make_archive):
    from helpers import person, session

    files = {"people/E1.toml": person(), "people/E2.toml": person("新人", hired="2024-07-01"),
             "people/E3.toml": person("将离", hired="2024-07-01", left="2025-12-31"),
             "people/E4.toml": person("在岗", left="2025-12-31"),
             "sessions/S1.toml": session(assessment='"none"', type='"all_staff"', level=None),
             "sessions/S2.toml": session()}
    f = Facts(checked(make_archive(files)))
    assert session_context(f, "S1")["session"]["pass_mark_note"] == ""  # everyone passes: no 合格线 printed
    assert session_context(f, "S2")["session"]["pass_mark_note"] == "（合格线 60）"
    assert person_context(f, "E2")["person"]["left"] == "截至日期尚未入职"  # hired after as_of, not 在岗
    assert person_context(f, "E1")["person"]["left"] == "在岗"
    assert person_context(f, "E3")["person"]["left"] == "截至日期尚未入职"  # its later leaving day neither
    assert person_context(f, "E4")["person"]["left"] == "在岗"  # leaves after as_of: 在岗 then


def test_the_plan_cites_the_documents_that_exist(make_archive):
    """编制依据: the national rules, and the Ningxia plan by its real title where the archive follows it
    (not a rule set's own name in 《》)."""
    from helpers import plan

    from safetrain.reports.contexts import plan_context

    national = Facts(checked(make_archive({"plans/2024.toml": plan()})))
    assert plan_context(national, "2024")["ruleset"] == ""
    ningxia = Facts(checked(make_archive({"plans/2024.toml": plan()}, ruleset="ningxia-2023")))
    assert plan_context(ningxia, "2024")["ruleset"] == "及《关于加强生产经营单位全员安全培训的方案》（宁夏回族自治区，2023年）"


def test_a_person_listed_twice_is_one_attendee_in_every_document(make_archive, tmp_path):
    """A person listed twice in a session's attendees or a drill's participants (A004) is one
    attendee: the documents count people, list the entries as the file does, and the second entry
    credits nothing (as check counts it); the export's credited hours add up to the same."""
    import sqlite3

    from helpers import drill, person, session

    from safetrain.export.sqlite import write_database

    files = {"people/E1.toml": person(), "people/E2.toml": person("李梅"),
             "sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E2", score = 40 },\n'
                                         '  { person = "E1", score = 95 }'),
             "drills/D1.toml": drill(participants='"E1", "E2", "E1"')}
    result = checked(make_archive(files))
    assert ("A004", "S1") in {(x.code, x.subject) for x in result.findings}
    f = Facts(result)
    s1 = session_context(f, "S1")
    assert (s1["count"], s1["passed"], s1["failed"]) == ("2", "1", "1")
    assert [(r["id"], r["hours"]) for r in s1["attendees"]] == [("E1", "8"), ("E2", "0"), ("E1", "0")]
    signin = signin_context(f, "S1")
    assert signin["count"] == "2" and [r["id"] for r in signin["attendees"]] == ["E1", "E2"]  # one line to sign each
    d1 = drill_context(f, "D1")
    assert d1["count"] == "2" and len(d1["participants"]) == 3
    assert [d["title"] for d in person_context(f, "E1")["drills"]].count(result.archive.drills["D1"].title) == 1
    write_database(tmp_path / "x.db", [result])
    with sqlite3.connect(tmp_path / "x.db") as db:
        assert db.execute("SELECT SUM(credited_hours) FROM attendance WHERE person = 'E1'").fetchone()[0] == 8.0
    assert result.context.credited("E1") == 8.0


def test_the_post_start_is_that_of_the_post_held_then(make_archive):
    """现岗位起始 is when the person began the post the document shows: after a transfer to another
    post, the transfer's date (post_since is the hiring post's and went stale); a change of
    department on the same post, or before it, keeps post_since; the mentor's 本岗位工作起始 too."""
    from helpers import person

    transfer = '\n[[changes]]\ndate = 2024-05-01\nkind = "transfer"\ndepartment = "焊接车间"\npost = "电焊工"\n'
    moved = '\n[[changes]]\ndate = 2024-05-01\nkind = "transfer"\ndepartment = "焊接车间"\n'
    root = make_archive({
        "people/E1.toml": person(hired="2016-03-01", post_since="2015-03-01", extra=transfer),
        "people/E2.toml": person("李梅", hired="2016-03-01", post_since="2015-03-01", extra=moved),
        "people/E3.toml": person("王五", hired="2016-03-01", extra=transfer),
    })
    f = Facts(checked(root))
    shown = lambda pid: (person_context(f, pid)["person"]["post"], person_context(f, pid)["person"]["post_since"])  # noqa: E731
    assert shown("E1") == ("电焊工", "2024-05-01")
    assert shown("E2") == ("车工", "2015-03-01")
    assert shown("E3") == ("电焊工", "2024-05-01")
    p = f.person("E1")
    assert p.post_since_on(date(2024, 4, 30)) == date(2015, 3, 1) and p.post_since_on(date(2024, 5, 1)) == date(2024, 5, 1)
