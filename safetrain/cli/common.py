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
