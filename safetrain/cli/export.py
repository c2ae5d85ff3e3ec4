"""safetrain export: the archives' tables, for database engines."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .common import Archives
from .options import as_of_option, cache_option, force_option, lang_option
from .support import tell_replaced


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
@force_option
@cache_option
@lang_option
def sqlite(out, paths, as_of, unmasked, force, no_cache, lang):
    """把档案导出为一个 SQLite 数据库。

    Write every archive under PATHS (default: the current folder) to one
    SQLite database OUT.db: enterprises, people, sessions, attendance (passed,
    credited hours), certificates, changes, drills, mentorships, the findings
    as of --as-of (default today) and the labels of every code. ID numbers
    are masked unless --unmasked (or the archive's settings turn masking off).
    OUT.db is replaced only when the export succeeds, and only when it is an
    earlier export (or with --force); never inside an archive's records.
    An archive that cannot be read is reported and left out (exit 2); the
    others are exported, one at a time. docs/export.md describes the tables
    and example queries.
    """
    from ..archive.reading.discover import discover, named_paths
    from ..archive.writing.outputs import claim_output
    from ..export.sqlite import write_sources, written_by_safetrain
    from ..export.tables import names_of, source

    target = claim_output(out, force=force, ours=written_by_safetrain)
    found = discover(named_paths(paths, "export sqlite OUT.db"))
    names = dict(zip(found, names_of(found)))
    archives = Archives(None, as_of or date.today(), lang, roots=sorted(found, key=names.get), no_cache=no_cache)
    written = write_sources(out, (source(r, names[Path(r.archive.root)], unmasked) for r in archives))
    tell_replaced(lang, [target])
    c = written.counts
    if lang == "en":
        click.echo(f"{out}: {written.archives} archive(s), {c['people']} people, {c['sessions']} sessions, "
                   f"{c['attendance']} attendance rows, {c['findings']} findings")
    else:
        click.echo(f"{out}：{written.archives} 个档案，人员 {c['people']}，培训 {c['sessions']} 期，"
                   f"参训记录 {c['attendance']} 条，问题 {c['findings']} 个")
    if archives.failed:
        sys.exit(2)
