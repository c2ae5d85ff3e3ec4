"""Reading an archive's files: which files there are, and their TOML tables.

Stage one of the loader. Every problem becomes a finding (A001 for a file
that is not UTF-8 TOML, with a hint for the usual hand-typing slips
(tomlerrors.py); a UTF-8 byte-order mark is valid TOML and is read. A008 for a file or folder that leaves the archive,
A002 for a file whose name is not a valid id); nothing raises for bad data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from ...findings import ENTERPRISE, Finding
from .discover import MARKER
from .spec import FOLDERS, RECORD_KINDS
from .encodings import BOM, legacy_text
from ...errors import os_reason
from .tomlerrors import syntax_error
from .tomlparse import ParseError, loader

if TYPE_CHECKING:
    from .files import FileStore
from .validate import is_id

#: Larger files are refused (A001) rather than parsed: no record needs 4 MB.
MAX_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawFile:
    kind: str  # config, person, session, drill, mentorship
    rel: str  # path relative to the archive root, with "/"
    id: str  # the file stem ("" for safetrain.toml)
    data: dict


def list_files(root: Path) -> tuple[list[tuple[str, str]], list[Finding]]:
    """(kind, relpath) of every record file, sorted; plus findings for paths that leave the archive."""
    found: list[tuple[str, str]] = [("config", MARKER)]
    problems: list[Finding] = []
    real_root = os.path.realpath(root)
    for kind, folder in FOLDERS.items():
        base = root / folder
        if not base.is_dir():  # a file, or a link to no folder, where the folder goes: said, never passed over
            if base.is_symlink() and not _inside(real_root, base):
                problems.append(_outside(folder, folder + "/"))
            elif base.is_symlink():
                problems.append(_a001(folder, ENTERPRISE, None, None, f"{folder} 是链接，但不指向文件夹：其中的记录无法读取",
                                      f"{folder} is a link to no folder: no record of it can be read"))
            elif os.path.lexists(base):
                problems.append(_a001(folder, ENTERPRISE, None, None, f"{folder} 应为文件夹，实际是文件：其中的记录无法读取",
                                      f"{folder} is a file, not a folder: no record of it can be read"))
            continue
        if base.is_symlink() and not _inside(real_root, base):  # a folder of the root itself is inside it
            problems.append(_outside(folder, folder + "/"))
            continue
        if RECORD_KINDS[kind].recursive:
            walker = _walk(base, folder, problems)
        else:
            walker = ((folder, e.name, e.is_symlink(), _is_dir(e)) for e in _scandir(base, folder, problems))
        for rel_dir, name, is_link, is_dir in walker:
            rel = f"{rel_dir}/{name}"
            if is_link and not _inside(real_root, root / rel):
                problems.append(_outside(rel, rel))
                continue
            if not is_dir and name.endswith(".toml") and not name.startswith("."):
                found.append((kind, rel))
            elif not is_dir and name.lower().endswith(".toml") and not name.startswith("."):
                problems.append(_wrong_case(rel))  # S1.TOML: a record written, never read in silence
            elif is_dir and not RECORD_KINDS[kind].recursive and name.endswith(".toml") and not name.startswith("."):
                problems.append(_a001(rel, stem_of(kind, rel), None, None, f"{name} 是文件夹，不是记录文件：无法读取",
                                      f"{name} is a folder, not a record file: it cannot be read"))
            elif is_dir and not RECORD_KINDS[kind].recursive and not name.startswith(".") and _another_archive(root / rel):
                problems.append(archive_inside(folder, rel))
            elif is_dir and not RECORD_KINDS[kind].recursive and not name.startswith(".") \
                    and any(p.suffix == ".toml" for p in Path(root / rel).rglob("*.toml")):
                problems.append(_not_read(folder, rel))  # records a user wrote, never read in silence
    from .files import sort_listing

    found[1:] = sort_listing(found[1:])
    return found, problems


def _scandir(path: Path, rel: str, problems: list[Finding]) -> list[os.DirEntry]:
    """The folder's entries by name; a folder that cannot be read is an A001 of its own (its
    files are not judged, the rest of the archive is)."""
    try:
        with os.scandir(path) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        zh, en = os_reason(exc)
        problems.append(_a001(rel + "/", ENTERPRISE, None, None, f"无法读取文件夹：{zh}", f"cannot read the folder: {en}"))
        return []


def _is_dir(entry: os.DirEntry) -> bool:
    """Whether the entry is a folder; a link that cannot be followed (a loop) is no folder:
    read as a file, it is an A001 saying why."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk(base: Path, rel_base: str, problems: list[Finding]) -> Iterator[tuple[str, str, bool, bool]]:
    for entry in _scandir(base, rel_base, problems):
        if entry.name.startswith("."):
            continue
        link, is_dir = entry.is_symlink(), _is_dir(entry)
        if is_dir and _another_archive(Path(entry.path)):  # another archive: none of its files is a record here
            problems.append(archive_inside(rel_base.split("/", 1)[0], f"{rel_base}/{entry.name}"))
            continue
        yield rel_base, entry.name, link, is_dir
        if is_dir and not link:
            yield from _walk(Path(entry.path), f"{rel_base}/{entry.name}", problems)


