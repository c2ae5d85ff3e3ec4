"""The one failure path: every SafetrainError, a refused write and a bug are
one line on standard error in the chosen language, with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from safetrain.cli import main


def run(*args, **env):
    return CliRunner().invoke(main, list(args), env={"SAFETRAIN_LANG": None, "LANG": "zh_CN.UTF-8",
                                                                       "LC_ALL": None, "LC_MESSAGES": None, **env})


@pytest.mark.parametrize("args, line", [
    (["status", "NOWHERE", "--lang", "en"], "error: no such path: NOWHERE"),
    (["status", "NOWHERE"], "错误：路径不存在：NOWHERE"),
    (["check", "--select", "Q9", "--lang", "en"], "error: unknown rule codes: Q9"),
    (["explain", "Z999"], "错误：没有规则 Z999（safetrain rules 列出全部规则）"),
])
def test_a_library_failure_is_one_line_in_the_chosen_language(tmp_path, monkeypatch, args, line):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == line + "\n" and result.stdout == ""


@pytest.mark.parametrize("order", [["--lang", "en", "--as-of", "2024-02-30"], ["--as-of", "2024-02-30", "--lang", "en"]])
def test_the_language_is_known_while_options_are_read(tmp_path, order):
    result = run("status", str(tmp_path), *order)
    assert result.exit_code == 2
    assert result.stderr == "error: --as-of: not a valid date: 2024-02-30 (no such day)\n"


def test_no_archive_has_one_message_for_single_archive_commands(tmp_path):
    for args in (["templates", "copy", "person", "-a", str(tmp_path)], ["attend", "S1", "E1", "-a", str(tmp_path)]):
        result = run(*args, "--lang", "en")
        assert result.exit_code == 2, args
        assert result.stderr == f"error: no archive at {tmp_path} (no safetrain.toml here or above)\n", args
    for command in ("matrix", "ledger", "pair"):  # they take a workspace too: they looked below as well
        result = run(command, "-a", str(tmp_path), "--lang", "en")
        assert result.exit_code == 2, command
        assert result.stderr == f"error: no archive at {tmp_path} (no safetrain.toml here, above or below)\n", command


def test_a_refused_write_names_the_file(make_archive, tmp_path):
    root = make_archive()
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "x.ics"  # refused whoever runs it (root too)
    result = run("expiring", str(root), "--as-of", "2024-06-30", "--ics", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：无法写入 {target}：") and result.stderr.count("\n") == 1


def test_a_bug_is_one_line_and_says_so(make_archive, monkeypatch):
    root = make_archive()

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("safetrain.api.check_path", broken)
    result = run("status", str(root), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("internal error: ZeroDivisionError: division by zero (SAFETRAIN_DEBUG=1")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    result = run("status", str(root))
    assert result.stderr.startswith("内部错误：ZeroDivisionError: division by zero（设置 SAFETRAIN_DEBUG=1")


def test_the_system_s_reasons_are_said_in_chinese_and_kept_in_english():
    """A Chinese message never carries the system's English words ("No such file or directory")."""
    import errno

    from safetrain.errors import os_reason

    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory", "x")) == (
        "文件或目录不存在", "No such file or directory")
    assert os_reason(PermissionError(errno.EACCES, "Permission denied"))[0] == "没有权限"
    assert os_reason(OSError(errno.ENOSPC, "No space left on device"))[0] == "磁盘空间不足"
    assert os_reason(OSError(12345, "Something rare")) == ("Something rare", "Something rare")


def test_click_s_own_errors_are_chinese_through(tmp_path):
    from click.testing import CliRunner

    from safetrain.cli import main

    r = CliRunner().invoke(main, ["expiring", str(tmp_path), "--ics", str(tmp_path)])
    assert r.exit_code == 2 and "是目录（这里要的是文件）" in r.output and "Directory" not in r.output and "File " not in r.output
    r = CliRunner().invoke(main, ["expiring", str(tmp_path), "--within", "abc"])
    assert r.exit_code == 2 and "'abc' 不是有效的数字。" in r.output and "integer" not in r.output
    r = CliRunner().invoke(main, ["fmt", "--check", str(tmp_path / "nonexist")])
    assert r.exit_code == 2 and "不存在" in r.output and "Path " not in r.output


def test_an_output_that_cannot_be_written_says_so(make_archive):
    """`check > /dev/full`: the error names the output, not an empty file name."""
    import subprocess
    import sys

    root = make_archive()
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "safetrain", "check", str(root), "--as-of", "2024-06-30",
                               "--lang", "en"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2 and done.stderr == "error: cannot write the output: No space left on device\n", done.stderr


