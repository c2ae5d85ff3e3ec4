"""With mask_id_numbers at its default, no 身份证号 leaves the tool whole: not a valid one
inside a certificate number, not one with a typo (A006), in any output."""

import json
import re
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner

from helpers import ID_NUMBERS, certificate, drill, person, plan, session
from safetrain.cli import main

AS_OF = ["--as-of", "2024-06-30"]
TYPO = "6401211977112300"  # 16 characters: A006, and shaped like no ID number at all
VALID = ID_NUMBERS[2]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def root(make_archive):
    expired = certificate(number=f"T{TYPO}", issued="2018-03-01", expires="2024-02-28")
    return make_archive({
        "people/E1.toml": person(id_number=f'"{TYPO}"', extra=expired + '\n[[violations]]\ndate = 2024-01-05\n'
                                 f'note = "身份证 {TYPO} 复印件缺失"\n'),
        "people/E2.toml": person("李梅", id_number=f'"{VALID}"',
                                 extra=certificate(number=f"T{VALID}", reviews="2024-02-20")),
        # ID numbers in text that is no person's: a session's content, a drill's evaluation, a plan's audience
        "sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E2", score = 90 }',
                                    content=f'"补签人 {VALID}"'),
        "drills/D1.toml": drill(participants='"E1"', evaluation=f'"记录人 {VALID}"'),
        "people/E3.toml": person("王五", department=f'"前厅 {VALID}"'),  # even where no ID belongs: the views mask it
        "plans/2024.toml": plan(approved="2024-01-05").replace('audience = "全体员工"', f'audience = "新员工 {VALID}"'),
    })


def leaks(text: str) -> list[str]:
    return [n for n in (TYPO, VALID) if n in text]


def test_check_in_every_format(root):
    for fmt in ("text", "json", "github", "junit"):
        r = run("check", root, "--format", fmt, *AS_OF)
        assert r.exit_code == 1, r.output
        assert "A006" in r.output and "C002" in r.output, fmt
        assert leaks(r.output) == [], (fmt, r.output)


def test_ledger_every_sheet(root, tmp_path):
    from openpyxl import load_workbook

    assert run("ledger", "-a", root, "-o", tmp_path / "l.xlsx", *AS_OF).exit_code == 0
    book = load_workbook(tmp_path / "l.xlsx")
    text = "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    assert "T640121******2300" in text and leaks(text) == []


def test_sqlite_export_every_table(root, tmp_path):
    db = tmp_path / "x.db"
    assert run("export", "sqlite", db, root, *AS_OF).exit_code == 0
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    values = [str(v) for t in tables for row in con.execute(f'SELECT * FROM "{t}"') for v in row if v is not None]
    assert any(v.startswith("T640104") for v in values)
    assert leaks("\n".join(values)) == []
    numbers = dict(con.execute("SELECT person, number FROM certificates"))
    assert numbers == {"E1": "T640121******2300", "E2": f"T{VALID[:6]}********{VALID[-4:]}"}
    unmasked = tmp_path / "u.db"
    assert run("export", "sqlite", unmasked, root, "--unmasked", *AS_OF).exit_code == 0
    assert dict(sqlite3.connect(unmasked).execute("SELECT person, number FROM certificates"))["E2"] == f"T{VALID}"


def test_status_and_matrix(root):
    for args in (["status", root, "--format", "json"], ["status", root], ["matrix", "-a", root, "--format", "json"]):
        r = run(*args, *AS_OF)
        assert r.exit_code == 0 and leaks(r.output) == [], (args, r.output)


def test_expiring_and_its_calendar(root, tmp_path):
    r = run("expiring", root, "--format", "json", "--ics", tmp_path / "c.ics", *AS_OF)
    assert r.exit_code == 0 and json.loads(r.stdout)["items"], r.output
    assert leaks(r.output) == [] and leaks((tmp_path / "c.ics").read_text("utf-8")) == []


