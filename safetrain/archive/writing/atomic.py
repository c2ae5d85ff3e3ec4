"""Atomic writes: a temporary file in the same folder, then os.replace, so a
reader never sees a half-written file and a failed write leaves the old one.

Every file safetrain writes goes through here, so this is also where a write
the system refuses becomes the one "cannot write" error.

The temporary file is `.<name>.<8 random characters>.safetrain.tmp` next to
the target: its name is chosen before the file is made, so whatever interrupts
a write (an error, Ctrl-C, SIGTERM) removes it. A process killed while writing
(kill -9, a power cut) leaves it behind: the first write of a process into a
folder removes such files there that nobody touched for STALE_SECONDS (only
files of that exact shape: a user's `.thesis.20240101.tmp` is not ours), and
`init` lists TEMP_PATTERN in .gitignore."""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from ...errors import SafetrainError, os_reason

#: .gitignore pattern of the temporary files
TEMP_PATTERN = ".*.tmp"
#: what ends the name of every temporary file of ours
TEMP_SUFFIX = ".safetrain.tmp"
#: the temporary files exactly (the random part is 8 of [a-z0-9_]): nothing else is ever swept
_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))
#: a new file only, never through a link, private until it is complete (mkstemp's)
_NEW_FILE = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
             | getattr(os, "O_NOINHERIT", 0))
#: a temporary file untouched this long is a crashed write's, never a running one's
STALE_SECONDS = 60
_swept: set[str] = set()


def is_temporary_name(name: str) -> bool:
    """Whether a file named `name` is taken for a temporary file of ours (`sweep` removes it)."""
    return _TEMP_NAME.fullmatch(name) is not None


def sweep(folder: str | os.PathLike, force: bool = False) -> list[str]:
    """Remove the temporary files a crashed write left in `folder` (older than
    STALE_SECONDS); once per folder and process unless `force`. Returns their names."""
    if str(folder) in _swept and not force:  # as given: no need to resolve it again for every file
        return []
    key = os.path.realpath(folder)
    if key in _swept and not force:
        _swept.add(str(folder))
        return []
    _swept.update((key, str(folder)))
    removed = []
    now = time.time()
    try:
        entries = os.scandir(folder)
    except OSError:
        return removed
    with entries:
        removed += [entry.name for entry in entries if _removed_if_stale(entry, now)]
    return removed


def _removed_if_stale(entry: os.DirEntry, now: float) -> bool:
    """Remove `entry` when it is a temporary file of ours nobody touched for STALE_SECONDS."""
    if not is_temporary_name(entry.name):
        return False
    try:
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_SECONDS:
            os.unlink(entry.path)
            return True
    except OSError:
        pass
    return False


def sweep_archive(root: str | os.PathLike) -> list[str]:
    """`sweep` every folder of the archive at `root` (not its hidden folders), in one pass over
    each: a write killed in a folder nothing writes into again (sessions/2023/) left a copy of a
    record, ID numbers and all, for good. Returns the files removed, relative to `root`."""
    removed, now = [], time.time()
    folders = [(os.fspath(root), "")]
    while folders:
        folder, rel = folders.pop()
        _swept.update((folder, os.path.realpath(folder)))
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name[0] == ".":  # every temporary name begins with a dot: the rest cost no test
                    if _removed_if_stale(entry, now):
                        removed.append(rel + entry.name)
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{rel}{entry.name}/"))
                except OSError:
                    pass
    return removed


def _open_new(name: str) -> int:
    return os.open(name, _NEW_FILE, 0o600)


#: the most bytes of a file name (ext4, XFS, btrfs, APFS, NTFS in UTF-8: 255); a Chinese character takes 3
NAME_BYTES = 255
#: the most bytes of the target's name a temporary name takes: with the dot, the random part and
#: TEMP_SUFFIX it stays within the NAME_BYTES of a file name (a scan named with 78 Chinese
#: characters, a valid name, could not be written: its temporary name was too long)
_TEMP_STEM_BYTES = 200


def shortened(text: str, most: int) -> str:
    """`text` cut to at most `most` bytes of UTF-8 (a file name's measure), never inside a character."""
    raw = text.encode("utf-8", "surrogateescape")
    if len(raw) <= most:
        return text
    return raw[:max(most, 0)].decode("utf-8", "ignore")


