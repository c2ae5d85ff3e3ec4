"""safetrain import roster / attendance: people and attendance from Excel."""

from __future__ import annotations

import sys

import click

from ..errors import SafetrainError
from .options import archive_option, force_option, group_lang_option, lang_option, PathType
from .support import confirm, echo, is_terminal, masked_line, say, tell_replaced, value_shown

_FILE_HELP = ".xlsx、.xls、.ods 或 .csv / an .xlsx, .xls, .ods or .csv file"


@click.group("import")
@group_lang_option
def import_():
    """从 Excel 导入花名册或培训签到/成绩。

    Import a staff roster or a session's attendance from an .xlsx, .xls
    (Excel 97–2003), .ods or .csv file (UTF-8 or GBK). The header row may sit
    below a title, or take two rows (group labels over the headers); the usual
    footer (制表人, 审核人, 制表日期, 合计) is left out. Every row is checked;
    bad rows are reported with the file, the row number and column the
    spreadsheet shows and not written; good rows are written. Exit 1 when any
    row failed.
    """


def _field_shown(key: str, value, labels: dict, lang: str) -> str:
    """One field of a record to be made, as a dry run shows it: its label and the value worded
    (_worded), a code with the code after its words in Chinese (合同工（contract）): what the file will hold."""
    return f"{_labelled(key, labels, lang)} {_worded(key, value, lang, coded=True)}"


def _labelled(key: str, labels: dict, lang: str) -> str:
    """A field's label in `lang` (用工形式, employment), its key where it has none."""
    return labels.get(key, (key, key))[0 if lang != "en" else 1]


def _worded(key: str, value, lang: str, coded: bool = False) -> str:
    """A value of a person's field as a message shows it: a code by its words (劳务派遣工, not
    dispatched; `coded`: with the code after them in Chinese, 劳务派遣工（dispatched）), anything else,
    and no value, as value_shown shows it. The one wording of a person's field value."""
    from ..archive.reading.codes import label
    from ..archive.reading.spec import PERSON

    field = PERSON.fields.get(key)
    if field is None or field.codes is None or value is None:
        return value_shown(value, key, lang)
    codes = value if isinstance(value, (list, tuple)) else [value]
    if lang == "en":  # English labels are the codes' words
        return ", ".join(label(field.codes, c, lang) for c in codes)
    return "、".join(f"{label(field.codes, c, lang)}（{c}）" if coded else label(field.codes, c, lang) for c in codes)


def _rows(rows: list[int], sep: str = "、") -> str:
    return sep.join(str(r) for r in rows)


class _Source:
    """Where an import's messages point: the file, and the sheet read where the workbook has other
    visible sheets of records (r14.xlsx「6月」, r14.xlsx, sheet 6月), so that a row number is never taken
    for a row of another sheet. The one place locations are written: `zh`/`en` (for a line about the
    sheet), `at(row)` (a row: r14.xlsx「6月」第 3 行, with no space after 」 as Chinese is set;
    r14.xlsx 第 3 行 without a sheet), `row(e)` (a row's problem: the row and the column, as the
    spreadsheet shows them)."""

    def __init__(self, report, file: str):
        sheet = getattr(report, "sheet", "") if getattr(report, "other_sheets", None) else ""
        self.zh = f"{file}「{sheet}」" if sheet else f"{file}"
        self.en = f"{file}, sheet {sheet}" if sheet else f"{file}"
        self._zh_row = self.zh if sheet else f"{self.zh} "
        self._en_row = f"{self.en}, " if sheet else f"{self.en}: "

    def at(self, row: int) -> tuple[str, str]:
        return f"{self._zh_row}第 {row} 行", f"{self.en}, row {row}"

    def row(self, e) -> tuple[str, str]:
        return (self.at(e.row)[0] + (f" {e.column}" if e.column else ""),
                f"{self._en_row}row {e.row}" + (f", {e.column_en}" if e.column_en else ""))


