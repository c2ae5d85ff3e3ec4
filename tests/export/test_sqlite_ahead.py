"""One archive's record tables are written by a forked copy of the process while the
rules run (export/sqlite.py's Ahead); this process adds the findings to the same file.
The database is the same, byte for byte, whether the copy wrote them, this process
did, or the copy failed; and from run to run."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import AS_OF

from safetrain import forked
from safetrain.api import check_path
from safetrain.cli import main
from safetrain.cores import cpu_count
from safetrain.export import sqlite as export_sqlite
from safetrain.export.tables import SCHEMA

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"
ARCHIVES = sorted(p.parent.name for p in SAMPLE.glob("*/safetrain.toml"))

needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or cpu_count() < 2,
                                reason="writing the record tables ahead needs os.fork and two cores")


@pytest.fixture
def ahead_always(monkeypatch):
    monkeypatch.setattr(export_sqlite, "AHEAD_MIN", 0)  # ahead even for the few records of a sample archive


@pytest.fixture
def started(monkeypatch):
    """The copies started by the export, each (job, whether it was done when its value was taken)."""
    jobs = []
    start = forked.Forked.start

    def recording(work, *args):
        job = start(work, *args)
        jobs.append(job)
        return job

    monkeypatch.setattr(forked.Forked, "start", staticmethod(recording))
    return jobs


def export(out: Path, archive: str) -> bytes:
    r = CliRunner().invoke(main, ["export", "sqlite", str(out), str(SAMPLE / archive), "--as-of", str(AS_OF),
                                  "--no-cache", "--lang", "en"])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def rows(path: Path) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        return {t.name: con.execute(f'SELECT * FROM "{t.name}"').fetchall() for t in SCHEMA}
    finally:
        con.close()


@needs_fork
@pytest.mark.parametrize("archive", ARCHIVES)
def test_the_copy_writes_the_bytes_this_process_would(archive, ahead_always, started, tmp_path, monkeypatch):
    ahead = export(tmp_path / "ahead.db", archive)
    assert len(started) == 1 and started[0] is not None  # the copy wrote the record tables
    assert export(tmp_path / "again.db", archive) == ahead  # run to run
    monkeypatch.setattr(export_sqlite, "AHEAD_MIN", 10**9)
    here = export(tmp_path / "here.db", archive)
    assert len(started) == 2  # no copy for a small archive: this process wrote everything
    assert here == ahead
    tables = rows(tmp_path / "ahead.db")
    assert tables["people"] and tables["attendance"] and tables["labels"]
    assert tables["findings"] == [tuple(r) for r in rows(tmp_path / "here.db")["findings"]]


def test_the_same_bytes_where_no_copy_can_be_made(ahead_always, tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "cpu_count", lambda: 1)
    here = export(tmp_path / "here.db", "hongshan-coal")
    result = check_path(SAMPLE / "hongshan-coal", AS_OF)
    library = tmp_path / "library.db"
    export_sqlite.write_database(library, [result])
    assert library.read_bytes() == here
    assert rows(library)["findings"] and len(rows(library)["findings"]) == len(result.findings)


@needs_fork
def test_a_copy_that_fails_leaves_the_tables_to_this_process(ahead_always, started, tmp_path, monkeypatch):
    def broken(tmp, src):  # a copy that dies halfway through the file
        con = sqlite3.connect(tmp)
        con.execute("CREATE TABLE half (x)")
        con.commit()
        con.close()
        raise ZeroDivisionError("a bug in the copy")

    expected = export(tmp_path / "here.db", "hongshan-coal")
    monkeypatch.setattr(export_sqlite, "_records_ahead", broken)
    assert export(tmp_path / "ahead.db", "hongshan-coal") == expected
    assert len(started) == 2 and started[1] is not None  # the second copy ran, failed, and was not trusted


def test_a_workspace_is_written_archive_after_archive(ahead_always, started, tmp_path):
    out = tmp_path / "ws.db"
    r = CliRunner().invoke(main, ["export", "sqlite", str(out), str(SAMPLE), "--as-of", str(AS_OF), "--no-cache"])
    assert r.exit_code == 0, r.output
    assert started == []  # no copy: the archives stream through one process
    names = {row[0] for row in sqlite3.connect(out).execute("SELECT archive FROM enterprises")}
    assert names == set(ARCHIVES)


@needs_fork
def test_a_result_from_the_cache_starts_no_copy(ahead_always, started, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "cache"))
    args = ["export", "sqlite", None, str(SAMPLE / "hongshan-coal"), "--as-of", str(AS_OF)]
    for name in ("first.db", "cached.db"):
        args[2] = str(tmp_path / name)
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0, r.output
    assert len(started) == 1  # the second check's result was kept: the rules did not run
    assert (tmp_path / "cached.db").read_bytes() == (tmp_path / "first.db").read_bytes()


def test_a_records_row_is_its_values_in_column_order():
    """The function made for each model (Declared.tuple_of) gives what the generic values() does,
    converted alike (0/1 flags, ISO dates, REAL numbers from whole ones), for every record of the samples."""
    from safetrain.export import tables

    declared = {name: value for name, value in vars(tables).items() if isinstance(value, tables.Declared)}
    seen = set()
    for archive in ARCHIVES:
        a = check_path(SAMPLE / archive, AS_OF).archive
        records = [*a.people.values(), *a.sessions.values(), *a.drills.values(), *a.mentorships.values(),
                   *a.introductions.values(), *a.plans.values(), *(a.config.enterprise,)]
        records += [x for p in a.people.values() for x in (*p.changes, *p.certificates, *p.violations)]
        records += [x for s in a.sessions.values() for x in s.attendees]
        records += [x for p in a.plans.values() for x in p.items]
        for name, d in declared.items():
            for record in records:
                if isinstance(record, d.model):
                    assert d.row(record) == tuple(d.values(record).values()), (name, record)
                    assert list(map(type, d.row(record))) == list(map(type, d.values(record).values()))
                    seen.add(name)
    assert {"_PERSON", "_ATTENDANCE", "_SESSION", "_CERTIFICATE", "_ENTERPRISE"} <= seen


@pytest.mark.parametrize("count", [0, 1, 7, 8, 9, 17])
def test_rows_go_in_many_a_statement(count, tmp_path, monkeypatch):
    """A table's rows go to SQLite ROWS_PER_INSERT at a time (one statement per row costs
    about twice as much), the last few on their own: the same
    rows whether a statement holds one, eight, or as many as SQLite takes parameters for."""
    monkeypatch.setattr(export_sqlite, "ROWS_PER_INSERT", 8)
    table = export_sqlite.TABLES["session_topics"]
    made = [("a", f"S{i:03d}", f"t{i}") for i in range(count)]
    db = export_sqlite._created(tmp_path / "t.db")
    statements = []
    db.set_trace_callback(statements.append)
    assert export_sqlite._insert(db, table, iter(made)) == count
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert len(inserts) == count // 8 + count % 8  # eight rows a statement, then one each
    assert all(s.count("), (") == 7 for s in inserts[:count // 8])
    db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 7)  # two rows of three columns a statement at most
    statements.clear()
    db.execute("DELETE FROM session_topics")
    assert export_sqlite._insert(db, table, iter(made)) == count
    assert len([s for s in statements if s.startswith("INSERT")]) == count // 2 + count % 2
    assert db.execute("SELECT * FROM session_topics").fetchall() == sorted(made)
    db.close()


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an open file by /proc/self/fd")
def test_the_copy_flushes_its_tables_to_disk_itself(ahead_always, started, tmp_path, monkeypatch):
    """The copy flushes what it wrote before it says it is done (it has the time: the rules
    are still running), so the flush of the whole file at the end has only the findings left."""
    log = tmp_path / "fsync.log"
    fsync = os.fsync

    def recording(fd):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {os.readlink(f'/proc/self/fd/{fd}')}\n")
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    out = tmp_path / "out" / "ahead.db"
    out.parent.mkdir()
    export(out, ARCHIVES[0])
    flushed = [line.split(" ", 1) for line in log.read_text("utf-8").splitlines()]
    copy = [path for pid, path in flushed if int(pid) != os.getpid()]
    mine = [path for pid, path in flushed if int(pid) == os.getpid()]
    assert len(started) == 1 and len(copy) == 1 and Path(copy[0]).parent == out.parent  # the temporary file
    assert copy[0] in mine  # and this process still flushes the whole file before it takes OUT's name
