"""Work in a forked copy of the process (safetrain/forked.py): its value comes back;
a failure, or a copy stopped, gives None and leaves no process behind."""

from __future__ import annotations

import os

import pytest

from safetrain import forked
from safetrain.cores import cpu_count

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or cpu_count() < 2,
                                reason="a forked copy needs os.fork and two cores")


def test_the_copy_has_what_this_process_had_and_gives_its_value_back(tmp_path):
    big = {"archive": list(range(100_000))}  # nothing is sent: the copy has it
    out = open(tmp_path / "scratch", "w+b")
    job = forked.Forked.start(lambda data, f: (f.write(b"rows"), f.flush(), sum(data["archive"]))[2], big, out)
    assert job is not None
    assert job.result() == sum(range(100_000))
    out.seek(0)
    assert out.read() == b"rows"  # a file opened before the fork takes the large output
    out.close()


def test_a_failure_in_the_copy_is_none_here():
    def fail():
        raise ZeroDivisionError("a bug")

    job = forked.Forked.start(fail)
    pid = job.pid
    assert job.result() is None
    with pytest.raises(ChildProcessError):  # reaped: no copy left over
        os.waitpid(pid, os.WNOHANG)


def test_a_copy_stopped_early_is_gone():
    import time

    job = forked.Forked.start(time.sleep, 60)
    pid = job.pid
    job.cancel()
    with pytest.raises(ChildProcessError):  # killed and reaped
        os.waitpid(pid, os.WNOHANG)


def test_one_core_means_no_copy(monkeypatch):
    monkeypatch.setattr(forked, "cpu_count", lambda: 1)
    assert forked.Forked.start(len, []) is None


def _copies_allowed(result) -> bool:
    import safetrain.forked

    return safetrain.forked.allowed


def test_no_copies_of_copies_in_the_workspace_runners_workers(make_archive, tmp_path, monkeypatch):
    """The runner's worker processes share the cores already: there a large archive is
    read and checked without forked copies (Forked.start gives None)."""
    from helpers import AS_OF, person

    from safetrain import runner
    from safetrain.archive.reading.discover import discover

    monkeypatch.setattr("safetrain.forked.cpu_count", lambda: 2)
    for n in range(3):
        make_archive({"people/E1.toml": person(f"员工{n}")}, root=tmp_path / "ws" / f"a{n}")
    outcomes = list(runner.each_archive(discover([tmp_path / "ws"]), AS_OF, _copies_allowed, jobs=2))
    assert [o.value for o in outcomes] == [False, False, False]
    job = forked.Forked.start(int)  # this process may still make one
    assert job is not None and job.result() == 0
    monkeypatch.setattr("safetrain.forked.allowed", False)
    assert forked.Forked.start(int) is None
