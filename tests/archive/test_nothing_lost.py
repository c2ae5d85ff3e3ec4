"""Writes that keep what they should: every roster row, a scan's privacy, a clean folder after a crash."""

import io
import os
import re
import socket
import stat
import time
import zipfile

import pytest

from click.testing import CliRunner
from openpyxl import Workbook

from helpers import person, session
from safetrain.cli import main


def run(*args):
    return CliRunner(env={"SAFETRAIN_LANG": "en"}).invoke(main, [str(a) for a in args])


def stale_roster(path, people: int, declared: str) -> None:
    """A roster whose sheet declares `<dimension ref=declared>` although it holds `people` rows:
    what some exporters (and hand-edited files) leave behind."""
    book = Workbook()
    ws = book.active
    ws.append(["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    for n in range(people):
        ws.append([f"R{n:02d}", f"员工{n}", "后厨", "厨师", "正式工", "2023-07-01"])
    buf = io.BytesIO()
    book.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{declared}"'.encode(), data)
                assert n == 1
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())


def test_a_stale_dimension_drops_no_roster_row(make_archive, tmp_path):
    root = make_archive({})
    stale_roster(tmp_path / "roster.xlsx", 10, "A1:F3")
    r = run("import", "roster", tmp_path / "roster.xlsx", "-a", root)
    assert r.exit_code == 0, r.output
    assert r.output.strip().endswith("10 created, 0 updated, 0 skipped, 0 row(s) failed")
    assert sorted(p.stem for p in (root / "people").iterdir()) == [f"R{n:02d}" for n in range(10)]


def test_every_row_read_has_an_outcome(make_archive, tmp_path):
    """The import accounts for each row it read: created, updated, skipped, unchanged or failed."""
    from safetrain.archive.importing.roster import import_roster
    from safetrain.archive.writing.edit import editing

    root = make_archive({"people/R00.toml": person("员工0")})  # the same person: skipped (another name is an error)
    stale_roster(tmp_path / "roster.xlsx", 4, "A1:F2")
    with editing(root) as ed:
        report = import_roster(ed, tmp_path / "roster.xlsx")
    assert report.rows == 4 and len(report.created) == 3 and [pid for _, pid in report.skipped] == ["R00"]


def test_attach_keeps_a_private_scan_private(make_archive, tmp_path):
    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
    scan = tmp_path / "身份证复印件.pdf"
    scan.write_bytes(b"%PDF-1.4 private")
    os.chmod(scan, 0o600)
    r = run("attach", "sessions/S1", scan, "-a", root)
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE((root / "attachments" / "身份证复印件.pdf").stat().st_mode) == 0o600
    public = tmp_path / "签到表.pdf"
    public.write_bytes(b"%PDF-1.4 public")
    os.chmod(public, 0o755)
    assert run("attach", "sessions/S1", public, "-a", root).exit_code == 0
    assert stat.S_IMODE((root / "attachments" / "签到表.pdf").stat().st_mode) == 0o644  # never executable


def test_a_private_contract_stays_private(make_archive, tmp_path):
    """attach --as contract places the file as an attachment is placed (one rule for both)."""
    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
    scan = tmp_path / "合同.pdf"
    scan.write_bytes(b"%PDF-1.4 contract")
    os.chmod(scan, 0o600)
    r = run("attach", "sessions/S1", scan, "--as", "contract", "-a", root)
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE((root / "contracts" / "合同.pdf").stat().st_mode) == 0o600


def test_the_next_write_removes_stale_temporary_files(make_archive):
    from safetrain.archive.writing import atomic

    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
    people = root / "people"
    stale, fresh = people / ".E1.toml.k3j9x_2a.safetrain.tmp", people / ".E2.toml.abcdefgh.safetrain.tmp"
    mine = people / ".notes.tmp"  # not one of ours: not the 8-character random part
    thesis = people / ".thesis.20240101.tmp"  # a user's, though shaped like mkstemp's: not ours either
    for p in (stale, fresh, mine, thesis):
        p.write_bytes(b"half a file")
    old = time.time() - atomic.STALE_SECONDS - 5
    for p in (stale, mine, thesis):
        os.utime(p, (old, old))
    atomic._swept.discard(os.path.realpath(people))
    r = run("new", "person", "E9", "-a", root, "--name", "王五", "--employment", "formal", "--department", "后厨",
            "--post", "厨师", "--hired", "2023-07-01")
    assert r.exit_code == 0, r.output
    assert not stale.exists() and fresh.exists() and mine.exists() and thesis.read_bytes() == b"half a file"


def test_a_new_file_that_cannot_be_written_is_named_not_its_temporary(tmp_path, monkeypatch):
    """A folder the system will not write to: the error names the file asked for (drills/D9.toml),
    never the temporary file beside it; an existing name is still FileExistsError."""
    import pytest

    from safetrain.archive.writing import atomic
    from safetrain.errors import SafetrainError

    def refuse(name):
        raise OSError(30, "Read-only file system", name)

    monkeypatch.setattr(atomic, "_open_new", refuse)
    with pytest.raises(SafetrainError) as err:
        atomic.write_new_bytes(tmp_path / "drills" / "D9.toml", b"x")
    assert err.value.en == f"cannot write {tmp_path / 'drills' / 'D9.toml'}: Read-only file system"
    assert err.value.zh.startswith(f"无法写入 {tmp_path / 'drills' / 'D9.toml'}：") and ".tmp" not in err.value.zh
    monkeypatch.undo()
    (tmp_path / "taken.toml").write_bytes(b"old")
    with pytest.raises(FileExistsError):
        atomic.write_new_bytes(tmp_path / "taken.toml", b"new")
    assert (tmp_path / "taken.toml").read_bytes() == b"old"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("cache", [False, True])
def test_a_pipe_named_like_a_record_is_an_a001_not_a_wait(make_archive, tmp_path, monkeypatch, cache):
    """A FIFO opened for reading waits for a writer for ever: check, fmt and the editor refuse it
    unread, naming the file."""
    monkeypatch.setenv("SAFETRAIN_CACHE_DIR", str(tmp_path / "cache"))
    root = make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()})
    os.mkfifo(root / "people" / "E2.toml")
    runner = CliRunner()
    r = runner.invoke(main, ["check", str(root), "--as-of", "2024-06-30", "--lang", "en", "--format", "json",
                             *([] if cache else ["--no-cache"])])
    assert r.exit_code == 1 and "people/E2.toml" in r.output and "not a regular file" in r.output
    r = runner.invoke(main, ["fmt", str(root), "--check"])
    assert r.exit_code == 1 and "不是普通文件" in r.output
    r = runner.invoke(main, ["fmt", str(root / "people" / "E2.toml"), "--check"])  # named alone: said, not skipped
    assert r.exit_code == 1 and "不是普通文件" in r.output
    r = runner.invoke(main, ["new", "person", "E3", str(root), "--name", "王五", "--hired", "2024-01-02",
                             "--employment", "正式工", "--department", "机加车间", "--post", "车工"])
    assert r.exit_code == 0, r.output
    assert (root / "people" / "E3.toml").is_file() and stat.S_ISFIFO(os.stat(root / "people" / "E2.toml").st_mode)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this system")
