"""A workspace goes on when one of its archives fails: every command over
several archives reports that archive on one line and does the others
(runner.each_archive), whether the archive cannot be read or the program
has a bug on it."""

from __future__ import annotations

import gc
import json
import sqlite3
import weakref

import pytest
from click.testing import CliRunner
from helpers import AS_OF, bug_while_checking, config, person, session

import safetrain.api
from safetrain.archive.reading.discover import discover
from safetrain.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"SAFETRAIN_LANG": None, "LANG": "zh_CN.UTF-8",
                                                                 "LC_ALL": None, "LC_MESSAGES": None})


@pytest.fixture
def workspace(make_archive, tmp_path):
    """a-good and c-good hold one person each; b-bad is where things go wrong."""
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person("张三"), "sessions/S1.toml": session()}, root=ws / "a-good")
    make_archive({"people/E1.toml": person("李四")}, root=ws / "b-bad")
    make_archive({"people/E7.toml": person("王五", extra="""
        [[certificates]]
        kind = "special_operation"
        category = "焊接与热切割作业"
        number = "T640104199003070014"
        issued = 2018-07-10
        expires = 2024-07-09
    """)}, root=ws / "c-good")
    return ws


@pytest.fixture
def bug_in_b(monkeypatch):
    """A bug that strikes while archive b-bad is checked, and only then."""
    bug_while_checking(monkeypatch, "b-bad")


def _bug_line(r, ws) -> None:
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("内部错误：ZeroDivisionError: division by zero（设置 SAFETRAIN_DEBUG=1")
    assert lines[0].endswith(f"；档案：{ws / 'b-bad'}")


COMMANDS = {
    "check": lambda ws, tmp: ["check", ws, "--as-of", AS_OF, "--format", "json"],
    "status": lambda ws, tmp: ["status", ws, "--as-of", AS_OF, "--format", "json"],
    "expiring": lambda ws, tmp: ["expiring", ws, "--as-of", AS_OF, "--format", "json"],
    "matrix": lambda ws, tmp: ["matrix", "-a", ws, "--as-of", AS_OF, "--format", "json"],
    "export": lambda ws, tmp: ["export", "sqlite", tmp / "out.db", ws, "--as-of", AS_OF],
    "report": lambda ws, tmp: ["report", "html", ws, "-o", tmp / "site", "--as-of", AS_OF],
}


def _the_good_ones_are_there(command: str, r, tmp) -> None:
    """The output of `command` covers a-good and c-good, and nothing of b-bad."""
    if command == "check":  # the one that failed is in the JSON too, with its error instead of findings
        objects = [json.loads(line) for line in r.stdout.splitlines()]
        assert [o["archive"].rsplit("/", 1)[-1] for o in objects if "error" in o] == ["b-bad"]
        assert all(o["findings"] == [] and o["summary"]["total"] == 0 and o["ruleset"] is None
                   for o in objects if "error" in o)  # RULES.md's keys, and why they are empty
        names = [o["archive"] for o in objects if "error" not in o]
    elif command == "status":
        names = [a["archive"] for a in json.loads(r.stdout)["archives"]]
    elif command == "expiring":
        doc = json.loads(r.stdout)
        names = [a["archive"] for a in doc["archives"]]
        # E7's review is overdue (C003) and the certificate expires within its window (C004): two items
        assert [(i["person"], i["state"]) for i in doc["items"]] == [("E7", "review_overdue"), ("E7", "expiring")]
    elif command == "matrix":
        names = [a["archive"] for a in json.loads(r.stdout)["archives"]]
    elif command == "export":
        with sqlite3.connect(tmp / "out.db") as db:
            names = [a for (a,) in db.execute("SELECT archive FROM enterprises ORDER BY archive")]
            assert [p for (p,) in db.execute("SELECT id FROM people ORDER BY archive")] == ["E1", "E7"]
    else:
        names = sorted(p.name.removesuffix(".html") for p in (tmp / "site" / "a").iterdir())
    assert [n.rsplit("/", 1)[-1] for n in names] == ["a-good", "c-good"], names


