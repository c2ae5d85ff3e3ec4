"""Is `safetrain report html` fast enough? Against `check` on the same workspace.

    python benchmarks/report_speed.py [--archives 500] [--people 20] [--sessions 10]
        [--attendance 80] [--repeat 3] [--keep DIR] [--goal 2.0]

Generates a workspace of small archives (generate.py; industries in turn),
then times, alternating and in fresh processes, (a) `python -m safetrain check
WORKSPACE --format json --no-cache` and (b) `python -m safetrain report html
WORKSPACE -o SITE --no-cache` (each run replacing the site of the one before,
as a user rebuilds it; both read every file: with `--cache` both use the parse
cache, warm, where `check` answers from its memo and the report still renders
every page),
and prints the median, min and max of each, the ratio of the medians (b)/(a)
against the goal, the site's size, and the build time of the sample workspace
(sample_archive/, three archives). CPU seconds (user + system, children
included) are printed beside the wall-clock ones: on a busy machine they say
more than the wall clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_tree  # this folder is sys.path[0] when run as a script
from generate import GenerateError, generate

REPO = Path(__file__).resolve().parents[1]
INDUSTRIES = ("manufacturing", "catering", "construction", "coal_mine", "hazardous_chemicals")


def timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    before = os.times()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=REPO)
    wall = time.perf_counter() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, done


#: extra options of both commands: reading every file (--no-cache, the default here), or as a user re-runs
#: them with the parse cache warm (--cache: then `check` answers from its memo of the result)
OPTIONS: list[str] = ["--no-cache"]


def check(workspace: Path, as_of: str):
    wall, cpu, done = timed([sys.executable, "-m", "safetrain", "check", str(workspace), "--as-of", as_of,
                             "--format", "json", *OPTIONS])
    if done.returncode not in (0, 1):
        raise SystemExit(f"check failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return wall, cpu


def report(workspace: Path, site: Path, as_of: str):
    wall, cpu, done = timed([sys.executable, "-m", "safetrain", "report", "html", str(workspace), "-o", str(site),
                             "--as-of", as_of, *OPTIONS])
    if done.returncode != 0:
        raise SystemExit(f"report html failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return wall, cpu


def row(label: str, times: list[float]) -> str:
    return f"  {label:<28}{statistics.median(times):9.2f}{min(times):9.2f}{max(times):9.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archives", type=int, default=500)
    ap.add_argument("--people", type=int, default=20)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--attendance", type=int, default=80)
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--goal", type=float, default=2.0)
    ap.add_argument("--keep", metavar="DIR", help="generate the workspace into DIR (must be new) and keep it")
    ap.add_argument("--cache", action="store_true",
                    help="both commands with the parse cache, warm (default: --no-cache, every file read)")
    args = ap.parse_args(argv)
    print(compile_tree(REPO))
    OPTIONS[:] = [] if args.cache else ["--no-cache"]
    with tempfile.TemporaryDirectory(prefix="safetrain-report-bench-") as tmp:
        workspace = Path(args.keep) if args.keep else Path(tmp) / "workspace"
        t0 = time.perf_counter()
        try:
            for i in range(args.archives):
                generate(workspace / f"client-{i:03d}", args.people, args.sessions, args.attendance, seed=i + 1,
                         industry=INDUSTRIES[i % len(INDUSTRIES)], end=dt.date.fromisoformat(args.as_of))
        except GenerateError as e:
            print(f"report_speed.py: {e}", file=sys.stderr)
            return 2
        print(f"workspace: {args.archives} archives of {args.people} people, {args.sessions} sessions, "
              f"{args.attendance} attendance entries ({time.perf_counter() - t0:.1f} s to generate)")
        site = Path(tmp) / "site"
        check(workspace, args.as_of), report(workspace, site, args.as_of)  # warm-ups: page cache, .pyc files
        checks, reports = [], []
        for _ in range(args.repeat):  # alternate, so drift on a noisy machine hits both alike
            checks.append(check(workspace, args.as_of))
            reports.append(report(workspace, site, args.as_of))
        files = [p for p in site.rglob("*") if p.is_file()]
        print(f"site: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
        print(f"\nseconds over {args.repeat} runs each, alternating   median      min      max")
        print(row("(a) check, wall", [w for w, _ in checks]))
        print(row("(b) report html, wall", [w for w, _ in reports]))
        print(row("(a) check, cpu", [c for _, c in checks]))
        print(row("(b) report html, cpu", [c for _, c in reports]))
        ratio = statistics.median(w for w, _ in reports) / statistics.median(w for w, _ in checks)
        cpu_ratio = statistics.median(c for _, c in reports) / statistics.median(c for _, c in checks)
        verdict = "meets" if ratio <= args.goal else "MISSES"
        print(f"ratio of medians (b)/(a): wall {ratio:.2f} -- {verdict} the goal (<= {args.goal:g}); cpu {cpu_ratio:.2f}")
        sample = [report(REPO / "sample_archive", Path(tmp) / "sample-site", args.as_of)[0] for _ in range(args.repeat)]
        print(f"sample workspace (sample_archive/, 3 archives): median {statistics.median(sample):.2f} s "
              f"(min {min(sample):.2f}, max {max(sample):.2f})")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
