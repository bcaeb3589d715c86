"""Time `pfm history` over 21 commits of a generated 1,000-item portfolio, each after the first re-scoring
three items and changing one business case's capex.

    python benchmarks/history_reuse.py [--runs 3] [--label after] [--keep DIR]

Timed as a fresh process (the `pfm` beside this Python; PYTHONPATH may point at an older source tree to time
it). The JSON written is hashed, so two versions can be shown to print the same history.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from review import make_history
from run import tool

COMMITS = 21


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--label", default="this version")
    parser.add_argument("--keep", type=Path, help="build the repository here (once) and keep it")
    args = parser.parse_args()
    pfm = tool("pfm")
    with tempfile.TemporaryDirectory(prefix="pfm-history-bench-") as temporary:
        top = args.keep or Path(temporary) / "history"
        if not (top / ".git").is_dir():
            make_history(top, 1_000, COMMITS)
        out = Path(temporary) / "history.json"
        seconds = []
        for _ in range(args.runs):
            began = time.perf_counter()
            subprocess.run([pfm, "-q", "-p", str(top), "history", "-f", "json", "-o", str(out)], check=True)
            seconds.append(time.perf_counter() - began)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
    print(
        f"| {args.label} | `pfm history -f json` ({COMMITS} commits) | 1,000 | {args.runs} | "
        f"{statistics.median(seconds):.2f} s | {min(seconds):.2f} s | sha256 {digest} |"
    )


if __name__ == "__main__":
    main()
