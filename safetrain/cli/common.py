"""What the commands over archives share: running over every archive under
the given paths, and how the terminal is to be written to."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import click

from ..controls import terminal_line
from .support import say

DEFAULT_WIDTH = 100


class Archives:
    """The value of `work` for every archive found at `paths`, in order, one at a
    time (runner.each_archive). A path that does not exist or holds no archive, and
    an archive that fails, are each reported on one line on standard error and left
    out, and `failed` says so afterwards; with no archive at all, nothing runs (exit 2)."""

    def __init__(self, paths, as_of: date, lang: str, work: Callable | None = None, *, roots=None,
                 no_cache: bool = False, jobs: int | None = None, on_failure: Callable | None = None, **options):
        self.failed = False
        self.on_failure = on_failure  # called with each archive's Outcome that failed (after its line is said)
        self.roots = _Roots(roots, getattr(roots, "failed_paths", 0)) if roots is not None else \
            found_roots(paths or ["."], lang, on_failure)
        if getattr(self.roots, "failed_paths", 0):
            self.failed = True  # a path that held no archive: said, and the exit code says it too
        self.as_of, self.lang, self.work = as_of, lang, work
        self.cache, self.jobs, self.options = not no_cache, jobs, options

    def __iter__(self) -> Iterator[Any]:
        from ..runner import each_archive

        for done in each_archive(self.roots, self.as_of, self.work, jobs=self.jobs, cache=self.cache, **self.options):
            if done.failed:
                self.failed = True
                click.echo(done.line(self.lang), err=True)
                if self.on_failure is not None:
                    self.on_failure(done)
            elif isinstance(done.value, _Noted):
                say_unread(self.lang, done.value.unread)
                yield done.value.value
            else:
                yield done.value


def found_roots(paths, lang: str, on_problem: Callable | None = None) -> "_Roots":
    """The archives at `paths` (discover_each); each path that holds none said on one line on
    standard error (and handed to `on_problem` as a failed runner.Outcome, for an output that
    lists every archive). None at all: the last path's error is raised, for the command group
    to print (exit 2)."""
    from pathlib import Path

    from ..archive.reading.discover import discover_each
    from ..runner import Outcome

    roots, problems = discover_each(paths)
    if not roots and problems:  # in path order: the last one is the error the command group prints
        for _, problem in problems[:-1]:
            click.echo(problem.line(lang), err=True)
        raise problems[-1][1]
    for raw, problem in problems:
        click.echo(problem.line(lang), err=True)
        if on_problem is not None:
            on_problem(Outcome(Path(raw), zh=problem.zh, en=problem.en))
    return _Roots(roots, len(problems))


class _Roots(list):
    """The roots found, and how many paths held none (a failure to say with the exit code)."""

    def __init__(self, roots, failed: int):
        super().__init__(roots)
        self.failed_paths = failed


def terminal() -> dict:
    """width and color for a text view: the terminal's width and colours when
    stdout is one (NO_COLOR respected), else 100 columns of plain text."""
    if not sys.stdout.isatty():
        return {"width": DEFAULT_WIDTH, "color": False}
    return {"width": shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns,
            "color": not os.environ.get("NO_COLOR")}


def roots_of(archive: str, command: str) -> list:
    """The archives a command over "an archive" runs on (discover.archives_at); none is the
    one "no archive here" error. With no archive named (options.HERE), the archive the current
    folder is in: outside any archive the command refuses, as `check` does
    (discover.named_paths), and never runs on, or writes into, archives below it unasked."""
    from ..archive.reading.discover import archives_at, named_paths, no_archive
    from .options import Here, current_lang

    if isinstance(archive, Here):
        named_paths((), command)  # the one refusal, naming the command
    problems: list = []
    found = archives_at(archive, problems)  # a folder of the workspace that cannot be read: said, the others go on
    if not found:
        if problems:
            raise problems[-1][1]
        raise no_archive(archive, below=True)
    lang = current_lang()
    for _, problem in problems:
        click.echo(problem.line(lang), err=True)
    return _Roots(found, len(problems))


def each_root(roots, lang: str, work: Callable[[Any], Any], header: str = "err") -> bool:
    """`work(root)` for each archive of a workspace, each under a header line (on standard
    error where standard output carries file names, on it for a text report, none where each
    output names its archive itself: `header` "err", "out" or ""); one that fails is reported
    on one line and the others go on (runner.attempt). True when one failed."""
    from ..archive.reading.discover import display_name
    from ..runner import attempt

    failed = bool(getattr(roots, "failed_paths", 0))  # a folder that could not be read: said already
    for root in roots:
        if header:
            click.echo(terminal_line(f"== {display_name(root)}"), err=header == "err")
        done = attempt(root, lambda root=root: work(root))
        if done.failed:
            failed = True
            click.echo(done.line(lang), err=True)
    return failed


def _registered(work: Callable[[Any], Any], of_people: bool, result) -> Any:
    from ..api import require_register
    from ..archive.reading.excluded import unread_people

    require_register(result.archive, result.findings)  # reported for this archive (one line), the others go on
    value = work(result)
    unread = unread_people(result.archive, result.findings) if of_people else ()
    return _Noted(value, tuple(unread)) if unread else value


def registered(work: Callable[[Any], Any], of_people: bool = False) -> Callable[[Any], Any]:
    """`work`, for an archive whose safetrain.toml can be used (api.require_register): a view of
    one whose enterprise and rule set are unknown would show figures under the national defaults.
    A view `of_people` (expiring, matrix) also says, on standard error, each person file it
    cannot show (Archives does, as the value arrives)."""
    import functools

    return functools.partial(_registered, work, of_people)


@dataclass(frozen=True)
class _Noted:
    """A view's value and the person files it could not show (excluded.unread_people)."""

    value: Any
    unread: tuple


def say_unread(lang: str, unread) -> None:
    """One line on standard error per person file a view of people cannot show."""
    for where, code, zh, en in unread:
        click.echo(say(lang, f"注意：{where}：{zh}（{code}）；其中的人员未列入（见 safetrain check）",
                       f"note: {where}: {en} ({code}); the people of it are not listed (see safetrain check)"), err=True)
