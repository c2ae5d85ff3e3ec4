"""The regulator's queries of docs/export.md, taken from the page, give the
same answers on PostgreSQL, on the Parquet dataset in DuckDB and on SQLite,
and those answers are right."""

import re
import shutil
import sqlite3
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import certificate, config, credit_code, person, session

from safetrain.api import check_paths
from safetrain.archive.reading.codes import TABLES as CODE_TABLES
from safetrain.cli import main
from safetrain.rules.certstatus import certificate_state

duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (pip install -e '.[test]')")

REPO = Path(__file__).resolve().parents[2]
QUERIES = ("coverage by industry and district", "overdue reviews across businesses",
           "businesses without a drill this quarter")

# A fourth business for the sample workspace: a builder in another district with a
# certificate review overdue, an untrained new hire and no drill at all.
BUILDER = {
    "safetrain.toml": config(industry="construction", credit_code=credit_code(9)).replace("银川市兴庆区", "石嘴山市大武口区"),
    "people/W1.toml": person("吴一", roles='["special_operator"]', hired="2020-01-06",
                             extra=certificate(issued="2020-03-01", expires="2026-02-28")),
    "people/W2.toml": person("吴二", hired="2024-01-08"),
    "people/W3.toml": person("吴三", hired="2023-07-03"),
    "people/W4.toml": person("吴四", hired="2023-07-03", left="2024-03-31"),
    "sessions/S1.toml": session('{ person = "W1", score = 90 },\n  { person = "W3", score = 85 },\n'
                                '  { person = "W4", score = 95 }', type='"refresher"', level=None,
                                start="2023-09-05T08:30:00", end="2023-09-05T17:30:00"),
}


def doc_text() -> str:
    return (REPO / "docs" / "export.md").read_text(encoding="utf-8")


def doc_queries() -> dict[str, str]:
    blocks = re.findall(r"```sql\n(.*?)```", doc_text(), re.S)
    return {b.splitlines()[0].removeprefix("-- ").strip(): b for b in blocks}


def doc_duckdb(dataset: Path):
    """The page's Python snippet that opens the Parquet dataset in DuckDB, run on `dataset`."""
    snippets = [b for b in re.findall(r"```python\n(.*?)```", doc_text(), re.S) if "duckdb" in b]
    assert len(snippets) == 1
    code = snippets[0].replace('Path("/srv/safetrain/parquet")', f"Path({str(dataset)!r})")
    assert str(dataset) in code
    namespace: dict = {}
    exec(compile(code, "docs/export.md", "exec"), namespace)  # noqa: S102 - the documentation's own example
    return namespace["con"]


def normal(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, (Decimal, float)):
        return round(float(v), 1)
    return v


@pytest.fixture
def workspace(tmp_path, make_archive):
    ws = tmp_path / "ws"
    shutil.copytree(REPO / "sample_archive", ws)
    make_archive(BUILDER, root=ws / "shizuishan-builder")
    return ws


def answers(workspace, tmp_path, pg, as_of) -> dict[str, dict[str, list]]:
    """query -> engine -> rows, in the engine's order, values normalized."""
    db, dataset = tmp_path / "all.db", tmp_path / "parquet"
    for args in (["sqlite", str(db)], ["postgres", pg.dsn, "--schema", pg.schema], ["parquet", str(dataset)]):
        result = CliRunner().invoke(main, ["export", *args, str(workspace), "--as-of", str(as_of)])
        assert result.exit_code == 0, result.output
    lite, duck = sqlite3.connect(db), doc_duckdb(dataset)
    out = {}
    with pg.connect() as con:
        for name in QUERIES:
            sql = doc_queries()[name]
            out[name] = {engine: [tuple(normal(v) for v in row) for row in run(sql).fetchall()]
                         for engine, run in (("sqlite", lite.execute), ("postgres", con.execute),
                                             ("duckdb", duck.execute))}
    lite.close()
    return out