def archive_inside(folder: str, rel: str) -> Finding:
    return Finding("A002", rel + "/", ENTERPRISE,
                   f"{rel}/ 是另一个档案（有自己的 safetrain.toml），不能放在 {folder}/ 中：其中的文件不作为本档案的记录读取，"
                   "工作区也不检查它；请移到档案的记录文件夹之外",
                   f"{rel}/ is another archive (it has its own safetrain.toml) and cannot be kept in {folder}/: its "
                   "files are not read as records of this one, nor is it checked as a workspace's archive; move it "
                   "out of the record folders")


def _another_archive(folder: Path) -> bool:
    """Whether a folder inside an archive is the root of another archive (it holds safetrain.toml)."""
    return os.path.isfile(os.path.join(folder, MARKER))


def _inside(real_root: str, path: Path) -> bool:
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def not_read_folders(rels) -> list[Finding]:
    """The sub-folders of people/, mentorships/, introductions/ and plans/ holding .toml files
    (relative paths with "/"), each an A002, and the record files named .TOML: records a user
    wrote that are never read (list_files says the same of an archive on disk)."""
    folders = {}
    cased = []
    for rel in rels:
        parts = rel.split("/")
        kind = next((k for k, f in FOLDERS.items() if f == parts[0]), None)
        if kind and len(parts) > 2 and rel.endswith(".toml") and not RECORD_KINDS[kind].recursive \
                and not parts[1].startswith("."):
            folders.setdefault(f"{parts[0]}/{parts[1]}", parts[0])
        elif kind and not rel.endswith(".toml") and rel.lower().endswith(".toml") and not parts[-1].startswith(".") \
                and (len(parts) == 2 or RECORD_KINDS[kind].recursive):
            cased.append(_wrong_case(rel))
    return [_not_read(folder, rel) for rel, folder in sorted(folders.items())] + sorted(cased, key=lambda f: f.file)


def _wrong_case(rel: str) -> Finding:
    stem, suffix = rel.rsplit(".", 1)
    name = stem.rsplit("/", 1)[-1]
    return Finding("A002", rel, ENTERPRISE,
                   f"扩展名应为小写的 .toml：{rel} 不会被读取，请改名为 {name}.toml",
                   f"the extension must be .toml in lower case: {rel} is not read; rename it to {name}.toml")


def _not_read(folder: str, rel: str) -> Finding:
    return Finding("A002", rel + "/", ENTERPRISE,
                   f"{folder}/ 下不能有子文件夹：{rel}/ 中的 .toml 文件不会被读取，请移到 {folder}/ 中",
                   f"{folder}/ has no sub-folders: the .toml files in {rel}/ are not read; move them into {folder}/")


def _outside(rel: str, shown: str) -> Finding:
    return Finding(
        "A008",
        rel,
        ENTERPRISE,
        f"{shown} 是指向档案之外的符号链接，已跳过",
        f"{shown} is a symbolic link that leaves the archive; skipped",
    )


def stem_of(kind: str, rel: str) -> str:
    """A record file's id: its name without `.toml` ("" for safetrain.toml)."""
    return rel.rsplit("/", 1)[-1][: -len(".toml")] if kind != "config" else ""


def read_file(store: "FileStore", kind: str, rel: str, loads: Callable[[str], dict] | None = None) -> RawFile | Finding:
    """Parse one file; an A001 or A002 finding when it cannot be used."""
    if (bad := bad_name(kind, rel)) is not None:
        return bad
    try:
        raw, size = store.read_bytes(rel, MAX_FILE_BYTES)
    except OSError as exc:
        return unreadable(kind, rel, exc)
    return parse_file(kind, rel, raw, size, loads)


def bad_name(kind: str, rel: str) -> Finding | None:
    """The A002 of a file whose name is not a valid id."""
    stem = stem_of(kind, rel)
    if kind != "config" and not is_id(stem):
        return Finding(
            "A002", rel, stem,
            f"文件名 \"{stem}\" 不是有效编号（字母或数字开头，仅含字母、数字、. _ -，最长64位）",
            f"file name \"{stem}\" is not a valid id (a letter or digit, then letters, digits, . _ -, at most 64)",
        )
    return None


