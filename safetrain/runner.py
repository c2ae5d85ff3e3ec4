"""Every archive of a workspace, one at a time: the one runner of the
commands that read several archives (check, status, expiring, matrix,
export, report html).

    for done in each_archive(discover(paths), as_of, summary):
        if done.failed: print(done.line(lang))
        else: use(done.value)

Each archive is checked and handed to `work`, whose value (small: a text, a
summary, rows) is yielded at once, and the archive is dropped before the next
is read: output streams, and memory stays that of the largest archive, not
of the workspace. An archive that fails, whatever the reason (an unreadable
rule set, a file the system refuses, a bug), is reported for that archive
and the others go on; SAFETRAIN_DEBUG=1 lets a bug through with its
traceback. With `jobs` > 1 archives are checked by that many processes, a
few ahead of the consumer, their values yielded in the same order; without
`jobs`, every core is used for a workspace of POOL_FROM archives or more
(jobs_for, which every command over many archives asks).
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .cores import cpu_count
from .errors import InternalError, SafetrainError, os_reason

#: the number of archives from which a workspace is checked on every core unless -j says otherwise
POOL_FROM = 16


def jobs_for(archives: int, jobs: int | None = None) -> int:
    """The processes for `archives` archives: `jobs` when given, else every core this
    process may run on for POOL_FROM archives or more, else this process alone."""
    if jobs is None:
        jobs = cpu_count() if archives >= POOL_FROM else 1
    return max(1, min(jobs, archives))


@dataclass(frozen=True)
class Outcome:
    """One archive done: its `value`, or the one-line reason it failed (`zh`, `en`)."""

    root: Path
    value: Any = None
    zh: str | None = None
    en: str | None = None
    internal: bool = False  # the failure is a bug

    @property
    def failed(self) -> bool:
        return self.zh is not None

    def error(self) -> SafetrainError:
        """The failure as an error, its archive written as display_name writes it."""
        return (InternalError if self.internal else SafetrainError)(self.shown("zh"), self.shown("en"))

    def line(self, lang: str = "zh") -> str:
        """The failure as the command line prints it (the archive's folder as display_name writes it)."""
        return self.error().line(lang)

    def shown(self, lang: str = "zh") -> str | None:
        """The failure's message in `lang`, the archive's folder (and its files' paths) written as
        every line names an archive (discover.display_name): relative to the current folder where it
        is related to it, so CI output reads the same on every machine. The Outcome keeps the whole
        path (the site words it its own way: site.left_out_rows)."""
        from .archive.reading.discover import display_name

        text = self.en if lang == "en" else self.zh
        whole = os.path.abspath(self.root)
        shown = display_name(Path(whole))
        if text is None or shown == whole:
            return text
        return re.sub(rf"{re.escape(whole)}(?![\w.\-])", lambda _: shown, text)


def each_archive(roots: Sequence[Path], as_of: date, work: Callable[[Any], Any] | None = None, *,
                 jobs: int | None = None, cache: bool = False, **options) -> Iterator[Outcome]:
    """Check each archive of `roots` (as `api.check_path(root, as_of, cache=cache,
    **options)`), in order, and yield its Outcome: `work(result)`, or the Result
    itself when there is no `work` (then only in this process)."""
    jobs = jobs_for(len(roots), jobs)
    if jobs == 1 or work is None:
        for root in roots:
            yield _one(root, as_of, work, cache, options)
        return
    yield from _in_processes(roots, as_of, work, jobs, cache, options)


def _one(root: Path, as_of: date, work, cache: bool, options: dict) -> Outcome:
    from .api import check_path

    gc.unfreeze()  # the archive before was set aside while it was checked; let go of what is left of it

    def task():
        result = check_path(root, as_of, cache=cache, **options)
        return work(result) if work is not None else result
    return attempt(root, task)


def attempt(root: Path, task: Callable[[], Any]) -> Outcome:
    """`task()` as the Outcome of the archive at `root`: its value, or the one line of
    why it failed, whatever the reason (SAFETRAIN_DEBUG=1 lets a bug through)."""
    try:
        return Outcome(root, task())
    except SafetrainError as exc:  # named for the archive unless it names it already (a workspace has many)
        named = str(root) in exc.zh
        return Outcome(root, zh=exc.zh if named else f"{exc.zh}；档案：{root}",
                       en=exc.en if named else f"{exc.en}; archive: {root}")
    except BrokenPipeError:  # the reader of the output went away (`| head`): the command's, not the archive's
        raise
    except OSError as exc:  # a file the system would not give us
        zh, en = os_reason(exc)
        err = SafetrainError(f"无法读取 {exc.filename or root}：{zh}", f"cannot read {exc.filename or root}: {en}")
        return Outcome(root, zh=err.zh, en=err.en)
    except Exception as exc:  # a bug: this archive's, the others go on
        if os.environ.get("SAFETRAIN_DEBUG"):
            raise
        err = InternalError.of(exc, str(root))
        return Outcome(root, zh=err.zh, en=err.en, internal=True)


# -- in several processes -----------------------------------------------------------------

AHEAD = 4  # archives checked ahead per process: what waits in memory, whatever the workspace's size

_JOB: tuple | None = None  # (as_of, work, cache, options) of a worker process


def _start(job: tuple) -> None:
    """A worker's start (after pools.worker_pool's guards: Ctrl-C is the parent's, and it ends
    with the parent): its job."""
    from . import forked

    global _JOB
    _JOB = job
    forked.allowed = False  # the workers use the cores already: no copies of copies


def _work(root: Path) -> Outcome:
    as_of, work, cache, options = _JOB  # type: ignore[misc]
    return _one(root, as_of, work, cache, options)


def _in_processes(roots: Sequence[Path], as_of: date, work, jobs: int, cache: bool, options: dict) -> Iterator[Outcome]:
    """Outcomes in order from `jobs` processes, at most AHEAD archives per process checked
    ahead of the consumer (a slow writer never has the whole workspace waiting in memory).
    Where processes cannot be started, or one dies, this process does the rest itself."""
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool
    from itertools import islice

    from .pools import worker_pool

    done = 0
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    try:  # leaving early (interrupted, failed, the consumer stopped): the workers stopped, not waited for
        with worker_pool(jobs, context=mp.get_context(method), initializer=_start,
                         initargs=((as_of, work, cache, options),)) as pool:
            pending = iter(roots)
            window = deque(pool.submit(_work, root) for root in islice(pending, jobs * AHEAD))
            while window:
                outcome = window.popleft().result()
                following = next(pending, None)
                if following is not None:
                    window.append(pool.submit(_work, following))
                done += 1
                yield outcome
    except (OSError, BrokenProcessPool):
        pass  # no processes here, or one died: the rest in this process
    for root in roots[done:]:
        yield _one(root, as_of, work, cache, options)
