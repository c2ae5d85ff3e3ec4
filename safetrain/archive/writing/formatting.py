"""`safetrain fmt` over archives, workspaces and single files.

Only record files are formatted (safetrain.toml, people/, sessions/**,
drills/**, mentorships/); a file that is not UTF-8 TOML (A001) is reported and
never touched, except two encodings that are converted (and said so): a UTF-8
byte-order mark is removed, and a GBK/GB18030 file that is valid TOML is
written as UTF-8. A file the formatter cannot lay out safely is left as it is
(apart from its encoding).
Each archive is formatted under its lock, each file written atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable, Iterator

from ...errors import SafetrainError, os_reason
from ...findings import Finding
from .atomic import linked_record, write_bytes
from .canonical import Unsupported, format_text
from ..reading.encodings import BOM, legacy_text
from ..reading.discover import MARKER, discover_each, display_name, find_root
from .lock import archive_lock
from ..reading.files import LocalFiles, read_regular
from ..reading.loader import format_version, load_config
from ..reading.reader import MAX_FILE_BYTES, RawFile, bad_name, list_files, parse_file, read_file
from ..reading.spec import kind_of_path, kind_of_word



@dataclass(frozen=True)
class Formatted:
    path: str  # as shown to the user
    status: str  # "changed", "unchanged", "invalid" (A001: not touched), "unreadable" (a folder that
    #              cannot be read: its files neither judged nor touched), "skipped" (left as it is),
    #              "failed" (an archive that cannot be formatted at all: its path, and why; the others go on)
    zh: str = ""
    en: str = ""
    encoding: str = ""  # "bom" (a byte-order mark removed) or "gb18030" (converted to UTF-8) when changed


def format_paths(paths: Iterable[str | os.PathLike], check: bool = False,
                 only: Collection[str] | None = None, tool: str | None = None) -> Iterator[Formatted]:
    """Format (or with `check`, only judge) every record file under `paths`; with `only`,
    just the files of those names (as a Formatted's `path` shows them: the ones a user
    agreed to after a first, judging pass). `written` lists the files rewritten as they are.
    `tool`: the cache's fingerprint of this program (api.cache_tool), to remember which files
    are in the layout already (Canonical); None: no cache."""
    written.clear()
    for raw in paths:
        path = Path(raw)
        if path.exists() and not path.is_dir():  # a file, or a pipe named: refused unread, as invalid
            shown = _shown_single(path)
            if only is None or shown in only:
                yield _single(path, check)
            continue
        roots, problems = discover_each([raw])
        if not roots and problems:  # nothing to do here at all: the one error, as before
            raise problems[-1][1]
        for where, problem in problems:  # a folder of the workspace that cannot be read: said, the others done
            yield Formatted(where, "failed", problem.zh, problem.en)
        for root in roots:
            below = _below(root, path)
            try:  # one archive that cannot be formatted is said, and the others are done
                yield from list(_archive(root, check, only, below, tool))
            except SafetrainError as exc:
                yield Formatted(display_name(root), "failed", exc.zh, exc.en)
            except OSError as exc:
                zh, en = os_reason(exc)
                yield Formatted(display_name(root), "failed", f"{exc.filename or root}：{zh}", f"{exc.filename or root}: {en}")


def _below(root: Path, folder: Path) -> str:
    """The folder named, relative to the archive holding it ("" for the archive or a workspace):
    a folder inside an archive formats the files under it only."""
    try:
        rel = Path(os.path.abspath(folder)).relative_to(os.path.abspath(root)).as_posix()  # `..` gone up
    except ValueError:
        return ""
    return "" if rel == "." else rel.rstrip("/") + "/"


def _archive(root: Path, check: bool, only: Collection[str] | None = None, below: str = "",
             tool: str | None = None) -> Iterator[Formatted]:
    shown = display_name(root)
    if format_version(root) is None:  # a newer format is refused (raised there), never laid out as this one;
        # one whose safetrain.toml cannot be read, or states no version, could be of any format: its records
        # are left alone too. A readable one stating its version is laid out, whatever A002 it has (a bad code).
        where = f"{shown}/{MARKER}" if shown != "." else MARKER
        why_zh, why_en = ("的 `format` 不是格式版本", "has a `format` that is no format version") \
            if isinstance(read_file(LocalFiles(root), "config", MARKER), RawFile) else ("无法读取", "cannot be read")
        raise SafetrainError(f"{where} {why_zh}，档案的格式版本未知：先改好它，本档案的文件未格式化",
                             f"{where} {why_en}, so the archive's format version is unknown: mend it "
                             "first; no file of this archive was formatted")
    prefix = "" if shown == "." else shown.rstrip("/") + "/"
    files, problems = list_files(root)
    if below:
        files = [(kind, rel) for kind, rel in files if rel.startswith(below)]
        problems = [p for p in problems if (p.file.rstrip("/") + "/").startswith(below) or below.startswith(p.file)]
    if only is not None:
        files = [(kind, rel) for kind, rel in files if prefix + rel in only]
        problems = []  # said by the judging pass the user answered
    yield from (_unlisted(problem, prefix) for problem in problems)
    if not files:
        return
    memo = Canonical.open(root, tool, whole=not below and only is None)
    try:
        if check:
            yield from _judged(root, files, prefix, memo, check=True)
            return
        with archive_lock(root):
            results = _judged(root, files, prefix, memo, check=False)
        yield from results
    finally:
        if memo is not None:
            memo.save()


#: files to judge (not known to be in the layout) from which a forked copy of this process judges
#: every other one (on two cores or more): tomlkit reads 2,378 files of a 2,000-person archive in 5 s
#: (`fmt --yes` then formats those to change in one process, in order: an archive whose every file
#: changes gains nothing, one with a few to change twice the speed)
JUDGE_IN_TWO_FROM = 200


def _judged(root: Path, files: list[tuple[str, str]], prefix: str, memo: "Canonical | None",
            check: bool) -> list[Formatted]:
    """`files` formatted (or with `check` judged), in their order. Where many are to be laid out by
    tomlkit (not known to be in the layout by their hash), they are judged first, every other one
    in a forked copy of this process meanwhile, and then those to change formatted here in their
    order (a record linked to another is judged after it, as in one pass): the same results."""
    from ...forked import Forked

    known = memo.known if memo is not None else None
    new = len(files) - (len(known) if known is not None else 0)  # about as many as tomlkit reads
    theirs = files[1::2]
    job = Forked.start(_judge_part, root, theirs, prefix, known) if new >= JUDGE_IN_TWO_FROM else None
    if job is None:
        return [_one(root, kind, rel, prefix + rel, check, memo) for kind, rel in files]
    try:
        mine = [_one(root, kind, rel, prefix + rel, True, memo) for kind, rel in files[0::2]]
        part = job.result()
    finally:
        job.cancel()  # (nothing to do once it gave its result)
    if part is None or len(part) != len(theirs):  # the copy failed: its files are judged here
        part = [(_one(root, kind, rel, prefix + rel, True, memo), ()) for kind, rel in theirs]
    done: list = [None] * len(files)
    done[0::2] = mine
    for j, (judged, laid_out) in enumerate(part):
        done[2 * j + 1] = judged
        if memo is not None:
            memo.now.update(laid_out)
    if not check:
        # those to change, and those left as they are (a record linked to another is judged by its target, which
        # may be formatted before it now)
        done = [_one(root, kind, rel, prefix + rel, False, memo) if judged.status in ("changed", "skipped") else judged
                for (kind, rel), judged in zip(files, done)]
    return done


def _judge_part(root: Path, part: list[tuple[str, str]], prefix: str,
                known: set[bytes] | None) -> list[tuple[Formatted, tuple[bytes, ...]]]:
    """In the forked copy: each file of `part` judged (`known`: the digests of texts known to be in
    the layout, or None without a cache), with the digest of its text in the layout, for the
    parent's Canonical to remember."""
    out = []
    for kind, rel in part:
        seen = Canonical.detached(known) if known is not None else None
        out.append((_one(root, kind, rel, prefix + rel, True, seen), tuple(seen.now) if seen is not None else ()))
    return out