@pytest.mark.parametrize("command", COMMANDS)
def test_a_bug_on_one_archive_is_reported_and_the_others_are_done(command, workspace, tmp_path, bug_in_b):
    r = run(*COMMANDS[command](workspace, tmp_path))
    _bug_line(r, workspace)
    _the_good_ones_are_there(command, r, tmp_path)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_archive_that_cannot_be_read_is_reported_and_the_others_are_done(command, workspace, tmp_path):
    (workspace / "b-bad" / "safetrain.toml").write_text(config().replace("format = 1", "format = 9"), encoding="utf-8")
    r = run(*COMMANDS[command](workspace, tmp_path))
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines() == [f"错误：{workspace / 'b-bad' / 'safetrain.toml'}：档案格式版本 9 高于本程序支持的版本 1，"
                                     "请升级 safetrain"]
    _the_good_ones_are_there(command, r, tmp_path)


def test_check_in_several_processes_prints_what_one_prints(workspace, bug_in_b):
    one = run("check", workspace, "--as-of", AS_OF)
    two = run("check", workspace, "--as-of", AS_OF, "-j", "2")
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert "a-good" in one.stdout and "c-good" in one.stdout and "（2 个档案）" in one.stdout


def test_archives_stream_one_at_a_time(workspace, monkeypatch):
    """The runner checks an archive only when the one before is used, and keeps none."""
    from safetrain.runner import each_archive

    checked, seen = [], []
    real = safetrain.api.check_path

    def check_path(root, *args, **kwargs):
        checked.append(root.name)
        return real(root, *args, **kwargs)

    def work(result):
        seen.append(weakref.ref(result.archive))
        return result.archive.root.name

    monkeypatch.setattr(safetrain.api, "check_path", check_path)
    outcomes = each_archive(discover([workspace]), AS_OF, work)
    assert next(outcomes).value == "a-good" and checked == ["a-good"]
    assert next(outcomes).value == "b-bad" and checked == ["a-good", "b-bad"]
    gc.collect()
    assert seen[0]() is None  # the first archive is gone while the workspace goes on
    assert [o.value for o in outcomes] == ["c-good"]


def test_processes_check_only_a_few_archives_ahead_of_the_consumer(make_archive, tmp_path, monkeypatch):
    """With -j, a consumer slower than the checks (a database writer) never has the
    whole workspace waiting in memory: a few archives per process, then the workers wait."""
    import time

    from safetrain import runner

    ws = tmp_path / "ws"
    for n in range(30):
        make_archive({"people/E1.toml": person(f"员工{n}")}, root=ws / f"a{n:02d}")
    started = tmp_path / "started"
    started.mkdir()
    real = safetrain.api.check_path

    def check_path(root, *args, **kwargs):  # the worker processes are forked: they see this
        (started / root.name).touch()
        return real(root, *args, **kwargs)

    monkeypatch.setattr(safetrain.api, "check_path", check_path)
    outcomes = runner.each_archive(discover([ws]), AS_OF, lambda r: r.archive.root.name, jobs=2)
    assert next(outcomes).value == "a00"
    seen = -1
    while seen != len(list(started.iterdir())):  # until the workers stop
        seen = len(list(started.iterdir()))
        time.sleep(0.5)
    assert seen <= 2 * runner.AHEAD + 1
    assert [o.value for o in outcomes] == [f"a{n:02d}" for n in range(1, 30)]


