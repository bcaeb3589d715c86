"""Time `pfm select` and `pfm frontier` end to end on generated portfolios sized for selection.

    python benchmarks/selection.py [--runs 3] [--write]

The portfolios come from generate.py with `--teams 8 --fit 0.5` (see fit.py): 1,250 and 6,250 items give
about 1,000 and 5,000 candidates (open projects and initiatives), 3 budget years (capex and opex) and
8 teams x 12 quarters of capacity, with dependencies and mutually exclusive pairs. Every figure is the wall
time of a fresh process from the files (read, validate, score, solve, write JSON); the solver's proven gap
and the greedy baseline's shortfall are read from the JSON it writes.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from run import REPO, Row, measure, portfolio, publish, timed_options, timing_row, tool

START, END = "<!-- selection:start -->", "<!-- selection:end -->"
SIZES = {1_250: "1,000", 6_250: "5,000"}  # items generated -> candidates, roughly
TARGETS = {1_250: 5.0, 6_250: 20.0}  # seconds to within 0.1 % of the optimum
FRONTIER_TARGET = 30.0
FIT = 0.5


def run_json(command: list[str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        subprocess.run([*command, "-f", "json", "-o", str(out)], check=True, stderr=subprocess.DEVNULL)
        payload: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
        return payload


def candidates(pfm: str, root: Path) -> int:
    payload = run_json([pfm, "-p", str(root), "select", "--entry-prices", "0", "--no-mandate-cost", "--gap", "0.01"])
    return len(payload["selected"]) + len(payload["not_selected"])  # type: ignore[arg-type]


def bench_select(pfm: str, items: int, runs: int) -> list[Row]:
    root = portfolio(items, teams=8, fit=FIT)
    count = f"{candidates(pfm, root):,}"
    base = [pfm, "-p", str(root), "select"]
    near = [*base, "--gap", "0.001", "--entry-prices", "0", "--no-mandate-cost"]
    exact = [*base, "--gap", "0", "--entry-prices", "0", "--no-mandate-cost"]
    rows = []
    for label, command, target in (
        ("`pfm select --gap 0.001` (no entry prices or mandate cost)", near, TARGETS[items]),
        ("`pfm select --gap 0`: proven optimal", exact, None),
    ):
        gap = run_json(command)["gap"]
        timing = measure([[*command, "-f", "json", "-o", os.devnull]], REPO, runs)
        rows.append(timing_row(f"{label}; proven gap {float(gap):.3%}", count, "", timing, target))  # type: ignore[arg-type]
    if items == 1_250:
        timing = measure([[*base, "-f", "json", "-o", os.devnull]], REPO, runs)
        rows.append(timing_row("`pfm select` (defaults: 20 entry prices, mandate cost)", count, "", timing, None))
    for objective in ("weighted", "npv"):
        greedy = [*base, "--method", "greedy", "--objective", objective, "--no-mandate-cost", "--gap", "0.0001"]
        below = run_json(greedy)["below_optimum"]
        rows.append(
            Row(f"greedy baseline ({objective}) below the optimum", count, "", "1", f"{float(below):.2%}", "", "–", "–")  # type: ignore[arg-type]
        )
    return rows


def bench_frontier(pfm: str, runs: int) -> Row:
    root = portfolio(1_250, teams=8, fit=FIT)
    command = [pfm, "-p", str(root), "frontier", "--points", "20", "-f", "json", "-o", os.devnull]
    return timing_row("`pfm frontier --points 20`", "1,000", "", measure([command], REPO, runs), FRONTIER_TARGET)


def main() -> None:
    args = timed_options(__doc__, "selection")
    pfm = tool("pfm")
    rows = [row for items in SIZES for row in bench_select(pfm, items, args.runs)]
    rows.append(bench_frontier(pfm, args.runs))
    publish(rows, pfm, args.write, START, END, "Items column: candidates.")


if __name__ == "__main__":
    main()
