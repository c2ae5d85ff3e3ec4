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
