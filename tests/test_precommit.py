"""The pre-commit hook, end to end: a git repository holding an archive, the
hook installed from this repository's .pre-commit-hooks.yaml, a commit that
breaks a rule (refused, the finding shown) and one that does not (accepted).

pre-commit installs the hook the way users get it: `pip install` of this
repository (a snapshot of the working tree, committed into a temporary git
repository) into its own virtualenv. That needs the package index or pip's
cache; the test skips, saying so, only when that install cannot reach them.
PRE_COMMIT_HOME is shared by the session, so the environment is built once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import config, person, plan, session

REPO = Path(__file__).resolve().parents[1]
HOOK_ID = "safetrain-check"
_OFFLINE = ("Could not find a version", "No matching distribution", "NewConnectionError", "Name or service not known",
            "Temporary failure in name resolution", "Network is unreachable", "ConnectTimeout", "ReadTimeout")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GIT_", "PRE_COMMIT", "SAFETRAIN"))}
    env.update({
        "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "SAFETRAIN_LANG": "en",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "safetrain tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "safetrain tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
        "GIT_AUTHOR_DATE": "2024-07-01T00:00:00+08:00", "GIT_COMMITTER_DATE": "2024-07-01T00:00:00+08:00",
    })
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _pre_commit() -> list[str]:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install '.[test]')")
    return [sys.executable, "-m", "pre_commit"]


def _snapshot(dest: Path, env: dict[str, str]) -> str:
    """This repository's working tree (tracked and untracked, not ignored) as a commit in `dest`; its sha."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO, env)
    if listed.returncode != 0:
        pytest.skip(f"{REPO} is not a git checkout: {listed.stderr.strip()}")
    for rel in filter(None, listed.stdout.split("\0")):
        src = REPO / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "snapshot"]):
        assert _run(args, dest, env).returncode == 0
    return _run(["git", "rev-parse", "HEAD"], dest, env).stdout.strip()


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory):
    """(repository path, rev, environment) for a .pre-commit-config.yaml; the hook's environment installed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = _pre_commit()
    env = _env(tmp_path_factory.mktemp("pre-commit-home"))
    repo = tmp_path_factory.mktemp("safetrain-hook-repo")
    rev = _snapshot(repo, env)
    # pre-commit builds the environment on first use: do it here, once, to tell "offline" from "broken".
    probe = tmp_path_factory.mktemp("probe")
    _run(["git", "init", "-q"], probe, env)
    (probe / ".pre-commit-config.yaml").write_text(_config(repo, rev), encoding="utf-8")
    built = _run(pre_commit + ["install-hooks"], probe, env)
    if built.returncode != 0:
        log = built.stdout + built.stderr
        home_log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
        if home_log.exists():
            log += home_log.read_text(encoding="utf-8", errors="replace")
        if any(sign in log for sign in _OFFLINE):
            pytest.skip("pre-commit could not build the hook's environment: no package index and no pip cache "
                        f"for the dependencies ({log.strip().splitlines()[-1]})")
        pytest.fail(f"pre-commit could not install the hook:\n{log}")
    return repo, rev, env


def _config(repo: Path, rev: str) -> str:
    # --select A,R: the test is about the hook, not about which rule families exist.
    return (f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: {HOOK_ID}\n"
            '        args: [--as-of, "2024-06-30", --select, "A,R"]\n')


def _git_commit(cwd: Path, env: dict, message: str) -> subprocess.CompletedProcess:
    _run(["git", "add", "-A"], cwd, env)
    return _run(["git", "commit", "-m", message], cwd, env)


def test_hook_refuses_a_bad_commit_and_accepts_a_good_one(hook_source, tmp_path):
    repo, rev, env = hook_source
    work = tmp_path / "archives"
    (work / "acme" / "people").mkdir(parents=True)
    (work / "acme" / "sessions").mkdir()
    (work / "acme" / "plans").mkdir()
    (work / "acme" / "plans" / "2024.toml").write_text(plan(), encoding="utf-8")
    assert _run(["git", "init", "-q"], work, env).returncode == 0
    (work / ".pre-commit-config.yaml").write_text(_config(repo, rev), encoding="utf-8")
    installed = _run(_pre_commit() + ["install"], work, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (work / "acme" / "safetrain.toml").write_text(config(), encoding="utf-8")
    (work / "acme" / "people" / "E1.toml").write_text(person(), encoding="utf-8")
    (work / "acme" / "sessions" / "S1.toml").write_text(session(content=None), encoding="utf-8")
    bad = _git_commit(work, env, "a session without content")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert "safetrain check" in output and "Failed" in output
    assert "sessions/S1.toml" in output and "R001" in output
    assert _run(["git", "rev-parse", "--verify", "HEAD"], work, env).returncode != 0  # nothing was committed

    (work / "acme" / "sessions" / "S1.toml").write_text(session(), encoding="utf-8")
    good = _git_commit(work, env, "the session's content")
    output = good.stdout + good.stderr
    assert good.returncode == 0, output
    assert "safetrain check" in output and "Passed" in output
    assert _run(["git", "log", "--format=%s"], work, env).stdout.strip() == "the session's content"


def test_hook_manifest_runs_once_on_the_whole_archive():
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {h["id"]: h for h in hooks}[HOOK_ID]
    assert hook["entry"] == "safetrain check --staged ." and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["always_run"] is True


def _git_archive(tmp_path: Path, env: dict) -> Path:
    work = tmp_path / "archives"
    files = {"acme/safetrain.toml": config(), "acme/people/E1.toml": person(), "acme/plans/2024.toml": plan(),
             "acme/sessions/S1.toml": session()}
    for rel, text in files.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text, encoding="utf-8")
    assert _run(["git", "init", "-q"], work, env).returncode == 0
    assert _git_commit(work, env, "the archive").returncode == 0
    return work


def _staged(work: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "safetrain", "check", "--staged", *args, "--as-of", "2024-06-30",
                 "--select", "A,R", "--no-cache"], work, env)


def test_staged_judges_what_the_commit_holds(tmp_path):
    """The hook judged the working folder: a session naming a person whose file was never
    `git add`ed passed, and the commit broke the archive. --staged reads git's index: the
    untracked file is not there (A003), and once added the check passes; an unstaged edit that
    would break a file is not judged either (the commit does not hold it)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = _env(tmp_path / "home")
    work = _git_archive(tmp_path, env)
    (work / "acme/sessions/S2.toml").write_text(session('{ person = "E2", score = 90 }'), encoding="utf-8")
    (work / "acme/people/E2.toml").write_text(person("李梅"), encoding="utf-8")
    _run(["git", "add", "acme/sessions/S2.toml"], work, env)  # E2's file left untracked
    plain = _run([sys.executable, "-m", "safetrain", "check", "acme", "--as-of", "2024-06-30", "--select", "A,R",
                  "--no-cache"], work, env)
    assert plain.returncode == 0, plain.stdout + plain.stderr  # the working folder has the file
    staged = _staged(work, env, "acme")
    assert staged.returncode == 1 and "A003" in staged.stdout and "sessions/S2.toml" in staged.stdout, staged.stdout
    _run(["git", "add", "acme/people/E2.toml"], work, env)
    assert _staged(work, env, "acme").returncode == 0
    (work / "acme/sessions/S3.toml").write_text(session(content=None), encoding="utf-8")  # an R001, added
    _run(["git", "add", "acme/sessions/S3.toml"], work, env)
    for fmt in ("github", "junit", "json", "text"):  # index and folder alike: the same output, paths and all
        plain = _run([sys.executable, "-m", "safetrain", "check", ".", "--as-of", "2024-06-30", "--select", "A,R",
                      "--no-cache", "--format", fmt], work, env)
        assert "R001" in plain.stdout and _staged(work, env, ".", "--format", fmt).stdout == plain.stdout, fmt
    _run(["git", "rm", "-q", "--cached", "acme/sessions/S3.toml"], work, env)
    (work / "acme/sessions/S3.toml").unlink()
    (work / "acme/people/E1.toml").write_text("name = \n", encoding="utf-8")  # broken, not added
    assert _staged(work, env, ".").returncode == 0


