"""Worker processes as every command that has them needs them (the runner's workspace
workers, render's document workers):

    with worker_pool(jobs, initializer=..., initargs=...) as pool:
        ... pool.submit(...) ...

- Ctrl-C is the parent's to handle: a worker ignores SIGINT (a worker of its own printed a
  traceback, and could leave another blocked on a result nobody read);
- a worker ends with its parent (Linux: PR_SET_PDEATHSIG): after `kill -9` of the parent a
  worker left behind holds what the parent held when it forked (a PostgreSQL connection, its
  transaction and locks) and may wait for ever on a pipe nobody reads;
- leaving the block normally waits for the workers; leaving it by an exception (Ctrl-C,
  SIGTERM, a failure, a consumer that stopped) stops them instead, and lets the pool's manager
  thread go: a worker killed in the middle of sending a result leaves the thread reading half
  a message, and the interpreter's exit would join it for ever.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def worker_pool(jobs: int, *, context=None, initializer: Callable | None = None,
                initargs: tuple = ()) -> Iterator:
    """A ProcessPoolExecutor of `jobs` workers (`context`: a multiprocessing context), each
    started by `initializer(*initargs)` after the guards above."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start,
                               initargs=(os.getpid(), initializer, initargs))
    _live.add(pool)
    _stopped_before_exit()
    try:
        yield pool
    except BaseException:
        stop(pool)
        raise
    finally:
        _live.discard(pool)
    pool.shutdown(wait=True)


#: pools whose block has not been left: an interruption stops them even where the block is never
#: left (a generator holding it suspended while the exception goes up past its consumer)
_live: set = set()
_registered = False
if hasattr(os, "register_at_fork"):  # a forked child (a worker) has no pool of its own to stop
    os.register_at_fork(after_in_child=_live.clear)


def stop_all() -> None:
    """Every pool still running stopped (Ctrl-C, SIGTERM: the command line calls it)."""
    for pool in list(_live):
        _live.discard(pool)
        stop(pool)


def _stopped_before_exit() -> None:
    """stop_all before the interpreter joins the pools' manager threads at its exit (threading's
    exit hooks run last registered first: this one before concurrent.futures' own)."""
    global _registered
    if _registered:
        return
    import threading

    try:
        threading._register_atexit(stop_all)  # type: ignore[attr-defined]
        _registered = True
    except (AttributeError, RuntimeError):
        pass


def _start(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is the parent's
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def die_with_parent(parent: int | None) -> None:
    """Linux: this process gets SIGKILL when its parent ends (prctl PR_SET_PDEATHSIG); elsewhere
    nothing. A parent gone before the call has already left this process to init: it ends now."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def stop(pool) -> None:
    """The workers of `pool` killed, not waited for, and its manager thread let go: the parent's
    own end of the result pipe is closed once the workers are dead, so a read waiting on half a
    message ends (EOF) instead of holding the interpreter's exit for ever."""
    from concurrent.futures import process

    processes = list((getattr(pool, "_processes", None) or {}).values())
    queue = getattr(pool, "_result_queue", None)  # (shutdown lets go of both)
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    pending = getattr(pool, "_pending_work_items", None)
    for work_id, item in list((pending or {}).items()):  # Python 3.11's manager thread, finding a worker
        if item.future.cancelled():  # killed, sets an exception on each: on one cancelled, a traceback
            pending.pop(work_id, None)
    for worker in processes:
        try:
            worker.kill()
        except (OSError, AttributeError, ValueError):
            pass
    for worker in processes:
        try:
            worker.join(5)
        except (OSError, AttributeError, ValueError, AssertionError):
            pass
    try:
        queue._writer.close()  # the last write end: the manager's read sees the end of the pipe
    except (AttributeError, OSError):
        pass
    if manager is not None:
        manager.join(5)
        if not manager.is_alive():  # gone: the exit hook must not wake it through a closed pipe
            getattr(process, "_threads_wakeups", {}).pop(manager, None)
