"""Each engine's column types come from the one table declaration, and the
declaration says which TEXT columns hold dates and which INTEGER ones flags."""

import re
import sqlite3
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from helpers import AS_OF

from safetrain.cli import main
from safetrain.export import parquet, postgres, tables

REPO = Path(__file__).resolve().parents[2]


def test_the_types_table_of_the_page_is_the_code():
    text = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    section = text.split("## 列的类型 / Column types", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (?:`(\w+)`)? *\| `([^`]+)` \| `([^`]+)` \|$", section, re.M)
    documented = {(t, kind or None): (pg, arrow) for t, kind, pg, arrow in rows}
    assert documented == {key: (postgres.TYPES[key][0], parquet.TYPES[key]) for key in postgres.TYPES}
    assert set(parquet.TYPES) == set(postgres.TYPES)
    used = {(c.type, c.kind) for t in tables.SCHEMA for c in t.columns}
    assert used <= set(postgres.TYPES)


def is_iso(value, kind) -> bool:
    try:
        (date if kind == tables.DATE else datetime).fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return len(value) == (10 if kind == tables.DATE else 19)


def test_declared_kinds_match_the_values(tmp_path):
    """A TEXT column whose values are all ISO dates is declared a date, and the
    other way round; an INTEGER column said to be 0/1 is declared a flag."""
    out = tmp_path / "sample.db"
    result = CliRunner().invoke(main, ["export", "sqlite", str(out), str(REPO / "sample_archive"),
                                       "--as-of", str(AS_OF)])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(out)
    for t in tables.SCHEMA:
        for c in t.columns:
            values = [v for (v,) in con.execute(f'SELECT DISTINCT "{c.name}" FROM "{t.name}"') if v is not None]
            if c.type == tables.TEXT and values:
                for kind in (tables.DATE, tables.DATETIME):
                    assert all(is_iso(v, kind) for v in values) == (c.kind == kind), (t.name, c.name)
            if c.type == tables.INTEGER:
                assert (c.kind == tables.BOOL) == ("(0/1)" in c.sqlite_doc), (t.name, c.name)
                if c.kind == tables.BOOL:
                    assert set(values) <= {0, 1}
    con.close()
