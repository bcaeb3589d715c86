"""Entry prices with and without a repaired start, and the default `pfm select` of two installs side by side.

    python benchmarks/entry_prices.py --before /path/to/older/.venv/bin/pfm [--runs 3] [--items 1000]

On `generate.py --items N --teams 8 --fit 0.5`: first, in this process, the main selection is solved, and
each of the 20 most valuable items left out is forced in and solved for 0.1, 0.2 and 0.4 s and to proof,
once from scratch and once started from `pfm.selection.repair`'s selection; each row gives the width of
the price interval [max(V - b, 0), B - v] reached (see docs/methods.md) and the time to proof. Then the
default `pfm select` of each install is timed as a fresh process, in alternating runs, with what its JSON
says of the prices (how many proven, the widest interval) and of the mandates' cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from run import portfolio, tool
from select_parts import select_once

SLICES = (0.1, 0.2, 0.4)
PROOF = 30.0


def widths(root: Path) -> list[str]:
    """Markdown rows: per priced item, the interval's width after each slice and the seconds to proof."""
    from pfm.analysis.scoring import score
    from pfm.selection.program import build_program
    from pfm.selection.repair import repair
    from pfm.validation.load import load_portfolio

    portfolio_ = load_portfolio(root)
    scores = score(portfolio_, "weighted")
    program = build_program(portfolio_, scores.values(), objective="weighted", unscored=scores.unscored())
    main = program.binary.solve(time_limit=PROOF)
    assert main.bound is not None
    left = sorted((n for n, on in enumerate(main.x) if not on and program.upper[n]), key=lambda n: -program.values[n])
    rows = []
    for n in left[:20]:
        lower = list(program.lower)
        lower[n] = 1.0
        began = time.perf_counter()
        start = repair(program.binary.columns, main.x, lower, program.upper)
        repaired = time.perf_counter() - began
        cells = []
        for given in (None, start):
            figures = []
            for limit in (*SLICES, PROOF):
                forced = program.binary.solve(lower, start=given, time_limit=limit)
                if forced.status == "infeasible":
                    figures = ["cannot come in"]
                    break
                low = max(main.value - forced.bound, 0.0) if forced.bound is not None else 0.0
                high = main.bound - forced.value if forced.gap is not None else None
                if limit == PROOF:
                    figures.append(f"proof {forced.seconds:.2f} s")
                else:
                    figures.append("?" if high is None else f"{high - low:.1f}")
            cells.append(" / ".join(figures))
        repair_cell = "none" if start is None else f"{repaired * 1000:.1f} ms, {main.bound - program.value(start):.1f}"
        rows.append(f"| {program.ids[n]} | {repair_cell} | {cells[0]} | {cells[1]} |")
    return rows


def summary(payload: dict[str, object]) -> str:
    prices = [e for e in payload["not_selected"] if e.get("entry_price_low") is not None]  # type: ignore[union-attr]
    proven = sum(1 for e in prices if e.get("entry_price_proven"))
    spans = [e["entry_price_high"] - e["entry_price_low"] for e in prices if e.get("entry_price_high") is not None]
    widest = f"{max(spans):.1f}" if spans else "–"
    return f"{len(prices)} priced, {proven} proven, widest interval {widest}; {payload.get('mandate_note', '–')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--before", required=True, help="the pfm executable of the install to compare with")
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = portfolio(args.items, teams=8, fit=0.5)
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print(
        "| item | repair: time, B - v | width after 0.1 / 0.2 / 0.4 s, proof: from scratch | the same, from the repair |"
    )
    print("|---|---|---|---|")
    for row in widths(root):
        print(row)
        sys.stdout.flush()
    installs = {"before": args.before, "after": tool("pfm")}
    timed: dict[str, list[tuple[float, dict[str, object]]]] = {name: [] for name in installs}
    for _ in range(args.runs):
        for name, pfm in installs.items():
            timed[name].append(select_once(pfm, root))
    print(f"\nload average {os.getloadavg()[0]:.1f}\n")
    print("| install | items | runs | `pfm select` wall, median | the last run's prices and mandates' cost |")
    print("|---|--:|--:|--:|---|")
    for name, runs in timed.items():
        median = statistics.median(seconds for seconds, _ in runs)
        print(f"| {name} | {args.items:,} | {args.runs} | {median:.2f} s | {summary(runs[-1][1])} |")


if __name__ == "__main__":
    main()
