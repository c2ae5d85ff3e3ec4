"""The one way safetrain writes an archive's records.

    with editing(root) as ed:                       # holds the archive's lock (lock.py)
        ed.create("person", "E006", {...})          # a new file, never over an existing one
        ed.modify("session", "S1", [AppendItems((), "attendees", (entry,))])

Every write:
1. reads the file and edits it with tomlkit (tomledit.TomlDoc), so every byte
   the edit does not mean to change stays as it was;
2. applies the same edit to the file's data as tomllib reads it, parses the
   new text back and requires the two to be equal, and every comment kept;
3. validates the result with the loader's own spec check (validate_table),
   builds its model and runs the integrity checks `safetrain check` runs
   (reading/integrity.py, A003-A009): a problem the file did not have before
   refuses the edit with a message naming the file, the key and the code;
4. writes atomically (atomic.py), while the archive lock is held.
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

from ...errors import SafetrainError
from .atomic import linked_record, sweep_archive, write_bytes, write_new_bytes
from .canonical import render_record
from .inputs import name_key
from ..reading.discover import archive_root
from ..reading.encodings import BOM
from ..reading.files import LocalFiles, read_regular
from ..reading.build import build
from ..reading.excluded import linked_out, may_be_unread, no_such, unread_folders
from ..reading.integrity import Surroundings, issues
from ..reading.loader import _extra_problems
from .lock import archive_lock
from ..reading.reader import RawFile, list_files
from ..reading.fields import TableSpec
from ..reading.spec import FOLDERS, RECORD_KINDS
from .tomledit import EditRefused, TomlDoc
from ..reading.tomltext import comments
from ..reading.validate import Problem, dotted, is_id, validate_table



class EditError(SafetrainError):
    """An edit refused: one line naming the file and the key at fault. Nothing was written."""

    def __init__(self, zh: str, en: str, file: str | None = None, problems: tuple[Problem, ...] = ()):
        super().__init__(zh, en)
        self.file = file
        self.problems = problems


def issue_problem(issue, mask: bool = True, id_number: str | None = None) -> Problem:
    """An integrity issue as the write path reports it: the key, the message, the code; with
    `mask`, the person's `id_number` (and anything shaped like one) masked, as `check` does."""
    where = f"`{dotted(issue.key)}` " if issue.key else ""
    zh, en = issue.zh, issue.en
    if mask:
        from ..reading.gbcodes import mask_id_numbers_in

        zh, en = mask_id_numbers_in(zh, id_number), mask_id_numbers_in(en, id_number)
    return Problem(issue.key, f"{where}{zh}（{issue.code}）", f"{where}{en} ({issue.code})")


def refused(rel: str, problems: list[Problem]) -> EditError:
    shown = problems[:3]
    zh = f"{rel}：" + "；".join(p.zh for p in shown)
    en = f"{rel}: " + "; ".join(p.en for p in shown)
    if len(problems) > 3:
        zh += f"（另有 {len(problems) - 3} 处问题）"
        en += f" (and {len(problems) - 3} more)"
    return EditError(zh, en, rel, tuple(problems))


def table_at(kind: str, path: tuple) -> TableSpec:
    """The spec of the table at `path` in a file of `kind`."""
    table = RECORD_KINDS[kind].table
    for part in path:
        if isinstance(part, str):
            table = table.fields[part].table
    return table


def _node(data: dict, path: tuple):
    for part in path:
        data = data[part]
    return data


# -- edits: each one changes the tomlkit document and, the same way, the plain data ----------

@dataclass(frozen=True)
class SetKey:
    path: tuple
    key: str
    value: Any

    def on_doc(self, doc: TomlDoc, kind: str) -> None:
        doc.set(self.path, self.key, self.value, table_at(kind, self.path))

    def on_data(self, data: dict) -> None:
        _node(data, self.path)[self.key] = self.value


@dataclass(frozen=True)
class AppendItems:
    path: tuple
    key: str
    values: tuple

    def on_doc(self, doc: TomlDoc, kind: str) -> None:
        doc.append_to_array(self.path, self.key, list(self.values), table_at(kind, self.path))

    def on_data(self, data: dict) -> None:
        _node(data, self.path).setdefault(self.key, []).extend(self.values)


