"""Where `safetrain ledger` spends time and memory sheet by sheet, made in one process
after the check (no forked copy): each sheet built from the checked result (the rules'
own Context), written to a scratch file, then dropped before the next. A streamed sheet
(the hours sheet) is made as it is written: its build time is within its write time.

    python benchmarks/ledger_sheets.py ARCHIVE [--as-of 2024-06-30]

Prints the check's time and memory, then per sheet its rows, the time to build them
(and how much the process grew), the time to write them; then the totals and the
peak (maxrss). The figures the ledger's serial alternative would have (#13's ledger
row: its forked copy doubles the pages both processes touch)."""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from datetime import date


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0  # pragma: no cover - not Linux


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    from safetrain.api import check_path
    from safetrain.errors import SafetrainError
    from safetrain.reports import ledger
    from safetrain.reports.facts import Facts
    from safetrain.reports.ledger_data import SHEETS

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive")
    ap.add_argument("--as-of", default="2024-06-30", type=date.fromisoformat)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    try:
        result = check_path(args.archive, args.as_of)
    except SafetrainError as e:  # no archive there, a newer format: said as the tool says it
        print(f"ledger_sheets.py: {e.zh} / {e.en}", file=sys.stderr)
        return 2
    print(f"check (one process, no cache) {time.perf_counter() - t:.2f} s; "
          f"{rss_mb():.0f} MB, peak {peak_mb():.0f} MB")
    gc.disable()  # as the ledger writes: rows of plain values
    facts, heading = Facts(result), ledger._heading(result)
    built = written = 0.0
    with tempfile.TemporaryFile() as out:
        for make in SHEETS:
            before, t = rss_mb(), time.perf_counter()
            sheet = make(facts)
            b = time.perf_counter() - t
            grown, t = rss_mb() - before, time.perf_counter()
            [part] = ledger.make_parts([sheet], heading, out)
            w = time.perf_counter() - t
            built, written = built + b, written + w
            grown = max(grown, rss_mb() - before)
            how = "streamed: made as written" if isinstance(sheet, ledger.Streamed) else f"build {b:5.2f} s"
            print(f"  {sheet.title}: {part.shape.rows:>7} rows, {how} (+{grown:.0f} MB), write {w:5.2f} s")
            del sheet
    print(f"all sheets: build {built:.2f} s, write {written:.2f} s; peak {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
