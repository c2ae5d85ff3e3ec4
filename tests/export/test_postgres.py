"""safetrain export postgres: the export's tables in a real PostgreSQL server,
one transaction per archive, keyed by credit code."""

import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ACME_CODE, assert_troubled, AS_OF, BETA_CODE, EXPORT_ACME, EXPORT_BETA, credit_code, person, table_rows

from safetrain.cli import main
from safetrain.export.sqlite import orphans_sql
from safetrain.export import tables
from safetrain.export.keyed import EXPORTS
from safetrain.export.postgres import EXPORTED_AT, TYPES, load_order, schema_sql

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"


def export_pg(pg, *paths, extra=(), lang="en"):
    return CliRunner().invoke(main, ["export", "postgres", pg.dsn, *map(str, paths), "--schema", pg.schema,
                                     "--as-of", str(AS_OF), "--lang", lang, *extra])


def snapshot(pg, archive=None):
    """Every table's rows (of one archive, or all), and `exports` without its clock column."""
    with pg.connect() as con:
        out = {}
        for t in tables.SCHEMA:
            where = f"WHERE archive = '{archive}'" if archive and "archive" in t.column_names else ""
            out[t.name] = table_rows(con, t, where)
        out["exports"] = table_rows(con, EXPORTS, f"WHERE archive = '{archive}'" if archive else "")
    return out


def test_sample_workspace_round_trips(pg, tmp_path):
    out = tmp_path / "sample.db"
    result = CliRunner().invoke(main, ["export", "sqlite", str(out), str(SAMPLE), "--as-of", str(AS_OF)])
    assert result.exit_code == 0, result.output
    result = export_pg(pg, SAMPLE)
    assert result.exit_code == 0, result.output
    lite = sqlite3.connect(out)
    count = {t.name: lite.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] for t in tables.SCHEMA}
    total = sum(n for name, n in count.items() if name != "labels")
    assert result.output == (f"PostgreSQL (schema {pg.schema}): 3 archive(s) exported, {count['people']} people, "
                             f"{count['sessions']} sessions, {count['attendance']} attendance rows, "
                             f"{count['findings']} findings; {total} rows\n")
    assert all(count[name] > 0 for name in ("people", "sessions", "attendance", "certificates", "drills",
                                            "mentorships", "findings", "labels"))  # the comparison compares rows
    with pg.connect() as con:
        for t in tables.SCHEMA:
            assert con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] == count[t.name], t.name
            assert table_rows(con, t) == table_rows(lite, t), t.name
        per_archive = {a: sum(lite.execute(f'SELECT COUNT(*) FROM "{t.name}" WHERE archive = ?', (a,)).fetchone()[0]
                              for t in tables.SCHEMA if t.name != "labels")
                       for a in ("hongshan-coal", "xingqing-machinery", "yinchuan-bbq")}
        assert con.execute("SELECT archive, credit_code, as_of, tool_version, row_count FROM exports "
                           "ORDER BY archive").fetchall() == [
            ("hongshan-coal", "91640181MA76K3H27T", AS_OF, "0.1.0", per_archive["hongshan-coal"]),
            ("xingqing-machinery", "91640104MA75Q8D191", AS_OF, "0.1.0", per_archive["xingqing-machinery"]),
            ("yinchuan-bbq", "91640104MA77B2N59D", AS_OF, "0.1.0", per_archive["yinchuan-bbq"])]
    lite.close()


