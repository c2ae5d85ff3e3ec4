"""safetrain matrix: person × requirement for one archive."""

from __future__ import annotations

import functools
import json
import shutil
import sys
from datetime import date

import click

from ..errors import SafetrainError
from .support import views_doc, views_out
from .common import Archives, registered, roots_of, terminal
from .options import archive_option, as_of_option, cache_option, format_option, lang_option


@click.command()
@archive_option
@as_of_option
@format_option("text", "json")
@click.option("--department", default=None, metavar="D", help="只列此部门的人员 / only people of department D")
@cache_option
@lang_option
def matrix(archive, as_of, fmt, department, no_cache, lang):
    """人员×要求矩阵：每位在岗人员一行，每项适用的要求一列。

    One row per active person of ARCHIVE, one column per requirement that
    applies (pre-job, the three levels, this and last year's 学时, the
    certificate, mentorship); each cell current / expiring / expired /
    missing / n.a. with a short value. A long table goes through a pager on
    a terminal. A workspace gets one matrix per archive (JSON: {"archives":
    [...]}); one that cannot be read is reported and the others shown. A
    person file with errors (A001/A002) is named on standard error. Exit
    0, or 2 for an unknown department, no archive, or an archive (or a folder
    of the workspace) that cannot be read (the others are shown).
    """
    from ..reports.matrix import matrix_document, matrix_text

    roots = roots_of(archive, "matrix")
    several = len(roots) > 1  # a workspace: the archives without the department are left out
    archives = Archives(None, as_of or date.today(), lang,
                        registered(functools.partial(matrix_document, department=department, absent_ok=several), of_people=True),
                        roots=roots, no_cache=no_cache)
    term = terminal()
    if several:
        docs = []
        for doc in archives:
            if doc is None:
                continue
            if fmt == "json":
                docs.append(doc)
            else:
                click.echo(("\n" if docs else "") + views_out(matrix_text(views_doc(doc, archives.roots), lang, **term), archives.roots), nl=False)
                docs.append(None)
        if not docs and department is not None and not archives.failed:
            raise SafetrainError(f"工作区的在岗人员中没有部门“{department}”", f"no active person of the workspace is in "
                                 f"department \"{department}\"")
        if fmt == "json":
            click.echo(views_out(json.dumps({"archives": docs}, ensure_ascii=False, indent=2), archives.roots))
        sys.exit(2 if archives.failed else 0)
    for doc in archives:
        if fmt == "json":
            click.echo(views_out(json.dumps(doc, ensure_ascii=False, indent=2), archives.roots))
            continue
        out = views_out(matrix_text(views_doc(doc, archives.roots), lang, **term), archives.roots)
        if term["color"] and out.count("\n") > shutil.get_terminal_size().lines:
            click.echo_via_pager(out)
        else:
            click.echo(out, nl=False)
    if archives.failed:
        sys.exit(2)
