"""The library's front door: load and check archives without the CLI.

    from safetrain.api import check_path
    result = check_path("sample_archive/hongshan-coal", as_of=date(2024, 6, 30))
    for f in result.findings: print(f.code, f.message("en"))
"""

from __future__ import annotations

import os
from pathlib import Path
from dataclasses import dataclass, field, fields
from functools import lru_cache
from datetime import date
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .archive.reading.discover import archive_root, discover, display_name
from .archive.reading.files import LocalFiles, MemoryFiles
from .archive.reading.gbcodes import masked_keys
from .archive.reading.loader import load, load_files, load_store, locate, snapshot
from .archive.reading.models import Archive
from .archive.reading.rulesets import RuleSetUnread, is_path, ruleset_tables
from .archive.reading.spec import MARKER
from .errors import SafetrainError
from .findings import Finding
from .lasting import kept, let_go
from .rules import RULES, RuleSet, build_ruleset, check
from .rules.context import Context
from .rules.catalog import removed_codes

DEFAULT_RULESET = "national"
#: new cache values from which they are written before the rules run rather than with the result (one commit less)
EARLY_WRITE_FROM = 1000
#: called with (archive, ruleset, as_of) once an archive is loaded, before the rules run
Meanwhile = Callable[[Archive, RuleSet, date], None]


@dataclass(frozen=True)
class Result:
    archive: Archive
    ruleset: RuleSet
    as_of: date
    findings: list[Finding]
    #: the rules' Context of this check (what they computed once: attendance by person, hours by year),
    #: for the documents made from the result; None when the result came from the cache
    context: Context | None = field(default=None, compare=False, repr=False)

    def view_context(self) -> Context:
        """The Context every view of this result shares (status, matrix, documents, the
        report): the rules' own, so what they computed once (attendance by person, hours by
        year, figures) is not computed again; for a result from the cache, one made now and
        kept for the next view."""
        if self.context is None:
            object.__setattr__(self, "context", Context(self.archive, self.ruleset, self.as_of))
        return self.context

    def person_keys(self) -> dict[str, str]:
        """Each person id shaped like a 身份证号 (an enterprise that numbers its people by them)
        -> the key an output that masks names that person by (gbcodes.masked_keys: the number
        masked, ~1, ~2 by the day of hiring where two mask alike): the exports' rows and the file
        names and titles of documents. The ids are the people read, and those named only by a
        finding (a person file that could not be read: its subject, or its file name). Empty for
        nearly every archive."""
        people = self.archive.people
        ids = set(people)
        for f in self.findings:
            ids.add(f.subject)
            for folder in ("people/", "mentorships/"):
                if f.file.startswith(folder) and f.file.endswith(".toml") and "/" not in f.file[len(folder):]:
                    ids.add(f.file[len(folder):-len(".toml")])
        hired = {pid: p.hired for pid, p in people.items()}
        return masked_keys(ids, order=lambda v: (v not in hired, hired.get(v) or date.min, v))


def ruleset_for(archive: Archive, name: str | None = None) -> RuleSet:
    """The rule set `archive` names (or `name`); national when safetrain.toml is unusable."""
    return _configured(archive.config, name, archive.files)[0]


def _configured(config, name: str | None, store) -> tuple[RuleSet, str]:
    """_ruleset of `name` (an option's), else of the one the archive's safetrain.toml names (one
    that cannot be had said of that file and key), else national."""
    if name is not None or config is None:
        return _ruleset(name or DEFAULT_RULESET, store)
    try:
        return _ruleset(config.ruleset, store)
    except RuleSetUnread as exc:
        if exc.name != config.ruleset:  # a file the rule set extends: said of that one
            raise
        raise SafetrainError(f"{MARKER}：`ruleset` {exc.zh}", f"{MARKER}: `ruleset`: {exc.en}") from None


def _ruleset(name: str, store) -> tuple[RuleSet, str]:
    """(the rule set `name` for an archive whose files are `store`, a digest of what it was built from)."""
    if not is_path(name):
        return _builtin_ruleset(name)
    return _built(*ruleset_tables(name, store))


def builtin_ruleset(name: str) -> RuleSet | None:
    """The built-in rule set of that name, as shipped; None when there is none."""
    from .archive.reading.rulesets import builtin_names

    return _builtin_ruleset(name)[0] if not is_path(name) and name in builtin_names() else None


@lru_cache(maxsize=None)
def _builtin_ruleset(name: str) -> tuple[RuleSet, str]:
    """A built-in rule set, read and built once per run, however many archives name it."""
    return _built(*ruleset_tables(name, None))


def waivable_codes() -> tuple[str, ...]:
    """The rule codes a waiver may name (the loader's test: known, not removed), for the schemas."""
    removed = removed_codes()
    return tuple(sorted(code for code in RULES if code not in removed))