def expected(workspace, as_of):
    """The answers computed from the checked archives, without SQL."""
    coverage = defaultdict(lambda: [set(), 0, 0])
    overdue, no_drill = [], []
    first = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    for r in check_paths([workspace], as_of):
        a, e = r.archive, r.archive.config.enterprise
        key = (CODE_TABLES["industry"][e.industry][0], e.region)
        year_before = date(as_of.year - 1, as_of.month, as_of.day)
        for p in a.people.values():
            if not p.employed_on(as_of):
                continue
            coverage[key][0].add(e.credit_code)
            coverage[key][1] += 1
            coverage[key][2] += any(year_before < s.end.date() <= as_of and s.passed(att)
                                    for s in a.sessions.values() for att in s.attendees if att.person == p.id)
            for i, c in enumerate(p.certificates, 1):
                state = certificate_state(p, c, r.ruleset, e, as_of) if c.issued <= as_of else None
                if state and state.state in ("review_overdue", "expired"):
                    overdue.append((e.credit_code, e.name, e.region, p.id, p.name, c.category, state.state,
                                    state.due.isoformat(), i))
        days = sorted(d.date for d in a.drills.values())
        if not any(first <= d <= as_of for d in days):
            before = [d for d in days if d < first]
            no_drill.append((e.credit_code, e.name, e.region, first.isoformat(),
                             before[-1].isoformat() if before else None))
    cov = sorted((k[0], k[1], len(v[0]), v[1], v[2], round(100 * v[2] / v[1], 1)) for k, v in coverage.items())
    overdue = [row[:-1] for row in sorted(overdue, key=lambda row: (row[7], row[0], row[3], row[8]))]
    return {QUERIES[0]: cov, QUERIES[1]: overdue, QUERIES[2]: sorted(no_drill)}


def test_the_page_has_the_regulators_queries():
    assert set(QUERIES) <= set(doc_queries())


@pytest.mark.parametrize("as_of", [date(2024, 6, 30), date(2024, 4, 30)], ids=str)
def test_same_answers_on_postgres_parquet_and_sqlite(workspace, tmp_path, pg, as_of):
    got, want = answers(workspace, tmp_path, pg, as_of), expected(workspace, as_of)
    for name in QUERIES:
        by_engine = got[name]
        # the same rows on every engine; the order of Chinese text follows each engine's collation
        assert sorted(by_engine["sqlite"]) == sorted(by_engine["postgres"]) == sorted(by_engine["duckdb"]), name
        if name != QUERIES[0]:  # ordered by codes and dates only: the same order everywhere
            assert by_engine["sqlite"] == by_engine["postgres"] == by_engine["duckdb"], name
        assert (sorted(by_engine["sqlite"]) if name == QUERIES[0] else by_engine["sqlite"]) == want[name], name
    builder = credit_code(9)
    # not vacuous: each query finds something, including the deliberate problems
    coverage = {row[0]: row for row in got[QUERIES[0]]["postgres"]}
    assert coverage["建筑施工"][2:] == (1, 3, 2, 66.7)  # W4 left; W2 was never trained
    overdue = got[QUERIES[1]]["postgres"]
    assert (builder, "W1", "review_overdue", "2023-03-01") in {(r[0], r[3], r[6], r[7]) for r in overdue}
    no_drill = {r[0]: r[4] for r in got[QUERIES[2]]["postgres"]}
    assert no_drill[builder] is None
    if as_of == date(2024, 6, 30):
        assert ("91640181MA76K3H27T", "HS0112", "expired") in {(r[0], r[3], r[6]) for r in overdue}  # C002
        assert set(no_drill) == {builder}
    else:  # in April 2024 neither the machinery plant nor the restaurant had drilled yet (D001)
        assert no_drill == {"91640104MA75Q8D191": "2024-03-27", "91640104MA77B2N59D": "2024-03-21", builder: None}
