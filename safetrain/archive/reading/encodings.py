"""The encodings record files arrive in besides plain UTF-8: a UTF-8 byte-order
mark (Notepad's old default, valid TOML 1.0, read as it is) and GBK/GB18030
(what Chinese Windows editors save by default), which is an A001 until
`safetrain fmt` converts it."""

from __future__ import annotations

import tomllib

BOM = b"\xef\xbb\xbf"


def legacy_text(raw: bytes) -> str | None:
    """The text of a file that is not UTF-8 but is GBK/GB18030 TOML; None otherwise."""
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
        tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    return text
