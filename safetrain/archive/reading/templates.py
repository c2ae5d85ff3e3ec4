"""Where an archive keeps its own document templates (ARCHIVE-FORMAT.md:
`templates/` holds the enterprise's .docx/.xlsx templates, overriding the
built-in ones), and where the built-in ones ship."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .files import LocalFiles
from .models import Archive
from .spec import TEMPLATES_FOLDER

FOLDER = TEMPLATES_FOLDER


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


HTML_FOLDER = f"{FOLDER}/html"


def html_override(root: Path, name: str) -> tuple[str, Path] | None:
    """(text, path) of `<root>/templates/html/<name>`, the archive's or the
    workspace's own version of a built-in HTML report template; None when
    there is none. Only a plain file name inside `root` counts (a symlink out
    of it does not); a file that is not UTF-8 is an error naming it."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = LocalFiles(Path(root)).resolve(f"{HTML_FOLDER}/{name}")
    if path is None or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8"), path
    except (OSError, UnicodeDecodeError) as exc:
        from ...errors import SafetrainError

        reason = getattr(exc, "strerror", None) or "not UTF-8"
        raise SafetrainError(f"模板 {path} 无法读取：{reason}", f"template {path} cannot be read: {reason}") from None


def has_html_overrides(root: Path) -> bool:
    return (Path(root) / HTML_FOLDER).is_dir()


def builtin_html_template(name: str) -> tuple[str, str]:
    """(text, where) of a built-in HTML report template (package data)."""
    ref = resources.files("safetrain").joinpath("reports", "html", "templates", name)
    return ref.read_text(encoding="utf-8"), f"safetrain/reports/html/templates/{name}"
