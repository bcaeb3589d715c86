"""Screenshots of the example's site: the home page, the portfolio table and an item page, 1280 and 390 px wide.

    python benchmarks/site_screenshots.py [--out /tmp/site-shots]

Builds the site of example-portfolio/ into a temporary folder and photographs each page whole in Debian's
chromium (through Playwright), so a change of layout can be looked at before it is merged.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
PAGES = {"home": "index.html", "table": "portfolio.html", "item": "items/real-time-fraud-detection.html"}
WIDTHS = (1280, 390)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/site-shots"))
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        pfm = Path(sys.executable).parent / "pfm"
        subprocess.run([pfm, "-q", "-p", REPO / "example-portfolio", "site", "-o", site], check=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in PAGES.items():
                    page.goto((site / path).as_uri())
                    shot = out / f"{name}-{width}.png"
                    page.screenshot(path=shot, full_page=True)
                    print(shot)
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
