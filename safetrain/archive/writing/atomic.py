"""Atomic writes: a temporary file in the same folder, then os.replace, so a
reader never sees a half-written file and a failed write leaves the old one.

Every file safetrain writes goes through here, so this is also where a write
the system refuses becomes the one "cannot write" error."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ...errors import SafetrainError


def cannot_write(path: str | os.PathLike, exc: OSError) -> SafetrainError:
    reason = exc.strerror or str(exc)
    return SafetrainError(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}")


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to `path`; when the block ends without an
    exception, flush it to disk and move it over `path` (keeping `path`'s
    permissions), else delete it.

    For writers that need a file name rather than bytes (sqlite3, zip writers).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync(tmp)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise cannot_write(path, exc) from None
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_new_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write a file that must not exist yet: FileExistsError rather than overwrite.

    The content is complete before the file appears under its name (a hard link
    from a temporary file), so a reader never sees it half-written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)  # fails when the name is taken
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create
            with open(path, "xb") as fh:
                fh.write(data)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def create_text(path: str | os.PathLike, text: str) -> None:
    """write_new_bytes for text: a new file, never an overwrite."""
    write_new_bytes(path, text.encode("utf-8"))
