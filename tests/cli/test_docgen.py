"""docs/cli.md and the schema in docs/export.md are generated; they must be current."""

from pathlib import Path

from click.testing import CliRunner

from safetrain.cli import COMMANDS, _available, main
from safetrain.cli.docgen import WIDTH, cli_markdown, generated

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_generated_docs_are_up_to_date():
    for path, text in generated(DOCS).items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run `PYTHONPATH=. python -m safetrain.cli.docgen` and commit the result")


def test_cli_reference_is_every_command_help_verbatim():
    text = cli_markdown()
    for name in sorted(n for n in COMMANDS if _available(n)):
        assert f"\n## safetrain {name}\n" in text
        shown = CliRunner().invoke(main, [name, "--help"], prog_name="safetrain", terminal_width=WIDTH)
        assert shown.exit_code == 0
        assert f"```text\n{shown.output.rstrip()}\n```" in text
    assert "\n## safetrain export sqlite\n" in text


def test_cli_reference_is_deterministic():
    assert cli_markdown() == cli_markdown()