def test_columns_typed_keys_foreign_keys_and_comments(pg, export_workspace):
    assert export_pg(pg, export_workspace).exit_code == 0
    with pg.connect() as con:
        types = {(t, c): d for t, c, d in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = %s",
            (pg.schema,))}
        for t in (*tables.SCHEMA, EXPORTS):
            for c in t.columns:
                assert types[(t.name, c.name)] == TYPES[(c.type, c.kind)][1], (t.name, c.name)
        assert types[("people", "hired")] == "date" and types[("sessions", "start")] == "timestamp without time zone"
        assert types[("people", "active")] == "boolean" and types[("sessions", "hours")] == "double precision"
        assert types[("exports", EXPORTED_AT[0])] == "timestamp with time zone"

        comments = {(t, c): d for t, c, d in con.execute(
            "SELECT c.table_name, c.column_name, col_description(format('%%I.%%I', c.table_schema, c.table_name)"
            "::regclass, c.ordinal_position) FROM information_schema.columns c WHERE c.table_schema = %s",
            (pg.schema,))}
        for t in (*tables.SCHEMA, EXPORTS):
            assert con.execute("SELECT obj_description(%s::regclass, 'pg_class')",
                               (f'"{pg.schema}"."{t.name}"',)).fetchone()[0] == t.doc
            for c in t.columns:
                assert "(0/1)" not in comments[(t.name, c.name)] and comments[(t.name, c.name)] == c.doc + (f" [labels: {c.codes}]" if c.codes else "")

        keys, fks = {}, {}
        for table, kind, columns, target in con.execute(
                "SELECT conrelid::regclass::text, contype, "
                "array(SELECT attname FROM unnest(conkey) WITH ORDINALITY k(n, i) "
                "      JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.n ORDER BY k.i), "
                "confrelid::regclass::text FROM pg_constraint "
                "WHERE connamespace = %s::regnamespace AND contype IN ('p', 'f')", (pg.schema,)):
            name = table.split(".")[-1].strip('"')
            if kind == "p":
                keys[name] = tuple(columns)
            else:
                fks.setdefault(name, set()).add((tuple(columns), target.split(".")[-1].strip('"')))
        for t in (*tables.SCHEMA, EXPORTS):
            assert keys[t.name] == t.key
            assert fks.get(t.name, set()) == {(fk.columns, fk.table) for fk in t.foreign_keys}, t.name
        # the foreign keys hold, and are enforced
        for t in tables.SCHEMA:
            for fk in t.foreign_keys:  # the SQLite export's own key check, asked of PostgreSQL
                assert con.execute(orphans_sql(t, fk)).fetchone() is None, (t.name, fk)
        import psycopg

        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            con.execute("INSERT INTO attendance (archive, session, position, person, passed, credited_hours) "
                        "VALUES ('acme', 'S1', 99, 'nobody', true, 0)")


def test_schema_sql_creates_parents_first():
    order = [t.name for t in load_order((*tables.SCHEMA, EXPORTS))]
    for t in tables.SCHEMA:
        for fk in t.foreign_keys:
            assert order.index(fk.table) < order.index(t.name)
    sql = schema_sql("safetrain")
    assert sql.count("CREATE TABLE") == len(tables.SCHEMA) + 1
    assert sql.count("COMMENT ON COLUMN") == sum(len(t.columns) for t in tables.SCHEMA) + len(EXPORTS.columns) + 1
    assert sql == schema_sql("safetrain")


def test_reexport_is_idempotent(pg, export_workspace):
    assert export_pg(pg, export_workspace).exit_code == 0
    before = snapshot(pg)
    clock = pg.one("SELECT MIN(exported_at) FROM exports")
    result = export_pg(pg, export_workspace)
    assert result.exit_code == 0, result.output
    assert snapshot(pg) == before
    assert pg.one("SELECT MIN(exported_at) FROM exports") > clock
    assert pg.one("SELECT COUNT(*) FROM labels") == len(list(tables.rows(tables.TABLES["labels"], [])))


def test_reexport_replaces_exactly_that_archives_rows(pg, export_workspace):
    assert export_pg(pg, export_workspace).exit_code == 0
    beta = snapshot(pg, "beta")
    acme = export_workspace / "acme"
    (acme / "people" / "E3.toml").unlink()  # S1's attendee E3 now has no file: A003, row left out
    (acme / "people" / "E5.toml").write_text(person("周九", hired="2024-02-01"), encoding="utf-8")
    result = export_pg(pg, acme)
    assert result.exit_code == 0, result.output
    with pg.connect() as con:
        assert [r[0] for r in con.execute("SELECT id FROM people WHERE archive = 'acme' ORDER BY id")] == [
            "E1", "E2", "E4", "E5"]
        assert [r[0] for r in con.execute("SELECT person FROM attendance WHERE archive = 'acme' AND session = 'S1' "
                                          "ORDER BY position")] == ["E1", "E2"]
        assert ("A003", "S1") in con.execute("SELECT code, subject FROM findings WHERE archive = 'acme'").fetchall()
        assert con.execute("SELECT COUNT(*) FROM enterprises").fetchone()[0] == 2
    assert snapshot(pg, "beta") == beta


