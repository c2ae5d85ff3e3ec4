"""The parsed-file cache (archive/reading/cache.py): never stale, never trusted
when damaged, never inside an archive, and the same output as without it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import AS_OF, person, session

import safetrain.archive.reading.loader as loader
from safetrain.api import check_path
from safetrain.archive.reading import cache as cache_module
from safetrain.cli import main
from safetrain.reports.findings import as_json, as_text

SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def parsed(monkeypatch):
    """The files parsed since the test began (relpaths, in order)."""
    seen: list[str] = []
    real = loader.parse_file

    def parse_file(kind, rel, *args, **kwargs):
        seen.append(rel)
        return real(kind, rel, *args, **kwargs)

    monkeypatch.setattr(loader, "parse_file", parse_file)
    return seen


def out(root: Path, *, cache: bool = True, **options) -> str:
    r = check_path(root, AS_OF, cache=cache, **options)
    return as_json([r], "zh") + as_text([r], "en")


def settle(root: Path, seconds: int = 60) -> None:
    """Every file of `root` last changed a minute ago: old enough to be trusted by its status."""
    then = time.time() - seconds
    for path in root.rglob("*"):
        os.utime(path, (then, then))


@pytest.fixture
def archive(make_archive):
    root = make_archive({
        "people/E1.toml": person("张三"),
        "people/E2.toml": person("李四", hired="2023-07-10"),
        "sessions/S1.toml": session('{ person = "E1", score = 90 }, { person = "E2", score = 40 }'),
        "contracts/c.pdf": "%PDF-1.4\n",
    })
    settle(root)
    return root


def test_a_rerun_reads_nothing_and_says_the_same(archive, cache_dir, parsed):
    first = out(archive)
    assert first == out(archive, cache=False)
    parsed.clear()
    assert out(archive) == first
    assert parsed == []
    assert (cache_dir / cache_module.DATABASE).is_file()


def test_a_file_name_the_file_system_left_undecoded(archive, cache_dir):
    """people/E<0xff>.toml (not UTF-8): its A002 is said with the cache as without it (it was a bug)."""
    with open(os.fsencode(archive / "people") + b"/E\xff.toml", "w") as f:
        f.write(person("王五"))
    first = out(archive)
    assert "people/E\udcff.toml" in first and first == out(archive, cache=False) == out(archive)


def test_a_folder_the_file_system_left_undecoded(archive, cache_dir):
    """sessions/x<0xff>/S1.toml (a folder named in GBK, unpacked where names are UTF-8): read on
    every run, as without the cache, and never stored (SQLite cannot hold its name)."""
    folder = os.fsencode(archive / "sessions") + b"/x\xff"
    os.mkdir(folder)
    os.rename(archive / "sessions" / "S1.toml", folder + b"/S1.toml")
    first = out(archive)
    assert first == out(archive, cache=False) == out(archive)
    assert "S1" in first and "sessions/x\udcff/S1.toml" in first


def test_an_edit_is_seen(archive, cache_dir, parsed):
    before = out(archive)
    path = archive / "sessions/S1.toml"
    text = path.read_text("utf-8").replace("score = 40", "score = 90")  # same size, a different content
    path.write_text(text, "utf-8")
    settle(archive)  # and the same modification time as before
    parsed.clear()
    after = out(archive)
    assert parsed == ["sessions/S1.toml"]
    assert after == out(archive, cache=False) and after != before


def test_each_value_is_let_go_once_decoded(archive, cache_dir, monkeypatch):
    """A re-run builds its models from the cache's values one by one, and lets each value
    go as soon as its model is made: 100,000 people's values need not sit beside them."""
    out(archive)  # the values written
    lists, decoded, held = [], [], []
    real_load, real_decoded = loader.Snapshot.load, loader.Snapshot._decoded

    def load(self):
        lists.append(self.items)  # the list the snapshot reads its values from
        return real_load(self)

    def _decoded(self, kind, rel, entry):
        held.append(sum(1 for item in lists[-1] if isinstance(item, tuple) and item[2] in decoded))
        decoded.append(entry)
        return real_decoded(self, kind, rel, entry)

    monkeypatch.setattr(loader.Snapshot, "load", load)
    monkeypatch.setattr(loader.Snapshot, "_decoded", _decoded)
    later = check_path(archive, date(2024, 7, 1), cache=True)  # another as_of: no result to reuse, the models are built
    assert len(decoded) == 3 and held == [0, 0, 0]  # two people and a session (safetrain.toml is read first)
    assert lists[-1] == [None] * 4 and later.archive.people.keys() == {"E1", "E2"}


