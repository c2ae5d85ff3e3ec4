"""How fast the command line starts: `safetrain --help` and `safetrain check --help`.

    python benchmarks/startup.py [--repeat 15]

Prints the median, min and max wall time of each (a new interpreter every run)
against a bare `python -c pass`, and the import time of heavy libraries that
must NOT be imported at start-up (docx, openpyxl, rich, scipy, numpy, docxtpl).
Goal: `safetrain --help` under 0.25 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bytecode import compile_tree  # this folder is sys.path[0] when run as a script

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("docx", "docxtpl", "openpyxl", "rich", "scipy", "numpy", "jinja2", "tomlkit")


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    print(compile_tree(ROOT))
    py = sys.executable
    cases = {
        "python -c pass": [py, "-c", "pass"],
        "safetrain --help": [py, "-m", "safetrain", "--help"],
        "safetrain check --help": [py, "-m", "safetrain", "check", "--help"],
    }
    print(f"seconds over {args.repeat} runs          median      min      max")
    for name, cmd in cases.items():
        runs = [timed(cmd) for _ in range(args.repeat)]
        print(f"  {name:<26} {statistics.median(runs):8.3f} {min(runs):8.3f} {max(runs):8.3f}")
    probe = ("import sys, safetrain.cli; from click.testing import CliRunner; "
             "CliRunner().invoke(safetrain.cli.main, ['--help']); "
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([py, "-c", probe], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    print(f"heavy modules imported by --help: {loaded or 'none'}")


if __name__ == "__main__":
    main()
