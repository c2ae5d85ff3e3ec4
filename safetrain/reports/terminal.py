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


def to_text(*renderables, width: int = 100, color: bool = False, fast: bool = True) -> str:
    """The renderables as text `width` columns wide; ANSI colours when `color`.
    A table that cannot fit (its unbreakable cells need more) is printed as
    wide as it needs: rich would otherwise crop cells or drop whole columns.
    The tables of `table()` are laid out here (`_laid_out`), as rich lays them
    out, at a tenth of rich's cost (a matrix of 2,000 people took 3.9 s); rich
    lays out what this does not know. `fast=False` has rich lay out every table
    (what the tests compare it with)."""
    from rich.console import Console

    def console(cols: int) -> Console:
        return Console(file=io.StringIO(), width=cols, color_system="standard" if color else None,
                       force_terminal=color, no_color=not color, highlight=False, emoji=False,
                       markup=False, legacy_windows=False, soft_wrap=False)

    tables = [i for i, r in enumerate(renderables) if hasattr(r, "columns")]
    laid = _all_laid_out(renderables, tables, width, color, console) if fast else None
    if laid is not None:
        width, done = laid
    else:  # rich lays out every table, as wide as the widest needs
        done = {}
        probe = console(width)
        width = max([width] + [_needed(probe, renderables[i]) for i in tables])
    console = console(width)
    for i, r in enumerate(renderables):
        if i in done:
            console.file.write(done[i])
        else:
            console.print(r)
    return "".join(line.rstrip() + "\n" for line in console.file.getvalue().splitlines())


def _all_laid_out(renderables, tables: list[int], width: int, color: bool, console) -> tuple[int, dict] | None:
    """(the width every table needs, at least `width`; index -> its text) where each table of
    `renderables` is laid out here (`_laid_out`); None where one of them must be rich's."""
    cells = [_cells(renderables[i]) for i in tables]
    if any(c is None for c in cells):
        return None
    wide = max([width] + [_needed_by(renderables[i], c) for i, c in zip(tables, cells)])
    probe = console(wide)
    done = {}
    for i, c in zip(tables, cells):
        text = _laid_out(renderables[i], c, wide, color, probe)
        if text is None:
            return None
        done[i] = text
    return wide, done


def _cells(table) -> list[list[tuple[str, str, int]]] | None:
    """Each column's cells, its header first, as (text, style, width in cells), for `_laid_out`;
    None where rich must lay the table out: a cell holds a line break, a tab, a control
    character or blanks at its ends (rich strips them), or the table uses something `table()`
    does not set."""
    from rich import box
    from rich.cells import cell_len

    if (table.box is not box.SIMPLE_HEAD or table.show_edge or table.pad_edge or not table.collapse_padding
            or tuple(table.padding) != (0, 1, 0, 1) or table.expand or table.title or table.caption
            or table.show_footer or not table.show_header or table.show_lines or table.row_styles
            or table.width is not None or table.min_width is not None or table.leading
            or any(row.style or row.end_section for row in table.rows)):
        return None
    if not table.columns or any(c.width is not None or c.max_width is not None or c.ratio is not None
                                or c.justify not in ("left", "center") or c.overflow != "fold" or c.style
                                or c.header_style or c.vertical != "top" for c in table.columns):
        return None
    columns = []
    for c in table.columns:
        shown = []
        for cell in (c.header, *c.cells):
            if type(cell) is str:
                plain, style = cell, ""
            elif hasattr(cell, "plain") and not cell.spans and cell.justify is None and cell.overflow is None \
                    and cell.no_wrap is None:  # a Text of `text()`
                plain, style = cell.plain, str(cell.style or "")
            else:
                return None
            if plain and (not plain.isprintable() or plain[0] == " " or plain[-1] == " "):
                return None
            shown.append((plain, style, cell_len(plain)))
        columns.append(shown)
    return columns


def _needed_by(table, cells) -> int:
    """`_needed` worked out from `_cells` (rich measures each cell again, at a tenth of the speed)."""
    return _needed_for(table, [max(w for _, _, w in column) for column in cells])


