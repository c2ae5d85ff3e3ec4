"""Checked archives into a PostgreSQL database (psycopg 3, the `postgres` extra).

The tables are those of the SQLite export (export/tables.py), typed for
PostgreSQL (dates as `date`, session times as `timestamp`, flags as
`boolean`, hours as `double precision`), with their primary and foreign keys,
indexes and a COMMENT on every table and column, in one schema (`safetrain`
unless told otherwise), plus `exports` (keyed.py's EXPORTS: which folder,
git commit, as-of date and safetrain version each credit code's rows come
from, and when the server stored them).

The schema is created when missing and migrated when an older safetrain made
it: new tables and columns are added, comments brought up to date; a column
whose type or a table whose key changed is refused with a one-line message
(export into a new schema instead).

Each archive is one transaction: lock its credit code, delete the rows it
had (under whatever folder name it had then), COPY the new ones, record it
in `exports`, commit. Killing the connection or the process at any point
leaves the previous rows of that archive as they were. Labels are upserted,
never deleted, so archives exported by an older safetrain keep theirs.
"""

from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import unquote

from ..errors import Interrupted, SafetrainError
from .keyed import EXPORTS, PER_ARCHIVE, Keyed, Written, name_taken
from .tables import BOOL, DATE, DATETIME, INTEGER, REAL, SCHEMA, TABLES, TEXT, Column, ExportTable, rows

DEFAULT_SCHEMA = "safetrain"
#: how long a statement waits for a lock another session holds before the export says so and stops
LOCK_TIMEOUT_SECONDS = 300
INSTALL = 'pip install "safetrain[postgres]"'

#: (Column.type, Column.kind) -> (type in DDL, information_schema.columns.data_type)
TYPES: dict[tuple[str, str | None], tuple[str, str]] = {
    (TEXT, None): ("text", "text"),
    (TEXT, DATE): ("date", "date"),
    (TEXT, DATETIME): ("timestamp", "timestamp without time zone"),
    (INTEGER, None): ("integer", "integer"),
    (INTEGER, BOOL): ("boolean", "boolean"),
    (REAL, None): ("double precision", "double precision"),
}

# Filled by the server, never by safetrain: when the archive's transaction ran.
EXPORTED_AT = ("exported_at", "timestamp with time zone", "timestamp with time zone",
               "导出时间（服务器时钟）/ when the export was stored (the server's clock)")
LABELS = TABLES["labels"]
ALL_TABLES = (*SCHEMA, EXPORTS)
# Unique beyond the key: one enterprise per credit code, one credit code per archive name.
UNIQUE = {"enterprises": ("credit_code",), "exports": ("archive",)}


def psycopg_module():
    """psycopg, or a one-line error naming the extra to install."""
    try:
        import psycopg
    except ImportError:
        raise SafetrainError(f"导出到 PostgreSQL 需要 psycopg：{INSTALL}",
                             f"exporting to PostgreSQL needs psycopg: {INSTALL}") from None
    return psycopg


# --- SQL text ---------------------------------------------------------------


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def qualified(schema: str, table: str) -> str:
    return f"{ident(schema)}.{ident(table)}"


def _names(columns: Iterable[str]) -> str:
    return ", ".join(ident(c) for c in columns)


def column_type(c: Column) -> str:
    return TYPES[(c.type, c.kind)][0]


def _comment(c: Column) -> str:
    return c.doc + (f" [labels: {c.codes}]" if c.codes else "")


def load_order(tables: Iterable[ExportTable]) -> list[ExportTable]:
    """Tables with every table after those its foreign keys reference."""
    pending, done, out = list(tables), set(), []
    while pending:
        ready = [t for t in pending if all(fk.table in done or fk.table == t.name for fk in t.foreign_keys)]
        if not ready:
            raise ValueError(f"foreign keys form a cycle among {[t.name for t in pending]}")
        for t in ready:
            out.append(t)
            done.add(t.name)
            pending.remove(t)
    return out


def create_table_sql(schema: str, table: ExportTable) -> str:
    parts = [f"{ident(c.name)} {column_type(c)}" + (" NOT NULL" if c.required else "") for c in table.columns]
    if table is EXPORTS:
        parts.append(f"{ident(EXPORTED_AT[0])} {EXPORTED_AT[1]} NOT NULL DEFAULT now()")
    parts.append(f"PRIMARY KEY ({_names(table.key)})")
    for fk in table.foreign_keys:
        parts.append(f"FOREIGN KEY ({_names(fk.columns)}) REFERENCES {qualified(schema, fk.table)} "
                     f"({_names(fk.references)})")
    body = ",\n  ".join(parts)
    return f"CREATE TABLE {qualified(schema, table.name)} (\n  {body}\n)"


