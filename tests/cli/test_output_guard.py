"""Every output command: never into an archive's records; over an existing file only
when it wrote that file before (and says so), or with --force."""

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ID_NUMBERS, person, session
from safetrain.cli import main

AS_OF = ["--as-of", "2024-06-30"]


def run(*args, cwd=None):
    runner = CliRunner(env={"SAFETRAIN_LANG": "en"})
    if cwd is None:
        return runner.invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


@pytest.fixture
def root(make_archive):
    return make_archive({
        "people/E1.toml": person(id_number=f'"{ID_NUMBERS[1]}"'),
        "sessions/S1.toml": session(),
        "templates/register.docx": b"PK-not-really",
        "contracts/c.pdf": b"%PDF-1.4\n%%EOF\n",
        ".safetrain.lock": b"",
    })


SUFFIX = {"export sqlite": ".db", "expiring --ics": ".ics", "ledger": ".xlsx", "check --write-baseline": ".json",
          "import roster --template": "-template.xlsx", "import attendance --template": "-signin.xlsx"}


def commands(root: Path, target: str | Path, *extra: str) -> dict[str, list[str]]:
    """Each output command writing the file `target` (a Path: that stem with the command's suffix)."""
    a = str(root)

    def t(name):
        return str(target.parent / (target.name + SUFFIX[name])) if isinstance(target, Path) else target

    return {
        "export sqlite": ["export", "sqlite", t("export sqlite"), a, *AS_OF, *extra],
        "expiring --ics": ["expiring", a, "--ics", t("expiring --ics"), *AS_OF, *extra],
        "ledger": ["ledger", "-a", a, "-o", t("ledger"), *AS_OF, *extra],
        "check --write-baseline": ["check", a, "--write-baseline", t("check --write-baseline"), *AS_OF, *extra],
        "import roster --template": ["import", "roster", "--template", t("import roster --template"), *extra],
        "import attendance --template": ["import", "attendance", "--template", t("import attendance --template"),
                                         *extra],
    }


RECORD_FILES = ["safetrain.toml", "people/E1.toml", "sessions/S1.toml", "templates/register.docx", "contracts/c.pdf",
                ".safetrain.lock"]


@pytest.mark.parametrize("rel", RECORD_FILES)
def test_no_output_command_replaces_a_record_not_even_with_force(root, rel):
    before = (root / rel).read_bytes()
    for name, args in commands(root, str(root / rel), "--force").items():
        r = run(*args)
        assert r.exit_code == 2, (name, r.output)
        assert "not written to" in r.output and "internal error" not in r.output, (name, r.output)
        assert (root / rel).read_bytes() == before, name
    assert sorted(p.name for p in (root / rel).parent.iterdir() if p.name.endswith(".tmp")) == []


def test_folders_of_records_are_refused_for_render_and_schema(root):
    for folder in ("templates", "people", "sessions/2023", "attachments"):
        r = run("render", "person", "E1", "-a", str(root), "-o", str(root / folder), *AS_OF, "--force")
        assert r.exit_code == 2 and "not written to" in r.output, (folder, r.output)
        r = run("schema", "-o", str(root / folder), "--force")
        assert r.exit_code == 2 and "not written to" in r.output, (folder, r.output)
    assert (root / "templates" / "register.docx").read_bytes() == b"PK-not-really"
    assert not (root / "people" / "person.schema.json").exists()



def test_git_s_own_folder_is_never_an_output(root, tmp_path):
    """`-o ARCHIVE/.git` made a `.git` folder in the archive that broke git there; no output goes
    into a `.git` folder, the archive's or a repository's."""
    for out in (root / ".git", tmp_path / "repo" / ".git" / "site"):
        r = run("report", "html", str(root), "-o", str(out), *AS_OF)
        assert r.exit_code == 2 and "inside git's .git folder" in r.output, (out, r.output)
        assert not out.exists()
    r = run("export", "sqlite", str(root / ".git" / "x.db"), str(root), *AS_OF)
    assert r.exit_code == 2 and not (root / ".git").exists()

def test_a_link_outside_that_points_into_the_records_is_refused(root, tmp_path):
    link = tmp_path / "innocent.ics"
    link.symlink_to(root / "people" / "E1.toml")
    before = (root / "people" / "E1.toml").read_bytes()
    r = run("expiring", str(root), "--ics", str(link), *AS_OF, "--force")
    assert r.exit_code == 2 and "not written to" in r.output
    assert (root / "people" / "E1.toml").read_bytes() == before


