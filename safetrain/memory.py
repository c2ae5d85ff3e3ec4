"""How much memory this process holds and how much more the machine gives it, for the
decision to fork a copy (forked.py, the render workers).

A forked copy starts sharing every page with this process, but Python writes a
reference count whenever it reads a value, so while both run, the pages either of
them reads come to be held twice: at 100,000 people a ledger's copy comes to hold
about as much as this process had when it forked. Where the machine (or the
container's memory limit, a cgroup) has less than that to spare, the work is done
in this process instead: slower, never killed for memory.
"""

from __future__ import annotations

import os
from pathlib import Path

#: how much of what this process holds a copy may come to hold: all of it, to be safe
COPY_SHARE = 1.0


def resident(proc: Path = Path("/proc")) -> int | None:
    """This process's resident memory in bytes (None where /proc cannot tell)."""
    try:
        pages = int((proc / "self" / "statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def available(proc: Path = Path("/proc"), sys_fs: Path = Path("/sys/fs/cgroup")) -> int | None:
    """The memory this process may still take, in bytes: the machine's MemAvailable, or less
    where its cgroup (v2 memory.max, v1 memory.limit_in_bytes) sets a lower limit (what the
    group uses, less the file cache it can drop, taken from the limit). None where nothing
    tells (not Linux)."""
    found = []
    try:
        for line in (proc / "meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    for folder, limit_file, used_file, cache_key in _cgroup_folders(proc, sys_fs):
        room = _cgroup_room(folder, limit_file, used_file, cache_key)
        if room is not None:
            found.append(room)
    return min(found) if found else None


def room_for_a_copy(proc: Path = Path("/proc"), sys_fs: Path = Path("/sys/fs/cgroup")) -> bool:
    """Whether a forked copy of this process fits in the memory left (see the module's doc)."""
    return copies_that_fit(1, proc, sys_fs) >= 1


def copies_that_fit(most: int, proc: Path = Path("/proc"), sys_fs: Path = Path("/sys/fs/cgroup")) -> int:
    """How many forked copies of this process, up to `most`, the memory left holds (`most`
    where nothing tells: not Linux, or files that cannot be read as expected)."""
    try:
        held, free = resident(proc), available(proc, sys_fs)
    except (OSError, ValueError):  # never a reason for a command to fail
        return most
    if held is None or free is None or held <= 0:
        return most
    return max(0, min(most, int(free // (held * COPY_SHARE))))


def _cgroup_folders(proc: Path, sys_fs: Path):
    """(folder, limit file, usage file, the file cache's key in memory.stat) of this process's
    memory cgroup and every group above it (a limit may be set on any of them), for cgroup v2
    and v1; the mount's own root too (a container sees its group there)."""
    try:  # a group's name is bytes to the kernel: read as the file system's names are
        lines = os.fsdecode((proc / "self" / "cgroup").read_bytes()).splitlines()
    except OSError:
        return
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "":  # v2: one unified hierarchy
            base, files = sys_fs, ("memory.max", "memory.current", "inactive_file")
        elif "memory" in controllers.split(","):
            base, files = sys_fs / "memory", ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
        else:
            continue
        here = base / path.strip("/")
        while True:  # the group, then each one above it up to the mount's root
            yield (here, *files)
            if here == base or base not in here.parents:
                break
            here = here.parent


def _cgroup_room(folder: Path, limit_file: str, used_file: str, cache_key: str) -> int | None:
    try:
        limit_text = (folder / limit_file).read_text().strip()
        if limit_text == "max":
            return None
        limit = int(limit_text)
        if limit >= 1 << 60:  # v1's "no limit" (a huge number)
            return None
        used = int((folder / used_file).read_text().strip())
    except (OSError, ValueError):
        return None
    cache = 0
    try:
        for line in (folder / "memory.stat").read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == cache_key:
                cache = int(value)
                break
    except (OSError, ValueError):
        pass
    return max(0, limit - max(0, used - cache))