def comment_sql(schema: str, table: ExportTable) -> list[str]:
    name = qualified(schema, table.name)
    out = [f"COMMENT ON TABLE {name} IS {literal(table.doc)}"]
    out += [f"COMMENT ON COLUMN {name}.{ident(c.name)} IS {literal(_comment(c))}" for c in table.columns]
    if table is EXPORTS:
        out.append(f"COMMENT ON COLUMN {name}.{ident(EXPORTED_AT[0])} IS {literal(EXPORTED_AT[3])}")
    return out


def index_sql(schema: str, table: ExportTable) -> list[str]:
    out = [f"CREATE INDEX IF NOT EXISTS {ident('idx_' + table.name + '_' + '_'.join(cols))} "
           f"ON {qualified(schema, table.name)} ({_names(cols)})" for cols in table.indexes]
    if table.name in UNIQUE:
        cols = UNIQUE[table.name]
        out.append(f"CREATE UNIQUE INDEX IF NOT EXISTS {ident('uq_' + table.name + '_' + '_'.join(cols))} "
                   f"ON {qualified(schema, table.name)} ({_names(cols)})")
    return out


def schema_sql(schema: str) -> str:
    """The whole DDL of a new schema (what `ensure_schema` runs on an empty database)."""
    out = [f"CREATE SCHEMA IF NOT EXISTS {ident(schema)}"]
    for t in load_order(ALL_TABLES):
        out += [create_table_sql(schema, t), *index_sql(schema, t), *comment_sql(schema, t)]
    return ";\n".join(out) + ";\n"


# --- errors -----------------------------------------------------------------


#: where a DSN holds a password: a `password=` value (quoted or not), and a URI's `user:password@`
_PASSWORD_KV = re.compile(r"(password\s*=\s*)('(?:\\.|[^'\\])*'|[^\s&]+(?:\s+(?![\w.-]+\s*=)\S+)*)", re.I)
_URI_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://[^/?#@:]*:)([^/?#@]*)@", re.I)


def _secrets(dsn: str) -> list[str]:
    """The password(s) a DSN may carry, as written and decoded, longest first."""
    found = []
    for m in _PASSWORD_KV.finditer(dsn):
        value = m.group(2)
        if value.startswith("'"):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        found += [value, unquote(value)]
    if m := _URI_USERINFO.match(dsn):
        found += [m.group(2), unquote(m.group(2))]
    words = [w for s in found for w in re.split(r"\s+", s) if len(w) >= 2]  # fragments a parser may quote
    return sorted({s for s in found + words if s}, key=len, reverse=True)


def _redacted(dsn: str) -> str:
    """`dsn` with its password(s) written ***: `password=...` values and a URI's `user:...@`."""
    return _URI_USERINFO.sub(r"\1***@", _PASSWORD_KV.sub(r"\1***", dsn))


def one_line(exc: BaseException, dsn: str) -> str:
    """A psycopg error as one line without the DSN's password: the DSN quoted in it is written
    with *** for the password; a password met elsewhere is *** too, and one of fewer than four
    characters only where it stands alone (a password "p" must not turn "postgresql" into
    "***ostgresql")."""
    text = " ".join(part.strip() for part in str(exc).splitlines() if part.strip()) or type(exc).__name__
    text = text.replace(dsn, _redacted(dsn))
    for secret in _secrets(dsn):
        if len(secret) >= 4:
            text = text.replace(secret, "***")
        else:
            text = re.sub(rf"(?<![\w*]){re.escape(secret)}(?![\w*])", "***", text)
    return text


def connect(dsn: str):
    psycopg = psycopg_module()
    options = {"application_name": "safetrain export"}
    if "connect_timeout" not in dsn:
        options["connect_timeout"] = 15
    try:
        return psycopg.connect(dsn, **options)
    except psycopg.Error as exc:
        message = one_line(exc, dsn)
        raise SafetrainError(f"无法连接 PostgreSQL：{message}", f"cannot connect to PostgreSQL: {message}") from None


# --- the schema -------------------------------------------------------------


def _existing(conn, schema: str) -> tuple[dict, dict]:
    """{table: {column: (data_type, nullable)}} and {table: key columns} of `schema`."""
    columns: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, column, data_type, nullable in conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = %s ORDER BY table_name, ordinal_position", (schema,)):
        columns.setdefault(table, {})[column] = (data_type, nullable == "YES")
    keys: dict[str, list[str]] = {}
    for table, column in conn.execute(
            "SELECT tc.table_name, k.column_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema "
            "AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name "
            "WHERE tc.table_schema = %s AND tc.constraint_type = 'PRIMARY KEY' "
            "ORDER BY tc.table_name, k.ordinal_position", (schema,)):
        keys.setdefault(table, []).append(column)
    return columns, keys


