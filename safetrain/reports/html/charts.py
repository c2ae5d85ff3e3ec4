"""Charts as inline SVG, written by hand: a few rectangles, lines and texts,
so the same figures give the same bytes, nothing is fetched, and the page
prints as it shows. Colours come from the page's stylesheet (classes), and
every bar carries its figure as text: colour is never the only signal.
Each chart has a <title> (its accessible name); the page shows the same
figures as a table beside it."""

from __future__ import annotations

from typing import Sequence

from markupsafe import Markup

from ..fastoutput import escape_text as escape  # masks a 身份证号 in a label while the archive's pages are made

WIDTH = 640


def _n(x: float) -> str:
    """A coordinate or figure as short, stable text: 12, 12.5, 12.25."""
    got = _TEXTS.get(x)  # the same few coordinates in every chart of every archive
    if got is None:
        r = round(float(x), 2)
        got = str(int(r)) if r.is_integer() else f"{r:g}"
        if len(_TEXTS) < 4096:
            _TEXTS[x] = got
    return got


_TEXTS: dict = {}


def _svg(height: float, title: str, body: list[str], width: float = WIDTH) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "start") -> str:
    a = f' text-anchor="{anchor}"' if anchor != "start" else ""
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{a}{c}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, cls: str) -> str:
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" class="{cls}"/>'


def target_bars(title: str, rows: Sequence[tuple[str, float, float, str]], *, label_width: int = 150) -> Markup:
    """Horizontal bars against a target tick: rows of (label, value, target, figure text).
    The scale runs to the largest value or target."""
    row_h, top = 26, 6
    scale_max = max([v for _, v, _, _ in rows] + [t for _, _, t, _ in rows] + [1.0])
    plot = WIDTH - label_width - 150
    body = []
    for i, (label, value, target, figure) in enumerate(rows):
        y = top + i * row_h
        w, tx = plot * value / scale_max, label_width + plot * target / scale_max
        short = value < target
        body.append(_text(label_width - 8, y + 15, label, "label", "end"))
        body.append(_rect(label_width, y + 3, w, 16, "bar short" if short else "bar ok"))
        body.append(f'<line x1="{_n(tx)}" x2="{_n(tx)}" y1="{_n(y)}" y2="{_n(y + 22)}" class="target"/>')
        body.append(_text(label_width + plot + 10, y + 15, ("✗ " if short else "✓ ") + figure, "figure"))
    return _svg(top * 2 + row_h * max(len(rows), 1), title, body)


def columns(title: str, groups: Sequence[tuple[str, Sequence[float | None]]], classes: Sequence[str],
            *, none_text: str = "—", unit: str = "%", maximum: float = 100.0) -> Markup:
    """Grouped vertical bars from 0 to `maximum`: groups of (label, one value per series,
    None where there is none); each bar has its figure on top."""
    height, base, top = 220, 190, 24
    series = len(classes)
    group_w = min(140.0, (WIDTH - 40) / max(len(groups), 1))
    bar_w = (group_w - 20) / max(series, 1)
    body = [f'<line x1="30" x2="{_n(WIDTH - 10)}" y1="{base}" y2="{base}" class="axis"/>']
    for i, (label, values) in enumerate(groups):
        x0 = 40 + i * group_w
        for j, value in enumerate(values):
            x = x0 + j * bar_w
            if value is None:
                body.append(_text(x + bar_w / 2, base - 4, none_text, "figure small", "middle"))
                continue
            h = (base - top) * min(value, maximum) / maximum
            body.append(_rect(x + 2, base - h, bar_w - 4, h, classes[j]))
            body.append(_text(x + bar_w / 2, base - h - 4, f"{_n(value)}{unit}", "figure small", "middle"))
        body.append(_text(x0 + (group_w - 20) / 2, base + 20, label, "label", "middle"))
    return _svg(height, title, body)


def stacked_columns(title: str, groups: Sequence[tuple[str, Sequence[int]]], classes: Sequence[str]) -> Markup:
    """Vertical stacks of counts: groups of (label, one count per class); the total on top."""
    height, base, top = 200, 170, 20
    most = max([sum(v) for _, v in groups] + [1])
    group_w = (WIDTH - 40) / max(len(groups), 1)
    body = [f'<line x1="30" x2="{_n(WIDTH - 10)}" y1="{base}" y2="{base}" class="axis"/>']
    for i, (label, counts) in enumerate(groups):
        x, y = 40 + i * group_w, float(base)
        for n, cls in zip(counts, classes):
            h = (base - top) * n / most
            if n:
                body.append(_rect(x + 4, y - h, group_w - 8, h, cls))
            y -= h
        total = sum(counts)
        body.append(_text(x + group_w / 2, y - 4, str(total) if total else "0", "figure small", "middle"))
        body.append(_text(x + group_w / 2, base + 18, label, "label small", "middle"))
    return _svg(height, title, body)
