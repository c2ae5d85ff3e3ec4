"""safetrain fmt: one canonical layout for every record file."""

from __future__ import annotations

import sys

import click

from .options import lang_option
from .support import echo


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--check", is_flag=True, help="只列出需要格式化的文件，有则以 1 退出（用于 CI）/ only list files that would change; exit 1 if any (for CI)")
@lang_option
def fmt(paths, check, lang):
    """规范档案文件的格式，使 git diff 保持简洁。

    Lay out every record file the same way: keys in the format's order
    (unknown x_ keys after the known ones), `key = value`, dates as
    2023-07-15, one attendee per line, comments kept. PATHS may be archives,
    folders inside one, workspaces or single files (default: the current
    folder). Files that are not valid TOML (A001) are reported and never
    touched. With --check nothing is written; exit 1 when a file would change.
    """
    from ..archive.writing.formatting import format_paths

    counts = {"changed": 0, "unchanged": 0, "invalid": 0, "skipped": 0}
    for result in format_paths(paths or ["."], check=check):
        counts[result.status] += 1
        if result.status == "changed":
            echo(lang, f"{'需要格式化' if check else '已格式化'} {result.path}",
                 f"{'would reformat' if check else 'reformatted'} {result.path}")
        elif result.status == "invalid":
            echo(lang, f"{result.path}：不是有效的 TOML，未处理：{result.zh}",
                 f"{result.path}: not valid TOML, left alone: {result.en}", err=True)
        elif result.status == "skipped":
            echo(lang, f"{result.path}：保留原样：{result.zh}", f"{result.path}: left as it is: {result.en}", err=True)
    done = "需要格式化" if check else "已格式化"
    echo(lang, f"{counts['changed']} 个文件{done}，{counts['unchanged']} 个无需改动"
               + (f"，{counts['invalid']} 个无效" if counts["invalid"] else ""),
         f"{counts['changed']} file(s) {'would be reformatted' if check else 'reformatted'}, "
         f"{counts['unchanged']} unchanged" + (f", {counts['invalid']} invalid" if counts["invalid"] else ""))
    sys.exit(1 if counts["invalid"] or (check and counts["changed"]) else 0)
