"""Peak memory of a command and every process it forks, counted once (Linux).

    python benchmarks/tree_memory.py -- python -m safetrain ledger -a ARCHIVE -o out.xlsx

A command that forks a copy of itself (the ledger's and the export's record
sheets, a first check's second reader) has two processes whose resident sizes
(RSS, what `maxrss` and `time -v` report) each count the pages they still
share: adding them, or taking the larger, says more memory than the machine
gives them. This samples the proportional set size (PSS: a shared page
counted once, split between its sharers) of the process and its descendants
every few milliseconds and prints the largest sum, beside the command's own
maxrss and the largest maxrss of any process it waited for.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                text = f.read()
        except OSError:
            continue
        # the command's name is in parentheses and may hold spaces: the fields follow its last ')'
        ppid = int(text[text.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    """The PSS of `root` and all its descendants, in kB."""
    tree, todo, total = _children_of(), [root], 0
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo.extend(tree.get(pid, ()))
    return total


def measure(cmd: list[str], env: dict | None = None, every: float = 0.02,
            cwd: str | os.PathLike | None = None, quiet: bool = False) -> tuple[float, float, float, int]:
    """Run `cmd` (with `env` added to this process's environment, in `cwd`, its output thrown
    away when `quiet`); return (peak PSS
    of its process tree in MB, its maxrss in MB, wall seconds, exit status). Run from a small
    process: a child started by posix_spawn has its parent's peak maxrss to begin with."""
    here = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        t = time.perf_counter()
        pid = os.posix_spawnp(cmd[0], cmd, {**os.environ, **(env or {})},
                              file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)] if quiet else ())
    finally:
        os.chdir(here)
    peak = 0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        peak = max(peak, tree_pss_kb(pid))
        time.sleep(every)
    return peak / 1024, usage.ru_maxrss / 1024, time.perf_counter() - t, os.waitstatus_to_exitcode(status)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--every", type=float, default=0.02, help="seconds between samples (default 0.02)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("name a command after --")
    pss, rss, wall, code = measure(cmd, every=a.every)
    print(f"peak PSS of the process tree {pss:.0f} MB; maxrss {rss:.0f} MB (the largest single process, "
          f"shared pages counted whole); {wall:.2f} s; exit {code}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
