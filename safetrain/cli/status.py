"""safetrain status: the dashboard of an archive or a workspace."""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from .support import views_doc, views_out
from .common import Archives, registered, terminal
from .options import as_of_option, cache_option, format_option, jobs_option, lang_option, PathType


@click.command()
@click.argument("paths", nargs=-1, type=PathType())
@as_of_option
@format_option("text", "json")
@jobs_option
@cache_option
@lang_option
def status(paths, as_of, fmt, jobs, no_cache, lang):
    """档案概况：在岗人数、培训覆盖率、学时、证书、演练、问题。

    The dashboard of each archive under PATHS (default: the archive the current folder is in):
    headcount by employment form, pre-job and campaign coverage, this year's
    training hours against the yearly figure, certificates valid / expiring / expired,
    drills per period, findings by rule family. A workspace gets one row per
    archive and a total row; --format json gives one document
    {"archives": [...], "total": {...}}. Exit 0, or 2 when a path holds no
    readable archive (the others are still shown).
    """
    from ..archive.reading.discover import named_paths
    from ..reports.status import status_of, status_text
    from ..reports.summary import archive_summary

    archives = Archives(named_paths(paths, "status"), as_of or date.today(), lang, registered(archive_summary), jobs=jobs,
                        no_cache=no_cache)
    doc = status_of(list(archives))
    broken = archives.failed
    if fmt == "json":
        click.echo(views_out(json.dumps(doc, ensure_ascii=False, indent=2), archives.roots))
    else:
        click.echo(views_out(status_text(views_doc(doc, archives.roots), lang, **terminal()), archives.roots), nl=False)
    sys.exit(2 if broken else 0)