class Canonical:
    """The files of one archive known to be in the canonical layout, kept in the cache folder
    (archive/reading/cache.py: one result of the archive's row, under this program's fingerprint):
    a digest of each file's kind and bytes. A file seen before costs `fmt` a hash, not a tomlkit
    parse (2,378 files of a 2,000-person archive: 3.5 s to judge, formatting each). Never trusted
    further than its bytes: an edited file has another digest and is judged anew."""

    KEY = "fmt-canonical"  # and the version of tomlkit, which reads the layout (its own release may read it otherwise)

    def __init__(self, store, whole: bool):
        from ..reading.cache import loads

        self.store, self.whole = store, whole
        from importlib.metadata import version

        self.key = f"{self.KEY} tomlkit {version('tomlkit')}"
        blob = store.result(self.key)
        try:
            self.known: set[bytes] = set(loads(blob)) if blob else set()
        except Exception:  # a cache of another shape: empty
            self.known = set()
        self.now: set[bytes] = set()

    @classmethod
    def detached(cls, known: set[bytes]) -> "Canonical":
        """One kept nowhere, knowing `known`: what a forked copy judging part of the files finds."""
        self = cls.__new__(cls)
        self.store, self.whole, self.key, self.known, self.now = None, False, cls.KEY, known, set()
        return self

    @classmethod
    def open(cls, root: Path, tool: str | None, whole: bool) -> "Canonical | None":
        from ..reading.cache import ArchiveCache

        store = ArchiveCache.open(root, tool) if tool is not None else None
        return cls(store, whole) if store is not None else None

    @staticmethod
    def digest(kind: str, data: bytes) -> bytes:
        import hashlib

        return hashlib.sha256(kind.encode() + b"\0" + data).digest()

    def save(self) -> None:
        """Keep the files found in the layout: of a whole run, those alone (a file gone or edited
        is forgotten); of part of the archive, those beside the ones known."""
        from ..reading.cache import dumps

        keep = self.now if self.whole else self.known | self.now
        if keep != self.known:
            self.store.write(result=(self.key, dumps(sorted(keep))))
        self.store.close()


