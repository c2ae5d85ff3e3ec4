"""safetrain render / ledger / templates: the printed archive."""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path

import click

from ..archive.reading.discover import archive_root
from ..archive.reading.spec import PRINTED_FOLDER
from ..errors import SafetrainError
from ..reports.kinds import DOCUMENT_KINDS
from .options import (archive_after, archive_option, as_of_option, cache_option, force_option, group_lang_option, lang_option,
                     PathType)
from .support import echo, tell_replaced

DOCUMENT_KIND_NAMES = tuple(DOCUMENT_KINDS)


def _checked(archive: str, as_of: date | None, no_cache: bool = False, meanwhile=None):
    """The checked archive the documents are made of; refused when safetrain.toml cannot be used
    (A001, or an A002 in a key the rules need): the enterprise and its rule set are unknown, and
    a register or ledger printed under the national defaults would say what the archive does not."""
    from ..api import check_path, require_register

    result = check_path(archive, as_of or date.today(), cache=not no_cache, meanwhile=meanwhile)
    require_register(result.archive, result.findings)
    return result


@click.command()
@click.argument("kind", type=click.Choice(DOCUMENT_KIND_NAMES))
@click.argument("ids", nargs=-1, metavar="[ID]... [ARCHIVE]")
@click.option("-o", "--output", "out_dir", type=PathType(file_okay=False), default=None,
              help="输出目录（缺省：档案中的 printed/）/ output folder (default: the archive's printed/)")
@click.option("--all", "everything", is_flag=True,
              help="打印该种类截至评估日期已有的全部记录 / every record of that kind that began by --as-of")
@as_of_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="进程数（缺省：大批量时用全部核心）/ processes (default: every core for large runs)")
@click.option("--no-findings", "no_findings", is_flag=True,
              help="register：不印问题汇总一节 / register: leave out the findings section")
@click.option("--department", default=None, metavar="D",
              help="signin：为此部门的在岗人员打印空白签到表（培训尚未登记）/ signin: a blank sheet for department D")
@click.option("--people", "people", multiple=True, metavar="PIDS",
              help="signin：为这些人员打印空白签到表（可重复或逗号分隔）/ signin: a blank sheet for these people")
@force_option
@cache_option
@lang_option
@functools.partial(archive_after, variadic="ids")
def render(kind, ids, archive, out_dir, everything, as_of, jobs, no_findings, department, people, force, no_cache,
           lang):
    """生成 Word 档案文件：每条记录一个 .docx。

    \b
    KIND: person 员工安全教育培训档案 · card 三级安全教育卡 · session 安全培训记录
          signin 培训签到表 · register 企业安全培训档案册 · mentorship 师带徒协议书
          drill 应急演练记录 · plan 年度安全培训计划

    Word documents from templates, one .docx per record, named after it
    (person-E0001.docx; plan-2024.docx; register.docx), in the archive's
    printed/ folder unless -o names another (never one of the archive's
    records; `init` lists printed/ in .gitignore). A document written before
    is replaced; any other existing file only with --force. IDS are person,
    session, mentorship (apprentice) or drill ids, or a plan's year; --all
    prints every record of the kind (one whose file has A001/A002 errors, or
    a folder of the kind that cannot be read, is named on standard error and
    not printed; exit 1). For a workspace (a
    folder of archives) every archive is printed in turn with --all (or a
    kind of one document per archive), into its own printed/ folder or
    DIR/<archive>/. An archive's own templates/<kind>.docx
    replaces the built-in template. `render register --no-findings` leaves
    the findings section out. `render signin --department D` (or --people
    P1,P2) prints a blank sign-in sheet for people expected at a session not
    yet recorded.
    """
    from .common import each_root, roots_of

    people = [p.strip() for value in people for p in value.split(",") if p.strip()]
    if no_findings and kind != "register":
        raise SafetrainError("--no-findings 只用于 register", "--no-findings is for register only")
    if (department or people) and (kind != "signin" or ids or everything):
        raise SafetrainError("--department/--people 只用于不带编号的 signin（空白签到表）",
                             "--department/--people are for signin without ids (a blank sheet)")
    roots = roots_of(archive, f"render {kind}")
    args = (kind, ids, out_dir, everything, as_of, jobs, no_findings, department, people, force, no_cache, lang)
    if len(roots) == 1:
        if not _render_one(roots[0], *args):
            sys.exit(1)
        return
    if ids or department or people:  # ids and people belong to one archive
        raise SafetrainError(f"{archive} 下有 {len(roots)} 个档案：编号和人员只能对一个档案给出，工作区用 --all",
                             f"{archive} holds {len(roots)} archives: ids and people are of one archive; "
                             "use --all for a workspace")
    if DOCUMENT_KINDS[kind].record_kind is not None and not everything:
        raise SafetrainError(f"{archive} 下有 {len(roots)} 个档案：工作区用 --all 打印每个档案的全部记录",
                             f"{archive} holds {len(roots)} archives: use --all to print every record of each")
    from ..archive.reading.discover import root_names

    names = dict(zip(roots, root_names(roots)))  # -o DIR: DIR/<the archive's folder below the workspace>/
    complete = []

    def one(root):
        where = str(Path(out_dir) / names[root]) if out_dir else None
        complete.append(_render_one(root, kind, ids, where, *args[3:]))
    failed = each_root(roots, lang, one)
    sys.exit(2 if failed else 0 if all(complete) else 1)


