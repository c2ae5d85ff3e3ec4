"""safetrain fmt: one canonical layout for every record file."""

from __future__ import annotations

import sys

import click

from .options import cache_option, lang_option, PathType
from .support import confirm, echo, is_terminal, say

#: encoding -> (done zh, done en, to do zh, to do en)
_ENCODING = {"bom": ("已去掉 UTF-8 BOM", "UTF-8 byte-order mark removed",
                     "将去掉 UTF-8 BOM", "UTF-8 byte-order mark to remove"),
             "gb18030": ("已从 GBK/GB18030 转为 UTF-8", "converted from GBK/GB18030 to UTF-8",
                         "将从 GBK/GB18030 转为 UTF-8", "to convert from GBK/GB18030 to UTF-8")}


def _line(result, check: bool, lang: str) -> str:
    zh = f"{'需要格式化' if check else '已格式化'} {result.path}"
    en = f"{'would reformat' if check else 'reformatted'} {result.path}"
    if result.encoding:
        note_zh, note_en = _ENCODING[result.encoding][2:] if check else _ENCODING[result.encoding][:2]
        zh, en = f"{zh}（{note_zh}）", f"{en} ({note_en})"
    return say(lang, zh, en)


@click.command()
@click.argument("paths", nargs=-1, type=PathType(exists=True))
@click.option("--check", is_flag=True, help="只列出需要格式化的文件，有则以 1 退出（用于 CI）/ only list files that would change; exit 1 if any (for CI)")
@click.option("-y", "--yes", is_flag=True, help="不询问，直接修改 / change the files without asking")
@cache_option
@lang_option
def fmt(paths, check, yes, no_cache, lang):
    """规范档案文件的格式，使 git diff 保持简洁。

    Lay out every record file the same way: keys in the format's order
    (unknown x_ keys after the known ones), `key = value`, dates as
    2023-07-15, one attendee per line, comments kept; a UTF-8 byte-order
    mark is removed and a GBK/GB18030 file converted to UTF-8 (each said so).
    PATHS may be archives, folders inside one (the files under that folder
    only), workspaces or single files (default: the current folder: the
    whole archive at its root, the files under it in a folder inside). Files that are not valid TOML (A001) are reported and
    never touched, and a folder that cannot be read is reported as they are
    (exit 1: its files were not seen); an archive that cannot be formatted at all (a newer
    format, a safetrain.toml that cannot be read or whose `format` is no version, so of a
    format unknown, an unreadable folder) is reported and the others are done (exit 2); one
    whose safetrain.toml states its format is formatted, that file too, whatever else in it
    is wrong (an unknown industry code). On a terminal the files to change are listed and you are
    asked first (--yes does not ask). With --check nothing is written;
    exit 1 when a file would change. The cache remembers the files found in the layout, by
    their bytes: a second run judges only the files changed since (--no-cache: every file).
    """
    from functools import partial

    from ..api import cache_tool
    from ..archive.reading.discover import named_paths
    from ..archive.writing import formatting

    format_paths = partial(formatting.format_paths, tool=None if no_cache else cache_tool())
    paths = named_paths(paths, "fmt")
    if not check and not yes and is_terminal():  # judged once, listed, asked; then only those files written
        judged = list(format_paths(paths, check=True))
        pending = [r for r in judged if r.status == "changed"]
        if not pending:
            echo(lang, "没有需要格式化的文件", "nothing to reformat")
        else:
            for result in pending:
                click.echo(_line(result, True, lang))
            if not confirm(lang, f"修改以上 {len(pending)} 个文件？", f"change these {len(pending)} file(s)?"):
                echo(lang, "未修改任何文件", "nothing changed")
                sys.exit(1)
        try:
            written = {r.path: r for r in format_paths(paths, only={r.path for r in pending})} if pending else {}
        except KeyboardInterrupt:
            raise _interrupted() from None
        results = [written.get(r.path, r) if r.status == "changed" else r for r in judged]
    else:
        results = format_paths(paths, check=check)
    counts = {"changed": 0, "unchanged": 0, "invalid": 0, "unreadable": 0, "skipped": 0, "failed": 0}
    try:
        _said(results, counts, check, lang)
    except KeyboardInterrupt:
        raise _interrupted() from None
    done = "需要格式化" if check else "已格式化"
    echo(lang, f"{counts['changed']} 个文件{done}，{counts['unchanged']} 个无需改动"
               + (f"，{counts['invalid']} 个无效" if counts["invalid"] else ""),
         f"{counts['changed']} file(s) {'would be reformatted' if check else 'reformatted'}, "
         f"{counts['unchanged']} unchanged" + (f", {counts['invalid']} invalid" if counts["invalid"] else ""))
    sys.exit(2 if counts["failed"] else 1 if counts["invalid"] or (check and counts["changed"]) else 0)


def _said(results, counts: dict, check: bool, lang: str) -> None:
    """Each result said as it comes, and counted."""
    for result in results:
        counts[result.status] += 1
        if result.status == "changed":
            click.echo(_line(result, check, lang))
        elif result.status == "invalid":
            echo(lang, f"{result.path}：不是有效的 TOML，未处理：{result.zh}",
                 f"{result.path}: not valid TOML, left alone: {result.en}", err=True)
        elif result.status == "unreadable":
            counts["invalid"] += 1
            echo(lang, f"{result.path}：{result.zh}，未处理", f"{result.path}: {result.en}, left alone", err=True)
        elif result.status == "skipped":
            echo(lang, f"{result.path}：保留原样：{result.zh}", f"{result.path}: left as it is: {result.en}", err=True)
        elif result.status == "failed":
            named = result.path in result.zh  # a file that could not be written names itself
            echo(lang, f"错误：{result.zh}" + ("" if named else f"；档案：{result.path}"),
                 f"error: {result.en}" + ("" if named else f"; archive: {result.path}"), err=True)


def _interrupted():
    """What a run interrupted half-way had rewritten (each file whole: written atomically)."""
    from ..archive.writing import formatting
    from ..errors import Interrupted

    rewritten = list(formatting.written)
    if not rewritten:
        return Interrupted("未修改任何文件", "no file was changed")
    return Interrupted(f"中断前已格式化 {len(rewritten)} 个文件（每个文件都完整；最后一个：{rewritten[-1]}）；再次运行即可完成",
                       f"{len(rewritten)} file(s) were reformatted before it (each whole; the last: {rewritten[-1]}); "
                       "run it again to finish")
