"""safetrain export: the archives' tables, for database engines."""

from __future__ import annotations

from datetime import date

import click

from .options import as_of_option, lang_option


@click.group()
def export():
    """导出档案数据到数据库。

    Export archives' records, findings and code labels to a database file.
    """


@export.command()
@click.argument("out", metavar="OUT.db", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, type=click.Path())
@as_of_option
@click.option("--unmasked", is_flag=True, help="导出完整身份证号 / export ID numbers unmasked")
@lang_option
def sqlite(out, paths, as_of, unmasked, lang):
    """把档案导出为一个 SQLite 数据库。

    Write every archive under PATHS (default: the current folder) to one
    SQLite database OUT.db: enterprises, people, sessions, attendance (passed,
    credited hours), certificates, changes, drills, mentorships, the findings
    as of --as-of (default today) and the labels of every code. ID numbers
    are masked unless --unmasked (or the archive's settings turn masking off).
    OUT.db is replaced only when the export succeeds. docs/export.md
    describes the tables and example queries.
    """
    from ..api import check_paths
    from ..export.sqlite import write_database

    from ..archive.reading.discover import named_paths

    results = list(check_paths(named_paths(paths, "export sqlite OUT.db"), as_of or date.today()))
    written = write_database(out, results, unmasked=unmasked)
    c = written.counts
    if lang == "en":
        click.echo(f"{out}: {written.archives} archive(s), {c['people']} people, {c['sessions']} sessions, "
                   f"{c['attendance']} attendance rows, {c['findings']} findings")
    else:
        click.echo(f"{out}：{written.archives} 个档案，人员 {c['people']}，培训 {c['sessions']} 期，"
                   f"参训记录 {c['attendance']} 条，问题 {c['findings']} 个")