def _sheet_notes(report, lang: str, source: _Source) -> None:
    others = getattr(report, "other_sheets", [])
    if others and not getattr(report, "sheet_chosen", False):  # the first visible sheet, taken unasked: said
        # the other visible sheets are counted; those with records too are named (a 说明 sheet has none)
        left_zh, left_en = "、".join(f"“{o}”" for o in others), ", ".join(f'"{o}"' for o in others)
        count = report.visible_sheets
        also = ("同样是记录的", "of the others with records ") if count > len(others) + 1 else ("", "")
        echo(lang, f"注意：{source.zh}：工作簿有 {count} 张可见的工作表，读取的是“{report.sheet}”；"
                   f"{also[0]}{left_zh}未读取（要导入请用 --sheet 指明）",
             f"note: {source.en}: the workbook has {count} visible sheets; \"{report.sheet}\" was read, "
             f"{also[1]}{left_en} not (name a sheet with --sheet to import it)", err=True)
    for zh, en in report.notes:
        echo(lang, f"注意：{source.zh}：{zh}", f"note: {source.en}: {en}", err=True)
    if report.hidden:
        echo(lang, f"注意：工作簿有隐藏的工作表 {'、'.join(report.hidden)}，未导入（已读取“{report.sheet}”；"
                   "要导入隐藏的表请用 --sheet 指明）",
             f"note: the workbook has hidden sheets {', '.join(report.hidden)}, not imported (read \"{report.sheet}\"; "
             "name a sheet with --sheet to import it)", err=True)
    if report.hidden_rows:
        echo(lang, f"注意：{source.zh}：隐藏（或被筛选掉）的第 {_rows(report.hidden_rows)} 行未导入；要导入请先取消隐藏或筛选",
             f"note: {source.en}: hidden (or filtered out) rows {_rows(report.hidden_rows, ', ')} not imported; "
             "unhide them (or clear the filter) to import them", err=True)
    if report.footer:
        echo(lang, f"{source.zh}：已跳过表尾（制表人、审核人、日期等）：第 {_rows(report.footer)} 行",
             f"{source.en}: footer rows left out (made by, checked by, date ...): {_rows(report.footer, ', ')}")


def _lacking(report, source: _Source, lang: str) -> None:
    """A required field without a column: once for the sheet, with the headers that name it."""
    from ..archive.importing.roster import ROSTER_HEADERS
    from ..archive.reading.spec import PERSON

    for key, rows in report.lacking.items():
        names = ROSTER_HEADERS.get(key, (key,))
        more = "…" if len(rows) > 5 else ""
        field = PERSON.fields[key]
        echo(lang, f"{source.zh}：没有{names[0]}列（新建人员必填；表头可写作 {'、'.join(names[:5])}），"
                   f"{len(rows)} 行未导入：第 {_rows(rows[:5])}{more} 行",
             f"{source.en}: no {names[0]} ({field.en}) column (required for a new person; headed "
             f"{', '.join(names[:5])}), {len(rows)} row(s) not imported: {_rows(rows[:5], ', ')}{more}")