def test_archive_found_again_by_credit_code_under_another_name(pg, make_archive, tmp_path):
    ws = tmp_path / "ws"
    make_archive(EXPORT_ACME, root=ws / "clients" / "acme")
    make_archive(EXPORT_BETA, root=ws / "beta")
    assert export_pg(pg, ws).exit_code == 0
    assert pg.one("SELECT archive FROM exports WHERE credit_code = %s", ACME_CODE) == "clients/acme"
    result = export_pg(pg, ws / "clients" / "acme")  # alone: named by its folder
    assert result.exit_code == 0, result.output
    with pg.connect() as con:
        assert con.execute("SELECT archive, credit_code FROM enterprises ORDER BY archive").fetchall() == [
            ("acme", ACME_CODE), ("beta", BETA_CODE)]
        for t in tables.SCHEMA:
            if "archive" in t.column_names:
                assert con.execute(f"SELECT COUNT(*) FROM \"{t.name}\" WHERE archive = 'clients/acme'").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM people WHERE archive = 'acme'").fetchone()[0] == 4


def test_a_name_held_by_another_credit_code_is_not_exported(pg, export_workspace, make_archive, tmp_path):
    assert export_pg(pg, export_workspace).exit_code == 0
    before = snapshot(pg)
    other = make_archive({"people/X1.toml": person()}, root=tmp_path / "elsewhere" / "acme",
                         credit_code=credit_code(3))
    result = export_pg(pg, other)
    assert result.exit_code == 1
    assert result.stderr == (f"warning: acme: the export already holds this archive name for credit code "
                             f"{ACME_CODE}; not exported (if the enterprise's code was corrected, delete "
                             f"{ACME_CODE}'s data first; otherwise export from the folder holding every archive so "
                             "names stay unique)\n")
    assert snapshot(pg) == before


def test_interrupted_export_keeps_the_previous_rows(pg, export_workspace, monkeypatch):
    import psycopg

    assert export_pg(pg, export_workspace).exit_code == 0
    before = snapshot(pg, "beta")
    for folder, pid in (("acme", "E6"), ("beta", "B6")):
        (export_workspace / folder / "people" / f"{pid}.toml").write_text(person("新人", hired="2024-06-01"),
                                                                         encoding="utf-8")
    original, killed = psycopg.Copy.write_row, []

    def write_row(self, row):
        original(self, row)
        if row[0] == "beta" and not killed:  # beta's first row is in the COPY: kill the connection
            with psycopg.connect(pg.dsn, autocommit=True) as other:
                killed.append(other.execute("SELECT pg_terminate_backend(%s)",
                                            (self.connection.info.backend_pid,)).fetchone()[0])

    monkeypatch.setattr(psycopg.Copy, "write_row", write_row)
    result = export_pg(pg, export_workspace)
    assert killed == [True]
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.output.startswith("error: PostgreSQL export stopped (while exporting beta; its previous rows are "
                                    "unchanged): ")
    assert result.output.endswith("; 1 archive(s) were exported\n")
    assert snapshot(pg, "beta") == before  # beta: as it was, without B6
    assert pg.one("SELECT COUNT(*) FROM people WHERE archive = 'acme' AND id = 'E6'") == 1  # acme committed

    monkeypatch.setattr(psycopg.Copy, "write_row", original)
    assert export_pg(pg, export_workspace).exit_code == 0
    assert pg.one("SELECT COUNT(*) FROM people WHERE id = 'B6'") == 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("dsn", [
    "postgresql://safetrain:s3cret-pw@127.0.0.1:{port}/safety",
    "host=127.0.0.1 port={port} user=safetrain password=s3cret-pw",
    "host=127.0.0.1 port={port} password='s3cret pw with spaces' dbname",  # a syntax error after the password
])
def test_bad_dsn_is_one_line_exit_2_without_the_password(dsn, export_workspace):
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    dsn = dsn.format(port=free_port())
    for lang, head in (("en", "error: cannot connect to PostgreSQL: "), ("zh", "错误：无法连接 PostgreSQL：")):
        result = CliRunner().invoke(main, ["export", "postgres", dsn, str(export_workspace), "--lang", lang])
        assert result.exit_code == 2
        assert result.output.startswith(head) and result.output.count("\n") == 1, result.output
        assert "Traceback" not in result.output
        for secret in ("s3cret", "pw with", "spaces"):
            assert secret not in result.output


