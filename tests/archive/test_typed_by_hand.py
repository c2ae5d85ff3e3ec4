"""Values a user can type that used to crash the tool: dates outside 1900–2100,
a certificate "without expiry", control characters, a NUL in a path."""

import time
from datetime import date

from click.testing import CliRunner

from helpers import ID_NUMBERS, certificate, config, findings, found, person, session
from safetrain.archive.reading.models import Certificate
from safetrain.cli import main
from safetrain.rules.certstatus import review_due_dates

AS_OF = ["--as-of", "2024-06-30"]


def run(*args):
    return CliRunner().invoke(main, list(args))


def a002(root, code="A002"):
    return [(f.subject, f.key, f.message_en) for f in findings(root) if f.code == code]


def test_a_date_outside_1900_2100_is_an_a002_naming_the_key(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(hired="0001-01-01"),
        "people/E2.toml": person(extra=certificate(expires="2999-12-31", reviews="1899-12-31")),
        "sessions/S1.toml": session(start="0001-01-01T08:30:00"),
    })
    got = a002(root)
    assert ("E1", ("hired",), "`hired` = 0001-01-01 is not between 1900 and 2100") in got
    expires = [g for g in got if g[1] == ("certificates", 0, "expires")]
    assert expires and "write 9999-12-31 for a certificate without expiry" in expires[0][2]
    assert any(g[1] == ("certificates", 0, "reviews", 0) for g in got)
    assert any(g[0] == "S1" and g[1] == ("start",) and "0001-01-01T08:30:00" in g[2] for g in got)


def test_the_bounds_themselves_are_dates(memory_archive):
    root = memory_archive({"people/E1.toml": person(hired="1900-01-01", left="2100-12-31")})
    assert a002(root) == []


def test_no_expiry_is_a_certificate_that_never_expires(memory_archive, make_archive, tmp_path):
    cert = certificate(expires="9999-12-31", reviews="2024-02-20")
    files = {"people/E1.toml": person(id_number=f'"{ID_NUMBERS[1]}"', extra=cert)}
    assert [c for c, _, _ in found(memory_archive(files)) if c.startswith(("A", "C"))] == []
    root = make_archive(files)
    for args in (["check", str(root)], ["status", str(root)], ["expiring", str(root), "--within", "36500"],
                 ["matrix", "-a", str(root)]):
        r = run(*args, *AS_OF)
        assert "internal error" not in r.output and "内部错误" not in r.output, (args, r.output)
        assert r.exit_code in (0, 1), (args, r.output)
    r = run("render", "person", "E1", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 0, r.output
    from docx import Document

    text = "\n".join(c.text for t in Document(tmp_path / "out" / "person-E1.docx").tables for row in t.rows
                     for c in row.cells)
    assert "长期有效" in text and "9999" not in text
    r = run("ledger", "-a", str(root), "-o", str(tmp_path / "l.xlsx"), *AS_OF)
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    values = [c for row in load_workbook(tmp_path / "l.xlsx")["持证台账"].iter_rows(values_only=True) for c in row]
    assert "长期有效" in values
    # no count of days to a due date that never comes: null, as the ledger leaves its cell empty
    r = run("cert", "list", "-a", str(root), "--format", "json", *AS_OF)
    assert r.exit_code == 0, r.output
    import json

    [listed] = json.loads(r.output)["certificates"]
    # a special operation certificate without expiry is still reviewed: its next review is what falls due
    assert listed["expires"] == "9999-12-31" and (listed["due"], listed["days_left"]) == ("2027-03-01", 974)
    other = make_archive({"people/E1.toml": person(extra=certificate(kind="other", category="叉车", expires="9999-12-31"))},
                         root=tmp_path / "other")
    [listed] = json.loads(run("cert", "list", "-a", str(other), "--format", "json", *AS_OF).output)["certificates"]
    assert listed["due"] == "9999-12-31" and listed["days_left"] is None  # never due: no count of days


def test_review_dates_cost_what_the_window_holds():
    cert = Certificate(kind="special_operation", number="T1", issued=date(2021, 3, 1), expires=date(9999, 12, 31))
    started = time.perf_counter()
    assert list(review_due_dates(cert, 3, date(2030, 1, 1))) == [date(2024, 3, 1), date(2027, 3, 1)]
    assert time.perf_counter() - started < 1


def test_as_of_outside_1900_2100_is_a_usage_error(make_archive):
    root = make_archive({"people/E1.toml": person()})
    for day in ("9999-01-01", "1899-12-31", "0001-01-01"):
        r = run("check", str(root), "--as-of", day, "--lang", "en")
        assert r.exit_code == 2 and r.output.strip() == \
            f"error: --as-of: the date {day} is not between 1900 and 2100; check the year", r.output


def test_control_characters_in_text_are_an_a002_shown_escaped(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(name="张\\u000b三"),
        "sessions/S1.toml": session('{ person = "E1", score = 90, note = "迟到\\u001b[2J" }'),
    })
    got = a002(root)
    assert ("E1", ("name",), "`name` holds the control character U+000B (often pasted from Word): remove it") in got
    assert ("S1", ("attendees", 0, "note"),
            "`attendees[0].note` holds the control character U+001B (often pasted from Word): remove it") in got


