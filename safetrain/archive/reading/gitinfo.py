"""Which git commit an archive's files come from, read from the repository's
files (no `git` process for the usual layouts, so thousands of archives cost
milliseconds).

`head_commit(root)` is the commit checked out (HEAD) in the repository that
holds `root`, or None outside git or for a branch without commits.
Uncommitted changes are not looked for: HEAD says which commit the files were
checked out from, and an export records it as such.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

_HASH = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def git_dir(root: str | os.PathLike) -> Path | None:
    """The `.git` folder of the repository holding `root` (following a
    worktree's or submodule's `.git` file), or None."""
    start = Path(os.path.abspath(root))
    for folder in (start, *start.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():
            try:
                text = dot.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not text.startswith("gitdir:"):
                return None
            target = Path(text[len("gitdir:"):].strip())
            return target if target.is_absolute() else (folder / target).resolve()
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _packed_ref(common: Path, ref: str) -> str | None:
    text = _read(common / "packed-refs")
    for line in (text or "").splitlines():
        parts = line.split(" ", 1)
        if len(parts) == 2 and parts[1] == ref and _HASH.fullmatch(parts[0]):
            return parts[0]
    return None


def _git_rev_parse(folder: Path) -> str | None:
    """Ask git itself (reftable repositories and other layouts we do not read)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "-C", str(folder), "rev-parse", "--verify", "-q", "HEAD"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and _HASH.fullmatch(commit) else None


def head_commit(root: str | os.PathLike) -> str | None:
    """The commit checked out in the repository holding `root`, or None."""
    gitdir = git_dir(root)
    if gitdir is None:
        return None
    common_link = _read(gitdir / "commondir")  # a linked worktree shares refs with the main .git
    common = (gitdir / common_link).resolve() if common_link else gitdir
    if (common / "reftable").is_dir():
        return _git_rev_parse(Path(root))
    head = _read(gitdir / "HEAD")
    if head is None:
        return None
    if _HASH.fullmatch(head):  # detached HEAD
        return head
    if not head.startswith("ref:"):
        return None
    ref = head[len("ref:"):].strip()
    for base in (gitdir, common):
        value = _read(base / ref)
        if value is not None:
            return value if _HASH.fullmatch(value) else None
    return _packed_ref(common, ref)
