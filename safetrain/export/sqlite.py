"""Checked archives to one SQLite database (stdlib sqlite3 only).

The database is built in a temporary file next to OUT and moved over it only
when complete, so a failed export leaves an existing OUT as it was. Each
column's comment is in its CREATE TABLE statement, which every SQLite client
(and Datasette) shows, so the file documents itself. The same archives give
the same content.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from itertools import chain
from typing import Iterable

from ..api import Result
from ..archive.writing.atomic import fsync_file, replacing
from ..batches import batched
from ..errors import SafetrainError, os_reason
from .tables import SCHEMA, TABLES, ExportTable, Source, rows, source, sources


#: PRAGMA application_id of every export ("SAFT"): how the next export knows the file is one
APPLICATION_ID = 0x53414654


def written_by_safetrain(path) -> bool:
    """An earlier export left as it was: a SQLite file with our application id whose change
    counter is still the one it was sealed with (`_seal`: an analyst's table added since,
    or a switch to WAL, makes it theirs), or (exports made before either was set) one
    holding every table of the export."""
    with open(path, "rb") as fh:
        header = fh.read(100)
    if not header.startswith(b"SQLite format 3\0") or len(header) < 100:
        return False
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        sealed = int.from_bytes(header[60:64], "big")  # user_version: 0 in an export made before the seal
        return sealed == 0 or (sealed == int.from_bytes(header[24:28], "big") and header[18:20] == b"\1\1")
    from pathlib import Path

    try:
        db = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)
        try:
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return {t.name for t in SCHEMA} <= names


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _names(columns: Iterable[str]) -> str:
    return ", ".join(_quote(c) for c in columns)


def create_table_sql(table: ExportTable) -> str:
    """CREATE TABLE with one line per column, each with its comment."""
    parts = []
    for c in table.columns:
        parts.append(f"{_quote(c.name)} {c.type}" + (" NOT NULL" if c.required else ""))
    parts.append(f"PRIMARY KEY ({_names(table.key)})")
    for fk in table.foreign_keys:
        parts.append(f"FOREIGN KEY ({_names(fk.columns)}) REFERENCES {_quote(fk.table)} ({_names(fk.references)})")
    notes = [f"  -- {c.sqlite_doc}" + (f" [labels: {c.codes}]" if c.codes else "") for c in table.columns]
    notes += [""] * (len(parts) - len(notes))
    lines = [f"  {part}{',' if i < len(parts) - 1 else ''}{note}" for i, (part, note) in enumerate(zip(parts, notes))]
    return (f"CREATE TABLE {_quote(table.name)} ( -- {table.doc}\n" + "\n".join(lines) + "\n)"
            + (" WITHOUT ROWID" if table.without_rowid else ""))


def create_index_sql(table: ExportTable) -> list[str]:
    return [f"CREATE INDEX {_quote('idx_' + table.name + '_' + '_'.join(cols))} ON {_quote(table.name)} ({_names(cols)})"
            for cols in table.indexes]


@dataclass(frozen=True)
class Written:
    archives: int
    counts: dict  # table -> rows


#: bytes per page: 16 KiB pages take a tenth less time to fill with 600,000 attendance rows
#: and index them than SQLite's default 4 KiB, for a file of the same size
PAGE_SIZE = 16384
#: the tables made from the rules' results (the others, the record tables, need none of them)
AFTER_RULES = ("findings", "labels")
#: fewer people and sessions than this: the record tables are written here, not ahead (a copy costs more)
AHEAD_MIN = 5000


def _nothing() -> SafetrainError:
    """No archive could be read: an earlier export is left as it is, never replaced by an empty one."""
    return SafetrainError("没有可导出的档案，数据库未写入", "no archive could be exported; the database was not written")


def write_database(path: str | os.PathLike, results: Iterable[Result], *, unmasked: bool = False) -> Written:
    """Write every archive of `results` to the SQLite database at `path`, replacing it atomically."""
    srcs = sources(results, unmasked)
    return write_sources(path, srcs, single=len(srcs) <= 1)


def write_sources(path: str | os.PathLike, srcs: Iterable[Source], *, single: bool = False,
                  ahead: "Ahead | None" = None, left_out: Iterable[str] = ()) -> Written:
    """Write each archive of `srcs` (in name order: `sources`, or a workspace streamed one
    archive at a time, each dropped when its rows are in) to the database at `path`.
    `single`: `srcs` holds at most one archive; so it does with `ahead`, which may be
    writing its record tables already (its `start` is the check's `meanwhile`). One
    archive gives the same file, byte for byte, whichever process wrote them.
    `left_out`: the `archive` names of those that could not be read, filled as `srcs`
    is gone through: when the database at `path` holds one of them, it is left as it was
    (a SafetrainError): an archive broken this week does not lose last week's rows."""
    if os.path.isdir(path):
        raise SafetrainError(f"{path} 是目录，不能作为数据库文件", f"{path} is a folder, not a database file")
    try:
        with replacing(path) as tmp:
            if ahead is None and not single:
                written = _write_all(tmp, srcs)
            else:
                ahead = ahead or Ahead(None)
                ahead.into(tmp)
                try:
                    written = _write_one(tmp, srcs, ahead)
                finally:
                    ahead.cancel()
            _keep_earlier(path, left_out)
            _seal(tmp)
            return written
    except (OSError, sqlite3.Error) as exc:
        if isinstance(exc, OSError):
            zh, en = os_reason(exc)
        else:
            name = "_".join((getattr(exc, "sqlite_errorname", None) or "").split("_")[:2])  # SQLITE_IOERR_WRITE: IOERR
            zh, en = _SQLITE_ZH.get(name, str(exc)), str(exc)
        raise SafetrainError(f"无法写入数据库 {path}：{zh}", f"cannot write database {path}: {en}") from None


def _seal(tmp) -> None:
    """The last write of an export: user_version set to the change counter this write leaves in
    the header, which every later write transaction (anyone's) moves on; written_by_safetrain
    compares the two."""
    with open(tmp, "rb") as fh:
        counter = int.from_bytes(fh.read(100)[24:28], "big")
    db = _open(tmp)
    try:
        db.execute(f"PRAGMA user_version = {counter + 1}")
    finally:
        db.close()


def _keep_earlier(path, left_out: Iterable[str]) -> None:
    """Refuse to replace the earlier export at `path` when it holds an archive of `left_out`."""
    names = sorted(set(left_out))
    if not names or not os.path.isfile(path):
        return
    held = held_archives(path, names)
    if held:
        shown = "、".join(held)
        raise SafetrainError(
            f"{path} 未替换：其中已导出的档案 {shown} 这次无法读取（见上），替换会丢失它的数据；请修正后重新导出，"
            "或只导出其他档案",
            f"{path} was not replaced: it holds {', '.join(held)}, which could not be read this time (see above) "
            "and whose rows replacing it would lose; fix it and export again, or export the other archives only")


def held_archives(path, names: list[str]) -> list[str]:
    """Those of `names` that the SQLite export at `path` holds rows of (none if it cannot be read)."""
    from pathlib import Path

    try:
        db = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)
        try:
            marks = ", ".join("?" * len(names))
            return [name for (name,) in db.execute(
                f"SELECT archive FROM enterprises WHERE archive IN ({marks}) ORDER BY archive", names)]
        finally:
            db.close()
    except sqlite3.Error:
        return []