def _report(report, lang: str, dry_run: bool, labels: dict, file: str, attendance: bool = False) -> None:
    source = _Source(report, file)
    _sheet_notes(report, lang, source)
    for e in getattr(report, "doubtful", ()):  # written, but worth a look
        where_zh, where_en = source.row(e)
        echo(lang, f"注意：{where_zh}：{e.zh}", f"note: {where_en}: {e.en}")
    for e in report.errors:
        where_zh, where_en = source.row(e)
        echo(lang, f"{where_zh}：{e.zh}", f"{where_en}: {e.en}")
    _lacking(report, source, lang)
    if attendance:  # people are listed on the session, never created
        verb = say(lang, "将登记" if dry_run else "已登记", "would list" if dry_run else "listed")
    else:
        verb = say(lang, "将新建" if dry_run else "新建", "would create" if dry_run else "created")
    written = getattr(report, "written", {})
    for row, pid, name in report.created:
        click.echo(masked_line(f"{verb} {pid} {name}".rstrip()))
        shown = [_field_shown(k, v, labels, lang) for k, v in written.get(row, {}).items() if k != "name"]
        if dry_run and shown:  # what the new file will hold, as read from the sheet (codes from the words)
            click.echo(masked_line("  " + ("；" if lang != "en" else "; ").join(shown)))
    verb = say(lang, "将更新" if dry_run else "更新", "would update" if dry_run else "updated")
    for row, pid, changes in report.updated:
        parts = [f"{_labelled(k, labels, lang)} {_worded(k, old, lang)} → {_worded(k, new, lang)}"
                 for k, old, new in changes]
        line = f"{verb} {pid}：" + "；".join(parts) if lang != "en" else f"{verb} {pid}: " + "; ".join(parts)
        click.echo(masked_line(line))  # 身份证号 masked as the archive says, as everywhere
    by_name = getattr(report, "by_name", set())
    for row, pid in report.skipped:
        already = ("已在参加人员中" if attendance else "已存在", "already listed" if attendance else "already there")
        if row in by_name:  # a namesake may be someone new: said, so the officer can tell
            already = ("已存在（只凭姓名认定：表中没有工号和身份证号，同名者可能是另一个人）",
                       "already there (taken by the name alone: no id and no ID number; a namesake may be someone else)")
        at_zh, at_en = source.at(row)
        echo(lang, f"跳过 {pid}（{at_zh}）：{already[0]}；用 --update 更新",
             f"skipped {pid} ({at_en}): {already[1]}; use --update to change it")
    for row, pid in report.unchanged:
        echo(lang, f"{pid} 无变化", f"{pid} unchanged")
    from ..archive.importing.attendance import UNSIGNED

    for row, pid in report.absent:
        why = (f"（{UNSIGNED[0]}）", f" ({UNSIGNED[1]})") if row in getattr(report, "unsigned", ()) else ("", "")
        at_zh, at_en = source.at(row)
        echo(lang, f"{at_zh}{f' {pid}' if pid else ''}：未参加{why[0]}，未登记",
             f"{at_en}{f', {pid}' if pid else ''}: did not attend{why[1]}, not listed")
    if report.ignored:  # (a header written over two lines shown on one)
        shown = [" ".join(str(h).split()) for h in report.ignored]
        echo(lang, f"忽略的列：{'、'.join(shown)}", f"columns ignored: {', '.join(shown)}")
    failed = report.failed_rows
    if attendance:
        summary_zh = (f"登记 {len(report.created)} 人，更新 {len(report.updated)}，跳过 {len(report.skipped)}，"
                      f"未参加 {len(report.absent)}，出错 {failed} 行")
        summary_en = (f"{len(report.created)} listed, {len(report.updated)} updated, {len(report.skipped)} skipped, "
                      f"{len(report.absent)} did not attend, {failed} row(s) failed")
    else:
        summary_zh = f"新建 {len(report.created)}，更新 {len(report.updated)}，跳过 {len(report.skipped)}，出错 {failed} 行"
        summary_en = (f"{len(report.created)} created, {len(report.updated)} updated, {len(report.skipped)} skipped, "
                      f"{failed} row(s) failed")
    if dry_run:
        summary_zh += "（--dry-run：未写入任何文件）"
        summary_en += " (--dry-run: nothing written)"
    echo(lang, summary_zh, summary_en)


def _generated(report, lang: str, file: str) -> None:
    source = _Source(report, file)
    echo(lang, f"花名册没有工号，将按 --id-prefix 编号 {len(report.generated)} 人：",
         f"the roster has no ids; --id-prefix numbers {len(report.generated)} people:")
    for row, pid, name in report.generated:
        at_zh, at_en = source.at(row)
        echo(lang, f"  {at_zh} {name} → {pid}", f"  {at_en}: {name} -> {pid}")


