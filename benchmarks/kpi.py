"""Time `pfm status` and `pfm kpi` on 1,000 generated items, and `pfm kpi --history` over 100 commits of 200 items.

`pfm kpi --history` is timed cold (the cache in the git folder removed before each run, so every commit is read
and evaluated) and warm (every commit's figures read from the cache). The repository is built here: a generated
portfolio, then 99 commits that each re-score three items and change one business case's capex.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

from generate import generate
from review import Row, errors_at, make_history, table, timing_row
from run import measure, tool

SINGLE_TARGET = 2.0  # seconds, wall: pfm status and pfm kpi on 1,000 items
COLD_TARGET = 20.0  # seconds, wall: pfm kpi --history over 100 commits of 200 items, nothing cached
WARM_TARGET = 2.0  # the same with every commit cached
COMMITS = 100


def bench_single(pfm: str, scratch: Path, runs: int) -> list[Row]:
    folder = scratch / "items-1000"
    generate(1_000, folder)
    if errors := errors_at(pfm, folder):
        raise SystemExit(f"the generated portfolio in {folder} has {errors} errors")
    rows = []
    for command in ("status", "kpi"):
        print(f"timing pfm {command} ...", file=sys.stderr)
        timing = measure([[pfm, "-p", str(folder), command, "-f", "json", "-o", os.devnull]], folder, runs)
        rows.append(timing_row(f"`pfm {command} -f json`", "1,000", timing, SINGLE_TARGET))
    return rows


def bench_history(pfm: str, scratch: Path, runs: int) -> list[Row]:
    top = scratch / "history"
    make_history(top, 200, COMMITS)
    history = [pfm, "-p", str(top), "kpi", "--history", "-f", "json", "-o", os.devnull]
    cache = top / ".git" / "pfm-cache"
    print("timing pfm kpi --history, cold ...", file=sys.stderr)
    cold = measure([["rm", "-rf", str(cache)], history], top, runs, warmup=0)
    print("timing pfm kpi --history, warm ...", file=sys.stderr)
    warm = measure([history], top, runs)
    label = f"`pfm kpi --history -f json` ({COMMITS} commits)"
    return [
        timing_row(f"{label}, cold (nothing cached)", "200", cold, COLD_TARGET),
        timing_row(f"{label}, warm (every commit cached)", "200", warm, WARM_TARGET),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    args = parser.parse_args()
    pfm = tool("pfm")
    with tempfile.TemporaryDirectory(prefix="pfm-kpi-bench-") as temporary:
        scratch = Path(temporary)
        rows = bench_single(pfm, scratch, args.runs) + bench_history(pfm, scratch, args.runs)
    print(f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}; ", end="")
    print(f"Python {platform.python_version()}; {date.today().isoformat()}.\n")
    print(table(rows))


if __name__ == "__main__":
    main()
