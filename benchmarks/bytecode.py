"""Every benchmark times safetrain as `pip install` leaves it: its modules compiled (.pyc).

Where PYTHONDONTWRITEBYTECODE is set (containers and CI images often set it), Python never
writes the .pyc files of a checkout, so every timed process compiled the ~65 modules a
`check` imports again: 0.1–0.2 s of each run on a 2-core VM, which no installed copy pays
(`pip install` compiles them). The scripts that time `python -m safetrain` in a checkout
compile it first, once.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path


def compile_tree(tree: Path) -> str:
    """Compile `tree`/safetrain's modules where their .pyc is missing or stale; a line saying so."""
    ok = compileall.compile_dir(Path(tree) / "safetrain", quiet=1)
    said = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return (f"bytecode of {tree}/safetrain compiled as pip install does "
            f"({'ok' if ok else 'some modules FAILED'}; PYTHONDONTWRITEBYTECODE {said})")
