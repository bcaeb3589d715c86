"""Time two installs of pfm side by side on the same commands: a change of structure must not make pfm slower.

    python benchmarks/versions.py --before OLD/.venv/bin/pfm [--after NEW/.venv/bin/pfm] [--runs 10] [--write]

The runs alternate, one of each version in turn after a warm-up of each, so a machine that is busier for a while
slows both alike. Each figure is the wall time of a fresh process; the table gives the medians and their ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from generate import REPO
from run import portfolio, publish_section, run_once, tool

START, END = "<!-- versions:start -->", "<!-- versions:end -->"


def commands(pfm: str, items: int, pack: Path, example: str) -> dict[str, list[str]]:
    root = str(portfolio(items))
    return {
        "`pfm --help`": [pfm, "--help"],
        f"`pfm validate`, {items:,} items": [pfm, "-p", root, "validate", "-f", "json", "-o", "/dev/null"],
        f"`pfm rank -f json`, {items:,} items": [pfm, "-p", root, "rank", "-f", "json", "-o", "/dev/null"],
        "`pfm report` (Markdown, HTML and PDF)": [pfm, "-q", "-p", example, "report", "-o", str(pack)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--before", required=True, help="the pfm console script of the earlier version")
    parser.add_argument("--after", help="the pfm of this version (default: beside this Python)")
    parser.add_argument("--label", default="before", help="what to call the earlier version in the table")
    parser.add_argument("--items", type=int, default=1_000, help="size of the generated portfolio")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each version (after one warm-up each)")
    parser.add_argument(
        "--pack-portfolio",
        default=str(REPO / "example-portfolio"),
        help="the portfolio whose board pack is timed (one both versions read: an older pfm may not know new fields)",
    )
    parser.add_argument("--write", action="store_true", help="replace the versions section of README.md")
    args = parser.parse_args()
    before, after = args.before, tool("pfm", args.after)
    scratch = Path(tempfile.mkdtemp())
    old = commands(before, args.items, scratch / "before", args.pack_portfolio)
    new = commands(after, args.items, scratch / "after", args.pack_portfolio)
    lines = [
        f"| measurement | {args.label} (median) | this version (median) | this / {args.label} |",
        "|---|--:|--:|--:|",
    ]
    for name in old:
        for command in (old[name], new[name]):
            run_once([command], REPO)
        times: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(args.runs):
            times["old"].append(run_once([old[name]], REPO))
            times["new"].append(run_once([new[name]], REPO))
        a, b = statistics.median(times["old"]), statistics.median(times["new"])
        lines.append(f"| {name} | {a:.3f} s | {b:.3f} s | {b / a:.2f} |")
        print(lines[-1], file=sys.stderr)
    shutil.rmtree(scratch)
    note = f"{args.runs} alternating runs of each."
    publish_section("\n".join(lines), after, args.write, START, END, note)


if __name__ == "__main__":
    main()