def test_server_errors_are_one_line(pg, export_workspace):
    result = CliRunner().invoke(main, ["export", "postgres", pg.dsn.rsplit("/", 1)[0] + "/no_such_database",
                                       str(export_workspace), "--lang", "en"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith("error: cannot connect to PostgreSQL: ") and "no_such_database" in result.output


def test_missing_psycopg_names_the_extra(monkeypatch, export_workspace):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    result = CliRunner().invoke(main, ["export", "postgres", "postgresql://x@127.0.0.1/db", str(export_workspace),
                                       "--lang", "en"])
    assert result.exit_code == 2
    assert result.output == 'error: exporting to PostgreSQL needs psycopg: pip install "safetrain[postgres]"\n'


def test_id_numbers_masked_unless_the_archive_opts_out(pg, export_workspace):
    assert export_pg(pg, export_workspace).exit_code == 0
    with pg.connect() as con:
        assert con.execute("SELECT id, id_number FROM people WHERE id_number IS NOT NULL ORDER BY id").fetchall() == [
            ("B1", "640121197811230028"), ("E1", "640104********0014"), ("E4", "640104********0013")]
        assert con.execute("SELECT number FROM certificates").fetchall() == [("T640104********0013",)]
        assert con.execute("SELECT archive, id_numbers_masked FROM enterprises ORDER BY archive").fetchall() == [
            ("acme", True), ("beta", False)]
    assert export_pg(pg, export_workspace, extra=["--unmasked"]).exit_code == 0
    assert pg.one("SELECT id_number FROM people WHERE id = 'E1'") == "640104199003070014"
    assert pg.one("SELECT number FROM certificates") == "T640104198505120013"


def test_schema_of_an_older_safetrain_is_migrated(pg, export_workspace):
    assert export_pg(pg, export_workspace).exit_code == 0
    with pg.connect() as con:
        con.execute("ALTER TABLE people DROP COLUMN note; ALTER TABLE exports DROP COLUMN row_count; "
                    "ALTER TABLE sessions ADD COLUMN legacy text NOT NULL DEFAULT 'x'; "
                    "COMMENT ON COLUMN people.name IS 'old'; DROP TABLE violations")
    result = export_pg(pg, export_workspace)
    assert result.exit_code == 0, result.output
    with pg.connect() as con:
        assert con.execute("SELECT COUNT(*) FROM people WHERE note IS NULL").fetchone()[0] == 6
        for archive, row_count in con.execute("SELECT archive, row_count FROM exports").fetchall():
            assert row_count == sum(con.execute(f'SELECT COUNT(*) FROM "{t.name}" WHERE archive = %s',
                                                (archive,)).fetchone()[0]
                                    for t in tables.SCHEMA if "archive" in t.column_names)
        assert con.execute("SELECT is_nullable FROM information_schema.columns WHERE table_schema = %s "
                           "AND table_name = 'sessions' AND column_name = 'legacy'", (pg.schema,)).fetchone() == ("YES",)
        assert con.execute("SELECT col_description('people'::regclass, 4)").fetchone()[0] == "姓名 / name"
        assert con.execute("SELECT COUNT(*) FROM violations").fetchone()[0] == 0
        con.execute("ALTER TABLE sessions ALTER COLUMN hours TYPE text")
    result = export_pg(pg, export_workspace)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output == (f"error: PostgreSQL column {pg.schema}.sessions.hours has the type text, not double "
                             "precision: export into a new schema (--schema)\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_exports_records_the_git_commit(pg, make_archive, tmp_path):
    repo = make_archive(EXPORT_ACME, root=tmp_path / "ws" / "acme")
    make_archive(EXPORT_BETA, root=tmp_path / "ws" / "beta")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "records"]):
        subprocess.run(git + args, check=True)
    head = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert export_pg(pg, tmp_path / "ws").exit_code == 0
    with pg.connect() as con:
        assert con.execute("SELECT archive, git_commit FROM exports ORDER BY archive").fetchall() == [
            ("acme", head), ("beta", None)]


def test_archives_without_a_usable_credit_code_are_set_aside(pg, make_archive, tmp_path):
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person()}, root=ws / "good", credit_code=credit_code(7))
    make_archive({}, root=ws / "bad", credit_code="91640104MA0000001X")
    result = export_pg(pg, ws)
    assert result.exit_code == 1
    assert result.output.startswith(f"PostgreSQL (schema {pg.schema}): 1 archive(s) exported, 1 people, ")
    assert "warning: " in result.stderr and "bad/safetrain.toml: `enterprise.credit_code` is invalid" in result.stderr
    assert pg.one("SELECT string_agg(archive, ',') FROM enterprises") == "good"