def test_a_listing_problem_that_changes_its_words_is_seen(archive, cache_dir):
    """people/ a file, then a link to no folder: the same A001 of the same path, in other words.
    The cache's result answered the second run with the first one's words."""
    import shutil

    shutil.move(archive / "people", archive.parent / "kept")
    (archive / "people").write_text("x", "utf-8")
    first = out(archive)
    assert "people is a file, not a folder" in first
    (archive / "people").unlink()
    (archive / "people").symlink_to("nowhere")
    after = out(archive)
    assert "people is a link to no folder" in after and after == out(archive, cache=False)


def test_an_edit_within_the_same_clock_tick_is_seen(archive, cache_dir):
    path = archive / "people/E2.toml"
    out(archive)
    path.write_text(person("李四改"), "utf-8")
    first = out(archive)
    stat = path.stat()
    path.write_text(person("李四变"), "utf-8")  # same size, maybe the same mtime
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert out(archive) == out(archive, cache=False) != first


def test_a_rename_and_a_deletion_are_seen(archive, cache_dir):
    out(archive)
    (archive / "people/E2.toml").rename(archive / "people/E9.toml")
    renamed = out(archive)
    assert renamed == out(archive, cache=False) and "E9" in renamed
    (archive / "people/E9.toml").unlink()
    gone = out(archive)
    assert gone == out(archive, cache=False) and "E9" not in gone.split("A003")[0]


def test_a_file_touched_but_not_changed_is_not_parsed_again(archive, cache_dir, parsed):
    first = out(archive)
    (archive / "people/E1.toml").touch()
    parsed.clear()
    assert out(archive) == first
    assert parsed == []


def test_a_file_the_records_point_to_is_asked_again(make_archive, cache_dir, parsed):
    root = make_archive({"people/E1.toml": person(), "contracts/c.pdf": "%PDF-1.4\n",
                         "sessions/S1.toml": session(contract='"contracts/c.pdf"', provider='"宁夏培训中心"')})
    settle(root)
    assert "A008" not in out(root)
    (root / "contracts/c.pdf").unlink()
    parsed.clear()
    missing = out(root)
    assert parsed == [] and "A008" in missing and missing == out(root, cache=False)


def test_a_rule_set_change_is_seen(make_archive, cache_dir):
    rules = 'extends = "national"\nname = "ours"\n[figures]\npre_job_hours = {value = 24, citation = "企业自定"}\n'
    root = make_archive({"rules/ours.toml": rules, "people/E1.toml": person(),
                         "sessions/S1.toml": session(hours="20")}, ruleset="rules/ours.toml")
    settle(root)
    before = out(root)
    (root / "rules/ours.toml").write_text(rules.replace("24", "16"), "utf-8")
    after = out(root)
    assert after == out(root, cache=False) and after != before
    assert out(root, ruleset="national") == out(root, ruleset="national", cache=False)


def test_another_version_of_the_program_starts_afresh(archive, cache_dir, parsed, monkeypatch):
    out(archive)
    monkeypatch.setattr(cache_module, "_source", lambda: "another version")
    parsed.clear()
    again = out(archive)
    assert len(parsed) == 4 and again == out(archive, cache=False)
    parsed.clear()
    out(archive)
    assert parsed == []


