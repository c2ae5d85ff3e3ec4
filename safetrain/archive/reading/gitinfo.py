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


def staged_files(root: str | os.PathLike) -> dict[str, bytes] | None:
    """The files of the archive at `root` as git's index holds them (what the next commit will
    hold: staged changes in, unstaged changes and untracked files out), relpath -> bytes; None
    when no archive of this folder is in the index (its safetrain.toml is not). Symbolic links
    and submodules are left out (a commit holds no file behind them). SafetrainError outside a
    git work tree, without git, or when git fails."""
    from ...errors import SafetrainError

    where = str(root)
    base, prefix = _on_disk(root)  # an archive the index holds, its folder moved away unstaged: asked from above

    def run(*args: str, data: bytes | None = None) -> bytes:
        return _index_git(base, args, data)

    entries: list[tuple[str, str]] = []  # (relpath, blob)
    conflicted: set[str] = set()
    for line in run("ls-files", "-z", "--stage", "--", prefix or ".").split(b"\0"):
        if not line:
            continue
        meta, _, path = line.partition(b"\t")
        mode, blob, stage = meta.split(b" ")
        rel = path.decode("utf-8", "surrogateescape")
        rel = rel[len(prefix) + 1:] if prefix else rel
        if stage != b"0":
            conflicted.add(rel)
        elif mode in (b"100644", b"100755"):
            entries.append((rel, blob.decode("ascii")))
    if conflicted:
        first = sorted(conflicted)[0]
        raise SafetrainError(f"{where}：{first} 有未解决的合并冲突（共 {len(conflicted)} 个文件）：解决并 git add 后再检查",
                             f"{where}: {first} has an unresolved merge conflict ({len(conflicted)} file(s)): resolve "
                             "it and git add before checking")
    if "safetrain.toml" not in {rel for rel, _ in entries}:
        return None
    out = run("cat-file", "--batch", data=b"".join(blob.encode("ascii") + b"\n" for _, blob in entries))
    files: dict[str, bytes] = {}
    at = 0
    for rel, blob in entries:  # "<blob> blob <size>\n<bytes>\n", in the order asked
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split(b" ")[2])
        files[rel] = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
    return files


def in_index(root: str | os.PathLike, shown: str | None = None) -> bool:
    """Whether the archive at `root` is in git's index (its safetrain.toml is added); the
    errors of staged_files outside a work tree or without git (naming `shown`: _index_git)."""
    base, prefix = _on_disk(root)
    return bool(_index_git(base, ("ls-files", "-z", "--", f"{prefix}/safetrain.toml" if prefix else "safetrain.toml"),
                           shown=shown).strip(b"\0"))


def index_roots(path: str | os.PathLike, shown: str | None = None) -> list[Path]:
    """The archives at or below the folder `path` that git's index holds (each folder whose
    safetrain.toml is added), in path order, whether or not the working folder still has them
    (a safetrain.toml deleted, a folder moved away, neither staged: the next commit holds them)."""
    base, prefix = _on_disk(path)
    spec = f"{prefix}/" if prefix else ""
    out = _index_git(base, ("ls-files", "-z", "--", f"{spec}safetrain.toml", f":(glob){spec}**/safetrain.toml"),
                     shown=shown)
    from .discover import walked

    roots = sorted({Path(base, rel.decode("utf-8", "surrogateescape")).parent for rel in out.split(b"\0") if rel},
                   key=lambda p: p.parts)
    return walked(path, roots)  # as the walk of the working folder finds archives (none in .hidden/, node_modules/)


def _on_disk(path: str | os.PathLike) -> tuple[Path, str]:
    """(the nearest folder at or above `path` that exists, `path` relative to it with "/"; "" when
    `path` exists): where git is asked from, and the pathspec of `path` there."""
    path = Path(os.path.abspath(path))
    base = path
    while not base.is_dir() and base.parent != base:
        base = base.parent
    return base, path.relative_to(base).as_posix() if base != path else ""


def _index_git(root: str | os.PathLike, args, data: bytes | None = None, shown: str | None = None) -> bytes:
    """What `git -C root ARGS` prints (for --staged); SafetrainError without git, or when it fails,
    naming `shown` (the path the user gave) or else `root` (the folder git was asked in)."""
    from ...errors import SafetrainError

    git = shutil.which("git")
    if git is None:
        raise SafetrainError("--staged 需要 git，但找不到 git 命令", "--staged needs git, and no git command was found")
    where = str(shown or root)
    try:
        done = subprocess.run([git, "-C", str(root), *args], input=data, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SafetrainError(f"{where}：无法运行 git：{exc}", f"{where}: cannot run git: {exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SafetrainError(f"{where}：--staged 读取 git 暂存区失败：{said[-1] if said else done.returncode}",
                             f"{where}: --staged could not read git's index: {said[-1] if said else done.returncode}")
    return done.stdout