def test_a_socket_named_like_a_record_or_a_pipe_as_an_attachment_is_said_so(make_archive, tmp_path):
    """A socket cannot even be opened (ENXIO): the same A001, in Chinese words; a pipe as an
    attachment is no missing file but not a regular one (A008)."""
    root = make_archive({"people/E1.toml": person(extra='attachments = [{ path = "scans/e1.pdf" }]\n')})
    (root / "scans").mkdir()
    os.mkfifo(root / "scans" / "e1.pdf")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(root / "people" / "E2.toml"))
        r = CliRunner().invoke(main, ["check", str(root), "--as-of", "2024-06-30", "--no-cache"])
    finally:
        sock.close()
    lines = r.output.splitlines()
    assert any("people/E2.toml" in x and "A001" in x and "不是普通文件" in x for x in lines), r.output
    assert any("A008" in x and "scans/e1.pdf" in x and "不是普通文件" in x for x in lines), r.output
    assert "No such device" not in r.output


def test_a_write_that_fails_after_others_says_they_were_written(make_archive, tmp_path, monkeypatch):
    """A full disk at the third new person: the error says two files were written before it
    (each whole), not only that the third could not be; a second run skips them."""
    from safetrain.archive.writing import edit
    from safetrain.errors import SafetrainError

    root = make_archive({})
    stale_roster(tmp_path / "roster.xlsx", 4, "A1:F5")
    real, calls = edit.write_new_bytes, []

    def full(path, data, **kw):
        calls.append(path)
        if len(calls) == 3:
            raise SafetrainError(f"无法写入 {path}：磁盘空间不足", f"cannot write {path}: No space left on device")
        return real(path, data, **kw)

    monkeypatch.setattr(edit, "write_new_bytes", full)
    r = run("import", "roster", tmp_path / "roster.xlsx", "-a", root)
    assert r.exit_code == 2 and "2 file(s) were written before it, each whole, e.g. people/R00.toml" in r.output
    assert sorted(p.stem for p in (root / "people").iterdir()) == ["R00", "R01"]
    monkeypatch.setattr(edit, "write_new_bytes", real)
    r = run("import", "roster", tmp_path / "roster.xlsx", "-a", root)
    assert r.exit_code == 0 and sorted(p.stem for p in (root / "people").iterdir()) == ["R00", "R01", "R02", "R03"]


