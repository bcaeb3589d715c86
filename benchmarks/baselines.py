"""Time `pfm evm` and `pfm status` on 1,000 generated items in git: each item's baseline read from the commit that
approved it, before (a pfm without the cache, given by --before) and after, cold and warm.

The repository is built here: a generated portfolio (actuals at its status date), then commits that each
re-score three items and change one business case's capex. Cold: the cache in the git folder removed before
each run, so the commits are read from git; warm: the baselines read from the cache.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

from review import Row, make_history, table, timing_row
from run import measure, tool

TARGET = 2.0  # seconds, wall: pfm status on 1,000 items
COMMITS = 20


def without_actions(top: Path) -> None:
    """The decisions without their actions, which a pfm from before them cannot read."""
    for path in (top / "decisions").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^actions:\n(?:  - .*\n)+", "", text, flags=re.MULTILINE), encoding="utf-8")


def bench(label: str, pfm: str, top: Path, runs: int, warm: bool) -> list[Row]:
    cache = top / ".git" / "pfm-cache"
    rows = []
    for command in ("evm", "status"):
        print(f"timing pfm {command}, {label} ...", file=sys.stderr)
        timed = [pfm, "-p", str(top), command, "-f", "json", "-o", os.devnull]
        steps = [timed] if warm else [["rm", "-rf", str(cache)], timed]
        timing = measure(steps, top, runs, warmup=1 if warm else 0)
        rows.append(timing_row(f"{label}: `pfm {command} -f json` ({COMMITS} commits)", "1,000", timing, TARGET))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--before", required=True, help="the pfm to compare with (e.g. a checkout of main)")
    args = parser.parse_args()
    after = tool("pfm")
    with tempfile.TemporaryDirectory(prefix="pfm-baselines-bench-") as temporary:
        top = Path(temporary) / "history"
        make_history(top, 1_000, COMMITS, without_actions)
        rows = bench("before", args.before, top, args.runs, warm=False)
        rows += bench("after, cold", after, top, args.runs, warm=False)
        rows += bench("after, warm", after, top, args.runs, warm=True)
    print(f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}; ", end="")
    print(f"Python {platform.python_version()}; {date.today().isoformat()}.\n")
    print(table(rows))


if __name__ == "__main__":
    main()