def test_an_existing_file_of_someone_else_needs_force(root, tmp_path):
    for name, args in commands(root, tmp_path / "mine").items():
        mine = tmp_path / ("mine" + SUFFIX[name])
        mine.write_bytes(b"my own notes")
        r = run(*args)
        assert r.exit_code == 2 and "exists and is not an earlier output of this command: --force replaces it" \
            in r.output, (name, r.output)
        assert mine.read_bytes() == b"my own notes", name
        r = run(*args, "--force")
        assert r.exit_code in (0, 1), (name, r.output)
        assert mine.read_bytes() != b"my own notes", name
        assert f"replaced {mine} (--force)" in r.stderr, (name, r.stderr)


def test_an_earlier_output_of_the_same_command_is_replaced_and_says_so(root, tmp_path):
    for name, args in commands(root, tmp_path / "out").items():
        out = tmp_path / ("out" + SUFFIX[name])
        first = run(*args)
        assert first.exit_code in (0, 1) and "replaced" not in first.stderr, (name, first.output)
        second = run(*args)
        assert second.exit_code in (0, 1), (name, second.output)
        assert f"replaced {out}, written by an earlier run" in second.stderr, (name, second.stderr)


def test_one_commands_output_is_not_anothers(root, tmp_path):
    """A ledger is not a roster template, a calendar is not a baseline: --force is needed."""
    target = str(tmp_path / "x.xlsx")
    assert run("ledger", "-a", str(root), "-o", target, *AS_OF).exit_code == 0
    r = run("import", "roster", "--template", target)
    assert r.exit_code == 2 and "--force replaces it" in r.output
    target = str(tmp_path / "x.json")
    assert run("expiring", str(root), "--ics", target, *AS_OF).exit_code == 0
    r = run("check", str(root), "--write-baseline", target, *AS_OF)
    assert r.exit_code == 2 and "--force replaces it" in r.output


def test_an_office_file_saved_by_a_person_since_is_theirs(root, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "l.xlsx"
    assert run("ledger", "-a", str(root), "-o", str(target), *AS_OF).exit_code == 0
    book = load_workbook(target)
    book.properties.lastModifiedBy = "王会计"  # what Excel does when someone saves it
    book.save(target)
    r = run("ledger", "-a", str(root), "-o", str(target), *AS_OF)
    assert r.exit_code == 2 and "--force replaces it" in r.output


def test_an_export_made_before_the_application_id_is_still_recognised(root, tmp_path):
    target = tmp_path / "old.db"
    assert run("export", "sqlite", str(target), str(root), *AS_OF).exit_code == 0
    db = sqlite3.connect(target)
    db.execute("PRAGMA application_id = 0")
    db.commit()
    db.close()
    r = run("export", "sqlite", str(target), str(root), *AS_OF)
    assert r.exit_code == 0 and "written by an earlier run" in r.stderr
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE people (id TEXT)")
    db.commit()
    db.close()
    assert run("export", "sqlite", str(other), str(root), *AS_OF).exit_code == 2


def test_render_prints_into_printed_and_replaces_its_own_documents(root, tmp_path):
    r = run("render", "person", "E1", "-a", str(root), *AS_OF)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == str(root / "printed" / "person-E1.docx")
    r = run("render", "person", "E1", "-a", str(root), *AS_OF)
    assert r.exit_code == 0 and "written by an earlier run" in r.stderr
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "person-E1.docx").write_bytes(b"a letter I wrote")
    r = run("render", "person", "--all", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF)
    assert r.exit_code == 2 and "person-E1.docx exists" in r.output
    assert (tmp_path / "out" / "person-E1.docx").read_bytes() == b"a letter I wrote"
    r = run("render", "person", "--all", "-a", str(root), "-o", str(tmp_path / "out"), *AS_OF, "--force")
    assert r.exit_code == 0 and "(--force)" in r.stderr


def test_ledger_default_name_in_the_current_folder(root, tmp_path):
    r = run("ledger", "-a", str(root), *AS_OF, cwd=tmp_path)
    name = "宁夏测试机械有限公司-台账-2024-06-30.xlsx"
    assert r.exit_code == 0 and r.stdout.strip() == name, r.output
    assert (tmp_path / name).is_file()
    r = run("ledger", "-a", str(root), *AS_OF, cwd=tmp_path)
    assert r.exit_code == 0 and f"replaced {name}, written by an earlier run" in r.stderr