def test_tables_safetrain_did_not_export_are_left_alone(pg, export_workspace):
    with pg.connect() as con:
        con.execute(f'CREATE SCHEMA "{pg.schema}"; CREATE TABLE people (id integer PRIMARY KEY, name text); '
                    "INSERT INTO people VALUES (1, '他们的数据')")
    result = export_pg(pg, export_workspace)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output == (f"error: the PostgreSQL schema {pg.schema} holds tables safetrain did not export "
                             "(people): choose another schema with --schema\n")
    with pg.connect() as con:
        assert con.execute("SELECT * FROM people").fetchall() == [(1, "他们的数据")]
        assert [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = %s", (pg.schema,))] == ["people"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_archive_that_cannot_be_checked_is_reported_and_the_others_are_exported(pg, troubled_workspace, jobs):
    result = export_pg(pg, troubled_workspace, extra=["--jobs", jobs])
    assert result.exit_code == 2, result.output
    assert result.stdout.startswith(f"PostgreSQL (schema {pg.schema}): 2 archive(s) exported, 2 people, ")
    assert_troubled(result.stderr)
    with pg.connect() as con:
        assert con.execute("SELECT archive FROM enterprises ORDER BY archive").fetchall() == [("a-good",), ("e-good",)]
        assert [r[0] for r in con.execute("SELECT archive FROM exports ORDER BY archive")] == ["a-good", "e-good"]


def test_a_short_password_is_hidden_without_garbling_the_message():
    """A password of one letter replaced everywhere turned "postgresql" into "***ostgresql": the
    DSN quoted in a message is written with *** for its password, and a short password met
    elsewhere only where it stands alone."""
    from safetrain.export.postgres import one_line

    dsn = "postgresql://u:p@[::1/db"
    assert one_line(Exception(f'invalid URI query parameter: "{dsn}"'), dsn) == \
        'invalid URI query parameter: "postgresql://u:***@[::1/db"'
    dsn = "host=h user=u password=pa dbname=pa_db"
    assert one_line(Exception(f"bad: {dsn}; user pa; pass"), dsn) == "bad: host=h user=u password=*** dbname=pa_db; user ***; pass"
    dsn = "postgresql://u:s3cret-pw@h/db"
    assert "s3cret" not in one_line(Exception("password authentication failed: s3cret-pw"), dsn)


def test_two_runs_at_once_with_one_folder_name_end_in_the_warning(pg, export_workspace, make_archive, tmp_path):
    """Two exports at once of archives sharing a folder name (two credit codes): the second failed
    with a key error on enterprises and stopped its whole run (exit 2), as only the credit code
    was locked. The name is locked too: a run waits for the other's archive of that name, then
    sees it (the warning of a name taken, exit 1; test_a_name_held_by_another_credit_code...)."""
    import threading

    import psycopg

    assert export_pg(pg, export_workspace / "acme").exit_code == 0  # the schema, and acme under its code
    with psycopg.connect(pg.dsn) as holder:  # another run in the middle of exporting an archive named "solo"
        holder.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"safetrain {pg.schema} name solo",))
        other = make_archive({"people/X1.toml": person()}, root=tmp_path / "later" / "solo", credit_code=credit_code(4))
        results = []
        second = threading.Thread(target=lambda: results.append(export_pg(pg, other)))
        second.start()
        second.join(1.5)
        assert second.is_alive()  # waiting for the other run's archive of that name
        holder.commit()  # its transaction done
        second.join(60)
    assert results[0].exit_code == 0, results[0].output


def test_a_table_locked_by_another_session_is_said_not_waited_for_for_ever(pg, export_workspace, monkeypatch):
    """An analyst's LOCK TABLE made the nightly export wait in silence for ever: after the lock
    timeout the export stops with one line naming the wait, exit 2."""
    import psycopg

    from safetrain.export import postgres

    assert export_pg(pg, export_workspace).exit_code == 0
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_SECONDS", 1)
    with psycopg.connect(pg.dsn) as analyst:
        analyst.execute(f'LOCK TABLE "{pg.schema}"."people" IN ACCESS EXCLUSIVE MODE')
        result = export_pg(pg, export_workspace)
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "waited more than 1 s for a lock another session holds" in result.output


def test_a_password_with_a_space_is_hidden_whole():
    """password=Tr0ub4dor &3 (unquoted: a malformed DSN) printed its second half in the error."""
    from safetrain.export.postgres import one_line

    dsn = "host=127.0.0.1 port=5432 password=Tr0ub4dor &3 user=postgres"
    said = one_line(Exception('missing "=" after "&3" in connection info string'), dsn)
    assert "&3" not in said and "Tr0ub4dor" not in said


