"""Parsing TOML: a compiled parser when one is installed, else the standard library's.

`toml_rs` (Rust, wheels for the usual platforms, a drop-in for `tomllib`)
parses an archive's files some eight times faster than `tomllib`, which is
pure Python and was most of `check`'s time. It is asked for TOML 1.0, the
version ARCHIVE-FORMAT.md names (its default is 1.1, which accepts more).
Where it cannot be imported, `tomllib` parses; both accept and reject the
same texts (the TOML project's test suite for 1.0 agrees on both) and give
the same values.

A file that does not parse is reported by `tomllib`'s message and position,
whichever parser found the fault, so an A001 reads the same everywhere.
`toml_rs` reports where it stopped as a byte offset: `position()` turns one
into the line and column a person counts, in characters (Chinese text has
three bytes a character).

`toml_rs` recurses on the machine stack: arrays and inline tables nested a
few thousand deep crash the process (fewer on a thread with a small stack).
No record nests deeper than three, so a text that might (more than
`SHALLOW` brackets, and then more than `MAX_DEPTH` deep outside strings and
comments) goes to `tomllib`, which fails cleanly.

`SAFETRAIN_TOML_PARSER=tomllib` forces the standard library (the tests run
the A001 suite under both).
"""

from __future__ import annotations

import os
import re
import tomllib
from typing import Any, Callable

TOMLDecodeError = tomllib.TOMLDecodeError

#: the values `SAFETRAIN_TOML_PARSER` may take
PARSERS = ("toml_rs", "tomllib")


class ParseError(ValueError):
    """A text that is not TOML 1.0: tomllib's message without its position, and
    the 1-based line and column (in characters) where the fault is."""

    def __init__(self, reason: str, line: int, column: int):
        super().__init__(f"{reason} (at line {line}, column {column})")
        self.reason, self.line, self.column = reason, line, column


def _compiled() -> Callable[[str], dict] | None:
    if os.environ.get("SAFETRAIN_TOML_PARSER", "toml_rs") == "tomllib":
        return None
    try:
        import toml_rs
    except ImportError:
        return None

    def loads(text: str) -> dict:
        if text.count("[") + text.count("{") > SHALLOW and depth(text) > MAX_DEPTH:
            return tomllib.loads(text)
        return toml_rs.loads(text, toml_version="1.0.0")

    loads.error = toml_rs.TOMLDecodeError  # type: ignore[attr-defined]
    return loads


#: texts with at most this many `[` and `{` cannot nest deep enough to matter
SHALLOW = 64
#: deeper texts are parsed by tomllib
MAX_DEPTH = 16
# strings and comments, whose brackets are no nesting: multi-line forms first
_NOT_NESTING = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""|\'\'\'[\s\S]*?\'\'\'|'
                          r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_BRACKETS = re.compile(r"[\[\]{}]")


def depth(text: str) -> int:
    """How deep arrays and inline tables nest in `text`, outside strings and comments
    (an upper bound where the text is not TOML: only well-formed strings are skipped)."""
    level = deepest = 0
    for c in _BRACKETS.findall(_NOT_NESTING.sub(" ", text)):
        if c in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level = max(level - 1, 0)
    return deepest


def parser_name() -> str:
    """The parser `loads` uses now, with its version: part of the parsed-file cache's key."""
    if _compiled() is None:
        import sys

        return f"tomllib {sys.version_info[0]}.{sys.version_info[1]}"
    import toml_rs

    return f"toml_rs {getattr(toml_rs, '__version__', '?')}"


def loader() -> Callable[[str], dict]:
    """A function text -> tables; raises ParseError (a ValueError) for a text that is
    not TOML. Resolved once per call, so a loop over files pays for the choice once."""
    fast = _compiled()
    if fast is None:
        return _tomllib_loads
    errors = (fast.error, TOMLDecodeError)  # type: ignore[attr-defined]

    def loads(text: str) -> dict:
        try:
            return fast(text)
        except errors as exc:
            raise _diagnosis(text, exc) from None

    return loads


def loads(text: str) -> dict[str, Any]:
    """Parse one text (see `loader`)."""
    return loader()(text)


def _tomllib_loads(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except TOMLDecodeError as exc:
        raise _from_tomllib(str(exc), text) from None


def _diagnosis(text: str, exc: Exception) -> ParseError:
    """The fault the compiled parser found, told as tomllib tells it; when tomllib
    accepts the text after all, the compiled parser's own words at its position."""
    try:
        tomllib.loads(text)
    except TOMLDecodeError as theirs:
        return _from_tomllib(str(theirs), text)
    except (RecursionError, MemoryError):
        pass
    lines = str(exc).strip().splitlines()
    reason = lines[-1] if lines else "invalid TOML"
    offset = getattr(exc, "pos", None)
    line, column = position(text, offset) if isinstance(offset, int) else (1, 1)
    return ParseError(reason, line, column)


def _from_tomllib(message: str, text: str) -> ParseError:
    import re

    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if m:
        line, column = int(m.group(1)), int(m.group(2))
    else:  # "at end of document"
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    reason = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", message).strip()
    return ParseError(reason, line, column)


def position(text: str, byte_offset: int) -> tuple[int, int]:
    """(line, column), both from 1, of the character at `byte_offset` of `text`'s
    UTF-8 encoding; the column counts characters, not bytes."""
    head = text.encode("utf-8")[:max(byte_offset, 0)].decode("utf-8", "ignore")
    line = head.count("\n") + 1
    return line, len(head) - (head.rfind("\n") + 1) + 1
