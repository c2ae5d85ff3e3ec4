"""head_commit: the commit an archive's files were checked out from, read from
.git without running git, checked against `git rev-parse HEAD`."""

import shutil
import subprocess

import pytest

from safetrain.archive.reading.gitinfo import head_commit

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo, *args) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path):
    """A repository whose archive is in a sub-folder, with two commits."""
    root = tmp_path / "repo"
    (root / "clients" / "acme").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    for n in (1, 2):
        (root / "clients" / "acme" / "safetrain.toml").write_text(f"# {n}\n", encoding="utf-8")
        git(root, "add", ".")
        git(root, "commit", "-q", "-m", f"commit {n}")
    return root


def test_outside_git_and_without_commits(tmp_path):
    (tmp_path / "plain").mkdir()
    assert head_commit(tmp_path / "plain") is None
    git(tmp_path / "plain", "init", "-q")
    assert head_commit(tmp_path / "plain") is None  # a branch with no commit yet


def test_branch_detached_and_packed_refs(repo):
    archive = repo / "clients" / "acme"
    assert head_commit(archive) == git(repo, "rev-parse", "HEAD")
    first = git(repo, "rev-parse", "HEAD~1")
    git(repo, "checkout", "-q", first)
    assert head_commit(archive) == first  # detached
    git(repo, "checkout", "-q", "main")
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert head_commit(archive) == git(repo, "rev-parse", "HEAD")


def test_linked_worktree(repo, tmp_path):
    git(repo, "branch", "-q", "other", "HEAD~1")
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"), "other")
    assert (tmp_path / "wt" / ".git").is_file()
    assert head_commit(tmp_path / "wt" / "clients" / "acme") == git(repo, "rev-parse", "HEAD~1")
    git(repo, "pack-refs", "--all")  # the branch now only in the shared packed-refs
    assert head_commit(tmp_path / "wt" / "clients") == git(repo, "rev-parse", "HEAD~1")
