"""Generated documentation: docs/cli.md from every command's --help, and the
table reference in docs/export.md from the export schema.

    python -m safetrain.cli.docgen           # rewrite the generated pages
    python -m safetrain.cli.docgen --check   # exit 1 when one is out of date

Deterministic: a fixed terminal width, commands in name order, only the
commands this checkout has (COMMANDS entries whose module exists). A test
fails when a page is out of date; whoever adds or changes a command reruns it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

WIDTH = 100
SCHEMA_START = "<!-- generated: schema (python -m safetrain.cli.docgen) -->"
SCHEMA_END = "<!-- end of generated schema -->"

_CLI_HEAD = """\
# safetrain 命令参考 / command reference

由 `python -m safetrain.cli.docgen` 从每个命令的 `--help` 生成，请勿手工编辑。
Generated from every command's `--help` by `python -m safetrain.cli.docgen`; do not edit by hand.
See also: [用户指南](guide-zh.md) · [user guide](guide-en.md) · [档案格式 / the archive format](format.md) · [rules](rules.md) · [规则](rules-zh.md) · [export](export.md).
"""


def _help(command: click.Command, path: list[str], parent: click.Context | None) -> tuple[str, click.Context]:
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = command.context_class(command, info_name=path[-1], parent=parent, **settings)
    return command.get_help(ctx), ctx


def _walk(command: click.Command, path: list[str], parent: click.Context | None, out: list[str]) -> None:
    text, ctx = _help(command, path, parent)
    anchor = " ".join(path)
    out += [f"## {anchor}", "", "```text", text.rstrip(), "```", ""]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                _walk(sub, path + [name], ctx, out)


def cli_markdown() -> str:
    """docs/cli.md: the help of `safetrain` and of every command and sub-command."""
    from . import main
    from .options import remember_lang

    out = [_CLI_HEAD]
    remember_lang(None, "zh")  # click's own words (用法, 选项) in Chinese, whatever the locale
    try:
        _walk(main, ["safetrain"], None, out)
    finally:
        remember_lang(None, None)
    return "\n".join(out).rstrip("\n") + "\n"


def export_markdown(current: str) -> str:
    """docs/export.md with its generated schema section brought up to date."""
    from ..export.tables import schema_markdown

    head, sep, rest = current.partition(SCHEMA_START)
    _, sep2, tail = rest.partition(SCHEMA_END)
    if not sep or not sep2:
        raise ValueError(f"docs/export.md lacks the markers {SCHEMA_START!r} … {SCHEMA_END!r}")
    return f"{head}{SCHEMA_START}\n\n{schema_markdown()}\n{SCHEMA_END}{tail}"


def generated(docs: Path) -> dict[Path, str]:
    """Each generated page's path and the text it should have."""
    export = docs / "export.md"
    return {docs / "cli.md": cli_markdown(), export: export_markdown(export.read_text(encoding="utf-8"))}


def main(argv: list[str] | None = None) -> int:
    from ..archive.writing.atomic import write_text

    args = sys.argv[1:] if argv is None else argv
    docs = Path(__file__).resolve().parents[2] / "docs"
    stale = []
    for path, text in generated(docs).items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if "--check" not in args:
            write_text(path, text)
    for path in stale:
        print(f"{'out of date' if '--check' in args else 'wrote'}: {path}")
    return 1 if stale and "--check" in args else 0


if __name__ == "__main__":
    sys.exit(main())