def test_only_what_changed_is_written(archive, cache_dir, monkeypatch):
    out(archive)
    written = []
    real = cache_module.ArchiveCache.write

    def write(self, result=None):
        written.append(sorted(self.changed))
        return real(self, result)

    monkeypatch.setattr(cache_module.ArchiveCache, "write", write)
    path = archive / "people/E1.toml"
    path.write_text(person("张三丰"), "utf-8")
    settle(archive)
    out(archive)
    assert [w for w in written if w] == [["people/E1.toml"]]  # the files' entries, then the result
    written.clear()
    out(archive)
    assert written and not any(written)


def test_what_runs_meanwhile_starts_after_a_first_run_writes_its_values(archive, cache_dir, monkeypatch):
    """A first run writes its many new values before the rules run, and before what runs
    meanwhile (a forked copy writing an export's record tables or a ledger's sheets) starts:
    a copy started earlier kept the values, written and let go here, as pages of its own
    (stop 30: a first ledger at 100k 843 -> 788 MB with its copy, in the same time). It is
    started once."""
    import safetrain.api as api

    monkeypatch.setattr(api, "EARLY_WRITE_FROM", 1)
    said: list[str] = []
    real = cache_module.ArchiveCache.write

    def write(self, result=None):
        said.append("result" if result else "values" if self.changed else "nothing")
        return real(self, result)

    monkeypatch.setattr(cache_module.ArchiveCache, "write", write)
    result = check_path(archive, AS_OF, cache=True, meanwhile=lambda a, rs, as_of: said.append(
        f"meanwhile {len(a.people)} {rs.name} {as_of}"))
    assert said == ["values", f"meanwhile 2 national {AS_OF}", "result"]
    assert result.findings  # the same check as ever (E2 failed S1)
    said.clear()
    check_path(archive, AS_OF, cache=True, meanwhile=lambda *a: said.append("meanwhile"))
    assert "meanwhile" not in said  # the result came from the cache: nothing to run beside

def test_an_unreadable_file_whose_reason_changes_is_told_anew(archive, cache_dir):
    """A person file a link to nothing, then a pipe: the same A001 of the same path with another
    reason. Every unreadable file had one digest, so the cached result kept the first reason."""
    (archive / "people/E9.toml").symlink_to("nothere.toml")
    first = out(archive)
    assert "No such file or directory" in first
    (archive / "people/E9.toml").unlink()
    os.mkfifo(archive / "people/E9.toml")
    after = out(archive)
    assert "not a regular file" in after and after == out(archive, cache=False)


def test_a_foreign_database_that_says_schema_1_is_rebuilt(archive, cache_dir):
    """Another program's SQLite file whose meta table happens to say schema 1: its tables are not
    ours, so it was never written to (every query failed as busy) and the cache stayed off."""
    cache_dir.mkdir()
    with sqlite3.connect(cache_dir / cache_module.DATABASE) as con:
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT INTO meta VALUES ('schema', '1')")
        con.execute("CREATE TABLE archives (id INTEGER PRIMARY KEY, root TEXT)")
    con.close()
    expected = out(archive, cache=False)
    assert out(archive) == expected
    cache_module._forget(str(cache_dir / cache_module.DATABASE))
    with sqlite3.connect(cache_dir / cache_module.DATABASE) as con:
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 4  # rebuilt, and used
    con.close()
    assert out(archive) == expected


def _database(cache_dir: Path) -> Path:
    db = cache_dir / cache_module.DATABASE
    assert db.is_file()
    return db


@pytest.mark.parametrize("damage", ["truncated", "garbage", "a value changed", "empty"])
def test_a_damaged_cache_is_not_trusted(archive, cache_dir, damage):
    expected = out(archive, cache=False)
    out(archive)
    db = _database(cache_dir)
    if damage == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        db.write_bytes(os.urandom(8192))
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        with sqlite3.connect(db) as con:
            con.execute("UPDATE files SET value = CAST(replace(CAST(value AS TEXT), '张三', '王五') AS BLOB)")
            con.execute("DELETE FROM results")
    assert out(archive) == expected
    assert out(archive) == expected  # and the cache made again is good


