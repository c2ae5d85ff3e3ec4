"""safetrain schema: JSON Schemas of the file kinds, for editor completion."""

from __future__ import annotations

import click

from ..archive.reading.spec import RECORD_KINDS


@click.command()
@click.option("-o", "--output", "out", default="schemas", show_default=True, type=click.Path(file_okay=False),
              help="写入目录 / folder to write to")
@click.option("--taplo", is_flag=True, help="同时写出 .taplo.toml（在目录的上一级）/ also write a .taplo.toml next to the folder")
@click.option("--print", "show", type=click.Choice(list(RECORD_KINDS)),
              default=None, help="只把一种打印到标准输出 / print one kind to standard output instead")
def schema(out, taplo, show):
    """写出五种档案文件的 JSON Schema。

    Write JSON Schemas of the archive's file kinds (safetrain.toml, people,
    sessions, drills, mentorships), so editors such as Even Better TOML
    (taplo) complete and validate as people type. Point a file at one with a
    first line like `#:schema ../schemas/person.schema.json`, or use --taplo.
    """
    from pathlib import Path

    from ..archive.writing.atomic import write_text
    from ..archive.reading.jsonschema import SCHEMA_FILES, schema_texts, taplo_config

    texts = schema_texts()
    if show:
        click.echo(texts[SCHEMA_FILES[show]], nl=False)
        return
    folder = Path(out)
    for name, text in texts.items():
        write_text(folder / name, text)
        click.echo(str(folder / name))
    if taplo:
        target = folder.absolute().parent / ".taplo.toml"
        write_text(target, taplo_config(folder.name))
        click.echo(str(target))