@dataclass(frozen=True)
class ReplaceItems:
    """Elements of an array replaced: `values` is ((index, new value), ...), all in one edit."""
    path: tuple
    key: str
    values: tuple[tuple[int, Any], ...]

    def on_doc(self, doc: TomlDoc, kind: str) -> None:
        doc.replace_in_array(self.path, self.key, dict(self.values), table_at(kind, self.path))

    def on_data(self, data: dict) -> None:
        array = _node(data, self.path)[self.key]
        for index, value in self.values:
            array[index] = value


@dataclass(frozen=True)
class AppendTable:
    key: str
    value: dict

    def on_doc(self, doc: TomlDoc, kind: str) -> None:
        table = RECORD_KINDS[kind].table
        doc.append_table(self.key, self.value, table.fields[self.key].table, list(table.fields))

    def on_data(self, data: dict) -> None:
        data.setdefault(self.key, []).append(self.value)


# -- what the archive holds --------------------------------------------------------------

class Index:
    """The archive's record files by kind and id, read once per command; people's data on demand."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, dict[str, list[str]]] = {kind: {} for kind in FOLDERS}
        listed, problems = list_files(root)
        #: kind -> its folders that could not be read, or its folder when that is no folder (A001):
        #: a record asked for may be there (a record file that is a folder holds no other record)
        self.unread: dict[str, list[str]] = {kind: unread for kind in FOLDERS
                                             if (unread := unread_folders(problems, kind))}
        #: kind -> ids whose record files are links out of the archive (A008: never read, nor written)
        self.linked: dict[str, dict[str, str]] = {kind: ids for kind in FOLDERS if (ids := linked_out(problems, kind))}
        for kind, rel in listed:
            if kind != "config":
                self.files[kind].setdefault(rel.rsplit("/", 1)[-1][:-5], []).append(rel)
        self._people: dict[str, dict | None] | None = None
        self._numbers: dict[str, set[str]] | None = None
        self._names: dict[str, set[str]] | None = None

    def missing(self, kind: str, rid: str) -> tuple[str, str]:
        """(zh, en) of a record `rid` that has no file: none when its folders were read, else
        that it may be in one that could not be (said, never "there is none"), or that its file is
        a link out of the archive (A008: the file is there, and is not read)."""
        if rid in self.linked.get(kind, {}):
            file = self.linked[kind][rid]
            return (f"{file} 是指向档案之外的符号链接，不读取也不修改（A008）",
                    f"{file} is a symbolic link that leaves the archive; neither read nor changed (A008)")
        return may_be_unread(kind, [rid], self.unread.get(kind, [])) or no_such(kind, [rid])

    def rel(self, kind: str, rid: str) -> str | None:
        rels = self.files[kind].get(rid)
        return rels[0] if rels else None

    def has(self, kind: str, rid: str) -> bool:
        return rid in self.files[kind]

    def ids(self, kind: str) -> list[str]:
        return sorted(self.files[kind])

    def layout(self, kind: str) -> str:
        """"year" when records of `kind` go into <year>/ sub-folders, "flat" when the
        archive already keeps them directly in the kind's folder."""
        rels = [r for rs in self.files[kind].values() for r in rs]
        if any(r.count("/") > 1 for r in rels) or not rels:
            return "year"
        return "flat"

    def people(self) -> dict[str, dict | None]:
        """Every person's data as tomllib reads it (None for a file that cannot be read)."""
        if self._people is None:
            self._people = {}
            for pid, rels in self.files["person"].items():
                try:
                    self._people[pid] = tomllib.loads(read_regular(self.root / rels[0]).decode("utf-8-sig"))
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                    self._people[pid] = None
        return self._people

    def _number_map(self) -> dict[str, set[str]]:
        if self._numbers is None:
            self._numbers = {}
            for pid, data in self.people().items():
                number = data.get("id_number") if isinstance(data, dict) else None
                if isinstance(number, str):
                    self._numbers.setdefault(number, set()).add(pid)
        return self._numbers

    def holders(self, number: str) -> set[str]:
        """The ids of the people whose files give this ID number."""
        return self._number_map().get(number, set())

    def _name_map(self) -> dict[str, set[str]]:
        if self._names is None:
            self._names = {}
            for pid, data in self.people().items():
                key = name_key(data.get("name")) if isinstance(data, dict) else None
                if isinstance(key, str):
                    self._names.setdefault(key, set()).add(pid)
        return self._names

    def by_name(self, name: str) -> list[str]:
        """The people of that name, names compared by inputs.name_key (张  三 is 张三, 王\u200b五 is
        王五); looked up, not searched: an import matches 2,000 rows by name against 2,000 people."""
        return sorted(self._name_map().get(name_key(name), ()))

    def record(self, kind: str, rid: str, rel: str, data: dict | None) -> None:
        """Note a record written by this command."""
        rels = self.files[kind].setdefault(rid, [])
        if rel not in rels:
            rels.append(rel)
        if kind == "person" and self._people is not None:
            old = self._people.get(rid)
            for index, key in ((self._numbers, "id_number"), (self._names, "name")):  # the look-ups kept current
                if index is None:
                    continue
                before = old.get(key) if isinstance(old, dict) else None
                after = data.get(key) if isinstance(data, dict) else None
                if key == "name":
                    before, after = name_key(before), name_key(after)
                if isinstance(before, str):
                    index.get(before, set()).discard(rid)
                if isinstance(after, str):
                    index.setdefault(after, set()).add(rid)
            self._people[rid] = data


