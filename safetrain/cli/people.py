"""safetrain person leave / transfer / return: what happens to people, as edits of their files.

The options of transfer and return are built from the format's change table
(spec.py): one per key of a `[[changes]]` entry, so a key the format adds
there is an option here too.
"""

from __future__ import annotations

import click

from ..archive.reading.spec import PERSON
from .options import DATE, archive_option, group_lang_option, lang_option, with_archive
from .support import echo, field_option, typed_values

_CHANGE = PERSON.fields["changes"].table
_CHANGE_FIELDS = {k: f for k, f in _CHANGE.fields.items() if k not in ("kind", "date")}


@click.group()
@group_lang_option
def person():
    """人员变动：离职、调岗、复岗。

    What happens to people: leaving (离职, the person file's `left`), a
    transfer (调岗) or a return to the post (复岗), each a [[changes]] entry.
    """


@person.command("leave", short_help="离职 / leave")
@click.argument("pid", metavar="PID")
@click.option("--date", "day", type=DATE, required=True, metavar="DATE", help="离职日期 / the day the person left")
@archive_option
@lang_option
def leave(pid, day, archive, lang):
    """登记离职：people/PID.toml 写入 left = --date。

    Record that PID left on --date (the file's `left`). A person who has
    left is judged no more after that day; the file stays (一人一档 is kept).
    Sessions and drills after that day that list the person are said
    (check's F003), so a copied sign-in sheet or a mistyped day is seen.
    """
    from .support import editing
    from ..archive.writing.people import leave as record_leave

    with editing(archive) as ed:
        rel = record_leave(ed, pid, day)
    echo(lang, f"已在 {rel} 登记 {day} 离职", f"recorded leaving on {day} in {rel}")
    _records_after_leaving(ed.root, pid, day, lang)


def _records_after_leaving(root, pid: str, day, lang: str) -> None:
    """What check says now of the person's records outside their employment (F003, as the
    archive's rule set has it) in sessions and drills after `day`: a sign-in sheet to look at,
    or a leaving day mistyped. Said, not refused: the leaving is recorded."""
    from datetime import date

    from ..api import check_path
    from ..errors import SafetrainError
    from ..reports.findings import text_line

    try:
        result = check_path(root, date.today(), select=["F003"], cache=True)
        archive = result.archive
        latest = max([s.start.date() for s in archive.sessions.values()] + [d.date for d in archive.drills.values()],
                     default=result.as_of)
        if latest > result.as_of:  # a session planned after today lists them too: judged as of its day
            result = check_path(root, latest, select=["F003"], cache=True)
    except SafetrainError:  # check itself will say what is wrong with the archive
        return
    archive = result.archive
    after = ({s.file for s in archive.sessions.values() if s.start.date() > day}
             | {d.file for d in archive.drills.values() if d.date > day})  # not what F003 found before (a pre-hire record)
    for f in result.findings:
        if f.code == "F003" and f.subject == pid and f.file in after:
            echo(lang, f"注意：{text_line(f, 'zh')}", f"note: {text_line(f, 'en')}", err=True)


def _change_command(kind: str, zh: str, en: str, doc: str) -> click.Command:
    # away_since belongs to a return (ARCHIVE-FORMAT: "optional, return only")
    fields = {k: f for k, f in _CHANGE_FIELDS.items() if kind == "return" or k != "away_since"}

    def run(pid, day, archive, lang, **given):
        from .support import editing
        from ..archive.writing.people import change_post

        values = {"date": day, **typed_values(fields, given)}
        with editing(archive) as ed:
            moved = change_post(ed, pid, kind, values)
        before, after = " ".join(moved.before), " ".join(moved.after)
        echo(lang, f"已在 {moved.rel} 登记{zh}（{day}）：{before} → {after}",
             f"recorded the {en} on {day} in {moved.rel}: {before} -> {after}")

    params = [click.Argument(["pid"], metavar="PID"),
              click.Option(["--date", "day"], type=DATE, required=True, metavar="DATE",
                           help="到新岗位/复岗第一天 / first day on the new or returned post")]
    params += [field_option(k, f) for k, f in fields.items()]
    command = click.Command(kind, callback=run, params=params, help=doc, short_help=f"{zh} / {en}")
    return lang_option(with_archive(command))


person.add_command(_change_command("transfer", "调岗", "transfer", """登记调岗：people/PID.toml 加一条 [[changes]]（kind = "transfer"）。

    Record a transfer (调岗) from --date to a new --department and/or
    --post: a [[changes]] entry of kind transfer. The transfer training
    (P005) is then due before that day.
    """))
person.add_command(_change_command("return", "复岗", "return", """登记复岗：people/PID.toml 加一条 [[changes]]（kind = "return"）。

    Record a return to the post (复岗) on --date: a [[changes]] entry of kind
    return, with --away-since (the first day away) and --department/--post
    when the post changes too. Without --away-since the return counts as a
    year or more away. After 12 months away the re-training (P005) is due
    before that day; a special operator away 6 months or more needs a
    practical exam (C006).
    """))
