"""One writer at a time: a lock on `<archive>/.safetrain.lock` (the `filelock` package).

Every command that reads, changes and writes archive files holds it for the
whole read-modify-write, so two people (or a script and a person, or two
threads of one program) adding attendees to one session at once both land.
The lock is per thread: a thread may nest its own locks; another thread,
like another process, waits. The lock file is never deleted (deleting it
would let a third process lock a different file) and is listed in the
archive's .gitignore by `safetrain init`.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ...errors import SafetrainError, os_reason

LOCK_NAME = ".safetrain.lock"
DEFAULT_TIMEOUT = 30.0


class LockTimeout(SafetrainError):
    pass


def timeout_default() -> float:
    try:
        return float(os.environ.get("SAFETRAIN_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


@contextmanager
def archive_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the archive's lock; wait up to `timeout` seconds for another holder
    (another process or another thread); a thread already holding it goes on."""
    from filelock import FileLock, Timeout

    path = os.path.realpath(Path(root) / LOCK_NAME)
    timeout = timeout_default() if timeout is None else timeout
    # One instance per path (is_singleton), holds counted per thread (thread_local):
    # nesting in a thread re-enters, other threads block on the file like other processes.
    lock = FileLock(path, is_singleton=True, thread_local=True, preserve_lock_file=True)
    try:
        lock.acquire(timeout=max(timeout, 0), poll_interval=0.02)
    except Timeout:
        raise LockTimeout(
            f"档案正被另一个 safetrain 命令修改（锁文件 {path}），等待 {timeout:g} 秒仍未释放；请稍后重试",
            f"another safetrain command is changing this archive (lock file {path}); "
            f"gave up after {timeout:g} seconds, try again later",
        ) from None
    except OSError as exc:
        zh, en = os_reason(exc)
        raise SafetrainError(f"无法创建锁文件 {path}：{zh}", f"cannot create the lock file {path}: {en}") from None
    try:
        yield
    finally:
        lock.release()
