"""Reading a large roster: python-calamine (what `import roster` uses) against openpyxl's
read-only mode (what it used before), on the same .xlsx; and the whole import (checks and
file writes, --dry-run) on it. Prints medians and the ratio.

    PYTHONPATH=. python benchmarks/import_speed.py [ROWS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def roster(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("花名册")
    ws.append(["某某公司员工花名册"])
    ws.append(["序号", "工号", "姓名", "身份证号", "部门", "岗位", "用工形式", "入职日期", "备注"])
    for i in range(rows):
        ws.append([i + 1, f"E{i:05d}", f"员工{i}", None, f"车间{i % 20}", "操作工", "正式工", date(2020, 1, 1 + i % 28),
                   "备注" if i % 3 else None])
    ws.append(["制表人：某某"])
    book.save(path)


def openpyxl_grid(path: Path) -> list:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    from safetrain.archive.importing.roster import KNOWN_EXTRA, ROSTER_HEADERS, import_roster
    from safetrain.archive.importing.sheets import read_sheet
    from safetrain.archive.writing.edit import editing
    from safetrain.archive.writing.skeleton import init_archive

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        roster(path, rows)
        fast = median(lambda: read_sheet(path, ROSTER_HEADERS, ("id", "name"), known=KNOWN_EXTRA))
        slow = median(lambda: openpyxl_grid(path))
        root = init_archive(Path(tmp) / "a", {"name": "某公司", "credit_code": "91350100M000100Y43",
                                               "industry": "manufacturing", "crowded_place": False,
                                               "uses_gas": False, "region": "银川市"}).root

        def dry_run():
            with editing(root, dry_run=True) as ed:
                import_roster(ed, path)

        whole = median(dry_run, runs=3)
    print(f"{rows} rows: read with calamine {fast * 1000:.0f} ms, openpyxl read-only {slow * 1000:.0f} ms "
          f"(median of 5; {slow / fast:.1f}x faster); whole import --dry-run {whole:.2f} s (median of 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
