"""Rendering rich tables to text for the terminal views (status, expiring,
matrix). rich is imported only here and only when a view is printed, so
`safetrain --help` stays fast. The output is a string: the CLI prints it, tests
read it; without colour it holds no escape codes and no trailing blanks."""

from __future__ import annotations

import errno
import io
import os
from typing import Iterable

#: states of the views -> rich style
STATE_STYLES = {
    "current": "green", "valid": "green",
    "expiring": "yellow", "review_due": "yellow", "upcoming": "cyan",
    "expired": "bold red", "review_overdue": "bold red", "missing": "bold red",
    "n.a.": "dim",
}


def to_text(*renderables, width: int = 100, color: bool = False) -> str:
    """The renderables as text `width` columns wide; ANSI colours when `color`.
    A table that cannot fit (its unbreakable cells need more) is printed as
    wide as it needs: rich would otherwise crop cells or drop whole columns."""
    from rich.console import Console

    def console(cols: int) -> Console:
        return Console(file=io.StringIO(), width=cols, color_system="standard" if color else None,
                       force_terminal=color, no_color=not color, highlight=False, emoji=False,
                       markup=False, legacy_windows=False, soft_wrap=False)

    probe = console(width)
    width = max([width] + [_needed(probe, r) for r in renderables if hasattr(r, "columns")])
    console = console(width)
    for r in renderables:
        console.print(r)
    return "".join(line.rstrip() + "\n" for line in console.file.getvalue().splitlines())


def console(**options):
    """A rich Console printing to standard output (`rules`, `pair`), `options` as rich takes them.
    Its reader going away (`| head`) is a BrokenPipeError, as for every other output, so the
    command line exits 141 (cli/__init__.py): rich's own handling exits 1 and says nothing, a
    plain failure under `set -o pipefail`, and it ended a workspace's run without the command
    line knowing why."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True  # nothing more is written to a pipe nobody reads
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return _Console(**options)


def _needed(console, table) -> int:
    """The narrowest width at which rich lays `table` out without cropping: the
    unbreakable columns at their widest; the others, which rich narrows together (the
    widest first, down to one level), at the level where none is narrower than its
    min_width (a header's longest word; 4 cells at least); padding and rules between.
    (rich crops cells, or drops columns, when its table does not fit.)"""
    from rich.measure import Measurement

    options = console.options.update_width(10_000)
    total, wrapping = table._extra_width, []
    for i, column in enumerate(table.columns):
        pad = table._get_padding_width(i)
        widest = max(Measurement.get(console, options, c).maximum for c in [column.header, *column.cells]) + pad
        if column.no_wrap:
            total += widest
        else:
            wrapping.append((widest, max(4, column.min_width or 0) + pad))
    level = max((least for _, least in wrapping), default=0)
    return total + sum(min(widest, level) for widest, _ in wrapping)


def table(*columns, **options):
    """A plain table for the views: a rule under the header, no side borders (or as rich
    Table `options` say). A column is a name, or (name, {rich Column options}); long cells
    wrap, never truncated, and a column is never narrower than its header's longest
    word (a narrow terminal broke English headers inside words: "Departmen/t")."""
    from rich import box
    from rich.table import Table

    t = Table(**{"box": box.SIMPLE_HEAD, "pad_edge": False, "show_edge": False, "header_style": "bold",
                 "collapse_padding": True, **options})
    for c in columns:
        name, opts = (c, {}) if isinstance(c, str) else c
        t.add_column(name, **{"overflow": "fold", "min_width": longest_word(name) or None, **opts})
    return t


def longest_word(header) -> int:
    """The cells the longest word of a header takes (a Chinese header breaks anywhere: each
    character is a word of its own)."""
    from rich.cells import cell_len

    plain = getattr(header, "plain", header)
    words = [w for part in str(plain).split() for w in (list(part) if not part.isascii() else [part])]
    return max((cell_len(w) for w in words), default=0)


def text(value: str, style: str | None = None):
    """A cell: plain text with an optional style (markup is off, so `[` is safe)."""
    from rich.text import Text

    return Text(value, style=style or "")


def name_column(names: Iterable[str], most: int = 24) -> dict:
    """Column options for names: kept whole when none is longer than `most` cells."""
    from rich.cells import cell_len

    return {"no_wrap": all(cell_len(n) <= most for n in names)}


def short_names(names: Iterable[str]) -> dict[str, str]:
    """Archive names (display_name's: relative to the current folder, `.` and `..` included, or
    whole) for a narrow column: discover.short_names of each (the HTML site's names too)."""
    from ..archive.reading.discover import short_names as shortened

    names = list(dict.fromkeys(names))
    return dict(zip(names, shortened(names)))
