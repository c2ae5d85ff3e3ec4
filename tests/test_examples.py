"""The CI and pre-commit examples under examples/: valid YAML, and every
`safetrain` command in them runs as written (from the repository root)."""

import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import AS_OF, person, plan, session

from safetrain.cli import main

yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (pip install -e '.[test]')")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load(rel: str):
    return yaml.safe_load((EXAMPLES / rel).read_text(encoding="utf-8"))


def safetrain_commands(lines) -> list[tuple[list[str], str | None]]:
    """(arguments after `safetrain`, file stdout goes to) for each safetrain command line."""
    out = []
    for line in lines:
        line = line.split("||")[0].strip()
        if not line.startswith("safetrain "):
            continue
        target = None
        if ">" in line:
            line, target = (part.strip() for part in line.split(">", 1))
        out.append((shlex.split(line)[1:], target))
    return out


@pytest.fixture
def repo(make_archive, tmp_path, monkeypatch):
    """A repository root holding one archive with an R001 finding."""
    root = tmp_path / "repo"
    make_archive({"people/E1.toml": person(), "sessions/S1.toml": session(content=None), "plans/2024.toml": plan()},
                 root=root / "acme")
    monkeypatch.chdir(root)
    return root


def run(args):
    # --as-of and --select keep the outcome independent of today and of the rule families present.
    return CliRunner().invoke(main, args + ["--as-of", str(AS_OF), "--select", "R"])


def test_github_workflow_runs_check_with_annotations(repo):
    workflow = load("github/safetrain.yml")
    steps = workflow["jobs"]["check"]["steps"]
    commands = safetrain_commands(s.get("run", "") for s in steps)
    assert [c for c, _ in commands] == [["check", ".", "--format", "github"], ["check", "."]]
    annotations = run(commands[0][0])
    assert annotations.exit_code == 1
    assert annotations.stdout.startswith("::error file=acme/sessions/S1.toml,")
    assert run(commands[1][0]).exit_code == 1
    assert any("pip install" in s.get("run", "") for s in steps)


def test_gitlab_job_writes_the_junit_report_it_declares(repo):
    job = load("gitlab/.gitlab-ci.yml")["safetrain"]
    commands = safetrain_commands(job["script"])
    assert [c for c, _ in commands] == [["check", "."], ["check", ".", "--format", "junit"]]
    args, target = commands[1]
    assert target == job["artifacts"]["reports"]["junit"] and job["artifacts"]["when"] == "always"
    result = run(args)
    assert result.exit_code == 1
    (repo / target).write_text(result.stdout, encoding="utf-8")
    suite = ET.parse(repo / target).getroot().find("testsuite")
    assert suite.get("name") == "acme" and suite.get("failures") == "1"


def test_pre_commit_example_uses_the_hook_this_repository_defines():
    config = load("pre-commit/.pre-commit-config.yaml")
    hooks = load("../.pre-commit-hooks.yaml")
    used = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert used == ["safetrain-check"] and set(used) <= {h["id"] for h in hooks}


def report(args):
    return CliRunner().invoke(main, args + ["--as-of", str(AS_OF)])


def test_github_pages_workflow_uploads_the_site_it_builds(repo):
    workflow = load("github/safetrain-pages.yml")
    assert "push" in workflow[True] or "push" in workflow.get("on", {})  # YAML reads `on:` as True
    build = workflow["jobs"]["build"]["steps"]
    commands = safetrain_commands(s.get("run", "") for s in build)
    assert [c[:3] for c, _ in commands] == [["report", "html", "."]]
    args = commands[0][0]
    result = report(args)
    assert result.exit_code == 0, result.output
    upload = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact")][0]
    site = repo / upload["with"]["path"]
    assert site == repo / args[args.index("-o") + 1] and (site / "index.html").is_file()
    assert (site / "a" / "acme.html").is_file()
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_gitlab_pages_job_publishes_public(repo):
    job = load("gitlab/.gitlab-ci.yml")["pages"]
    commands = safetrain_commands(job["script"])
    assert [c[:3] for c, _ in commands] == [["report", "html", "."]]
    args = commands[0][0]
    assert args[args.index("-o") + 1] == "public" and job["artifacts"]["paths"] == ["public"]
    result = report(args)
    assert result.exit_code == 0, result.output
    assert (repo / "public" / "index.html").is_file()
