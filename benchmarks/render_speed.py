"""How fast `safetrain render` and `safetrain ledger` are.

    python benchmarks/render_speed.py                    # both parts, default sizes
    python benchmarks/render_speed.py --part render --people 2000 --repeats 3
    python benchmarks/render_speed.py --part ledger      # the 10,000-person, 2,000-session archive

Part 1, person files (一人一档) for a 2,000-person archive: safetrain's
renderer (template compiled once per worker, a process pool over every core,
contexts built once in the parent) against a plain docxtpl loop (a new
DocxTemplate per document, one process) on the same template, the same
contexts and the same sandboxed, autoescaping Jinja environment, in the same
run. The plain loop is timed on a sample of documents (--baseline-docs) and
both are compared as documents per second; both write every document to
disk. Medians of --repeats runs. Goal: at least 3x.

Part 2, the Excel ledger of a synthetic 10,000-person / 2,000-session archive:
wall time of load + check + ledger, and the peak memory of a fresh process
running `safetrain ledger` (ru_maxrss). Goal: under 10 s and under 500 MB.

The archives are written by benchmarks/generate.py into a temporary folder
(or --workdir, reused when present).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bytecode import compile_tree  # this folder is sys.path[0] when run as a script

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
AS_OF = date(2024, 6, 30)


def generator():
    spec = importlib.util.spec_from_file_location("generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def archive(workdir: Path, people: int, sessions: int, attendance: int) -> Path:
    out = workdir / f"synthetic-{people}-{sessions}"
    if not (out / "safetrain.toml").is_file():
        generator().generate(out, people=people, sessions=sessions, attendance=attendance, seed=1)
    return out


# -- part 1 -----------------------------------------------------------------------
def plain_docxtpl(template: Path, contexts: list[dict], out: Path) -> float:
    """Seconds for the plain loop: a new DocxTemplate per document, one process."""
    from docxtpl import DocxTemplate

    from safetrain.reports.wordtpl import jinja_env

    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for i, ctx in enumerate(contexts):
        doc = DocxTemplate(str(template))
        doc.render(ctx, jinja_env=jinja_env(), autoescape=True)
        doc.save(str(out / f"plain-{i}.docx"))
    return time.perf_counter() - start


def bench_render(workdir: Path, people: int, repeats: int, baseline_docs: int) -> None:
    from safetrain.api import check_path
    from safetrain.archive.reading.templates import builtin_template
    from safetrain.reports.render import contexts, cpu_count, render_documents, select_ids
    from safetrain.reports.kinds import DOCUMENT_KINDS

    root = archive(workdir, people, people // 5, people * 6)
    result = check_path(root, AS_OF)
    kind = DOCUMENT_KINDS["person"]
    ids = select_ids(result, kind, [], True)
    sample = [ctx for _, _, ctx in contexts(result, kind, ids[:baseline_docs])]
    template = builtin_template("person.docx")

    ours, plain = [], []
    for i in range(repeats):
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            t = time.perf_counter()
            files = render_documents(result, "person", out_dir=Path(tmp) / "ours", everything=True)
            ours.append(len(files) / (time.perf_counter() - t))
            plain.append(len(sample) / plain_docxtpl(template, sample, Path(tmp) / "plain"))
        print(f"  run {i + 1}: safetrain {ours[-1]:7.1f} docs/s   plain docxtpl {plain[-1]:6.1f} docs/s", flush=True)
    a, b = statistics.median(ours), statistics.median(plain)
    print(f"person files, {len(ids)} people, {cpu_count()} cores, median of {repeats}:")
    print(f"  safetrain render --all : {a:7.1f} documents/s  ({len(ids) / a:5.1f} s for {len(ids)})")
    print(f"  plain docxtpl loop     : {b:7.1f} documents/s  (sample of {len(sample)})")
    print(f"  ratio                  : {a / b:5.1f}x  (goal: >= 3x)")


# -- part 2 -----------------------------------------------------------------------
def bench_ledger(workdir: Path, people: int, sessions: int, attendance: int) -> None:
    root = archive(workdir, people, sessions, attendance)
    out = workdir / "ledger.xlsx"
    code = (
        "import resource, sys, time\n"
        "t = time.perf_counter()\n"
        "from datetime import date\n"
        "from safetrain.api import check_path\n"
        "from safetrain.reports.ledger import write_ledger\n"
        f"r = check_path({str(root)!r}, date.fromisoformat({AS_OF.isoformat()!r}))\n"
        "c = time.perf_counter()\n"
        f"write_ledger(r, {str(out)!r})\n"
        "e = time.perf_counter()\n"
        "kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(f'{c - t:.2f} {e - c:.2f} {e - t:.2f} {kb / 1024:.0f}')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, check=True)
    check_s, ledger_s, total_s, mb = proc.stdout.split()
    print(f"ledger, {people} people, {sessions} sessions, {attendance} attendance entries:")
    print(f"  load + check           : {check_s} s")
    print(f"  ledger (build + write) : {ledger_s} s   ({out.stat().st_size / 1e6:.1f} MB xlsx)")
    print(f"  total                  : {total_s} s   (goal: < 10 s)")
    print(f"  peak memory (maxrss)   : {mb} MB   (goal: < 500 MB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=["render", "ledger", "both"], default="both")
    ap.add_argument("--people", type=int, default=2000, help="people for the render part (2000)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline-docs", type=int, default=150, help="documents the plain loop renders per run (150)")
    ap.add_argument("--workdir", type=Path, default=None, help="where to keep the generated archives")
    args = ap.parse_args(argv)
    print(compile_tree(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if args.part in ("render", "both"):
            bench_render(workdir, args.people, args.repeats, args.baseline_docs)
        if args.part in ("ledger", "both"):
            bench_ledger(workdir, 10000, 2000, 60000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