def test_a_large_workspace_uses_every_core_unless_told(make_archive, tmp_path, monkeypatch):
    """Without -j, a workspace of runner.POOL_FROM archives or more is checked on every
    core (runner.jobs_for) and prints exactly what one process prints; -j 1 keeps one."""
    import os

    from safetrain import runner

    assert runner.jobs_for(runner.POOL_FROM - 1) == 1
    assert runner.jobs_for(3, 8) == 3 and runner.jobs_for(40, 1) == 1
    monkeypatch.setattr(runner, "cpu_count", lambda: 2)
    assert runner.jobs_for(runner.POOL_FROM) == 2
    ws = tmp_path / "ws"
    for n in range(runner.POOL_FROM):
        make_archive({"people/E1.toml": person(f"员工{n}")}, root=ws / f"a{n:02d}")
    pids = tmp_path / "pids"
    pids.mkdir()
    real = safetrain.api.check_path

    def check_path(root, *args, **kwargs):  # forked workers see this
        (pids / str(os.getpid())).touch()
        return real(root, *args, **kwargs)

    monkeypatch.setattr(safetrain.api, "check_path", check_path)
    auto = run("check", ws, "--as-of", AS_OF)
    used = {p.name for p in pids.iterdir()}
    assert str(os.getpid()) not in used and len(used) == 2
    for p in pids.iterdir():
        p.unlink()
    one = run("check", ws, "--as-of", AS_OF, "-j", "1")
    assert {p.name for p in pids.iterdir()} == {str(os.getpid())}
    assert (auto.exit_code, auto.stdout, auto.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert f"（{runner.POOL_FROM} 个档案）" in one.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_a_failed_archive_is_named(command, workspace, tmp_path):
    """An error that does not name its archive (a rule set that does not exist) is printed with
    the archive's folder: in a workspace of hundreds the user must know which one."""
    bad = workspace / "b-bad"
    (bad / "safetrain.toml").write_text(config(ruleset="nope-2099"), encoding="utf-8")
    r = run(*COMMANDS[command](workspace, tmp_path))
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "nope-2099" in lines[0] and lines[0].endswith(f"；档案：{bad}"), r.stderr
    _the_good_ones_are_there(command, r, tmp_path)


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["status", "--format", "json"],
                                     ["expiring", "--format", "json"], ["report", "html", "-o", "{site}"],
                                     ["export", "sqlite", "{db}"], ["export", "parquet", "{pq}"]])
def test_a_path_with_no_archive_is_said_and_the_others_still_run(workspace, tmp_path, command):
    """A consultant's typo or an emptied client folder among the paths: each said on one line naming
    it, the archives at the other paths done and shown as ever, exit 2. (Help: "2 when a path holds
    no readable archive (the others are still shown)".)"""
    (tmp_path / "emptied").mkdir()
    args = [a.format(site=tmp_path / "site", db=tmp_path / "x.db", pq=tmp_path / "pq") for a in command]
    r = run(*args, workspace / "a-good", tmp_path / "emptied", tmp_path / "typo", "--as-of", AS_OF)
    assert r.exit_code == 2, r.output
    assert f"错误：{tmp_path / 'emptied'} 处没有档案" in r.stderr and f"错误：路径不存在：{tmp_path / 'typo'}" in r.stderr
    shown = r.stdout
    if command[0] in ("check", "status", "expiring"):
        assert "a-good" in shown
    elif command[0] == "report":
        assert (tmp_path / "site/a/a-good.html").is_file() or (tmp_path / "site/index.html").is_file()
    else:
        assert "1 个档案" in shown
    alone = run(*args, tmp_path / "emptied", "--as-of", AS_OF)  # nothing to run on: the one error, nothing made
    assert alone.exit_code == 2 and alone.stderr.count("\n") == 1 and alone.stdout == ""


def test_ci_formats_carry_an_archive_that_could_not_be_checked(workspace):
    """A CI job reading the machine output sees the archive it could not check: a GitHub error
    annotation naming it, a JUnit suite with its test case in error (counted in `errors`)."""
    from xml.etree import ElementTree

    (workspace / "b-bad" / "safetrain.toml").write_text(config().replace("format = 1", "format = 9"), encoding="utf-8")
    gh = run("check", workspace, "--as-of", AS_OF, "--format", "github", "--lang", "en")
    assert gh.exit_code == 2
    bad = [line for line in gh.stdout.splitlines() if line.startswith("::error title=safetrain check::")]
    assert len(bad) == 1 and "b-bad: " in bad[0] and "archive format 9 is newer" in bad[0]
    junit = run("check", workspace, "--as-of", AS_OF, "--format", "junit")
    tree = ElementTree.fromstring(junit.stdout)
    assert tree.get("errors") == "1" and [s.get("name").rsplit("/", 1)[-1] for s in tree] == ["a-good", "b-bad", "c-good"]
    error = tree[1].find("testcase/error")
    assert error is not None and "档案格式版本 9" in error.get("message")
    assert int(tree.get("tests")) == sum(int(s.get("tests")) for s in tree) == len(tree.findall("*/testcase"))