def _migrate(schema: str, table: ExportTable, have: dict[str, tuple[str, bool]], key: list[str]) -> list[str]:
    """ALTER statements that bring an existing table to `table`, or SafetrainError."""
    where = f"{schema}.{table.name}"
    if key != list(table.key):
        raise SafetrainError(
            f"PostgreSQL 表 {where} 的主键是 ({', '.join(key)})，应为 ({', '.join(table.key)})：请导出到新的 schema（--schema）",
            f"PostgreSQL table {where} has the key ({', '.join(key)}), not ({', '.join(table.key)}): "
            "export into a new schema (--schema)")
    wanted = [(c.name, column_type(c), TYPES[(c.type, c.kind)][1]) for c in table.columns]
    if table is EXPORTS:
        wanted.append(EXPORTED_AT[:3])
    out = []
    for name, ddl_type, info_type in wanted:
        if name not in have:  # added by a newer safetrain: NULL in rows exported before
            default = " NOT NULL DEFAULT now()" if name == EXPORTED_AT[0] else ""
            out.append(f"ALTER TABLE {qualified(schema, table.name)} ADD COLUMN {ident(name)} {ddl_type}{default}")
        elif have[name][0] != info_type:
            raise SafetrainError(
                f"PostgreSQL 列 {where}.{name} 的类型是 {have[name][0]}，应为 {info_type}：请导出到新的 schema（--schema）",
                f"PostgreSQL column {where}.{name} has the type {have[name][0]}, not {info_type}: "
                "export into a new schema (--schema)")
    declared = {name for name, _, _ in wanted}
    for name, (_, nullable) in have.items():
        if name not in declared and not nullable:  # no longer written: must accept NULL
            out.append(f"ALTER TABLE {qualified(schema, table.name)} ALTER COLUMN {ident(name)} DROP NOT NULL")
    return out


def _refuse_foreign_tables(schema: str, have: dict) -> None:
    """Never alter or empty tables safetrain did not create: tables of ours are
    recognised by the `exports` table that every export of ours keeps beside them."""
    ours = {t.name for t in ALL_TABLES}
    clash = sorted(ours & set(have))
    if not clash or {"credit_code", "tool_version"} <= set(have.get(EXPORTS.name, ())):
        return
    names = ", ".join(clash[:5]) + ("…" if len(clash) > 5 else "")
    raise SafetrainError(
        f"PostgreSQL schema {schema} 中已有不是 safetrain 导出的表（{names}）：请用 --schema 指定另一个 schema",
        f"the PostgreSQL schema {schema} holds tables safetrain did not export ({names}): "
        "choose another schema with --schema")


def ensure_schema(conn, schema: str) -> None:
    """Create or migrate the schema and upsert the labels, in one transaction."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"safetrain schema {schema}",))
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(schema)}")
        have, keys = _existing(conn, schema)
        _refuse_foreign_tables(schema, have)
        statements = []
        for t in load_order(ALL_TABLES):
            if t.name in have:
                statements += _migrate(schema, t, have[t.name], keys.get(t.name, []))
            else:
                statements.append(create_table_sql(schema, t))
            statements += index_sql(schema, t) + comment_sql(schema, t)
        conn.execute(";\n".join(statements))
        cols = LABELS.column_names
        updates = ", ".join(f"{ident(c)} = EXCLUDED.{ident(c)}" for c in cols if c not in LABELS.key)
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {qualified(schema, LABELS.name)} ({_names(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
                f"ON CONFLICT ({_names(LABELS.key)}) DO UPDATE SET {updates}",
                list(rows(LABELS, [])))


# --- one archive ------------------------------------------------------------


class NameTaken(Exception):
    """The archive's folder name already belongs to another credit code in the database."""

    def __init__(self, owner: str):
        super().__init__(owner)
        self.owner = owner


def _gone_client_checked(conn) -> None:
    """PostgreSQL 14+: a query waiting on a lock notices within seconds that its client is gone
    (`kill -9` of the export: its transaction and locks held until the wait ended, up to
    lock_timeout); an older server has no such setting, and waits as before."""
    import psycopg

    try:
        conn.execute("SET client_connection_check_interval = '2s'")
        conn.commit()
    except psycopg.Error:
        conn.rollback()


