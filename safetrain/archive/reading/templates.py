"""Where an archive keeps its own document templates (ARCHIVE-FORMAT.md:
`templates/` holds the enterprise's .docx/.xlsx templates, overriding the
built-in ones), and where the built-in ones ship."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .files import LocalFiles
from .models import Archive

FOLDER = "templates"


def custom_template(archive: Archive, name: str) -> Path | None:
    """`<archive>/templates/<name>` when the archive has that file (inside the archive), else None."""
    if archive.root is None:
        return None
    path = LocalFiles(archive.root).resolve(f"{FOLDER}/{name}")
    return path if path is not None and path.is_file() else None


def custom_templates(root: Path, suffix: str = ".docx") -> list[Path]:
    """Every `<root>/templates/*<suffix>` file of the archive at `root`, by name
    (Word's `~$` lock files left out)."""
    folder = Path(root) / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == suffix and p.is_file() and not p.name.startswith("~$"))


def builtin_template(name: str) -> Path:
    """A template shipped in the package (`safetrain/templates/<name>`)."""
    return Path(str(resources.files("safetrain").joinpath(FOLDER, name)))
