"""safetrain new / attend / attach: keeping the archive by command.

The options of `new` are built from spec.py: one per field, named after the
format's key (`--on-post` or `--on_post`).
"""

from __future__ import annotations

import functools

import click

from ..archive.reading.spec import FOLDERS, RECORD_KINDS
from ..errors import SafetrainError
from .options import archive_after, archive_option, group_lang_option, lang_option, PathType, with_archive
from .support import echo, field_option, fill_required, say, typed_values, value_shown

_NOT_OPTIONS = frozenset({"attendees"})  # added by `safetrain attend`
_NEW_HELP = {
    "person": ("新建人员档案 people/ID.toml（ID 通常为工号）",
               "Add people/ID.toml (ID is usually the employee number)"),
    "session": ("新建培训记录 sessions/<年>/ID.toml（档案的培训记录都直接放在 sessions/ 中时，也放在那里）；"
                "参加人员用 safetrain attend 登记",
                "Add sessions/<year>/ID.toml (directly in sessions/ where the archive keeps them all so); add "
                "attendees with safetrain attend"),
    "drill": ("新建应急演练记录 drills/<年>/ID.toml（档案的演练记录都直接放在 drills/ 中时，也放在那里）",
              "Add drills/<year>/ID.toml (directly in drills/ where the archive keeps them all so)"),
    "mentorship": ("新建师带徒记录 mentorships/ID.toml（ID 为徒弟的人员编号；不给 --post 时取徒弟的岗位）",
                   "Add mentorships/ID.toml (ID is the apprentice's person id; without --post, the apprentice's post "
                   "on the start day)"),
    "introduction": ("新建四新记录 introductions/ID.toml（新工艺、新技术、新材料、新设备）",
                     "Add introductions/ID.toml (a new process, technology, material or equipment)"),
    "plan": ("新建年度安全培训计划 plans/年度.toml；--item \"名称;类型;月份;对象;学时\" 每项一次",
             "Add the year's training plan plans/YEAR.toml; --item \"title;type;month;audience;hours\" once per item"),
}
#: keys the id gives (a plan's year is its file name)
_FROM_ID = {"plan": frozenset({"year"})}


def _fields(kind: str) -> dict:
    from ..archive.writing.inputs import inputtable

    return {k: f for k, f in RECORD_KINDS[kind].table.fields.items()
            if inputtable(f) and k not in _NOT_OPTIONS and k not in _FROM_ID.get(kind, ())}


def plan_items(texts) -> list[dict]:
    """The --item options of `new plan`, each as a plan item; a bad one fails naming it."""
    from ..archive.writing.inputs import InputError, parse_plan_item

    out = []
    for n, text in enumerate(texts, 1):
        try:
            out.append(parse_plan_item(text))
        except InputError as exc:
            raise SafetrainError(f"--item（第 {n} 项）：{exc.zh}", f"--item (item {n}): {exc.en}") from None
    return out


#: required keys that `new` fills in when not given (so not marked required in its help)
_DEFAULTED = frozenset({("mentorship", "post")})  # the apprentice's post on the start day


def _new_command(kind: str) -> click.Command:
    fields = _fields(kind)
    zh, en = _NEW_HELP[kind]

    def run(rid, archive, lang, dry_run, item=(), **given):
        from .support import editing
        from ..archive.writing.records import new_record

        values = typed_values(fields, given)
        required = [k for k in RECORD_KINDS[kind].table.required if k in fields]
        with editing(archive) as ed:  # before asking anything; the id first, as it comes first
            ed.check_new_id(kind, rid)
            if kind == "plan" and not item:  # `items` is required and not an option of its own
                raise SafetrainError("--item：计划至少要有一个项目（名称;类型;月份;对象;学时）",
                                     "--item: a plan needs at least one item (title;type;month;audience;hours)")
            if item:
                values["items"] = plan_items(item)
            if kind == "mentorship" and "post" not in values:  # the apprentice's post on the start day
                from ..archive.writing.people import post_on

                values["post"] = post_on(ed, rid, values.get("start"))
                echo(lang, f"岗位取徒弟 {rid} 的岗位：{values['post']}", f"post taken from the apprentice {rid}: {values['post']}")
        fill_required(fields, required, values, lang, defaults={"provider": "internal"})
        with editing(archive, dry_run=dry_run) as ed:
            rel, text = new_record(ed, kind, rid, values)
            masks = ed.masks
        if dry_run:
            from ..archive.reading.gbcodes import mask_id_numbers_in

            echo(lang, f"将新建 {rel}（--dry-run，未写入）：", f"would create {rel} (--dry-run, nothing written):")
            click.echo(mask_id_numbers_in(text, values.get("id_number")) if masks else text, nl=False)  # as every output
        else:
            echo(lang, f"已新建 {rel}", f"created {rel}")

    params = [click.Argument(["rid"], metavar="YEAR" if kind == "plan" else "ID")]
    params += [field_option(k, f, required=(kind, k) not in _DEFAULTED) for k, f in fields.items()]
    if kind == "plan":
        params.append(click.Option(["--item"], multiple=True, metavar="TEXT", help=(
            "计划项目：名称;类型;月份;对象;学时（对象、学时可省略），每项一次 / a planned training: "
            "title;type;month;audience;hours (audience and hours may be left out), once per item")))
    command = click.Command(kind, callback=run, params=params, short_help=f"{zh} / {en}",
                            help=f"{zh}。\n\n{en}. Required fields not given are asked for on a terminal.")
    return lang_option(click.option("--dry-run", is_flag=True, help="只显示将写入的内容 / show what would be written")(
        with_archive(command)))


