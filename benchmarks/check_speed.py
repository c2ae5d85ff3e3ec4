"""How much slower is `safetrain check` than reading the archive's TOML files?

    python benchmarks/check_speed.py [--people 10000 --sessions 2000 --attendance 60000]
        [--repeat 5] [--keep DIR] [--goal 2.0] [--parse-only]

Generates a synthetic archive (generate.py), then times, alternating and in
separate processes, (a) a bare parse: walk the archive and `tomllib.loads`
every .toml file, nothing else; (b) `python -m safetrain check ARCHIVE
--as-of ... --format json`. Prints the median, min and max of each, the ratio
of the medians (b)/(a) against the goal, and the findings by code.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_tree  # this folder is sys.path[0] when run as a script
from generate import GenerateError, add_years, generate

REPO = Path(__file__).resolve().parents[1]

BARE_PARSE = """\
import os, sys, tomllib
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as f:
                tomllib.loads(f.read().decode("utf-8"))
"""


class BenchmarkError(Exception):
    """The benchmark cannot go on; main prints it and exits 2."""


def bare_parse(archive: Path) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BARE_PARSE, str(archive)], capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise BenchmarkError(f"the bare parse failed (exit {done.returncode}):\n{done.stderr.strip()}")
    return elapsed


def safetrain_check(archive: Path, as_of: str, select: str | None = None) -> tuple[float, str]:
    """Run the check the way a user does; the worktree's package wins over an installed one."""
    cmd = [sys.executable, "-m", "safetrain", "check", str(archive), "--as-of", as_of, "--format", "json"]
    cmd += ["--select", select] if select else []
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=REPO)
    elapsed = time.perf_counter() - t0
    missing = "No module named safetrain" in done.stderr  # `python -m` exits 1 for that too
    if done.returncode not in (0, 1) or missing or not done.stdout.strip():
        # 0 clean, 1 findings; 2 is a usage error; anything else a crash
        tail = "\n".join(done.stderr.strip().splitlines()[-15:]) or "(no output at all)"
        hint = ""
        if missing:
            hint = (f"\nThe safetrain package is not importable from {REPO} with {sys.executable}; "
                    "install it (pip install -e .) or time the bare parse alone with --parse-only.")
        raise BenchmarkError(f"`python {' '.join(cmd[1:])}` failed (exit {done.returncode}):\n{tail}{hint}")
    return elapsed, done.stdout


def findings_by_code(stdout: str) -> tuple[collections.Counter, list]:
    """Count codes over safetrain's JSON lines: one object per archive."""
    codes, summaries = collections.Counter(), []
    for n, line in enumerate(stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            report = json.loads(line)
            codes.update(f["code"] for f in report["findings"])
        except (ValueError, KeyError, TypeError) as e:
            raise BenchmarkError(f"safetrain's JSON output, line {n}, is not a report ({e}): {line[:200]}")
        summaries.append(report.get("summary"))
    return codes, summaries


def row(label: str, times: list[float]) -> str:
    return f"  {label:<22}{statistics.median(times):9.3f}{min(times):9.3f}{max(times):9.3f}"


def measure(archive: Path, args) -> None:
    bare_parse(archive)  # warm-ups, untimed: the page cache, .pyc files
    if not args.parse_only:
        findings_by_code(safetrain_check(archive, args.as_of, args.select)[1])  # fail now, not after the timings
    parse_times, check_times, stdout = [], [], ""
    for _ in range(args.repeat):  # alternate, so drift on a noisy machine hits both alike
        parse_times.append(bare_parse(archive))
        if not args.parse_only:
            elapsed, stdout = safetrain_check(archive, args.as_of, args.select)
            check_times.append(elapsed)
    print(f"\nseconds over {args.repeat} runs each, alternating   median      min      max")
    print(row("(a) bare parse", parse_times))
    if args.parse_only:
        print("(b) skipped (--parse-only)")
        return
    print(row("(b) safetrain check", check_times))
    ratio = statistics.median(check_times) / statistics.median(parse_times)
    verdict = "meets" if ratio <= args.goal else "MISSES"
    print(f"ratio of medians (b)/(a): {ratio:.2f} -- {verdict} the goal (<= {args.goal:g})")
    codes, summaries = findings_by_code(stdout)
    listed = ", ".join(f"{code} {n}" for code, n in sorted(codes.items())) or "none"
    print(f"findings by code ({sum(codes.values())}): {listed}")
    for summary in summaries:
        print(f"summary: {json.dumps(summary, ensure_ascii=False)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=10000)
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--attendance", type=int, default=60000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--industry", default="manufacturing")
    ap.add_argument("--as-of", default="2024-06-30", help="the check's evaluation date (the archive ends on it)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--goal", type=float, default=2.0, help="the largest acceptable ratio (b)/(a)")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR (replacing a generated archive there) and keep it")
    ap.add_argument("--parse-only", action="store_true", help="time (a) only, e.g. before safetrain exists")
    ap.add_argument("--select", metavar="CODES", help="pass --select to the check (e.g. A,R: the integrity rules only)")
    args = ap.parse_args(argv)
    print(compile_tree(REPO))
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    end = dt.date.fromisoformat(args.as_of)
    try:
        with tempfile.TemporaryDirectory(prefix="safetrain-bench-") as tmp:
            archive = Path(args.keep or Path(tmp) / "archive")
            t0 = time.perf_counter()
            info = generate(archive, args.people, args.sessions, args.attendance, args.seed,
                            args.industry, start=add_years(end, -1) + dt.timedelta(days=1),
                            end=end, force=bool(args.keep))
            print(f"archive: {archive}{' (kept)' if args.keep else ''}")
            print(f"  {info['files']} files ({info['toml_files']} .toml), {info['people']} people, "
                  f"{info['sessions']} sessions, {info['attendance']} attendance entries; "
                  f"generated in {time.perf_counter() - t0:.2f} s")
            measure(archive, args)
    except (GenerateError, BenchmarkError) as e:
        print(f"check_speed.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
