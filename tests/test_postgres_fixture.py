"""The database tests skip, with the reason, where no PostgreSQL can be had,
and fail instead when SAFETRAIN_REQUIRE_POSTGRES is set (as .ci/run sets it),
so CI never skips them silently."""

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def run_without_psycopg(tmp_path, **env):
    """pytest on one test that needs the server, in a process where psycopg cannot be imported."""
    (tmp_path / "shim").mkdir()
    (tmp_path / "shim" / "psycopg.py").write_text("raise ImportError('psycopg hidden by the test')\n")
    (tmp_path / "test_needs_postgres.py").write_text("def test_needs_postgres(postgres_dsn):\n    pass\n")
    environ = {k: v for k, v in os.environ.items()
               if k not in ("SAFETRAIN_TEST_POSTGRES_DSN", "SAFETRAIN_REQUIRE_POSTGRES")}
    environ.update(env, PYTHONPATH=os.pathsep.join([str(tmp_path / "shim"), str(TESTS), str(REPO)]))
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "conftest", "-rs",
                           "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_needs_postgres.py")],
                          capture_output=True, text=True, cwd=tmp_path, env=environ)


def test_skips_with_the_reason_when_postgres_cannot_be_had(tmp_path):
    done = run_without_psycopg(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout
    assert "no PostgreSQL for the database tests: psycopg is not installed" in done.stdout


def test_fails_instead_when_required(tmp_path):
    done = run_without_psycopg(tmp_path, SAFETRAIN_REQUIRE_POSTGRES="1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 error" in done.stdout and "skipped" not in done.stdout
    assert "PostgreSQL is required (SAFETRAIN_REQUIRE_POSTGRES) but psycopg is not installed" in done.stdout


def test_ci_requires_postgres_and_stops_it():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export SAFETRAIN_TEST_POSTGRES_DSN SAFETRAIN_REQUIRE_POSTGRES=1" in script
    assert "tests/pgserver.py start" in script and "trap cleanup EXIT" in script
    assert script.index("tests/pgserver.py start") < script.index('sh -c "$cmd"')
