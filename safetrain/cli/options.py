"""Options shared by several commands, as decorators (sqlite-utils style)."""

from __future__ import annotations

import functools
import os
from datetime import date
from typing import Callable

import click

from ..errors import SafetrainError


def default_lang() -> str:
    """Chinese first; English for SAFETRAIN_LANG=en or an English locale: the first of English
    and Chinese in LANGUAGE (a list, as gettext reads it; unless LC_ALL, LC_MESSAGES or LANG say C
    or POSIX), else LC_ALL, LC_MESSAGES, LANG."""
    explicit = asked_lang()
    if explicit:
        return explicit
    locale = next((os.environ[var] for var in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(var)), "")
    if locale.split(".")[0] not in ("C", "POSIX"):
        for item in os.environ.get("LANGUAGE", "").split(":"):
            if item.lower().startswith(("en", "zh")):
                return item[:2].lower()
    return "en" if locale.lower().startswith("en") else "zh"


def asked_lang() -> str | None:
    """The language SAFETRAIN_LANG asks for ("zh" or "en"), or None."""
    explicit = os.environ.get("SAFETRAIN_LANG")
    return explicit if explicit in ("zh", "en") else None


class DateType(click.ParamType):
    """Every date option takes what a person types: 2026-11-30, 2026.11.30,
    2026/11/30, 2026年11月30日 (the one parser, archive/writing/inputs.py)."""

    name = "DATE"

    def __init__(self, open_end: bool = False):
        self.open_end = open_end  # 9999-12-31 accepted: a certificate's expiry that never comes (长期有效)

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        from ..archive.writing.inputs import InputError, parse_date

        try:
            return parse_date(value, self.open_end)
        except InputError as exc:
            opt = param.opts[0] if param is not None and param.opts else "DATE"
            raise SafetrainError(f"{opt}：{exc.zh}", f"{opt}: {exc.en}") from None


DATE = DateType()
EXPIRY = DateType(open_end=True)


class PathType(click.Path):
    """click.Path for every path a command takes, but an empty one: '' names no file or
    folder (`-o ''` printed into the archive's printed/ as if no -o had been given, and a
    ledger said " 是目录"), so it is refused by name."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            opt = "PATH" if param is None else param.human_readable_name if isinstance(param, click.Argument) \
                else param.opts[0]
            raise SafetrainError(f"{opt}：路径为空，请给出文件或文件夹", f"{opt}: the path is empty; name a file or folder")
        return super().convert(value, param, ctx)


_LANG_KEY = "safetrain.lang"


_run_lang: list[str | None] = [None]  # this run's language, for what click prints after its contexts are gone


def remember_lang(ctx: click.Context | None, value: str | None) -> None:
    """Note the run's language (None: a new run begins, nothing chosen yet)."""
    if ctx is not None and value is not None:
        ctx.meta[_LANG_KEY] = value  # shared by every context of the run: the error handler reads it
    _run_lang[0] = value


def _chosen_lang(ctx: click.Context, param, value: str | None) -> str:
    value = value or ctx.meta.get(_LANG_KEY) or default_lang()
    remember_lang(ctx, value)
    return value


_LANG_HELP = "消息语言 / message language (default: zh, en for an English locale)"


def lang_option(f: Callable | None = None, *, help: str = _LANG_HELP) -> Callable:
    """--lang zh|en; the command receives the language chosen (the locale's when not given).
    `help`: the option's own words where the language chooses more than the messages."""
    def decorate(f: Callable) -> Callable:
        return click.option("--lang", type=click.Choice(["zh", "en"]), default=None, callback=_chosen_lang,
                            is_eager=True, help=help)(f)

    return decorate(f) if f is not None else decorate


#: report html's --lang: the messages as every command's, the site Chinese unless it says en
SITE_LANG_HELP = ("消息语言（缺省中文，英文环境下为英文）；网站为中文，--lang en 时为英文 / message language (default: zh, "
                  "en for an English locale); the site is Chinese unless --lang en is given")


def group_lang_option(f: Callable) -> Callable:
    """--lang zh|en on the program and on a group of commands (`safetrain --lang en cert --help`),
    as every command takes it: the run's language from there on."""
    def chosen(ctx: click.Context, param, value: str | None) -> None:
        if value is not None:
            remember_lang(ctx, value)

    return click.option("--lang", type=click.Choice(["zh", "en"]), default=None, callback=chosen, is_eager=True,
                        expose_value=False, help=_LANG_HELP)(f)


def version_option(version: str, prog_name: str) -> Callable:
    """--version, eager as click's, its line in the run's language wherever --lang stands
    (`safetrain --version --lang en`): said when it runs, not when the program is built
    (click's version_option fixes its words when the module is imported)."""
    def show(ctx: click.Context, param, value: bool) -> None:
        if not value or ctx.resilient_parsing:
            return
        from .clickzh import gettext  # click's words, as click's own option would look them up

        click.echo(gettext("%(prog)s, version %(version)s") % {"prog": prog_name, "version": version})
        ctx.exit()

    return click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=show,
                        help="显示版本并退出 / Show the version and exit.")


