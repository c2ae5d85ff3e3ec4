"""load(path) -> (Archive, [Finding]): read, validate and index one archive.

A pipeline in the manner of beancount: read files (A001), validate each table
against its spec (A002), then build immutable models and indexes. Data
problems are findings; only "cannot continue" raises SafetrainError. The
files come from a FileStore: the disk (`load`) or memory (`load_files`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Collection, Mapping

from ...errors import SafetrainError
from ...findings import ENTERPRISE, Finding
from ...numbers import score_text
from .build import build
from .cache import Entry, loads as cache_loads, signature
from .fastread import SHARED, packer, read, unpacker
from .discover import MARKER, archive_root, display_name, find_root
from .files import FileStore, LocalFiles, MemoryFiles
from .tomltext import key_lines, line_of
from .models import LEVEL_REQUIRED, Archive, Config, Settings, duplicate_key
from .reader import MAX_FILE_BYTES, RawFile, bad_name, parse_file, read_file, stem_of, unreadable
from .spec import FOLDERS, RECORD_KINDS, kind_of_path
from .tomlparse import loader
from .validate import Problem, dotted, validate_table

if TYPE_CHECKING:
    from .cache import ArchiveCache

FORMAT_VERSION = 1


def load(path: str | os.PathLike, *, rule_codes: Collection[str] | None = None,
         removed_codes: Collection[str] = (), name: str | None = None,
         cache: "ArchiveCache | None" = None) -> tuple[Archive, list[Finding]]:
    """Load the archive at or above `path`.

    `rule_codes`, when given, is the set of known rule codes: a waiver naming
    another code is an A002, which says so when the code is one of `removed_codes`.
    `cache` (cache.py) keeps what each file gave between runs.
    """
    root = archive_root(path)
    return snapshot(LocalFiles(root), rule_codes=rule_codes, removed_codes=removed_codes,
                    name=name or display_name(root), cache=cache).load()


def load_files(files: Mapping[str, str | bytes], *, rule_codes: Collection[str] | None = None,
               removed_codes: Collection[str] = (), name: str = "memory") -> tuple[Archive, list[Finding]]:
    """Load an archive held in memory: relpath -> file text as it would be on
    disk (`{"safetrain.toml": ..., "people/E1.toml": ...}`); like beancount's
    `load_string`, for tests and sample archives."""
    return load_store(MemoryFiles(files), rule_codes=rule_codes, removed_codes=removed_codes, name=name)


def load_store(store: FileStore, *, rule_codes: Collection[str] | None = None, removed_codes: Collection[str] = (),
               name: str = "") -> tuple[Archive, list[Finding]]:
    return snapshot(store, rule_codes=rule_codes, removed_codes=removed_codes, name=name).load()


@dataclass(slots=True)
class Prepared:
    """What one file gives the loader: unusable (`finding`: A001, or an A002 for
    its name), or its tables' A002 `problems`, or, when it has none, its `model`.
    For safetrain.toml, `format` is the value of its `format` key, whatever the
    rest holds. A session that gives no `pass_mark` takes the archive's
    (`default_pass_mark`), which may change without the session file."""

    kind: str
    rel: str
    id: str
    finding: Finding | None = None
    problems: tuple = ()
    model: object = None
    format: object = None
    default_pass_mark: bool = False

    def cached(self) -> tuple:
        """What the cache keeps: builtins and dates only (the model as its field values)."""
        f = self.finding
        model = None if self.model is None else packer(RECORD_KINDS[self.kind].model)(self.model)
        return (self.kind, self.rel, self.id,
                None if f is None else (f.code, f.file, f.subject, f.message_zh, f.message_en, f.line, f.column),
                tuple((q.key, q.zh, q.en) for q in self.problems), model, self.format, self.default_pass_mark)

    @classmethod
    def from_cache(cls, value: tuple) -> "Prepared":
        kind, rel, rid, finding, problems, model, fmt, default_pass_mark = value
        if finding is not None:
            code, file, subject, zh, en, line, column = finding
            finding = Finding(code, file, subject, zh, en, line=line, column=column)
        if model is not None:
            model = unpacker(RECORD_KINDS[kind].model)(model)
        return cls(kind, rel, rid, finding, tuple(Problem(*q) for q in problems), model, fmt, default_pass_mark)

    def built(self, pass_mark: float) -> "Prepared":
        """Itself, its session taking the archive's pass mark `pass_mark` if it gives none."""
        if self.default_pass_mark and self.model is not None and self.model.pass_mark != pass_mark:
            object.__setattr__(self.model, "pass_mark", pass_mark)
        return self


