"""Where an archive's files are: on disk under its root, or in memory.

The loader reads records through a FileStore, and rules ask it about the
files records point to (A008); nothing else needs to know which it is. An
archive on disk has a `root`; one held in memory (tests, a template's
sample archive) has none.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path, PurePosixPath
from typing import Mapping

from ...findings import Finding
from .discover import MARKER
from .spec import FOLDERS, kind_of_path


class NotARegularFile(OSError):
    """A record's path that is a pipe, a socket or a device: refused unread (a pipe opened for
    reading waits for a writer for ever, a device may never end)."""

    reason_zh = "不是普通文件（管道、套接字或设备）"
    reason_en = "not a regular file (a pipe, socket or device)"

    def __init__(self, path: str | os.PathLike):
        super().__init__(errno.EINVAL, self.reason_en, os.fspath(path))


def open_regular(path: str | os.PathLike) -> tuple[int, os.stat_result]:
    """(an open descriptor, its status) of the file at `path`, for reading; NotARegularFile
    for anything but a file or a folder (a folder fails as it did, when it is read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:  # a socket cannot be opened at all
        if exc.errno == errno.ENXIO:
            raise NotARegularFile(path) from None
        raise
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            raise NotARegularFile(path)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_regular(path: str | os.PathLike) -> bytes:
    """What the file at `path` holds (Path.read_bytes, but never waiting on a pipe)."""
    fd, _ = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


class FileStore:
    """What the loader and the rules may ask about an archive's files."""

    root: Path | None = None

    def listing(self) -> tuple[list[tuple[str, str]], list[Finding]]:
        """(kind, relpath) of every record file, safetrain.toml first and the rest sorted
        by kind and path; plus findings for paths that leave the archive (A008)."""
        raise NotImplementedError

    def read_bytes(self, rel: str, limit: int | None = None) -> tuple[bytes, int]:
        """A file's bytes (up to `limit` + 1 of them) and its whole size; OSError when it cannot be read."""
        raise NotImplementedError

    def text(self, rel: str) -> str | None:
        """A file's text (for line look-up); None when it cannot be read any more."""
        try:
            data, _ = self.read_bytes(rel)
            return data.decode("utf-8-sig")  # a BOM is no character of the first line
        except (OSError, UnicodeDecodeError):
            return None

    def status(self, relpath: str, sha256: str | None = None) -> str:
        """'ok', 'missing', 'folder', 'special' (a pipe, a device), 'outside' (leaves the archive),
        'hash' (sha256 differs) or 'unreadable'."""
        raise NotImplementedError


def leaves_archive(relpath: str) -> bool:
    """A path that cannot name a file inside the archive, whatever the disk holds."""
    return (not relpath or "\0" in relpath or os.path.isabs(relpath) or relpath.startswith(("/", "\\"))
            or ":" in relpath[:3])


def sort_listing(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    order = list(FOLDERS)
    return sorted(found, key=lambda kr: (order.index(kr[0]), kr[1]))


class LocalFiles(FileStore):
    """An archive's files on disk, under its root. While `consulted` is a list,
    every `status` answer is noted in it: (relpath, sha256, answer), for the
    cache to ask again before it serves a result."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._real_root = os.path.realpath(root)
        self.consulted: list | None = None

    def listing(self):
        from .reader import list_files

        return list_files(self.root)

    def read_bytes(self, rel: str, limit: int | None = None) -> tuple[bytes, int]:
        data, size, _ = self.read_stat(rel, limit)
        return data, size

    def read_stat(self, rel: str, limit: int | None = None) -> tuple[bytes, int, os.stat_result]:
        """read_bytes, and the file's status as it was read (for the cache). Reads what
        the file holds (a buffer of `limit` for every small file costs more than the reading)."""
        if rel == MARKER and os.path.islink(os.path.join(self.root, rel)) and self.resolve(rel) is None:
            raise LeavesArchive(errno.EXDEV, "a link that leaves the archive", os.path.join(self.root, rel))
        fd, st = open_regular(os.path.join(self.root, rel))
        try:
            want = st.st_size + 1 if limit is None else min(st.st_size, limit) + 1
            chunks, total = [], 0
            while want > 0:
                chunk = os.read(fd, want)
                chunks.append(chunk)
                total += len(chunk)
                if len(chunk) < want:  # a short read: the end of the file
                    break
                want = (1 << 20) if limit is None else limit + 1 - total
        finally:
            os.close(fd)
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        size = len(data) if limit is None or len(data) <= limit else max(st.st_size, len(data))
        return data, size, st

    def resolve(self, relpath: str) -> Path | None:
        """The file's path, or None when `relpath` leaves the archive."""
        if leaves_archive(relpath):
            return None
        path = self.root / relpath
        real = os.path.realpath(path)
        if real != self._real_root and not real.startswith(self._real_root + os.sep):
            return None
        return path

    def status(self, relpath: str, sha256: str | None = None) -> str:
        answer = self._status(relpath, sha256)
        if self.consulted is not None:
            self.consulted.append((relpath, sha256, answer))
        return answer

    def _status(self, relpath: str, sha256: str | None) -> str:
        path = self.resolve(relpath)
        if path is None:
            return "outside"
        if not path.is_file():
            return "folder" if path.is_dir() else "special" if path.exists() else "missing"
        if sha256 is not None:
            digest = hashlib.sha256()
            try:
                with open(path, "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(chunk)
            except OSError:
                return "unreadable"  # its sha256 cannot be verified: said, the archive still judged
            if digest.hexdigest() != sha256.lower():
                return "hash"
        return "ok"


class LeavesArchive(OSError):
    """safetrain.toml is a link to a file outside its archive (the record files' links are
    found by the listing): never read, an A008 as a record's link out is (another enterprise's
    register would be judged as this one's)."""


class MemoryFiles(FileStore):
    """An archive held in memory: relpath -> text (or bytes), as on disk."""

    def __init__(self, files: Mapping[str, str | bytes]):
        self.files = {rel: (v.encode("utf-8") if isinstance(v, str) else v) for rel, v in files.items()}
        self._folders: set[str] | None = None

    def listing(self):
        from .reader import archive_inside, not_read_folders

        inner = tuple(sorted(rel[: -len(MARKER)] for rel in self.files if rel.endswith("/" + MARKER)))
        rels = [rel for rel in self.files if rel != MARKER and not rel.startswith(inner)]  # another archive's: not ours
        records = [(kind_of_path(rel), rel) for rel in rels]
        folders = set(FOLDERS.values())
        outermost = [p for p in inner if not any(p != q and p.startswith(q) for q in inner)]
        placed = [archive_inside(p.split("/", 1)[0], p.rstrip("/")) for p in outermost if p.split("/", 1)[0] in folders]
        return ([("config", MARKER)] + sort_listing([(k, rel) for k, rel in records if k is not None]),
                sorted(not_read_folders(rels) + placed, key=lambda f: f.file))

    def read_bytes(self, rel: str, limit: int | None = None) -> tuple[bytes, int]:
        try:
            data = self.files[rel]
        except KeyError:
            raise FileNotFoundError(2, "No such file or directory", rel) from None
        return (data if limit is None else data[: limit + 1]), len(data)

    def status(self, relpath: str, sha256: str | None = None) -> str:
        if leaves_archive(relpath) or ".." in PurePosixPath(relpath).parts:
            return "outside"
        data = self.files.get(relpath)
        if data is None:
            if self._folders is None:  # every folder holding a file, made once (a look per name was quadratic)
                self._folders = {rel[:i] for rel in self.files for i in range(len(rel)) if rel[i] == "/"}
            return "folder" if relpath.rstrip("/") in self._folders else "missing"
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256.lower():
            return "hash"
        return "ok"
