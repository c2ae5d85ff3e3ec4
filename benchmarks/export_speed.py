"""How fast do thousands of archives go into PostgreSQL and Parquet?

    PYTHONPATH=. python benchmarks/export_speed.py [--archives 5000] [--people 50]
        [--repeat 3] [--dsn DSN] [--engines postgres,parquet] [--data DIR]

A regulator's workload: `--archives` generated archives (generate.py) of
`--people` people each (12 sessions, 300 attendance entries, drills, over
the year to 2024-06-30), in nine industries. The workspace is generated once
and kept under benchmarks/_data/ (git-ignored), since writing some 400,000
small files takes minutes; a marker file records what it holds.

The archives are planned and checked once (timed: this part is the same for
both engines and is what `safetrain check` costs), then, `--repeat` times
each, exported by the library the command uses:

- PostgreSQL into a fresh schema (the first night) and again into the same
  schema (every later night: each archive's rows deleted and copied again);
- Parquet into a fresh folder and again into the same folder.

It prints, per engine and pass, the median (min, max) seconds and archives/s
and rows/s of writing, and the end-to-end rate of the command (checking plus
writing). Without --dsn a throw-away PostgreSQL cluster is started with its
default durable settings (fsync on; tests/pgserver.py) and stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # generate.py
sys.path.insert(0, str(HERE.parent / "tests"))  # pgserver.py

from generate import generate  # noqa: E402

AS_OF = date(2024, 6, 30)
INDUSTRIES = ("manufacturing", "catering", "construction", "coal_mine", "hazardous_chemicals", "retail", "hotel",
              "non_coal_mine", "road_transport")
SESSIONS, ATTENDANCE = 12, 300


def workspace(data: Path, archives: int, people: int) -> Path:
    """The generated workspace, made (or finished) when its marker is missing."""
    ws = data / f"export-{archives}x{people}"
    marker = ws / "generated.json"
    wanted = {"archives": archives, "people": people, "sessions": SESSIONS, "attendance": ATTENDANCE,
              "industries": INDUSTRIES}
    if marker.exists() and json.loads(marker.read_text()) == json.loads(json.dumps(wanted)):
        return ws
    print(f"generating {archives} archives of {people} people in {ws} (once; kept for later runs)", flush=True)
    t0 = time.perf_counter()
    for i in range(archives):
        folder = ws / f"a{i:05d}"
        if (folder / "safetrain.toml").exists():
            continue  # an interrupted generation goes on where it stopped
        generate(folder, people=people, sessions=SESSIONS, attendance=ATTENDANCE, seed=i + 1,
                 industry=INDUSTRIES[i % len(INDUSTRIES)], force=True)
        if (i + 1) % 500 == 0:
            print(f"  {i + 1} archives, {time.perf_counter() - t0:.0f} s", flush=True)
    marker.write_text(json.dumps(wanted))
    return ws


def figures(label: str, seconds: list[float], archives: int, rows: int, check: float) -> str:
    med = statistics.median(seconds)
    return (f"{label:<44} {med:7.1f} s (min {min(seconds):.1f}, max {max(seconds):.1f})  "
            f"{archives / med:7.0f} archives/s  {rows / med:9.0f} rows/s   "
            f"end to end {archives / (med + check):5.0f} archives/s, {rows / (med + check):7.0f} rows/s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archives", type=int, default=5000)
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dsn", help="an existing PostgreSQL database (a schema safetrain_bench is created and dropped)")
    ap.add_argument("--engines", default="postgres,parquet")
    ap.add_argument("--data", type=Path, default=HERE / "_data")
    a = ap.parse_args(argv)
    engines = a.engines.split(",")

    from safetrain.export.keyed import checked, plan

    ws = workspace(a.data, a.archives, a.people)
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"Python {sys.version.split()[0]}", flush=True)
    t0 = time.perf_counter()
    planned = plan([ws])
    t1 = time.perf_counter()
    archives = list(checked(planned, AS_OF))
    check = time.perf_counter() - t0
    skipped = [p for p in planned if p.problem]
    print(f"plan {t1 - t0:.1f} s, load + check {check - (t1 - t0):.1f} s: {len(archives)} archives "
          f"({len(archives) / check:.0f} archives/s), {len(skipped)} set aside", flush=True)
    if skipped:
        print("  " + skipped[0].message("en"))

    results = []
    server = None
    try:
        if "postgres" in engines:
            from safetrain.export.postgres import connect, ident, write_postgres

            dsn = a.dsn
            if dsn is None:
                import pgserver

                server = Path(tempfile.mkdtemp(prefix="safetrain-bench-pg-"))
                dsn = pgserver.start(server, durable=True)
                print(f"PostgreSQL: a throw-away cluster, durable settings, at {dsn}", flush=True)
            schema = "safetrain_bench"
            first, again, rows = [], [], 0
            for _ in range(a.repeat):
                with connect(dsn) as conn:
                    conn.execute(f"DROP SCHEMA IF EXISTS {ident(schema)} CASCADE")
                    conn.commit()
                for times in (first, again):
                    t = time.perf_counter()
                    written = write_postgres(dsn, archives, schema=schema)
                    times.append(time.perf_counter() - t)
                    rows = sum(n for name, n in written.counts.items())
                    print(f"  postgres {'first' if times is first else 'again'}: {times[-1]:.1f} s", flush=True)
            with connect(dsn) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]
                conn.execute(f"DROP SCHEMA IF EXISTS {ident(schema)} CASCADE")
                conn.commit()
            results += [figures(f"PostgreSQL {version}, new", first, len(archives), rows, check),
                        figures(f"PostgreSQL {version}, again", again, len(archives), rows, check)]
        if "parquet" in engines:
            import pyarrow

            from safetrain.export.parquet import write_parquet

            first, again, rows = [], [], 0
            for _ in range(a.repeat):
                out = Path(tempfile.mkdtemp(prefix="safetrain-bench-parquet-"))
                try:
                    for times in (first, again):
                        t = time.perf_counter()
                        written = write_parquet(out, archives)
                        times.append(time.perf_counter() - t)
                        rows = sum(n for name, n in written.counts.items() if name != "labels")
                        print(f"  parquet {'first' if times is first else 'again'}: {times[-1]:.1f} s", flush=True)
                    files = sum(1 for _ in out.rglob("*.parquet"))
                finally:
                    shutil.rmtree(out, ignore_errors=True)
            results += [figures(f"Parquet (pyarrow {pyarrow.__version__}), new", first, len(archives), rows, check),
                        figures("Parquet, again", again, len(archives), rows, check)]
            results.append(f"{'':<44} {files} files")
    finally:
        if server is not None:
            import pgserver

            pgserver.stop(server)
            shutil.rmtree(server, ignore_errors=True)
    print(f"\n{len(archives)} archives of {a.people} people, {rows} rows (labels aside); medians of {a.repeat}; "
          f"load + check {check:.1f} s once, counted in 'end to end'")
    for line in results:
        print(line)
    print(f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
