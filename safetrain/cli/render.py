"""safetrain render / ledger / templates: the printed archive."""

from __future__ import annotations

import sys
from datetime import date

import click

from ..archive.reading.discover import archive_root
from ..errors import SafetrainError
from ..reports.kinds import DOCUMENT_KINDS
from .options import archive_option, as_of_option, lang_option
from .support import echo

DOCUMENT_KIND_NAMES = tuple(DOCUMENT_KINDS)


def _checked(archive: str, as_of: date | None):
    from ..api import check_path

    return check_path(archive, as_of or date.today())


@click.command()
@click.argument("kind", type=click.Choice(DOCUMENT_KIND_NAMES))
@click.argument("ids", nargs=-1)
@archive_option
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default=".", show_default=True,
              help="输出目录 / output folder")
@click.option("--all", "everything", is_flag=True, help="打印该种类的全部记录 / every record of that kind")
@as_of_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="进程数（缺省：大批量时用全部核心）/ processes (default: every core for large runs)")
@lang_option
def render(kind, ids, archive, out_dir, everything, as_of, jobs, lang):
    """生成 Word 档案文件：每条记录一个 .docx。

    \b
    KIND: person 员工安全教育培训档案 · card 三级安全教育卡 · session 安全培训记录
          signin 培训签到表 · register 企业安全培训档案册 · mentorship 师带徒协议书
          drill 应急演练记录

    Word documents from templates, one .docx per record, named after it
    (person-E0001.docx; register.docx). IDS are person, session, mentorship
    (apprentice) or drill ids; --all prints every record of the kind. An
    archive's own templates/<kind>.docx replaces the built-in template.
    """
    from ..reports.render import render_documents

    result = _checked(archive, as_of)
    with _progress(everything) as tick:
        files = render_documents(result, kind, ids, out_dir, everything=everything, progress=tick, workers=jobs)
    if len(files) == 1:
        click.echo(str(files[0]))
    else:
        echo(lang, f"已生成 {len(files)} 个文件：{out_dir}", f"wrote {len(files)} documents to {out_dir}", err=True)


class _progress:
    """A rich progress bar on stderr for --all runs; a no-op otherwise."""

    def __init__(self, show: bool):
        self.show, self.bar, self.task = show, None, None

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
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True,
              help="输出的 .xlsx 文件 / the .xlsx file to write")
@as_of_option
@lang_option
def ledger(archive, output, as_of, lang):
    """生成 Excel 台账：培训、学时、持证、师带徒、演练、问题清单。

    The Excel ledger workbook: one sheet each for sessions, hours per person
    and year, certificates (red past expiry, orange inside the warning
    window), mentorships, drills and findings, and training coverage by
    department with a chart.
    """
    from ..reports.ledger import write_ledger

    if not output.lower().endswith(".xlsx"):
        raise SafetrainError(f"--output {output}：需要 .xlsx 文件名", f"--output {output}: needs a .xlsx file name")
    write_ledger(_checked(archive, as_of), output)
    click.echo(output)


@click.group()
def templates():
    """检查、列出、复制 Word 模板 / Check, list and copy the Word templates.

    An archive's templates/<kind>.docx replaces the built-in template of that kind.
    """



@templates.command("check")
@archive_option
@lang_option
def templates_check(archive, lang):
    """检查档案自带的模板：语法，以及上下文中没有的变量。

    Check the archive's own templates (templates/*.docx): that each parses,
    and every variable it uses exists in its kind's context. Exit 0 when all
    are usable, 1 when one has problems.
    """
    from ..archive.reading.templates import custom_templates
    from ..reports.tplcheck import check_template

    root = archive_root(archive)
    paths = custom_templates(root)
    if not paths:
        echo(lang, f"{root} 没有自定义模板（templates/*.docx），使用内置模板。",
             f"{root} has no templates of its own (templates/*.docx); the built-in ones are used.", err=True)
        return
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
    sys.exit(1 if bad else 0)


@templates.command("list")
@archive_option
@lang_option
def templates_list(archive, lang):
    """每种文档使用的模板 / Which template each kind of document uses."""
    from ..archive.reading.templates import builtin_template

    root = archive_root(archive)
    for kind in DOCUMENT_KIND_NAMES:
        own = root / "templates" / f"{kind}.docx"
        where = own.relative_to(root).as_posix() if own.is_file() else \
            (f"built-in ({builtin_template(kind + '.docx')})" if lang == "en" else f"内置（{builtin_template(kind + '.docx')}）")
        click.echo(f"{kind:<11} {where}")


@templates.command("copy")
@click.argument("kinds", nargs=-1, required=True, type=click.Choice(DOCUMENT_KIND_NAMES))
@archive_option
@click.option("--force", is_flag=True, help="覆盖已有的文件 / replace an existing file")
@lang_option
def templates_copy(kinds, archive, force, lang):
    """把内置模板复制到档案的 templates/，以便在 Word 中修改。

    Copy built-in templates into the archive's templates/ folder, to restyle in Word.
    """
    from ..archive.writing import atomic
    from ..archive.reading.templates import builtin_template

    root = archive_root(archive)
    for kind in kinds:
        target = root / "templates" / f"{kind}.docx"
        if target.exists() and not force:
            raise SafetrainError(f"{target} 已存在（--force 覆盖）", f"{target} exists (--force replaces it)")
        atomic.write_bytes(target, builtin_template(f"{kind}.docx").read_bytes())
        click.echo(str(target))