@click.group()
@group_lang_option
def new():
    """新建人员、培训、演练、师带徒、四新或年度培训计划记录。

    Add a person, session, drill, mentorship, introduction (四新) or plan
    record. Every field of the format is an option named after its key;
    codes accept their Chinese labels (--employment 正式工), dates 2023-07-01,
    2023/7/1 or 2023年7月1日. The id is the file name and must be new to the
    archive.
    """


for _kind in FOLDERS:
    new.add_command(_new_command(_kind))


@click.command()
@click.argument("sid", metavar="SID")
@click.argument("pids", metavar="PID... [ARCHIVE]", nargs=-1, required=True)
@click.option("--score", default=None, metavar="N", help="考核成绩（每人相同）/ score (the same for each)")
@click.option("--passed/--failed", "passed", default=None, help="考核合格/不合格（无分数时）/ passed or failed (no score)")
@click.option("--hours", default=None, metavar="H", help="实际计入的学时（部分参加时）/ training hours credited (partial attendance)")
@click.option("--update", is_flag=True, help="已在名单中的人员改为给定的成绩/学时 / change the results of people already listed")
@lang_option
@functools.partial(archive_after, variadic="pids")
def attend(sid, pids, score, passed, hours, update, archive, lang):
    """登记参加培训的人员。

    Add attendees PID... to session SID, one inline table per line in its
    `attendees`. Unknown people and people already listed are refused (with
    --update, people already listed get the given score/result/hours), and
    then nothing is written. On a session with an assessment a new attendee
    needs --score or --passed/--failed (a score or a result is required).
    """
    from .support import editing
    from ..archive.writing.records import attend as add_attendees
    from ..archive.reading.spec import ATTENDEE

    if score is not None and passed is not None:
        raise SafetrainError("--score 与 --passed/--failed 只能给一个", "give --score or --passed/--failed, not both")
    extra = typed_values(ATTENDEE.fields, {"score": score, "passed": passed, "hours": hours})
    entries = [{"person": pid, **extra} for pid in dict.fromkeys(pids)]
    if len(entries) < len(pids):
        raise SafetrainError("同一人员在命令中出现了两次", "a person is listed twice in the command")
    from ..archive.writing.records import ATTENDEE_LABELS

    with editing(archive) as ed:
        result = add_attendees(ed, sid, entries, update=update)
    if result.added:
        echo(lang, f"已在 {result.rel} 登记 {len(result.added)} 人：{'、'.join(result.added)}",
             f"added {len(result.added)} to {result.rel}: {', '.join(result.added)}")
    for pid, changes in result.updated:
        label = 0 if lang != "en" else 1  # the key's word: 成绩, score
        shown = ("；" if lang != "en" else "; ").join(
            f"{ATTENDEE_LABELS.get(k, (k, k))[label]} {value_shown(old, k, lang)} → {value_shown(new, k, lang)}"
            for k, old, new in changes)
        echo(lang, f"已在 {result.rel} 更新 {pid}：{shown}", f"updated {pid} in {result.rel}: {shown}")
    for pid in result.unchanged:
        echo(lang, f"{pid} 无变化（{result.rel}）", f"{pid} unchanged ({result.rel})")


@click.command()
@click.argument("record", metavar="RECORD")
@click.argument("file", metavar="FILE", type=PathType(dir_okay=False))
@click.option("--kind", type=click.Choice(list(FOLDERS)), default=None,
              help="RECORD 只写编号时的记录种类 / the kind of record when RECORD is a bare id")
@click.option("--as", "role", type=click.Choice(["attachment", "contract"]), default="attachment", show_default=True,
              help="attachment 附件；contract 培训的委托培训服务合同 / an attachment, or a session's training contract")
@archive_option
@lang_option
def attach(record, file, kind, role, archive, lang):
    """附加扫描件（签到表、合同、证书照片等）。

    Copy FILE into attachments/ (a different file of the same name is never
    overwritten: the copy gets a new name) and record it, with its sha256, in
    RECORD's `attachments`. With --as contract, FILE is a session's training
    service contract (委托培训合同): copied into contracts/ and recorded as its
    `contract`. A FILE already inside the archive is recorded where it is,
    not copied. RECORD is sessions/S1, people/E1, drills/D1, mentorships/E1,
    or a bare id (with --kind when it is ambiguous).
    """
    from .support import editing
    from ..archive.writing.records import attach as attach_file, resolve_record

    with editing(archive) as ed:
        kind_, rid = resolve_record(ed, record, "session" if role == "contract" and not kind else kind)
        done = attach_file(ed, kind_, rid, file, role)
    copied = say(lang, "已复制到", "copied to") if done.copied else say(lang, "使用已有文件", "using the file already at")
    echo(lang, f"{copied} {done.path}；已记录在 {done.record}", f"{copied} {done.path}; recorded in {done.record}")
