"""The one hand-written TOML lexer: what tomllib and tomlkit do not give.

tomllib gives values without positions, and tomlkit does not expose the
elements and comments inside an array. This module walks TOML text that
tomllib has already accepted (so it can be simple), and provides:

- `key_lines(text)`: the line where each key path and array element starts,
  e.g. ('attendees', 2, 'score') -> 14, for files with findings only;
- `split_array`, `comments`, `value_end`, `closing_insert_point`: the pieces
  of text the write path edits; whatever it produces is parsed back and
  compared before anything is written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

_DATE_TIME_SPACE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:")
_SCALAR_END = frozenset(",]}#\n\r \t")


def skip_string(s: str, i: int) -> int:
    """`s[i]` opens a string; the index just after it closes."""
    q = s[i]
    if s.startswith(q * 3, i):
        j = i + 3
        while True:
            end = s.find(q * 3, j)
            if end == -1:
                return len(s)
            if q == '"' and _escaped(s, end):
                j = end + 1
                continue
            end += 3
            while end < len(s) and s[end] == q:  # up to two more quotes belong to the string
                end += 1
            return end
    j = i + 1
    while j < len(s) and s[j] != q and s[j] != "\n":
        j += 2 if (q == '"' and s[j] == "\\") else 1
    return j + 1


def _escaped(s: str, pos: int) -> bool:
    n = 0
    while pos - 1 - n >= 0 and s[pos - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def _line_end(s: str, i: int) -> int:
    j = s.find("\n", i)
    return len(s) if j == -1 else j


def comments(text: str) -> list[str]:
    """Every comment in `text` (without trailing blanks), in order."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i = skip_string(text, i)
        elif c == "#":
            j = _line_end(text, i)
            out.append(text[i:j].rstrip())
            i = j
        else:
            i += 1
    return out


def value_end(s: str, i: int) -> int:
    """The index just after the TOML value that starts at `s[i]`."""
    c = s[i]
    if c in "\"'":
        return skip_string(s, i)
    if c in "[{":
        close = "]" if c == "[" else "}"
        j = i + 1
        while j < len(s):
            d = s[j]
            if d == close:
                return j + 1
            if d in "\"'[{":
                j = value_end(s, j)
            elif d == "#":
                j = _line_end(s, j)
            else:
                j += 1
        return len(s)
    if _DATE_TIME_SPACE.match(s, i):  # 2023-07-15 08:30:00: the space belongs to the value
        i += 11
    j = i
    while j < len(s) and s[j] not in _SCALAR_END:
        j += 1
    return j


@dataclass
class Element:
    """One element of an array, with the comment lines above it and the comment after it."""

    value: str
    start: int  # offsets of the value in the array's text
    end: int
    lead: list[str] = field(default_factory=list)
    comment: str | None = None
    comment_ws: str = "  "
    comma: bool = False


@dataclass
class ArrayText:
    elements: list[Element]
    tail: list[str]  # comment lines after the last element
    multiline: bool

    @property
    def has_comments(self) -> bool:
        return bool(self.tail) or any(e.lead or e.comment for e in self.elements)


def split_array(text: str) -> ArrayText:
    """Split the text of one array (`[` ... `]`) into its elements and comments."""
    assert text[0] == "[", text
    elements: list[Element] = []
    pending: list[str] = []
    newline_since_value = True
    i, n = 1, len(text)
    while i < n:
        c = text[i]
        if c == "]":
            break
        if c == "\n":
            newline_since_value = True
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == ",":
            if elements:
                elements[-1].comma = True
            i += 1
        elif c == "#":
            j = _line_end(text, i)
            comment = text[i:j].rstrip()
            if elements and not newline_since_value and elements[-1].comment is None:
                k = i
                while k > 0 and text[k - 1] in " \t":
                    k -= 1
                elements[-1].comment = comment
                elements[-1].comment_ws = text[k:i] or " "
            else:
                pending.append(comment)
            i = j
        else:
            j = value_end(text, i)
            elements.append(Element(text[i:j], i, j, lead=pending))
            pending = []
            newline_since_value = False
            i = j
    return ArrayText(elements, pending, "\n" in text)


