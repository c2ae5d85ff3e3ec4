"""safetrain new / attend / cert add / attach: keeping the archive by command.

The options of `new` and `cert add` are built from spec.py: one per field,
named after the format's key (`--on-post` or `--on_post`).
"""

from __future__ import annotations

import click

from ..archive.reading.spec import CERTIFICATE, FOLDERS, RECORD_KINDS
from ..errors import SafetrainError
from .options import archive_option, lang_option
from .support import echo, field_option, fill_required, say, typed_values

_NOT_OPTIONS = frozenset({"attendees"})  # added by `safetrain attend`
_NEW_HELP = {
    "person": ("新建人员档案 people/ID.toml（ID 通常为工号）",
               "Add people/ID.toml (ID is usually the employee number)"),
    "session": ("新建培训记录 sessions/<年>/ID.toml；参加人员用 safetrain attend 登记",
                "Add sessions/<year>/ID.toml; add attendees with safetrain attend"),
    "drill": ("新建应急演练记录 drills/<年>/ID.toml", "Add drills/<year>/ID.toml"),
    "mentorship": ("新建师带徒记录 mentorships/ID.toml（ID 为徒弟的人员编号）",
                   "Add mentorships/ID.toml (ID is the apprentice's person id)"),
}


def _fields(kind: str) -> dict:
    from ..archive.writing.inputs import inputtable

    return {k: f for k, f in RECORD_KINDS[kind].table.fields.items() if inputtable(f) and k not in _NOT_OPTIONS}


def _new_command(kind: str) -> click.Command:
    fields = _fields(kind)
    zh, en = _NEW_HELP[kind]

    def run(rid, archive, lang, dry_run, **given):
        from ..archive.writing.edit import editing
        from ..archive.writing.records import new_record

        values = typed_values(fields, given)
        required = [k for k in RECORD_KINDS[kind].table.required if k in fields]
        with editing(archive) as ed:  # before asking anything
            ed.check_new_id(kind, rid)
        fill_required(fields, required, values, lang, defaults={"provider": "internal"})
        with editing(archive, dry_run=dry_run) as ed:
            rel, text = new_record(ed, kind, rid, values)
        if dry_run:
            echo(lang, f"将新建 {rel}（--dry-run，未写入）：", f"would create {rel} (--dry-run, nothing written):")
            click.echo(text, nl=False)
        else:
            echo(lang, f"已新建 {rel}", f"created {rel}")

    params = [click.Argument(["rid"], metavar="ID")]
    params += [field_option(k, f) for k, f in fields.items()]
    return archive_option(lang_option(click.option("--dry-run", is_flag=True, help="只显示将写入的内容 / show what would be written")(
        click.Command(kind, callback=run, params=params, help=f"{zh}。\n\n{en}. Required fields not given are asked for on a terminal.",
                      short_help=f"{zh} / {en}"))))


@click.group()
def new():
    """新建人员、培训、演练或师带徒记录。

    Add a person, session, drill or mentorship record. Every field of the
    format is an option named after its key; codes accept their Chinese
    labels (--employment 正式工), dates 2023-07-01, 2023/7/1 or 2023年7月1日.
    The id is the file name and must be new to the archive.
    """


for _kind in FOLDERS:
    new.add_command(_new_command(_kind))