def document_lang(ctx: click.Context) -> str:
    """The language of a site made for others to read (the HTML report): --lang or SAFETRAIN_LANG
    when given, else Chinese, whatever the locale of the terminal or the CI runner it is made on
    (the same site from every machine; the Word and Excel documents are Chinese always)."""
    from click.core import ParameterSource

    if ctx.get_parameter_source("lang") is ParameterSource.COMMANDLINE:
        return ctx.params["lang"]
    parent = ctx.parent
    while parent is not None:  # `safetrain --lang en report html`: given one level up, as meant
        if parent.get_parameter_source("lang") is ParameterSource.COMMANDLINE and ctx.meta.get(_LANG_KEY):
            return ctx.meta[_LANG_KEY]
        parent = parent.parent
    return asked_lang() or "zh"


def current_lang(ctx: click.Context | None = None) -> str:
    """The language of this run: --lang when a command was given one, else the locale's."""
    ctx = ctx or click.get_current_context(silent=True)
    return (ctx.meta.get(_LANG_KEY) if ctx is not None else None) or _run_lang[0] or default_lang()


def as_of_option(f: Callable) -> Callable:
    return click.option("--as-of", "as_of", type=DATE, default=None, metavar="DATE",
                        help="评估日期（缺省今天）/ evaluation date (default: today)")(f)


def format_option(*choices: str) -> Callable:
    def decorate(f: Callable) -> Callable:
        return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                            help="输出格式 / output format")(f)
    return decorate


ARCHIVE_HELP = "档案目录，也可作为最后一个参数给出（缺省从当前目录向上查找）/ " \
                "archive folder, also accepted as the last argument (default: found from here upwards)"


class Here(str):
    """The archive a command was given when none was named: "." (found from here upwards), told
    apart from a "." the user typed (common.roots_of: a workspace is run on only when named)."""


HERE = Here(".")


def one_archive(option: str | None, positional: str | None) -> str:
    if option and positional and os.path.abspath(option) != os.path.abspath(positional):
        raise SafetrainError(f"档案给了两次：{positional} 和 -a {option}",
                             f"the archive is given twice: {positional} and -a {option}")
    return positional or option or HERE


def archive_option(f: Callable) -> Callable:
    """The archive a command reads: an optional last argument ARCHIVE, or -a/--archive
    (the same thing; the command receives `archive`, "." when neither is given)."""

    @functools.wraps(f)
    def command(*args, archive=None, archive_path=None, **kwargs):
        return f(*args, archive=one_archive(archive, archive_path), **kwargs)

    command = click.argument("archive_path", metavar="[ARCHIVE]", required=False,
                             type=PathType(file_okay=False))(command)
    return click.option("-a", "--archive", "archive", type=PathType(file_okay=False), default=None,
                        help=ARCHIVE_HELP)(command)


def with_archive(command: click.Command, position: int = 1) -> click.Command:
    """archive_option for a command built from its parameters (click.Command(...)): the
    optional ARCHIVE argument at `position` among its params, and -a/--archive."""
    callback = command.callback

    def run(*args, archive=None, archive_path=None, **kwargs):
        return callback(*args, archive=one_archive(archive, archive_path), **kwargs)

    command.callback = run
    command.params.insert(position, click.Argument(["archive_path"], metavar="[ARCHIVE]", required=False,
                                                   type=PathType(file_okay=False)))
    command.params.append(click.Option(["-a", "--archive", "archive"], type=PathType(file_okay=False), default=None,
                                       help=ARCHIVE_HELP))
    return command


def archive_after(f: Callable, variadic: str) -> Callable:
    """For a command whose last argument is a list (`render KIND [ID]... [ARCHIVE]`): the
    archive is -a/--archive, or the list's last item when that is an existing folder. A list
    that is required (`attend SID PID... [ARCHIVE]`) and held only the archive is missing:
    click's usage error, as when nothing was given (`attend S1 archive` did nothing, exit 0)."""

    @functools.wraps(f)
    def command(*args, archive=None, **kwargs):
        items = tuple(kwargs[variadic])
        positional = None
        if items and os.path.isdir(items[-1]):
            positional, items = items[-1], items[:-1]
            ctx = click.get_current_context()
            param = next((p for p in ctx.command.params if p.name == variadic), None)
            if not items and param is not None and param.required:
                raise click.MissingParameter(ctx=ctx, param=param)
        kwargs[variadic] = items
        return f(*args, archive=one_archive(archive, positional), **kwargs)

    return click.option("-a", "--archive", "archive", type=PathType(file_okay=False), default=None,
                        help=ARCHIVE_HELP)(command)


def force_option(f: Callable) -> Callable:
    """--force: the one way to replace an existing file an output command did not write (outputs.claim_output)."""
    return click.option("--force", is_flag=True,
                        help="替换已有的、非本命令生成的文件（档案的记录文件永不替换）/ replace an existing file this "
                             "command did not write (never an archive's records)")(f)


def split_codes(values: tuple[str, ...]) -> list[str]:
    """`--select P,C00 --select Y1` -> ['P', 'C00', 'Y1'] (upper-cased)."""
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def cache_option(f: Callable) -> Callable:
    """--no-cache: read every file again (the cache: archive/reading/cache.py, SAFETRAIN_CACHE_DIR)."""
    return click.option("--no-cache", "no_cache", is_flag=True,
                        help="不使用解析缓存，重新读取每个文件 / read every file again, without the parse cache")(f)


def jobs_option(f: Callable) -> Callable:
    """-j N: check the archives of a workspace in N processes (default: runner.jobs_for)."""
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
                        help="同时检查的档案数（工作区；缺省：16 个档案以上用全部核心）/ archives checked at once "
                             "(workspaces; default: every core from 16 archives)")(f)