def _slow_export(pg, root: Path, *extra: str) -> subprocess.Popen:
    """`export postgres` of `root` in its own process group, each archive taking half a second
    more (as a large one does), workers on for a workspace of 16 or more."""
    code = ("import sys, time\nfrom safetrain.export import postgres\nreal = postgres.export_archive\n"
            "def slow(*args, **kwargs):\n    time.sleep(0.5)\n    return real(*args, **kwargs)\n"
            "postgres.export_archive = slow\nfrom safetrain.cli import main\n"
            f"sys.argv = ['safetrain', 'export', 'postgres', {pg.dsn!r}, {str(root)!r}, '--schema', {pg.schema!r}, "
            f"'--as-of', '2024-06-30', '--lang', 'en', '--no-cache', {', '.join(map(repr, extra))}]\nmain()\n")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _many(make_archive, tmp_path, n: int = 20) -> Path:
    ws = tmp_path / "many"
    for i in range(n):
        make_archive({"people/E1.toml": person()}, root=ws / f"a{i:02d}", credit_code=credit_code(10 + i))
    return ws


def _sessions(pg) -> int:
    import psycopg

    with psycopg.connect(pg.dsn, autocommit=True) as con:
        return con.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'safetrain export'"
                           ).fetchone()[0]


def _wait_for_exports(pg, count: int, proc: subprocess.Popen) -> None:
    import time

    import psycopg

    deadline = time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        try:
            if pg.one("SELECT count(*) FROM exports") >= count:
                return
        except psycopg.Error:
            pass
        time.sleep(0.05)


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_an_export_interrupted_with_workers_says_what_it_committed_and_leaves_no_one_behind(
        pg, make_archive, tmp_path, signal_name):
    """Ctrl-C (to the whole process group, as a terminal sends it) during an export with workers:
    a worker printed a traceback, or the run hung for ever (a worker blocked writing a result
    nobody read); SIGTERM ended it without a word. Now: one line saying how many archives were
    committed, exit 130 (143), no traceback, no process and no database session left."""
    import os
    import signal
    import time

    ws = _many(make_archive, tmp_path)
    proc = _slow_export(pg, ws, "-j", "2")
    try:
        _wait_for_exports(pg, 2, proc)
        os.killpg(proc.pid, getattr(signal, signal_name))
        out, err = proc.communicate(timeout=60)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == {"SIGINT": 130, "SIGTERM": 143}[signal_name], err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("interrupted" + (" (SIGTERM)" if signal_name == "SIGTERM" else "") + ": "), err
    assert " archive(s) were exported" in err
    deadline = time.monotonic() + 10
    while _sessions(pg) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sessions(pg) == 0


def test_an_export_killed_leaves_no_worker_holding_its_locks(pg, make_archive, tmp_path):
    """kill -9 of an export with workers: the workers lived on (orphans) holding the connection they
    inherited, its transaction open and its locks held, and the next night's export waited for
    ever. They end with their parent; the next export runs."""
    import os
    import signal
    import time

    ws = _many(make_archive, tmp_path)
    proc = _slow_export(pg, ws, "-j", "2")
    try:
        _wait_for_exports(pg, 2, proc)
        proc.kill()
        proc.communicate(timeout=60)
        deadline = time.monotonic() + 10
        while _sessions(pg) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _sessions(pg) == 0
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # what the test itself leaves, whatever happened
        except ProcessLookupError:
            pass
    again = subprocess.run([sys.executable, "-m", "safetrain", "export", "postgres", pg.dsn, str(ws), "--schema",
                            pg.schema, "--as-of", "2024-06-30", "--no-cache"], capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr


def test_a_waiting_export_notices_its_client_gone(pg):
    """After kill -9 of an export waiting on a lock, its connection held the transaction and its
    locks until the wait ended (up to lock_timeout): the session asks the server to check on its
    client every two seconds (PostgreSQL 14+)."""
    import psycopg

    from safetrain.export.postgres import _gone_client_checked

    with psycopg.connect(pg.dsn) as conn:
        if conn.info.server_version < 140000:
            pytest.skip("client_connection_check_interval is PostgreSQL 14's (the export goes on without it)")
        _gone_client_checked(conn)
        assert conn.execute("SHOW client_connection_check_interval").fetchone()[0] == "2s"
