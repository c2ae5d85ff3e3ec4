"""Work done in a forked copy of this process while this one goes on.

    job = Forked.start(work, *args)   # None where no copy can be made or no core is spare
    ... this process does something else ...
    value = job.result()              # what work(*args) returned; None when it failed

The copy has everything this process had when it started (a loaded archive:
nothing is sent to it), gives its value back pickled through a pipe (keep it
small: a large output goes to a file opened before the fork) and leaves with
os._exit: no atexit handler, no finaliser, no second flush of this process's
buffers. A copy that fails or dies costs only time: the caller, finding None,
does the work itself, and a bug shows there as it would have. No copy is made
where the memory left would not hold it (memory.py): the work is done here.
"""

from __future__ import annotations

import os
import pickle
import signal
from typing import Any, Callable

from .cores import cpu_count
from .memory import room_for_a_copy


#: False in a process that is itself one of several workers sharing the cores (runner.py's)
allowed = True


class Forked:
    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    @classmethod
    def start(cls, work: Callable[..., Any], *args) -> "Forked | None":
        """work(*args) in a forked copy of this process; None where processes cannot be
        forked, this process may run on one core only, is one of several workers already, or
        the memory left would not hold the copy (memory.py: then the caller does the work)."""
        if not allowed or not hasattr(os, "fork") or cpu_count() < 2 or not room_for_a_copy():
            return None
        read, write = os.pipe()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # the copy
            code = 1
            try:
                from .pools import die_with_parent

                die_with_parent(parent)  # (a parent killed with -9 left it running, holding what it held: a lock)
                os.close(read)
                data = pickle.dumps(work(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 - whatever it was, this process does the work again
                pass
            finally:
                os._exit(code)
        os.close(write)
        return cls(pid, read)

    def result(self) -> Any | None:
        """The copy's value, once it is done; None when it failed or was killed."""
        chunks = []
        try:
            while True:
                data = os.read(self.fd, 1 << 20)
                if not data:
                    break
                chunks.append(data)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) while it works: stopped, not waited for
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - gone already
                pass
            raise
        finally:
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
        if os.waitstatus_to_exitcode(status) != 0 or not chunks:
            return None
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - a copy cut short: this process does the work
            return None

    def cancel(self) -> None:
        """Stop the copy, when it is still there (this process gave up waiting for it)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:  # pragma: no cover - gone already
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        self.pid = None
