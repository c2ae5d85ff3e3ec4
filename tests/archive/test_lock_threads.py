"""The archive lock between threads of one process: they exclude each other
like processes do; a thread may still nest its own locks."""

import threading
from contextlib import contextmanager
import time
import tomllib

import pytest

from helpers import person, session
from safetrain.archive.writing import edit
from safetrain.archive.writing.edit import editing
from safetrain.archive.writing.lock import LOCK_NAME, LockTimeout, archive_lock
from safetrain.archive.writing.records import attend


@pytest.fixture
def archive(make_archive):
    return make_archive({
        "people/E1.toml": person(),
        "people/E2.toml": person("李梅"),
        "people/E3.toml": person("王五"),
        "sessions/2023/S1.toml": session(),
    })


def run_thread(target, name: str | None = None) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def body():
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            errors.append(exc)

    t = threading.Thread(target=body, name=name, daemon=True)
    t.start()
    return t, errors


def test_two_threads_editing_one_session_both_land(archive, monkeypatch):
    """Thread A has read S1 and is about to write it when thread B starts its own
    edit. B must wait for A's write, or B's attendee is lost when A writes."""
    a_writing, b_done = threading.Event(), threading.Event()
    real_write = edit.write_bytes
    b_waited: list[float] = []

    def slow_write(path, data):
        if threading.current_thread().name == "A":
            a_writing.set()
            b_done.wait(0.5)  # B, if let in, would read S1 and write it now
        real_write(path, data)

    monkeypatch.setattr(edit, "write_bytes", slow_write)

    def a():
        with editing(archive) as ed:
            attend(ed, "S1", [{"person": "E2", "score": 80}])

    def b():
        assert a_writing.wait(10)
        started = time.monotonic()
        with editing(archive) as ed:
            b_waited.append(time.monotonic() - started)
            attend(ed, "S1", [{"person": "E3", "score": 85}])
        b_done.set()

    ta, errors_a = run_thread(a, "A")
    tb, errors_b = run_thread(b)
    ta.join(20)
    tb.join(20)
    assert not ta.is_alive() and not tb.is_alive()
    assert errors_a == errors_b == []
    data = tomllib.loads((archive / "sessions/2023/S1.toml").read_text("utf-8"))
    assert [a["person"] for a in data["attendees"]] == ["E1", "E2", "E3"]
    assert b_waited and b_waited[0] >= 0.3  # B waited for A's write (A gave it 0.5 s to barge in)


def test_a_second_thread_times_out_with_the_clear_message(archive):
    held, release = threading.Event(), threading.Event()

    def holder():
        with archive_lock(archive):
            with archive_lock(archive, timeout=0):  # nesting in one thread is allowed
                held.set()
                release.wait(10)

    t, errors = run_thread(holder)
    try:
        assert held.wait(10)
        with pytest.raises(LockTimeout) as err:
            with archive_lock(archive, timeout=0.2):
                pass
        assert "档案正被另一个 safetrain 命令修改" in err.value.zh and str(archive.resolve()) in err.value.zh
        assert str(archive.resolve()) in err.value.en and "gave up after 0.2 seconds" in err.value.en
    finally:
        release.set()
        t.join(10)
    assert errors == []
    with archive_lock(archive, timeout=1):  # free again once the thread let go
        pass
    assert not (archive / LOCK_NAME).exists()  # the folder itself is locked: no file is left in the archive


@contextmanager
def held_by_another_thread(archive):
    """The archive's lock held by a second thread for as long as the block runs."""
    held, release = threading.Event(), threading.Event()

    def holder():
        with archive_lock(archive):
            held.set()
            release.wait(10)

    t, errors = run_thread(holder)
    try:
        assert held.wait(10)
        yield
    finally:
        release.set()
        t.join(10)
    assert errors == []


def test_the_timeout_comes_from_the_environment(archive, monkeypatch):
    monkeypatch.setenv("SAFETRAIN_LOCK_TIMEOUT", "0.1")
    with held_by_another_thread(archive):
        started = time.monotonic()
        with pytest.raises(LockTimeout, match="0.1"):
            with editing(archive):
                pass
        assert time.monotonic() - started < 5


def test_where_a_folder_cannot_be_locked_a_lock_file_is_used(archive, monkeypatch):
    from safetrain.archive.writing import lock

    monkeypatch.setattr(lock, "_lock_folder", lambda path, timeout: None)  # Windows, a network share
    with held_by_another_thread(archive):
        with pytest.raises(LockTimeout) as err:
            with archive_lock(archive, timeout=0.2):
                pass
        assert LOCK_NAME in err.value.en
    assert (archive / LOCK_NAME).is_file()


def test_two_processes_exclude_each_other(archive):
    """The folder lock holds between processes as between threads."""
    import subprocess
    import sys

    code = ("import sys, time; from safetrain.archive.writing.lock import archive_lock\n"
            "with archive_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(1.0)\n")
    child = subprocess.Popen([sys.executable, "-c", code, str(archive)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(LockTimeout):
            with archive_lock(archive, timeout=0.2):
                pass
        started = time.monotonic()
        with archive_lock(archive, timeout=10):  # free once the other process is done
            assert time.monotonic() - started < 5
    finally:
        child.wait(10)