def _unlisted(problem: Finding, prefix: str) -> Formatted:
    """What the listing could not take in, said as `check` says it: a folder that cannot be read
    (A001) is "unreadable", counted as an invalid file is, so `fmt --check` never passes over files it did
    not see; a link leaving the archive (A008) or a sub-folder never read (A002) is left as it is."""
    status = "unreadable" if problem.code == "A001" else "skipped"
    return Formatted(prefix + problem.file, status, f"{problem.message_zh}（{problem.code}）",
                     f"{problem.message_en} ({problem.code})")


def _one(root: Path, kind: str, rel: str, shown: str, check: bool, memo: Canonical | None = None) -> Formatted:
    """One file formatted (or judged); a file that cannot be written is its own "failed" result,
    and the files after it are still done (those before it were written, and are said so)."""
    try:
        return _one_file(root, kind, rel, shown, check, memo)
    except SafetrainError as exc:
        return Formatted(shown, "failed", exc.zh, exc.en)


def _one_file(root: Path, kind: str, rel: str, shown: str, check: bool, memo: Canonical | None = None) -> Formatted:
    data = None
    try:  # the bytes judged, remembered by their digest and laid out are the bytes read once here
        data, size = LocalFiles(root).read_bytes(rel, MAX_FILE_BYTES)
    except OSError:  # said below, by read_file as check says it (never the digest of nothing read)
        memo = None
    else:
        if size > len(data):  # too large: read_file's A001
            memo, data = None, None
    if memo is not None:
        digest = memo.digest(kind, data)
        if digest in memo.known:  # these very bytes were in the layout: they still are
            memo.now.add(digest)
            return Formatted(shown, "unchanged")
    raw = read_file(LocalFiles(root), kind, rel) if data is None else \
        (bad_name(kind, rel) or parse_file(kind, rel, data, len(data)))
    if isinstance(raw, Finding) and raw.code == "A001" and legacy_text(_bytes(root / rel) if data is None else data) is None:
        return Formatted(shown, "invalid", raw.message_zh, raw.message_en)
    done, laid_out = _laid_out(root / rel, kind, shown, check, data)
    if memo is not None and laid_out is not None:  # a text in the layout (not one only re-encoded)
        memo.now.add(memo.digest(kind, laid_out))
    return done


