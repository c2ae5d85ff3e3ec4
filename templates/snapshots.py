"""Page images of each document kind for the README (docs/images/*.png).

    PYTHONPATH=. python templates/snapshots.py

Renders one record of each kind from sample_archive/hongshan-coal as of
2024-06-30, converts it with LibreOffice to PDF and one page of it with
poppler's pdftoppm to a small greyscale PNG. Needs `libreoffice` and
`pdftoppm` on PATH (Debian: libreoffice-writer libreoffice-calc
poppler-utils fonts-noto-cjk). Look at the images before committing them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "sample_archive" / "hongshan-coal"
OUT = ROOT / "docs" / "images"
AS_OF = date(2024, 6, 30)
DPI = 50

#: image name -> (kind, record id, page shown)
SHOTS = {
    "person": ("person", "HS0112", 1),
    "card": ("card", "HS0301", 1),
    "session": ("session", "2023-07-03-prejob-company", 1),
    "signin": ("signin", "2024-04-08-refresher-1", -1),  # the last page: blank rows kept with the signatures
    "register": ("register", None, 2),
    "mentorship": ("mentorship", "HS0301", 1),
    "drill": ("drill", "2023-12-27-assessment", 1),
    "plan": ("plan", "2024", 1),
}


def main() -> int:
    from safetrain.api import check_path
    from safetrain.reports.ledger import write_ledger
    from safetrain.reports.render import render_documents

    for tool in ("libreoffice", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"needs {tool} on PATH", file=sys.stderr)
            return 1
    result = check_path(ARCHIVE, AS_OF)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        jobs = []
        for name, (kind, rid, page) in SHOTS.items():
            [path] = render_documents(result, kind, [rid] if rid else [], work)
            jobs.append((name, path, page))
        ledger = write_ledger(result, work / "ledger.xlsx")
        jobs.append(("ledger", ledger, 1))  # the first page: the title row, the header, wrapped text, page numbers
        subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(work),
                        *[str(p) for _, p, _ in jobs]], check=True, capture_output=True)
        for name, path, page in jobs:
            pdf = path.with_suffix(".pdf")
            if page < 0:
                info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
                page = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
            subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page),
                            "-singlefile", str(pdf), str(OUT / name)], check=True)
            print(f"wrote {OUT / name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