@click.command()
@click.argument("sid", metavar="SID")
@click.argument("pids", metavar="PID...", nargs=-1, required=True)
@click.option("--score", default=None, metavar="N", help="考核成绩（每人相同）/ score (the same for each)")
@click.option("--passed/--failed", "passed", default=None, help="考核合格/不合格（无分数时）/ passed or failed (no score)")
@click.option("--hours", default=None, metavar="H", help="实际计入的学时（部分参加时）/ 学时 credited (partial attendance)")
@click.option("--update", is_flag=True, help="已在名单中的人员改为给定的成绩/学时 / change the results of people already listed")
@archive_option
@lang_option
def attend(sid, pids, score, passed, hours, update, archive, lang):
    """登记参加培训的人员。

    Add attendees PID... to session SID, one inline table per line in its
    `attendees`. Unknown people and people already listed are refused (with
    --update, people already listed get the given score/result/hours), and
    then nothing is written.
    """
    from ..archive.writing.edit import editing
    from ..archive.writing.records import attend as add_attendees
    from ..archive.reading.spec import ATTENDEE

    if score is not None and passed is not None:
        raise SafetrainError("--score 与 --passed/--failed 只能给一个", "give --score or --passed/--failed, not both")
    extra = typed_values(ATTENDEE.fields, {"score": score, "passed": passed, "hours": hours})
    entries = [{"person": pid, **extra} for pid in dict.fromkeys(pids)]
    if len(entries) < len(pids):
        raise SafetrainError("同一人员在命令中出现了两次", "a person is listed twice in the command")
    with editing(archive) as ed:
        result = add_attendees(ed, sid, entries, update=update)
    if result.added:
        echo(lang, f"已在 {result.rel} 登记 {len(result.added)} 人：{'、'.join(result.added)}",
             f"added {len(result.added)} to {result.rel}: {', '.join(result.added)}")
    for pid, changes in result.updated:
        shown = ", ".join(f"{k} {old} → {new}" for k, old, new in changes)
        echo(lang, f"已更新 {pid}：{shown}", f"updated {pid}: {shown}")
    for pid in result.unchanged:
        echo(lang, f"{pid} 无变化", f"{pid} unchanged")


@click.group()
def cert():
    """证书：登记特种作业操作证、安全管理人员合格证等。

    Certificates: record special operation certificates, manager
    certificates and others in a person's file.
    """


_CERT_FIELDS = {k: f for k, f in CERTIFICATE.fields.items() if k != "attachments"}
_CERT_NAMES = {"reviews": "review"}


@cert.command("add", params=[field_option(k, f, _CERT_NAMES.get(k)) for k, f in _CERT_FIELDS.items()])
@click.argument("pid", metavar="PID")
@archive_option
@lang_option
def cert_add(pid, archive, lang, **given):
    """登记一张证书。

    Append a [[certificates]] table to people/PID.toml:
    --kind --category --number --issued --expires, and --review DATE for each
    review (复审) passed.
    """
    from ..archive.writing.edit import editing
    from ..archive.writing.records import add_certificate

    values = typed_values(_CERT_FIELDS, given, _CERT_NAMES)
    fill_required(_CERT_FIELDS, list(CERTIFICATE.required), values, lang)
    with editing(archive) as ed:
        rel = add_certificate(ed, pid, values)
    echo(lang, f"已在 {rel} 登记证书 {values['number']}", f"recorded certificate {values['number']} in {rel}")


@click.command()
@click.argument("record", metavar="RECORD")
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(list(FOLDERS)), default=None,
              help="RECORD 只写编号时的记录种类 / the kind of record when RECORD is a bare id")
@archive_option
@lang_option
def attach(record, file, kind, archive, lang):
    """附加扫描件（签到表、合同、证书照片等）。

    Copy FILE into attachments/ (a different file of the same name is never
    overwritten: the copy gets a new name) and record it, with its sha256, in
    RECORD's `attachments`. RECORD is sessions/S1, people/E1, drills/D1,
    mentorships/E1, or a bare id (with --kind when it is ambiguous).
    """
    from ..archive.writing.edit import editing
    from ..archive.writing.records import attach as attach_file, resolve_record

    with editing(archive) as ed:
        kind_, rid = resolve_record(ed, record, kind)
        done = attach_file(ed, kind_, rid, file)
    copied = say(lang, "已复制到", "copied to") if done.copied else say(lang, "使用已有文件", "using the file already at")
    echo(lang, f"{copied} {done.path}；已记录在 {done.record}", f"{copied} {done.path}; recorded in {done.record}")