def test_a_foreign_value_is_never_unpickled(archive, cache_dir):
    import pickle

    out(archive)
    db = _database(cache_dir)
    evil = pickle.dumps(os.system)  # names a callable: the unpickler refuses it
    with sqlite3.connect(db) as con:
        con.execute("UPDATE files SET value = ?, chk = ?", (evil, cache_module._check(evil)))
        con.execute("UPDATE results SET value = ?, chk = ?", (evil, cache_module._check(evil)))
    with pytest.raises(pickle.UnpicklingError):
        cache_module.loads(evil)
    assert out(archive) == out(archive, cache=False)


def test_a_cache_made_for_another_folder_is_not_used(archive, cache_dir, tmp_path):
    out(archive)
    db = _database(cache_dir)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE archives SET root = '/somewhere/else'")
    assert out(archive) == out(archive, cache=False)
    with sqlite3.connect(db) as con:
        roots = [r for (r,) in con.execute("SELECT root FROM archives ORDER BY id")]
    assert roots == ["/somewhere/else", os.path.realpath(archive)]


def test_never_inside_an_archive(archive, monkeypatch):
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(archive / "cache"))
    before = sorted(p.relative_to(archive) for p in archive.rglob("*"))
    assert out(archive) == out(archive, cache=False)
    assert sorted(p.relative_to(archive) for p in archive.rglob("*")) == before


def test_the_cache_is_private(archive, cache_dir):
    out(archive)
    assert (cache_dir.stat().st_mode & 0o777) == 0o700
    assert (_database(cache_dir).stat().st_mode & 0o777) == 0o600


CHECK = [sys.executable, "-m", "safetrain", "check", "--as-of", str(AS_OF), "--format", "json"]


def test_two_checks_at_once(archive, cache_dir):
    expected = subprocess.run(CHECK + ["--no-cache", str(archive)], cwd=REPO, capture_output=True, text=True).stdout
    for _ in range(3):
        runs = [subprocess.Popen(CHECK + [str(archive)], cwd=REPO, stdout=subprocess.PIPE, text=True)
                for _ in range(2)]
        assert [p.communicate()[0] for p in runs] == [expected, expected]
        (archive / "people/E1.toml").write_text(person("张三" + "丰" * _), "utf-8")
        expected = subprocess.run(CHECK + ["--no-cache", str(archive)], cwd=REPO, capture_output=True,
                                  text=True).stdout


KILLED_WHILE_WRITING = """
import os, signal, sys
from safetrain.archive.reading import cache
real = cache.ArchiveCache.write
def write(self, result=None):
    db = cache._connection(str(self.path))
    db.execute("BEGIN IMMEDIATE")
    archive = self._archive(db, create=True)
    db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                   [(archive, rel, b"x", b"y", b"half", b"z") for rel in self.changed])
    os.kill(os.getpid(), signal.SIGKILL)
cache.ArchiveCache.write = write
from safetrain.cli import main
main([*sys.argv[1:]])
"""


def test_killed_while_writing(archive, cache_dir):
    expected = out(archive, cache=False)
    done = subprocess.run([sys.executable, "-c", KILLED_WHILE_WRITING, "check", str(archive)], cwd=REPO,
                          capture_output=True)
    assert done.returncode == -9
    assert out(archive) == expected


def test_output_is_byte_identical_with_and_without_the_cache(generated_archive, cache_dir):
    def run(*args):
        r = CliRunner().invoke(main, [*args, "--as-of", str(AS_OF)])
        assert r.exit_code in (0, 1), r.output
        return r.stdout_bytes

    for target in (SAMPLE, generated_archive):
        for command in (["check", "--format", "json"], ["check", "--format", "text"], ["status", "--format", "json"],
                        ["expiring", "--format", "json"], ["check", "--format", "junit"]):
            without = run(*command, str(target), "--no-cache")
            assert run(*command, str(target)) == without  # made
            assert run(*command, str(target)) == without  # served