@pytest.mark.parametrize("env, lang", [
    ({"LANGUAGE": "en"}, "en"), ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "en:zh"}, "en"), ({"LC_ALL": "C", "LANGUAGE": "en"}, "zh"),
    ({"LANG": "en_GB.UTF-8"}, "en"), ({}, "zh"), ({"SAFETRAIN_LANG": "en", "LANGUAGE": "zh"}, "en"),
    ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:en"}, "en"),
])
def test_the_language_follows_gettext_s_variables(monkeypatch, env, lang):
    from safetrain.cli.options import default_lang

    for var in ("SAFETRAIN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert default_lang() == lang


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_print_chinese_gets_utf8_not_a_crash(tmp_path, encoding):
    """The command line itself (not CliRunner): rules, help and check on a terminal whose encoding
    holds no Chinese write UTF-8 and keep their exit codes, JSON stays JSON; a Chinese path under a
    C locale without UTF-8 mode is found (also by the cache, which keys it as text)."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "sample_archive"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONIOENCODING": encoding, "LC_ALL": "C",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "SAFETRAIN_CACHE_DIR": str(tmp_path / "cache")}

    def run_cli(*args, **more):
        return subprocess.run([sys.executable, "-m", "safetrain", *args], env={**env, **more}, capture_output=True)

    for args, code in ((["rules"], 0), (["--help"], 0), (["check", str(sample / "yinchuan-bbq"), "--as-of", "2024-06-30"], 1)):
        done = run_cli(*args)
        assert done.returncode == code and b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
        assert done.stdout.strip()  # printed, in UTF-8
    done = run_cli("status", str(sample / "yinchuan-bbq"), "--as-of", "2024-06-30", "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout.decode("utf-8"))["archives"]  # JSON, in UTF-8
    archive = tmp_path / "烧烤"  # a Chinese path under a C locale without UTF-8 mode: found, as ever
    shutil.copytree(sample / "yinchuan-bbq", archive)
    done = run_cli("check", str(archive), "--as-of", "2024-06-30", PYTHONUTF8="0")
    assert done.returncode == 1 and b"D001" in done.stdout, done.stderr


def test_a_reader_going_away_is_no_success(tmp_path):
    """`safetrain check | head` under `set -o pipefail` (GitHub's bash): the reader closing the pipe
    ended the run with exit 0, so CI passed with errors left unread. It now ends as a command
    SIGPIPE ended (141), with nothing on standard error."""
    import importlib.util
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("bench_generate_pipe", root / "benchmarks" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    archive = tmp_path / "big"
    gen.generate(archive, people=300, sessions=60, attendance=1800, seed=3)
    cmd = [sys.executable, "-m", "safetrain", "check", str(archive), "--as-of", "2026-06-30", "--format", "json",
           "--no-cache"]
    whole = subprocess.run(cmd, capture_output=True)
    assert whole.returncode == 1 and len(whole.stdout) > 200_000  # more than a pipe holds
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(100)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait() == 141 and err == b"", err


def _to_a_closed_pipe(*args):
    """`safetrain ARGS | true`: the reader gone before the first line (a pipe whose reading end is
    closed, so every write fails at once): (exit status, standard error)."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "safetrain", *map(str, args)], stdout=write,
                              stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "100"})
    finally:
        os.close(write)
    return done.returncode, done.stderr.decode("utf-8", "replace")


SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive" / "hongshan-coal"


@pytest.mark.parametrize("args", [
    ["rules"], ["rules", "--format", "markdown"], ["explain", "C001"], ["schema", "--print", "person"],
    ["check", SAMPLE, "--as-of", "2024-06-30"], ["status", SAMPLE, "--as-of", "2024-06-30"],
    ["matrix", SAMPLE, "--as-of", "2024-06-30"], ["expiring", SAMPLE, "--as-of", "2024-06-30", "--within", "3650"],
    ["cert", "list", SAMPLE, "--as-of", "2024-06-30"], ["pair", SAMPLE, "--as-of", "2024-06-30"],
    ["pair", SAMPLE, "--as-of", "2024-06-30", "--format", "json"],
    ["--help"], ["--version"], ["--lang", "en", "--help"], ["check", "--help"],  # click's own printing: exit 1 before
])
def test_every_command_exits_141_when_its_reader_went_away(args):
    """`safetrain rules | head -1` and `safetrain pair … | head -1` exited 1 with nothing said (rich's own
    handling of a broken pipe); as check they exit 141 now, and say nothing."""
    assert _to_a_closed_pipe(*args) == (141, "")