def _given(kind: str, rel: str, rid: str, pass_mark: float) -> dict:
    if kind == "config":
        return {"file": rel}
    return {"id": rid, "file": rel, "pass_mark": pass_mark} if kind == "session" else {"id": rid, "file": rel}


def _model(kind: str, rel: str, rid: str, data: dict, pass_mark: float) -> tuple[object, bool]:
    """(the model of a table, whether it was the plain valid case) — or (None, False)."""
    given = _given(kind, rel, rid, pass_mark)
    model = read(RECORD_KINDS[kind].model, data, given)  # the common, valid case in one pass
    if model is not None:
        return model, True
    return None, False


def _prepare(got: RawFile | Finding, codes, pass_mark: float) -> Prepared:
    if isinstance(got, Finding):
        kind = kind_of_path(got.file) or "config"
        return Prepared(kind, got.file, got.subject if kind != "config" else "", finding=got)
    spec = RECORD_KINDS[got.kind]
    model, plain = _model(got.kind, got.rel, got.id, got.data, pass_mark)
    problems = tuple(_extra_problems(got, codes) if plain else
                     validate_table(got.data, spec.table) + _extra_problems(got, codes))
    out = Prepared(got.kind, got.rel, got.id, problems=problems,
                   default_pass_mark=got.kind == "session" and "pass_mark" not in got.data)
    if got.kind == "config":
        out.format = got.data.get("format", FORMAT_VERSION)
    if not problems:
        out.model = model if plain else build(spec.model, got.data, **_given(got.kind, got.rel, got.id, pass_mark))
    elif got.kind == "config":
        out.model = config_in_part(got.data, problems, got.rel)
    return out


def config_in_part(data: dict, problems, rel: str = MARKER) -> Config | None:
    """safetrain.toml whose A002s are all in keys it can do without (an unknown key, a
    mistyped optional one, a waiver): the rest of it, without its waivers, so the rules can
    judge everything else by its rule set and industry (RULES.md: the file with the A002
    is left out, "everything else is judged"); None when a required key is missing or wrong."""
    import copy

    table = RECORD_KINDS["config"].table
    kept = copy.deepcopy(data)
    kept.pop("waivers", None)  # the file is left out: its waivers silence nothing
    for q in problems:
        spec, parent = table, kept
        for i, part in enumerate(q.key):
            if i == 0 and part == "waivers":
                break
            if not isinstance(part, str) or not isinstance(parent, dict):
                return None  # inside a list: the file is unusable
            field = spec.fields.get(part)
            child = parent.get(part)
            if i == len(q.key) - 1 or field is None or field.table is None or not isinstance(child, dict):
                if part in spec.required:
                    return None  # a key the rules need
                parent.pop(part, None)  # the key (or the table it is in) as if it were not written
                break
            spec, parent = field.table, child  # into a table (`[enterprise]`): its optional keys can go
    if validate_table(kept, table):
        return None
    return build(Config, kept, file=rel)


