"""Options shared by several commands, as decorators (sqlite-utils style)."""

from __future__ import annotations

import os
from datetime import date
from typing import Callable

import click

from ..errors import SafetrainError


def default_lang() -> str:
    """Chinese first; English for an English locale (LC_ALL, LC_MESSAGES, LANG) or SAFETRAIN_LANG."""
    explicit = os.environ.get("SAFETRAIN_LANG")
    if explicit in ("zh", "en"):
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            opt = param.opts[0] if param is not None and param.opts else "DATE"
            raise SafetrainError(f"{opt} 不是 YYYY-MM-DD 格式的日期：{value!r}",
                                 f"{opt} is not a date in YYYY-MM-DD form: {value!r}") from None


DATE = DateType()


_LANG_KEY = "safetrain.lang"


def _chosen_lang(ctx: click.Context, param, value: str | None) -> str:
    value = value or default_lang()
    ctx.meta[_LANG_KEY] = value  # shared by every context of the run: the error handler reads it
    return value


def lang_option(f: Callable) -> Callable:
    """--lang zh|en; the command receives the language chosen (the locale's when not given)."""
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=None, callback=_chosen_lang, is_eager=True,
                        help="消息语言 / message language (default: zh, en for an English locale)")(f)


def current_lang(ctx: click.Context | None = None) -> str:
    """The language of this run: --lang when a command was given one, else the locale's."""
    ctx = ctx or click.get_current_context(silent=True)
    return (ctx.meta.get(_LANG_KEY) if ctx is not None else None) or default_lang()


def as_of_option(f: Callable) -> Callable:
    return click.option("--as-of", "as_of", type=DATE, default=None, metavar="DATE",
                        help="评估日期（缺省今天）/ evaluation date (default: today)")(f)


def format_option(*choices: str) -> Callable:
    def decorate(f: Callable) -> Callable:
        return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                            help="输出格式 / output format")(f)
    return decorate


def archive_option(f: Callable) -> Callable:
    return click.option("-a", "--archive", "archive", type=click.Path(file_okay=False), default=".",
                        show_default=True, help="档案目录（缺省从当前目录向上查找）/ archive folder (default: found from here upwards)")(f)


def split_codes(values: tuple[str, ...]) -> list[str]:
    """`--select P,C00 --select Y1` -> ['P', 'C00', 'Y1'] (upper-cased)."""
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
