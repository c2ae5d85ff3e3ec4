"""safetrain export: the archives' tables, for database engines."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .common import Archives, found_roots
from .options import as_of_option, cache_option, force_option, group_lang_option, jobs_option, lang_option, PathType
from .support import tell_replaced

#: every export: ID numbers as they are, when the user asks
_unmasked = click.option("--unmasked", is_flag=True, help="导出完整身份证号 / export ID numbers unmasked")


@click.group()
@group_lang_option
def export():
    """导出档案数据到数据库：SQLite、PostgreSQL、Parquet。

    Export archives' records, findings and code labels to a database engine:
    an SQLite file, a PostgreSQL database or a Parquet dataset.
    """


@export.command(short_help="导出为 SQLite 数据库 / Export to an SQLite database")
@click.argument("out", metavar="OUT.db", type=PathType(dir_okay=False))
@click.argument("paths", nargs=-1, type=PathType())
@as_of_option
@_unmasked
@force_option
@cache_option
@lang_option
def sqlite(out, paths, as_of, unmasked, force, no_cache, lang):
    """把档案导出为一个 SQLite 数据库。

    Write every archive under PATHS (default: the archive the current folder
    is in) to one SQLite database OUT.db: enterprises, people, sessions,
    attendance (passed, credited hours), certificates, changes, drills,
    mentorships, the findings as of --as-of (default today) and the labels of
    every code. ID numbers are masked unless --unmasked (or the archive's
    settings turn masking off). OUT.db is replaced only when the export
    succeeds, and only when it is an earlier export (or with --force); never
    inside an archive's records. An archive that cannot be read is reported
    and left out (exit 2); the others are exported, one at a time, unless
    OUT.db holds that archive from an earlier export: then OUT.db is kept as
    it was (replacing it would lose the archive's rows); so it is when a PATH
    holds no archive. docs/export.md describes the tables and example
    queries.
    """
    from ..archive.reading.discover import named_paths
    from ..archive.writing.outputs import claim_output
    from ..errors import SafetrainError
    from ..export.sqlite import Ahead, write_sources, written_by_safetrain
    from ..export.tables import root_names, source

    target = claim_output(out, force=force, ours=written_by_safetrain)
    found = found_roots(named_paths(paths, "export sqlite OUT.db"), lang)  # a path with no archive: said
    if found.failed_paths and target.replaces:  # which archive of the file it meant is not known (--force or not)
        raise SafetrainError(
            f"{out} 未替换：有路径中没有档案（见上），替换可能丢失其中已导出的档案；请修正路径后重新导出",
            f"{out} was not replaced: a path holds no archive (see above), and replacing it could lose an archive "
            "it holds; correct the path and export again")
    names = dict(zip(found, root_names(found)))
    # one archive: its record tables written by a copy of this process while the rules run
    ahead = Ahead(names[found[0]], unmasked) if len(found) == 1 else None
    left_out: list[str] = []  # the archives that could not be read: an earlier export holding one is kept
    archives = Archives(None, as_of or date.today(), lang, roots=sorted(found, key=names.get), no_cache=no_cache,
                        on_failure=lambda outcome: left_out.append(names[outcome.root]),
                        **({"meanwhile": ahead.start} if ahead else {}))
    usable = _usable(archives, lang, lambda result: left_out.append(names[Path(result.archive.root)]))
    written = write_sources(out, (source(r, names[Path(r.archive.root)], unmasked) for r in usable),
                            ahead=ahead, left_out=left_out)
    tell_replaced(lang, [target])
    c = written.counts
    if lang == "en":
        click.echo(f"{out}: {written.archives} archive(s), {c['people']} people, {c['sessions']} sessions, "
                   f"{c['attendance']} attendance rows, {c['findings']} findings")
    else:
        click.echo(f"{out}：{written.archives} 个档案，人员 {c['people']}，培训 {c['sessions']} 期，"
                   f"参训记录 {c['attendance']} 条，问题 {c['findings']} 个")
    if archives.failed or found.failed_paths:
        sys.exit(2)


def _usable(archives, lang: str, left_out):
    """The checked archives whose safetrain.toml can be used; another is reported, handed to
    `left_out` and left out."""
    from ..api import require_register
    from ..errors import SafetrainError
    from ..runner import Outcome

    for result in archives:
        try:
            require_register(result.archive, result.findings)
        except SafetrainError as problem:  # the archive named as every line names it
            click.echo(Outcome(Path(result.archive.root), zh=problem.zh, en=problem.en).line(lang), err=True)
            archives.failed = True
            left_out(result)
            continue
        yield result


def _summary(written, lang: str) -> str:
    c = written.counts
    rows = sum(n for name, n in c.items() if name != "labels")
    if lang == "en":
        return (f"{written.archives} archive(s) exported, {c.get('people', 0)} people, {c.get('sessions', 0)} sessions, "
                f"{c.get('attendance', 0)} attendance rows, {c.get('findings', 0)} findings; {rows} rows")
    return (f"导出 {written.archives} 个档案，人员 {c.get('people', 0)}，培训 {c.get('sessions', 0)} 期，"
            f"参训记录 {c.get('attendance', 0)} 条，问题 {c.get('findings', 0)} 个；共 {rows} 行")


class _Failures(list):
    """The archives that could not be checked: each said on stderr as it happens
    (as every command over a workspace says it), the others go on."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def __call__(self, outcome) -> None:
        click.echo(outcome.line(self.lang), err=True)
        self.append(outcome)


def _finish(planned, written, where: str, lang: str, failures: list) -> None:
    """The summary on stdout, each archive set aside on stderr; exit 2 when an archive
    could not be checked, else 1 when one was set aside."""
    click.echo(f"{where}{': ' if lang == 'en' else '：'}{_summary(written, lang)}")
    skipped = [p.problem for p in planned if p.problem] + written.skipped
    for zh, en in skipped:
        click.echo(f"warning: {en}" if lang == "en" else f"警告：{zh}", err=True)
    if failures:
        raise click.exceptions.Exit(2)
    if skipped:
        raise click.exceptions.Exit(1)


_KEYED = """Each archive is keyed by its 统一社会信用代码 (enterprise.credit_code):
re-exporting it replaces exactly its rows, so a nightly job can re-run on
every repository. An archive without a valid credit code, sharing one with
another archive of the run, or whose folder name the export holds for another
credit code, is not exported (a warning each, exit status 1).
Archives are checked and written one at a time; one that cannot be read is
reported on one line and left out, and the others are exported (exit status
2). ID numbers are masked unless --unmasked (or the archive's settings turn
masking off). docs/export.md describes the tables, the layout and example
queries."""

_POSTGRES = """把档案导出到 PostgreSQL 数据库（需要 safetrain[postgres]）。

Load every archive under PATHS (default: the archive the current folder is
in) into the PostgreSQL database at DSN (postgresql://user@host:5432/db or "host=...
dbname=..."; keep the password in ~/.pgpass or PGPASSWORD rather than in the
DSN): the tables of `export sqlite`, typed, with keys, foreign keys and
comments, in the schema --schema (created or migrated), plus `exports`: the
git commit, as-of date and safetrain version of each archive's rows. One
transaction per archive, loaded with COPY: an interrupted export leaves that
archive's previous rows. A DSN that does not connect is a one-line error,
exit status 2.

""" + _KEYED

_PARQUET = """把档案导出为 Parquet 数据集（需要 safetrain[parquet]）。

Write every archive under PATHS (default: the archive the current folder
is in) into the folder DIR: one dataset per table, Hive-partitioned by credit code
(DIR/people/credit_code=.../part-0.parquet; DIR/labels/part-0.parquet),
typed columns, the same bytes for the same archives. DuckDB, Spark and Trino
read it directly. Re-exporting an archive replaces its partition's files
only, each written to a temporary file first; a file in DIR that this
export did not write is replaced only with --force.

""" + _KEYED



@export.command(help=_POSTGRES, short_help="导出到 PostgreSQL / Export to PostgreSQL")
@click.argument("dsn", metavar="DSN")
@click.argument("paths", nargs=-1, type=PathType())
@as_of_option
@click.option("--schema", default="safetrain", show_default=True, metavar="NAME",
              help="表所在的 schema / PostgreSQL schema of the tables")
@_unmasked
@jobs_option
@cache_option
@lang_option
def postgres(dsn, paths, as_of, schema, unmasked, jobs, no_cache, lang):
    from ..export.postgres import psycopg_module, write_postgres

    psycopg_module()
    _keyed_export(paths, "export postgres DSN", lambda archives, codes: write_postgres(dsn, archives, schema=schema),
                  f"PostgreSQL (schema {schema})" if lang == "en" else f"PostgreSQL（schema {schema}）",
                  as_of, unmasked, jobs, no_cache, lang)


@export.command(help=_PARQUET, short_help="导出为 Parquet 数据集 / Export to a Parquet dataset")
@click.argument("out", metavar="DIR", type=PathType(file_okay=False))
@click.argument("paths", nargs=-1, type=PathType())
@as_of_option
@_unmasked
@jobs_option
@force_option
@cache_option
@lang_option
def parquet(out, paths, as_of, unmasked, jobs, force, no_cache, lang):
    from ..export.parquet import pyarrow_modules, write_parquet

    pyarrow_modules()

    def write(archives, codes):
        written = write_parquet(out, archives, force=force, codes=codes)
        tell_replaced(lang, written.outputs)
        return written
    _keyed_export(paths, "export parquet DIR", write, out, as_of, unmasked, jobs, no_cache, lang)


def _keyed_export(paths, usage: str, write, where: str, as_of, unmasked: bool, jobs, no_cache: bool, lang: str) -> None:
    """The exports keyed by credit code (postgres, parquet): plan the archives of `paths`,
    check them through the runner and hand them to `write`, then say what was done."""
    from ..archive.reading.discover import named_paths
    from ..export.keyed import checked, plan

    failures = _Failures(lang)
    roots = found_roots(named_paths(paths, usage), lang, failures.append)  # a path with no archive: said, the others exported
    planned = plan(roots)
    written = write(checked(planned, as_of or date.today(), unmasked, jobs, failures, cache=not no_cache),
                    [p.credit_code for p in planned if p.credit_code])
    _finish(planned, written, where, lang, failures)
