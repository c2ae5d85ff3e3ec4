"""Fixtures shared by every test; the helpers they use are in helpers.py.

    def test_something(make_archive):          # an archive on disk, for commands
        root = make_archive({"people/E1.toml": person()})
    def test_rule(memory_archive):              # an archive in memory, for rules
        archive = memory_archive({"people/E1.toml": person()})
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import (EXPORT_ACME, EXPORT_BETA, MemoryArchive, PgSchema, bug_while_checking, config, credit_code, person,
                     with_config)


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_home(tmp_path_factory):
    """The parse cache of every command the tests run lives in a folder of this
    test run, never in the user's own cache folder."""
    import os

    before = os.environ.get("SAFETRAIN_CACHE_DIR")
    os.environ["SAFETRAIN_CACHE_DIR"] = str(tmp_path_factory.mktemp("safetrain-cache"))
    yield
    if before is None:
        os.environ.pop("SAFETRAIN_CACHE_DIR", None)
    else:
        os.environ["SAFETRAIN_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def _nothing_kept_between_tests():
    """A test that runs the command line in this process (`python -m safetrain` through runpy)
    switches on lasting.py's keeping for the process; the tests after it are library callers
    again, as they would be in any order."""
    from safetrain import lasting

    before = lasting._until_exit
    yield
    lasting._until_exit = before
    lasting.let_go()


#: the TOML parsers an archive may be read with (archive/reading/tomlparse.py)
TOML_PARSERS = ("toml_rs", "tomllib")


def pytest_generate_tests(metafunc):
    """The A rules' suite (tests/rules/test_integrity.py) and every test about A001 run
    once with each TOML parser: both must find the same, at the same line and column."""
    if metafunc.module.__name__.endswith("test_integrity") or "a001" in metafunc.function.__name__.lower():
        metafunc.fixturenames.append("toml_parser")
        metafunc.parametrize("toml_parser", TOML_PARSERS, indirect=True)


@pytest.fixture
def toml_parser(request, monkeypatch):
    """Read archives with this parser (SAFETRAIN_TOML_PARSER); skipped when it is not installed."""
    if request.param == "toml_rs":
        pytest.importorskip("toml_rs", reason="toml_rs has no wheel for this platform: tomllib reads archives")
    monkeypatch.setenv("SAFETRAIN_TOML_PARSER", request.param)
    return request.param


@pytest.fixture(scope="session")
def generated_archive(tmp_path_factory) -> Path:
    """A synthetic coal mine written by benchmarks/generate.py (300 people, 60 sessions,
    1,800 attendance entries, mentorships), made once per test run; do not change it."""
    import importlib.util
    from datetime import date

    spec = importlib.util.spec_from_file_location("bench_generate_fixture",
                                                  Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path_factory.mktemp("generated") / "mine"
    module.generate(root, people=300, sessions=60, attendance=1800, seed=3, industry="coal_mine",
                    start=date(2023, 7, 1), end=date(2024, 6, 30))
    return root


@pytest.fixture
def make_archive(tmp_path):
    """Write files (path -> text) under a fresh archive; safetrain.toml defaults to config()."""

    def make(files: dict[str, str | bytes] | None = None, root: Path | None = None, **config_keys) -> Path:
        root = root or tmp_path / "archive"
        root.mkdir(parents=True, exist_ok=True)
        for rel, text in with_config(files, **config_keys).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def memory_archive():
    """An archive held in memory (relpath -> text); safetrain.toml defaults to config()."""

    def make(files: dict[str, str | bytes] | None = None, **config_keys) -> MemoryArchive:
        return MemoryArchive(with_config(files, **config_keys))

    return make


# -- a real browser (Debian's chromium) for the HTML report -------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NO_BROWSER = ("needs Debian's chromium and Playwright's Python package: apt-get install -y chromium; "
              "pip install -e '.[test]' (no browser is downloaded)")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (the system's, never a downloaded one), driven by Playwright,
    which starts it with a fresh temporary profile (its own --user-data-dir)."""
    import os
    import shutil

    required = os.environ.get("SAFETRAIN_REQUIRE_BROWSER")  # .ci/run: a missing browser fails, never skips
    try:
        from playwright import sync_api
    except ImportError:
        (pytest.fail if required else pytest.skip)(NO_BROWSER)
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        (pytest.fail if required else pytest.skip)(NO_BROWSER)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


# -- a real PostgreSQL server for the database exports ------------------------------


@pytest.fixture(scope="session")
def postgres_dsn():
    """A PostgreSQL server for the database tests.

    $SAFETRAIN_TEST_POSTGRES_DSN when set (.ci/run starts a server and sets
    it); else a throw-away cluster started here (tests/pgserver.py) when the
    server binaries exist, stopped at the end. Without either the tests skip
    with the reason, unless SAFETRAIN_REQUIRE_POSTGRES is set (.ci/run sets
    it): then they fail.
    """
    import os
    import shutil
    import tempfile

    required = os.environ.get("SAFETRAIN_REQUIRE_POSTGRES")

    def unavailable(why: str):
        if required:
            pytest.fail(f"PostgreSQL is required (SAFETRAIN_REQUIRE_POSTGRES) but {why}", pytrace=False)
        pytest.skip(f"no PostgreSQL for the database tests: {why}")

    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable('psycopg is not installed (pip install -e ".[test]")')
    dsn = os.environ.get("SAFETRAIN_TEST_POSTGRES_DSN")
    if dsn:
        yield dsn
        return
    import pgserver

    base = Path(tempfile.mkdtemp(prefix="safetrain-pg-"))
    try:
        dsn = pgserver.start(base)
    except pgserver.Unavailable as exc:
        shutil.rmtree(base, ignore_errors=True)
        unavailable(str(exc))
    try:
        yield dsn
    finally:
        pgserver.stop(base)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg(postgres_dsn):
    """A schema of its own for one test (helpers.PgSchema), dropped afterwards."""
    import uuid

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield PgSchema(postgres_dsn, schema)
    with psycopg.connect(postgres_dsn, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def export_workspace(make_archive, tmp_path):
    """ws/acme (masked) and ws/beta (mask_id_numbers = false), each with its own credit code."""
    ws = tmp_path / "ws"
    make_archive(EXPORT_ACME, root=ws / "acme")
    make_archive(EXPORT_BETA, root=ws / "beta")
    return ws


@pytest.fixture
def troubled_workspace(tmp_path, make_archive, monkeypatch):
    """For the exports keyed by credit code: two good archives around three that cannot be
    exported: b-bug meets a bug while it is
    checked, c-rules names a rule set that is not there, d-newer is of a newer format."""
    ws = tmp_path / "ws"
    for n, name in enumerate(("a-good", "b-bug", "c-rules", "d-newer", "e-good")):
        make_archive({"people/E1.toml": person(f"员工{n}")}, root=ws / name, credit_code=credit_code(40 + n),
                     ruleset="rules/missing.toml" if name == "c-rules" else "national")
    (ws / "d-newer" / "safetrain.toml").write_text(
        config(credit_code=credit_code(43)).replace("format = 1", "format = 9"), encoding="utf-8")
    bug_while_checking(monkeypatch, "b-bug")
    return ws


@pytest.fixture
def any_text_through(monkeypatch):
    """Text with control characters gets past the A002 check, as if a value had slipped through
    (to test that every writer still holds): the validator patched, and the generated readers,
    which take it in when first made, made anew before and after the test (else a reader made
    now would let such text through for the rest of the run)."""
    from safetrain.archive.reading import fastread, validate

    fastread.reader.cache_clear()
    monkeypatch.setitem(validate._VALID, "str", lambda v, f: type(v) is str)
    yield
    fastread.reader.cache_clear()