def test_write_failures_are_said_in_chinese_and_name_the_output_the_user_named(make_archive, tmp_path, monkeypatch):
    """File too large (EFBIG), SQLite's full disk, and a site's page: Chinese words, and the
    folder the user named rather than the hidden one the site is made in."""
    import errno
    import sqlite3

    from safetrain.archive.writing.atomic import cannot_write
    from safetrain.export import sqlite as export_sqlite
    from safetrain.reports.html import writer

    assert "文件过大" in cannot_write(tmp_path / "x.xlsx", OSError(errno.EFBIG, "File too large")).zh
    root = make_archive({"people/E1.toml": person()})

    def full(*args, **kw):
        exc = sqlite3.OperationalError("database or disk is full")
        exc.sqlite_errorname = "SQLITE_FULL"  # as SQLite sets it
        raise exc

    monkeypatch.setattr(export_sqlite, "_write_one", full)
    r = CliRunner().invoke(main, ["export", "sqlite", str(tmp_path / "e.db"), str(root), "--as-of", "2024-06-30"])
    assert r.exit_code == 2 and "磁盘空间不足" in r.output and "database or disk" not in r.output
    (tmp_path / ".site.new-abcd1234").mkdir()
    (tmp_path / ".site.new-abcd1234" / "a").write_text("a file where a folder goes", encoding="utf-8")
    try:
        writer.put(tmp_path / ".site.new-abcd1234", "a/x.html", b"<p>")
    except Exception as exc:  # noqa: BLE001 - the one error put raises
        assert str(tmp_path / "site" / "a" / "x.html") in exc.zh and ".new-" not in exc.zh
    else:
        raise AssertionError("put wrote below a file")


