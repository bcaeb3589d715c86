"""Time `pfm report` (the board pack) end to end on generated portfolios.

    python benchmarks/report.py [--runs 3] [--write]

The portfolios come from generate.py with `--teams 8 --fit 0.5` (see fit.py): budgets and team capacity sized
so that about half the open work fits, the example's scenarios and decision log, generated risks. Each figure
is the wall time of a fresh process from the files: read, validate, score, select (with entry prices and the
mandates' cost), frontier, roadmap, scenario comparison, six charts, then Markdown, HTML and the PDF.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader
from run import REPO, Row, measure, portfolio, publish, timed_options, timing_row, tool

START, END = "<!-- report:start -->", "<!-- report:end -->"
SIZES = (200, 1_000)
TARGETS = {(200, "all"): 15.0, (200, "md"): 3.0}  # seconds, wall


def pages(pfm: str, root: Path) -> int:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [pfm, "-q", "-p", str(root), "report", "-f", "pdf", "-o", folder], check=True, stdout=subprocess.DEVNULL
        )
        return len(PdfReader(Path(folder) / "board-pack.pdf").pages)


def bench(pfm: str, items: int, runs: int) -> list[Row]:
    root = portfolio(items, teams=8, fit=0.5)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for formats, label in ((["md", "html", "pdf"], "all"), (["md"], "md")):
            command = [pfm, "-q", "-p", str(root), "report", "-o", folder]
            command += [option for f in formats for option in ("-f", f)]
            described = (
                f"`pfm report`: Markdown, HTML and a {pages(pfm, root)}-page PDF"
                if label == "all"
                else "`pfm report -f md`: Markdown and its chart files"
            )
            rows.append(
                timing_row(described, f"{items:,}", "", measure([command], REPO, runs), TARGETS.get((items, label)))
            )
    return rows


def main() -> None:
    args = timed_options(__doc__, "board-pack")
    pfm = tool("pfm")
    rows = [row for items in SIZES for row in bench(pfm, items, args.runs)]
    publish(rows, pfm, args.write, START, END)


if __name__ == "__main__":
    main()