def test_ci_formats_carry_a_path_that_holds_no_archive(workspace, tmp_path):
    """A mistyped path among several is in the machine output too, not only on standard error."""
    from xml.etree import ElementTree

    r = run("check", workspace / "a-good", tmp_path / "typo", "--as-of", AS_OF, "--format", "json", "--lang", "en")
    objects = [json.loads(line) for line in r.stdout.splitlines()]
    assert r.exit_code == 2 and [o["error"] for o in objects if "error" in o] == [f"no such path: {tmp_path / 'typo'}"]
    junit = ElementTree.fromstring(run("check", workspace / "a-good", tmp_path / "typo", "--as-of", AS_OF,
                                       "--format", "junit").stdout)
    assert junit.get("errors") == "1" and int(junit.get("tests")) == len(junit.findall("*/testcase"))


def test_a_folder_of_the_workspace_that_cannot_be_read_is_said_and_the_others_go_on(workspace, monkeypatch):
    """A client folder the user may not list may hold an archive: it is said on one line (exit 2),
    never passed over as if the workspace were only the others."""
    from helpers import unreadable_folder

    (workspace / "b-bad").rename(workspace / "locked")
    unreadable_folder(monkeypatch, "locked")
    r = run("check", workspace, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert r.exit_code == 2, r.output
    objects = [json.loads(line) for line in r.stdout.splitlines()]
    assert sorted(o["archive"].rsplit("/", 1)[-1] for o in objects if "error" not in o) == ["a-good", "c-good"]
    assert [o["archive"].rsplit("/", 1)[-1] for o in objects if "error" in o] == ["locked"]
    assert "无法读取文件夹" in r.output and "locked" in r.output and "其中可能有档案" in r.output
    unreadable_folder(monkeypatch, "ws")  # the workspace itself: said once, not also "no archive here"
    r = run("check", workspace)
    assert r.exit_code == 2 and r.output.count("无法读取文件夹") == 1 and "没有档案" not in r.output, r.output


@pytest.mark.parametrize("args", [["matrix"], ["rules"], ["explain", "K001"], ["templates", "list"], ["fmt", "--check"],
                                  ["render", "register", "-o", "{out}"], ["ledger"], ["pair"]])
def test_every_workspace_command_goes_on_past_a_folder_it_cannot_read(workspace, monkeypatch, tmp_path, args):
    """matrix, pair, render, ledger, rules, explain, templates and fmt printed only the error for a
    folder of the workspace that cannot be read (nothing else, no ledger): like check, they now
    say it on one line, do the others, and exit 2."""
    from helpers import unreadable_folder

    (workspace / "b-bad").rename(workspace / "locked")
    unreadable_folder(monkeypatch, "locked")
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(out=out) for a in args]
    if args[0] in ("matrix", "pair"):
        args += ["--as-of", AS_OF.isoformat()]
    if args[0] == "ledger":  # a workspace's ledgers go to the current folder
        monkeypatch.chdir(out)
        args += ["--as-of", AS_OF.isoformat()]
    r = run(*args, str(workspace), "--lang", "en")
    assert r.exit_code == 2, r.output
    assert r.output.count("cannot read folder") == 1 and "locked" in r.output, r.output
    if args[0] in ("rules", "explain", "templates"):
        assert "a-good" in r.output and "c-good" in r.output, r.output
    if args[0] in ("render", "ledger"):
        assert list(out.iterdir()), r.output  # the readable archives were done