def test_init_ignores_the_lock_temporary_files_and_printed(tmp_path):
    import subprocess

    target = tmp_path / "new"
    r = run("init", str(target), "--name", "银川测试餐饮有限公司", "--credit-code", "91350100M000100Y43",
            "--industry", "catering", "--region", "宁夏回族自治区银川市兴庆区", "--no-crowded-place", "--no-uses-gas")
    assert r.exit_code == 0, r.output
    for name in (".safetrain.lock", ".E1.toml.ab12cd_9.safetrain.tmp", "printed/person-E1.docx"):
        (target / name).parent.mkdir(exist_ok=True)
        (target / name).write_bytes(b"x")
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    ignored = subprocess.run(["git", "-C", str(target), "status", "--porcelain", "--ignored"], capture_output=True,
                             text=True, check=True).stdout
    assert "!! .safetrain.lock" in ignored and "!! .E1.toml.ab12cd_9.safetrain.tmp" in ignored and "!! printed/" in ignored


def test_a_blank_sign_in_sheet_is_claimed_like_every_document(root, tmp_path):
    r = run("render", "signin", "--department", "机加车间", "-a", str(root), *AS_OF)
    assert r.exit_code == 0 and r.stdout.strip() == str(root / "printed" / "signin-机加车间.docx"), r.output
    r = run("render", "signin", "--department", "机加车间", "-a", str(root), *AS_OF)
    assert r.exit_code == 0 and "written by an earlier run" in r.stderr
    r = run("render", "signin", "--department", "机加车间", "-a", str(root), "-o", str(root / "sessions"), *AS_OF)
    assert r.exit_code == 2 and "not written to" in r.output


def test_a_department_name_a_file_cannot_hold_is_made_safe(make_archive):
    """A department written with / or : names the blank sign-in sheet with _ in their place
    (one helper, fmt.file_name_part, as the ledger's default name): never a path elsewhere."""
    root = make_archive({"people/E1.toml": person(department='"机加/装配:一"')})
    r = run("render", "signin", "--department", "机加/装配:一", "-a", str(root), *AS_OF)
    assert r.exit_code == 0 and r.stdout.strip() == str(root / "printed" / "signin-机加_装配_一.docx"), r.output


def test_the_archive_an_output_would_land_in_is_named_as_every_line_names_it(make_archive, monkeypatch):
    """From inside the archive its refusal said `..`-style names elsewhere and the machine's whole
    path here: one naming (discover.display_name)."""
    from click.testing import CliRunner

    from safetrain.cli import main

    root = make_archive({"people/E1.toml": person()})
    monkeypatch.chdir(root / "people")
    r = CliRunner().invoke(main, ["ledger", "..", "-o", "x.xlsx", "--lang", "en"])
    assert r.exit_code == 2 and "x.xlsx is inside the people of the archive ..: not written to" in r.output, r.output
    assert str(root) not in r.output


def snapshot_of(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_output_below_a_file_names_the_file_that_is_no_folder(root, tmp_path):
    """-o afile/x.xlsx where afile is a file: the error says afile is no folder (it said the
    system's "File exists", of the file that was to be written)."""
    afile = tmp_path / "afile"
    afile.write_text("mine")
    for name, args in commands(root, afile / "sub" / "x").items():
        r = run(*args)
        assert r.exit_code == 2 and f"{afile} is not a folder" in r.output, (name, r.output)
        assert "File exists" not in r.output and afile.read_text() == "mine"
    zh = CliRunner().invoke(main, ["ledger", "-a", str(root), "-o", str(afile / "x.xlsx"), *AS_OF, "--lang", "zh"])
    assert zh.exit_code == 2 and f"{afile} 不是目录" in zh.output, zh.output


def test_an_empty_path_is_refused_by_name_and_nothing_is_written(root, tmp_path):
    """`-o ''` printed into the archive's printed/ as if no -o had been given, and a ledger said
    " is a folder" of nothing: every path a command takes refuses an empty one, naming the option."""
    before = snapshot_of(root)
    here = tmp_path / "here"
    here.mkdir()
    cases = [["render", "register", str(root), "-o", "", *AS_OF], ["ledger", "-a", str(root), "-o", "", *AS_OF],
             ["report", "html", str(root), "-o", "", *AS_OF], ["export", "sqlite", "", str(root), *AS_OF],
             ["expiring", str(root), "--ics", "", *AS_OF], ["check", ""]]
    for args in cases:
        r = run(*args, cwd=here)
        assert r.exit_code == 2 and "the path is empty" in r.output, (args, r.output)
        assert "Traceback" not in r.output
    assert snapshot_of(root) == before and list(here.iterdir()) == []
    zh = CliRunner().invoke(main, ["render", "register", str(root), "-o", "", "--lang", "zh"])
    assert zh.exit_code == 2 and "-o：路径为空" in zh.output