@import_.command(short_help="导入员工花名册 / Import a staff roster")
@click.argument("file", metavar="FILE", required=False, type=PathType(dir_okay=False))
@click.option("--template", "template", default=None, metavar="FILE.xlsx", type=PathType(dir_okay=False),
              help="写出空白花名册模板（含示例行和下拉列表）/ write a blank roster with an example row and drop-down lists")
@click.option("--dry-run", is_flag=True, help="只显示将要做的，不写入 / show what would happen, write nothing")
@click.option("--update", is_flag=True, help="已有人员只更新不同的字段 / change the fields that differ for people already there")
@click.option("--sheet", default=None, metavar="NAME", help="工作表名称（缺省第一张可见的表）/ sheet name (default: the first visible one)")
@click.option("--id-from", "id_from", default=None, metavar="HEADER",
              help="以此列作为工号（如 --id-from 序号）/ take the ids from this column (e.g. --id-from 序号)")
@click.option("--id-prefix", "id_prefix", default=None, metavar="PREFIX",
              help="花名册没有工号时自动编号：前缀加四位数字，写入前列出 / number people PREFIX0001, ... when the "
                   "roster has no ids (listed before writing)")
@archive_option
@force_option
@lang_option
def roster(file, template, dry_run, update, sheet, id_from, id_prefix, archive, force, lang):
    """导入员工花名册。

    Import people from a roster (FILE: .xlsx, .xls, .ods or .csv). Headers in
    Chinese or as the format's keys: 工号 姓名 身份证号 部门 班组 岗位 用工形式
    入职日期 上岗日期 离职日期 人员类别 技能等级 本岗位起始日期 备注. Codes accept
    Chinese labels and the usual words (劳务派遣, 实习生, 小时工, 兼职,
    安全管理人员); dates may be Excel dates, 2023-07-01, 2023.7.1, 2023/7/1
    or 2023年7月1日. A roster without 工号 takes its ids from a column
    (--id-from 序号) or gets them made (--id-prefix E: E0001, ...; listed, and
    on a terminal asked, before writing). People already in the archive are
    skipped unless --update is given. With --update, a person whose file
    records a transfer keeps their history: a department or post other than
    today's is refused for that row (record it with `person transfer`, which
    has the day); a new name is taken only with the ID number on file; a row saying 在职 for someone
    who left on file is refused.
    `--template FILE.xlsx` writes a blank roster instead.
    """
    from ..archive.reading.spec import PERSON

    if template:
        from ..archive.importing import roster

        if file:
            raise SafetrainError("--template 写出空白花名册，不需要文件 FILE（档案用 -a 指定）",
                                 "--template writes a blank roster: give no FILE with it (name the archive with -a)")
        _write_template(roster, template, force, lang, ("花名册模板", "roster template"))
        return
    if not file:
        raise SafetrainError("需要花名册文件 FILE（或 --template FILE.xlsx）", "FILE is needed (or --template FILE.xlsx)")
    from ..archive.importing.roster import ROSTER_HEADERS, import_roster
    from .support import editing

    options = {"update": update, "sheet_name": sheet, "id_from": id_from, "id_prefix": id_prefix}
    if id_prefix and not dry_run:  # the ids made are told before anything is written
        with editing(archive, dry_run=True) as ed:
            preview = import_roster(ed, file, **options)
        if preview.generated:
            _generated(preview, lang, file)
            if is_terminal() and not confirm(lang, "按以上编号导入？", "import with these ids?", default=True):
                echo(lang, "未写入任何文件", "nothing written")
                sys.exit(1)
    with editing(archive, dry_run=dry_run) as ed:
        report = import_roster(ed, file, **options)
    if dry_run and report.generated:
        _generated(report, lang, file)
    labels = {k: (ROSTER_HEADERS[k][0], k.replace("_", " ")) for k in PERSON.fields if k in ROSTER_HEADERS}
    _report(report, lang, dry_run, labels, file)
    sys.exit(1 if report.failed else 0)