def unreadable(kind: str, rel: str, exc: OSError) -> Finding:
    from .files import LeavesArchive

    if isinstance(exc, LeavesArchive):
        return _outside(rel, rel)
    zh, en = os_reason(exc)
    return _a001(rel, stem_of(kind, rel) or ENTERPRISE, None, None, f"无法读取文件：{zh}", f"cannot read the file: {en}")


def parse_file(kind: str, rel: str, raw: bytes, size: int,
               loads: Callable[[str], dict] | None = None) -> RawFile | Finding:
    """The tables of a file whose name is valid, from its bytes (`size` is its
    whole size: `raw` may stop after MAX_FILE_BYTES); an A001 when they are not
    UTF-8 TOML. `loads` is tomlparse.loader(), resolved once by the caller."""
    stem = stem_of(kind, rel)
    subject = stem or ENTERPRISE
    if size > MAX_FILE_BYTES:
        return _a001(rel, subject, 1, 1,
                     f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_FILE_BYTES // 1048576} MB）",
                     f"file too large ({size / 1048576:.1f} MB, the limit is {MAX_FILE_BYTES // 1048576} MB)")
    if raw.startswith(BOM):  # Notepad's old default; TOML 1.0 allows it (safetrain fmt removes it)
        raw = raw[len(BOM):]
        if raw.startswith(BOM):  # one is allowed, not two
            return _a001(rel, subject, 1, 1, "文件开头有两个 UTF-8 BOM（只允许一个），请删除一个",
                         "the file starts with two UTF-8 byte-order marks (one is allowed): remove one")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        if legacy_text(raw) is not None:
            return _a001(rel, subject, line, column, "不是 UTF-8 编码，而是 GBK/GB18030；运行 safetrain fmt 可转为 UTF-8",
                         "not UTF-8 but GBK/GB18030; safetrain fmt converts it to UTF-8")
        return _a001(rel, subject, line, column, "不是有效的 UTF-8 编码（请存为 UTF-8）",
                     "not valid UTF-8 (save the file as UTF-8)")
    try:
        data = (loads or loader())(text)
    except ParseError as exc:
        return _a001(rel, subject, exc.line, exc.column, *syntax_error(exc.reason, text, exc.line))
    except RecursionError:
        return _a001(rel, subject, 1, 1, "无法解析 TOML：数组或表嵌套过深", "cannot parse TOML: arrays or tables nested too deep")
    except ValueError as exc:  # a date or time that does not exist (2024-02-30, 09:00:60)
        line, column, literal = _impossible_moment(text) or (1, 1, "")
        return _a001(rel, subject, line, column, f"无法解析 TOML：日期或时间不存在 {literal}".rstrip(),
                     f"cannot parse TOML: a date or time that does not exist {literal} ({exc})".replace("  (", " ("))
    except MemoryError:
        return _a001(rel, subject, 1, 1, "无法解析 TOML：内容过大", "cannot parse TOML: too large")
    return RawFile(kind, rel, stem, data)


_MOMENT = None


def _impossible_moment(text: str) -> tuple[int, int, str] | None:
    """(line, column, the literal) of the first date or time in `text` that no calendar or clock
    has (TOML's grammar takes 2024-02-30 and 09:00:60; building the value fails)."""
    import re
    from datetime import date, time

    global _MOMENT
    if _MOMENT is None:
        _MOMENT = re.compile(r"(?<![\w.:-])(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2}))?|"
                             r"(?<![\w.:-])(\d{2}):(\d{2}):(\d{2})")
    for m in _MOMENT.finditer(text):
        try:
            if m.group(1):
                date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                if m.group(4):
                    time(int(m.group(4)), int(m.group(5)), int(m.group(6)))
            else:
                time(int(m.group(7)), int(m.group(8)), int(m.group(9)))
        except ValueError:
            line = text.count("\n", 0, m.start()) + 1
            return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1, m.group(0)
    return None


def _a001(rel: str, subject: str, line: int | None, column: int | None, zh: str, en: str) -> Finding:
    """A001 at a place in the file's text; with no line, about the file or folder as a whole
    (the system would not give it: there is no place in it to point at)."""
    if line is None:
        return Finding("A001", rel, subject, zh, en)
    return Finding("A001", rel, subject, f"{zh}（第 {line} 行第 {column} 列）", f"{en} (line {line}, column {column})",
                   line=line, column=column)