#: what a user can cause, by SQLite's error name, in Chinese (a Chinese message carries no English)
_SQLITE_ZH = {"SQLITE_FULL": "磁盘空间不足", "SQLITE_IOERR": "读写错误（磁盘已满或文件超出大小限制？）",
              "SQLITE_READONLY": "数据库文件只读", "SQLITE_CANTOPEN": "无法打开数据库文件"}


def _open(tmp) -> sqlite3.Connection:
    db = sqlite3.connect(tmp, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    return db


def _created(tmp) -> sqlite3.Connection:
    """A new database at `tmp` with every table (empty), in a transaction begun: our
    application id (written_by_safetrain) and pages of PAGE_SIZE bytes."""
    db = _open(tmp)
    try:
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("BEGIN")
        for table in SCHEMA:
            db.execute(create_table_sql(table))
    except BaseException:
        db.close()
        raise
    return db


def _insert_sql(table: ExportTable, rows: int = 1) -> str:
    """INSERT of `rows` rows of `table` in one statement."""
    one = f"({', '.join('?' * len(table.columns))})"
    return f"INSERT INTO {_quote(table.name)} ({_names(table.column_names)}) VALUES " + ", ".join([one] * rows)


def _check_keys(db, tables: Iterable[ExportTable]) -> None:
    """Every row's foreign keys point to a row: a failure is a bug in tables.py, and a
    database that breaks its own keys is never handed out. Each key's distinct values
    are looked up once (600,000 attendance rows name 20,000 sessions), which is what
    PRAGMA foreign_key_check finds at a third of its cost."""
    for table in tables:
        for fk in table.foreign_keys:
            if db.execute(orphans_sql(table, fk)).fetchone() is not None:
                raise RuntimeError(f"foreign key check failed: {table.name} ({', '.join(fk.columns)}) "
                                   f"-> {fk.table}")


def orphans_sql(table: ExportTable, fk) -> str:
    """A row of `table` whose foreign key `fk` points to no row (none where all is well);
    as SQLite's own check, a key with a NULL column points nowhere and is let be."""
    on = " AND ".join(f"p.{_quote(ref)} = c.{_quote(col)}" for col, ref in zip(fk.columns, fk.references))
    known = " AND ".join(f"{_quote(col)} IS NOT NULL" for col in fk.columns)
    return (f"SELECT 1 FROM (SELECT DISTINCT {_names(fk.columns)} FROM {_quote(table.name)} WHERE {known}) c "
            f"WHERE NOT EXISTS (SELECT 1 FROM {_quote(fk.table)} p WHERE {on}) LIMIT 1")


def _write_all(tmp, srcs: Iterable[Source]) -> Written:
    """Archive after archive, each one's rows and findings together (a workspace)."""
    counts: dict[str, int] = {table.name: 0 for table in SCHEMA}
    archives = 0
    db = _created(tmp)
    try:
        for src in srcs:  # archive by archive: one in memory at a time
            archives += 1
            for table in SCHEMA:
                if table.name != "labels":
                    counts[table.name] += _insert(db, table, rows(table, [src]))
        if not archives:
            raise _nothing()
        counts["labels"] += _insert(db, TABLES["labels"], rows(TABLES["labels"], []))
        for table in SCHEMA:
            for sql in create_index_sql(table):
                db.execute(sql)
        db.execute("COMMIT")
        _check_keys(db, SCHEMA)
    finally:
        db.close()
    return Written(archives, counts)


def _write_one(tmp, srcs: Iterable[Source], ahead: "Ahead") -> Written:
    """One archive: its record tables (written by `ahead`'s copy while the rules
    ran, or here), then what comes of the rules."""
    srcs = iter(srcs)
    src = next(srcs, None)  # the archive is checked here (and `ahead` started meanwhile)
    if src is None:
        raise _nothing()
    if next(srcs, None) is not None:
        raise ValueError("write_sources: more than one archive where one was announced")
    counts = ahead.counts()
    if counts is None:  # no copy, or it failed: whatever it left is thrown away
        ahead.cancel()
        os.truncate(tmp, 0)
        counts = record_tables(tmp, src)
    return Written(1, {**counts, **_rule_tables(tmp, src)})


def record_tables(tmp, src: Source) -> dict[str, int]:
    """A new database at `tmp` with every table, and the rows of those that need nothing of
    the rules (all but AFTER_RULES) with their indexes, committed; their row counts."""
    db = _created(tmp)
    try:
        return _fill(db, [table for table in SCHEMA if table.name not in AFTER_RULES], src)
    finally:
        db.close()


def _rule_tables(tmp, src: Source) -> dict[str, int]:
    """The findings of `src` and the labels added to the database `record_tables` made."""
    db = _open(tmp)
    try:
        db.execute("BEGIN")
        return _fill(db, [TABLES[name] for name in AFTER_RULES], src)
    finally:
        db.close()


def _fill(db, tables: list[ExportTable], src: Source) -> dict[str, int]:
    """In the transaction `db` began: the rows of `tables` for `src` and their indexes,
    committed, their foreign keys checked; their row counts."""
    counts = {table.name: _insert(db, table, rows(table, [src]))
              for table in tables}
    for table in tables:
        for sql in create_index_sql(table):
            db.execute(sql)
    db.execute("COMMIT")
    _check_keys(db, tables)
    return counts


#: rows given to SQLite in one INSERT statement: 600,000 attendance rows go in in 0.6–0.7 s
#: where one statement per row (executemany) takes 1.05 s; the same rows in the same order,
#: so the same file
ROWS_PER_INSERT = 256


def _insert(db, table: ExportTable, values) -> int:
    """`values` (tuples, one per row) into `table`, ROWS_PER_INSERT rows a statement (fewer
    where SQLite takes fewer parameters in one statement); the number of rows."""
    width = len(table.columns)
    per = max(1, min(ROWS_PER_INSERT, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    many, flat = _insert_sql(table, per), chain.from_iterable
    before = db.total_changes
    for chunk in batched(values, per):
        if len(chunk) == per:
            db.execute(many, list(flat(chunk)))
        else:  # the last, shorter one
            db.executemany(_insert_sql(table), chunk)
    return db.total_changes - before


class Ahead:
    """The record tables of one archive, written while the rules run: `start` is
    check_path's `meanwhile` (called with the loaded archive, before the rules) and forks
    a copy of this process that writes them into the database file `write_sources` is
    making; this process adds the findings once the copy is done (never while it writes).
    Where no copy can be made, for a small archive, when the check's result came from the
    cache or the copy failed, this process writes them itself: the same bytes either way."""

    def __init__(self, name: str | None, unmasked: bool = False):
        self.name, self.unmasked = name, unmasked  # the archive's `archive` column (tables.root_names)
        self.path = None
        self.job = None

    def into(self, tmp) -> None:
        """The file to write into (write_sources' temporary file)."""
        self.path = tmp

    def start(self, archive, ruleset, as_of) -> None:
        from ..forked import Forked

        if self.path is None or self.job is not None or len(archive.people) + len(archive.sessions) < AHEAD_MIN:
            return
        src = source(Result(archive, ruleset, as_of, []), self.name, self.unmasked)
        self.job = Forked.start(_records_ahead, self.path, src)

    def counts(self) -> dict[str, int] | None:
        """The record tables' row counts once the copy has written them; None when it did not."""
        if self.job is None:
            return None
        job, self.job = self.job, None
        return job.result()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None


def _records_ahead(tmp, src: Source) -> dict[str, int]:
    """In the forked copy: the record tables of `src` (which has no findings) into `tmp`,
    flushed to disk here (the copy is done before the rules are), so that the flush that
    makes the whole file durable at the end (atomic.replacing) has only the findings left."""
    from ..archive.reading.loader import quiet_gc

    with quiet_gc():
        counts = record_tables(tmp, src)
    fsync_file(tmp)
    return counts
