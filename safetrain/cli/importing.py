"""safetrain import roster / attendance: people and attendance from Excel."""

from __future__ import annotations

import sys
from datetime import date

import click

from ..errors import SafetrainError
from .options import archive_option, lang_option
from .support import echo, say


@click.group("import")
def import_():
    """从 Excel 导入花名册或培训签到/成绩。

    Import a staff roster or a session's attendance from an .xlsx (or UTF-8
    .csv) file. Every row is checked; bad rows are reported with their row
    number and column and not written; good rows are written. Exit 1 when any
    row failed.
    """


def _shown(value) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return "（空）" if value is None else str(value)


def _report(report, lang: str, dry_run: bool, labels: dict) -> None:
    for e in report.errors:
        where_zh = f"第 {e.row} 行" + (f" {e.column}" if e.column else "")
        where_en = f"row {e.row}" + (f", {e.column_en}" if e.column_en else "")
        echo(lang, f"{where_zh}：{e.zh}", f"{where_en}: {e.en}")
    verb = say(lang, "将新建" if dry_run else "新建", "would create" if dry_run else "created")
    for row, pid, name in report.created:
        click.echo(f"{verb} {pid} {name}".rstrip())
    verb = say(lang, "将更新" if dry_run else "更新", "would update" if dry_run else "updated")
    for row, pid, changes in report.updated:
        parts = [f"{labels.get(k, (k, k))[0 if lang != 'en' else 1]} {_shown(old)} → {_shown(new)}" for k, old, new in changes]
        click.echo(f"{verb} {pid}：" + "；".join(parts) if lang != "en" else f"{verb} {pid}: " + "; ".join(parts))
    for row, pid in report.skipped:
        echo(lang, f"跳过 {pid}（第 {row} 行）：已存在；用 --update 更新", f"skipped {pid} (row {row}): already there; use --update to change it")
    for row, pid in report.unchanged:
        echo(lang, f"{pid} 无变化", f"{pid} unchanged")
    if report.ignored:
        echo(lang, f"忽略的列：{'、'.join(report.ignored)}", f"columns ignored: {', '.join(report.ignored)}")
    summary_zh = (f"新建 {len(report.created)}，更新 {len(report.updated)}，跳过 {len(report.skipped)}，"
                  f"出错 {len({e.row for e in report.errors})} 行")
    summary_en = (f"{len(report.created)} created, {len(report.updated)} updated, {len(report.skipped)} skipped, "
                  f"{len({e.row for e in report.errors})} row(s) failed")
    if dry_run:
        summary_zh += "（--dry-run：未写入任何文件）"
        summary_en += " (--dry-run: nothing written)"
    echo(lang, summary_zh, summary_en)


@import_.command()
@click.argument("file", metavar="FILE.xlsx", required=False, type=click.Path(dir_okay=False))
@click.option("--template", "template", default=None, metavar="FILE.xlsx", type=click.Path(dir_okay=False),
              help="写出空白花名册模板（含示例行和下拉列表）/ write a blank roster with an example row and drop-down lists")
@click.option("--dry-run", is_flag=True, help="只显示将要做的，不写入 / show what would happen, write nothing")
@click.option("--update", is_flag=True, help="已有人员只更新不同的字段 / change the fields that differ for people already there")
@click.option("--sheet", default=None, metavar="NAME", help="工作表名称（缺省第一张）/ sheet name (default: the first)")
@archive_option
@lang_option
def roster(file, template, dry_run, update, sheet, archive, lang):
    """导入员工花名册。

    Import people from a roster. Headers in Chinese or as the format's keys:
    工号 姓名 身份证号 部门 班组 岗位 用工形式 入职日期 上岗日期 离职日期 人员类别
    技能等级 本岗位起始日期 备注. Codes accept Chinese labels; dates may be
    Excel dates, 2023-07-01, 2023/7/1 or 2023年7月1日. People already in the
    archive are skipped unless --update is given. `--template FILE.xlsx`
    writes a blank roster instead.
    """
    from ..archive.reading.spec import PERSON

    if template:
        from ..archive.importing.roster import write_template

        write_template(template)
        echo(lang, f"已写出花名册模板 {template}", f"wrote the roster template {template}")
        return
    if not file:
        raise SafetrainError("需要 FILE.xlsx（或 --template FILE.xlsx）", "FILE.xlsx is needed (or --template FILE.xlsx)")
    from ..archive.writing.edit import editing
    from ..archive.importing.roster import ROSTER_HEADERS, import_roster

    with editing(archive, dry_run=dry_run) as ed:
        report = import_roster(ed, file, update=update, sheet_name=sheet)
    labels = {k: (ROSTER_HEADERS[k][0], k) for k in PERSON.fields if k in ROSTER_HEADERS}
    _report(report, lang, dry_run, labels)
    sys.exit(1 if report.failed else 0)


@import_.command()
@click.argument("sid", metavar="SID")
@click.argument("file", metavar="FILE.xlsx", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只显示将要做的，不写入 / show what would happen, write nothing")
@click.option("--update", is_flag=True, help="已登记的人员改为表中的成绩/学时 / change the results of people already listed")
@click.option("--sheet", default=None, metavar="NAME", help="工作表名称（缺省第一张）/ sheet name (default: the first)")
@archive_option
@lang_option
def attendance(sid, file, dry_run, update, sheet, archive, lang):
    """导入一期培训的签到和成绩。

    Add the attendees of session SID from a sheet: 工号 or 姓名 (a name must
    match exactly one person), 成绩 or 结果 (合格/不合格/通过…), 学时, 备注.
    People already listed are skipped unless --update is given.
    """
    from ..archive.importing.attendance import import_attendance
    from ..archive.writing.edit import editing

    with editing(archive, dry_run=dry_run) as ed:
        report = import_attendance(ed, sid, file, update=update, sheet_name=sheet)
    labels = {"score": ("成绩", "score"), "passed": ("结果", "passed"), "hours": ("学时", "hours"), "note": ("备注", "note")}
    _report(report, lang, dry_run, labels)
    sys.exit(1 if report.failed else 0)
