"""Where an output may go: never into an archive's records, and over an
existing file only when it is one the same command wrote before, or with
--force.

A command that writes what the user asked for (a report, a site, a ledger,
a database, a calendar, schemas, a baseline, a blank roster) must not land
in `safetrain.toml` or in a folder that holds records, templates or the
files records point to (spec.ARCHIVE_FOLDERS): the next `check` would read
it, or it would replace what the archive keeps; not even --force allows it.
Outside them, an existing file is replaced when the command recognises it
as its own earlier output (each writer knows its mark: Office core
properties, the ICS PRODID, the SQLite export's application id, ...), and
says so; any other file only with --force.

`templates copy` is the one command that writes into an archive, on purpose:
its own templates/ folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...errors import SafetrainError
from ..reading.discover import MARKER, display_name, find_root
from ..reading.spec import ARCHIVE_FOLDERS
from .lock import LOCK_NAME


def refuse_records(path: str | os.PathLike) -> None:
    """SafetrainError when `path` is an archive's root, its safetrain.toml, its write lock or inside one of
    its record folders, or inside a `.git` folder."""
    real = Path(os.path.realpath(path))
    if ".git" in real.parts:  # git's own folder (a repository's, an archive's): never an output, nor made as one
        raise SafetrainError(f"{path} 在 git 的 .git 目录中，不能写入", f"{path} is inside git's .git folder: not written to")
    root = find_root(real if real.is_dir() or not real.exists() else real.parent)
    if root is None:
        return
    rel = real.relative_to(Path(os.path.realpath(root)))
    top = rel.parts[0] if rel.parts else ""
    root = display_name(root)  # named as every line names an archive
    if not rel.parts:
        raise SafetrainError(f"{path} 是档案的根目录（有 {MARKER}），不能写入", f"{path} is an archive's root folder "
                             f"(it holds {MARKER}): not written to")
    if top == MARKER:
        raise SafetrainError(f"{path} 是档案 {root} 的登记文件 {MARKER}，不能写入：请选择档案之外的文件",
                             f"{path} is the {MARKER} of the archive {root}: not written to; choose a file outside "
                             "the archive's records")
    if top == LOCK_NAME:
        raise SafetrainError(f"{path} 是档案 {root} 的写入锁，不能写入", f"{path} is the write lock of the archive {root}: "
                             "not written to")
    if top in ARCHIVE_FOLDERS:
        raise SafetrainError(f"{path} 在档案 {root} 的 {top} 中，不能写入：请选择档案之外或档案中的其他目录",
                             f"{path} is inside the {top} of the archive {root}: not written to; choose a folder "
                             "outside the archive's records")


@dataclass(frozen=True)
class Output:
    """A file a command may write: `replaces` says an existing file goes (`earlier`: one
    the same command wrote before; else one --force allowed)."""

    path: Path
    replaces: bool = False
    earlier: bool = False


def claim_output(path: str | os.PathLike, *, force: bool = False,
                 ours: Callable[[Path], bool] = lambda p: False) -> Output:
    """May a command write its output file `path`? `ours(path)` tells an earlier
    output of the same command. SafetrainError when it may not, naming the way out."""
    p = Path(path)
    refuse_records(p)
    if p.is_dir():
        raise SafetrainError(f"{path} 是目录，请给出文件名", f"{path} is a folder: give a file name")
    if not os.path.lexists(p):
        return Output(p)
    if _recognised(p, ours):
        return Output(p, replaces=True, earlier=True)
    if force:
        return Output(p, replaces=True)
    raise SafetrainError(f"{path} 已存在，且不是本命令此前生成的文件：用 --force 替换，或换一个文件名",
                         f"{path} exists and is not an earlier output of this command: --force replaces it, "
                         "or choose another name")


def claim_outputs(folder: str | os.PathLike, names, *, force: bool = False,
                  ours: Callable[[Path], bool] = lambda p: False) -> list[Output]:
    """claim_output for each of `names` in `folder`, all checked before anything is written."""
    folder = Path(folder)
    refuse_records(folder)
    if folder.exists() and not folder.is_dir():
        raise SafetrainError(f"{folder} 已存在且不是目录", f"{folder} exists and is not a folder")
    out = []
    for name in names:
        path = folder / name
        if _plain(name) and not os.path.lexists(path):  # a new file right in the folder: the folder's verdict
            out.append(Output(path))
        else:
            out.append(claim_output(path, force=force, ours=ours))
    return out


def _plain(name: str) -> bool:
    """A file name without a folder in it (a file named so lies where its folder does)."""
    return name not in ("", ".", "..") and "/" not in name and os.sep not in name and (
        os.altsep is None or os.altsep not in name)


def _recognised(path: Path, ours: Callable[[Path], bool]) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and bool(ours(path))
    except (OSError, ValueError):
        return False
