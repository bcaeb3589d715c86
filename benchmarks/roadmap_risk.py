"""Time `pfm roadmap --risk 10000` on 1,000 generated items, beside the deterministic `pfm roadmap`.

The generated items carry no three-point estimates, so the portfolio is timed as generated (every draw is the
roadmap, but all the work of the draws is done), with `schedule_risk: {low: 0.9, high: 1.5}` added to its
portfolio.yaml (every placed item's duration drawn), and with that spread and the horizon widened to 2045-Q4, so
that more of the 1,000 items fit in the roadmap and are drawn. `pfm roadmap -f json` alone is the deterministic
schedule the draws start from.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from generate import generate
from review import Row, errors_at, table, timing_row
from run import measure, tool

TARGET = 10.0  # seconds, wall: pfm roadmap --risk 10000 on 1,000 items
DRAWS = "10000"


def bench(pfm: str, scratch: Path, runs: int) -> list[Row]:
    plain = scratch / "items-1000"
    generate(1_000, plain)
    spread = scratch / "items-1000-spread"
    shutil.copytree(plain, spread)
    with (spread / "portfolio.yaml").open("a", encoding="utf-8") as handle:
        handle.write("schedule_risk: {low: 0.9, high: 1.5}\n")
    wide = scratch / "items-1000-wide"
    shutil.copytree(spread, wide)
    text = (wide / "portfolio.yaml").read_text(encoding="utf-8")
    (wide / "portfolio.yaml").write_text(text.replace("last: 2029-Q4", "last: 2045-Q4"), encoding="utf-8")
    rows = []
    for folder, label, extra in (
        (plain, "`pfm roadmap -f json` (deterministic)", []),
        (plain, f"`pfm roadmap --risk {DRAWS} -f json`, no spread", ["--risk", DRAWS]),
        (spread, f"`pfm roadmap --risk {DRAWS} -f json`, schedule_risk 0.9-1.5", ["--risk", DRAWS]),
        (wide, "`pfm roadmap -f json` (deterministic), horizon to 2045-Q4", []),
        (wide, f"`pfm roadmap --risk {DRAWS} -f json`, schedule_risk 0.9-1.5, horizon to 2045-Q4", ["--risk", DRAWS]),
    ):
        if errors := errors_at(pfm, folder):
            raise SystemExit(f"the generated portfolio in {folder} has {errors} errors")
        print(f"timing {label} ...", file=sys.stderr)
        timing = measure([[pfm, "-p", str(folder), "roadmap", *extra, "-f", "json", "-o", os.devnull]], folder, runs)
        rows.append(timing_row(label, "1,000", timing, TARGET))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    args = parser.parse_args()
    pfm = tool("pfm")
    with tempfile.TemporaryDirectory(prefix="pfm-risk-bench-") as temporary:
        rows = bench(pfm, Path(temporary), args.runs)
    print(f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}; ", end="")
    print(f"Python {platform.python_version()}; {date.today().isoformat()}.\n")
    print(table(rows))


if __name__ == "__main__":
    main()