def _render_one(root, kind, ids, out_dir, everything, as_of, jobs, no_findings, department, people, force, no_cache,
                lang) -> bool:
    """Render for one archive (into its printed/ unless `out_dir`); False when --all left records out."""
    from ..reports.render import render_blank_signin, render_documents

    result = _checked(root, as_of, no_cache)
    out_dir = out_dir or str(archive_root(root) / PRINTED_FOLDER)
    if department or people:
        made = render_blank_signin(result, out_dir, department, people, force=force)
        click.echo(str(made.path))
        tell_replaced(lang, [made])
        return True
    options = {"show_findings": False} if no_findings else None
    with _progress(everything) as tick:
        files = render_documents(result, kind, ids, out_dir, everything=everything, progress=tick, workers=jobs,
                                 options=options, force=force)
    tell_replaced(lang, files.outputs)
    if len(files) == 1:
        click.echo(str(files[0]))
    else:
        echo(lang, f"已生成 {len(files)} 个文件：{out_dir}", f"wrote {len(files)} documents to {out_dir}", err=True)
    if files.ahead:  # named, so printed (a sign-in sheet before the session), but not yet in the archive of as_of
        echo(lang, f"注意：{'、'.join(files.ahead)} 在 {result.as_of} 之后才开始（计划：之后才批准），按档案中的记录打印",
             f"note: {', '.join(files.ahead)} begin(s) after {result.as_of} (a plan: is approved after it); printed as "
             "the archive records it", err=True)
    if files.later:  # the archive as it stood on as_of: what began after it is not printed, and said so
        echo(lang, f"另有 {files.later} 条记录在 {result.as_of} 之后才开始，未打印（用 --as-of 指定更晚的日期）",
             f"{files.later} more record(s) begin after {result.as_of}, not printed (give a later --as-of)", err=True)
    if files.unread:  # records that may be in a folder that could not be read: not printed, said, exit 1
        echo(lang, f"{'、'.join(files.unread)} 无法读取（A001），其中的记录未打印；请先修正（safetrain check）",
             f"{', '.join(files.unread)} cannot be read (A001): the records in it are not printed; fix it first "
             "(safetrain check)", err=True)
    if files.skipped:  # an incomplete printout is said, and exits 1
        shown = "、".join(files.skipped)
        echo(lang, f"以下记录的文件有错误（A001/A002/A008），未打印：{shown}；请先修正（safetrain check）",
             f"not printed, their files have errors (A001/A002/A008): {', '.join(files.skipped)}; fix them first "
             "(safetrain check)", err=True)
    return not files.skipped and not files.unread