@import_.command(short_help="导入签到和成绩 / Import a session's attendance")
@click.argument("sid", metavar="SID", required=False)
@click.argument("file", metavar="FILE", required=False, type=PathType(dir_okay=False))
@click.option("--template", "template", default=None, metavar="FILE.xlsx", type=PathType(dir_okay=False),
              help="写出空白签到及成绩表（含示例行和结果下拉列表）/ write a blank sign-in and score sheet")
@click.option("--dry-run", is_flag=True, help="只显示将要做的，不写入 / show what would happen, write nothing")
@click.option("--update", is_flag=True, help="已登记的人员改为表中的成绩/学时 / change the results of people already listed")
@click.option("--sheet", default=None, metavar="NAME", help="工作表名称（缺省第一张可见的表）/ sheet name (default: the first visible one)")
@archive_option
@force_option
@lang_option
def attendance(sid, file, template, dry_run, update, sheet, archive, force, lang):
    """导入一期培训的签到和成绩。

    List the attendees of session SID from a sheet (FILE: .xlsx, .xls, .ods
    or .csv): 工号 or 姓名 (a name must match exactly one person), 成绩
    (考试成绩, 分数, 得分: 85 or 85分) or 结果 (合格, 不合格, 补考合格), 学时
    (4 or 4学时), 备注. Rows of people who did not attend (缺考, 缺勤, 请假, 病假,
    事假, 旷工 ... in 成绩, 结果 or 签字, or in 备注 with neither a score nor a
    result; a blank 签字 or 签到 where others signed, with no score, result or
    hours) are reported and not listed, and are an error for someone the session
    lists already (the sheet and the record disagree); a row without a score or
    result is reported, never listed without one. Only people who already
    have a person file are listed (none is created). People already listed
    are skipped unless --update is given. `--template FILE.xlsx` writes a
    blank sheet instead.
    """
    if template:
        from ..archive.importing import attendance

        if sid or file:  # a blank sheet is of no session: nothing named is passed over in silence
            raise SafetrainError("--template 写出空白签到及成绩表，不需要培训编号 SID 或文件 FILE",
                                 "--template writes a blank sheet: give no SID or FILE with it")
        _write_template(attendance, template, force, lang, ("签到及成绩表模板", "attendance template"))
        return
    if not sid or not file:
        raise SafetrainError("需要培训编号 SID 和签到表文件 FILE（或 --template FILE.xlsx）",
                             "SID and FILE are needed (or --template FILE.xlsx)")
    from ..archive.importing.attendance import import_attendance
    from ..archive.writing.records import ATTENDEE_LABELS
    from .support import editing

    with editing(archive, dry_run=dry_run) as ed:
        report = import_attendance(ed, sid, file, update=update, sheet_name=sheet)
    labels = ATTENDEE_LABELS
    _report(report, lang, dry_run, labels, file, attendance=True)
    sys.exit(1 if report.failed else 0)


def _write_template(module, path: str, force: bool, lang: str, what: tuple[str, str]) -> None:
    """`--template FILE.xlsx` of an import: the blank sheet of `module` (roster or attendance),
    claimed as every output is (replacing only its own earlier template, or with --force)."""
    from ..archive.writing.atomic import write_bytes
    from ..archive.writing.outputs import claim_output
    from ..reports.ooxml import TEMPLATE_DAY, normalize, written_by_safetrain

    target = claim_output(path, force=force, ours=lambda p: written_by_safetrain(p, module.TEMPLATE_TITLE))
    if not path.lower().endswith(".xlsx"):  # the bytes are a workbook's: a .csv name would lie
        raise SafetrainError(f"--template {path}：需要 .xlsx 文件名", f"--template {path}: needs a .xlsx file name")
    write_bytes(path, normalize(module.template(), module.TEMPLATE_TITLE, TEMPLATE_DAY))  # the same bytes every time
    echo(lang, f"已写出{what[0]} {path}", f"wrote the {what[1]} {path}")
    tell_replaced(lang, [target])
