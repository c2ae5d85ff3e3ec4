"""safetrain expiring: certificates expired, expiring or due for review."""

from __future__ import annotations

import functools
import json
import sys
from datetime import date

import click

from .common import Archives, registered, terminal
from .options import as_of_option, cache_option, force_option, format_option, jobs_option, lang_option, PathType
from .support import echo, tell_replaced, views_doc, views_out


@click.command()
@click.argument("paths", nargs=-1, type=PathType())
@click.option("--within", type=click.IntRange(min=0, max=36500), default=None, metavar="DAYS",
              help="列出多少天内到期或复审的证书（缺省 60）/ days ahead to list (default 60)")
@as_of_option
@format_option("text", "json")
@click.option("--ics", "ics_file", type=PathType(dir_okay=False), default=None, metavar="FILE",
              help="写出日历提醒（iCalendar）/ write calendar reminders (iCalendar) to FILE")
@force_option
@jobs_option
@cache_option
@lang_option
def expiring(paths, within, as_of, fmt, ics_file, force, jobs, no_cache, lang):
    """到期与待复审证书：已过期、将到期、待复审（含逾期），最近的在前。

    Certificates of active people in the archives under PATHS that are
    expired, expiring, or due (or overdue) for review, soonest first.
    "Expiring" and "review due" are exactly what `check` reports as C004:
    each kind's own warning window (60 days special operation, 30 the
    others); expired and review overdue, what it reports as C002 and C003
    (a certificate whose review is overdue and whose next review, or else
    expiry, falls due is listed for each). --within
    DAYS is the look-ahead: nothing due later is listed (below a kind's
    window, fewer than C004 names), and certificates outside their window
    but due within DAYS are listed as "upcoming". --ics FILE writes one
    all-day calendar event per due date with reminders 60, 30 and 7 days
    before, naming its archive as the table does (in its title too when
    there are several archives); it replaces a calendar this command wrote before (any other
    file only with --force), never a file of an archive's records. A person
    file with errors (A001/A002) is named on standard error, its people not
    listed. Exit 0, or 2 when a path holds no readable archive (the others
    are still listed).
    """
    from ..archive.writing.atomic import write_text
    from ..archive.writing.outputs import claim_output
    from ..reports.expiring import archive_part, expiring_ics, expiring_of, expiring_text
    from ..reports.ics import written_by_safetrain

    target = claim_output(ics_file, force=force, ours=written_by_safetrain) if ics_file else None
    from ..archive.reading.discover import named_paths

    archives = Archives(named_paths(paths, "expiring"), as_of or date.today(), lang,
                        registered(functools.partial(archive_part, within=within), of_people=True), jobs=jobs, no_cache=no_cache)
    parts = list(archives)
    if not parts:  # no archive could be read: no "nothing due" said, no calendar replaced by an empty one
        sys.exit(2)
    doc = expiring_of(parts, within)
    broken = archives.failed
    if fmt == "json":
        click.echo(views_out(json.dumps(doc, ensure_ascii=False, indent=2), archives.roots))
    else:
        click.echo(views_out(expiring_text(views_doc(doc, archives.roots), lang, **terminal()), archives.roots), nl=False)
    if ics_file:
        write_text(ics_file, views_out(expiring_ics(views_doc(doc, archives.roots), lang), archives.roots))  # masked
        # before the calendar folds its lines at 75 octets (a 工号 cut by a fold was whole once unfolded)
        n = len(doc["items"])
        echo(lang, f"已写入 {n} 个提醒到 {ics_file}", f"Wrote {n} reminders to {ics_file}", err=True)
        tell_replaced(lang, [target])
    sys.exit(2 if broken else 0)
