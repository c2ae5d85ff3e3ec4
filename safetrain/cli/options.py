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


class BadInput(click.ClickException):
    """Input the user can fix, said on one line (no usage block), exit 2."""

    exit_code = 2


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            opt = param.opts[0] if param is not None and param.opts else "DATE"
            raise BadInput(f"{opt} 不是 YYYY-MM-DD 格式的日期 / {opt} is not a date in YYYY-MM-DD form: {value!r}") from None


DATE = DateType()


def lang_option(f: Callable) -> Callable:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                        help="消息语言 / message language (default: zh, en for an English locale)")(f)


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


def resolve_lang(lang: str | None) -> str:
    return lang or default_lang()


class Failure(click.ClickException):
    """A one-line error, Chinese or English; exit 2 (usage) unless told otherwise."""

    def __init__(self, message: str, lang: str, exit_code: int = 2):
        super().__init__(message)
        self.lang = lang
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(("error: " if self.lang == "en" else "错误：") + self.message, err=True)


def fail(exc: SafetrainError, lang: str) -> Failure:
    """A library error as a one-line CLI error with exit status 2."""
    return Failure(exc.message(lang), lang)


def split_codes(values: tuple[str, ...]) -> list[str]:
    """`--select P,C00 --select Y1` -> ['P', 'C00', 'Y1'] (upper-cased)."""
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
