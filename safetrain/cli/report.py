"""safetrain report: reports of a whole workspace (the HTML dashboard)."""

from __future__ import annotations

import sys
from datetime import date

import click

from .common import checked_results
from .options import as_of_option, lang_option


@click.group()
def report():
    """工作区报告 / Reports of an archive or a workspace."""


@report.command("html")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True,
              help="网站目录（新建、空目录，或上次生成的网站）/ the site's folder (new, empty, or a site written before)")
@as_of_option
@lang_option
def html(paths, out_dir, as_of, lang):
    """生成静态 HTML 网站：工作区总览、各档案、一人一档、规则说明。

    A static, offline site of every archive under PATHS (default: the current
    folder): a workspace page with one row per archive (sortable, filterable,
    a traffic light and totals), a page per archive (summary cards, findings
    by family and rule, charts, the person × requirement matrix), each
    person's file (一人一档, on the pages of the person list) and the rule
    pages. The figures are those of `status`,
    `matrix` and `expiring`. Open DIR/index.html in any browser; nothing is
    fetched from the network. ID numbers are masked as in every output.

    DIR must be new, empty, or a site this command wrote before (it is then
    replaced at once; files you added to it are kept). Never inside an
    archive's records. Templates in an archive's or the workspace's
    templates/html/ replace the built-in ones of the same name. Exit 0, or 2
    when a path holds no readable archive.
    """
    from ..archive.reading.discover import workspaces
    from ..reports.html.site import site_files
    from ..reports.html.writer import write_site

    from ..archive.reading.discover import named_paths

    paths = named_paths(paths, "report html -o DIR")
    results, broken = checked_results(paths, as_of or date.today(), lang)
    if not results:
        sys.exit(2)
    folders = workspaces(paths or ["."])
    out = write_site(site_files(results, lang, workspaces=folders), out_dir)  # failures: one line, exit 2
    click.echo(str(out / "index.html"))
    sys.exit(2 if broken else 0)
