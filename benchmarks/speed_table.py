"""Every figure of the speed goals ("Faster than reading it"), in one run.

    python benchmarks/speed_table.py                       # every row (about 20 minutes on 2 cores)
    python benchmarks/speed_table.py --rows cold,warm,edit --repeat 7
    python benchmarks/speed_table.py --tree /tmp/main      # the same figures for another checkout

Archives are generated once into --workdir (default: a folder under the
system's temporary folder, reused by later runs): 10,000 people / 2,000
sessions / 60,000 attendance entries, 100,000 / 20,000 / 600,000, and a
workspace of 500 archives of 50 people. Every timed command runs in a fresh
process (`python -m safetrain ...` in --tree, so another checkout can be
timed with the same archives), alternating with what it is compared with, so
drift on a busy machine hits both alike. Each row prints the median, min and
max wall seconds, the median CPU seconds (user + system of the process), the
ratio of the medians and the goal; peak memory (maxrss) where the goal names
it, and for the ledger and export also the peak PSS of the process with its
forked copies (tree_memory.py: a shared page counted once); and the load
average before and after.

Rows (the ratio's denominator is a bare tomllib parse of the same files,
timed in the same run, unless said otherwise):

  cold       check, 10k/2k, no cache yet (an empty cache folder each run)     goal <= 1.0
  warm       check, 10k/2k, again with nothing changed                        goal <= 0.3
  edit       check, 10k/2k, again after one file was edited                   goal <= 0.6
  large      check, 100k/20k cold: its ratio over the cold 10k ratio          goal <= 1.15
  workspace  check, 500 x 50 people, cold: -j 1, and as run (every core)  goal <= 1.0, memory flat
  pair       pair_speed.py: 10,000 apprentices x 5,000 mentors, exact         goal <= 3 s
  ledger     ledger, 100k/20k, over check of the same archive (both cold)     goal <= 1.2, < 500 MB
  export     export sqlite, 100k/20k, over check (both cold)                  goal <= 1.0
             (ledger and export: both --no-cache, then both with the cache in an empty folder)
  render     render person --all of 2,000 people: documents per second        goal >= 2x before
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_tree  # this folder is sys.path[0] when run as a script
from generate import GenerateError, generate
from tree_memory import measure as tree_memory

HERE = Path(__file__).resolve().parent
AS_OF = "2024-06-30"
END = dt.date(2024, 6, 30)
START = dt.date(2023, 7, 1)
INDUSTRIES = ("manufacturing", "catering", "construction", "coal_mine", "hazardous_chemicals")

BARE_PARSE = """\
import os, sys, tomllib
for path in sys.argv[1:]:
    for folder, _, names in os.walk(path):
        for name in names:
            if name.endswith(".toml"):
                with open(os.path.join(folder, name), "rb") as f:
                    tomllib.loads(f.read().decode("utf-8"))
"""


class Run:
    """One process: wall and CPU seconds, peak memory (MB), exit status, output."""

    def __init__(self, wall: float, cpu: float, mb: float, code: int, out: str):
        self.wall, self.cpu, self.mb, self.code, self.out = wall, cpu, mb, code, out


def run(cmd: list[str], cwd: Path, env: dict | None = None, ok=(0,)) -> Run:
    """Run `cmd` in `cwd` by posix_spawn. Its peak memory (maxrss) begins at this process's
    own peak, which exec records for the child: this process is kept small (archives are
    generated in a forked child, `_in_child`)."""
    cmd = [str(c) for c in cmd]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        here = os.getcwd()
        os.chdir(cwd)
        try:
            t = time.perf_counter()
            pid = os.posix_spawn(cmd[0], cmd, {**os.environ, **(env or {})},
                                 file_actions=[(os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                                               (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
            _, status, usage = os.wait4(pid, 0)
            wall = time.perf_counter() - t
        finally:
            os.chdir(here)
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if code not in ok:
        raise SystemExit(f"`{' '.join(cmd)}` failed (exit {code}):\n{problem[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code, text)


def _in_child(fn, *args, **kw) -> None:
    """`fn(*args, **kw)` in a forked child, so that this process stays small. On Linux a
    spawned child's peak memory (maxrss) starts at its parent's: posix_spawn shares the
    parent's memory until exec, and exec records that memory's peak as the child's. Generating
    the 100k archive here made every later row's peak read ~320 MB (the workspace's 40 MB
    among them)."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            fn(*args, **kw)
        except GenerateError as e:
            print(f"speed_table.py: {e}", file=sys.stderr)
            code = 2
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"speed_table.py: generating archives failed (exit {os.waitstatus_to_exitcode(status)})")


