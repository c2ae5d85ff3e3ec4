"""click's own words (usage, help headings, usage errors, prompts) in Chinese when the
run's language is Chinese.

click looks its messages up with gettext (`_` and `ngettext` in each of its
modules); `install()` puts a look-up there that answers from the table below
in a Chinese run and leaves every other message, and every English run, as
click wrote it. A message click adds later and this table lacks stays English.
"""

from __future__ import annotations

import gettext as _gettext
import importlib

#: click's message -> Chinese
MESSAGES = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少子命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",  # (click's type names are English)
    "{value} is not in the range {range}.": "{value} 不在允许的范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    # {name} is click's English "File", "Directory" or "Path", fixed when the option is made: not said
    "{name} {filename!r} does not exist.": "路径 {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{filename!r} 是目录（这里要的是文件）。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件（这里要的是目录）。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Aborted!": "已取消。",
    "Error: invalid input": "错误：输入无效",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Repeat for confirmation": "再输入一次以确认",
    "default: {default}": "缺省：{default}",
    "required": "必填 / required",  # as the options made from the format's keys say it (support.field_help)
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Confirm the action without prompting.": "不询问，直接执行。",
    "Do you want to continue?": "是否继续？",
    "Press any key to continue...": "按任意键继续……",
}
#: click's (singular, plural) -> (Chinese singular, Chinese plural)
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("多余的参数（{args}）", "多余的参数（{args}）"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("是否应为 {possibility}？", "（是否应为其中之一：{possibilities}？）"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("选项 {name!r} 需要一个值。", "选项 {name!r} 需要 {nargs} 个值。"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} 不是 {choice}。", "{value!r} 不是可选值之一：{choices}。"),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} 不符合格式 {format}。", "{value!r} 不符合任一格式：{formats}。"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("需要 {nargs} 个值，只给了 1 个。", "需要 {nargs} 个值，给了 {len} 个。"),
}
_MODULES = ("core", "exceptions", "formatting", "parser", "types", "decorators", "termui")


def _chinese() -> bool:
    from .options import current_lang

    return current_lang() != "en"


def gettext(message: str) -> str:
    if _chinese() and message in MESSAGES:
        return MESSAGES[message]
    return _gettext.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _chinese() and (singular, plural) in PLURALS:
        zh = PLURALS[(singular, plural)]
        return zh[0] if n == 1 else zh[1]
    return _gettext.ngettext(singular, plural, n)


def install() -> None:
    """Answer click's look-ups from the tables above (once per process). click keeps each
    command's --help option once made, with its help text in the language of that
    moment; it is made afresh for each run so the text follows the run's language."""
    import click

    made = click.core.Command.get_help_option
    if not getattr(made, "_per_run", False):
        def get_help_option(self, ctx):
            self._help_option = None
            return made(self, ctx)

        get_help_option._per_run = True
        click.core.Command.get_help_option = get_help_option
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) is not None:
            module._ = gettext
        if getattr(module, "ngettext", None) is not None:
            module.ngettext = ngettext