@pytest.mark.parametrize("where", ["making", "writing"])
@pytest.mark.parametrize("how", ["write_bytes", "write_bytes_later", "write_new_bytes", "replacing"])
def test_ctrl_c_during_a_write_leaves_no_temporary_file(tmp_path, monkeypatch, where, how):
    """Ctrl-C right after the temporary file was made (before its name reached the writer) or
    while it is written: the old file stays as it was and nothing is left beside it."""
    from safetrain.archive.writing import atomic

    target = tmp_path / "people" / "E1.toml"
    target.parent.mkdir()
    target.write_bytes(b"old")
    make = atomic._open_new

    def interrupted_open(name):
        make(name)  # the file exists: the interrupt comes as the call returns
        raise KeyboardInterrupt

    data = b"new"
    if where == "making":
        monkeypatch.setattr(atomic, "_open_new", interrupted_open)
    else:
        monkeypatch.setattr(atomic.os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
        monkeypatch.setattr(atomic.os, "link", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        if how == "write_bytes":
            atomic.write_bytes(target, data)
        elif how == "write_bytes_later":
            atomic.write_bytes(target, data, durable=False)
        elif how == "write_new_bytes":
            atomic.write_new_bytes(tmp_path / "people" / "E2.toml", data)
        else:
            with atomic.replacing(target) as tmp:
                tmp.write_bytes(data)
    assert sorted(p.name for p in target.parent.iterdir()) == ["E1.toml"]
    assert target.read_bytes() == b"old"


def test_a_long_file_name_has_a_temporary_name_that_fits(tmp_path):
    """A valid name of 232-255 bytes (a scan named with 78 Chinese characters) could not be
    written: its temporary name, the name and 24 more bytes, passed 255. The temporary name
    takes at most 200 bytes of it."""
    from safetrain.archive.writing import atomic

    name = "签" * 78 + ".pdf"
    assert 232 <= len(name.encode()) <= 255
    atomic.write_new_bytes(tmp_path / name, b"%PDF scan")
    atomic.write_bytes(tmp_path / ("档" * 83 + ".toml"), b"x = 1\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "档" * 83 + ".toml"])


def test_without_hard_links_an_interrupted_new_file_leaves_nothing_under_its_name(tmp_path, monkeypatch):
    """Where hard links fail (FAT, some network mounts) the new file is written under its name:
    Ctrl-C or a full disk during that copy left half a file there, never removed."""
    from safetrain.archive.writing import atomic

    def no_link(*args):
        raise PermissionError(1, "Operation not permitted")

    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:  # the copy under its name, after the temporary one
            raise KeyboardInterrupt
        return real_fsync(fd)

    monkeypatch.setattr(atomic.os, "link", no_link)
    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_new_bytes(tmp_path / "scan.pdf", b"%PDF" * 1000)
    assert list(tmp_path.iterdir()) == []
    calls.clear()
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    atomic.write_new_bytes(tmp_path / "scan.pdf", b"%PDF whole")
    assert (tmp_path / "scan.pdf").read_bytes() == b"%PDF whole" and len(list(tmp_path.iterdir())) == 1


def test_new_files_follow_the_umask(tmp_path):
    """umask 077 and a new person file (it holds a 身份证号) was -rw-r--r-- all the same."""
    from safetrain.archive.writing import atomic

    old = os.umask(0o077)
    try:
        atomic.write_new_bytes(tmp_path / "a.toml", b"x = 1\n")
        atomic.write_bytes(tmp_path / "b.toml", b"x = 1\n")
        with atomic.replacing(tmp_path / "c.db") as tmp:
            tmp.write_bytes(b"db")
    finally:
        os.umask(old)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()} == {
        "a.toml": 0o600, "b.toml": 0o600, "c.db": 0o600}
    os.umask(0o022)
    try:
        atomic.write_new_bytes(tmp_path / "d.toml", b"x = 1\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "d.toml").stat().st_mode) == 0o644


def test_a_record_that_is_a_symbolic_link_is_not_replaced_by_a_copy(make_archive, tmp_path):
    """people/E1.toml -> ../shared/E1.toml (inside the archive, read by check): `person leave`
    replaced the link with an edited copy, leaving the record twice with different contents;
    fmt did the same. Both now leave it, saying which file to edit."""
    root = make_archive({"people/E2.toml": person()})
    shared = root / "x_shared"
    shared.mkdir()
    (shared / "E1.toml").write_text(person() + "\n\n", "utf-8")
    (root / "people" / "E1.toml").symlink_to("../x_shared/E1.toml")
    before = (shared / "E1.toml").read_bytes()
    r = run("person", "leave", "E1", "--date", "2024-03-01", "-a", root, "--lang", "en")
    assert r.exit_code == 2 and "is a symbolic link" in r.output, r.output
    r = run("fmt", "--yes", root, "--lang", "en")
    assert "is a symbolic link" in r.output, r.output
    assert os.path.islink(root / "people" / "E1.toml") and (shared / "E1.toml").read_bytes() == before


def test_an_edit_removes_what_a_killed_write_left_anywhere_in_the_archive(make_archive):
    """A write killed in sessions/2023/ (a folder nothing writes into again) left a copy of a
    record, ID numbers and all, for good: the next edit of the archive removes every such file
    older than a minute, wherever it is; a fresh one (a write running now) stays."""
    from safetrain.archive.writing import atomic

    root = make_archive({"people/E1.toml": person(), "sessions/2023/S1.toml": session()})
    old_one = root / "sessions" / "2023" / ".S1.toml.0a1b2c3d.safetrain.tmp"
    fresh = root / "drills" / ".D1.toml.0a1b2c3e.safetrain.tmp"
    fresh.parent.mkdir(exist_ok=True)
    for p in (old_one, fresh):
        p.write_bytes(b"half a record")
    past = time.time() - atomic.STALE_SECONDS - 5
    os.utime(old_one, (past, past))
    atomic._swept.clear()
    r = run("person", "leave", "E1", "--date", "2024-03-01", "-a", root)
    assert r.exit_code == 0, r.output
    assert not old_one.exists() and fresh.exists()


def test_files_replaced_together_are_all_or_none_whatever_a_ctrl_c_meets(tmp_path, monkeypatch):
    """A Parquet partition's files: a Ctrl-C during the flush of one left those renamed before it
    in place and the rest deleted (a partition of two exports). Now a Ctrl-C before the renames
    leaves every old file, and one during them is acted on once all are renamed."""
    import os
    import signal

    import pytest

    from safetrain.archive.writing import atomic

    paths = [tmp_path / f"{n}.parquet" for n in range(3)]
    for p in paths:
        p.write_text("old")
    real_fsync = atomic.fsync_file
    calls = []

    def second_interrupted(path):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_fsync(path)

    monkeypatch.setattr(atomic, "fsync_file", second_interrupted)
    with pytest.raises(KeyboardInterrupt):
        with atomic.replacing_together(paths) as temps:
            for t in temps:
                t.write_text("new")
    assert [p.read_text() for p in paths] == ["old"] * 3 and sorted(os.listdir(tmp_path)) == sorted(p.name for p in paths)
    monkeypatch.setattr(atomic, "fsync_file", real_fsync)
    real_replace = os.replace

    def interrupted_on_the_first(src, dst):
        real_replace(src, dst)
        if dst == str(paths[0]) or dst == paths[0]:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(os, "replace", interrupted_on_the_first)
    with pytest.raises(KeyboardInterrupt):
        with atomic.replacing_together(paths) as temps:
            for t in temps:
                t.write_text("new")
    assert [p.read_text() for p in paths] == ["new"] * 3


def test_a_sigterm_held_back_still_ends_a_process_that_keeps_its_default(tmp_path):
    """A SIGTERM during the renames was dropped where SIGTERM had its default action (the
    process carried on, exit 0): it ends the process once the renames are done."""
    import subprocess
    import sys

    script = f"""
import os, signal
from pathlib import Path
from safetrain.archive.writing import atomic
paths = [Path({str(tmp_path)!r}) / f"{{n}}.bin" for n in range(3)]
with atomic.replacing_together(paths) as temps:
    for t in temps:
        t.write_bytes(b"new")
    real = os.replace
    def once(src, dst):
        real(src, dst)
        if str(dst).endswith("0.bin"):
            os.kill(os.getpid(), signal.SIGTERM)
    os.replace = once
print("still running")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == -15 and "still running" not in done.stdout, (done.returncode, done.stdout, done.stderr)
    assert [p.read_bytes() for p in sorted(tmp_path.glob("*.bin"))] == [b"new"] * 3
