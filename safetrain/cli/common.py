"""What the commands over archives share: running over every archive under
the given paths, and how the terminal is to be written to."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from typing import Any, Callable, Iterator

import click

DEFAULT_WIDTH = 100


class Archives:
    """The value of `work` for every archive found at `paths`, in order, one at a
    time (runner.each_archive). A path with no archive is a usage error (exit 2,
    before anything runs); an archive that fails is reported on one line on
    standard error and left out, and `failed` says so afterwards."""

    def __init__(self, paths, as_of: date, lang: str, work: Callable | None = None, *, roots=None,
                 no_cache: bool = False, jobs: int | None = None, **options):
        from ..archive.reading.discover import discover

        self.roots = list(roots) if roots is not None else discover(paths or ["."])
        self.as_of, self.lang, self.work = as_of, lang, work
        self.cache, self.jobs, self.options = not no_cache, jobs, options
        self.failed = False

    def __iter__(self) -> Iterator[Any]:
        from ..runner import each_archive

        for done in each_archive(self.roots, self.as_of, self.work, jobs=self.jobs, cache=self.cache, **self.options):
            if done.failed:
                self.failed = True
                click.echo(done.line(self.lang), err=True)
            else:
                yield done.value


def terminal() -> dict:
    """width and color for a text view: the terminal's width and colours when
    stdout is one (NO_COLOR respected), else 100 columns of plain text."""
    if not sys.stdout.isatty():
        return {"width": DEFAULT_WIDTH, "color": False}
    return {"width": shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns,
            "color": not os.environ.get("NO_COLOR")}


def roots_of(archive: str) -> list:
    """The archives a command over "an archive" runs on (discover.archives_at); none is the
    one "no archive here" error."""
    from ..archive.reading.discover import archives_at, no_archive

    found = archives_at(archive)
    if not found:
        raise no_archive(archive, below=True)
    return found


def each_root(roots, lang: str, work: Callable[[Any], Any], header: str = "err") -> bool:
    """`work(root)` for each archive of a workspace, each under a header line (on standard
    error where standard output carries file names, on it for a text report, none where each
    output names its archive itself: `header` "err", "out" or ""); one that fails is reported
    on one line and the others go on (runner.attempt). True when one failed."""
    from ..archive.reading.discover import display_name
    from ..runner import attempt

    failed = False
    for root in roots:
        if header:
            click.echo(f"== {display_name(root)}", err=header == "err")
        done = attempt(root, lambda root=root: work(root))
        if done.failed:
            failed = True
            click.echo(done.line(lang), err=True)
    return failed


def _registered(work: Callable[[Any], Any], result) -> Any:
    from ..api import require_register

    require_register(result.archive, result.findings)  # reported for this archive (one line), the others go on
    return work(result)


def registered(work: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`work`, for an archive whose safetrain.toml can be used (api.require_register): a view of
    one whose enterprise and rule set are unknown would show figures under the national defaults."""
    import functools

    return functools.partial(_registered, work)
