"""safetrain export sqlite: the workspace's records, findings and labels in one database."""

import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import AS_OF, config, introduction, person, plan, session

from safetrain.api import check_path
from safetrain.archive.reading.codes import TABLES as CODE_TABLES
from safetrain.archive.reading.gbcodes import id_check_char
from safetrain.cli import main
from safetrain.export import tables
from safetrain.export.sqlite import write_database
from safetrain.rules import RULES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def id_number(first17: str) -> str:
    return first17 + id_check_char(first17)


ID1, ID2, ID3 = id_number("64010419900307001"), id_number("64010419850512001"), id_number("64012119781123002")

CERTS = """
[[certificates]]
kind = "special_operation"
category = "低压电工作业"
number = "T001"
issued = 2021-09-01
expires = 2027-08-31
reviews = [2024-06-01]

[[certificates]]
kind = "other"
category = "叉车"
number = "F002"
issued = 2020-08-01
expires = 2024-07-20
"""

CHANGE = """
[[changes]]
date = 2024-03-01
kind = "transfer"
department = "机加车间"
post = "铣工"
"""

ACME = {
    "people/E1.toml": person(id_number=f'"{ID1}"', roles='["safety_manager"]'),
    "people/E2.toml": person("李梅", department='"装配车间"', extra=CHANGE),
    "people/E3.toml": person("王五", left="2024-01-31"),
    "people/E4.toml": person("赵六", id_number=f'"{ID2}"', roles='["special_operator"]', extra=CERTS),
    "sessions/2023/S1.toml": session(
        '{ person = "E1", score = 90 },\n  { person = "E2", score = 50 },\n  { person = "E3", score = 80, hours = 4 }'),
    "sessions/2024/S2.toml": session(
        '{ person = "E1" },\n  { person = "E2" },\n  { person = "E4" }', type='"refresher"', level=None,
        start="2024-03-05T08:30:00", end="2024-03-05T16:30:00", hours="6", assessment='"none"',
        methods='["lecture", "practical"]'),
    "sessions/2024/S3.toml": session('{ person = "E1", score = 70 },\n  { person = "E9", score = 70 }',
                                     start="2024-04-01T08:30:00", end="2024-04-01T12:30:00", hours="4"),
    "drills/D1.toml": 'title = "疏散演练"\ndate = 2024-05-20\nscale = "small"\nscenario = "fire"\n'
                      'participants = ["E1", "E2", "E9"]\n',
    "mentorships/E2.toml": 'mentor = "E1"\npost = "车工"\nstart = 2023-07-03\nend = 2023-11-03\n',
}

BETA = {
    "safetrain.toml": config(industry="construction") + "\n[settings]\nmask_id_numbers = false\n",
    "people/B1.toml": person("钱七", id_number=f'"{ID3}"'),
    "people/B2.toml": 'name = "无效"\nhired = "not a date"\n',  # A002: left out
    "people/B3.toml": person("孙八", hired="2024-05-06"),
    "sessions/T1.toml": session('{ person = "B1", score = 95 }'),
}


@pytest.fixture
def workspace(make_archive, tmp_path):
    ws = tmp_path / "ws"
    make_archive(ACME, root=ws / "acme")
    make_archive(BETA, root=ws / "beta")
    return ws


def export(*args, lang="en"):
    return CliRunner().invoke(main, ["export", "sqlite", *args, "--as-of", str(AS_OF), "--lang", lang])


@pytest.fixture
def db(workspace, tmp_path, monkeypatch):
    monkeypatch.chdir(workspace)
    out = tmp_path / "out.db"
    result = export(str(out), ".")
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(out)
    yield con
    con.close()


def one(con, sql, *params):
    return con.execute(sql, params).fetchone()[0]


