"""The encodings record files arrive in besides plain UTF-8: a UTF-8 byte-order
mark (Notepad's old default, valid TOML 1.0, read as it is) and GBK/GB18030
(what Chinese Windows editors save by default), which is an A001 until
`safetrain fmt` converts it."""

from __future__ import annotations

import tomllib

BOM = b"\xef\xbb\xbf"


def legacy_text(raw: bytes) -> str | None:
    """The text of a file that is not UTF-8 but is GBK/GB18030 TOML; None otherwise. Line by
    line: a file written in UTF-8 with a line added in GBK (an old editor, a pasted note) keeps
    its UTF-8 lines as they are; read whole as GB18030, which takes almost any UTF-8 Chinese
    as other characters (张三 as 寮犱笁), they would be garbled and still parse. A GB18030
    character never holds the byte of a line end."""
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        text = "".join(_line_text(line) for line in raw.removeprefix(BOM).splitlines(keepends=True))
        tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    return text


def _line_text(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("gb18030")