def test_a_line_break_or_direction_control_in_a_name_is_an_a002(memory_archive):
    """A name, a department or a post over two lines would print as two records (and, in a CI log,
    as a `::error` command of its own); a U+202E makes a name read otherwise than written. Other
    text (a title, a location, content, notes) may span lines: its file is not left out for it."""
    root = memory_archive({
        "people/E1.toml": person(name="张三\\n::error file=x::pwned"),
        "people/E2.toml": person(name="李\\u202e梅"),
        "people/E3.toml": person(department='"机加\\n车间"'),
        "sessions/S1.toml": session(content='"第一部分\\n第二部分"', title='"消防\\r\\n培训"',
                                    location='"办公楼\\n二楼"'),
    })
    got = a002(root)
    assert ("E1", ("name",), "`name` holds a line break (a name, a department or a post is one line; longer words "
                             "go in a note)") in got
    assert ("E2", ("name",), "`name` holds the invisible direction control U+202E (it makes the text read "
                             "otherwise than written): remove it") in got
    assert [k for s, k, _ in got if s == "E3"] == [("department",)]
    assert not [k for s, k, _ in got if s == "S1"]
    from safetrain.reports.findings import text_line
    from safetrain.findings import Finding

    line = text_line(Finding("R001", "sessions/S1.toml", "S1", "甲\n::error file=x::pwned", "a\nb"), "zh")
    assert "\n" not in line and "甲⏎::error" in line


def test_a_direction_control_in_any_text_is_an_a002(memory_archive):
    """A U+202E in a session's title, an enterprise's name, a certificate's category or a note
    reversed the dates printed beside it on the dashboard and was reported nowhere (only names,
    departments and posts were looked at): every text says so; line breaks stay allowed there."""
    from helpers import certificate, config

    cert = certificate().replace('category = "低压电工作业"', 'category = "低压\\u202e电工"')
    root = memory_archive({
        "safetrain.toml": config().replace('name = "', 'name = "\\u2067', 1),
        "people/E1.toml": person(extra=cert, note='"第一行\\n第二\\u202e行"'),
        "sessions/S1.toml": session(title='"消防\\u202e培训"', content='"第一部分\\n第二部分"'),
    })
    got = {(s, k) for s, k, _ in a002(root)}
    assert {("S1", ("title",)), ("E1", ("note",)), ("E1", ("certificates", 0, "category")),
            ("enterprise", ("enterprise", "name"))} <= got, got
    assert ("S1", ("content",)) not in got


def test_a_nul_in_a_path_is_an_a008_end_to_end(make_archive):
    files = {
        "people/E1.toml": person(attachments='["attachments/a\\u0000b.pdf"]'),
        "sessions/S1.toml": session(provider='"某培训机构"', contract='"contracts/c\\u0000.pdf"'),
    }
    root = make_archive(files)
    got = [(f.subject, f.key) for f in findings(root) if f.code == "A008"]
    assert ("E1", ("attachments", 0)) in got and ("S1", ("contract",)) in got
    for args in (["check", str(root)], ["status", str(root)], ["expiring", str(root)], ["matrix", "-a", str(root)],
                 ["ledger", "-a", str(root), "-o", str(root.parent / "l.xlsx")],
                 ["render", "register", "-a", str(root), "-o", str(root.parent / "out")],
                 ["export", "sqlite", str(root.parent / "x.db"), str(root)]):
        r = run(*args, *AS_OF)
        assert "\0" not in r.output and "内部错误" not in r.output, (args, r.output)
    assert "attachments/a\\x00b.pdf" in run("check", str(root), *AS_OF).output


def test_no_expiry_is_typed_and_listed_as_such(make_archive):
    root = make_archive({"people/E1.toml": person(id_number=f'"{ID_NUMBERS[1]}"')})
    r = run("cert", "add", "E1", "-a", str(root), "--kind", "other", "--category", "健康证", "--number", "J1",
            "--issued", "2024-01-01", "--expires", "9999-12-31")
    assert r.exit_code == 0, r.output
    assert "expires = 9999-12-31" in (root / "people" / "E1.toml").read_text("utf-8")
    r = run("cert", "renew", "E1", "J1", "-a", str(root), "--issued", "2024-02-01", "--expires", "9999-12-31")
    assert r.exit_code == 0, r.output
    listed = run("cert", "list", str(root), *AS_OF).output
    assert "长期有效" in listed and "9999" not in listed
    r = run("cert", "add", "E1", "-a", str(root), "--kind", "other", "--category", "健康证", "--number", "J2",
            "--issued", "2024-01-01", "--expires", "9999-01-01", "--lang", "en")
    assert r.exit_code == 2 and "9999-01-01 is not between 1900 and 2100" in r.output


