"""Time `pfm site` end to end, and weigh its pages, on the example and a generated 1,000-item portfolio.

    python benchmarks/site.py [--runs 3] [--write]

The generated portfolio comes from generate.py with `--teams 8 --fit 0.5`, as for the board pack. Each time is
the wall time of a fresh process from the files: read, validate, the pack's analyses (score, select with entry
prices, frontier, roadmap, scenarios), its charts, then every page written. Sizes are of the files as written.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from run import REPO, Row, measure, portfolio, publish, timed_options, timing_row, tool

START, END = "<!-- site:start -->", "<!-- site:end -->"
TIME_TARGET = 20.0  # seconds, wall, for 1,000 items
HOME_TARGET = 300  # kB


def weigh(pfm: str, root: Path, items: str) -> list[Row]:
    """The sizes of the home page, the portfolio table, the largest item page and the whole site."""
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        subprocess.run([pfm, "-q", "-p", str(root), "site", "-o", str(site)], check=True)
        files = [path for path in site.rglob("*") if path.is_file()]
        largest = max((site / "items").iterdir(), key=lambda path: path.stat().st_size)
        sizes = [
            ("home page (`index.html`)", (site / "index.html").stat().st_size, HOME_TARGET),
            ("portfolio table (`portfolio.html`)", (site / "portfolio.html").stat().st_size, None),
            ("largest item page", largest.stat().st_size, None),
            ("whole site", sum(path.stat().st_size for path in files), None),
        ]
        return [
            Row(
                f"size: {name}",
                items,
                f"{len(files):,}" if name == "whole site" else "",
                "",
                f"{size / 1000:,.0f} kB",
                "",
                f"< {target} kB" if target else "–",
                ("yes" if size / 1000 < target else "**no**") if target else "–",
            )
            for name, size, target in sizes
        ]


def main() -> None:
    args = timed_options(__doc__, "site")
    pfm = tool("pfm")
    rows = []
    for label, root, target in (
        ("example", REPO / "example-portfolio", None),
        ("1,000", portfolio(1_000, teams=8, fit=0.5), TIME_TARGET),
    ):
        with tempfile.TemporaryDirectory() as folder:
            command = [pfm, "-q", "-p", str(root), "site", "-o", str(Path(folder) / "site")]
            rows.append(timing_row("`pfm site`: every page", label, "", measure([command], REPO, args.runs), target))
        rows += weigh(pfm, root, label)
    publish(rows, pfm, args.write, START, END)


if __name__ == "__main__":
    main()