@pytest.fixture
def read_in_two(monkeypatch):
    """A first run reads half of its changed files in a forked copy, whatever their number;
    the list says how many copies were started."""
    import safetrain.forked

    started = []
    real = safetrain.forked.Forked.start

    def start(work, *args):
        job = real(work, *args)
        started.append(job is not None)
        return job

    monkeypatch.setattr(loader, "READ_IN_TWO_FROM", 2)
    monkeypatch.setattr(safetrain.forked, "cpu_count", lambda: 2)
    monkeypatch.setattr(safetrain.forked.Forked, "start", staticmethod(start))
    return started


def _entries(folder: Path) -> list:
    with sqlite3.connect(folder / cache_module.DATABASE) as db:
        return sorted(db.execute("SELECT rel, sig, digest, value, chk FROM files"))


@pytest.fixture
def odd_archive(make_archive):
    """Files of every outcome: good, unparsable, invalid, badly named."""
    root = make_archive({
        "people/E1.toml": person("张三"),
        "people/E2.toml": person("李四", hired="2023-07-10"),
        "people/E3.toml": "name = \"王五\"\nhired = 2023-13-01\n",
        "people/E4.toml": person("赵六", departmnt='"x"'),
        "people/bad name.toml": person("钱七"),
        "sessions/S1.toml": session('{ person = "E1", score = 90 }, { person = "E2", score = 40 }'),
        "sessions/S2.toml": session('{ person = "E2", score = 95 }'),
    })
    settle(root)
    return root


def test_a_first_run_read_in_two_gives_what_one_reader_gives(odd_archive, tmp_path, monkeypatch, read_in_two):
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "two"))
    two = out(odd_archive)
    assert read_in_two == [True]
    assert two == out(odd_archive, cache=False)
    assert out(odd_archive) == two  # served from what the two readers put in the cache
    monkeypatch.setattr(loader, "READ_IN_TWO_FROM", 10**9)
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "one"))
    assert out(odd_archive) == two
    assert _entries(tmp_path / "two") == _entries(tmp_path / "one")
    assert "A001" in two and "A002" in two and "bad name" in two


def test_a_reader_copy_that_fails_leaves_its_files_to_this_process(odd_archive, cache_dir, monkeypatch, read_in_two):
    def broken(*args):
        raise ZeroDivisionError("a bug in the copy")

    monkeypatch.setattr(loader, "_read_part", broken)
    assert out(odd_archive) == out(odd_archive, cache=False)
    assert read_in_two == [True]
    assert out(odd_archive) == out(odd_archive, cache=False)


def test_a_touched_file_read_by_the_copy_keeps_its_entry(archive, cache_dir, read_in_two, parsed):
    first = out(archive)
    assert read_in_two == [True]
    now = time.time()
    for path in archive.rglob("*.toml"):
        os.utime(path, (now - 30, now - 30))  # touched, not changed: every file's status differs
    assert out(archive) == first
    assert read_in_two == [True, True]
    parsed.clear()
    assert out(archive) == first and parsed == []


def test_no_user_folder_means_no_cache_not_a_failure(make_archive, monkeypatch):
    """A CI container run under a user id with no HOME and no passwd entry: `check` failed with
    "internal error: RuntimeError: Could not determine home directory"; it now runs without
    the cache, with the same output."""
    import pwd

    from safetrain.cli import main

    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
    expected = CliRunner().invoke(main, ["check", str(root), "--as-of", str(AS_OF), "--no-cache", "--format", "json"])
    for name in ("HOME", "SAFETRAIN_CACHE_DIR", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)

    def nobody(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", nobody)
    with pytest.raises(RuntimeError):
        Path.home()
    r = CliRunner().invoke(main, ["check", str(root), "--as-of", str(AS_OF), "--format", "json"])
    assert r.exit_code == expected.exit_code and r.output == expected.output, r.output
