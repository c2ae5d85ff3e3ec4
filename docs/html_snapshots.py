"""Screenshots of each page kind of `safetrain report html` for the README (docs/images/html-*.png).

    PYTHONPATH=. python docs/html_snapshots.py

Builds the site of sample_archive/ as of 2024-06-30 into a temporary folder
and photographs one page of each kind in Debian's chromium (headless, through
Playwright's Python package; no browser is downloaded). Needs
`apt-get install -y chromium fonts-noto-cjk` and `pip install -e '.[test]'`.
Look at the images before committing them.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_archive"
OUT = ROOT / "docs" / "images"
AS_OF = date(2024, 6, 30)
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: page kind -> (page of the site, viewport height)
SHOTS = {
    "workspace": ("index.html", 520),
    "archive": ("a/hongshan-coal.html", 1500),
    "person": ("a/hongshan-coal.html#p-HS0112", 1100),
    "rule": ("rules/ningxia-2023/C002.html", 620),
}


def snapshots(out_dir: Path, browser=None) -> list[Path]:
    """Write html-<kind>.png for each page kind into out_dir; return their paths."""
    from safetrain.api import check_paths
    from safetrain.reports.html.site import build_site, render_site
    from safetrain.reports.html.writer import write_site

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = write_site(render_site(build_site(list(check_paths([SAMPLE], AS_OF)), "zh")), Path(tmp) / "site")
        if browser is not None:
            return _shoot(browser, site, out_dir)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            try:
                return _shoot(b, site, out_dir)
            finally:
                b.close()


def _shoot(browser, site: Path, out_dir: Path) -> list[Path]:
    made = []
    for kind, (page, height) in SHOTS.items():
        context = browser.new_context(viewport={"width": 1280, "height": height}, device_scale_factor=1)
        p = context.new_page()
        path, _, fragment = page.partition("#")
        p.goto((site / path).as_uri() + (f"#{fragment}" if fragment else ""))
        target = out_dir / f"html-{kind}.png"
        p.screenshot(path=str(target))
        context.close()
        made.append(target)
    return made


def main() -> int:
    if not Path(CHROMIUM).exists():
        print("needs Debian's chromium: apt-get install -y chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    for path in snapshots(OUT):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
