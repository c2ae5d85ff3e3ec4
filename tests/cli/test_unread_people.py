"""A person whose file has errors is left out of the archive (check says why, A001/A002). The
views of people (expiring, matrix, cert list) left that person out in silence, exit 0: an expired
licence of a broken file was simply not on the list. Each now says, on standard error, which file
it could not show and why; a command naming such a person names the file and its first problem
(archive/reading/excluded.py, one wording for render, pair and cert list)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers import certificate, person
from safetrain.cli import main

BROKEN = 'name = "王五\n'  # A001
INCOMPLETE = 'name = "赵六"\n'  # A002: required keys missing


@pytest.fixture
def archive(make_archive):
    return make_archive({
        "people/E1.toml": person(extra=certificate("F1", "other", "叉车", "2020-07-10", "2024-07-10")),
        "people/E2.toml": BROKEN,
        "people/E3.toml": INCOMPLETE,
    })


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", [("expiring",), ("expiring", "--format", "json"), ("matrix",),
                                     ("matrix", "--format", "json"), ("cert", "list")])
def test_a_view_of_people_says_the_files_it_cannot_show(archive, command, monkeypatch):
    monkeypatch.chdir(archive)
    r = run(*command, "--as-of", "2024-06-30", "--lang", "en")
    assert r.exit_code == 0, r.output
    notes = [line for line in r.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 2, r.stderr
    assert notes[0].startswith("note: people/E2.toml: TOML syntax error") and notes[0].endswith(
        "(A001); the people of it are not listed (see safetrain check)")
    assert notes[1].startswith("note: people/E3.toml: required key `") and "(A002)" in notes[1]
    assert "E2" not in r.stdout and "赵六" not in r.stdout and "张三" in r.stdout  # the others are shown
    if "json" in command:
        json.loads(r.stdout)  # standard output stays the document


def test_a_workspace_names_the_archive_and_a_sound_archive_says_nothing(archive, make_archive, tmp_path):
    sound = make_archive({"people/E1.toml": person()}, root=tmp_path / "ws" / "b")
    archive.rename(tmp_path / "ws" / "a")
    r = run("expiring", tmp_path / "ws", "--as-of", "2024-06-30", "-j", "2")
    assert r.exit_code == 0, r.output
    assert [line.split("：")[1] for line in r.stderr.splitlines()] == [
        f"{tmp_path / 'ws' / 'a' / 'people' / 'E2.toml'}", f"{tmp_path / 'ws' / 'a' / 'people' / 'E3.toml'}"]
    assert "其中的人员未列入（见 safetrain check）" in r.stderr
    assert run("matrix", sound, "--as-of", "2024-06-30").stderr == ""


def test_naming_a_broken_person_names_the_file_and_its_problem(archive):
    for args in (("cert", "list", "--person", "E2", "-a", archive), ("render", "person", "E2", "-a", archive,
                                                                    "-o", archive.parent / "out")):
        r = run(*args, "--as-of", "2024-06-30")
        assert r.exit_code == 2, r.output
        assert r.output.startswith("错误：people/E2.toml 有错误：TOML 语法错误") and "（A001），人员 E2 未处理" in r.output
    r = run("cert", "list", "--person", "E3", "-a", archive, "--lang", "en")
    assert r.exit_code == 2 and "people/E3.toml has errors: required key `" in r.output
    r = run("cert", "list", "--person", "E9", "-a", archive)
    assert r.exit_code == 2 and "没有编号为 E9 的人员" in r.output  # no file at all: as before


@pytest.mark.parametrize("how", ["file", "link to none", "link to a file"])
def test_a_people_folder_that_is_none_is_said_by_check_fmt_views_render_and_edits(make_archive, how):
    """people/ replaced by a file or by a link that leads to no folder: check said only the A003s
    of what named its people (a link was passed over), fmt --check passed, expiring listed nothing
    without a word, render --all wrote 0 documents with exit 0, and attend called the attendee
    someone with no file. Each now says that people/ cannot be read."""
    root = make_archive({"people/E1.toml": person(),
                         "sessions/S1.toml": 'type = "all_staff"\nstart = 2024-05-10T08:30:00\n'
                                             'end = 2024-05-10T12:30:00\nhours = 4\ncontent = "全员培训"\n'
                                             'instructor = "李工"\nassessment = "exam"\nattendees = []\n'})
    (root / "people" / "E1.toml").rename(root / "E1.toml")
    (root / "people").rmdir()
    if how == "file":
        (root / "people").write_text("x", "utf-8")
        said = "people is a file, not a folder: no record of it can be read"
    else:
        (root / "people").symlink_to("nowhere" if how == "link to none" else "E1.toml")
        said = "people is a link to no folder: no record of it can be read"
    r = run("check", root, "--as-of", "2024-06-30", "--select", "A001", "--lang", "en", "--exit-zero")
    assert r.exit_code == 0 and f"people: A001 {said}" in r.output, r.output
    assert run("fmt", "--check", root).exit_code == 1
    r = run("expiring", root, "--as-of", "2024-06-30", "--lang", "en")
    assert r.exit_code == 0 and r.stderr == f"note: {root / 'people'}: {said} (A001); the people of it are " \
                                            "not listed (see safetrain check)\n"
    r = run("render", "person", "--all", "-a", root, "-o", root.parent / "out", "--as-of", "2024-06-30", "--lang", "en")
    assert r.exit_code == 1 and "people cannot be read (A001): the records in it are not printed" in r.stderr
    r = run("attend", "S1", "E1", "--passed", "-a", root, "--lang", "en")
    assert r.exit_code == 2 and "cannot find person E1: people cannot be read (A001) and may hold it" in r.output


def test_a_record_file_that_is_a_folder_is_not_where_another_record_may_be(archive):
    """A folder named like a person file (people/E7.toml/) is an A001 of E7 alone: asking for E8
    is "no person E8", not that people/E7.toml may hold it."""
    (archive / "people" / "E7.toml").mkdir()
    r = run("person", "leave", "E8", "--date", "2024-01-01", "-a", archive, "--lang", "en")
    assert r.exit_code == 2 and r.output == "error: no person with id E8 (people/)\n"


def test_naming_a_person_of_an_unreadable_people_folder_says_it_may_be_there(archive):
    """render, cert list --person, pair and a blank sign-in sheet said "no person E1" when people/
    could not be used; the person may be there, as the editing commands already said."""
    (archive / "people").rename(archive.parent / "kept")
    (archive / "people").write_text("x", "utf-8")
    said = "cannot find person E1: people cannot be read (A001) and may hold it"
    out = archive.parent / "out"
    for args in (("render", "person", "E1", "-a", archive, "-o", out), ("cert", "list", "--person", "E1", "-a", archive),
                 ("pair", "--apprentice", "E1", "-a", archive), ("render", "signin", "--people", "E1", "-a", archive,
                                                                  "-o", out)):
        r = run(*args, "--as-of", "2024-06-30", "--lang", "en")
        assert r.exit_code == 2 and said in r.output, (args, r.output)
    assert not out.exists()
