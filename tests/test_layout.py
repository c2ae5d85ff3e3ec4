"""The rooms of the code, as docs/DEVELOPING.md draws them: which package may
import which. A new import that crosses a wall fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "safetrain"


def imports(path: Path) -> set[str]:
    """Every module `path` imports, as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.add(name)
            out.update(f"{name}.{a.name}" for a in node.names)
    return out


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py")) if folder else sorted(PACKAGE.glob("*.py"))


def crossing(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{p.relative_to(PACKAGE.parent)} imports {name}" for p in modules(folder) for name in sorted(imports(p))
            if name.startswith(forbidden)]


@pytest.mark.parametrize("folder, forbidden", [
    ("archive/reading", ("safetrain.archive.writing", "safetrain.archive.importing", "safetrain.rules",
                         "safetrain.reports", "safetrain.cli", "safetrain.api", "tomlkit", "click")),
    ("archive/writing", ("safetrain.archive.importing", "safetrain.rules", "safetrain.reports", "safetrain.cli",
                         "safetrain.api", "click")),
    ("archive/importing", ("safetrain.rules", "safetrain.reports", "safetrain.cli", "safetrain.api", "click")),
    ("rules", ("safetrain.archive.writing", "safetrain.archive.importing", "safetrain.reports", "safetrain.cli",
               "tomllib", "tomlkit", "click")),
    ("reports", ("safetrain.archive.importing", "safetrain.cli", "tomllib", "tomlkit", "click")),
    ("export", ("safetrain.archive.importing", "safetrain.cli", "tomllib", "tomlkit", "click")),
    ("pairing", ("safetrain.archive.importing", "safetrain.cli", "tomllib", "tomlkit", "click")),
])
def test_rooms_import_only_downwards(folder, forbidden):
    assert crossing(folder, forbidden) == []


def test_only_the_cli_imports_click():
    outside = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts]
    assert [str(p) for p in outside if any(n == "click" or n.startswith("click.") for n in imports(p))] == []
