"""Writing a new mentorship file (mentorships/<apprentice>.toml).

Keys in the canonical order of `spec.MENTORSHIP`, values rendered by tomlkit
(so any name is quoted correctly), a Chinese comment header on top; written
atomically and never over an existing file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ...errors import SafetrainError
from .atomic import create_text
from ..reading.models import Archive
from ..reading.spec import FOLDERS, MENTORSHIP


def mentorship_text(*, mentor: str, post: str, start: date, end: date | None = None,
                    signed_off: date | None = None, header: list[str] = ()) -> str:
    import tomlkit

    values = {"mentor": mentor, "post": post, "start": start, "end": end, "signed_off": signed_off}
    doc = tomlkit.document()
    for line in header:
        doc.add(tomlkit.comment(" ".join(line.split())))
    for key in MENTORSHIP.fields:
        if values.get(key) is not None:
            doc.add(key, values[key])
    return tomlkit.dumps(doc)


def create_mentorship(archive: Archive, apprentice: str, **fields) -> str:
    """Write mentorships/<apprentice>.toml in `archive`; returns its path relative to the archive.

    Raises SafetrainError when the file exists (it is never overwritten).
    """
    rel = f"{FOLDERS['mentorship']}/{apprentice}.toml"
    root = getattr(archive.files, "root", None)
    if root is None:
        raise SafetrainError("档案不在磁盘上，无法写入", "the archive is not on disk; nothing can be written")
    try:
        create_text(Path(root) / rel, mentorship_text(**fields))
    except FileExistsError:
        raise SafetrainError(f"{rel} 已存在，未覆盖", f"{rel} already exists; it was not overwritten") from None
    return rel
