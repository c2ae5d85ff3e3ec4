"""One writer at a time: a lock on the archive's folder itself.

Every command that reads, changes and writes archive files holds it for the
whole read-modify-write, so two people (or a script and a person, or two
threads of one program) adding attendees to one session at once both land.
The lock is per thread: a thread may nest its own locks; another thread,
like another process, waits.

Where the system can lock a folder (`flock` on the archive folder, POSIX),
no file is made for it: nothing is left in the archive that the user did not
write. Elsewhere (Windows, a file system that cannot lock a folder) it falls
back to a lock file, `<archive>/.safetrain.lock` (the `filelock` package),
which is never deleted (deleting it would let a third process lock a
different file) and which `safetrain init` lists in the archive's .gitignore.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ...errors import SafetrainError, os_reason

LOCK_NAME = ".safetrain.lock"
DEFAULT_TIMEOUT = 30.0
_POLL = 0.02


class LockTimeout(SafetrainError):
    pass


def timeout_default() -> float:
    try:
        return float(os.environ.get("SAFETRAIN_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


_local = threading.local()  # per thread: realpath -> [how to let go, depth]


@contextmanager
def archive_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the archive's lock; wait up to `timeout` seconds for another holder
    (another process or another thread); a thread already holding it goes on."""
    path = os.path.realpath(root)
    timeout = timeout_default() if timeout is None else max(timeout, 0)
    held = getattr(_local, "held", None)
    if held is None:
        held = _local.held = {}
    if path in held:  # nested in this thread
        held[path][1] += 1
        try:
            yield
        finally:
            held[path][1] -= 1
        return
    release = _lock_folder(path, timeout)
    if release is None:
        release = _lock_file(path, timeout)
    held[path] = [release, 1]
    try:
        yield
    finally:
        del held[path]
        release()


def _timed_out(where: str, timeout: float) -> LockTimeout:
    return LockTimeout(
        f"档案正被另一个 safetrain 命令修改（{where}），等待 {timeout:g} 秒仍未释放；请稍后重试",
        f"another safetrain command is changing this archive ({where}); "
        f"gave up after {timeout:g} seconds, try again later",
    )


def _lock_folder(path: str, timeout: float):
    """flock on the archive folder; the function that lets go, or None where a folder
    cannot be locked here (then a lock file is used)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _timed_out(path, timeout) from None
                time.sleep(_POLL)
    except OSError:  # the file system cannot lock a folder (some network shares)
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise

    def release() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return release


def _lock_file(path: str, timeout: float):
    """The lock file fallback (filelock); the function that lets go."""
    from filelock import FileLock, Timeout

    lock_path = os.path.join(path, LOCK_NAME)
    lock = FileLock(lock_path, is_singleton=True, thread_local=True, preserve_lock_file=True)
    try:
        lock.acquire(timeout=timeout, poll_interval=_POLL)
    except Timeout:
        raise _timed_out(lock_path, timeout) from None
    except OSError as exc:
        zh, en = os_reason(exc)
        raise SafetrainError(f"无法创建锁文件 {lock_path}：{zh}", f"cannot create the lock file {lock_path}: {en}") from None
    return lock.release