def test_counts_match_the_archives(db, workspace):
    acme = check_path(workspace / "acme", AS_OF).archive
    assert one(db, "SELECT COUNT(*) FROM enterprises") == 2
    assert one(db, "SELECT COUNT(*) FROM people WHERE archive = 'acme'") == len(acme.people) == 4
    assert one(db, "SELECT COUNT(*) FROM people WHERE archive = 'beta'") == 2  # B2 is invalid (A002)
    assert one(db, "SELECT COUNT(*) FROM sessions WHERE archive = 'acme'") == len(acme.sessions) == 3
    # every attendee with a person file: 3 + 3 + 1 (E9 has none: A003) in acme, 1 in beta
    assert one(db, "SELECT COUNT(*) FROM attendance") == 8
    expected = sum(s.credited_hours(a) for s in acme.sessions.values() for a in s.attendees if a.person in acme.people)
    assert one(db, "SELECT SUM(credited_hours) FROM attendance WHERE archive = 'acme'") == expected == 8 + 4 + 18 + 4
    assert db.execute("SELECT person, passed, credited_hours, partial_hours FROM attendance "
                      "WHERE archive = 'acme' AND session = 'S1' ORDER BY position").fetchall() == [
        ("E1", 1, 8.0, None), ("E2", 0, 0.0, None), ("E3", 1, 4.0, 4.0)]
    assert one(db, "SELECT COUNT(*) FROM drill_participants") == 2
    assert db.execute("SELECT apprentice, mentor, start FROM mentorships").fetchall() == [("E2", "E1", "2023-07-03")]
    assert db.execute("SELECT topic FROM session_topics WHERE session = 'S1' ORDER BY topic").fetchall() == [
        ("emergency",), ("knowledge",), ("rules",), ("skills",)]
    assert db.execute("SELECT method FROM session_methods ORDER BY method").fetchall() == [("lecture",), ("practical",)]
    assert db.execute("SELECT person, role FROM person_roles ORDER BY person").fetchall() == [
        ("E1", "safety_manager"), ("E4", "special_operator")]


def test_values_dates_and_derived_columns(db):
    assert db.execute("SELECT start, end, hours, type, level FROM sessions WHERE id = 'S2'").fetchone() == (
        "2024-03-05T08:30:00", "2024-03-05T16:30:00", 6.0, "refresher", None)
    assert db.execute("SELECT active, left FROM people WHERE id = 'E3'").fetchone() == (0, "2024-01-31")
    assert db.execute("SELECT department, current_department, current_post FROM people WHERE id = 'E2'").fetchone() == (
        "装配车间", "机加车间", "铣工")
    assert db.execute("SELECT date, kind, department, post FROM changes").fetchall() == [
        ("2024-03-01", "transfer", "机加车间", "铣工")]
    assert db.execute("SELECT number, state, due, due_kind FROM certificates ORDER BY position").fetchall() == [
        ("T001", "valid", "2027-08-31", "expiry"), ("F002", "expiring", "2024-07-20", "expiry")]
    assert db.execute("SELECT certificate, date FROM certificate_reviews").fetchall() == [(1, "2024-06-01")]
    assert db.execute("SELECT archive, industry, crowded_place, as_of, ruleset, id_numbers_masked FROM enterprises").fetchall() == [
        ("acme", "manufacturing", 0, "2024-06-30", "national", 1), ("beta", "construction", 0, "2024-06-30", "national", 0)]


def test_id_numbers_masked_unless_unmasked_or_settings_say_so(db, workspace, tmp_path):
    assert db.execute("SELECT id, id_number FROM people WHERE archive = 'acme' AND id_number IS NOT NULL").fetchall() == [
        ("E1", ID1[:6] + "********" + ID1[-4:]), ("E4", ID2[:6] + "********" + ID2[-4:])]
    assert one(db, "SELECT id_number FROM people WHERE id = 'B1'") == ID3  # mask_id_numbers = false
    out = tmp_path / "unmasked.db"
    assert export(str(out), str(workspace), "--unmasked").exit_code == 0
    con = sqlite3.connect(out)
    assert one(con, "SELECT id_number FROM people WHERE id = 'E1'") == ID1
    assert one(con, "SELECT SUM(id_numbers_masked) FROM enterprises") == 0
    con.close()


def test_findings_are_those_of_check_as_of(db, workspace):
    for name in ("acme", "beta"):
        expected = check_path(workspace / name, AS_OF).findings
        got = db.execute("SELECT code, file, line, subject, period, message_en, citation, citation_en FROM findings "
                         "WHERE archive = ? ORDER BY position", (name,)).fetchall()
        assert got == [(f.code, f.file, f.line, f.subject, f.period, f.message_en, f.citation or None,
                        f.cited("en") or None) for f in expected]
    # the citation as English output prints it: the archive format in words, the law's names as written
    assert ("A003", "档案格式", "archive format") in db.execute("SELECT code, citation, citation_en FROM findings")
    assert ("A003", "S3") in db.execute("SELECT code, subject FROM findings").fetchall()
    assert ("A002", "B2") in db.execute("SELECT code, subject FROM findings").fetchall()


