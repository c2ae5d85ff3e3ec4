"""Where an output may go: never into an archive's records.

A command that writes what the user asked for (a report, a site) must not
land in `safetrain.toml` or in a folder that holds records, templates or the
files records point to: the next `check` would read it, or it would replace
what the archive keeps."""

from __future__ import annotations

import os
from pathlib import Path

from ...errors import SafetrainError
from ..reading.discover import MARKER, find_root
from ..reading.spec import ARCHIVE_FOLDERS



def refuse_records(path: str | os.PathLike) -> None:
    """SafetrainError when `path` is an archive's root, its safetrain.toml or inside one of its record folders."""
    real = Path(os.path.realpath(path))
    root = find_root(real if real.is_dir() or not real.exists() else real.parent)
    if root is None:
        return
    rel = real.relative_to(Path(os.path.realpath(root)))
    top = rel.parts[0] if rel.parts else ""
    if not rel.parts:
        raise SafetrainError(f"{path} 是档案的根目录（有 {MARKER}），不能写入", f"{path} is an archive's root folder "
                             f"(it holds {MARKER}): not written to")
    if top == MARKER or top in ARCHIVE_FOLDERS:
        raise SafetrainError(f"{path} 在档案 {root} 的 {top} 中，不能写入：请选择档案之外或档案中的其他目录",
                             f"{path} is inside the {top} of the archive {root}: not written to; choose a folder "
                             "outside the archive's records")