class Snapshot:
    """Every file of an archive as prepared (from the cache where a file is
    unchanged: (kind, relpath, its cache Entry) until it is needed), and a
    fingerprint of their contents; `load()` builds the Archive."""

    def __init__(self, store: FileStore, name: str, listed: list[Finding], items: list, fingerprint: str | None,
                 config: Prepared, codes=None):
        self.store, self.name, self.listed, self.items = store, name, listed, items
        self.fingerprint, self.config, self.codes = fingerprint, config, codes

    def prepared(self) -> list[Prepared]:
        """Every file as prepared, once: each cache value is let go as soon as it is decoded
        (100,000 people's values are ~90 MB that need not sit beside their models)."""
        pass_mark = _pass_mark(self.config)
        items, self.items, out = self.items, None, []
        for i, item in enumerate(items):
            items[i] = None
            out.append((item if isinstance(item, Prepared) else self._decoded(*item)).built(pass_mark))
        return out

    def _decoded(self, kind: str, rel: str, entry) -> Prepared:
        """A cached value; the file read again if the value is not one the cache writes."""
        try:
            return Prepared.from_cache(cache_loads(entry.blob, entry.chk))
        except Exception:  # never trusted: the file itself says what it holds
            return _prepare(read_file(self.store, kind, rel), self.codes, _pass_mark(self.config))

    def load(self) -> tuple[Archive, list[Finding]]:
        """The Archive, once: the prepared files (and the cache values they were read from)
        are let go, their records being in the archive now."""
        try:
            with quiet_gc():
                built = _build(self.store, self.prepared(), list(self.listed), self.name)
        finally:
            SHARED.clear()  # the archive's records hold the values now
        self.items = None
        return built

    def deferred(self) -> Archive:
        """The archive, its records read only when something asks for them
        (a re-run whose result came from the cache needs no more than its name)."""
        archive = object.__new__(_Deferred)
        for attr, value in (("name", self.name), ("config", self.config.model), ("root", self.store.root),
                            ("files", self.store), ("_snapshot", self)):
            object.__setattr__(archive, attr, value)
        return archive


class _Deferred(Archive):
    """An Archive whose records are loaded from its Snapshot on first use."""

    def __getattr__(self, attr: str):  # called only for what is not set yet
        snap = self.__dict__.get("_snapshot")
        if snap is None or attr.startswith("__"):
            raise AttributeError(attr)
        archive, _ = snap.load()
        for f in fields(Archive):
            object.__setattr__(self, f.name, getattr(archive, f.name))
        object.__setattr__(self, "_snapshot", None)
        return getattr(self, attr)


def snapshot(store: FileStore, *, rule_codes: Collection[str] | None = None, removed_codes: Collection[str] = (),
             name: str = "", cache: "ArchiveCache | None" = None, write: bool = True) -> Snapshot:
    """Read the files of `store`: every one, or, with a cache, only those that changed
    (written to it now, or with `write=False` by the caller's `cache.write`)."""
    codes = (frozenset(rule_codes), frozenset(removed_codes)) if rule_codes is not None else None
    SHARED.clear()  # a new archive: nothing of one read before
    try:
        with quiet_gc():
            files, listed = store.listing()
            loads = loader()
            if cache is None or not isinstance(store, LocalFiles):
                config = _prepare(read_file(store, *files[0], loads), codes, Settings().pass_mark)
                _refuse_newer_format(config, store.root)
                pass_mark = _pass_mark(config)
                items = [config] + [_prepare(read_file(store, kind, rel, loads), codes, pass_mark)
                                    for kind, rel in files[1:]]
                return Snapshot(store, name, listed, items, None, config)
            return _cached_snapshot(store, files, listed, codes, name, cache, loads, write)
    except BaseException:
        SHARED.clear()  # no archive will be built from what was read
        raise


def _pass_mark(config: Prepared) -> float:
    """A session without its own pass mark takes the archive's (60 when the settings give none)."""
    return config.model.settings.pass_mark if config.model is not None else Settings().pass_mark


#: changed files from which a forked copy of this process reads half of them (on two cores or more)
READ_IN_TWO_FROM = 2000