def _laid_out(table, cells, width: int, color: bool, console) -> str | None:
    """`table` (made by `table()`, its `_cells`) as rich prints it `width` columns wide: the
    columns as wide as rich makes them (each its widest cell and padding, or its header's
    longest word; narrowed as rich narrows them where the table would be too wide), a cell
    that does not fit its column wrapped as rich wraps it, the header's cells aligned to the
    bottom and the others' to the top, a space between columns and a rule under the header.
    None where rich would crop a cell. With `color`, each cell's text in its style (rich
    colours the blanks around it too: the same on a terminal)."""
    from rich.cells import set_cell_size
    from rich.text import Text

    columns = table.columns
    last = len(columns) - 1
    pads = [0 if i == last else 1 for i in range(len(columns))]  # each cell's right padding (none after the last)
    widest = [max(w for _, _, w in column) for column in cells]
    least = [c.min_width + table._get_padding_width(i) if c.min_width is not None else None
             for i, c in enumerate(columns)]

    def measured(i: int, most: int) -> int:
        """rich's measure of column i within `most` cells (Table._measure_column)."""
        if most < 1:
            return 0
        if most - pads[i] < 1:
            best = most
        else:
            inner = min(widest[i], most - pads[i])
            best = min((inner if inner >= 1 else 0) + pads[i], most)
        return max(best, least[i]) if least[i] is not None else best

    room = width - table._extra_width
    widths = [measured(i, room) or 1 for i in range(len(columns))]
    if sum(widths) > room:
        widths = table._collapse_widths(widths, [not c.no_wrap for c in columns], room)
        if sum(widths) > room:  # rich would narrow every column, cropping some
            return None
        widths = [measured(i, w) or 0 for i, w in enumerate(widths)]
    codes = _AnsiCodes() if color else None
    header_style = str(table.header_style or "")
    lines = []
    for r in range(len(cells[0])):
        shown = []
        for i, c in enumerate(columns):
            plain, style, w = cells[i][r]
            room_i = widths[i] - pads[i]  # the cell's text area
            if room_i < 1:
                return None
            if w <= room_i:
                before = (room_i - w) // 2 if c.justify == "center" else 0
                parts = [(" " * before, plain, " " * (room_i - w - before))]
            elif c.no_wrap:
                return None  # rich crops it
            else:
                parts = []
                for line in Text(plain).wrap(console, room_i, justify=c.justify, overflow="fold"):
                    text = set_cell_size(line.plain, room_i)
                    core = text.strip(" ")
                    at = text.find(core) if core else 0
                    parts.append((text[:at], core, text[at + len(core):]))
            if codes is not None:
                style = f"{header_style} {style}".strip() if r == 0 else style  # the header: its style and its own
                parts = [(a, codes.styled(b, style), z) for a, b, z in parts]
            shown.append([a + b + z + " " * pads[i] for a, b, z in parts])
        height = max(len(p) for p in shown)
        for i, p in enumerate(shown):
            blank = [" " * widths[i]] * (height - len(p))
            shown[i] = blank + p if r == 0 else p + blank  # the header aligned to the bottom, rows to the top
        lines.extend(" ".join(row).rstrip() + "\n" for row in zip(*shown))
        if r == 0:
            lines.append("─" * (sum(widths) + last) + "\n")
    return "".join(lines)


class _AnsiCodes:
    """A style's ANSI codes (rich's, for its standard colours), worked out once per style."""

    def __init__(self):
        self.known: dict[str, tuple[str, str]] = {}

    def styled(self, text: str, style: str) -> str:
        if not style or not text:
            return text
        if style not in self.known:
            from rich.color import ColorSystem
            from rich.style import Style

            before, _, after = Style.parse(style).render("\0", color_system=ColorSystem.STANDARD).partition("\0")
            self.known[style] = (before, after)
        before, after = self.known[style]
        return before + text + after


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
    return _needed_for(table, [max(Measurement.get(console, options, c).maximum for c in [column.header, *column.cells])
                               for column in table.columns])


def _needed_for(table, widest: list[int]) -> int:
    """_needed from each column's widest cell (without padding)."""
    total, wrapping = table._extra_width, []
    for i, column in enumerate(table.columns):
        pad = table._get_padding_width(i)
        if column.no_wrap:
            total += widest[i] + pad
        else:
            wrapping.append((widest[i] + pad, max(4, column.min_width or 0) + pad))
    level = max((least for _, least in wrapping), default=0)
    return total + sum(min(w, level) for w, _ in wrapping)


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
