"""safetrain export parquet: one Hive-partitioned dataset per table, typed,
deterministic, re-exported one partition at a time; DuckDB reads it."""

import hashlib
import os
import sqlite3
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ACME_CODE, assert_troubled, AS_OF, BETA_CODE, credit_code, person, table_rows

from safetrain.api import check_path
from safetrain.cli import main
from safetrain.export.sqlite import orphans_sql
from safetrain.export import tables
from safetrain.export.keyed import EXPORTS
from safetrain.export.parquet import DATASETS, TYPES

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install -e '.[test]')")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed (pip install -e '.[test]')")
duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (pip install -e '.[test]')")

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"
PER_ARCHIVE = [t for t in (*tables.SCHEMA, EXPORTS) if t.name != "labels"]


def export_pq(out, *paths, extra=(), lang="en"):
    return CliRunner().invoke(main, ["export", "parquet", str(out), *map(str, paths), "--as-of", str(AS_OF),
                                     "--lang", lang, *extra])


def files(out: Path) -> dict[str, str]:
    """Every file under `out` (relative path -> sha256)."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def duck(out: Path):
    """A DuckDB connection with one view per dataset, as docs/export.md shows."""
    con = duckdb.connect()
    for t in (*tables.SCHEMA, EXPORTS):
        if t.name == "labels":
            source = f"read_parquet('{out}/labels/*.parquet')"
        else:
            source = (f"read_parquet('{out}/{t.name}/*/*.parquet', hive_partitioning = true, "
                      "hive_types = {'credit_code': VARCHAR})")
        con.execute(f"CREATE VIEW {t.name} AS SELECT * FROM {source}")
    return con


def test_layout_one_dataset_per_table_partitioned_by_credit_code(tmp_path, export_workspace):
    out = tmp_path / "pq"
    result = export_pq(out, export_workspace)
    assert result.exit_code == 0, result.output
    con = duck(out)
    found = sum(len(check_path(export_workspace / name, AS_OF).findings) for name in ("acme", "beta"))
    total = sum(con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] for t in tables.SCHEMA
                if t.name != "labels")
    assert result.output == (f"{out}: 2 archive(s) exported, 6 people, 3 sessions, 7 attendance rows, "
                             f"{found} findings; {total} rows\n")
    expected = {f"{t.name}/credit_code={code}/part-0.parquet" for t in PER_ARCHIVE for code in (ACME_CODE, BETA_CODE)}
    expected.add("labels/part-0.parquet")
    assert set(files(out)) == expected  # empty partitions too; no temporary file left
    enterprises = pq.read_table(out / "enterprises" / f"credit_code={ACME_CODE}" / "part-0.parquet")
    assert "credit_code" not in enterprises.column_names  # it is the partition column
    assert enterprises.column("archive").to_pylist() == ["acme"]
    assert con.execute("SELECT archive, credit_code, name FROM enterprises ORDER BY archive").fetchall() == [
        ("acme", ACME_CODE, "宁夏测试机械有限公司"), ("beta", BETA_CODE, "宁夏测试机械有限公司")]
    assert con.execute("SELECT COUNT(*) FROM violations").fetchone() == (0,)  # empty, yet readable


def test_columns_typed_and_documented(tmp_path, export_workspace):
    out = tmp_path / "pq"
    assert export_pq(out, export_workspace).exit_code == 0
    for t in (*tables.SCHEMA, EXPORTS):
        path = out / t.name / ("part-0.parquet" if t.name == "labels" else f"credit_code={ACME_CODE}/part-0.parquet")
        schema = pq.read_schema(path)
        assert schema.metadata[b"description"].decode() == t.doc
        assert schema.metadata[b"primary_key"].decode() == ",".join(t.key)
        stored = [c for c in t.columns if c.name != "credit_code" or t.name == "labels"]
        assert schema.names == [c.name for c in stored]
        for c in stored:
            f = schema.field(c.name)
            assert f.type == pa.type_for_alias(TYPES[(c.type, c.kind)]), (t.name, c.name)
            assert f.nullable == (not c.required)
            assert f.metadata[b"description"].decode() == c.doc and "(0/1)" not in c.doc
    types = dict(duck(out).execute("SELECT column_name, column_type FROM (DESCRIBE sessions)").fetchall())
    assert (types["start"], types["hours"], types["credit_code"]) == ("TIMESTAMP", "DOUBLE", "VARCHAR")
    types = dict(duck(out).execute("SELECT column_name, column_type FROM (DESCRIBE people)").fetchall())
    assert (types["hired"], types["active"]) == ("DATE", "BOOLEAN")
    con = duck(out)
    assert con.execute("SELECT start, hours FROM sessions WHERE id = 'S2'").fetchone() == (
        datetime(2024, 3, 5, 8, 30), 6.0)
    assert con.execute("SELECT hired, active FROM people WHERE id = 'E3'").fetchone() == (date(2023, 7, 3), False)


def test_sample_workspace_round_trips_and_foreign_keys_hold(tmp_path):
    db, out = tmp_path / "sample.db", tmp_path / "pq"
    assert CliRunner().invoke(main, ["export", "sqlite", str(db), str(SAMPLE), "--as-of", str(AS_OF)]).exit_code == 0
    result = export_pq(out, SAMPLE)
    assert result.exit_code == 0, result.output
    lite, con = sqlite3.connect(db), duck(out)
    for t in tables.SCHEMA:
        assert con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone() == lite.execute(
            f'SELECT COUNT(*) FROM "{t.name}"').fetchone(), t.name
        assert table_rows(con, t) == table_rows(lite, t), t.name
        for fk in t.foreign_keys:  # the SQLite export's own key check, asked of the dataset
            assert con.execute(orphans_sql(t, fk)).fetchone() is None, (t.name, fk)
    # keys are unique across the whole dataset
    for t in tables.SCHEMA:
        keys = ", ".join(f'"{k}"' for k in t.key)
        assert con.execute(f'SELECT COUNT(*) - COUNT(DISTINCT ({keys})) FROM "{t.name}"').fetchone() == (0,)
    assert con.execute("SELECT archive, as_of, tool_version FROM exports ORDER BY archive").fetchall() == [
        ("hongshan-coal", AS_OF, "0.1.0"), ("xingqing-machinery", AS_OF, "0.1.0"), ("yinchuan-bbq", AS_OF, "0.1.0")]
    lite.close()


def test_same_archives_give_the_same_bytes(tmp_path, export_workspace, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    assert export_pq(a, export_workspace).exit_code == 0
    monkeypatch.chdir(export_workspace)  # another spelling of the paths, in another order
    assert export_pq(b, "beta", "acme").exit_code == 0
    assert files(a) == files(b)
    assert export_pq(a, export_workspace).exit_code == 0
    assert files(a) == files(b)


def test_the_parse_cache_changes_nothing_but_the_time(tmp_path, export_workspace, monkeypatch):
    """export parquet reads through the parse cache as check does (--no-cache: every file read):
    the same dataset made, served from the cache, and without it."""
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "cache"))
    runs = {name: tmp_path / name for name in ("made", "served", "without")}
    assert export_pq(runs["made"], export_workspace).exit_code == 0
    assert (tmp_path / "cache").is_dir()  # the cache was used
    assert export_pq(runs["served"], export_workspace).exit_code == 0
    assert export_pq(runs["without"], export_workspace, extra=("--no-cache",)).exit_code == 0
    assert files(runs["made"]) == files(runs["served"]) == files(runs["without"])


def test_reexport_replaces_that_partition_only(tmp_path, export_workspace):
    out = tmp_path / "pq"
    assert export_pq(out, export_workspace).exit_code == 0
    before = files(out)
    beta_stats = {p: os.stat(p).st_mtime_ns for p in out.glob(f"*/credit_code={BETA_CODE}/part-0.parquet")}
    acme = export_workspace / "acme"
    (acme / "people" / "E3.toml").unlink()
    (acme / "people" / "E5.toml").write_text(person("周九", hired="2024-02-01"), encoding="utf-8")
    result = export_pq(out, acme)
    assert result.exit_code == 0, result.output
    after = files(out)
    changed = {name for name in after if after[name] != before[name]}
    assert changed and all(f"credit_code={ACME_CODE}/" in name for name in changed)
    assert {p: os.stat(p).st_mtime_ns for p in beta_stats} == beta_stats  # not even rewritten
    con = duck(out)
    assert [r[0] for r in con.execute("SELECT id FROM people WHERE credit_code = ? ORDER BY id",
                                      [ACME_CODE]).fetchall()] == ["E1", "E2", "E4", "E5"]
    assert con.execute("SELECT COUNT(*) FROM people WHERE credit_code = ?", [BETA_CODE]).fetchone() == (2,)


def test_failed_export_leaves_the_previous_files(tmp_path, export_workspace, monkeypatch):
    out = tmp_path / "pq"
    assert export_pq(out, export_workspace).exit_code == 0
    before = files(out)
    (export_workspace / "acme" / "people" / "E6.toml").write_text(person("新人"), encoding="utf-8")
    original, calls = pq.write_table, []

    def write_table(table, where, **options):
        calls.append(where)
        if len(calls) == 7:  # the labels and five of acme's files written: the disk is full at the sixth
            raise OSError("disk full")
        original(table, where, **options)

    monkeypatch.setattr(pq, "write_table", write_table)
    result = export_pq(out, export_workspace)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "Traceback" not in result.output
    failed = calls[-1]  # acme's sixth file, named in the error
    assert f"credit_code={ACME_CODE}" in str(failed)
    assert result.output == f"error: cannot write {out / Path(failed).relative_to(out).parent / 'part-0.parquet'}: disk full\n"
    assert files(out) == before  # no new file, no temporary file, nothing replaced


def test_id_numbers_masked_unless_the_archive_opts_out(tmp_path, export_workspace):
    out = tmp_path / "pq"
    assert export_pq(out, export_workspace).exit_code == 0
    con = duck(out)
    assert con.execute("SELECT id, id_number FROM people WHERE id_number IS NOT NULL ORDER BY id").fetchall() == [
        ("B1", "640121197811230028"), ("E1", "640104********0014"), ("E4", "640104********0013")]
    assert con.execute("SELECT number FROM certificates").fetchall() == [("T640104********0013",)]
    assert export_pq(out, export_workspace, extra=["--unmasked"]).exit_code == 0
    assert duck(out).execute("SELECT id_number FROM people WHERE id = 'E1'").fetchone() == ("640104199003070014",)


def test_archives_that_cannot_be_keyed_are_set_aside(tmp_path, make_archive):
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person()}, root=ws / "good", credit_code=credit_code(7))
    make_archive({}, root=ws / "bad", credit_code="91640104MA0000001X")  # wrong check character
    make_archive({}, root=ws / "twin-a", credit_code=credit_code(8))
    make_archive({}, root=ws / "twin-b", credit_code=credit_code(8))
    make_archive({"safetrain.toml": "format = 1\n[enterprise]\nname = 1\n"}, root=ws / "broken")
    out = tmp_path / "pq"
    result = export_pq(out, ws)
    assert result.exit_code == 2  # an archive whose safetrain.toml cannot be used: an error, as in every export
    assert result.stdout.startswith(f"{out}: 1 archive(s) exported, 1 people, ")
    lines = result.stderr.splitlines()
    assert len(lines) == 4, lines
    assert lines[0].startswith("error: ") and "broken/safetrain.toml has errors: " in lines[0]
    assert all(line.startswith("warning: ") for line in lines[1:])
    assert "bad/safetrain.toml: `enterprise.credit_code` is invalid (the check character should be" in lines[1]
    assert f"twin-a/safetrain.toml: credit code {credit_code(8)} is also that of " in lines[2]
    assert lines[2].endswith("twin-b/safetrain.toml; neither is exported")
    assert {p.name for p in (out / "enterprises").iterdir()} == {f"credit_code={credit_code(7)}"}
    shutil.rmtree(ws / "broken")
    result = export_pq(out, ws, lang="zh")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"已替换此前生成的 {len(DATASETS) + 1} 个文件"
    assert all(line.startswith("警告：") and "未导出" in line for line in result.stderr.splitlines()[1:])


def test_missing_pyarrow_names_the_extra(monkeypatch, tmp_path, export_workspace):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = export_pq(tmp_path / "pq", export_workspace)
    assert result.exit_code == 2
    assert result.output == 'error: exporting Parquet needs pyarrow: pip install "safetrain[parquet]"\n'
    assert not (tmp_path / "pq").exists()
    result = export_pq(tmp_path / "pq", export_workspace, lang="zh")
    assert result.output == '错误：导出 Parquet 需要 pyarrow：pip install "safetrain[parquet]"\n'


def test_many_archives_checked_in_worker_processes_give_the_same_dataset(tmp_path, make_archive):
    ws = tmp_path / "ws"
    for n in range(20):
        make_archive({"people/E1.toml": person(f"员工{n}"), "people/E2.toml": person(hired="2024-01-02")},
                     root=ws / f"a{n:02d}", credit_code=credit_code(100 + n))
    serial, pooled = tmp_path / "serial", tmp_path / "pooled"
    assert export_pq(serial, ws, extra=["--jobs", "1"]).exit_code == 0
    result = export_pq(pooled, ws, extra=["--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{pooled}: 20 archive(s) exported, 40 people")
    assert files(serial) == files(pooled) and len(files(pooled)) == 20 * len(DATASETS) + 1


def test_out_must_be_a_folder(tmp_path, export_workspace):
    target = tmp_path / "file.parquet"
    target.write_text("x")
    result = export_pq(target, export_workspace)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert target.read_text() == "x"


def test_files_this_export_did_not_write_are_replaced_only_with_force(tmp_path, export_workspace):
    out = tmp_path / "pq"
    theirs = out / "people" / f"credit_code={ACME_CODE}" / "part-0.parquet"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"someone else's data")
    result = export_pq(out, export_workspace)
    assert result.exit_code == 2 and result.output == (
        f"error: {theirs} exists and is not an earlier output of this command: --force replaces it, "
        "or choose another name\n")
    assert theirs.read_bytes() == b"someone else's data"
    assert not (out / "enterprises" / f"credit_code={ACME_CODE}").exists()  # acme's files are claimed before any
    result = export_pq(out, export_workspace, extra=["--force"])
    assert result.exit_code == 0 and f"replaced {theirs} (--force)" in result.stderr
    assert duck(out).execute("SELECT COUNT(*) FROM people").fetchone() == (6,)
    result = export_pq(out, export_workspace)  # its own earlier files: replaced, and said so
    assert result.exit_code == 0 and result.stderr == f"replaced {2 * len(DATASETS) + 1} files written by an earlier run\n"


def test_never_into_an_archives_records(tmp_path, export_workspace):
    result = export_pq(export_workspace / "acme" / "people" / "pq", export_workspace)
    assert result.exit_code == 2 and "is inside the people of the archive" in result.output
    assert not (export_workspace / "acme" / "people" / "pq").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_archive_that_cannot_be_checked_is_reported_and_the_others_are_exported(tmp_path, troubled_workspace,
                                                                                   jobs):
    out = tmp_path / "pq"
    result = export_pq(out, troubled_workspace, extra=["--jobs", jobs])
    assert result.exit_code == 2, result.output
    assert result.stdout.startswith(f"{out}: 2 archive(s) exported, 2 people, ")
    assert_troubled(result.stderr)
    assert {p.name for p in (out / "people").iterdir()} == {f"credit_code={credit_code(40)}",
                                                            f"credit_code={credit_code(44)}"}


def test_a_name_held_by_another_credit_code_is_not_exported(tmp_path, export_workspace, make_archive):
    """As in PostgreSQL: an archive whose folder name the dataset holds for another credit code is
    set aside (a warning, exit 1), so a query by archive name never counts two enterprises."""
    out = tmp_path / "pq"
    assert export_pq(out, export_workspace).exit_code == 0
    before = files(out)
    other = make_archive({"people/X1.toml": person()}, root=tmp_path / "elsewhere" / "acme", credit_code=credit_code(3))
    result = export_pq(out, other)
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(f"warning: acme: the export already holds this archive name for credit code "
                                  f"{ACME_CODE}; not exported (if the enterprise's code was corrected, delete "
                                  f"{ACME_CODE}'s data first; otherwise export from the folder holding every "
                                  "archive so names stay unique)\n")
    assert {k: v for k, v in files(out).items() if not k.startswith("labels/")} == \
        {k: v for k, v in before.items() if not k.startswith("labels/")}
    assert duck(out).execute("SELECT COUNT(*) FROM enterprises WHERE archive = 'acme'").fetchone()[0] == 1
    shutil.rmtree(out / "exports" / f"credit_code={ACME_CODE}")  # the old enterprise's data deleted, as the warning says
    assert export_pq(out, other).exit_code == 0


@pytest.mark.parametrize("in_the_way", ["a foreign file in a partition", "a file named like a dataset"])
def test_a_refused_export_writes_nothing(tmp_path, export_workspace, in_the_way):
    """Every file the run will write is claimed before the first is written: a refusal leaves
    the folder as it was (the labels used to be written first)."""
    out = tmp_path / "pq"
    if in_the_way == "a foreign file in a partition":
        (out / "people" / f"credit_code={BETA_CODE}").mkdir(parents=True)
        (out / "people" / f"credit_code={BETA_CODE}" / "part-0.parquet").write_bytes(b"mine")
    else:
        out.mkdir()
        (out / "people").write_text("mine", encoding="utf-8")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    result = export_pq(out, export_workspace)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before


def test_a_name_freed_in_the_same_run_is_taken(tmp_path, export_workspace, make_archive):
    """An archive renamed, and a new one under its old name, in one run: the renamed one's
    partition no longer holds the old name once it is rewritten, so the new one is exported
    (as in PostgreSQL, which asks the database as it goes)."""
    out = tmp_path / "pq"
    assert export_pq(out, export_workspace).exit_code == 0
    (export_workspace / "acme").rename(export_workspace / "a0-acme")  # sorts first: rewritten before "acme"
    make_archive({"people/X1.toml": person()}, root=export_workspace / "acme", credit_code=credit_code(3))
    result = export_pq(out, export_workspace)
    assert result.exit_code == 0, result.output
    assert duck(out).execute("SELECT archive FROM enterprises ORDER BY archive").fetchall() == \
        [("a0-acme",), ("acme",), ("beta",)]


def test_a_foreign_file_in_the_exports_dataset_names_no_owner(tmp_path, export_workspace):
    """Only this export's own `exports` files say which credit code holds a name."""
    import pyarrow
    import pyarrow.parquet as pq

    out = tmp_path / "pq"
    (out / "exports" / "credit_code=ZZZ").mkdir(parents=True)
    pq.write_table(pyarrow.table({"archive": ["acme"]}), out / "exports" / "credit_code=ZZZ" / "part-0.parquet")
    result = export_pq(out, export_workspace)
    assert result.exit_code == 0, result.output
    assert (out / "people" / f"credit_code={ACME_CODE}" / "part-0.parquet").is_file()  # acme exported, not set aside


def test_a_time_written_to_the_microsecond_is_exported(tmp_path, make_archive):
    """TOML allows 14:30:00.123456 and check accepts it; the Parquet export failed with an internal
    error (the text was cast to milliseconds directly) and left the workspace half exported.
    It is read to the microsecond and kept to the millisecond, as the column says."""
    from helpers import session

    root = make_archive({"people/E1.toml": person(),
                         "sessions/S1.toml": session(start="2023-07-01T08:30:00.123456", end="2023-07-01T17:30:00.5")},
                        root=tmp_path / "ws" / "a")
    out = tmp_path / "pq"
    r = export_pq(out, tmp_path / "ws")
    assert r.exit_code == 0, r.output
    con = duck(out)
    assert con.execute("SELECT start, \"end\" FROM sessions WHERE id = 'S1'").fetchone() == (
        datetime(2023, 7, 1, 8, 30, 0, 123000), datetime(2023, 7, 1, 17, 30, 0, 500000))
    assert root.exists()