def _cached_snapshot(store: LocalFiles, files, listed, codes, name: str, cache: "ArchiveCache", loads,
                     write: bool) -> Snapshot:
    from ...forked import Forked

    entries = cache.entries()
    now = time.time_ns()
    pass_mark = Settings().pass_mark
    # safetrain.toml (files[0]) first: its settings give the sessions' pass mark
    config, config_digest = _cached_file(store, *files[0], entries.get(MARKER), now, cache, codes, pass_mark, loads)
    if not isinstance(config, Prepared):
        try:
            config = Prepared.from_cache(cache_loads(config.blob, config.chk))
        except Exception:  # not a value the cache writes: read the file
            config, config_digest = _cached_file(store, *files[0], None, now, cache, codes, pass_mark, loads)
    config = config.built(pass_mark)
    _refuse_newer_format(config, store.root)
    pass_mark = _pass_mark(config)
    done: list = [(config, config_digest)] + [None] * (len(files) - 1)  # (prepared or entry, digest)
    changed = []
    at = f"{store.root}/"
    for i in range(1, len(files)):
        entry = entries.get(files[i][1])
        if entry is not None and _unchanged(at + files[i][1], entry, now):
            done[i] = (entry, entry.digest)
        else:
            changed.append(i)
    mine, theirs, job = changed, [], None
    if len(changed) >= READ_IN_TWO_FROM:  # a first run: a forked copy reads every other file meanwhile
        job = Forked.start(_read_part, store, files, changed[1::2], entries, now, codes, pass_mark, loads)
        if job is not None:  # every other: people and sessions (larger) shared alike
            mine, theirs = changed[0::2], changed[1::2]
    for i in mine:
        done[i] = _read_changed(store, *files[i], entries.get(files[i][1]), now, cache, codes, pass_mark, loads)
    if job is not None:
        part = job.result()
        if part is None or len(part) != len(theirs):  # the copy failed: its files are read here
            part = [None] * len(theirs)
        for i, sent in zip(theirs, part):
            rel = files[i][1]
            if sent is None:
                done[i] = _read_changed(store, *files[i], entries.get(rel), now, cache, codes, pass_mark, loads)
                continue
            dig, prepared, new = sent
            if new is not None:
                cache.put(rel, Entry(*new))
            done[i] = (prepared if prepared is not None else cache.changed.get(rel) or entries[rel], dig)
    fingerprint = hashlib.sha256()
    items: list = []
    for (kind, rel), (got, dig) in zip(files, done):
        items.append(got if isinstance(got, Prepared) else (kind, rel, got))
        fingerprint.update(f"{rel}\0".encode("utf-8", "surrogatepass") + dig)  # a name a file system gave undecoded too
    for f in listed:
        fingerprint.update(f"{f.code}|{f.file}|{f.message_en}\0".encode("utf-8", "surrogatepass"))  # its words too
    cache.drop(set(entries) - {rel for _, rel in files})
    if write:
        cache.write()
    return Snapshot(store, name, listed, items, fingerprint.hexdigest(), config, codes)


class _Puts:
    """What a forked reader's files would put in the cache, kept to be sent back."""

    def __init__(self):
        self.changed: dict = {}

    def put(self, rel: str, entry) -> None:
        self.changed[rel] = entry


def _read_part(store: LocalFiles, files, part: list[int], entries, now: int, codes, pass_mark, loads) -> list:
    """In a forked copy: the files `part` indexes read as _read_changed reads them, each sent
    back as (digest, the Prepared when it is no cache value else None, its new cache
    entry's fields or None): the parent keeps exactly what reading them itself would give."""
    puts = _Puts()
    out = []
    for i in part:
        kind, rel = files[i]
        got, dig = _read_changed(store, kind, rel, entries.get(rel), now, puts, codes, pass_mark, loads)
        new = puts.changed.pop(rel, None)
        cached = new is not None or not isinstance(got, Prepared)  # got is a value of the cache, or an entry
        out.append((dig, None if cached else got,
                    (new.sig, new.digest, new.blob, new.chk) if new is not None else None))
    return out


def _unchanged(path: str, entry, now: int) -> bool:
    """The file at `path` has the status its entry was made from."""
    if entry.sig is None:
        return False
    try:
        return signature(os.stat(path), now) == entry.sig
    except OSError:
        return False


def _cached_file(store: LocalFiles, kind: str, rel: str, entry, now: int, cache: "ArchiveCache", codes, pass_mark,
                 loads) -> tuple[Prepared | "Entry", bytes]:
    """(the file as prepared, or its cache entry; its digest): the entry when the file's
    status is the one it was made from, or its content is; else the file read and parsed."""
    if entry is not None and _unchanged(f"{store.root}/{rel}", entry, now):
        return entry, entry.digest
    return _read_changed(store, kind, rel, entry, now, cache, codes, pass_mark, loads)


