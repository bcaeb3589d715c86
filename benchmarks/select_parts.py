"""Time the default `pfm select` (20 entry prices and the mandates' cost) end to end, and the reasons given
for every item left out, on portfolios generated with `--teams 8 --fit 0.5`.

    python benchmarks/select_parts.py [--sizes 1000 10000] [--runs 3] [--label after]

`pfm select` is timed as a fresh process from the files (the `pfm` beside this Python, which imports the
`pfm` on PYTHONPATH first: point PYTHONPATH at an older source tree to time it); the mandates' cost, the
proven gap of the problem without them and the note on its precision are read from the JSON it writes. The
reasons are timed in this process: `selection_of` on the optimal selection, which words why each item is out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import portfolio, tool


def select_once(pfm: str, root: Path) -> tuple[float, dict[str, object]]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        began = time.perf_counter()
        subprocess.run([pfm, "-q", "-p", str(root), "select", "-f", "json", "-o", str(out)], check=True)
        seconds = time.perf_counter() - began
        payload: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
        return seconds, payload


def reasons_seconds(root: Path, runs: int) -> tuple[float, int]:
    """Median time of wording the selection (reasons for every item left out), and how many are left out."""
    from pfm.analysis.scoring import score
    from pfm.selection.explain import selection_of
    from pfm.selection.program import build_program
    from pfm.validation.load import load_portfolio

    portfolio_ = load_portfolio(root)
    scores = score(portfolio_, "weighted")
    values = scores.values()
    program = build_program(portfolio_, values, objective="weighted", unscored=scores.unscored())
    result = program.binary.solve()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        chosen = selection_of(program, values, result.x, result.status, value=result.value, gap=result.gap)
        times.append(time.perf_counter() - began)
    return statistics.median(times), len(chosen.not_selected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="items generated")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of `pfm select` at 1,000 items (1 beyond)")
    parser.add_argument("--label", default="this version")
    args = parser.parse_args()
    pfm = tool("pfm")
    print("| version | items | measurement | runs | median | detail |\n|---|--:|---|--:|--:|---|")
    for items in args.sizes:
        root = portfolio(items, teams=8, fit=0.5)
        runs = args.runs if items <= 1000 else 1
        timed = [select_once(pfm, root) for _ in range(runs)]
        payload = timed[-1][1]
        detail = (
            f"mandate cost {payload['mandate_cost']:,.2f}, gap {payload.get('mandate_gap')}; "
            f"note: {payload.get('mandate_note', '–')}"
        )
        median = statistics.median(seconds for seconds, _ in timed)
        print(f"| {args.label} | {items:,} | `pfm select` (defaults) | {runs} | {median:.2f} s | {detail} |")
        seconds, left = reasons_seconds(root, 3)
        print(f"| {args.label} | {items:,} | reasons for the {left:,} items left out | 3 | {seconds:.3f} s | |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
