"""safetrain schema: JSON Schemas of the file kinds, for editor completion."""

from __future__ import annotations

import click

from ..archive.reading.spec import RECORD_KINDS
from .options import force_option, lang_option, PathType
from .support import tell_replaced


@click.command()
@click.option("-o", "--output", "out", default="schemas", show_default=True, type=PathType(file_okay=False),
              help="写入目录 / folder to write to")
@click.option("--taplo", is_flag=True, help="同时写出 .taplo.toml（在目录的上一级）/ also write a .taplo.toml next to the folder")
@click.option("--print", "show", type=click.Choice(list(RECORD_KINDS)),
              default=None, help="只把一种打印到标准输出 / print one kind to standard output instead")
@force_option
@lang_option
def schema(out, taplo, show, force, lang):
    """写出各种档案文件的 JSON Schema。

    Write JSON Schemas of the archive's file kinds (safetrain.toml, people,
    sessions, drills, mentorships, introductions, plans), so editors such as
    Even Better TOML (taplo) complete and validate as people type. Point a
    file at one with a first line like `#:schema ../schemas/person.schema.json`,
    or use --taplo.
    Descriptions are in Chinese and English, or only in --lang's language
    when it is given. The format itself is described in docs/format.md.
    Schemas written before are replaced; other files only with --force.
    """
    from pathlib import Path

    from ..archive.writing.atomic import write_text
    from ..archive.writing.outputs import claim_output, claim_outputs
    from ..archive.reading.jsonschema import SCHEMA_FILES, schema_texts, taplo_config, written_by_safetrain

    explicit = click.get_current_context().get_parameter_source("lang") == click.core.ParameterSource.COMMANDLINE
    from ..api import waivable_codes

    texts = schema_texts(lang if explicit else None, waivable_codes())
    if show:
        click.echo(texts[SCHEMA_FILES[show]], nl=False)
        return
    folder = Path(out)
    targets = claim_outputs(folder, list(texts), force=force, ours=written_by_safetrain)
    if taplo:
        targets.append(claim_output(folder.absolute().parent / ".taplo.toml", force=force, ours=written_by_safetrain))
    for name, text in texts.items():
        write_text(folder / name, text)
        click.echo(str(folder / name))
    if taplo:
        write_text(targets[-1].path, taplo_config(folder.name))
        click.echo(str(targets[-1].path))
    tell_replaced(lang, targets)
