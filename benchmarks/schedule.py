"""Time scheduled selection (`pfm select --schedule`) against fixed dates, on the example and a generated portfolio.

    python benchmarks/schedule.py [--items 1000] [--time-limit 60]

The generated portfolio comes from generate.py with `--teams 8 --fit 0.5 --windows 2` (budgets and capacity
sized to the committed work plus half of the rest; every project and initiative not yet active may start
up to two quarters either side of its start). Each row is one call of `pfm.schedule_select` in this process
(the portfolio read once before): the fixed-date solve, then the scheduled one, to the gap asked or the time
limit, for both ways of writing the dependencies in time, and once more with the solver's default heuristics
(the scheduled solve as it was before its heuristics were tuned). Every answer goes through the independent
checker of tests/schedule_checker.py. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import time
from datetime import date
from pathlib import Path

from generate import DEFAULT_SEED, MARKER, default_out, generate

import pfm
from pfm.selection import schedule

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "example-portfolio"
_spec = importlib.util.spec_from_file_location("schedule_checker", ROOT / "tests" / "schedule_checker.py")
assert _spec is not None and _spec.loader is not None
checker = sys.modules["schedule_checker"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checker)


def generated(items: int) -> Path:
    out = default_out(items, DEFAULT_SEED, teams=8, fit=0.5, windows=2)
    if not (out / MARKER).is_file():
        generate(items, out, DEFAULT_SEED, teams=8, fit=0.5, windows=2)
    return out


def row(label: str, root: Path, portfolio: pfm.Portfolio, time_limit: float, **options: object) -> str:
    began = time.perf_counter()
    result = pfm.schedule_select(portfolio, time_limit=time_limit, **options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - began
    payload = result.to_dict()
    fixed, free = payload["fixed_dates"], payload["scheduled"]
    problems = checker.check_schedule(root, payload, int(options.get("may_shift", 0)))  # type: ignore[call-overload]
    checked = "ok" if not problems else f"**{len(problems)} broken**: {problems[0]}"
    gain = f"{result.gain:+,.1f} ({result.gain / fixed['value']:+.1%})" if result.gain is not None else "-"
    return (
        f"| {label} | {payload['model']['columns']:,} x {payload['model']['rows']:,} | "
        f"{fixed['value']:,.1f} ({fixed['selected']}), {fixed['gap']:.2%}, {fixed['seconds']:.1f} s | "
        f"{free['value']:,.1f} ({free['selected']}), {free['status']}, {free['gap']:.2%}, {free['seconds']:.1f} s | "
        f"{gain} | {len(result.moved)} | {seconds:.1f} s | {checked} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print(f"{date.today()}, {platform.processor() or platform.machine()}, {platform.python_version()}")
    print(
        "| portfolio, gap asked, precedence | columns x rows | fixed dates: value (items), gap, time "
        "| free starts: value (items), status, gap, time | gain | moved | total | checker |"
    )
    print("|---|---|---|---|---|---|---|---|")
    example = pfm.load_portfolio(EXAMPLE)
    for shift in (1, 2, 4):
        print(
            row(f"example, --may-shift {shift}, 0.01 %", EXAMPLE, example, args.time_limit, may_shift=shift), flush=True
        )
    root = generated(args.items)
    big = pfm.load_portfolio(root)
    made = json.loads((root / MARKER).read_text(encoding="utf-8"))
    tuned = dict(schedule.HEURISTICS)
    for gap in (0.01, 0.005, 0.001):
        for precedence, heuristics in (("disaggregated", tuned), ("big-m", tuned), ("disaggregated", {})):
            schedule.HEURISTICS = heuristics
            label = f"{made['items']:,} items, {gap:.1%}, {precedence}{'' if heuristics else ', solver defaults'}"
            print(row(label, root, big, args.time_limit, gap=gap, precedence=precedence), flush=True)


if __name__ == "__main__":
    main()
