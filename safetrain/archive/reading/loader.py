"""load(path) -> (Archive, [Finding]): read, validate and index one archive.

A pipeline in the manner of beancount: read files (A001), validate each table
against its spec (A002), then build immutable models and indexes. Data
problems are findings; only "cannot continue" raises SafetrainError. The
files come from a FileStore: the disk (`load`) or memory (`load_files`).
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Collection, Mapping

from ...errors import SafetrainError
from ...findings import Finding
from .build import build
from .discover import MARKER, archive_root, display_name, find_root
from .files import FileStore, LocalFiles, MemoryFiles
from .tomltext import key_lines, line_of
from .models import Archive, Config, Settings
from .reader import RawFile, read_file
from .spec import FOLDERS, RECORD_KINDS, kind_of_path
from .validate import Problem, dotted, validate_table

FORMAT_VERSION = 1


def load(path: str | os.PathLike, *, rule_codes: Collection[str] | None = None,
         removed_codes: Collection[str] = (), name: str | None = None) -> tuple[Archive, list[Finding]]:
    """Load the archive at or above `path`.

    `rule_codes`, when given, is the set of known rule codes: a waiver naming
    another code is an A002, which says so when the code is one of `removed_codes`.
    """
    root = archive_root(path)
    return load_store(LocalFiles(root), rule_codes=rule_codes, removed_codes=removed_codes,
                      name=name or display_name(root))


def load_files(files: Mapping[str, str | bytes], *, rule_codes: Collection[str] | None = None,
               removed_codes: Collection[str] = (), name: str = "memory") -> tuple[Archive, list[Finding]]:
    """Load an archive held in memory: relpath -> file text as it would be on
    disk (`{"safetrain.toml": ..., "people/E1.toml": ...}`); like beancount's
    `load_string`, for tests and sample archives."""
    return load_store(MemoryFiles(files), rule_codes=rule_codes, removed_codes=removed_codes, name=name)


def load_store(store: FileStore, *, rule_codes: Collection[str] | None = None, removed_codes: Collection[str] = (),
               name: str = "") -> tuple[Archive, list[Finding]]:
    files, findings = store.listing()
    codes = (frozenset(rule_codes), frozenset(removed_codes)) if rule_codes is not None else None
    config = read_file(store, *files[0])
    if isinstance(config, RawFile):
        _refuse_newer_format([config], store.root)
    checked = [(config, _problems(config, codes))] + _read_files(store, files[1:], codes)
    archive, more = _build(store, checked, findings, name)
    findings.extend(more)
    return archive, findings


#: Archives with more files than this are read by a pool of processes.
PARALLEL_MIN_FILES = 2000
Checked = tuple  # (RawFile | Finding, [Problem])


def _problems(got: RawFile | Finding, codes) -> list[Problem]:
    if isinstance(got, Finding):
        return []
    return validate_table(got.data, RECORD_KINDS[got.kind].table) + _extra_problems(got, codes)


def _read_chunk(store: FileStore, files: list[tuple[str, str]], codes) -> list[Checked]:
    out = []
    for kind, rel in files:
        got = read_file(store, kind, rel)
        out.append((got, _problems(got, codes)))
    return out


def _read_files(store: FileStore, files: list[tuple[str, str]], codes) -> list[Checked]:
    """Read, parse and validate files, on every core for a large archive (tomllib
    is pure Python, so parsing dominates); results keep the order of `files`."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_MIN_FILES or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _read_chunk(store, files, codes)
    n = workers * 4
    chunks = [files[i::n] for i in range(n)]
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            parts = list(pool.map(_read_chunk, [store] * n, chunks, [codes] * n))
    except (OSError, BrokenProcessPool):  # no processes allowed here: read them in this one
        return _read_chunk(store, files, codes)
    out: list[Checked] = [None] * len(files)  # type: ignore[list-item]
    for i, part in enumerate(parts):
        out[i::n] = part
    return out