def _read_changed(store: LocalFiles, kind: str, rel: str, entry, now: int, cache, codes, pass_mark,
                  loads) -> tuple[Prepared | "Entry", bytes]:
    """A file whose status is not its entry's: the entry when its content is still the
    entry's (the new status put in the cache), else the file read, parsed and put."""
    from .cache import digest, dumps, signature

    bad = bad_name(kind, rel)
    if bad is not None:
        return Prepared(kind, rel, stem_of(kind, rel), finding=bad), b"name"
    try:
        raw, size, st = store.read_stat(rel, MAX_FILE_BYTES)
    except OSError as exc:
        # the finding's words (the system's reason) are what the result is remembered by: a missing
        # file turned into a pipe is told with the new reason, not the one a cached result held
        finding = unreadable(kind, rel, exc)
        why = f"unreadable\0{finding.message_zh}\0{finding.message_en}".encode("utf-8", "surrogateescape")
        return Prepared(kind, rel, stem_of(kind, rel), finding=finding), why
    sig = signature(st, now)
    dig = digest(raw) + size.to_bytes(8, "little")
    if entry is not None and entry.digest == dig:
        if sig != entry.sig:
            cache.put(rel, Entry(sig, dig, entry.blob, entry.chk))
        return entry, dig
    got = _prepare(parse_file(kind, rel, raw, size, loads), codes, pass_mark)
    cache.put(rel, Entry(sig, dig, dumps(got.cached())))
    return got, dig


