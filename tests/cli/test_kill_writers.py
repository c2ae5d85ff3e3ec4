"""kill -9 at random points during attend, import and fmt: every record file parses and
holds either what it held before or what the finished command writes; never half of it."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers import config, person, session

PROJECT = str(Path(__file__).resolve().parents[2])
KILLS = 3  # per command; the points are spread over the command's run


def records(root: Path) -> dict[str, bytes]:
    """relpath -> bytes of every file of the archive but the lock and temporary files."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def start(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PROJECT, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "safetrain", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def old_or_new(before: dict[str, bytes], after: dict[str, bytes], got: dict[str, bytes]) -> None:
    for rel, data in got.items():
        assert data in (before.get(rel), after.get(rel)), f"{rel} is neither the old nor the new file"
        if rel.endswith(".toml"):
            tomllib.loads(data.decode("utf-8"))
    for rel in before:
        assert rel in got, f"{rel} was lost"


def killed_runs(pristine: Path, tmp_path: Path, args, seed: int) -> None:
    """Run `args` (a function of the archive's path) once to the end, then KILLS times killed."""
    before = records(pristine)
    done = tmp_path / "done"
    shutil.copytree(pristine, done)
    started = time.monotonic()
    assert start(args(done)).wait(timeout=300) == 0
    duration = time.monotonic() - started
    after = records(done)
    assert after != before
    rng = random.Random(seed)
    for n in range(KILLS):
        work = tmp_path / f"kill{n}"
        shutil.copytree(pristine, work)
        proc = start(args(work))
        time.sleep(duration * rng.uniform(0.4 + 0.2 * n, 0.6 + 0.2 * n))  # mostly during the writes
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        old_or_new(before, after, records(work))
        check = subprocess.run([sys.executable, "-m", "safetrain", "check", str(work), "--as-of", "2024-06-30"],
                               env={**os.environ, "PYTHONPATH": PROJECT}, capture_output=True, text=True, timeout=120)
        assert check.returncode in (0, 1) and "内部错误" not in check.stderr, check.stderr


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_during_import_roster(make_archive, tmp_path):
    root = make_archive({"people/E1.toml": person()})
    book = Workbook()
    ws = book.active
    ws.append(["工号", "姓名", "部门", "岗位", "用工形式", "入职日期"])
    for n in range(400):
        ws.append([f"R{n:03d}", f"员工{n}", "后厨", "厨师", "正式工", "2023-07-01"])
    book.save(tmp_path / "roster.xlsx")
    killed_runs(root, tmp_path, lambda a: ["import", "roster", str(tmp_path / "roster.xlsx"), "-a", str(a)], 1)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_during_attend(make_archive, tmp_path):
    people = {f"people/P{n:03d}.toml": person(f"人{n}") for n in range(300)}
    root = make_archive({**people, "sessions/S1.toml": session('{ person = "P000", score = 90 }')})
    ids = [f"P{n:03d}" for n in range(1, 300)]
    killed_runs(root, tmp_path, lambda a: ["attend", "S1", *ids, "--score", "80", "-a", str(a)], 2)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_during_fmt(make_archive, tmp_path):
    messy = {f"people/P{n:03d}.toml": person(f"人{n}").replace(" = ", "=") for n in range(300)}
    root = make_archive({**messy, "safetrain.toml": config()})
    killed_runs(root, tmp_path, lambda a: ["fmt", str(a)], 3)
