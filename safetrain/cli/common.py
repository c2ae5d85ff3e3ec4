"""What the commands over archives share: checking every archive under the
given paths, and how the terminal is to be written to."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date

import click

from ..errors import SafetrainError

DEFAULT_WIDTH = 100


def checked_results(paths, as_of: date, lang: str, **options) -> tuple[list, bool]:
    """(Result of every archive found at `paths`, whether any could not be read).

    A path with no archive is a usage error (exit 2); an archive that cannot be
    read is reported on one line and skipped, so the others are still shown.
    """
    from ..api import check_path
    from ..archive.reading.discover import discover

    roots = discover(paths or ["."])
    results, broken = [], False
    for root in roots:
        try:
            results.append(check_path(root, as_of, **options))
        except SafetrainError as exc:
            broken = True
            click.echo(exc.line(lang), err=True)
    return results, broken


def terminal() -> dict:
    """width and color for a text view: the terminal's width and colours when
    stdout is one (NO_COLOR respected), else 100 columns of plain text."""
    if not sys.stdout.isatty():
        return {"width": DEFAULT_WIDTH, "color": False}
    return {"width": shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns,
            "color": not os.environ.get("NO_COLOR")}
