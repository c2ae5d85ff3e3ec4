"""What memory.py reads of the machine and its cgroup, and that no copy is forked where
the memory left would not hold it: the work is done here, with the same result."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import AS_OF, person, session

from safetrain import forked, memory
from safetrain.api import check_path
from safetrain.reports import ledger

MB = 1 << 20


def machine(tmp_path: Path, *, available_mb: int = 8000, cgroup: str = "0::/", resident_pages: int = 25600,
            groups: dict | None = None) -> tuple[Path, Path]:
    """A fake /proc and /sys/fs/cgroup: `groups` maps a cgroup folder (relative) to its files."""
    proc, sys_fs = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "meminfo").write_text(f"MemTotal:       16000000 kB\nMemAvailable:   {available_mb * 1024} kB\n")
    (proc / "self" / "cgroup").write_text(cgroup + "\n")
    (proc / "self" / "statm").write_text(f"90000 {resident_pages} 1000 0 0 0 0\n")
    sys_fs.mkdir()
    for folder, files in (groups or {}).items():
        where = sys_fs / folder
        where.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (where / name).write_text(text)
    return proc, sys_fs


def test_the_machine_alone(tmp_path):
    proc, sys_fs = machine(tmp_path, available_mb=3000)
    assert memory.available(proc, sys_fs) == 3000 * MB
    assert memory.resident(proc) == 25600 * memory.os.sysconf("SC_PAGE_SIZE")


def test_a_cgroup_v2_limit_less_its_droppable_file_cache(tmp_path):
    proc, sys_fs = machine(tmp_path, cgroup="0::/user.slice/job", groups={
        "user.slice/job": {"memory.max": str(600 * MB), "memory.current": str(500 * MB),
                           "memory.stat": f"anon 1\ninactive_file {100 * MB}\nactive_file 5\n"},
        "user.slice": {"memory.max": "max", "memory.current": str(900 * MB)}})
    assert memory.available(proc, sys_fs) == 200 * MB  # 600 - (500 - 100)


def test_a_limit_on_a_group_above_counts_too(tmp_path):
    proc, sys_fs = machine(tmp_path, cgroup="0::/a/b", groups={
        "a/b": {"memory.max": "max", "memory.current": str(10 * MB)},
        "a": {"memory.max": str(300 * MB), "memory.current": str(250 * MB)}})
    assert memory.available(proc, sys_fs) == 50 * MB


def test_a_cgroup_v1_limit_and_its_no_limit(tmp_path):
    proc, sys_fs = machine(tmp_path, cgroup="4:memory:/docker/x\n0::/", groups={
        "memory/docker/x": {"memory.limit_in_bytes": str(1000 * MB), "memory.usage_in_bytes": str(700 * MB),
                            "memory.stat": f"cache 9\ntotal_inactive_file {50 * MB}\n"},
        "memory": {"memory.limit_in_bytes": "9223372036854771712", "memory.usage_in_bytes": str(5000 * MB)}})
    assert memory.available(proc, sys_fs) == 350 * MB  # 1000 - (700 - 50); the root's huge number is no limit


def test_nothing_to_read_is_no_limit(tmp_path):
    assert memory.available(tmp_path / "none", tmp_path / "none") is None
    assert memory.resident(tmp_path / "none") is None
    assert memory.room_for_a_copy(tmp_path / "none", tmp_path / "none")


def test_room_for_a_copy_is_what_this_process_holds(tmp_path):
    held = 25600 * memory.os.sysconf("SC_PAGE_SIZE")
    proc, sys_fs = machine(tmp_path, available_mb=held // MB + 1)
    assert memory.room_for_a_copy(proc, sys_fs)
    proc, sys_fs = machine(tmp_path / "small", available_mb=held // MB - 1)
    assert not memory.room_for_a_copy(proc, sys_fs)


def test_no_copy_where_it_would_not_fit(monkeypatch):
    monkeypatch.setattr(forked, "cpu_count", lambda: 2)
    monkeypatch.setattr(forked, "room_for_a_copy", lambda: False)
    assert forked.Forked.start(lambda: 1) is None


@pytest.mark.skipif(not hasattr(memory.os, "fork"), reason="copies need os.fork")
def test_a_ledger_without_room_for_its_copy_is_made_here_the_same(make_archive, tmp_path, monkeypatch):
    monkeypatch.setattr(ledger, "AHEAD_MIN", 0)
    monkeypatch.setattr(forked, "cpu_count", lambda: 2)
    root = make_archive({"people/E1.toml": person(), "people/E2.toml": person("李四"),
                         "sessions/S1.toml": session('{ person = "E1", score = 90 }, { person = "E2", score = 40 }')})
    monkeypatch.setattr(forked, "room_for_a_copy", lambda: False)
    ahead = ledger.Ahead()
    result = check_path(root, AS_OF, meanwhile=ahead.start)
    assert ahead.job is None  # no copy: the sheets are made here
    path = ledger.write_ledger(result, tmp_path / "l.xlsx", ahead)
    ahead.close()
    assert path.read_bytes() == ledger.ledger_bytes(result)


def test_render_without_room_for_workers_renders_here(make_archive, tmp_path, monkeypatch):
    from safetrain.reports import render

    root = make_archive({"people/E1.toml": person(), "people/E2.toml": person("李四")})
    result = check_path(root, AS_OF)
    whole = render.render_documents(result, "person", everything=True, out_dir=tmp_path / "one", workers=1)

    def no_workers(*args, **kwargs):
        raise AssertionError("forked workers started without room for them")

    monkeypatch.setattr(render, "_render_forked", no_workers)
    monkeypatch.setattr(render, "copies_that_fit", lambda most: 1)  # room for one copy: not enough for two
    files = render.render_documents(result, "person", everything=True, out_dir=tmp_path / "two", workers=2)
    assert [f.name for f in files] == [f.name for f in whole] == ["person-E1.docx", "person-E2.docx"]
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in whole]


def test_how_many_copies_fit(tmp_path):
    held = 25600 * memory.os.sysconf("SC_PAGE_SIZE")
    proc, sys_fs = machine(tmp_path, available_mb=3 * held // MB + 1)
    assert memory.copies_that_fit(16, proc, sys_fs) == 3
    assert memory.copies_that_fit(2, proc, sys_fs) == 2
    assert memory.copies_that_fit(16, tmp_path / "none", tmp_path / "none") == 16  # nothing tells: as asked


def test_a_group_named_in_bytes_that_are_not_utf8_is_no_failure(tmp_path):
    proc, sys_fs = machine(tmp_path, available_mb=700)
    (proc / "self" / "cgroup").write_bytes(b"0::/user.slice/caf\xe9\n4:memory:/caf\xe9\n")
    (proc / "meminfo").write_bytes(b"MemAvailable: \xff kB\n")  # and a line that is no number
    assert memory.available(proc, sys_fs) is None
    assert memory.room_for_a_copy(proc, sys_fs)