def _refuse_newer_format(raws: list[RawFile], root: Path | None) -> None:
    for raw in raws:
        if raw.kind == "config":
            version = raw.data.get("format", FORMAT_VERSION)
            if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
                where = root / raw.rel if root is not None else raw.rel
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
                out.append(Problem(key, f"`{dotted(key)}` = {part:g} 超过本期培训学时 {hours:g}",
                                   f"`{dotted(key)}` = {part:g} is more than the session's {hours:g} 学时"))
    return out


def _none(raw: RawFile) -> list[Problem]:
    return []


def _person_problems(raw: RawFile) -> list[Problem]:
    """`away_since` belongs to a return; `review_every_years` to a special operation certificate."""
    out = []
    for i, ch in enumerate(_tables(raw.data.get("changes"))):
        if "away_since" in ch and ch.get("kind") != "return":
            key = ("changes", i, "away_since")
            out.append(Problem(key, f"`{dotted(key)}` 只用于复岗（kind = \"return\"）",
                               f"`{dotted(key)}` belongs to a return (kind = \"return\") only"))
    for i, c in enumerate(_tables(raw.data.get("certificates"))):
        if "review_every_years" in c and c.get("kind") != "special_operation":
            key = ("certificates", i, "review_every_years")
            out.append(Problem(key, f"`{dotted(key)}` 只用于特种作业操作证（kind = \"special_operation\"）",
                               f"`{dotted(key)}` belongs to a special operation certificate only"))
    return out


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


_KIND_PROBLEMS = {"person": _person_problems, "introduction": _introduction_problems, "plan": _plan_problems}


def _build(store: FileStore, checked: list[Checked], findings: list[Finding], name: str) -> tuple[Archive, list[Finding]]:
    out: list[Finding] = []
    excluded: dict[str, set[str]] = {k: set() for k in RECORD_KINDS}
    valid: list[RawFile] = []
    for f in findings:  # files that could not be listed
        kind = kind_of_path(f.file)
        if f.code in ("A001", "A002") and kind:
            excluded[kind].add(f.subject)
    for got, problems in checked:
        if isinstance(got, Finding):
            out.append(got)
            kind = kind_of_path(got.file)
            if kind:
                excluded[kind].add(got.subject)
        elif problems:
            subject = got.id or "enterprise"
            excluded[got.kind].add(subject)
            out.extend(Finding("A002", got.rel, subject, p.zh, p.en, key=p.key) for p in problems)
        else:
            valid.append(got)

    config = None
    for raw in valid:
        if raw.kind == "config":
            config = build(Config, raw.data, file=raw.rel)
    # a session without its own pass mark takes the archive's (60 when the settings give none)
    defaults = {"session": {"pass_mark": config.settings.pass_mark if config else Settings().pass_mark}}
    tables: dict[str, dict] = {k: {} for k in FOLDERS}
    firsts: dict[tuple[str, str], str] = {}
    for raw in valid:
        if raw.kind == "config":
            continue
        first = firsts.setdefault((raw.kind, raw.id), raw.rel)
        if first != raw.rel:
            out.append(Finding("A004", raw.rel, raw.id, f"编号 {raw.id} 重复：与 {first} 相同",
                               f"id {raw.id} is used twice: also {first}"))
            continue
        tables[raw.kind][raw.id] = build(RECORD_KINDS[raw.kind].model, raw.data, id=raw.id, file=raw.rel,
                                         **defaults.get(raw.kind, {}))
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
        root=store.root,
        files=store,
    )
    return archive, out


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


def load_config(path: str | os.PathLike) -> tuple[Path | None, Config | None]:
    """Only safetrain.toml of the archive at or above `path`: (root, config), each
    None when there is no archive or the file is unusable. For commands that need
    the enterprise's facts but not its records."""
    root = find_root(Path(path))
    if root is None:
        return None, None
    raw = read_file(LocalFiles(root), "config", MARKER)
    if isinstance(raw, Finding) or validate_table(raw.data, RECORD_KINDS["config"].table):
        return root, None
    _refuse_newer_format([raw], root)
    return root, build(Config, raw.data, file=raw.rel)
