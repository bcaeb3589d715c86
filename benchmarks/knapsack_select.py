"""`pfm select` on hard multidimensional knapsacks: the optimum and its time, the default command end to end,
and what helps HiGHS on them.

    python benchmarks/knapsack.py                      # writes the portfolios first
    python benchmarks/knapsack_select.py [--exact-limit 60] [--probe 5]

For each portfolio of `benchmarks/generated/knapsack/`:

- the optimum: the main solve alone (`select_portfolio`, no entry prices nor mandates' cost, gap 0,
  `--exact-limit` seconds), maximising the published values (`--objective formula`), with its proven gap;
- the default `pfm select` (weighted objective, 20 entry prices, the mandates' cost, the default
  `--time-limit`) as a fresh process: wall time, the gap it states, how many entry prices are proven and how
  many are intervals;
- on the 100-item instances, HiGHS variants of the main solve, each for `--probe` seconds: as pfm runs it;
  started from the greedy selection; with the greedy value as an objective cut-off; without presolve; and
  followed by the progress callback; the gap each proves in that time and the time it took.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pfm import load_portfolio
from pfm.analysis.scoring import score
from pfm.selection.greedy import greedy_portfolio
from pfm.selection.optimise import select_portfolio
from pfm.selection.program import PortfolioProgram, build_program

OUT = Path(__file__).resolve().parent / "generated" / "knapsack"
PFM = str(Path(sys.executable).parent / "pfm")


def default_select(root: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        began = time.perf_counter()
        subprocess.run([PFM, "-q", "-p", str(root), "select", "-f", "json", "-o", str(out)], check=True)
        seconds = time.perf_counter() - began
        payload = json.loads(out.read_text(encoding="utf-8"))
    prices = [e for e in payload["not_selected"] if e["entry_price_low"] is not None]
    proven = sum(1 for e in prices if e["entry_price_proven"])
    return {"seconds": seconds, "status": payload["status"], "gap": payload["gap"], "proven": proven} | {
        "intervals": len(prices) - proven,
        "mandates": payload["mandate_note"],
    }


def variants(
    program: PortfolioProgram, greedy_x: tuple[bool, ...], greedy_value: float
) -> dict[str, Callable[[], None]]:
    binary = program.binary
    scale = binary._objective_scale

    def reset() -> None:
        binary._set("presolve", "on")
        binary._set("objective_bound", float("inf"))

    def cutoff() -> None:
        binary._set("objective_bound", greedy_value / scale)

    def no_presolve() -> None:
        binary._set("presolve", "off")

    return {"as pfm runs it": reset, "greedy cut-off": cutoff, "no presolve": no_presolve}


def probe(root: Path, seconds: float) -> list[tuple[str, float, float | None, float]]:
    portfolio = load_portfolio(root)
    values = score(portfolio, "formula").values()
    program = build_program(portfolio, values, objective="formula", gap=0.0)
    greedy = greedy_portfolio(portfolio, values)
    x = tuple(ident in set(greedy.selected) for ident in program.ids)
    found = []
    for name, setup in variants(program, x, greedy.value).items():
        setup()
        result = program.binary.solve(time_limit=seconds)
        found.append((name, result.seconds, result.gap, result.value))
        variants(program, x, greedy.value)["as pfm runs it"]()
    started = program.binary.solve(time_limit=seconds, start=x)
    found.append(("started from the greedy selection", started.seconds, started.gap, started.value))
    heard: list[float] = []
    watched = program.binary.solve(time_limit=seconds, watch=lambda best, bound: heard.append(best))
    found.append((f"followed ({len(heard)} updates)", watched.seconds, watched.gap, watched.value))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exact-limit", type=float, default=60.0)
    parser.add_argument("--probe", type=float, default=5.0)
    args = parser.parse_args()
    published = json.loads((OUT / "problems.json").read_text(encoding="utf-8"))
    print(
        "| instance | items | published optimum | pfm optimum (proven gap) | time | default `pfm select` | stated gap | entry prices proven / intervals |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    probes = {}
    for name, optimum in published.items():
        root = OUT / name
        portfolio = load_portfolio(root)
        values = score(portfolio, "formula").values()
        best = select_portfolio(
            portfolio, values, entry_prices=0, mandate_cost=False, gap=0.0, time_limit=args.exact_limit
        )
        run = default_select(root)
        known = "–" if optimum is None else f"{optimum:,.1f}"
        print(
            f"| {name} | {len(values)} | {known} | {best.value:,.1f} ({(best.gap or 0.0):.3%}) | {best.seconds:.2f} s | "
            f"{run['seconds']:.2f} s | {run['status']}, {(run['gap'] or 0.0):.3%} | {run['proven']} / {run['intervals']} |"
        )
        if name.startswith("cb-"):
            probes[name] = probe(root, args.probe)
    print("\n| instance | HiGHS variant | seconds | proven gap | value |\n|---|---|--:|--:|--:|")
    for name, rows in probes.items():
        for label, seconds, gap, value in rows:
            print(f"| {name} | {label} | {seconds:.2f} | {'–' if gap is None else f'{gap:.3%}'} | {value:,.0f} |")


if __name__ == "__main__":
    main()
