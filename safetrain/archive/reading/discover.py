"""Finding archives: a path may be an archive, a folder or file inside one, or
a workspace holding several archives at any depth."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Sequence

from ...errors import SafetrainError

MARKER = "safetrain.toml"
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})


def current_folder() -> str | None:
    """The current folder, or None when it no longer exists (deleted under the shell: `rmdir` of
    the folder a terminal is in). A command given whole paths needs none; where one is needed,
    `no_current_folder()` says why it cannot go on."""
    try:
        return os.getcwd()
    except FileNotFoundError:
        return None


def no_current_folder() -> SafetrainError:
    """The one error of a command that needs the current folder (no path given, a relative one)
    when it no longer exists (the system's "No such file or directory" read as an output failure)."""
    return SafetrainError("当前文件夹已不存在：请切换到一个存在的文件夹，或写出完整路径",
                          "the current folder no longer exists: change to a folder that exists, or give whole paths")


def find_root(path: Path) -> Path | None:
    """The archive that contains `path` (itself or an ancestor holding safetrain.toml); `..` in
    the path is gone up, as the shell does (`../b` from inside archive a is not inside a)."""
    path = Path(os.path.abspath(path))
    for folder in (path, *path.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def archive_root(path: str | os.PathLike) -> Path:
    """The archive at or above `path`, as git finds its repository; the one
    "no archive here" error when there is none (a command that works on one archive,
    given a workspace, is told to name one of its archives)."""
    root = find_root(Path(path))
    if root is None:
        if _archives_near(Path(path)):  # a workspace: said so, without a count (only two levels are looked at)
            raise SafetrainError(
                f"{path} 不是档案，而是存放档案的文件夹（工作区）：本命令只处理一个档案，请指定其中一个",
                f"{path} is not an archive but a folder of archives (a workspace): this command works on one "
                "archive, name one")
        raise no_archive(path)
    return root


def _archives_near(path: Path) -> int:
    """How many archives lie one or two folders below `path` (what a "no archive here" says of
    a workspace; not a walk of every folder below a home folder)."""
    count = 0
    try:
        for child in os.scandir(path):
            if not child.is_dir() or child.name.startswith("."):
                continue
            if os.path.isfile(os.path.join(child.path, MARKER)):
                count += 1
                continue
            try:
                count += sum(1 for grand in os.scandir(child.path)
                             if grand.is_dir() and os.path.isfile(os.path.join(grand.path, MARKER)))
            except OSError:
                continue
    except OSError:
        return count
    return count


def no_archive(path: str | os.PathLike, below: bool = False) -> SafetrainError:
    where_zh, where_en = ("本目录、上级目录和下级目录", "here, above or below") if below else ("本目录和上级目录", "here or above")
    return SafetrainError(f"{path} 处没有档案（{where_zh}中都没有 safetrain.toml）",
                          f"no archive at {path} (no safetrain.toml {where_en})")


def _below(path: Path, problems: list[tuple[str, SafetrainError]] | None = None) -> list[Path]:
    """The archives in the folders below `path`, at any depth (an archive kept inside another's
    folder, `acme/branch/`, is an archive of its own: the outer one does not read its records,
    reader.list_files; an archive's own folders are not gone into, nor links in an archive: one put
    there is the outer archive's A002), in path order. A folder linked to (a client's archive linked into a
    workspace) is gone into, each real folder once and by its real path where the workspace holds
    that too (`ln -s acme aa-link`: acme, not aa-link), but never a link to `path` itself or a
    folder above it (`ln -s .. loop`); a folder that cannot be read is a problem of its own in
    `problems` (never passed over in silence: it may hold an archive), or raises where there is
    no list to say it in."""
    found = []
    seen: set[str] = set()

    def unread(exc: OSError) -> None:
        from ...errors import os_reason

        zh, en = os_reason(exc)
        folder = exc.filename or path
        problem = SafetrainError(f"无法读取文件夹 {folder}：{zh}（其中可能有档案）",
                                 f"cannot read folder {folder}: {en} (it may hold an archive)")
        if problems is None:
            raise problem
        problems.append((os.fspath(folder), problem))

    top = Path(os.path.realpath(path))
    inside: set[str] = set()  # folders in an archive (its root, and folders below it that are no archive's own)
    starts = [os.fspath(path)]  # the folder named, then each link met, once the real folders are all seen
    while starts:
        for folder, dirs, files in os.walk(starts.pop(0), onerror=unread):
            real = os.path.realpath(folder)
            if real in seen or (real != str(top) and top.is_relative_to(real)):
                dirs.clear()  # a second path to one folder, or a link back up (to the folder named or above
                continue      # it: the folders beside it are no part of what was named)
            seen.add(real)
            root = MARKER in files
            if root:
                found.append(Path(folder))
            in_archive = root or os.path.dirname(folder) in inside
            if in_archive:
                inside.add(folder)
            kept = sorted(d for d in dirs if _gone_into(d, root))
            dirs[:] = [d for d in kept if not os.path.islink(os.path.join(folder, d))]
            if not in_archive:  # a link in the workspace (a client's archive linked in), once the real folders
                starts += [os.path.join(folder, d) for d in kept if d not in dirs]  # are seen; never in an archive
    return sorted(found, key=lambda f: f.parts)  # the order of a walk in name order, links at their place


def _gone_into(name: str, at_archive_root: bool) -> bool:
    """Whether the walk for archives goes into a folder of this name: never a hidden one or a
    tool's (node_modules), nor, in an archive, the folders the archive's own files go in (records,
    attachments, contracts, templates: an archive put there is the archive's A002, list_files)."""
    from .spec import ARCHIVE_FOLDERS

    return not name.startswith(".") and name not in _SKIP_DIRS and not (at_archive_root and name in ARCHIVE_FOLDERS)


def walked(path: str | os.PathLike, roots: Sequence[Path]) -> list[Path]:
    """Of `roots` (archives below the folder `path`, as git's index lists them), those the walk
    of _below would find: none in a hidden or a tool's folder, none in an archive's own folders."""
    base = Path(os.path.abspath(path))
    held = {Path(os.path.abspath(r)) for r in roots}
    out = []
    for root in roots:
        rel = Path(os.path.abspath(root)).relative_to(base).parts
        ok = all(_gone_into(part, False) for part in rel)
        for i in range(len(rel)):  # an archive above it: the folder below that archive must be gone into
            if ok and base.joinpath(*rel[:i]) in held and not _gone_into(rel[i], True):
                ok = False
        if ok:
            out.append(root)
    return out


def existing(raw: str | os.PathLike) -> Path:
    """The path named, or the one "no such path" error."""
    path = Path(raw)
    if not path.exists():
        raise SafetrainError(f"路径不存在：{raw}", f"no such path: {raw}")
    return path


def archives_at(raw: str | os.PathLike, problems: list[tuple[str, SafetrainError]] | None = None) -> list[Path]:
    """The archive at or above the path named; else, for a folder of archives (a workspace),
    every archive below it, which may be none (ARCHIVE-FORMAT: "every command that takes an
    archive path also accepts a folder of archives"). A path that does not exist and is in
    no archive is an error. A folder below that cannot be read is added to `problems` where
    a list is given (the others go on), else raised."""
    root = find_root(Path(raw))
    if root is not None:
        return [root]
    path = existing(raw)
    return [Path(os.path.abspath(r)) for r in _below(path, problems)] if path.is_dir() else []


def one_or_none(raw: str | os.PathLike) -> Path | None:
    """The one archive at the path named (archives_at), or None where there is none at all (a
    folder outside any archive); a path that does not exist, or a workspace of several
    archives, is an error (which one would it be?)."""
    existing(raw)
    found = archives_at(raw)
    if len(found) > 1:
        raise SafetrainError(f"{raw} 下有 {len(found)} 个档案：请指定其中一个", f"{raw} holds {len(found)} archives: name one")
    return found[0] if found else None


def discover(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Archive roots for the given paths, each once, in path order.

    Raises SafetrainError for a path that does not exist or holds no archive.
    """
    roots, problems = discover_each(paths)
    if problems:
        raise problems[0][1]
    return roots


def discover_each(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[tuple[str, SafetrainError]]]:
    """(archive roots, each once, in path order; (the path as given, why) for each path that does
    not exist or holds no archive): what a command over a workspace runs on, and says it could
    not, so one mistyped or emptied client folder does not hide the others."""
    roots: list[Path] = []
    problems: list[tuple[str, SafetrainError]] = []
    seen: set[Path] = set()
    for raw in paths:
        try:
            path = existing(raw)
            if path.is_file() or (path / MARKER).is_file():
                found = [find_root(path if path.is_dir() else path.parent)]
            else:
                said = len(problems)
                found = _below(path, problems)
                if not found and len(problems) > said:  # folders that could not be read, said
                    continue
                found = found or [find_root(path)]
            found = [f for f in found if f is not None]
            if not found:
                raise no_archive(raw, below=True)
        except SafetrainError as exc:
            problems.append((os.fspath(raw), exc))
            continue
        for root in found:
            root = Path(os.path.abspath(root))
            if root not in seen:
                seen.add(root)
                roots.append(root)
    return roots, problems


def root_names(roots: Sequence[str | os.PathLike]) -> list[str]:
    """Each archive folder relative to the folder holding them all (one
    archive: its folder's name), so the names do not depend on the current
    folder or on how the paths were typed."""
    roots = [Path(os.path.abspath(root)) for root in roots]
    if not roots:
        return []
    common = Path(os.path.commonpath(roots))
    if common in roots:  # one archive (or one inside another's folder)
        common = common.parent
    return [path_text(root.relative_to(common).as_posix()) for root in roots]


def short_names(roots: Sequence[str | os.PathLike]) -> list[str]:
    """What the terminal's columns and the HTML site call the archives of one run: each folder's
    own name when those are all different, else each relative to the folder holding them all
    (root_names: `c 2024/big/acme`, `b/acme`); where that folder is the file system's root (archives
    named from trees of their own: /tmp/ws/a/dup and /srv/x/b/dup), the last folders of each path,
    as few as tell them apart (`a/dup`, `b/dup`): never `.`, `..` or the folders of the machine a
    published site would carry (/tmp/ws, /srv)."""
    folders = [Path(os.path.abspath(root)) for root in roots]
    short = [f.name or os.fspath(root) for f, root in zip(folders, roots)]
    if len(set(short)) == len(short):
        return short
    try:
        common = Path(os.path.commonpath(folders))
    except ValueError:  # other drives
        common = None
    if common is not None and common != Path(common.anchor):
        return root_names(folders)
    parts = [tuple(path_text(p) for p in f.parts[1:]) or ("archive",) for f in folders]
    depth = _depths(parts, lambda p, k: "/".join(p[-k:]).lower())
    if None in depth:  # twins by case: told apart by case, or else the whole path
        exact = _depths(parts, lambda p, k: "/".join(p[-k:]))
        depth = [d if d is not None else exact[i] or len(parts[i]) for i, d in enumerate(depth)]
    return ["/".join(p[-k:]) for p, k in zip(parts, depth)]


def _depths(parts: list[tuple], tail) -> list[int | None]:
    """Each path's fewest last folders whose `tail` no other path shares (None where even the whole
    path is shared); the tails of k folders counted once for every path, a workspace of 500 being
    500 counts, not 250,000."""
    from collections import Counter

    depth: list[int | None] = [None] * len(parts)
    open_, k = list(range(len(parts))), 1
    while open_:
        seen = Counter(tail(p, k) for p in parts)
        left = []
        for i in open_:
            if seen[tail(parts[i], k)] == 1:
                depth[i] = k
            elif k < len(parts[i]):
                left.append(i)
        open_, k = left, k + 1
    return depth


def path_text(path: str | os.PathLike) -> str:
    """A path as text that every store takes (SQLite, Arrow, PostgreSQL, the cache): a
    folder name that is no UTF-8 with its bytes written out (`coal\\xff`), not as the lone
    surrogates Python reads them as."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def display_name(root: Path, cwd: Path | None = None) -> str:
    """The archive's path as a person would type it: relative to cwd when the archive is below
    it, when cwd is inside the archive (`..` from its people/), or inside the folder holding it
    (`../../beta` from a sibling archive of a workspace): the same words on every machine a
    repository is checked out on; else the whole path."""
    cwd = os.path.abspath(cwd) if cwd else current_folder()
    if cwd is None:  # deleted under the shell: no folder to be relative to
        return Path(root).as_posix()
    whole = os.path.abspath(root)
    try:
        common = os.path.commonpath([whole, cwd])
    except ValueError:  # another drive
        return Path(root).as_posix()
    if common not in (whole, cwd, os.path.dirname(whole)):
        return Path(root).as_posix()
    return Path(os.path.relpath(whole, cwd)).as_posix()


def workspaces(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The given paths that are workspaces: folders that are not inside an archive."""
    out = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and find_root(path) is None:
            folder = Path(os.path.abspath(path))
            if folder not in out:
                out.append(folder)
    return out


def named_paths(paths: Iterable[str | os.PathLike], command: str = "check") -> list:
    """The paths a workspace command runs on: those given, or the current folder when it
    is inside an archive. In any other folder, with no path, the command refuses: it
    must never read, let alone rewrite, archives it was not pointed at."""
    paths = list(paths)
    if paths:
        return paths
    here = current_folder()
    if here is None:
        raise no_current_folder()
    if find_root(Path(here)) is not None:
        return ["."]
    raise SafetrainError(
        f"当前目录不在档案内：请写出要处理的档案或工作区目录，例如 safetrain {command} .（本目录下的全部档案）"
        f"或 safetrain {command} 客户A 客户B",
        f"the current folder is not inside an archive: name the archives or workspace folders, e.g. "
        f"safetrain {command} . (every archive below here) or safetrain {command} clientA clientB")