def closing_insert_point(text: str) -> int:
    """Where new lines go in a multi-line array: the start of the line holding its final `]`."""
    close = text.rstrip().rfind("]")
    return text.rfind("\n", 0, close) + 1


# -- line numbers of key paths -------------------------------------------------------

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


#: the parts of a key or table header kept for its line: more than any key a finding names
_PREFIXES = 16


class _Lines:
    """Walks a TOML document recording the line of every key path and array element."""

    def __init__(self, text: str):
        self.s = text
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.lines: dict[tuple, int] = {}
        self.aot: dict[tuple, int] = {}  # array-of-tables header -> count seen

    def line(self, i: int) -> int:
        return bisect_right(self.newlines, i - 1) + 1

    def skip(self, i: int, newlines: bool) -> int:
        s, n = self.s, len(self.s)
        while i < n:
            c = s[i]
            if c in " \t\r" or (newlines and c == "\n"):
                i += 1
            elif c == "#":
                i = _line_end(s, i)
            else:
                break
        return i

    def record(self, path: tuple, i: int) -> None:
        self.lines.setdefault(path, self.line(i))

    def key(self, i: int) -> tuple[tuple, int]:
        s, parts = self.s, []
        while True:
            i = self.skip(i, False)
            if i < len(s) and s[i] in "\"'":
                end = skip_string(s, i)
                parts.append(s[i + 1 : end - 1])
                i = end
            else:
                start = i
                while i < len(s) and s[i] in _BARE:
                    i += 1
                parts.append(s[start:i])
            i = self.skip(i, False)
            if i < len(s) and s[i] == ".":
                i += 1
                continue
            # at most _PREFIXES parts: no key a finding names is deeper, and every path recorded under a
            # 20,000-part key or table header was a tuple of its length (1.6 GB for a 139 KB file)
            return tuple(parts[:_PREFIXES]), i

    def value(self, path: tuple, i: int) -> int:
        s = self.s
        c = s[i] if i < len(s) else ""
        if c == "[":
            i, index = i + 1, 0
            while True:
                i = self.skip(i, True)
                if i >= len(s) or s[i] == "]":
                    return i + 1
                if s[i] == ",":
                    i += 1
                    continue
                self.record(path + (index,), i)
                i = self.value(path + (index,), i)
                index += 1
        if c == "{":
            i += 1
            while True:
                i = self.skip(i, True)
                if i >= len(s) or s[i] == "}":
                    return i + 1
                if s[i] == ",":
                    i += 1
                    continue
                i = self.keyval(path, i)
        return value_end(s, i) if c else i

    def keyval(self, base: tuple, i: int) -> int:
        start = i
        key, i = self.key(i)
        for n in range(1, len(key) + 1):  # a.b.c = 1 defines a, a.b and a.b.c here
            self.record(base + key[:n], start)
        i = self.skip(i, False)
        if i < len(self.s) and self.s[i] == "=":
            i += 1
        i = self.skip(i, False)
        return self.value(base + key, i)

    def document(self) -> dict[tuple, int]:
        s, table, i = self.s, (), 0
        while True:
            i = self.skip(i, True)
            if i >= len(s):
                return self.lines
            start = i
            if s.startswith("[[", i):
                header, i = self.key(i + 2)
                i += 2
                n = self.aot.get(header, 0)
                self.aot[header] = n + 1
                table = header + (n,)
                self.record(header, start)
                self.record(table, start)
            elif s[i] == "[":
                table, i = self.key(i + 1)
                i += 1
                self.record(table, start)
            else:
                i = self.keyval(table, i)


def key_lines(text: str) -> dict[tuple, int]:
    """Map every key path (and array element) of a valid TOML text to its line."""
    try:
        return _Lines(text).document()
    except (IndexError, RecursionError):  # a text tomllib rejected; lines stay unknown
        return {}


def line_of(lines: dict[tuple, int], key: tuple) -> int | None:
    """The line of `key`, else of its nearest enclosing key or element that has one."""
    for n in range(len(key), 0, -1):
        line = lines.get(tuple(key[:n]))
        if line is not None:
            return line
    return None
