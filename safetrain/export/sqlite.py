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
from typing import Iterable

from ..api import Result
from ..archive.writing.atomic import replacing
from ..errors import SafetrainError
from .tables import SCHEMA, ExportTable, Source, rows, sources


#: PRAGMA application_id of every export ("SAFT"): how the next export knows the file is one
APPLICATION_ID = 0x53414654


def written_by_safetrain(path) -> bool:
    """An earlier export: a SQLite file with our application id, or (exports made before
    it was set) one holding every table of the export."""
    with open(path, "rb") as fh:
        header = fh.read(100)
    if not header.startswith(b"SQLite format 3\0") or len(header) < 100:
        return False
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return True
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
    notes = [f"  -- {c.doc}" + (f" [labels: {c.codes}]" if c.codes else "") for c in table.columns]
    notes += [""] * (len(parts) - len(notes))
    lines = [f"  {part}{',' if i < len(parts) - 1 else ''}{note}" for i, (part, note) in enumerate(zip(parts, notes))]
    return f"CREATE TABLE {_quote(table.name)} ( -- {table.doc}\n" + "\n".join(lines) + "\n)"


def create_index_sql(table: ExportTable) -> list[str]:
    return [f"CREATE INDEX {_quote('idx_' + table.name + '_' + '_'.join(cols))} ON {_quote(table.name)} ({_names(cols)})"
            for cols in table.indexes]


@dataclass(frozen=True)
class Written:
    archives: int
    counts: dict  # table -> rows


def write_database(path: str | os.PathLike, results: Iterable[Result], *, unmasked: bool = False) -> Written:
    """Write every archive of `results` to the SQLite database at `path`, replacing it atomically."""
    return write_sources(path, sources(results, unmasked))


def write_sources(path: str | os.PathLike, srcs: Iterable[Source]) -> Written:
    """Write each archive of `srcs` (in name order: `sources`, or a workspace streamed one
    archive at a time, each dropped when its rows are in) to the database at `path`."""
    if os.path.isdir(path):
        raise SafetrainError(f"{path} 是目录，不能作为数据库文件", f"{path} is a folder, not a database file")
    counts: dict[str, int] = {table.name: 0 for table in SCHEMA}
    archives = 0
    try:
        with replacing(path) as tmp:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode = OFF")
                db.execute("PRAGMA synchronous = OFF")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("BEGIN")
                inserts = {}
                for table in SCHEMA:
                    db.execute(create_table_sql(table))
                    inserts[table.name] = (f"INSERT INTO {_quote(table.name)} ({_names(table.column_names)}) "
                                           f"VALUES ({', '.join('?' * len(table.columns))})")
                for src in srcs:  # archive by archive: one in memory at a time
                    archives += 1
                    for table in SCHEMA:
                        if table.name != "labels":
                            counts[table.name] += _insert(db, inserts[table.name], rows(table, [src]))
                labels = next(t for t in SCHEMA if t.name == "labels")
                counts["labels"] += _insert(db, inserts["labels"], rows(labels, []))
                for table in SCHEMA:
                    for sql in create_index_sql(table):
                        db.execute(sql)
                db.execute("COMMIT")
                problems = db.execute("PRAGMA foreign_key_check").fetchall()
                if problems:  # a bug in tables.py: never hand out a database that breaks its own keys
                    raise RuntimeError(f"foreign key check failed: {problems[:3]}")
            finally:
                db.close()
    except (OSError, sqlite3.Error) as exc:
        raise SafetrainError(f"无法写入数据库 {path}：{exc}", f"cannot write database {path}: {exc}") from None
    return Written(archives, counts)


def _insert(db, sql: str, values) -> int:
    before = db.total_changes
    db.executemany(sql, values)
    return db.total_changes - before
