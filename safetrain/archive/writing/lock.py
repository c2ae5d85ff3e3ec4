"""One writer at a time: an advisory lock on `<archive>/.safetrain.lock`.

Every command that reads, changes and writes archive files holds it for the
whole read-modify-write, so two people (or a script and a person) adding
attendees to one session at once both land. The lock file is never deleted
(deleting it would let a third process lock a different file) and is listed in
the archive's .gitignore by `safetrain init`.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ...errors import SafetrainError

LOCK_NAME = ".safetrain.lock"
DEFAULT_TIMEOUT = 30.0

_held: dict[str, int] = {}  # lock path -> depth, so a process may nest its own locks
_guard = threading.Lock()


class LockTimeout(SafetrainError):
    pass


def timeout_default() -> float:
    try:
        return float(os.environ.get("SAFETRAIN_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except (BlockingIOError, PermissionError):
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def archive_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the archive's lock; wait up to `timeout` seconds for another holder."""
    path = os.path.realpath(Path(root) / LOCK_NAME)
    with _guard:
        if path in _held:
            _held[path] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _guard:
                _held[path] -= 1
        return
    timeout = timeout_default() if timeout is None else timeout
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise SafetrainError(f"无法创建锁文件 {path}：{exc.strerror}", f"cannot create the lock file {path}: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"档案正被另一个 safetrain 命令修改（锁文件 {path}），等待 {timeout:g} 秒仍未释放；请稍后重试",
                    f"another safetrain command is changing this archive (lock file {path}); "
                    f"gave up after {timeout:g} seconds, try again later",
                )
            time.sleep(0.02)
        with _guard:
            _held[path] = 1
        try:
            yield
        finally:
            with _guard:
                del _held[path]
            _unlock(fd)
    finally:
        os.close(fd)