@contextmanager
def quiet_gc():
    """The cyclic garbage collector off while tens of thousands of acyclic values are
    made (it would walk them again and again for nothing); on again after, with what
    was made set aside (`gc.freeze`: values are still freed when no longer used, the
    collector only stops walking them)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def _refuse_newer_format(config: Prepared, root: Path | None) -> None:
    version = config.format
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        where = root / config.rel if root is not None else config.rel
        raise SafetrainError(
            f"{where}：档案格式版本 {version} 高于本程序支持的版本 {FORMAT_VERSION}，请升级 safetrain",
            f"{where}: archive format {version} is newer than this safetrain supports ({FORMAT_VERSION}); upgrade safetrain",
        )


def _extra_problems(raw: RawFile, rule_codes: tuple[frozenset, frozenset] | None) -> list[Problem]:
    """What the spec alone cannot say: blank waiver reasons, unknown or removed waived rules,
    partial hours. `rule_codes`: (known codes, removed codes), or None not to look."""
    out: list[Problem] = []
    waivers = raw.data.get("waivers", ())
    for i, w in enumerate(waivers if isinstance(waivers, list) else ()):
        if not isinstance(w, dict):
            continue
        reason, rule = w.get("reason"), w.get("rule")
        key = ("waivers", i)
        if isinstance(reason, str) and not reason.strip():
            out.append(Problem(key + ("reason",), f"`{dotted(key)}` 的豁免理由为空", f"`{dotted(key)}` has an empty reason"))
        if rule_codes is not None and isinstance(rule, str) and rule in rule_codes[1]:
            out.append(Problem(key + ("rule",), f"`{dotted(key)}.rule` = \"{rule}\" 规则已移除，此豁免不再起作用，请删除",
                               f"`{dotted(key)}.rule` = \"{rule}\": the rule was removed; this waiver does nothing, "
                               "remove it"))
        elif rule_codes is not None and isinstance(rule, str) and rule not in rule_codes[0]:
            out.append(Problem(key + ("rule",), f"`{dotted(key)}.rule` = \"{rule}\" 不是已知的规则代码",
                               f"`{dotted(key)}.rule` = \"{rule}\" is not a known rule code"))
    out += _KIND_PROBLEMS.get(raw.kind, _none)(raw)
    attendees = raw.data.get("attendees", ()) if raw.kind == "session" else ()
    if isinstance(attendees, list):
        hours = raw.data.get("hours")
        for i, a in enumerate(attendees):
            part = a.get("hours") if isinstance(a, dict) else None
            if isinstance(part, (int, float)) and isinstance(hours, (int, float)) and part > hours:
                key = ("attendees", i, "hours")
                part_text, hours_text = score_text(part), score_text(hours)
                out.append(Problem(key, f"`{dotted(key)}` = {part_text} 超过本期培训学时 {hours_text}",
                                   f"`{dotted(key)}` = {part_text} is more than the session's {hours_text} hours"))
    return out


def _none(raw: RawFile) -> list[Problem]:
    return []


def _person_problems(raw: RawFile) -> list[Problem]:
    """`review_every_years` belongs to a special operation certificate. (`away_since` means something
    for a return only, but ARCHIVE-FORMAT's own example writes it on a transfer: accepted, unread.)"""
    out = []
    for i, c in enumerate(_tables(raw.data.get("certificates"))):
        if "review_every_years" in c and c.get("kind") != "special_operation":
            key = ("certificates", i, "review_every_years")
            out.append(Problem(key, f"`{dotted(key)}` 只用于特种作业操作证（kind = \"special_operation\"）",
                               f"`{dotted(key)}` belongs to a special operation certificate only"))
    return out


def _session_problems(raw: RawFile) -> list[Problem]:
    """ARCHIVE-FORMAT: `level` is required for pre-job and transfer training."""
    kind = raw.data.get("type")
    if kind in LEVEL_REQUIRED and "level" not in raw.data:
        return [Problem(("level",), f"缺少必填键 `level`（{'岗前培训' if kind == 'pre_job' else '调岗/复岗培训'}必填："
                                    "company 公司级、workshop 车间级或 team 班组级）",
                        f"required key `level` is missing (required for {'pre-job' if kind == 'pre_job' else 'transfer'} "
                        "training: company, workshop or team)")]
    return []


def _introduction_problems(raw: RawFile) -> list[Problem]:
    """ARCHIVE-FORMAT: departments, posts, or both; at least one entry."""
    if raw.data.get("departments") or raw.data.get("posts"):
        return []
    return [Problem(("departments",), "`departments` 与 `posts` 至少要列出一项（使用它的部门或岗位）",
                    "`departments` and `posts` list nothing: name at least one department or post that works with it")]


def _plan_problems(raw: RawFile) -> list[Problem]:
    """ARCHIVE-FORMAT: `year` must equal the file's stem (plans/2024.toml holds year = 2024)."""
    year = raw.data.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and str(year) != raw.id:
        return [Problem(("year",), f"`year` = {year} 与文件名 {raw.rel} 不符（计划文件以年度命名，如 plans/{year}.toml）",
                        f"`year` = {year} does not match the file name {raw.rel} (name it plans/{year}.toml)")]
    return []


def _tables(value) -> list[dict]:
    """The tables of an array of tables, each at its position (anything else as an empty table)."""
    return [v if isinstance(v, dict) else {} for v in value] if isinstance(value, list) else []


_KIND_PROBLEMS = {"person": _person_problems, "session": _session_problems, "introduction": _introduction_problems,
                  "plan": _plan_problems}


def _build(store: FileStore, prepared: list[Prepared], findings: list[Finding], name: str) -> tuple[Archive, list[Finding]]:
    excluded: dict[str, set[str]] = {k: set() for k in RECORD_KINDS}
    unread: set[str] = set()
    for f in findings:  # files that could not be listed
        kind = kind_of_path(f.file)
        if f.code in ("A001", "A002") and kind:
            excluded[kind].add(f.subject)
        elif f.code == "A001" and f.file.endswith("/"):  # a folder that could not be read: its ids unknown
            unread.update(k for k, spec in RECORD_KINDS.items()
                          if spec.folder and f.file.split("/", 1)[0] == spec.folder)
    config = None
    tables: dict[str, dict] = {k: {} for k in FOLDERS}
    firsts: dict[tuple[str, str], str] = {}
    for p in prepared:
        if p.finding is not None:
            findings.append(p.finding)
            if p.kind != "config":
                excluded[p.kind].add(p.id)
        elif p.problems:
            subject = p.id or ENTERPRISE
            excluded[p.kind].add(subject)
            findings.extend(Finding("A002", p.rel, subject, q.zh, q.en, key=q.key) for q in p.problems)
            if p.kind == "config":
                config = p.model  # what of it can be used, or None (config_in_part)
        elif p.kind == "config":
            config = p.model
        else:
            first = firsts.setdefault((p.kind, p.id.casefold()), p.rel)
            if first != p.rel:  # still judged: only A001/A002 leave a file out
                if first.rsplit("/", 1)[-1] == p.rel.rsplit("/", 1)[-1]:  # the same id twice (sessions/**, drills/**)
                    findings.append(Finding("A004", p.rel, p.id, f"编号 {p.id} 重复：与 {first} 相同",
                                            f"id {p.id} is used twice: also {first}"))
                    tables[p.kind][duplicate_key(p.id, p.rel)] = p.model  # no record can name it by its id
                    continue
                # E1 and e1: two ids here, one file where case is not told apart (Windows, macOS)
                if first.rsplit("/", 1)[0] == p.rel.rsplit("/", 1)[0]:
                    why = ("在不区分大小写的系统上是同一个文件", "one file on a system that does not tell case apart")
                else:  # sessions/2023/X-1.toml and sessions/2024/x-1.toml: two files anywhere, one id
                    why = ("同类记录的编号不能只差大小写：引用时无法区分，放进同一文件夹时在不区分大小写的系统上会是同一个文件",
                           "ids of one kind must differ in more than case: a reference cannot tell them apart, and in "
                           "one folder, on a system that does not tell case apart, they would be one file")
                findings.append(Finding("A004", p.rel, p.id, f"编号 {p.id} 与 {first} 只有大小写不同（{why[0]}）",
                                        f"id {p.id} differs from {first} only in case ({why[1]})"))
            tables[p.kind][p.id] = p.model
    archive = Archive(
        name=name,
        config=config,
        people=MappingProxyType(tables["person"]),
        sessions=MappingProxyType(tables["session"]),
        drills=MappingProxyType(tables["drill"]),
        mentorships=MappingProxyType(tables["mentorship"]),
        introductions=MappingProxyType(tables["introduction"]),
        plans=MappingProxyType(tables["plan"]),
        excluded=MappingProxyType({k: frozenset(v) for k, v in excluded.items()}),
        unread=frozenset(unread),
        root=store.root,
        files=store,
    )
    return archive, findings


def locate(archive: Archive, findings: list[Finding]) -> list[Finding]:
    """Fill in line numbers, reading only the files that have findings."""
    need = {f.file for f in findings if f.line is None and f.key}
    if not need or archive.files is None:
        return findings
    lines = {}
    for rel in need:
        text = archive.files.text(rel)
        lines[rel] = key_lines(text) if text is not None else {}
    out = []
    for f in findings:
        if f.line is None and f.key and f.file in lines:
            line = line_of(lines[f.file], f.key)
            if line is not None:
                f = replace(f, line=line)
        out.append(f)
    return out


def format_version(root: Path) -> int | None:
    """The format version the archive at `root` is of, as its safetrain.toml states it (the
    format's default, 1, when it states none), whatever else that file holds (a code of no
    meaning, a key missing: A002s, which fmt may lay out as any other file); None when the file
    cannot be read (A001) or its `format` is no version (not a whole number from 1). A newer
    version is refused, as `load_config` refuses it."""
    raw = read_file(LocalFiles(root), "config", MARKER)
    if isinstance(raw, Finding):
        return None
    version = raw.data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return None
    _refuse_newer_format(Prepared("config", raw.rel, "", format=version), root)
    return version


def load_config(path: str | os.PathLike) -> tuple[Path | None, Config | None]:
    """Only safetrain.toml of the archive at or above `path`: (root, config), each
    None when there is no archive or the file is unusable. For commands that need
    the enterprise's facts but not its records."""
    root = find_root(Path(path))
    if root is None:
        return None, None
    raw = read_file(LocalFiles(root), "config", MARKER)
    if isinstance(raw, Finding):
        return root, None
    problems = validate_table(raw.data, RECORD_KINDS["config"].table)
    _refuse_newer_format(Prepared("config", raw.rel, "", format=raw.data.get("format", FORMAT_VERSION)), root)
    if problems:
        return root, config_in_part(raw.data, problems, raw.rel)
    return root, build(Config, raw.data, file=raw.rel)
