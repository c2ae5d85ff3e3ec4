"""The sheets that need no findings are made in a forked copy of the process while
the rules run (reports/ledger.py's Ahead): the workbook is the same, byte for byte,
whether they were made there, here, or the copy failed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from printing import AS_OF, write_printed

from safetrain.api import check_path
from safetrain.cli import main
from safetrain.cores import cpu_count
from safetrain.reports import ledger

needs_fork = pytest.mark.skipif(not hasattr(__import__("os"), "fork") or cpu_count() < 2,
                                reason="making sheets ahead needs os.fork and two cores")


@pytest.fixture
def printed(make_archive, monkeypatch):
    monkeypatch.setattr(ledger, "AHEAD_MIN", 0)  # ahead even for the few records of the test archive
    return write_printed(make_archive)


def _ahead(root, **options):
    ahead = ledger.Ahead()
    return ahead, check_path(root, AS_OF, meanwhile=ahead.start, **options)


@needs_fork
def test_sheets_made_ahead_give_the_bytes_made_here(printed, tmp_path):
    ahead, result = _ahead(printed)
    assert ahead.job is not None  # started before the rules ran, in another process
    try:
        path = ledger.write_ledger(result, tmp_path / "l.xlsx", ahead)
    finally:
        ahead.close()
    assert ahead.made is not None and len(ahead.made) == len(ledger.SHEETS) - 1
    assert path.read_bytes() == ledger.ledger_bytes(result)


@needs_fork
def test_a_copy_that_fails_leaves_the_sheets_to_this_process(printed, tmp_path, monkeypatch):
    def broken(result, out):
        raise ZeroDivisionError("a bug in the copy")

    monkeypatch.setattr(ledger, "_sheets_ahead", broken)
    ahead, result = _ahead(printed)
    assert ahead.job is not None
    path = ledger.write_ledger(result, tmp_path / "l.xlsx", ahead)
    ahead.close()
    assert ahead.made is None and path.read_bytes() == ledger.ledger_bytes(result)


def test_nothing_is_made_ahead_for_a_small_archive_or_a_result_from_the_cache(make_archive, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "cache"))
    root = write_printed(make_archive)
    ahead, result = _ahead(root, cache=True)
    assert ahead.job is None  # fewer records than AHEAD_MIN
    monkeypatch.setattr(ledger, "AHEAD_MIN", 0)
    ahead, cached = _ahead(root, cache=True)
    assert ahead.job is None and ahead.parts() is None  # the rules did not run: the result was kept
    assert ledger.write_ledger(cached, tmp_path / "l.xlsx", ahead).read_bytes() == ledger.ledger_bytes(result)


@needs_fork
def test_the_command_writes_the_same_file_either_way(printed, tmp_path, monkeypatch):
    def ledger_file(name):
        r = CliRunner().invoke(main, ["ledger", "-a", str(printed), "-o", str(tmp_path / name), "--as-of",
                                      str(AS_OF), "--no-cache"])
        assert r.exit_code == 0, r.output
        return (tmp_path / name).read_bytes()

    ahead = ledger_file("ahead.xlsx")
    monkeypatch.setattr(ledger, "AHEAD_MIN", 10**9)
    assert ledger_file("here.xlsx") == ahead