class Table:
    def __init__(self, tree: Path, workdir: Path, repeat: int):
        self.tree, self.workdir, self.repeat = tree, workdir, repeat
        self.py = sys.executable
        print(compile_tree(tree))
        help_text = run([self.py, "-m", "safetrain", "check", "--help"], tree).out
        self.has_cache = "--no-cache" in help_text
        self.ratios: dict[str, float] = {}

    # archives --------------------------------------------------------------------------------
    def archive(self, people: int, sessions: int, attendance: int) -> Path:
        out = self.workdir / f"archive-{people}-{sessions}-{attendance}"
        if not (out / "safetrain.toml").is_file():
            print(f"  generating {out.name} ...", flush=True)
            _in_child(generate, out, people, sessions, attendance, seed=1, start=START, end=END, force=out.exists())
        return out

    def workspace(self, archives: int = 500, people: int = 50) -> Path:
        out = self.workdir / f"workspace-{archives}x{people}"
        if not (out / "done").is_file():
            print(f"  generating {out.name} ...", flush=True)
            shutil.rmtree(out, ignore_errors=True)
            def every():
                for i in range(archives):
                    generate(out / f"client-{i:03d}", people, people // 5, people * 3, seed=i + 1,
                             industry=INDUSTRIES[i % len(INDUSTRIES)], start=START, end=END)
            _in_child(every)
            (out / "done").write_text("")
        return out

    # commands ----------------------------------------------------------------------------------
    def bare(self, *paths: Path) -> Run:
        return run([self.py, "-c", BARE_PARSE, *map(str, paths)], self.tree)

    def command(self, *args, cache: Path | None = None, cold: bool = False) -> tuple[list[str], dict]:
        """`python -m safetrain ARGS` and its environment: the cache in `cache` (emptied first
        when cold), or none at all (--no-cache) when cache is None and the tree knows the option."""
        cmd = [self.py, "-m", "safetrain", *map(str, args)]
        env = {}
        if cache is not None:
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            env["SAFETRAIN_CACHE_DIR"] = str(cache)
        elif self.has_cache:
            cmd.append("--no-cache")
        return cmd, env

    def safetrain(self, *args, cache: Path | None = None, cold: bool = False, ok=(0, 1)) -> Run:
        """`python -m safetrain ARGS` in the tree, timed (see `command`)."""
        cmd, env = self.command(*args, cache=cache, cold=cold)
        return run(cmd, self.tree, env, ok)

    def check(self, target: Path, **kw) -> Run:
        return self.safetrain("check", target, "--as-of", AS_OF, "--format", "json", **kw)

    # timing ---------------------------------------------------------------------------------
    def alternate(self, a, b, before_b=None, repeat: int | None = None) -> tuple[list[Run], list[Run]]:
        a(), (before_b and before_b()), b()  # warm-ups: the page cache
        xs, ys = [], []
        for _ in range(repeat or self.repeat):
            xs.append(a())
            if before_b:
                before_b()
            ys.append(b())
        return xs, ys

    def row(self, name: str, label: str, xs: list[Run], ys: list[Run], goal: str, good) -> float:
        med = lambda runs, f: statistics.median(f(r) for r in runs)  # noqa: E731
        ratio = med(ys, lambda r: r.wall) / med(xs, lambda r: r.wall)
        cpu = med(ys, lambda r: r.cpu) / med(xs, lambda r: r.cpu)
        self.ratios[name] = ratio
        print(f"  {label:<34}" + _stats(ys) + f"   vs {_stats(xs)}")
        print(f"  {'':<34}ratio {ratio:5.2f} (cpu {cpu:4.2f}) goal {goal}: {'meets' if good(ratio) else 'MISSES'}")
        return ratio