def test_labels_map_every_code(db):
    expected = sum(len(t) for t in CODE_TABLES.values()) + len(RULES) + 3
    assert one(db, "SELECT COUNT(*) FROM labels") == expected
    assert db.execute("SELECT zh, en FROM labels WHERE code_table = 'industry' AND code = 'coal_mine'").fetchone() == (
        "煤矿", "coal mine")
    assert db.execute("SELECT zh FROM labels WHERE code_table = 'rule' AND code = 'A003'").fetchone() == ("引用的人员不存在",)
    # a rule's English label is its English title, as everywhere else (it was its name: invalid-toml)
    assert db.execute("SELECT zh, en FROM labels WHERE code_table = 'rule' AND code = 'A001'").fetchone() == (
        "文件不是有效的 UTF-8 TOML", "Invalid TOML")
    assert db.execute("SELECT en FROM labels WHERE code_table = 'rule' AND code = 'P002'").fetchone() == ("Pre-job hours short",)
    # every coded column's values have a label
    for t in tables.SCHEMA:
        for c in t.columns:
            if c.codes:
                missing = db.execute(f'SELECT DISTINCT x."{c.name}" FROM "{t.name}" x LEFT JOIN labels l '
                                     f'ON l.code_table = ? AND l.code = x."{c.name}" '
                                     f'WHERE x."{c.name}" IS NOT NULL AND l.code IS NULL', (c.codes,)).fetchall()
                assert missing == [], (t.name, c.name)


