"""An archive kept inside another archive's folder (a branch copied into its head office) is an
archive of its own: every workspace command runs on it, in path order, and none of its records
counts for the archive around it. One dropped into a record folder (sessions/) is the outer
archive's A002, its files read as nobody's records; the workspace does not go into record folders."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from helpers import config, person, session

from safetrain.api import load_archive
from safetrain.archive.reading.discover import discover
from safetrain.archive.reading.files import MemoryFiles
from safetrain.cli import main

AS_OF = ["--as-of", "2024-06-30"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def nested(make_archive, tmp_path):
    """ws/head (one good person) holding head/branch (a bad ID number) and head/sessions/2099/lost
    (another), beside ws/other (one good person)."""
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()}, root=ws / "head")
    make_archive({"people/E2.toml": person("李四", id_number='"640104199003070011"')}, root=ws / "head" / "branch")
    make_archive({"people/E3.toml": person("王五", id_number='"640104199003070011"')},
                 root=ws / "head" / "sessions" / "2099" / "lost")
    make_archive({"people/E1.toml": person()}, root=ws / "other")
    return ws


NAMES = ["head", "head/branch", "other"]


def test_every_archive_at_any_depth_is_found_in_path_order(nested):
    assert [p.relative_to(nested).as_posix() for p in discover([nested])] == NAMES


def test_the_outer_archive_reads_none_of_the_inner_archives_records(nested):
    outer, _ = load_archive(nested / "head")
    assert sorted(outer.people) == ["E1"] and sorted(outer.sessions) == ["S1"]
    inner, _ = load_archive(nested / "head" / "sessions" / "2099" / "lost")
    assert sorted(inner.people) == ["E3"]
    files = {"safetrain.toml": config(), "people/E1.toml": person(),
             "sessions/x/safetrain.toml": config(), "sessions/x/people/E3.toml": person(),
             "people/x/safetrain.toml": config(), "people/x/people/E4.toml": person()}
    listing, problems = MemoryFiles(files).listing()
    assert listing == [("config", "safetrain.toml"), ("person", "people/E1.toml")]
    assert [(p.code, p.file) for p in problems] == [("A002", "people/x/"), ("A002", "sessions/x/")]
    _, found = load_archive(nested / "head")
    said = [f for f in found if f.code == "A002"]
    assert [f.file for f in said] == ["sessions/2099/lost/"] and "是另一个档案" in said[0].message_zh


def test_check_and_status_run_on_each(nested):
    r = run("check", nested, *AS_OF, "--select", "A", "--format", "json")
    docs = [json.loads(line) for line in r.output.splitlines()]
    assert [d["archive"].replace(str(nested) + "/", "") for d in docs] == NAMES
    assert [d["summary"]["errors"] for d in docs] == [1, 1, 0]  # head: the archive in its sessions/, A002
    assert r.exit_code == 1
    r = run("status", nested, *AS_OF, "--format", "json")
    doc = json.loads(r.output)
    assert [a["headcount"]["active"] for a in doc["archives"]] == [1, 1, 1]


def test_fmt_export_and_the_site_take_each_once(nested, tmp_path):
    (nested / "head" / "branch" / "people" / "E2.toml").write_text(person("李四") + "\n\n\n", "utf-8")
    r = run("fmt", "--check", nested)
    assert r.exit_code == 1 and "head/branch/people/E2.toml" in r.output and r.output.count("E2.toml") == 1, r.output
    r = run("export", "sqlite", tmp_path / "x.db", nested, *AS_OF)
    assert r.exit_code in (0, 1), r.output
    rows = sqlite3.connect(tmp_path / "x.db").execute("SELECT archive, id FROM people ORDER BY 1").fetchall()
    assert rows == [("head", "E1"), ("head/branch", "E2"), ("other", "E1")]
    r = run("report", "html", nested, *AS_OF, "-o", tmp_path / "site")
    assert r.exit_code in (0, 1), r.output
    assert sorted(p.stem for p in (tmp_path / "site" / "a").rglob("*.html")) == ["branch", "head", "other"]


def test_the_walk_goes_into_no_archive_s_own_folders_and_follows_no_link_in_one(make_archive, tmp_path):
    """The search went into every folder of every archive (90,000 scans in attachments/: 90 ms a
    run) and followed links there (attachments/client-b -> another client's archive, outside the
    folder named, was checked)."""
    ws = tmp_path / "ws"
    acme = make_archive({"people/E1.toml": person()}, root=ws / "acme")
    elsewhere = make_archive({"people/E1.toml": person()}, root=tmp_path / "elsewhere")
    (acme / "attachments").mkdir()
    (acme / "attachments" / "client-b").symlink_to(elsewhere, target_is_directory=True)
    make_archive({"people/E1.toml": person()}, root=acme / "contracts" / "old")
    (acme / "branch").mkdir()
    (acme / "branch" / "linked").symlink_to(elsewhere, target_is_directory=True)
    assert [p.relative_to(ws).as_posix() for p in discover([ws])] == ["acme"]
    (ws / "client-c").symlink_to(elsewhere, target_is_directory=True)  # a link in the workspace is followed
    assert [p.relative_to(ws).as_posix() for p in discover([ws])] == ["acme", "client-c"]
