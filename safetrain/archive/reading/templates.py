"""Where an archive keeps its own document templates (ARCHIVE-FORMAT.md:
`templates/` holds the enterprise's .docx/.xlsx templates, overriding the
built-in ones), and where the built-in ones ship."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .files import leaves_archive
from .models import Archive
from .spec import TEMPLATES_FOLDER

FOLDER = TEMPLATES_FOLDER


def custom_template(archive: Archive, name: str) -> Path | None:
    """`<archive>/templates/<name>` when the archive has that file, else None; an error naming
    it when it is a link to a file outside the templates folder (no path in an archive may
    point outside it: the document is not printed with a built-in one in silence either)."""
    if archive.root is None:
        return None
    return own_template(Path(archive.root), name)


def own_template(root: Path, name: str) -> Path | None:
    """The archive's `templates/<name>` at `root`, as custom_template finds it."""
    return _inside_templates(Path(root), FOLDER, name)


def _inside_templates(root: Path, folder: str, name: str) -> Path | None:
    path = Path(root) / folder / name
    if not os.path.lexists(path):
        return None
    inside = os.path.join(os.path.realpath(root), *folder.split("/"))  # the folder itself, not where a link takes it
    if not os.path.realpath(path).startswith(inside + os.sep) or leaves_archive(name):
        from ...errors import SafetrainError

        raise SafetrainError(f"模板 {folder}/{name} 指向模板目录之外（符号链接），不能使用：请放入文件本身",
                             f"template {folder}/{name} points outside the templates folder (a link): "
                             "put the file itself there")
    return path if path.is_file() else None


def custom_templates(root: Path, suffix: str = ".docx") -> list[Path]:
    """Every `<root>/templates/*<suffix>` file of the archive at `root`, by name
    (Word's `~$` lock files left out); a link out of the folder is an error naming it."""
    folder = Path(root) / FOLDER
    if not folder.is_dir():
        return []
    names = sorted(p.name for p in folder.iterdir() if p.suffix == suffix and not p.name.startswith("~$"))
    return [p for p in (_inside_templates(Path(root), FOLDER, n) for n in names) if p is not None]


def builtin_template(name: str) -> Path:
    """A template shipped in the package (`safetrain/templates/<name>`)."""
    return Path(str(resources.files("safetrain").joinpath(FOLDER, name)))


HTML_FOLDER = f"{FOLDER}/html"


def html_override(root: Path, name: str) -> tuple[str, Path] | None:
    """(text, path) of `<root>/templates/html/<name>`, the archive's or the
    workspace's own version of a built-in HTML report template; None when
    there is none. Only a plain file name inside `root` counts (a symlink out
    of the folder is an error naming it: it could bring a record, ID numbers and all, into
    the site); a file that is not UTF-8 is an error naming it."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = _inside_templates(Path(root), HTML_FOLDER, name)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8"), path
    except (OSError, UnicodeDecodeError) as exc:
        from ...errors import SafetrainError

        reason = getattr(exc, "strerror", None) or "not UTF-8"
        raise SafetrainError(f"模板 {path} 无法读取：{reason}", f"template {path} cannot be read: {reason}") from None


def names_html_override(root: Path, name: str) -> bool:
    """Whether `<root>/templates/html/<name>` is there at all (a file, a link, anything), unread."""
    return os.path.lexists(Path(root) / HTML_FOLDER / name)


def has_html_overrides(root: Path) -> bool:
    return (Path(root) / HTML_FOLDER).is_dir()


def builtin_html_template(name: str) -> tuple[str, str]:
    """(text, where) of a built-in HTML report template (package data)."""
    ref = resources.files("safetrain").joinpath("reports", "html", "templates", name)
    return ref.read_text(encoding="utf-8"), f"safetrain/reports/html/templates/{name}"