def test_staged_leaves_out_an_archive_git_does_not_hold_and_refuses_outside_git(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = _env(tmp_path / "home")
    work = _git_archive(tmp_path, env)
    (work / "other/people").mkdir(parents=True)
    (work / "other/safetrain.toml").write_text(config(), encoding="utf-8")
    (work / "other/people/E1.toml").write_text("broken =", encoding="utf-8")
    done = _staged(work, env, ".")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "note: other is not in git's index (its safetrain.toml is not added); not checked" in done.stderr
    outside = tmp_path / "plain"
    (outside / "people").mkdir(parents=True)
    (outside / "safetrain.toml").write_text(config(), encoding="utf-8")
    done = _staged(outside, env)
    assert done.returncode == 2 and "--staged could not read git's index" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_staged_outside_git_names_the_path_given(tmp_path, monkeypatch):
    """Outside a git work tree the error named the folder git was asked in, made absolute (a file's
    or a missing path's parent, the archive a file is in), not the path given; now that path, in
    both languages. With no path, the current folder by its full name, as before."""
    from edit_helpers import run

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never the repository of a folder above
    (tmp_path / "plain/people").mkdir(parents=True)
    (tmp_path / "plain/safetrain.toml").write_text(config(), encoding="utf-8")
    (tmp_path / "plain/people/E1.toml").write_text(person(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in ("plain", "plain/people/E1.toml", "plain/safetrain.toml", "plain/people/E9", "plain/people"):
        zh = run("check", "--staged", given)
        assert zh.exit_code == 2 and zh.output.startswith(f"错误：{given}：--staged 读取 git 暂存区失败："), zh.output
        en = run("check", "--staged", given, "--lang", "en")
        assert en.exit_code == 2 and en.output.startswith(f"error: {given}: --staged could not read git's index: "), en.output
    monkeypatch.chdir(tmp_path / "plain/people")
    here = run("check", "--staged")
    assert here.exit_code == 2 and here.output.startswith(f"错误：{tmp_path / 'plain/people'}：--staged"), here.output


def test_staged_checks_an_archive_the_index_holds_and_the_working_folder_no_longer_does(tmp_path):
    """An archive whose safetrain.toml was deleted, or whose folder was moved away, neither
    staged, was passed over (exit 0 in a workspace, "no archive here" for the archive): the next
    commit holds it, so it is judged as the index holds it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = _env(tmp_path / "home")
    work = _git_archive(tmp_path, env)
    (work / "acme/sessions/S3.toml").write_text(session(content=None), encoding="utf-8")  # an R001, added
    _run(["git", "add", "acme/sessions/S3.toml"], work, env)
    (work / "acme/safetrain.toml").unlink()
    for where in (".", "acme"):
        done = _staged(work, env, where)
        assert done.returncode == 1 and "R001" in done.stdout, (where, done.stdout + done.stderr)
    (work / "acme").rename(tmp_path / "away")
    for where in (".", "acme"):
        done = _staged(work, env, where)
        assert done.returncode == 1 and "R001" in done.stdout, (where, done.stdout + done.stderr)


def test_staged_finds_the_archives_the_walk_finds_and_each_as_itself(tmp_path):
    """--staged listed archives from the index with rules of its own: one in .hidden/, in
    node_modules/ or in another archive's sessions/ was checked as an archive (the walk of the
    folder finds none of them); and a nested archive whose safetrain.toml was deleted unstaged
    was checked as the archive around it, twice, its own files never."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = _env(tmp_path / "home")
    work = _git_archive(tmp_path, env)
    for where in (".hidden/old", "node_modules/pkg", "acme/sessions/copy", "acme/branch"):
        (work / where / "people").mkdir(parents=True)
        (work / where / "safetrain.toml").write_text(config(), encoding="utf-8")
        (work / where / "people/E1.toml").write_text(person(), encoding="utf-8")
    (work / "acme/branch/people/B2.toml").write_text('name = "broken\n', encoding="utf-8")  # an A001
    _run(["git", "add", "-A", "-f"], work, env)
    plain = _run([sys.executable, "-m", "safetrain", "check", ".", "--as-of", "2024-06-30", "--select", "A,R",
                  "--no-cache", "--format", "json"], work, env)
    staged = _staged(work, env, ".", "--format", "json")
    archives = [line.split('"archive": "')[1].split('"')[0] for line in staged.stdout.splitlines() if '"archive"' in line]
    assert archives == ["acme", "acme/branch"] and staged.stdout == plain.stdout, staged.stdout + staged.stderr
    (work / "acme/branch/safetrain.toml").unlink()  # unstaged: the commit still holds it
    staged = _staged(work, env, ".", "--format", "json")
    assert staged.stdout.count('"archive": "acme"') == 1 and "B2.toml" in staged.stdout, staged.stdout