def test_pair_write_whose_reader_went_away_leaves_every_file_whole(make_archive, tmp_path):
    """`safetrain pair WS --write | head -1`: the run ends at the first archive's table (141: the rest was
    never said, the second archive never paired), and what it wrote is whole records, nothing half-made."""
    import subprocess
    import sys
    import tomllib

    from helpers import person

    def worker(name, hired):
        return person(name, hired=hired, department='"综采一队"', post='"采煤机司机"', employment='"contract"',
                      underground="true")

    files = {"people/M1.toml": person("李师傅", hired="2010-03-01", department='"综采一队"', post='"采煤机司机"',
                                      post_since="2012-01-01", skill_level='"senior"'),
             "people/A1.toml": worker("王徒弟", "2024-03-01"), "people/A2.toml": worker("孙徒弟", "2024-03-05")}
    ws = tmp_path / "ws"
    for name in ("a1", "b2"):
        make_archive(dict(files), root=ws / name, industry="coal_mine")
    p = subprocess.Popen([sys.executable, "-m", "safetrain", "pair", str(ws), "--as-of", "2024-06-30", "--write"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.readline() == f"== {ws / 'a1'}\n".encode()
    p.stdout.close()  # `| head -1`: gone while a1 is paired (its table, printed after its files are written, fails)
    assert (p.wait(), p.stderr.read()) == (141, b"")
    written = sorted(ws.rglob("mentorships/*"))
    assert [p.relative_to(ws).as_posix() for p in written][:2] == ["a1/mentorships/A1.toml", "a1/mentorships/A2.toml"]
    for path in written:
        assert tomllib.loads(path.read_text("utf-8"))["mentor"] == "M1"
    assert not [p for p in ws.rglob("*") if p.name.endswith(".tmp")]


def _in_a_deleted_folder(tmp_path, *args):
    """`safetrain ARGS` run in a folder deleted under the shell (`mkdir gone && cd gone && rmdir ../gone`):
    (exit status, standard output, standard error)."""
    import subprocess
    import sys

    gone = tmp_path / "gone"
    gone.mkdir()
    done = subprocess.run(["sh", "-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "sh", str(gone),
                           sys.executable, "-m", "safetrain", *map(str, args)], capture_output=True)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


@pytest.mark.parametrize("args", [
    ["check", "ARCHIVE", "--as-of", "2024-06-30"], ["check", "ARCHIVE", "--as-of", "2024-06-30", "--format", "github"],
    ["check", "ARCHIVE", "--as-of", "2024-06-30", "--format", "junit"], ["status", "ARCHIVE", "--as-of", "2024-06-30"],
    ["fmt", "--check", "ARCHIVE"], ["rules", "ARCHIVE"], ["explain", "C001", "ARCHIVE"],
    ["ledger", "ARCHIVE", "-o", "OUT/台账.xlsx", "--as-of", "2024-06-30"],
    ["render", "register", "-a", "ARCHIVE", "-o", "OUT/docs", "--as-of", "2024-06-30"],
])
def test_whole_paths_need_no_current_folder(tmp_path, args):
    """A command given whole paths in a folder deleted under the shell said "cannot write the output:
    No such file or directory" (an os.getcwd() it did not need, read as an output failure)."""
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive)
    (tmp_path / "out").mkdir()
    args = [str(archive) if a == "ARCHIVE" else a.replace("OUT", str(tmp_path / "out")) for a in args]
    code, out, err = _in_a_deleted_folder(tmp_path, *args)
    assert code in (0, 1) and err.count("错误") == 0 and out, (code, err)
    if "github" in args:  # the files by their whole paths: there is no folder to be relative to
        assert f"file={archive}/people/" in out


@pytest.mark.parametrize("args", [["check", "--as-of", "2024-06-30"], ["status"], ["fmt"], ["rules"], ["schema"],
                                  ["status", "."]])
def test_a_command_that_needs_the_deleted_current_folder_says_so(tmp_path, args):
    assert _in_a_deleted_folder(tmp_path, *args) == (2, "", "错误：当前文件夹已不存在：请切换到一个存在的文件夹，或写出完整路径\n")
    assert _in_a_deleted_folder(tmp_path, *args, "--lang", "en") == (
        2, "", "error: the current folder no longer exists: change to a folder that exists, or give whole paths\n")


@pytest.mark.parametrize("args", [["--lang", "en", "check", "NOWHERE"], ["--lang", "en", "cert", "list", "NOWHERE"],
                                  ["cert", "--lang", "en", "list", "NOWHERE"]])
def test_lang_is_taken_by_the_program_and_its_groups(tmp_path, monkeypatch, args):
    """`safetrain --lang en ...` and `safetrain cert --lang en ...` were usage errors ("No such
    option"): the language is taken wherever it is given, as every command takes it."""
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2 and "No such option" not in result.output, result.output
    assert "error:" in result.output and "错误" not in result.output, result.output


def test_a_person_id_not_in_the_archive_is_worded_once(make_archive, tmp_path):
    """cert list, pair, render and the editing commands said "no such person" four ways; one now
    (excluded.no_such), in both languages."""
    from helpers import person

    root = make_archive({"people/E1.toml": person()})
    for args in (["cert", "list", str(root), "--person", "NOPE"], ["pair", str(root), "--apprentice", "NOPE"],
                 ["render", "person", "NOPE", "-a", str(root)], ["person", "leave", "NOPE", "--date", "2024-01-01",
                                                                 "-a", str(root)]):
        en = run(*args, "--lang", "en")
        zh = run(*args, "--lang", "zh")
        assert en.exit_code == zh.exit_code == 2, (args, en.output)
        assert "no person with id NOPE (people/)" in en.output, (args, en.output)
        assert "没有编号为 NOPE 的人员记录（people/）" in zh.output, (args, zh.output)