def export_archive(conn, schema: str, keyed: Keyed) -> dict[str, int]:
    """Replace the rows of `keyed`'s credit code, in one transaction; rows per table."""
    order = load_order(PER_ARCHIVE)
    data = keyed.rows
    exports = qualified(schema, EXPORTS.name)
    with conn.transaction():
        # the credit code's rows and the folder name are each one archive's: two runs at once that
        # share either wait for each other (in one order, so never for ever), and the second sees
        # the first's rows (a name another credit code took is then a warning, not a key error)
        for lock in sorted({f"safetrain {schema} {keyed.credit_code}", f"safetrain {schema} name {keyed.name}"}):
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock,))
        owner = conn.execute(f"SELECT credit_code FROM {exports} WHERE archive = %s AND credit_code <> %s",
                             (keyed.name, keyed.credit_code)).fetchone()
        if owner:
            raise NameTaken(owner[0])
        old = conn.execute(f"SELECT archive FROM {exports} WHERE credit_code = %s", (keyed.credit_code,)).fetchone()
        if old:
            conn.execute(";\n".join(f"DELETE FROM {qualified(schema, t.name)} WHERE {ident('archive')} = {literal(old[0])}"
                                    for t in reversed(order)))
        with conn.cursor() as cur:
            for t in order:
                if not data[t.name]:
                    continue
                with cur.copy(f"COPY {qualified(schema, t.name)} ({_names(t.column_names)}) FROM STDIN") as copy:
                    for row in data[t.name]:
                        copy.write_row(row)
        counts = {t.name: len(data[t.name]) for t in order}
        cols = EXPORTS.column_names
        updates = ", ".join(f"{ident(c)} = EXCLUDED.{ident(c)}" for c in cols if c not in EXPORTS.key)
        conn.execute(f"INSERT INTO {exports} ({_names(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
                     f"ON CONFLICT ({_names(EXPORTS.key)}) DO UPDATE SET {updates}, "
                     f"{ident(EXPORTED_AT[0])} = now()",
                     keyed.exports_row(sum(counts.values())))
    return counts


# --- a run ------------------------------------------------------------------


def write_postgres(dsn: str, archives: Iterable[Keyed], *, schema: str = DEFAULT_SCHEMA) -> Written:
    """Export `archives` (keyed.checked gives them) into the database at `dsn`.

    Connects and creates or migrates the schema before taking the first
    archive. An archive whose folder name another credit code already holds
    is listed in `Written.skipped`. A lost connection or a server error stops
    the run with SafetrainError: archives committed before stay, the one in
    progress keeps its previous rows.
    """
    psycopg = psycopg_module()
    written = Written()
    conn = connect(dsn)
    current = None
    try:
        # a table another session holds locked (an analyst's LOCK, a long ALTER) is waited for a
        # while, then said, never for ever in a nightly job
        conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
        conn.commit()  # the session's setting; each archive's transaction begins after it
        _gone_client_checked(conn)
        ensure_schema(conn, schema)
        for keyed in archives:
            current = keyed
            try:
                counts = export_archive(conn, schema, keyed)
            except NameTaken as taken:
                written.skipped.append(name_taken(keyed.name, taken.owner))
                continue
            written.add(counts)
            current = None
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the connection closes, the archive in progress rolls back
        during = f"；{current.name} 未完成，保持原有数据" if current else ""
        during_en = f"; {current.name} was not finished and keeps its previous rows" if current else ""
        raise Interrupted(f"已完成 {written.archives} 个档案的导出{during}",
                          f"{written.archives} archive(s) were exported{during_en}") from None
    except psycopg.errors.LockNotAvailable:
        table = f"（{current.name}）" if current else ""
        raise SafetrainError(
            f"PostgreSQL 导出中断{table}：等待表锁超过 {LOCK_TIMEOUT_SECONDS} 秒（另一个会话锁住了 schema {schema} 的表）；"
            f"已完成 {written.archives} 个档案，进行中的档案保持原有数据",
            f"PostgreSQL export stopped{f' (while exporting {current.name})' if current else ''}: waited more than "
            f"{LOCK_TIMEOUT_SECONDS} s for a lock another session holds on a table of the schema {schema}; "
            f"{written.archives} archive(s) were exported") from None
    except psycopg.Error as exc:
        message = one_line(exc, dsn)
        during = f"（{current.name}）" if current else ""
        during_en = f" (while exporting {current.name}; its previous rows are unchanged)" if current else ""
        raise SafetrainError(
            f"PostgreSQL 导出中断{during}：{message}；已完成 {written.archives} 个档案，进行中的档案保持原有数据",
            f"PostgreSQL export stopped{during_en}: {message}; {written.archives} archive(s) were exported") from None
    finally:
        conn.close()
    return written