@dataclass(frozen=True)
class Change:
    rel: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


class Editor:
    """Creates and changes one archive's records; use through `editing()`."""

    def __init__(self, root: Path, dry_run: bool = False, today: date | None = None):
        self.root = root
        self.dry_run = dry_run
        self.today = today or date.today()
        self.index = Index(root)
        self.files = LocalFiles(root)
        self._bom: set[str] = set()  # files that start with a UTF-8 BOM: kept by edits (fmt removes it)
        self.written: list[str] = []  # the files written so far, each whole (said if a later one fails)

    def path_for(self, kind: str, rid: str, when: date | None = None) -> str:
        """Where a new record goes: sessions and drills in a <year>/ sub-folder (by start or
        date), unless the archive already keeps them flat; everything else in its folder."""
        folder = FOLDERS[kind]
        if RECORD_KINDS[kind].recursive and when is not None and self.index.layout(kind) == "year":
            return f"{folder}/{when.year:04d}/{rid}.toml"
        return f"{folder}/{rid}.toml"

    def problems(self, kind: str, rid: str, rel: str, data: dict) -> list[Problem]:
        """What `safetrain check` would say about `data` in family A: the spec
        (A002), then, on the record built from it, the integrity checks (A003-A009)."""
        problems = validate_table(data, RECORD_KINDS[kind].table) + _extra_problems(RawFile(kind, rel, rid, data), None)
        if problems:
            return problems
        record = build(RECORD_KINDS[kind].model, data, file=rel, **({} if kind == "config" else {"id": rid}))
        around = Surroundings(lambda pid: self.index.has("person", pid), self.index.holders, self.files.status,
                              self.today)
        known = getattr(record, "id_number", None)
        return [issue_problem(i, self.masks, known) for i in issues(kind, record, around)]

    @cached_property
    def settings(self):
        """The archive's settings (safetrain.toml's, read once; the defaults when it is unusable)."""
        from ..reading.loader import load_config
        from ..reading.models import Settings

        _, config = load_config(self.root)
        return config.settings if config is not None else Settings()

    @property
    def masks(self) -> bool:
        """Whether messages mask 身份证号: the archive's settings.mask_id_numbers (true when unreadable)."""
        return self.settings.mask_id_numbers

    def shown(self, text: str, person: str | None = None) -> str:
        """`text` as a message may print it: anything shaped like a 身份证号 masked (a certificate
        number is often one with a letter in front), and the `person`'s own id_number wherever it
        is in it (with a suffix after it, "64010419810305501X01", it is shaped like none), as
        check's messages mask them; unless the settings say not to."""
        from ..reading.gbcodes import mask_id_numbers_in

        if not self.masks:
            return str(text)
        return mask_id_numbers_in(str(text), self._id_number(person) if person is not None else None)

    def masker(self, pid: str):
        """`shown` for many texts about one person: their file read once."""
        from ..reading.gbcodes import mask_id_numbers_in

        if not self.masks:
            return str
        known = self._id_number(pid)
        return lambda text: mask_id_numbers_in(str(text), known)

    def _id_number(self, pid: str) -> str | None:
        """The person's id_number as their file gives it (None: none, or no readable file)."""
        known = None
        if self.index.rel("person", pid) is not None:
            try:
                known = self.read("person", pid)[2].get("id_number")
            except EditError:
                pass
        return known if isinstance(known, str) else None

    def check_new_id(self, kind: str, rid: str) -> None:
        """Refuse a malformed id, or one a record of `kind` already has (in any sub-folder)."""
        zh, en = RECORD_KINDS[kind].zh, RECORD_KINDS[kind].en
        if not is_id(rid):
            raise EditError(f"\"{rid}\" 不是有效编号（字母或数字开头，仅含字母、数字、. _ -，最长64位）",
                            f"\"{rid}\" is not a valid id (a letter or digit, then letters, digits, . _ -, at most 64)")
        if kind == "plan" and not (rid.isascii() and rid.isdigit() and len(rid) == 4):  # plans/<year>.toml
            raise EditError(f"计划以年度命名：\"{rid}\" 不是年度（如 2024）",
                            f"a plan is named after its year: \"{rid}\" is not a year (like 2024)")
        existing = self.index.rel(kind, rid)
        if existing:
            raise EditError(f"{zh}编号 {rid} 已存在：{existing}", f"{en} id {rid} already exists: {existing}", existing)
        same = next((other for other in self.index.ids(kind) if other.casefold() == rid.casefold()), None)
        if same is not None:  # one file on a system that does not tell case apart (Windows, macOS)
            existing = self.index.rel(kind, same)
            raise EditError(f"{zh}编号 {rid} 与已有的 {same}（{existing}）只有大小写不同，在不区分大小写的系统上是同一个文件",
                            f"{en} id {rid} differs from the existing {same} ({existing}) only in case: one file on "
                            "a system that does not tell case apart", existing)

    def _inside(self, rel: str) -> None:
        """Refuse to write `rel` where its folder is, through a symbolic link, outside the archive:
        `check` skips such a folder (A008), so the record would be written where nothing reads it."""
        root = os.path.realpath(self.root)
        folder = (self.root / rel).parent
        while not folder.exists() and folder != self.root:  # a folder the write will make
            folder = folder.parent
        real = os.path.realpath(folder)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            raise EditError(f"{rel}：所在文件夹是指向档案之外的符号链接（A008，check 会跳过它），未写入",
                            f"{rel}: its folder is a symbolic link out of the archive (A008, which check skips); "
                            "not written", rel)
        if os.path.islink(self.root / rel):
            raise EditError(*linked_record(rel), rel)

    def create(self, kind: str, rid: str, data: dict, when: date | None = None, header: tuple = ()) -> str:
        """Write a new record file; refuses an id the archive already has."""
        self.check_new_id(kind, rid)
        rel = self.path_for(kind, rid, when)
        text = render_record(kind, data, list(header))
        if tomllib.loads(text) != data:  # pragma: no cover - a bug in render_record
            raise EditError(f"{rel}：内部错误，生成的文本与数据不符", f"{rel}: internal error, the text does not match the data", rel)
        problems = self.problems(kind, rid, rel, data)
        if problems:
            raise refused(rel, problems)
        self._inside(rel)
        if not self.dry_run:
            try:
                write_new_bytes(self.root / rel, text.encode("utf-8"))
            except FileExistsError:
                raise EditError(f"{rel} 已存在，未覆盖", f"{rel} already exists; not overwritten", rel) from None
            self.written.append(rel)
        self.index.record(kind, rid, rel, data)
        return rel

    def read(self, kind: str, rid: str) -> tuple[str, str, dict]:
        """(rel, text, data) of an existing record; EditError when it is missing or unreadable."""
        rel = self.index.rel(kind, rid)
        if rel is None:
            raise EditError(*self.index.missing(kind, rid))
        try:
            raw = read_regular(self.root / rel)
            if raw.startswith(BOM):
                self._bom.add(rel)
            text = raw.decode("utf-8-sig")
            data = tomllib.loads(text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            from ..reading.reader import parse_file

            found = parse_file(kind, rel, raw, len(raw))  # check's own A001: where, in the language asked
            why_zh, why_en = (found.message_zh, found.message_en) if hasattr(found, "message_zh") else (str(exc),) * 2
            raise EditError(f"{rel} 不是有效的 UTF-8 TOML 文件（A001），请先修正：{why_zh}",
                            f"{rel} is not a valid UTF-8 TOML file (A001); fix it first: {why_en}", rel) from None
        except OSError as exc:
            from ...errors import os_reason

            why_zh, why_en = os_reason(exc)
            raise EditError(f"{rel} 无法读取：{why_zh}", f"{rel} cannot be read: {why_en}", rel) from None
        return rel, text, data

    def modify(self, kind: str, rid: str, edits: list) -> Change:
        """Apply `edits` to a record in place; refuses any result with a new problem."""
        rel, text, before = self.read(kind, rid)
        try:
            doc = TomlDoc(text)
        except EditRefused as exc:
            raise EditError(f"{rel}：{exc.zh}", f"{rel}: {exc.en}", rel) from None
        expected = copy.deepcopy(before)
        try:
            for edit in edits:
                edit.on_doc(doc, kind)
                edit.on_data(expected)
        except EditRefused as exc:
            raise EditError(f"{rel}：{exc.zh}", f"{rel}: {exc.en}", rel) from None
        after = doc.text()
        self._verify(rel, text, after, expected)
        known = {p.zh for p in self.problems(kind, rid, rel, before)}
        fresh = [p for p in self.problems(kind, rid, rel, expected) if p.zh not in known]
        if fresh:
            raise refused(rel, fresh)
        self._inside(rel)
        if not self.dry_run and after != text:
            write_bytes(self.root / rel, (BOM if rel in self._bom else b"") + after.encode("utf-8"))
            self.written.append(rel)
        self.index.record(kind, rid, rel, expected)
        return Change(rel, text, after)

    @staticmethod
    def _verify(rel: str, before: str, after: str, expected: dict) -> None:
        try:
            ok = tomllib.loads(after) == expected
        except tomllib.TOMLDecodeError:
            ok = False
        if not ok or not Counter(comments(after)) >= Counter(comments(before)):
            raise EditError(f"{rel}：无法安全地修改此文件（修改后的内容与预期不符），未写入；请先运行 safetrain fmt",
                            f"{rel}: cannot change this file safely (the result is not what was meant); nothing written; "
                            "run safetrain fmt first", rel)


@contextmanager
def editing(root: str | Path, dry_run: bool = False, timeout: float | None = None,
            today: date | None = None) -> Iterator[Editor]:
    """An Editor for the archive at or above `root`, holding its lock throughout. An archive
    of a newer format than this safetrain's is refused before anything is read or written."""
    from ..reading.loader import load_config

    root = archive_root(root)
    load_config(root)  # ARCHIVE-FORMAT (Versions): a newer format is refused, never half-read or written
    if dry_run:  # writes nothing, so takes no lock (and leaves no lock file in an archive it only read)
        yield Editor(root, dry_run, today)
        return
    with archive_lock(root, timeout):
        sweep_archive(root)  # what a killed write left anywhere in the archive, once it is ours to write
        ed = Editor(root, dry_run, today)
        try:
            yield ed
        except SafetrainError as exc:  # a write that fails after others (a full disk): those are said
            if ed.written:
                n, first = len(ed.written), ed.written[0]
                exc.zh += f"（此前已写入 {n} 个文件，各自完整，如 {first}）"
                exc.en += f" ({n} file(s) were written before it, each whole, e.g. {first})"
            raise