def _stats(runs: list[Run]) -> str:
    walls = [r.wall for r in runs]
    return (f"{statistics.median(walls):7.2f} s (min {min(walls):.2f}, max {max(walls):.2f}; "
            f"cpu {statistics.median(r.cpu for r in runs):.2f})")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", default="cold,warm,edit,large,workspace,pair,ledger,export,render")
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (the large archive: at most --large-repeat)")
    ap.add_argument("--large-repeat", type=int, default=3,
                    help="at most this many runs per figure of the 100k archive and the workspace (default 3)")
    ap.add_argument("--tree", type=Path, default=HERE.parent, help="the checkout whose safetrain is timed")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "safetrain-speed-table")
    args = ap.parse_args(argv)
    rows = args.rows.split(",")
    args.workdir.mkdir(parents=True, exist_ok=True)
    t = Table(args.tree.resolve(), args.workdir, args.repeat)
    cache = args.workdir / "cache"
    print(f"tree {t.tree} ({'with' if t.has_cache else 'without'} a cache); {os.cpu_count()} cores; "
          f"load average {_load()}")
    try:
        small = t.archive(10000, 2000, 60000) if set(rows) & {"cold", "warm", "edit", "large"} else None
        if {"cold", "large"} & set(rows):
            xs, ys = t.alternate(lambda: t.bare(small), lambda: t.check(small, cache=cache, cold=True))
            t.row("cold", "check 10k/2k, cold", xs, ys, "<= 1.0", lambda r: r <= 1.0)
        if "warm" in rows:
            t.check(small, cache=cache)
            xs, ys = t.alternate(lambda: t.bare(small), lambda: t.check(small, cache=cache))
            t.row("warm", "check 10k/2k, nothing changed", xs, ys, "<= 0.3", lambda r: r <= 0.3)
        if "edit" in rows:
            person = small / "people" / "E00001.toml"
            original = person.read_text("utf-8")

            def edit():  # never the same text twice, in this run or an earlier one: the cache keeps the
                # results of the last few contents of an archive, and a text edited back is one of them
                person.write_text(original + f"x_benchmark = {time.time_ns()}\n", "utf-8")

            try:
                xs, ys = t.alternate(lambda: t.bare(small), lambda: t.check(small, cache=cache), before_b=edit)
            finally:
                person.write_text(original, "utf-8")
            t.row("edit", "check 10k/2k, one file edited", xs, ys, "<= 0.6", lambda r: r <= 0.6)
        if "large" in rows or "ledger" in rows or "export" in rows:
            large = t.archive(100000, 20000, 600000)
        if "large" in rows:
            xs, ys = t.alternate(lambda: t.bare(large), lambda: t.check(large, cache=cache, cold=True),
                                 repeat=min(args.large_repeat, args.repeat))
            ratio = t.row("large", "check 100k/20k, cold", xs, ys, "(see below)", lambda r: True)
            linear = ratio / t.ratios["cold"]
            print(f"  {'':<34}100k ratio / 10k ratio {linear:.2f}, goal <= 1.15: "
                  f"{'meets' if linear <= 1.15 else 'MISSES'}; peak memory {statistics.median(y.mb for y in ys):.0f} MB")
        if "workspace" in rows:
            ws = t.workspace()
            one = ("-j", "1") if t.has_cache else ()  # a tree with the runner: one process, said explicitly
            xs, ys = t.alternate(lambda: t.bare(ws), lambda: t.safetrain(
                "check", ws, "--as-of", AS_OF, "--format", "json", *one, cache=cache, cold=True),
                repeat=min(args.large_repeat, args.repeat))
            t.row("workspace", "check 500 x 50 people, cold, -j 1", xs, ys, "<= 1.0", lambda r: r <= 1.0)
            if t.has_cache:  # as a user runs it: every core for a workspace this size (runner.jobs_for)
                xs2, ys2 = t.alternate(lambda: t.bare(ws), lambda: t.safetrain(
                    "check", ws, "--as-of", AS_OF, "--format", "json", cache=cache, cold=True),
                    repeat=min(args.large_repeat, args.repeat))
                t.row("workspace-j", f"check 500 x 50 people, cold, as run ({os.cpu_count()} cores)", xs2, ys2,
                      "<= 1.0", lambda r: r <= 1.0)
            first = sorted(p for p in ws.iterdir() if p.is_dir())[:100]
            hundred = t.safetrain("check", *first, "--as-of", AS_OF, "--format", "json", *one, cache=cache, cold=True)
            five = statistics.median(y.mb for y in ys)
            print(f"  {'':<34}peak memory (-j 1): 100 archives {hundred.mb:.0f} MB, 500 archives {five:.0f} MB "
                  f"(x{five / hundred.mb:.2f}; flat: <= 1.1 {'meets' if five / hundred.mb <= 1.1 else 'MISSES'})")
        if "pair" in rows:
            done = run([t.py, str(HERE / "pair_speed.py"), "--runs", str(min(5, args.repeat)), "--mentors", "5000",
                        "--apprentices", "10000", "--goal", "3"], t.tree, {"PYTHONPATH": str(t.tree)})
            print("  pair, 10,000 apprentices x 5,000 mentors (pair_speed.py):")
            for line in done.out.splitlines():
                print(f"    {line}")
        for name, command in (("ledger", "ledger"), ("export", "export")):
            if name not in rows:
                continue
            out = args.workdir / ("ledger.xlsx" if name == "ledger" else "export.db")
            args_of = (["ledger", "-a", large, "-o", out] if name == "ledger" else ["export", "sqlite", out, large])

            # both without a cache (--no-cache); then, where the tree has one, both as a first
            # run makes them: the cache in an empty folder each time (what `cold` times)
            for how, kw in (("", {}), (", empty cache", {"cache": cache, "cold": True})):
                if kw and not t.has_cache:
                    continue

                def made(args_of=args_of, out=out, kw=kw):
                    if out.exists():
                        out.unlink()
                    return t.safetrain(*args_of, "--as-of", AS_OF, ok=(0,), **kw)

                xs, ys = t.alternate(lambda kw=kw: t.check(large, **kw), made, repeat=min(args.large_repeat, args.repeat))
                goal = "<= 1.2" if name == "ledger" else "<= 1.0"
                t.row(name + how.replace(", empty cache", "-cached"), f"{command} 100k/20k over check{how}", xs, ys,
                      goal, (lambda r: r <= 1.2) if name == "ledger" else (lambda r: r <= 1.0))
                print(f"  {'':<34}peak memory {statistics.median(y.mb for y in ys):.0f} MB"
                      + (" (goal < 500 MB)" if name == "ledger" else "")
                      + " (maxrss: the largest single process, pages shared with a forked copy counted whole)")
                if os.path.exists("/proc/self/smaps_rollup"):  # one more run, sampled: what the machine gives it
                    if out.exists():
                        out.unlink()
                    pss = tree_memory(*t.command(*args_of, "--as-of", AS_OF, **kw), cwd=t.tree, quiet=True)[0]
                    print(f"  {'':<34}peak memory of the process and its forked copies, shared pages "
                          f"counted once (PSS): {pss:.0f} MB")
        if "render" in rows:
            people = t.archive(2000, 400, 12000)
            out = args.workdir / "printed"

            def render():
                shutil.rmtree(out, ignore_errors=True)
                return t.safetrain("render", "person", "--all", "-a", people, "-o", out, "--as-of", AS_OF, ok=(0,))

            runs = [render() for _ in range(args.repeat + 1)][1:]
            docs = len(list(out.glob("*.docx")))
            rate = docs / statistics.median(r.wall for r in runs)
            print(f"  render person --all, {docs} documents: {_stats(runs)}  -> {rate:.0f} documents/s "
                  "(goal: twice the figure before)")
    except GenerateError as e:
        print(f"speed_table.py: {e}", file=sys.stderr)
        return 2
    print(f"load average after: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