def _temp_stem(name: str) -> str:
    return shortened(name, _TEMP_STEM_BYTES)


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(most: int = 0o666) -> int:
    """The permissions of a file made new: `most` less the user's umask (umask 077 keeps a new
    person file, which holds a 身份证号, private; it was 0644 whatever the umask)."""
    return most & ~_umask()


@contextmanager
def _temporary(path: Path) -> Iterator[tuple[int, str]]:
    """A new temporary file next to `path` (after sweeping the folder once), open: (fd, name).
    Its name is known before the file exists, so whatever ends the block (an error, Ctrl-C
    between making the file and using it) the file is gone afterwards, unless the block moved
    it to its name. A folder that refuses the file is `cannot_write(path)`."""
    sweep(path.parent)
    name = None
    try:
        for _ in range(100):
            name = os.path.join(path.parent, f".{_temp_stem(path.name)}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
            try:
                fd = _open_new(name)
                break
            except FileExistsError:  # somebody else's: never removed
                name = None
            except OSError as exc:  # said of the file asked for, not of a temporary name
                name = None
                raise cannot_write(path, exc) from None
        else:
            name = None
            raise cannot_write(path, FileExistsError(17, "File exists"))
        yield fd, name
    finally:
        if name is not None:
            try:
                os.unlink(name)
            except OSError:  # moved to its name (FileNotFoundError), or still open on Windows
                pass


@contextmanager
def scratch(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary file next to `path` for a writer's own use (named like every temporary
    file here, so a crash leaves nothing `sweep` does not remove); deleted afterwards."""
    with _temporary(Path(path)) as (fd, name):
        os.close(fd)
        yield Path(name)


def _parent_folder(path: Path) -> None:
    """`path`'s folder exists (made where missing); a file standing where a folder is needed on
    the way is said by name ("afile 不是目录", not the system's "File exists")."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (path.parent, *path.parent.parents) if p.exists() and not p.is_dir()), path.parent)
        raise SafetrainError(f"无法写入 {path}：{blocking} 不是目录", f"cannot write {path}: {blocking} is not a folder") from None
    except OSError as exc:
        raise cannot_write(path, exc) from None


def linked_record(rel: str) -> tuple[str, str]:
    """(zh, en) for a record file that is a symbolic link: no write goes through it (os.replace
    would put a copy where the link was: one record twice, the two differing)."""
    return (f"{rel} 是符号链接：改写会把链接换成一份副本（同一记录两份，内容不同），未写入；请改写它指向的文件",
            f"{rel} is a symbolic link: writing would replace the link with a copy (one record twice, the "
            "two differing); not written: change the file it points to")


def may_write(path: str | os.PathLike) -> bool:
    """Whether this process may write the file at `path` (root may write any: Unix's own answer)."""
    return os.access(path, os.W_OK)


def _refuse_read_only(path: Path) -> None:
    """An existing file this process may not write (chmod 444) is `cannot_write`, never replaced:
    os.replace asks only the folder's permission, so a record its user made read-only was
    silently rewritten."""
    if os.path.isfile(path) and not may_write(path):
        raise cannot_write(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))


def cannot_write(path: str | os.PathLike, exc: OSError) -> SafetrainError:
    zh, en = os_reason(exc)
    return SafetrainError(f"无法写入 {path}：{zh}", f"cannot write {path}: {en}")


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to `path`; when the block ends without an
    exception, flush it to disk and move it over `path` (keeping `path`'s
    permissions), else delete it.

    For writers that need a file name rather than bytes (sqlite3, zip writers).
    """
    with replacing_together([path]) as (tmp,):
        try:
            yield tmp
        except OSError as exc:  # the writer's own failure (a full disk), said of the file it was for
            raise cannot_write(path, exc) from None


@contextmanager
def replacing_together(paths: list) -> Iterator[list[Path]]:
    """Temporary paths for files that belong together (a Parquet partition's datasets; replacing()
    is one file's): a temporary path for each, next to it; when the block ends without an exception, all are flushed to disk first, then
    all moved over their names at once with Ctrl-C and SIGTERM held back until the last (one
    landing during a flush had left some files renamed and the rest deleted: a partition of two
    exports); else all deleted."""
    from contextlib import ExitStack

    paths = [Path(p) for p in paths]
    with ExitStack() as stack:
        temps = []
        for path in paths:
            _refuse_read_only(path)
        for path in paths:
            _parent_folder(path)
            fd, name = stack.enter_context(_temporary(path))
            os.close(fd)
            temps.append(Path(name))
        yield temps
        path = paths[0] if paths else Path(".")
        try:
            for tmp, path in zip(temps, paths):
                fsync_file(tmp)
                os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else new_file_mode())
            with _signals_held():
                for tmp, path in zip(temps, paths):
                    os.replace(tmp, path)
        except OSError as exc:
            raise cannot_write(path, exc) from None


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM received inside the block are acted on when it ends (in the main
    thread; elsewhere no signal is delivered to the block anyway)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    kinds = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    before = {k: signal.getsignal(k) for k in kinds}
    kinds = [k for k in kinds if before[k] is not None]  # a handler set outside Python: left alone
    for k in kinds:
        signal.signal(k, lambda signum, frame: got.append(signum))
    try:
        yield
    finally:
        for k in kinds:
            signal.signal(k, before[k])
        if got:  # as it would have been acted on a moment earlier; SIGTERM first (it ends the run)
            signum = signal.SIGTERM if hasattr(signal, "SIGTERM") and signal.SIGTERM in got else got[0]
            handler = before[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL and signum == signal.SIGINT:
                raise KeyboardInterrupt
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), signum)  # its default action, now


def fsync_file(path: str | os.PathLike) -> None:
    """What has been written to the file at `path` is on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: str | os.PathLike, data: bytes, *, durable: bool = True) -> None:
    """`path` holds `data`, all at once. `durable=False` leaves the flush to disk to one
    `flush()` after many files (still atomic: a reader never sees half a file)."""
    if durable:
        with replacing(path) as tmp:
            tmp.write_bytes(data)
        return
    path = Path(path)
    _refuse_read_only(path)
    with _temporary(path) as (fd, name):
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            try:
                mode = os.stat(path).st_mode & 0o777  # a file replaced keeps its permissions
            except FileNotFoundError:
                mode = new_file_mode()
            os.chmod(name, mode)
            os.replace(name, path)
        except OSError as exc:
            raise cannot_write(path, exc) from None


def flush(paths) -> None:
    """Flush files written with durable=False to disk: one sync of the system where
    there is one, else each file's."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:  # pragma: no cover - Windows
        fsync_file(path)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_new_bytes(path: str | os.PathLike, data: bytes | BinaryIO, mode: int = 0o666) -> None:
    """Write a file that must not exist yet: FileExistsError rather than overwrite.
    `data`: the bytes, or a file open for reading whose content is copied a piece at a
    time (an attached scan of gigabytes is never held in memory).

    The content is complete before the file appears under its name (a hard link
    from a temporary file), so a reader never sees it half-written. It has
    permissions `mode` from the start (a private scan stays private).
    """
    path = Path(path)
    _parent_folder(path)  # a read-only folder: said of the file asked for

    def put(fh) -> None:
        if isinstance(data, bytes):
            fh.write(data)
        else:
            data.seek(0)
            shutil.copyfileobj(data, fh, 1 << 20)
    with _temporary(path) as (fd, tmp):
        try:
            with os.fdopen(fd, "wb") as fh:
                put(fh)
                fh.flush()
                os.fsync(fh.fileno())
            mode = new_file_mode(mode)  # never more open than the umask allows
            os.chmod(tmp, mode)
            try:
                os.link(tmp, path)  # fails when the name is taken
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links (FAT, some network mounts): exclusive create,
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)  # then ours to remove if unfinished
                try:
                    with os.fdopen(fd, "wb") as fh:
                        put(fh)
                        fh.flush()
                        os.fsync(fh.fileno())
                except BaseException:  # Ctrl-C, a full disk: no half a file under its name
                    try:
                        os.unlink(path)
                    except OSError:
                        pass
                    raise
        except FileExistsError:
            raise
        except OSError as exc:
            raise cannot_write(path, exc) from None


def create_text(path: str | os.PathLike, text: str) -> None:
    """write_new_bytes for text: a new file, never an overwrite."""
    write_new_bytes(path, text.encode("utf-8"))
