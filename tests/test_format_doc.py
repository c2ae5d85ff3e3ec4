"""docs/format.md, the archive format for people, against the program's own declaration of it
(spec.RECORD_KINDS, built from the models' `key(...)` lines, and codes.TABLES): every key, its
type, whether it is required and the order `fmt` writes; every code with its labels.

The page describes the format's second edition. Keys and kinds of it the program does not
declare yet are listed in PENDING: once they land, this test says which to remove from it,
and a key the program declares that the page lacks fails until the page describes it."""

import re
from pathlib import Path

from safetrain.archive.reading.codes import TABLES
from safetrain.archive.reading.spec import RECORD_KINDS, table_of
from safetrain.archive.reading import models

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "format.md").read_text("utf-8")

#: in docs/format.md (ARCHIVE-FORMAT.md v2) but not yet declared by the models
PENDING_KINDS: set[str] = set()
PENDING_KEYS: set[tuple[str, str]] = set()
PENDING_CODES: set[str] = set()

_CODE_NAMES = {id(t): name for name, t in TABLES.items()}


def documented(marker: str) -> dict[str, list[list[str]]]:
    """<!-- marker: name --> -> the rows of the table below it (cells without backticks)."""
    out = {}
    for m in re.finditer(rf"<!-- {marker}: (\S+) -->\n((?:\|.*\n?)+)", PAGE):
        rows = [[c.strip().strip("`") for c in line.strip().strip("|").split("|")] for line in m.group(2).splitlines()]
        out[m.group(1)] = rows[2:]  # after the header and the rule
    return out


def spec_table(name: str):
    if name == "waiver":
        return table_of(models.Waiver, "waiver")
    kind, *nested = name.split(".")
    table = RECORD_KINDS[kind].table
    for key in nested:
        table = table.fields[key].table
    return table


def type_of(fld) -> str:
    return f"{fld.kind}:{_CODE_NAMES[id(fld.codes)]}" if fld.codes is not None else fld.kind


def test_every_record_kind_and_nested_table_is_documented():
    tables = documented("table")
    for kind, rk in RECORD_KINDS.items():
        assert kind in tables, f"docs/format.md has no table of {kind} (<!-- table: {kind} -->)"
        for key, fld in rk.table.fields.items():
            if fld.kind in ("table", "tables"):
                assert f"{kind}.{key}" in tables, f"docs/format.md has no table of {kind}.{key}"
    landed = PENDING_KINDS & set(RECORD_KINDS)
    assert not landed, f"the record kinds {sorted(landed)} are declared now: remove them from PENDING_KINDS"
    unknown = {t.split(".")[0] for t in tables} - set(RECORD_KINDS) - PENDING_KINDS - {"waiver"}
    assert not unknown, f"docs/format.md documents kinds the program does not know: {sorted(unknown)}"


def test_every_key_type_requirement_and_order_agrees():
    for name, rows in documented("table").items():
        if name.split(".")[0] in PENDING_KINDS:
            continue
        spec = spec_table(name)
        doc_keys = [r[0] for r in rows if (name, r[0]) not in PENDING_KEYS]
        landed = {k for (t, k) in PENDING_KEYS if t == name and k in spec.fields}
        assert not landed, f"{name}: {sorted(landed)} are declared now: remove them from PENDING_KEYS"
        assert doc_keys == list(spec.fields), (
            f"docs/format.md, table {name}: the keys differ from the program's (in fmt's order).\n"
            f"  page:    {doc_keys}\n  program: {list(spec.fields)}")
        for key, typ, required, zh, en in (r[:5] for r in rows if r[0] in spec.fields):
            fld = spec.fields[key]
            assert typ == type_of(fld), f"{name}.{key}: the page says {typ}, the program {type_of(fld)}"
            assert bool(required) == fld.required, f"{name}.{key}: required on the page is {bool(required)}"
            assert zh and en, f"{name}.{key}: say it in Chinese and English"


def test_every_code_table_agrees():
    codes = documented("codes")
    for name, table in TABLES.items():
        assert name in codes, f"docs/format.md has no code table {name} (<!-- codes: {name} -->)"
        assert [tuple(r[:3]) for r in codes[name]] == [(c, zh, en) for c, (zh, en) in table.items()], name
    landed = PENDING_CODES & set(TABLES)
    assert not landed, f"the code tables {sorted(landed)} are declared now: remove them from PENDING_CODES"
    assert set(codes) - set(TABLES) - PENDING_CODES == set()


def test_the_readme_the_guides_and_generated_files_point_to_the_page(tmp_path):
    from click.testing import CliRunner

    from safetrain.archive.reading.jsonschema import schema_texts
    from safetrain.cli import main

    for doc in ("README.md", "docs/guide-zh.md", "docs/guide-en.md", "docs/cli.md"):
        assert "format.md" in (ROOT / doc).read_text("utf-8"), doc
    assert all("docs/format.md" in text for text in schema_texts().values())
    r = CliRunner().invoke(main, ["init", str(tmp_path / "a"), "--name", "某公司", "--credit-code",
                                  "91350100M000100Y43", "--industry", "catering", "--region", "银川市",
                                  "--crowded-place", "--uses-gas"])
    assert r.exit_code == 0, r.output
    assert "docs/format.md" in (tmp_path / "a" / "safetrain.toml").read_text("utf-8")
