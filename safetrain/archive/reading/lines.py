"""Line numbers for key paths in a TOML text.

tomllib gives values without positions. Line numbers are only needed for
files that have findings, so this scanner runs on those files alone: it walks
an already-valid TOML text and records the line where each key path (and each
array element) starts, e.g. ('attendees', 2, 'score') or ('certificates', 0).
"""

from __future__ import annotations

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.line = 1
        self.lines: dict[tuple, int] = {}
        self.aot: dict[tuple, int] = {}  # array-of-tables header -> count seen

    # -- low level -------------------------------------------------------
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def advance(self, n: int = 1) -> None:
        chunk = self.s[self.i : self.i + n]
        self.line += chunk.count("\n")
        self.i += n

    def skip_ws(self, newlines: bool) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
            else:
                return

    def record(self, path: tuple, line: int) -> None:
        self.lines.setdefault(path, line)

    # -- grammar ---------------------------------------------------------
    def key(self) -> tuple:
        parts = []
        while True:
            self.skip_ws(False)
            c = self.peek()
            if c == '"' or c == "'":
                parts.append(self.string())
            else:
                start = self.i
                while self.peek() and self.peek() in _BARE:
                    self.i += 1
                parts.append(self.s[start : self.i])
            self.skip_ws(False)
            if self.peek() == ".":
                self.advance()
                continue
            return tuple(parts)

    def string(self) -> str:
        q = self.peek()
        if self.s.startswith(q * 3, self.i):
            end = self.s.find(q * 3, self.i + 3)
            while q == '"' and end != -1 and _escaped(self.s, end):
                end = self.s.find(q * 3, end + 1)
            end = len(self.s) - 3 if end == -1 else end
            while self.s.startswith(q, end + 3):  # up to two quotes may close the string
                end += 1
            value = self.s[self.i + 3 : end]
            self.advance(end + 3 - self.i)
            return value
        j = self.i + 1
        while j < len(self.s) and self.s[j] != q and self.s[j] != "\n":
            j += 2 if (q == '"' and self.s[j] == "\\") else 1
        value = self.s[self.i + 1 : j]
        self.advance(j + 1 - self.i)
        return value

    def value(self, path: tuple) -> None:
        c = self.peek()
        if c == "[":
            self.advance()
            index = 0
            while True:
                self.skip_ws(True)
                if self.peek() == "]" or not self.peek():
                    self.advance()
                    return
                self.record(path + (index,), self.line)
                self.value(path + (index,))
                index += 1
                self.skip_ws(True)
                if self.peek() == ",":
                    self.advance()
        elif c == "{":
            self.advance()
            while True:
                self.skip_ws(True)
                if self.peek() == "}" or not self.peek():
                    self.advance()
                    return
                self.keyval(path)
                self.skip_ws(True)
                if self.peek() == ",":
                    self.advance()
        elif c == '"' or c == "'":
            self.string()
        else:
            while self.peek() and self.peek() not in ",]}\n#":
                self.i += 1

    def keyval(self, base: tuple) -> None:
        line = self.line
        k = self.key()
        for n in range(1, len(k) + 1):
            self.record(base + k[:n], line)
        self.skip_ws(False)
        if self.peek() == "=":
            self.advance()
        self.skip_ws(False)
        self.value(base + k)

    def document(self) -> dict[tuple, int]:
        table: tuple = ()
        while True:
            self.skip_ws(True)
            if self.i >= len(self.s):
                return self.lines
            line = self.line
            if self.s.startswith("[[", self.i):
                self.advance(2)
                header = self.key()
                self.advance(2)
                n = self.aot.get(header, 0)
                self.aot[header] = n + 1
                table = header + (n,)
                self.record(header, line)
                self.record(table, line)
            elif self.peek() == "[":
                self.advance()
                table = self.key()
                self.advance()
                self.record(table, line)
            else:
                self.keyval(table)


def _escaped(s: str, pos: int) -> bool:
    n = 0
    while pos - 1 - n >= 0 and s[pos - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def key_lines(text: str) -> dict[tuple, int]:
    """Map every key path (and array element) of a valid TOML text to its line."""
    try:
        return _Scanner(text).document()
    except (IndexError, RecursionError):  # a text tomllib rejected; lines stay unknown
        return {}


def line_of(lines: dict[tuple, int], key: tuple) -> int | None:
    """The line of `key`, else of its nearest enclosing key or element that has one."""
    for n in range(len(key), 0, -1):
        line = lines.get(tuple(key[:n]))
        if line is not None:
            return line
    return None
