"""Work in a forked copy of the process (safetrain/forked.py): its value comes back;
a failure, or a copy stopped, gives None and leaves no process behind."""

from __future__ import annotations

import os
from pathlib import Path

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


def test_an_interruption_while_waiting_stops_the_copy(monkeypatch):
    """Ctrl-C or SIGTERM while this process waits for the copy's value: the copy was waited for
    to the end of its work (`kill PID` of `fmt` took 15 s to end it); now stopped at once."""
    import time

    job = forked.Forked.start(time.sleep, 60)
    assert job is not None
    pid = job.pid

    def interrupted(fd, size):
        raise KeyboardInterrupt

    monkeypatch.setattr(forked.os, "read", interrupted)
    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        job.result()
    assert time.monotonic() - began < 10
    with pytest.raises(ChildProcessError):  # reaped: nothing left to wait for
        os.waitpid(pid, os.WNOHANG)


@pytest.mark.skipif(not os.sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_copy_ends_with_its_parent_killed(tmp_path):
    """`kill -9` of the process: its copy ran on to the end of its work (a full core, and the
    archive's lock `fmt --yes` forks under); now it ends with it."""
    import subprocess
    import sys
    import time

    marker = tmp_path / "copy.pid"
    code = ("import os, signal, time, sys; from safetrain import forked; "
            f"job = forked.Forked.start(lambda: (open({str(marker)!r}, 'w').write(str(os.getpid())), time.sleep(60))); "
            f"[time.sleep(0.05) for _ in range(200) if not os.path.exists({str(marker)!r})]; "
            "time.sleep(0.2); os.kill(os.getpid(), signal.SIGKILL)")
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], timeout=60)
    pid = int(marker.read_text())
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            break
        if "\nState:\tZ" in state:  # dead, not yet reaped by the init of this container
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        pytest.fail("the copy outlived its parent")


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


def test_python_m_safetrain_runs_only_as_the_main_module():
    """A worker process started by spawn (Windows) imports the main module as __mp_main__:
    `python -m safetrain` must not run the command again in each worker."""
    import runpy

    with pytest.raises(SystemExit):
        runpy.run_module("safetrain", run_name="__main__", alter_sys=False)  # runs: --help-like usage, exits
    runpy.run_module("safetrain", run_name="__mp_main__", alter_sys=False)  # imported: nothing runs


def test_a_site_made_by_spawned_workers_is_the_same(tmp_path, monkeypatch):
    """Where processes are spawned (Windows), the plan and each rule set travel pickled to and from
    the workers: the same site as in one process."""
    import multiprocessing

    from click.testing import CliRunner

    from safetrain import runner
    from safetrain.cli import main

    sample = Path(__file__).resolve().parents[1] / "sample_archive"
    args = ["report", "html", str(sample), "--as-of", "2024-06-30", "--no-cache"]
    assert CliRunner().invoke(main, [*args, "-o", str(tmp_path / "one"), "-j", "1"]).exit_code == 0
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    used = []
    made = runner._in_processes

    def spy(*a, **kw):
        for outcome in made(*a, **kw):
            used.append(outcome)
            yield outcome
    monkeypatch.setattr(runner, "_in_processes", spy)
    here = []  # archives done in this process: none, the spawned workers did them all
    monkeypatch.setattr(runner, "_one", lambda *a, **kw: here.append(a))
    r = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "two"), "-j", "2"])
    assert r.exit_code == 0, r.output
    assert len(used) == 3 and here == []
    one, two = (sorted(p.relative_to(tmp_path / d) for p in (tmp_path / d).rglob("*") if p.is_file()) for d in ("one", "two"))
    assert one == two and all((tmp_path / "one" / p).read_bytes() == (tmp_path / "two" / p).read_bytes() for p in one)
