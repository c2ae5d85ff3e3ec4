"""A command-line run keeps the archive it checked until its process ends (safetrain/lasting.py):
freeing it value by value costs time the end of the process does not. One at a time; a
library caller keeps nothing."""

from __future__ import annotations

import subprocess
import sys
import weakref

import pytest

from safetrain import lasting
from safetrain.api import check_path

from helpers import AS_OF, person


@pytest.fixture
def two_archives(make_archive, tmp_path):
    one = make_archive({"people/E1.toml": person()}, root=tmp_path / "one")
    two = make_archive({"people/E1.toml": person(name="李四")}, root=tmp_path / "two")
    return one, two


def test_a_library_caller_keeps_nothing(two_archives):
    assert not lasting._until_exit
    result = check_path(two_archives[0], AS_OF)
    assert lasting._kept == []
    held = weakref.ref(result)
    del result
    assert held() is None  # freed as soon as it is no longer used


def test_a_command_line_run_keeps_the_last_archive_only(two_archives, monkeypatch):
    monkeypatch.setattr(lasting, "_until_exit", True)
    monkeypatch.setattr(lasting, "_kept", [])
    first = check_path(two_archives[0], AS_OF)
    held = weakref.ref(first)
    del first
    assert held() is not None  # held till the process ends
    assert lasting._kept[0].archive.people["E1"].name == "张三"
    second = check_path(two_archives[1], AS_OF, cache=True)
    assert held() is None  # let go before the next archive was read: one at a time
    assert lasting._kept == [second]


def test_the_command_line_says_so(make_archive):
    root = make_archive({"people/E1.toml": person()})
    code = ("import sys\nfrom safetrain import lasting\nfrom safetrain.cli import main\n"
            f"sys.argv = ['safetrain', 'check', {str(root)!r}, '--as-of', '2024-06-30', '--exit-zero', '--no-cache']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(lasting._until_exit, [r.archive.people['E1'].name for r in lasting._kept])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True ['张三']"