def test_keys_foreign_keys_and_comments(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    fks = {(r[2], r[3], r[4]) for r in db.execute("PRAGMA foreign_key_list(attendance)")}
    assert fks == {("sessions", "archive", "archive"), ("sessions", "session", "id"),
                   ("people", "archive", "archive"), ("people", "person", "id")}
    for t in tables.SCHEMA:
        sql = one(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", t.name)
        assert sql.count(" -- ") == len(t.columns) + 1  # each column and the table carry their comment
        if t.name != "labels":
            assert t.key[0] == "archive"
        pk = [r[1] for r in sorted(db.execute(f'PRAGMA table_info("{t.name}")'), key=lambda r: r[5]) if r[5]]
        assert pk == list(t.key)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    assert {"idx_attendance_archive_person", "idx_certificates_expires", "idx_findings_archive_code"} <= indexes


def test_same_workspace_twice_gives_the_same_database(workspace, tmp_path, monkeypatch):
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    monkeypatch.chdir(workspace)
    assert export(str(a), "beta", "acme").exit_code == 0
    assert export(str(b), "acme", "beta").exit_code == 0
    monkeypatch.chdir(tmp_path)  # another folder, another spelling of the paths
    assert export(str(c), str(workspace)).exit_code == 0
    dump = lambda p: list(sqlite3.connect(p).iterdump())  # noqa: E731
    assert dump(a) == dump(b) == dump(c)
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()


def test_failed_export_leaves_existing_database_intact(workspace, tmp_path, monkeypatch):
    out = tmp_path / "out.db"
    assert export(str(out), str(workspace)).exit_code == 0
    before = out.read_bytes()
    result = export(str(out), str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "no such path" in result.output
    assert out.read_bytes() == before

    original = tables._ROWS["attendance"]

    def broken(src):
        yield from original(src)
        raise OSError("disk full")

    monkeypatch.setitem(tables._ROWS, "attendance", broken)
    result = export(str(out), str(workspace))
    assert result.exit_code == 2 and "cannot write" in result.output and "disk full" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["out.db"]  # no temporary file left


def test_an_export_where_no_archive_can_be_read_keeps_the_earlier_one(workspace, tmp_path):
    """One archive, or every archive of a workspace, that cannot be read: the earlier export
    stays as it was (never replaced by an empty database), exit 2."""
    out = tmp_path / "out.db"
    assert export(str(out), str(workspace)).exit_code == 0
    before = out.read_bytes()
    for name in ("acme", "beta"):
        config = workspace / name / "safetrain.toml"
        config.write_text(config.read_text("utf-8").replace('ruleset = "national"', 'ruleset = "nope-2099"'), "utf-8")
    for target in (workspace / "acme", workspace):
        result = export(str(out), str(target))
        assert result.exit_code == 2 and "nope-2099" in result.stderr, result.output
        assert "no archive could be exported" in result.stderr and "Traceback" not in result.output
        assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["out.db"]



def test_a_mistyped_path_keeps_the_earlier_export(workspace, tmp_path):
    """A path that holds no archive (a typo of one the earlier export holds): which archive it
    meant is not known, so the earlier export is not replaced by one without it; exit 2. With no
    earlier export, the archives found are written as before."""
    out = tmp_path / "out.db"
    assert export(str(out), str(workspace)).exit_code == 0
    before = out.read_bytes()
    result = export(str(out), str(workspace / "beta"), str(workspace / "acme-typo"))
    assert result.exit_code == 2 and "was not replaced: a path holds no archive" in result.stderr, result.output
    assert out.read_bytes() == before
    fresh = tmp_path / "fresh.db"
    result = export(str(fresh), str(workspace / "beta"), str(workspace / "acme-typo"))
    assert result.exit_code == 2 and fresh.is_file()


def test_a_mistyped_path_keeps_a_file_force_would_replace(workspace, tmp_path):
    """--force lets an export replace a file it did not write (an analyst's table added to the
    earlier export): a path holding no archive still keeps it, as it keeps an earlier export."""
    out = tmp_path / "out.db"
    assert export(str(out), str(workspace)).exit_code == 0
    con = sqlite3.connect(out)
    con.execute("CREATE TABLE my_notes (x)")
    con.close()
    before = out.read_bytes()
    result = export(str(out), str(workspace / "beta"), str(workspace / "acme-typo"), "--force")
    assert result.exit_code == 2 and "was not replaced: a path holds no archive" in result.stderr, result.output
    assert out.read_bytes() == before
    assert export(str(out), str(workspace / "beta"), "--force").exit_code == 0  # the paths right: replaced
    assert sqlite3.connect(out).execute("SELECT archive FROM enterprises").fetchall() == [("beta",)]

@pytest.mark.parametrize("broken", ["ruleset", "toml"])
def test_an_earlier_export_holding_an_archive_that_cannot_be_read_now_is_kept(workspace, make_archive, tmp_path,
                                                                              broken):
    """One client's safetrain.toml broken this week (a rule set that cannot be read, or no TOML at
    all): the earlier export, which holds that client, is kept whole (exit 2) instead of being
    replaced by one without its rows; an archive the earlier export never held does not stop it."""
    out = tmp_path / "out.db"
    assert export(str(out), str(workspace)).exit_code == 0
    before = out.read_bytes()
    config = workspace / "beta" / "safetrain.toml"
    config.write_text(config.read_text("utf-8").replace('ruleset = "national"', 'ruleset = "nope-2099"')
                      if broken == "ruleset" else "format = 1 [[[\n", "utf-8")
    result = export(str(out), str(workspace))
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert f"{out} was not replaced: it holds beta, which could not be read this time" in result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["out.db"]
    zh = export(str(out), str(workspace), lang="zh")
    assert zh.exit_code == 2 and f"{out} 未替换：其中已导出的档案 beta 这次无法读取" in zh.stderr
    # a new client that cannot be read: the others are exported as ever (the earlier export never held it)
    config.write_text(config.read_text("utf-8") if broken == "ruleset" else "", "utf-8")
    shutil.copytree(workspace / "beta", workspace / "gamma")
    result = export(str(out), str(workspace / "acme"))  # an export of acme alone: beta is not in it
    assert result.exit_code == 0, result.output
    result = export(str(out), str(workspace))
    assert result.exit_code == 2 and "was not replaced" not in result.stderr, result.output
    assert [a for (a,) in sqlite3.connect(out).execute("SELECT archive FROM enterprises")] == ["acme"]


def test_an_earlier_export_someone_changed_since_is_theirs(workspace, tmp_path):
    """An analyst who adds a table of their own to last week's export (or switches it to WAL) has
    made it theirs: replaced only with --force; one that was only read is still ours."""
    out = tmp_path / "out.db"
    assert export(str(out), str(workspace)).exit_code == 0
    con = sqlite3.connect(out)
    con.execute("SELECT COUNT(*) FROM people").fetchone()
    con.close()
    assert export(str(out), str(workspace)).exit_code == 0  # read, not changed: replaced as ever
    con = sqlite3.connect(out)
    con.execute("CREATE TABLE my_notes (x)")
    con.execute("INSERT INTO my_notes VALUES ('analyst work')")
    con.commit()
    con.close()
    before = out.read_bytes()
    result = export(str(out), str(workspace))
    assert result.exit_code == 2 and "exists and is not an earlier output of this command" in result.output
    assert out.read_bytes() == before
    assert export(str(out), str(workspace), "--force").exit_code == 0
    assert export(str(out), str(workspace)).exit_code == 0  # our own again
    con = sqlite3.connect(out)
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    assert export(str(out), str(workspace)).exit_code == 2


def test_cli_messages_chinese_first_english_with_lang(workspace, tmp_path):
    out = tmp_path / "out.db"
    result = export(str(out), str(workspace), lang="zh")
    assert result.exit_code == 0
    assert result.output == f"{out}：2 个档案，人员 6，培训 4 期，参训记录 8 条，问题 {count_findings(out)} 个\n"
    result = export(str(out), str(workspace))
    assert result.stdout.startswith(f"{out}: 2 archive(s), 6 people, 4 sessions, 8 attendance rows, ")
    assert result.stderr == f"replaced {out}, written by an earlier run\n"
    result = export(str(out), str(tmp_path / "nowhere"), lang="zh")
    assert result.exit_code == 2 and result.output == f"错误：路径不存在：{tmp_path / 'nowhere'}\n"
    result = CliRunner().invoke(main, ["export", "sqlite", str(out), str(workspace), "--as-of", "2024-13-01", "--lang", "en"])
    assert result.exit_code == 2 and "not a valid date: 2024-13-01" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["export", "sqlite", str(tmp_path), str(workspace), "--lang", "en"])
    assert result.exit_code == 2 and "is a directory" in result.output


def count_findings(path):
    con = sqlite3.connect(path)
    try:
        return one(con, "SELECT COUNT(*) FROM findings")
    finally:
        con.close()


def sql_blocks() -> dict[str, str]:
    """The ```sql blocks of docs/export.md, by their first comment line."""
    text = (DOCS / "export.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    return {b.splitlines()[0].removeprefix("-- ").strip(): b for b in blocks}


def test_documented_queries_run_and_answer(db):
    queries = sql_blocks()
    assert {"coverage by department", "certificates expiring by month", "hours per person per year",
            "findings by rule"} <= set(queries)
    for sql in queries.values():
        db.execute(sql).fetchall()
    coverage = db.execute(queries["coverage by department"]).fetchall()
    # on 2024-06-30: E1, E2 (transferred in), E4 active in 机加车间, E3 left; E4 passed S2 in the last 12 months
    assert coverage == [("acme", "机加车间", 3, 3, 100.0), ("beta", "机加车间", 2, 1, 50.0)]
    expiring = db.execute(queries["certificates expiring by month"]).fetchall()
    assert expiring == [("2024-07", "其他", "other certificate", 1)]
    hours = {(r[0], r[1], r[3]): r[4] for r in db.execute(queries["hours per person per year"])}
    assert hours[("acme", "E1", "2023")] == 8 and hours[("acme", "E1", "2024")] == 10
    assert hours[("acme", "E2", "2023")] == 0 and hours[("beta", "B1", "2023")] == 8


def test_opens_in_datasette(db, tmp_path):
    datasette = pytest.importorskip("datasette.app", reason="datasette is not installed (pip install datasette)")
    path = tmp_path / "out.db"

    async def fetch():
        ds = datasette.Datasette(files=[str(path)])
        await ds.invoke_startup()
        people = await ds.client.get("/out/people.json?_shape=array")
        attendance = await ds.client.get("/out/attendance.json?_shape=array&_labels=on&person=E1")
        return people, attendance

    got = []  # run in a thread of its own: a browser test earlier in the session may leave this one's loop running
    worker = threading.Thread(target=lambda: got.append(asyncio.run(fetch())))
    worker.start()
    worker.join(120)
    (people, attendance), = got
    assert people.status_code == 200 and len(people.json()) == 6
    assert attendance.status_code == 200 and len(attendance.json()) == 3


def test_library_writes_without_the_cli(workspace, tmp_path):
    results = [check_path(workspace / "acme", AS_OF)]
    written = write_database(tmp_path / "lib.db", results)
    assert written.archives == 1 and written.counts["people"] == 4 and written.counts["labels"] > 90
    con = sqlite3.connect(tmp_path / "lib.db")
    assert one(con, "SELECT archive FROM enterprises") == "acme"  # one archive: its folder's name
    con.close()


def test_archive_names_relative_to_the_common_folder(make_archive, tmp_path):
    roots = [make_archive({}, root=tmp_path / "ws" / "clients" / n) for n in ("a", "b")]
    roots.append(make_archive({}, root=tmp_path / "ws" / "own"))
    results = [check_path(r, AS_OF) for r in roots]
    assert tables.archive_names(results) == ["clients/a", "clients/b", "own"]
    assert tables.archive_names(results[:1]) == ["a"]


def test_introductions_and_plans_with_their_derived_columns(make_archive, tmp_path):
    root = make_archive({
        "people/E1.toml": person(),  # 机加车间 车工: affected, trained
        "people/E2.toml": person("李梅"),  # affected, untrained
        "people/E3.toml": person("王五", department='"装配车间"', post='"装配工"'),  # not affected
        "people/P1.toml": person("王总", roles='["principal"]', department='"办公室"', post='"总经理"'),
        "sessions/2024/S1.toml": session('{ person = "E1", score = 90 }', type='"new_tech"', level=None,
                                         start="2024-05-10T08:30:00", end="2024-05-10T12:30:00", hours="4"),
        "sessions/2024/S2.toml": session('{ person = "E1", score = 90 }', type='"refresher"', level=None,
                                         start="2024-04-02T08:30:00", end="2024-04-02T12:30:00", hours="4"),
        "introductions/I1.toml": introduction(posts='["车工"]'),
        "introductions/I2.toml": introduction("2024-09-01", title='"新材料"', kind='"material"'),
        "plans/2024.toml": plan(2024, approved_by='"P1"', budget="3000",
                                items=(("refresher", 3), ("new_tech", 6), ("all_staff", 5), ("management", 9))),
        "plans/2023.toml": plan(2023, approved_by='"P404"'),  # A003: the plan all the same, no approver
    })
    out = tmp_path / "v2.db"
    assert export(str(out), str(root)).exit_code == 0
    con = sqlite3.connect(out)
    assert con.execute("SELECT id, kind, date, affected, untrained FROM introductions ORDER BY id").fetchall() == [
        ("I1", "equipment", "2024-05-20", 2, 1), ("I2", "material", "2024-09-01", None, None)]
    assert con.execute("SELECT introduction, position, department FROM introduction_departments").fetchall() == [
        ("I1", 1, "机加车间"), ("I2", 1, "机加车间")]
    assert con.execute("SELECT introduction, post FROM introduction_posts").fetchall() == [("I1", "车工")]
    assert con.execute("SELECT id, year, approved, approved_by, budget, items, items_due, items_done FROM plans"
                       ).fetchall() == [("2023", 2023, "2023-01-05", None, None, 1, 1, 0),
                                        ("2024", 2024, "2024-01-05", "P1", 3000.0, 4, 3, 1)]
    # the state of each item is planstatus's: S2 (a refresher in April) carries out the March refresher item;
    # the new_tech session of May is before the item's month (June)
    assert con.execute("SELECT position, type, month, state, session FROM plan_items WHERE plan = '2024' "
                       "ORDER BY position").fetchall() == [
        (1, "refresher", 3, "done", "S2"), (2, "new_tech", 6, "open", None), (3, "all_staff", 5, "open", None),
        (4, "management", 9, "planned", None)]
    assert con.execute("SELECT zh FROM labels WHERE code_table = 'drill_type' AND code = 'special'").fetchone() == (
        "专项应急预案演练",)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()


def test_notes_quoting_id_numbers_are_masked(make_archive, tmp_path):
    """A person's note and an attendance note masked as their rows are made (the person's own
    number, and one shaped like a 身份证号 of anybody), and not left whole by the export."""
    root = make_archive({
        "people/E1.toml": person(id_number=f'"{ID1}"', extra=f'note = "本人 {ID1}，担保人 {ID2}"\n'),
        "sessions/S1.toml": session(f'{{ person = "E1", score = 90, note = "代签 {ID1} / {ID3}" }}'),
    }, root=tmp_path / "notes")
    out = tmp_path / "notes.db"
    assert export(str(out), str(root)).exit_code == 0
    con = sqlite3.connect(out)
    texts = [one(con, "SELECT note FROM people WHERE id = 'E1'"), one(con, "SELECT note FROM attendance")]
    con.close()
    for text in texts:
        assert not any(n in text for n in (ID1, ID2, ID3)), text
    assert texts[0] == f"本人 {ID1[:6]}********{ID1[-4:]}，担保人 {ID2[:6]}********{ID2[-4:]}"
    assert texts[1] == f"代签 {ID1[:6]}********{ID1[-4:]} / {ID3[:6]}********{ID3[-4:]}"


def test_unmasked_findings_say_the_numbers_whole(tmp_path, monkeypatch):
    """--unmasked: a finding's message names a certificate number (the holder's 身份证号 inside)
    whole, as the certificates table does, also from the cache's result; masked otherwise."""
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "cache"))
    sample = Path(__file__).resolve().parents[2] / "sample_archive" / "xingqing-machinery"
    whole, masked = "640121198606149911", "640121********9911"
    for run in ("first", "from the cache"):
        for args, shown, hidden in (((), masked, whole), (("--unmasked",), whole, masked)):
            out = tmp_path / f"{run}{args}.db"
            assert export(str(out), str(sample), *args).exit_code == 0
            con = sqlite3.connect(out)
            messages = " ".join(zh + en for zh, en in con.execute("SELECT message_zh, message_en FROM findings"))
            con.close()
            assert shown in messages and hidden not in messages, (run, args)


@pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin", reason="a folder name that is no UTF-8 needs Linux")
def test_an_archive_folder_whose_name_is_no_utf8_is_exported_and_listed(make_archive, tmp_path):
    """A folder name Python reads with lone surrogates (byte 0xff) is written out as its bytes
    (`coal\\xff`) wherever a name is stored: the SQLite and Parquet `archive` column, the
    calendar's UIDs; no internal error, and the other archive of the workspace goes along."""
    ws = tmp_path / "ws"
    make_archive(ACME, root=ws / os.fsdecode(b"coal\xff"))
    make_archive(BETA, root=ws / "beta")
    out = tmp_path / "out.db"
    r = export(str(out), str(ws))
    assert r.exit_code == 0, r.output
    con = sqlite3.connect(out)
    try:
        assert [a for (a,) in con.execute("SELECT archive FROM enterprises ORDER BY archive")] == ["beta", "coal\\xff"]
    finally:
        con.close()
    # the terminal's own streams write such a name back as its bytes (surrogateescape): a real process
    done = subprocess.run([sys.executable, "-m", "safetrain", "expiring", ws, "--as-of", str(AS_OF),
                           "--ics", tmp_path / "c.ics"], capture_output=True)
    assert done.returncode == 0 and b"coal\xff" in done.stdout, done.stderr.decode("utf-8", "replace")
    assert (tmp_path / "c.ics").read_bytes().count(b"UID:") >= 1


def test_a_session_not_over_on_as_of_credits_nothing_yet(make_archive, tmp_path):
    """credited_hours is computed as of as_of by check's code: a session still running (or not yet
    begun) on as_of credits nothing, as it credits nothing to Y001 or the ledger's hours sheet; the
    hours-per-year query of docs/export.md then agrees with check. `passed` stays as recorded."""
    from datetime import date

    root = make_archive({
        "people/E1.toml": person(),
        "sessions/S1.toml": session(start="2023-07-01T08:30:00", end="2023-07-01T17:30:00"),
        "sessions/S2.toml": session(type='"refresher"', level=None, start="2023-09-01T08:30:00",
                                    end="2023-09-02T17:30:00", hours="16"),
        "sessions/S3.toml": session(type='"refresher"', level=None, start="2023-09-10T08:30:00",
                                    end="2023-09-10T17:30:00"),
    })
    for as_of, credited in [(date(2023, 9, 1), {"S1": 8.0, "S2": 0.0, "S3": 0.0}),
                            (date(2023, 9, 2), {"S1": 8.0, "S2": 16.0, "S3": 0.0}),
                            (date(2023, 9, 30), {"S1": 8.0, "S2": 16.0, "S3": 8.0})]:
        result = check_path(root, as_of)
        out = tmp_path / f"{as_of}.db"
        write_database(out, [result])
        with sqlite3.connect(out) as db:
            rows = db.execute("SELECT session, passed, credited_hours FROM attendance ORDER BY session").fetchall()
        assert rows == [(sid, 1, hours) for sid, hours in credited.items()]
        assert sum(credited.values()) == result.context.credited("E1")


def test_a_person_numbered_by_their_id_number_is_exported_under_a_masked_key(make_archive, tmp_path):
    """An enterprise that numbers its people by their 身份证号: people.id, attendance.person, the
    file and a finding's subject held the number whole in a masked export (only id_number was
    masked). Each now holds the one masked key, joins hold, and --unmasked keeps the id."""
    from helpers import ID_NUMBERS

    pid = ID_NUMBERS[1]
    root = make_archive({f"people/{pid}.toml": person(hired="2023-07-03"),
                         "sessions/S1.toml": session(f'{{ person = "{pid}", score = 90 }}'),
                         "people/E2.toml": person("李梅", hired="2023-07-03")})
    result = check_path(root, AS_OF)
    assert any(f.subject == pid for f in result.findings)
    out = tmp_path / "masked.db"
    write_database(out, [result])
    key = pid[:6] + "********" + pid[-4:]
    with sqlite3.connect(out) as db:
        dump = "\n".join(db.iterdump())
        assert pid not in dump
        (people_id, file), = db.execute("SELECT id, file FROM people WHERE id LIKE ?", (key + "%",)).fetchall()
        assert file == f"people/{people_id}.toml" and people_id == key  # nothing of the hidden digits in it
        assert db.execute("SELECT person FROM attendance").fetchall() == [(people_id,)]
        assert db.execute("SELECT COUNT(*) FROM findings WHERE subject = ?", (people_id,)).fetchone()[0] >= 1
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("SELECT id FROM people WHERE id = 'E2'").fetchone() == ("E2",)
    plain = tmp_path / "unmasked.db"
    write_database(plain, [result], unmasked=True)
    with sqlite3.connect(plain) as db:
        assert db.execute("SELECT person FROM attendance").fetchall() == [(pid,)]


def test_masked_keys_hold_nothing_of_the_hidden_digits():
    """The key was the mask and six characters of the number's SHA-256: trying the 45,000 birth
    dates of the hidden digits gave every number back. Two numbers that mask alike are ~1, ~2."""
    from safetrain.archive.reading.gbcodes import masked_keys

    a, b, c = "640104198505120013", "640104199001010013", "640104198505125201"
    assert masked_keys([c, b, a, "E1"]) == {a: "640104********0013~1", b: "640104********0013~2",
                                            c: "640104********5201"}


def test_a_person_file_not_read_keeps_its_own_masked_key(make_archive, tmp_path):
    """A person file with an A002 was in no key: its findings' subject masked to the same key as
    a person read (one town, the same last four), and a join gave them to that person; its file's
    name held the number whole."""
    a, b = "640104198501090013", "640104199001020013"
    root = make_archive({f"people/{a}.toml": person("甲", hired="2023-07-03"),
                         f"people/{b}.toml": person("乙", hired="2023-07-03", employment='"bogus"')})
    out = tmp_path / "x.db"
    write_database(out, [check_path(root, AS_OF)])
    with sqlite3.connect(out) as db:
        dump = "\n".join(db.iterdump())
        assert a not in dump and b not in dump
        (key,), = db.execute("SELECT id FROM people").fetchall()
        assert key == "640104********0013~1"
        assert db.execute("SELECT COUNT(*) FROM findings WHERE subject = ?", (key,)).fetchone()[0] == 0 or all(
            f == f"people/{key}.toml" for (f,) in db.execute("SELECT file FROM findings WHERE subject = ?", (key,)))
        bad = db.execute("SELECT DISTINCT subject FROM findings WHERE code = 'A002'").fetchall()
        assert bad == [("640104********0013~2",)], bad