def test_an_archive_linked_into_a_workspace_is_checked_once(workspace, tmp_path):
    """A client's archive kept elsewhere and linked into the workspace is one of its archives; a
    link back up the tree, or a second link to the same folder, neither loops nor checks twice."""
    (workspace / "b-bad").rename(tmp_path / "elsewhere")
    (workspace / "b-linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (workspace / "b-again").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (workspace / "loop").mkdir()
    (workspace / "loop" / "up").symlink_to(workspace, target_is_directory=True)
    assert [p.name for p in discover([workspace])] == ["a-good", "b-again", "c-good"]


def test_a_link_to_a_folder_of_the_workspace_does_not_take_its_name(workspace):
    """`ln -s c-good aa-link`: the archive is c-good, its real folder's name, in every command, not the
    link's name that comes first in the walk; nor is it checked twice."""
    (workspace / "aa-link").symlink_to("c-good", target_is_directory=True)
    (workspace / "a-good" / "zz-link").symlink_to("../b-bad", target_is_directory=True)
    assert [p.name for p in discover([workspace])] == ["a-good", "b-bad", "c-good"]
    r = run("status", workspace, "--as-of", AS_OF, "--format", "json")
    assert [a["archive"].rsplit("/", 1)[-1] for a in json.loads(r.output)["archives"]] == ["a-good", "b-bad", "c-good"]


def test_a_link_above_the_workspace_does_not_reach_the_folders_beside_it(workspace, tmp_path):
    """`ln -s .. ws/parent`: the folders beside the workspace are no part of what was named; `check`
    and `fmt --yes` on the workspace never reach the archive beside it."""
    import shutil

    beside = tmp_path / "beside"
    shutil.copytree(workspace / "a-good", beside)
    (beside / "people" / "E1.toml").write_text((beside / "people" / "E1.toml").read_text("utf-8") + "\n\n\n", "utf-8")
    before = (beside / "people" / "E1.toml").read_bytes()
    (workspace / "parent").symlink_to("..", target_is_directory=True)
    (workspace / "deeper").mkdir()
    (workspace / "deeper" / "root").symlink_to(tmp_path.anchor, target_is_directory=True)
    assert [p.name for p in discover([workspace])] == ["a-good", "b-bad", "c-good"]
    r = run("fmt", "--yes", workspace)
    assert "beside" not in r.output and (beside / "people" / "E1.toml").read_bytes() == before, r.output


def test_an_archive_folder_named_with_a_control_character_is_escaped_on_the_terminal(workspace):
    """A folder name holding ESC would be a command to the terminal: every "== archive" line and
    every finding's location write it escaped, as messages do."""
    (workspace / "b-bad").rename(workspace / "b\x1b[2Jx")
    for args in (["check", workspace, "--as-of", AS_OF.isoformat(), "--exit-zero"], ["rules", workspace],
                 ["templates", "list", workspace]):
        r = run(*args)
        assert "\x1b" not in r.output and "b\\x1b[2Jx" in r.output, (args, r.output)
    (workspace / "b\x1b[2Jx").rename(workspace / "b\x1b]0;PWNED\x1b\\y")  # a bare ESC: status and matrix kept it
    for args in (["status", workspace], ["matrix", workspace], ["expiring", workspace, "--within", "3650"]):
        r = run(*args, "--as-of", AS_OF.isoformat())
        assert "\x1b" not in r.output, (args, r.output)


def test_rules_and_explain_never_show_the_national_set_for_an_archive_whose_own_is_unknown(workspace):
    """An archive whose safetrain.toml cannot be read may be under ningxia-2023: rules and explain
    showed the national figures as if they were its own (K001 "off"), exit 0. It is now the one
    error views give such an archive; in a workspace the others are shown (exit 2), and with
    --ruleset the set named is shown."""
    (workspace / "b-bad" / "safetrain.toml").write_text('ruleset = "ningxia-2023"\n[enterprise\n', "utf-8")
    for args in (["rules"], ["explain", "K001"]):
        r = run(*args, workspace / "b-bad", "--lang", "en")
        assert r.exit_code == 2 and "the enterprise and its rule set are unknown" in r.output, r.output
        r = run(*args, workspace, "--lang", "en")
        assert r.exit_code == 2 and "a-good" in r.output and "c-good" in r.output, r.output
        assert r.output.count("the enterprise and its rule set are unknown") == 1, r.output
        assert run(*args, workspace / "b-bad", "--ruleset", "ningxia-2023").exit_code == 0