class _progress:
    """A rich progress bar on stderr for --all runs on a terminal; a no-op otherwise (rich
    left a blank line on a stderr that is no terminal)."""

    def __init__(self, show: bool):
        self.show, self.bar, self.task = show and sys.stderr.isatty(), None, None

    def __enter__(self):
        if self.show:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("生成 / rendering"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.__enter__()
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if self.bar is None:
            return
        if self.task is None:
            self.task = self.bar.add_task("render", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


@click.command()
@archive_option
@click.option("-o", "--output", "output", type=PathType(dir_okay=False), default=None,
              help="输出的 .xlsx 文件（缺省：当前目录下的 <企业名称>-台账-<日期>.xlsx）/ the .xlsx file to write "
                   "(default: <enterprise>-台账-<date>.xlsx in the current folder)")
@as_of_option
@force_option
@cache_option
@lang_option
def ledger(archive, output, as_of, force, no_cache, lang):
    """生成 Excel 台账：培训、学时、持证、师带徒、演练、问题清单。

    The Excel ledger workbook: one sheet each for sessions, hours per person
    and year, certificates (red past expiry, orange inside the warning
    window), mentorships, drills and findings, and training coverage by
    department with a chart. Without -o it is <enterprise>-台账-<as-of
    date>.xlsx in the current folder. A ledger written before is replaced;
    any other existing file only with --force; never a file of an
    archive's records. For a workspace (a folder of archives), one ledger
    per archive, each named after its enterprise, in the current folder.
    """
    from .common import each_root, roots_of

    roots = roots_of(archive, "ledger")
    if len(roots) == 1:
        _ledger_one(roots[0], output, as_of, force, no_cache, lang)
        return
    if output is not None:
        raise SafetrainError(f"{archive} 下有 {len(roots)} 个档案：每个档案一本台账，以企业名称命名写在当前目录，不能用 -o",
                             f"{archive} holds {len(roots)} archives: one ledger each, named after its enterprise in "
                             "the current folder; -o names one file")
    names: set[str] = set()  # two archives of one enterprise name: the second is told, not written over the first
    sys.exit(2 if each_root(roots, lang, lambda root: _ledger_one(root, None, as_of, force, no_cache, lang, names))
             else 0)


def _ledger_one(root, output, as_of, force, no_cache, lang, taken: set | None = None) -> None:
    from ..archive.writing.outputs import claim_output
    from ..reports.ledger import Ahead, default_name, write_ledger, written_by_safetrain

    target = claim_output(output, force=force, ours=written_by_safetrain) if output is not None else None
    if output is not None and not output.lower().endswith(".xlsx"):
        raise SafetrainError(f"--output {output}：需要 .xlsx 文件名", f"--output {output}: needs a .xlsx file name")
    ahead = Ahead()  # the sheets that need no findings, made while the rules run
    try:
        result = _checked(root, as_of, no_cache, meanwhile=ahead.start)
        if output is None:
            output = default_name(result)
            if taken is not None and output in taken:
                raise SafetrainError(f"{output} 已由本次运行的另一个档案写出（企业名称相同）：请对此档案单独运行并用 -o",
                                     f"{output} was written by another archive of this run (the same enterprise "
                                     "name): run this archive on its own with -o")
            target = claim_output(output, force=force, ours=written_by_safetrain)
        write_ledger(result, output, ahead)
    finally:
        ahead.close()
    if taken is not None:
        taken.add(output)
    click.echo(output)
    tell_replaced(lang, [target])


@click.group()
@group_lang_option
def templates():
    """检查、列出、复制 Word 模板 / Check, list and copy the Word templates.

    An archive's templates/<kind>.docx replaces the built-in template of that kind.
    """



@templates.command("check", short_help="检查档案自带的模板 / Check the archive's own templates")
@archive_option
@lang_option
def templates_check(archive, lang):
    """检查档案自带的模板：语法，以及上下文中没有的变量。

    Check the archive's own templates (templates/*.docx): that each parses,
    and every variable it uses exists in its kind's context. Exit 0 when all
    are usable, 1 when one has problems.
    """
    from .common import each_root, roots_of

    roots = roots_of(archive, "templates check")
    if len(roots) == 1:
        sys.exit(1 if _templates_check_one(roots[0], lang) else 0)
    bad = []  # a workspace: each archive under its own line; one that cannot be checked is said, exit 2
    failed = each_root(roots, lang, lambda root: bad.append(_templates_check_one(root, lang)), header="out")
    sys.exit(2 if failed else 1 if any(bad) else 0)


def _templates_check_one(root, lang) -> int:
    """templates check of one archive: how many of its templates have problems."""
    from ..archive.reading.templates import custom_templates
    from ..reports.tplcheck import check_template

    paths = custom_templates(root)
    if not paths:
        echo(lang, f"{root} 没有自定义模板（templates/*.docx），使用内置模板。",
             f"{root} has no templates of its own (templates/*.docx); the built-in ones are used.", err=True)
        return 0
    bad = 0
    for path in paths:
        report = check_template(path)
        rel = path.relative_to(root).as_posix()
        if report.kind is None:
            click.echo(f"{rel}: " + ("not a document kind (one of " + ", ".join(DOCUMENT_KIND_NAMES) + "); not used"
                                     if lang == "en" else f"不是文档种类（{'、'.join(DOCUMENT_KIND_NAMES)}），不会使用"))
            continue
        if report.error is not None:
            bad += 1
            click.echo(report.error.message(lang))
        for u in report.problems:
            click.echo(f"{rel}: " + (f"unknown variable {u.en()}" if lang == "en" else f"未知变量 {u.zh()}"))
        bad += bool(report.problems)
        if report.ok:
            click.echo(f"{rel}: " + ("ok" if lang == "en" else "可用"))
    return bad


@templates.command("list")
@archive_option
@lang_option
def templates_list(archive, lang):
    """每种文档使用的模板 / Which template each kind of document uses."""
    from .common import each_root, roots_of

    roots = roots_of(archive, "templates list")
    if len(roots) == 1:
        _templates_list_one(roots[0], lang)
    elif each_root(roots, lang, lambda root: _templates_list_one(root, lang), header="out"):
        sys.exit(2)


def _templates_list_one(root, lang) -> None:
    from ..archive.reading.templates import builtin_template, own_template

    for kind in DOCUMENT_KIND_NAMES:
        try:  # the look-up render makes
            own = own_template(root, f"{kind}.docx")
        except SafetrainError as exc:
            click.echo(f"{kind:<11} {exc.en if lang == 'en' else exc.zh}")
            continue
        where = own.relative_to(root).as_posix() if own is not None else \
            (f"built-in ({builtin_template(kind + '.docx')})" if lang == "en" else f"内置（{builtin_template(kind + '.docx')}）")
        click.echo(f"{kind:<11} {where}")


@templates.command("copy", short_help="复制内置模板以便修改 / Copy a built-in template to change it")
@click.argument("kinds", nargs=-1, required=True, metavar="KIND... [ARCHIVE]")
@click.option("--force", is_flag=True, help="覆盖已有的文件 / replace an existing file")
@lang_option
@functools.partial(archive_after, variadic="kinds")
def templates_copy(kinds, archive, force, lang):
    """把内置模板复制到档案的 templates/，以便在 Word 中修改。

    Copy built-in templates into the archive's templates/ folder, to restyle in Word.
    """
    from ..archive.writing import atomic
    from ..archive.reading.templates import builtin_template

    unknown = [k for k in kinds if k not in DOCUMENT_KIND_NAMES]
    if unknown:  # none at all is click's usage error (archive_after)
        raise SafetrainError(f"未知的文档种类：{'、'.join(unknown)}（可选：{'、'.join(DOCUMENT_KIND_NAMES)}）",
                             f"unknown document kind: {', '.join(unknown)} "
                             f"(one of: {', '.join(DOCUMENT_KIND_NAMES)})")
    root = archive_root(archive)
    for kind in kinds:
        target = root / "templates" / f"{kind}.docx"
        if target.exists() and not force:
            raise SafetrainError(f"{target} 已存在（--force 覆盖）", f"{target} exists (--force replaces it)")
        atomic.write_bytes(target, builtin_template(f"{kind}.docx").read_bytes())
        click.echo(str(target))