def require_register(archive: Archive, findings: Iterable[Finding] = ()) -> None:
    """Refuse to make anything of `archive` when its safetrain.toml cannot be used (A001, or an
    A002 in a key the rules need): its enterprise and rule set are unknown, and documents, views
    or exports made under the national defaults would say what the archive does not. The error
    names the file and its first problem (from `findings`, the check's or the loader's)."""
    if archive.config is not None:
        return
    where = f"{archive.root}/{MARKER}" if archive.root else MARKER
    raise unknown_register(where, next((f for f in findings if f.file == MARKER and f.code in ("A001", "A002")), None))


def unknown_register(where: str, first: Finding | None = None) -> SafetrainError:
    """The one error for an archive whose safetrain.toml cannot be used (`first`: its first problem)."""
    zh = f"：{first.message_zh}" if first else ""
    en = f": {first.message_en}" if first else ""
    return SafetrainError(f"{where} 有错误{zh}；企业和规则集无法确定，此档案未处理：请先修正（safetrain check）",
                          f"{where} has errors{en}; the enterprise and its rule set are unknown, this archive was "
                          "left out: fix it first (safetrain check)")


class _ConfigOnly(LocalFiles):
    """An archive's folder seen as its safetrain.toml alone."""

    def listing(self):
        return [("config", MARKER)], []


def config_problem(root: str | os.PathLike) -> SafetrainError | None:
    """require_register's error for the archive at `root`, from its safetrain.toml alone (none
    of its records read); None when the file can be used."""
    from .archive.reading.loader import load_store

    archive, findings = load_store(_ConfigOnly(Path(root)), rule_codes=RULES.keys(), removed_codes=removed_codes())
    try:
        require_register(archive, findings)
    except SafetrainError as exc:
        return exc
    return None


def _built(data: dict, chain: list, origin: str) -> tuple[RuleSet, str]:
    import hashlib

    return build_ruleset(data, chain, origin), hashlib.sha256(repr((data, chain, origin)).encode()).hexdigest()


def load_archive(path: str | os.PathLike) -> tuple[Archive, list[Finding]]:
    """The archive at or above `path` and the loader's findings (A001, A002, A004, A008)."""
    return load(path, rule_codes=RULES.keys(), removed_codes=removed_codes())


def check_path(path: str | os.PathLike, as_of: date, *, cache: bool = False, staged: bool = False,
               **options) -> Result:
    """Load and check one archive on disk. With `cache`, what each file gave and the
    result itself are kept in the user's cache folder (archive/reading/cache.py):
    a re-run reads only the files that changed, and returns the same result. With
    `staged`, the archive's files as git's index holds them are checked (what the next
    commit will hold; no cache). `options`: select, ignore, ruleset, meanwhile
    (check_loaded; not called when the result comes from the cache). A command-line run
    keeps the result until it ends (lasting.py)."""
    let_go()  # the archive checked before, if one was kept: one in memory at a time
    if staged:
        return kept(check_staged(path, as_of, **options))
    if not cache:
        return kept(check_loaded(*load(path, rule_codes=RULES.keys(), removed_codes=removed_codes()), as_of, **options))
    from .archive.reading.cache import ArchiveCache

    root = archive_root(path)
    store = ArchiveCache.open(root, cache_tool())
    if store is None:  # no usable cache folder (or one inside an archive)
        return check_path(root, as_of, **options)
    try:
        snap = snapshot(LocalFiles(root), rule_codes=RULES.keys(), removed_codes=removed_codes(),
                        name=display_name(root), cache=store, write=False)
        return kept(_remembered(snap, store, as_of, **options))  # writes the cache
    finally:
        store.close()


def cache_tool() -> str:
    """This program's fingerprint in the cache (its version, source, parser and rule codes): every
    entry made under another is not used, and an archive's row made by another is emptied."""
    from .archive.reading.cache import tool_fingerprint

    return tool_fingerprint(RULES.keys(), removed_codes())


