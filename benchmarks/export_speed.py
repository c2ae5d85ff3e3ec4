"""How fast do thousands of archives go into PostgreSQL and Parquet?

    PYTHONPATH=. python benchmarks/export_speed.py [--archives 5000] [--people 50]
        [--repeat 3] [--dsn DSN] [--engines postgres,parquet] [--data DIR]

A regulator's workload: `--archives` generated archives (generate.py) of
`--people` people each (12 sessions, 300 attendance entries, drills, over
the year to 2024-06-30), in nine industries. The workspace is generated once
and kept under benchmarks/_data/ (git-ignored), since writing some 400,000
small files takes minutes; a marker file records what it holds.

The archives are planned and checked once (timed: this part is the same for
both engines), then, `--repeat` times each, written by the library the
command uses:

- PostgreSQL into a fresh schema (the first night) and again into the same
  schema (every later night: each archive's rows deleted and copied again);
- Parquet into a fresh folder and again into the same folder.

and then as the command runs them: plan, check on every core while writing
(again into the same target). It prints for each the median (min, max)
seconds, archives/s and rows/s. Without --dsn a throw-away PostgreSQL cluster
is started with its default durable settings (fsync on; tests/pgserver.py)
and stopped at the end.
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


def rate(label: str, seconds: list[float], archives: int, rows: int) -> str:
    med = statistics.median(seconds)
    return (f"{label:<56} {med:7.1f} s (min {min(seconds):6.1f}, max {max(seconds):6.1f})  "
            f"{archives / med:6.0f} archives/s  {rows / med:8.0f} rows/s")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Engine:
    """One engine: `clear()` empties the target, `write(archives)` exports into it."""

    def __init__(self, name, label, clear, write):
        self.name, self.label, self.clear, self.write = name, label, clear, write
        self.new, self.again, self.command = [], [], []


def postgres_engine(dsn: str) -> Engine:
    from safetrain.export.postgres import connect, ident, write_postgres

    schema = "safetrain_bench"

    def clear():
        with connect(dsn) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {ident(schema)} CASCADE")

    with connect(dsn) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    return Engine("postgres", f"PostgreSQL {version}", clear, lambda archives: write_postgres(dsn, archives, schema=schema))


def parquet_engine(out: Path) -> Engine:
    import pyarrow

    from safetrain.export.parquet import write_parquet

    def clear():
        shutil.rmtree(out, ignore_errors=True)

    return Engine("parquet", f"Parquet (pyarrow {pyarrow.__version__})", clear, lambda archives: write_parquet(out, archives))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archives", type=int, default=5000)
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dsn", help="an existing PostgreSQL database (a schema safetrain_bench is created and dropped)")
    ap.add_argument("--engines", default="postgres,parquet")
    ap.add_argument("--data", type=Path, default=HERE / "_data")
    a = ap.parse_args(argv)

    from safetrain.cores import cpu_count
    from safetrain.export.keyed import checked, plan

    ws = workspace(a.data, a.archives, a.people)
    print(f"machine: {os.cpu_count()} cores, load average {load()}; Python {sys.version.split()[0]}", flush=True)
    t0 = time.perf_counter()
    planned = plan([ws])
    t1 = time.perf_counter()
    archives = list(checked(planned, AS_OF))  # checked once, for the writing-alone figures
    t2 = time.perf_counter()
    skipped = [p for p in planned if p.problem]
    rows = sum(len(r) for k in archives for r in k.rows.values())
    print(f"plan {t1 - t0:.1f} s; load + check + tabulate on {cpu_count()} processes {t2 - t1:.1f} s "
          f"({len(archives) / (t2 - t1):.0f} archives/s); {len(archives)} archives, {rows} rows, "
          f"{len(skipped)} set aside", flush=True)
    if skipped:
        print("  " + skipped[0].message("en"))

    server, scratch = None, Path(tempfile.mkdtemp(prefix="safetrain-bench-"))
    engines = []
    try:
        if "postgres" in a.engines.split(","):
            dsn = a.dsn
            if dsn is None:
                import pgserver

                server = Path(tempfile.mkdtemp(prefix="safetrain-bench-pg-"))  # its own: the postgres user enters it
                dsn = pgserver.start(server, durable=True)
                print(f"PostgreSQL: a throw-away cluster with default (durable) settings at {dsn}", flush=True)
            engines.append(postgres_engine(dsn))
        if "parquet" in a.engines.split(","):
            engines.append(parquet_engine(scratch / "parquet"))
        for n in range(a.repeat):
            for e in engines:
                e.clear()
                for times, what in ((e.new, "new"), (e.again, "again")):  # the first night, every later night
                    t = time.perf_counter()
                    e.write(archives)
                    times.append(time.perf_counter() - t)
                    print(f"  {n + 1}/{a.repeat} {e.name} {what}: {times[-1]:.1f} s (load {load()})", flush=True)
                t = time.perf_counter()  # the command as run: plan, check on every core, write again
                written = e.write(checked(plan([ws]), AS_OF))
                e.command.append(time.perf_counter() - t)
                assert written.archives == len(archives)
                print(f"  {n + 1}/{a.repeat} {e.name} command: {e.command[-1]:.1f} s (load {load()})", flush=True)
        files = sum(1 for _ in (scratch / "parquet").rglob("*.parquet"))
    finally:
        if server is not None:
            import pgserver

            pgserver.stop(server)
            shutil.rmtree(server, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\n{len(archives)} archives of {a.people} people, {rows} rows (labels aside); medians of {a.repeat}")
    for e in engines:
        print(rate(f"{e.label}: write, new", e.new, len(archives), rows))
        print(rate(f"{e.label}: write, again", e.again, len(archives), rows))
        print(rate(f"{e.label}: command (check + write, again)", e.command, len(archives), rows))
    if files:
        print(f"Parquet files: {files}")
    print(f"load average now {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
