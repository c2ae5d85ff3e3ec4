"""The user guides: both languages cover the command contract, every command
they name exists, every invocation of an available command parses, their
YAML is valid and their links lead somewhere."""

import re
import shlex
from pathlib import Path

import click
import pytest

from safetrain.cli import COMMANDS, _available, main

REPO = Path(__file__).resolve().parents[1]
GUIDES = [REPO / "docs" / "guide-zh.md", REPO / "docs" / "guide-en.md"]
# DESIGN.md's command contract; the guides describe each of them.
CONTRACT = ["init", "new", "attend", "import", "check", "explain", "rules", "status", "expiring", "matrix",
            "pair", "render", "ledger", "fmt", "schema", "export"]
# Pages another branch generates (docs/rules.md comes with the rule catalog).
PENDING = {"rules.md"}


def code_lines(text: str) -> list[str]:
    """Lines of fenced code blocks and inline code spans that run a safetrain
    command (not `safetrain --help` or `safetrain COMMAND …`)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced:
            lines.append(line.strip())
    lines += re.findall(r"`(safetrain [^`]+)`", text)
    lines = [line.split("#")[0].split("&&")[0].strip() for line in lines]
    return [line for line in lines if re.match(r"safetrain [a-z]+\b", line)]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guide_covers_the_command_contract(guide):
    text = guide.read_text(encoding="utf-8")
    named = {shlex.split(line)[1] for line in code_lines(text)}
    assert set(CONTRACT) <= named, sorted(set(CONTRACT) - named)
    assert named <= set(COMMANDS), sorted(named - set(COMMANDS))
    assert "import roster" in text


def invocations(text: str) -> list[str]:
    """Command lines to parse: every line of a fenced block, and inline spans that
    pass options (a bare `safetrain attend` in prose names the command, it does not run it)."""
    inline = {m for m in re.findall(r"`(safetrain [^`]+)`", text) if " -" not in m}
    return [line for line in code_lines(text) if line not in inline]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_invocations_of_available_commands_parse(guide):
    for line in invocations(guide.read_text(encoding="utf-8")):
        args = shlex.split(line)[1:]
        if not _available(args[0]) or "--help" in args:
            continue
        ctx = click.Context(main, info_name="safetrain")
        name, command, rest = main.resolve_command(ctx, args)
        while isinstance(command, click.Group) and rest:
            name, command, rest = command.resolve_command(click.Context(command, parent=ctx), rest)
        try:
            command.make_context(name, list(rest), parent=ctx)
        except click.UsageError as exc:
            pytest.fail(f"{guide.name}: `{line}` does not parse ({exc.format_message()}): fix the guide")


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_yaml_examples_are_valid_and_use_this_repositorys_hook(guide):
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    blocks = re.findall(r"```yaml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        config = yaml.safe_load(block)
        assert {h["id"] for r in config["repos"] for h in r["hooks"]} <= hooks


@pytest.mark.parametrize("page", [*GUIDES, REPO / "docs" / "export.md", REPO / "docs" / "cli.md",
                                  REPO / "examples" / "README.md"], ids=lambda p: p.name)
def test_relative_links_lead_somewhere(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        if Path(target).name in PENDING:
            continue
        assert (page.parent / target).exists(), f"{page.name}: broken link {target}"