def test_a_chinese_label_typed_as_people_type_it():
    """ARCHIVE-FORMAT: "the Chinese label of every code is part of the format (... importers
    accept it)" — with full-width brackets, spaces, or without its bracketed part."""
    from safetrain.archive.reading.codes import INDUSTRY, LEVEL, code_for

    for typed, code in (("公司(厂矿)级", "company"), ("公司（厂矿）级", "company"), ("公司级", "company"),
                        ("车间 (部门) 级", "workshop"), ("班组级", "team"), ("Team level", "team")):
        assert code_for(LEVEL, typed) == code, typed
    assert code_for(LEVEL, "厂矿级") is None and code_for(INDUSTRY, "煤矿") == "coal_mine"


def test_new_session_takes_the_level_as_a_chinese_keyboard_types_it(make_archive):
    root = make_archive({})
    r = run("new", "session", "S1", str(root), "--title", "岗前", "--type", "岗前培训", "--level", "公司（厂矿）级",
            "--start", "2024-07-01T08:00", "--end", "2024-07-01T17:00", "--hours", "8", "--instructor", "李",
            "--provider", "internal", "--topics", "rules")
    assert r.exit_code == 0, r.output
    assert 'level = "company"' in next((root / "sessions").rglob("S1.toml")).read_text(encoding="utf-8")


def test_a_time_no_clock_has_or_nesting_too_deep_is_an_a001_that_says_so(memory_archive):
    root = memory_archive({"people/E1.toml": person(),
                           "sessions/S1.toml": session(start="2024-04-16T09:00:60"),
                           "sessions/S2.toml": "x_deep = " + "[" * 5000 + "]" * 5000 + "\n"})
    got = {f.file: (f.line, f.message_en) for f in findings(root) if f.code == "A001"}
    assert got["sessions/S1.toml"] == (4, "cannot parse TOML: a date or time that does not exist 2024-04-16T09:00:60 "
                                          "(second must be in 0..59) (line 4, column 9)")
    assert got["sessions/S2.toml"][1].startswith("cannot parse TOML: arrays or tables nested too deep")


def test_two_byte_order_marks_are_an_a001(memory_archive):
    bom = "\ufeff"
    root = memory_archive({"people/E1.toml": (bom + person()).encode("utf-8"),
                           "people/E2.toml": (bom + bom + person("李梅")).encode("utf-8")})
    got = [(f.file, f.message_en) for f in findings(root) if f.code == "A001"]
    assert got == [("people/E2.toml", "the file starts with two UTF-8 byte-order marks (one is allowed): remove one "
                                      "(line 1, column 1)")]


def test_one_line_texts_refuse_nel_and_a_blank_name_and_the_enterprise_name_may_wrap(memory_archive):
    root = memory_archive({
        "people/E1.toml": person(name="张\\u0085三"),
        "people/E2.toml": person(name=" "),
        "people/E3.toml": person("王五", team='""'),  # an optional team left empty: no team
        "safetrain.toml": config().replace('name = "宁夏测试机械有限公司"', 'name = "宁夏测试\\n机械有限公司"'),
    })
    got = a002(root)
    assert [(s, k) for s, k, _ in got] == [("E1", ("name",)), ("E2", ("name",))], got
    assert got[1][2] == "`name` is empty"
    from safetrain.api import check_files
    from safetrain.reports.findings import text_block

    heading = text_block(check_files(root, date(2024, 6, 30)), "zh").splitlines()[0]
    assert heading.startswith("== ") and "宁夏测试⏎机械有限公司" in heading  # the heading stays one line


def test_an_introduction_s_department_or_post_is_one_line(memory_archive):
    """An introduction names departments and posts as a person's file does: one over two lines
    could never be a person's, so the introduction would reach nobody (an A002, its file left out)."""
    root = memory_archive({
        "people/E1.toml": person(),
        "introductions/N1.toml": 'title = "新设备"\nkind = "equipment"\ndate = 2024-03-01\n'
                                 'departments = ["机加\\n车间"]\nposts = ["车工"]\n',
        "introductions/N2.toml": 'title = "新设备"\nkind = "equipment"\ndate = 2024-03-01\n'
                                 'departments = ["机加车间"]\nposts = ["车\\u202e工"]\n',
    })
    got = a002(root)
    assert [k for s, k, _ in got if s == "N1"] == [("departments", 0)]
    assert [k for s, k, _ in got if s == "N2"] == [("posts", 0)]
