"""safetrain matrix: person × requirement for one archive."""

from __future__ import annotations

import json
import shutil
from datetime import date

import click

from .common import terminal
from .options import archive_option, as_of_option, format_option, lang_option


@click.command()
@archive_option
@as_of_option
@format_option("text", "json")
@click.option("--department", default=None, metavar="D", help="只列此部门的人员 / only people of department D")
@lang_option
def matrix(archive, as_of, fmt, department, lang):
    """人员×要求矩阵：每位在岗人员一行，每项适用的要求一列。

    One row per active person of ARCHIVE, one column per requirement that
    applies (pre-job, the three levels, this and last year's 学时, the
    certificate, mentorship); each cell current / expiring / expired /
    missing / n.a. with a short value. A long table goes through a pager on
    a terminal. Exit 0, or 2 for an unknown department or no archive.
    """
    from ..api import check_path
    from ..reports.matrix import matrix_document, matrix_text

    doc = matrix_document(check_path(archive, as_of or date.today()), department)
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    term = terminal()
    out = matrix_text(doc, lang, **term)
    if term["color"] and out.count("\n") > shutil.get_terminal_size().lines:
        click.echo_via_pager(out)
    else:
        click.echo(out, nl=False)