def _remembered(snap, store, as_of: date, *, select: Sequence[str] = (), ignore: Sequence[str] = (),
                ruleset: str | None = None, meanwhile: Meanwhile | None = None) -> Result:
    """The result of the check `snap` with these options, from the cache when it
    holds one made from the same files, rule set and options, and the files
    records point to still answer as they did."""
    import hashlib

    from .archive.reading.cache import dumps, loads

    config = snap.config.model
    name = ruleset or (config.ruleset if config else DEFAULT_RULESET)
    rs, made_of = _configured(config, ruleset, snap.store)
    key = hashlib.sha256(repr((snap.fingerprint, as_of.isoformat(), tuple(select), tuple(ignore), name,
                               made_of)).encode()).hexdigest()  # made_of: the rule set's own digest
    blob = store.result(key)
    if blob is not None:
        try:
            rows, consulted = loads(blob)
            findings = [Finding(*row) for row in rows]
        except Exception:  # a damaged or foreign value: the check runs
            findings, consulted = None, ()
        if findings is not None and all(snap.store.status(path, sha) == state for path, sha, state in consulted):
            store.write()  # files touched but unchanged: their new status
            return Result(snap.deferred(), rs, as_of, findings)
    archive, loaded = snap.load()
    if len(store.changed) >= EARLY_WRITE_FROM:  # many new values (a first run): written now, they need not stay
        store.write()                            # in memory while the rules run; a few wait for the result.
    if meanwhile is not None:  # after the write: a forked copy would keep the values written as its own pages
        meanwhile(archive, rs, as_of)            # (first ledger at 100k: 843 -> 788 MB with its copy, same time)
    asked: list = []
    snap.store.consulted = asked
    try:
        result = check_loaded(archive, loaded, as_of, select=select, ignore=ignore, ruleset=ruleset, _rs=rs)
    finally:
        snap.store.consulted = None
    rows = [tuple(getattr(f, n.name) for n in fields(Finding)) for f in result.findings]
    store.write((key, dumps((rows, tuple(asked)))))
    return result


def check_staged(path: str | os.PathLike, as_of: date, **options) -> Result:
    """Check the archive at or above `path` as git's index holds it (gitinfo.staged_files): what
    a pre-commit hook judges, untracked files and unstaged changes left out."""
    from .archive.reading.gitinfo import in_index, staged_files

    if in_index(path):  # its own safetrain.toml in the index, whatever the working folder has (a nested archive's
        root = Path(os.path.abspath(path))  # deleted unstaged: the folder above is another archive)
    else:
        root = archive_root(path)
    files = staged_files(root)
    if files is None:
        raise SafetrainError(f"{root}：档案不在 git 暂存区中（{MARKER} 未加入 git），--staged 无可检查",
                             f"{root}: the archive is not in git's index ({MARKER} is not added); --staged has "
                             "nothing to check")
    store = MemoryFiles(files)
    store.root = root  # the archive's folder, as outputs name it (GitHub annotations, JUnit files)
    archive, loaded = load_store(store, rule_codes=RULES.keys(), removed_codes=removed_codes(), name=display_name(root))
    return check_loaded(archive, loaded, as_of, **options)


def check_files(files: Mapping[str, str | bytes], as_of: date, **options) -> Result:
    """Check an archive held in memory: relpath -> file text, as on disk
    (`{"safetrain.toml": ..., "people/E1.toml": ...}`)."""
    return check_loaded(*load_files(files, rule_codes=RULES.keys(), removed_codes=removed_codes()), as_of, **options)


def check_loaded(archive: Archive, loaded: list[Finding], as_of: date, *, select: Sequence[str] = (),
                 ignore: Sequence[str] = (), ruleset: str | None = None, _rs: RuleSet | None = None,
                 meanwhile: Meanwhile | None = None) -> Result:
    """Apply the rule set to a loaded archive; line numbers filled in for the files with findings.
    `meanwhile(archive, ruleset, as_of)` is called before the rules run (what needs no findings
    may be started then: reports/ledger.py's Ahead)."""
    from .archive.reading.loader import quiet_gc

    rs = _rs or ruleset_for(archive, ruleset)
    if meanwhile is not None:
        meanwhile(archive, rs, as_of)
    ctx = Context(archive, rs, as_of)
    with quiet_gc():
        found = check(archive, rs, as_of, select=select, ignore=ignore, loaded=loaded, ctx=ctx)
        return Result(archive, rs, as_of, sorted(locate(archive, found), key=Finding.sort_key), ctx.kept())


def check_paths(paths: Iterable[str | os.PathLike], as_of: date, **options) -> Iterator[Result]:
    """Check every archive found at `paths` (archives, folders inside one, workspaces)."""
    for root in discover(paths):
        yield check_path(root, as_of, **options)


def ruleset_at(path: str | os.PathLike | None, name: str | None = None):
    """(RuleSet, Enterprise or None) for the archive at or above `path`, without
    loading its records; the named or national rule set when there is none. An archive whose
    safetrain.toml cannot be read (and no rule set named) is an error."""
    from .archive.reading.loader import load_config

    root, config = load_config(path) if path is not None else (None, None)
    if root is not None and config is None and name is None:  # its own rule set is unknown: never the national
        raise unknown_register(f"{root}/{MARKER}")             # one shown in its place as if it were the archive's
    return _configured(config, name, LocalFiles(root) if root is not None else None)[0], \
        (config.enterprise if config else None)