def test_word_documents_and_html(root, tmp_path):
    r = run("render", "person", "--all", "-a", root, "-o", tmp_path / "docs", *AS_OF)
    assert r.exit_code == 0, r.output
    for doc in (tmp_path / "docs").iterdir():
        with zipfile.ZipFile(doc) as z:
            assert leaks("".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))) == [], doc
    for kind in ("register", "session", "drill", "plan"):
        r = run("render", kind, "--all", "-a", root, "-o", tmp_path / kind, *AS_OF) if kind != "register" else \
            run("render", kind, "-a", root, "-o", tmp_path / kind, *AS_OF)
        assert r.exit_code == 0, r.output
        for doc in (tmp_path / kind).iterdir():
            with zipfile.ZipFile(doc) as z:
                text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
                assert leaks(text) == [], doc
    r = run("report", "html", root, "-o", tmp_path / "site", *AS_OF)
    assert r.exit_code == 0, r.output
    pages = [p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html")]
    assert pages and leaks("\n".join(pages)) == []


def test_cert_list_masks_an_id_in_a_category_and_mask_false_is_honoured_everywhere(make_archive, tmp_path):
    from helpers import config

    files = {"people/E1.toml": person(extra=certificate(number=f"T{VALID}", kind="other", category=f"叉车 {VALID}",
                                                        issued="2021-01-01", expires="2024-07-20"))}
    masked = make_archive(files, root=tmp_path / "m")
    r = run("cert", "list", "-a", masked, "--format", "json", *AS_OF)
    assert r.exit_code == 0 and leaks(r.output) == [], r.output
    unmasked = make_archive({**files, "safetrain.toml": config() + "\n[settings]\nmask_id_numbers = false\n"},
                            root=tmp_path / "u")
    for args in (["cert", "list", "-a", unmasked, "--format", "json"], ["expiring", unmasked, "--format", "json"],
                 ["status", unmasked, "--format", "json"]):
        r = run(*args, *AS_OF)
        assert r.exit_code == 0, (args, r.output)
        if args[0] != "status":
            assert f"T{VALID}" in r.output, args  # the archive's own choice, as check and the exports honour it


def test_people_numbered_by_their_id_numbers(make_archive, tmp_path):
    """An enterprise that numbers its people by their 身份证号: the ledger masks the 工号, the finding's
    subject and the file named by it as the Word documents print them (person file: 640104********0013)."""
    from docx import Document
    from openpyxl import load_workbook

    root = make_archive({
        f"people/{VALID}.toml": person(id_number=f'"{VALID}"'),
        "sessions/S1.toml": session(f'{{ person = "{VALID}", score = 90 }}', hours="1"),  # too few hours: findings
    })
    assert run("ledger", "-a", root, "-o", tmp_path / "l.xlsx", *AS_OF).exit_code == 0
    book = load_workbook(tmp_path / "l.xlsx")
    cells = [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert leaks("\n".join(cells)) == []
    masked = VALID[:6] + "********" + VALID[-4:]
    assert masked in cells and f"people/{masked}.toml" in cells  # the 工号 and the file, masked as printed
    assert run("render", "person", VALID, "-a", root, "-o", tmp_path / "docs", *AS_OF).exit_code == 0
    doc = Document(next((tmp_path / "docs").glob("*.docx")))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert masked in text and leaks(text) == []


def test_documents_of_people_numbered_by_their_id_numbers_are_named_masked(make_archive, tmp_path):
    """The file name and the title in a document's properties named such a 工号 whole; now its
    masked key, as the exports name the person: two numbers that mask alike are ~1 and ~2 by
    hiring day, so neither document replaces the other."""
    alike = "640104197001190013"  # masks as VALID does: 640104********0013
    root = make_archive({
        f"people/{VALID}.toml": person(id_number=f'"{VALID}"', hired="2020-01-01"),
        f"people/{alike}.toml": person("李梅", id_number=f'"{alike}"', hired="2019-01-01"),
    })
    r = run("render", "person", "--all", "-a", root, "-o", tmp_path / "docs", *AS_OF)
    assert r.exit_code == 0 and leaks(r.output) == [] and alike not in r.output, r.output
    docs = sorted(p.name for p in (tmp_path / "docs").iterdir())
    assert docs == ["person-640104xxxxxxxx0013~1.docx", "person-640104xxxxxxxx0013~2.docx"], docs
    titles = {}
    for name in docs:
        with zipfile.ZipFile(tmp_path / "docs" / name) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
            titles[name] = re.search("<dc:title>([^<]*)", core).group(1)
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
            assert leaks(text) == [] and alike not in text, name
    assert titles == {"person-640104xxxxxxxx0013~1.docx": "员工安全教育培训档案 640104********0013~1",  # 李梅, hired first
                      "person-640104xxxxxxxx0013~2.docx": "员工安全教育培训档案 640104********0013~2"}
    with zipfile.ZipFile(tmp_path / "docs" / docs[0]) as z:
        assert "李梅" in z.read("word/document.xml").decode("utf-8")
    # a mentorship is named by its apprentice, as that person's documents and the exports name them
    from helpers import mentorship
    (root / "people/M1.toml").write_text(person("赵师傅", hired="2010-01-01", post_since="2010-01-01"), "utf-8")
    (root / "mentorships").mkdir(exist_ok=True)
    (root / f"mentorships/{VALID}.toml").write_text(mentorship(start="2024-01-02"), "utf-8")
    r = run("render", "mentorship", "--all", "-a", root, "-o", tmp_path / "m", *AS_OF)
    assert r.exit_code == 0 and [p.name for p in (tmp_path / "m").iterdir()] == ["mentorship-640104xxxxxxxx0013~2.docx"]
    # a record skipped for its errors is named so too
    (root / f"people/{alike}.toml").write_text(person("李梅", id_number=f'"{alike}"', hired="2019-01-01") + "x = 1\n",
                                               "utf-8")
    r = run("render", "person", "--all", "-a", root, "-o", tmp_path / "s", *AS_OF)
    assert "未打印：640104********0013~2" in r.output and alike not in r.output, r.output  # (unread: no hiring day)
    # a masked name that is another record's own id: refused, not one document over the other
    for other in ("640104xxxxxxxx0013", "640104XXXXXXXX0013"):  # (one file where names ignore case)
        clash = make_archive({f"people/{VALID}.toml": person(id_number=f'"{VALID}"'),
                              f"people/{other}.toml": person("王五")}, root=tmp_path / other)
        r = run("render", "person", "--all", "-a", clash, "-o", tmp_path / "c", *AS_OF)
        assert r.exit_code == 2 and "文件名相同" in r.output and not (tmp_path / "c").exists(), r.output
    (root / f"people/{alike}.toml").write_text(person("李梅", id_number=f'"{alike}"', hired="2019-01-01"), "utf-8")
    # the archive's own choice: named whole
    from helpers import config
    (root / "safetrain.toml").write_text(config() + "\n[settings]\nmask_id_numbers = false\n", encoding="utf-8")
    assert run("render", "person", VALID, "-a", root, "-o", tmp_path / "whole", *AS_OF).exit_code == 0
    assert [p.name for p in (tmp_path / "whole").iterdir()] == [f"person-{VALID}.docx"]


def test_people_numbered_by_their_id_numbers_in_the_terminal_and_every_format(make_archive):
    """check (text, json, github, junit), cert list and pair printed such a 工号 whole (in the
    finding's subject and file, the 工号 column, the pairs); expiring printed it whole where the
    table wrapped it over two lines (masked after the wrap, each half shaped like no 身份证号)."""
    expired = certificate(number=f"JK-{VALID}", kind="other", category="餐饮服务从业人员健康证明", issued="2020-01-01",
                          expires="2024-01-01")
    root = make_archive({
        f"people/{VALID}.toml": person(id_number=f'"{VALID}"', department='"综合管理部后勤保障中心食堂"', extra=expired),
        "sessions/S1.toml": session(f'{{ person = "{VALID}", score = 90 }}', hours="1"),
    })
    outputs = []
    for fmt in ("text", "json", "github", "junit"):
        r = run("check", root, "--format", fmt, *AS_OF)
        assert r.exit_code == 1 and "********" in r.output, (fmt, r.output)
        # the file is where the finding is (an annotation, an editor's jump need it): the path as it is
        outputs.append(r.output.replace(f"people/{VALID}.toml", "people/(the file).toml"))
        assert f"people/{VALID}.toml" in r.output
    base = root.parent / "baseline.json"
    assert run("check", root, "--write-baseline", base, *AS_OF).exit_code == 0
    (root / "sessions/S1.toml").unlink()
    r = CliRunner().invoke(main, ["check", str(root), "--baseline", str(base), *AS_OF])
    assert "no longer present" in r.output or "已不再出现" in r.output, r.output
    outputs.append(r.output.replace(f"people/{VALID}.toml", "people/(the file).toml"))
    for args in (["cert", "list", "-a", root], ["cert", "list", "-a", root, "--format", "json"],
                 ["pair", "-a", root, "--apprentice", VALID], ["pair", "-a", root, "--apprentice", VALID,
                                                               "--format", "json"]):
        r = run(*args, *AS_OF)
        outputs.append(r.output)
    for columns in ("60", "80", "100", "120"):
        r = CliRunner(env={"COLUMNS": columns}).invoke(main, ["--lang", "en", "expiring", str(root), "--within", "3650",
                                                              *AS_OF])
        assert r.exit_code == 0 and "JK-" in r.output, r.output
        # the 工号 wrapped over two lines was masked in halves: 640104*****5120 / 013 (as a 15-digit number)
        assert {run for run in re.findall(r"\*+", r.output)} == {"********"}, r.output
        outputs.append(r.output.replace("\n", "").replace(" ", ""))
        for view in (["status", str(root)], ["matrix", "-a", str(root)]):
            outputs.append(CliRunner(env={"COLUMNS": columns}).invoke(main, [*view, *AS_OF]).output.replace(
                "\n", "").replace(" ", ""))
    assert [leaks(o) for o in outputs] == [[]] * len(outputs)


def test_a_calendar_masks_before_it_folds_its_lines(make_archive, tmp_path, monkeypatch):
    """expiring --ics masked the calendar after folding it at 75 octets: a 工号 cut by a fold was
    whole once the calendar was read (unfolded). Names of every length put the cut everywhere."""
    due = certificate(number="JK-1", kind="other", category="餐饮服务从业人员健康证明", issued="2020-01-01",
                      expires="2024-08-01")
    monkeypatch.chdir(tmp_path)  # the archive's name in the calendar: a0, a1, ...
    for n in range(12):
        make_archive({f"people/{VALID}.toml": person("张" * (n + 1), id_number=f'"{VALID}"', extra=due)},
                     root=tmp_path / f"a{n}")
        r = run("expiring", f"a{n}", "--ics", tmp_path / f"c{n}.ics", "--within", "3650", *AS_OF)
        assert r.exit_code == 0, r.output
        unfolded = (tmp_path / f"c{n}.ics").read_bytes().decode("utf-8").replace("\r\n ", "")  # as read
        assert "JK-1" in unfolded and leaks(unfolded) == [], n


def test_an_id_number_written_in_groups_is_masked_too(make_archive, tmp_path):
    """A note "曾用身份证 640104 19850512 0013" (the number as people type it, in groups) was printed
    whole in the person's Word file: only an unbroken run of 15 or 18 characters was masked."""
    from docx import Document
    from openpyxl import load_workbook

    grouped = f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}"
    root = make_archive({"people/E1.toml": person(note=f'"曾用身份证 {grouped}；又写作 {grouped.replace(" ", "-")}"')})
    assert run("render", "person", "E1", "-a", root, "-o", tmp_path / "docs", *AS_OF).exit_code == 0
    doc = Document(next((tmp_path / "docs").glob("*.docx")))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "曾用身份证" in text and VALID[6:14] not in text, text
    assert run("ledger", "-a", root, "-o", tmp_path / "l.xlsx", *AS_OF).exit_code == 0
    cells = "\n".join(str(c) for ws in load_workbook(tmp_path / "l.xlsx") for row in ws.iter_rows(values_only=True)
                      for c in row if c is not None)
    assert VALID[6:14] not in cells
    assert run("export", "sqlite", tmp_path / "x.db", root, *AS_OF).exit_code in (0, 1)
    with sqlite3.connect(tmp_path / "x.db") as db:
        assert VALID[6:14] not in "\n".join(db.iterdump())


def test_the_writing_commands_print_a_工号_that_is_a_身份证号_masked(make_archive, tmp_path):
    """import roster, attend (and its refusal), cert add and person leave printed such a 工号 whole (in
    an id, a path, an error), beside the same number masked; as every view, masked now, unless the
    archive says mask_id_numbers = false."""
    from helpers import config

    root = make_archive({"sessions/S1.toml": session(None, type='"all_staff"', level=None)})
    sheet = tmp_path / "r.csv"
    sheet.write_text(f"工号,姓名,身份证号,部门,岗位,用工形式,入职日期,备注\n{VALID},马强,{VALID},车间,操作工,正式工,2023-07-03,"
                     f"原工号 {VALID}\n", encoding="utf-8")  # (a note holding it: the --dry-run preview printed it whole)
    runs = [run("import", "roster", sheet, "-a", root, "--dry-run"), run("import", "roster", sheet, "-a", root),
            run("attend", "S1", VALID, "--score", "80", "-a", root),
            run("attend", "S1", VALID, "--score", "80", "-a", root),  # refused: already listed
            run("cert", "add", VALID, "--kind", "other", "--category", "叉车", "--number", "X1", "--issued",
                "2023-08-01", "--expires", "2026-08-01", "-a", root),
            run("person", "leave", VALID, "--date", "2024-05-01", "-a", root, "--lang", "en")]
    assert [r.exit_code for r in runs] == [0, 0, 0, 2, 0, 0], [r.output for r in runs]
    assert all(leaks(r.output) == [] and VALID[:6] + "********" + VALID[-4:] in r.output for r in runs), \
        [r.output for r in runs]
    (root / "safetrain.toml").write_text(config() + "\n[settings]\nmask_id_numbers = false\n", encoding="utf-8")
    r = run("attend", "S1", VALID, "--score", "80", "-a", root)
    assert r.exit_code == 2 and VALID in r.output, r.output  # the archive's own choice
