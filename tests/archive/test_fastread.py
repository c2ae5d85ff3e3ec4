"""The one-pass reader (archive/reading/fastread.py) accepts a table only when
`validate` finds no problem in it, and then makes the model `build` makes."""

from __future__ import annotations

import copy
import random
import tomllib
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from safetrain.archive.reading.build import build
from safetrain.archive.reading.fastread import read
from safetrain.archive.reading.spec import RECORD_KINDS, kind_of_path
from safetrain.archive.reading.validate import validate_table

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"
#: values a mutation puts in place of another: every TOML type, bounds, look-alikes
ODD = ["", "x", "示例", "E1", "bad id!", "a" * 70, 0, -1, 1, 60, 1.5, -0.5, float("inf"), float("nan"), True, False,
       date(2023, 7, 1), datetime(2023, 7, 1, 8, 30), datetime(2023, 7, 1, 8, 30, tzinfo=timezone(timedelta(hours=8))),
       time(8, 30), [], ["x"], [1], [date(2024, 1, 1)], {}, {"path": "a.pdf"}, {"x": 1}, [{}], [{"person": "E1"}],
       "formal", "special_operation", "internal", "0" * 64, "g" * 64]


def _tables(root: Path) -> list[tuple[str, str, dict]]:
    out = []
    for path in sorted(root.rglob("*.toml")):
        rel = path.relative_to(root).as_posix()
        kind = kind_of_path(rel)
        if kind is not None:
            out.append((kind, rel, tomllib.loads(path.read_text("utf-8"))))
    return out


def _given(kind: str, rel: str) -> dict:
    if kind == "config":
        return {"file": rel}
    given = {"id": rel.rsplit("/", 1)[-1][:-5], "file": rel}
    return {**given, "pass_mark": 70} if kind == "session" else given


def _agrees(kind: str, rel: str, data: dict) -> bool:
    model = RECORD_KINDS[kind].model
    fast = read(model, data, _given(kind, rel))
    if validate_table(data, RECORD_KINDS[kind].table):
        assert fast is None, (rel, data)
        return False
    assert fast is None or fast == build(model, data, **_given(kind, rel)), (rel, data)
    return fast is not None


def _places(value, path=()):
    """Every key path inside a table, nested tables and arrays included."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + (k,)
            yield from _places(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield path + (i,)
            yield from _places(v, path + (i,))


def _mutated(data: dict, rng: random.Random) -> dict:
    data = copy.deepcopy(data)
    places = list(_places(data))
    if not places:
        return data
    where = rng.choice(places)
    parent = data
    for part in where[:-1]:
        parent = parent[part]
    last = where[-1]
    roll = rng.random()
    if roll < 0.15 and isinstance(parent, dict):
        del parent[last]
    elif roll < 0.25 and isinstance(parent, dict):
        parent[rng.choice(["x_note", "nmae", "extra"])] = rng.choice(ODD)
    else:
        parent[last] = copy.deepcopy(rng.choice(ODD))
    return data


@pytest.mark.parametrize("where", ["sample", "generated"])
def test_every_real_table_is_read_as_build_reads_it(where, generated_archive):
    tables = _tables(SAMPLE) if where == "sample" else _tables(generated_archive)
    accepted = sum(_agrees(kind, rel, data) for kind, rel, data in tables)
    assert accepted >= len(tables) - 3  # the samples hold a few files with problems on purpose


def test_mutated_tables_are_refused_unless_valid(generated_archive):
    rng = random.Random(11)
    tables = _tables(SAMPLE) + _tables(generated_archive)[:200]
    accepted = refused = 0
    for _ in range(6000):
        kind, rel, data = rng.choice(tables)
        if _agrees(kind, rel, _mutated(data, rng)):
            accepted += 1
        else:
            refused += 1
    assert accepted > 500 and refused > 500  # both ways were tried
