"""Helpers for the editing tests (a module, not a conftest, so `from helpers import` stays unambiguous)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from safetrain.api import check_path
from safetrain.archive.reading.gbcodes import id_check_char
from safetrain.cli import main
from helpers import AS_OF


def id_number(region: str = "640104", born: str = "19900307", seq: str = "001") -> str:
    """A valid 身份证号 (GB 11643 check character computed)."""
    body = region + born + seq
    return body + id_check_char(body)


def run(*args: str, input: str | None = None):
    """Invoke the CLI; never lets an exception escape unnoticed."""
    result = CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


def a_family(root: Path) -> list[tuple[str, str, str]]:
    """(code, file, message) of every A-family finding `safetrain check` would report."""
    return [(f.code, f.file, f.message_zh) for f in check_path(root, AS_OF).findings if f.code.startswith("A")]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the archive (but the lock), as bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".safetrain.lock"}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