def _shown_single(path: Path) -> str:
    return os.path.relpath(path) if not os.path.isabs(str(path)) else str(path)


def _single(path: Path, check: bool) -> Formatted:
    shown = _shown_single(path)
    root = find_root(path.parent)
    if root is not None:
        load_config(root)  # a file of an archive of a newer format is refused
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        kind = kind_of_path(rel)
        if kind is not None:
            return _one(root, kind, rel, shown, check) if check else _locked(root, kind, rel, shown)
    kind = "config" if path.name == MARKER else kind_of_word(path.parent.name)
    try:
        data = read_regular(path)  # read once: judged, then laid out
    except OSError as exc:
        zh, en = os_reason(exc)
        return Formatted(shown, "invalid", f"无法读取文件：{zh}", f"cannot read the file: {en}")
    problem = _a001(path, kind, data)
    if problem:
        return Formatted(shown, "invalid", *problem)
    return _laid_out(path, kind, shown, check, data)[0]


def _locked(root: Path, kind: str, rel: str, shown: str) -> Formatted:
    with archive_lock(root):
        return _one(root, kind, rel, shown, False)


def _a001(path: Path, kind: str | None, data: bytes) -> tuple[str, str] | None:
    """A file outside an archive (its bytes `data`), judged as `check` judges one inside
    (reader.parse_file): its A001 message, or None (a GBK/GB18030 file too: fmt converts it)."""
    if legacy_text(data) is not None:
        return None
    raw = parse_file(kind or "config", path.name, data, len(data))
    return (raw.message_zh, raw.message_en) if isinstance(raw, Finding) else None


def _bytes(path: Path) -> bytes:
    try:
        return read_regular(path)
    except OSError:
        return b""


def _laid_out(path: Path, kind: str | None, shown: str, check: bool,
              data: bytes | None = None) -> tuple[Formatted, bytes | None]:
    """The file formatted (or judged), and the bytes of it in the layout (as they were, or as
    written; None when the layout could not be made: a file only re-encoded, or left as it is)."""
    if data is None:
        data = read_regular(path)
    encoding = "bom" if data.startswith(BOM) else ""
    legacy = legacy_text(data)
    if legacy is not None:
        text, encoding = legacy, "gb18030"
    else:
        text = data[len(BOM):].decode("utf-8") if encoding else data.decode("utf-8")
    try:
        out = format_text(text, kind)
    except Unsupported as exc:
        if not encoding:
            return Formatted(shown, "skipped", exc.zh, exc.en), None
        out = None  # the layout is left as it is; the encoding is still put right
    if out == text and not encoding:
        return Formatted(shown, "unchanged"), data
    if os.path.islink(path):
        return Formatted(shown, "skipped", *linked_record(shown)), None
    new = (text if out is None else out).encode("utf-8")
    if not check:
        write_bytes(path, new)
        written.append(shown)
    return Formatted(shown, "changed", encoding=encoding), new if out is not None else None


#: the files the run under way has rewritten so far, as shown (format_paths empties it): what an
#: interruption says was done, each file whole (written atomically)
written: list[str] = []

