"""Every command, timed on generated portfolios: two installs of pfm side by side (before and after a change).

    python benchmarks/interactive.py --before OLD/.venv/bin/pfm [--after NEW/.venv/bin/pfm] [--runs 3]
        [--sizes 1000 10000] [--pack-10000]

The portfolios are `generate.py --items N --teams 8 --fit 0.5` (so `pfm select` has real choices to make); `pfm
history` and `pfm diff` run on a repository of 21 commits of a 1,000-item portfolio (each commit after the first
re-scores three items and changes one business case's capex). The runs alternate, one of each version in turn after
one warm-up run of each, so a busier moment of the machine slows both alike; each figure is the wall time of a
fresh process and its peak resident memory (the process's own, from os.wait4: validation's forked readers are not
counted). `pfm history` after its warm-up run is "warm": its revisions are then read from pfm's cache, where the
version keeps one. With `--pack-10000` the full board pack (Markdown, HTML and PDF) of 10,000 items is run once by
each version, for its time and peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from generate import REPO
from review import make_history
from run import portfolio, tool

COMMITS = 21
AT_10000 = {"select": 15.0, "scenario compare": 10.0}  # seconds, wall, on a 2-core machine
AT_1000 = (
    "validate",
    "score",
    "rank",
    "weights",
    "finance",
    "evm",
    "status",
    "spend",
    "benefits",
    "risks",
    "decisions",
    "kpi",
    "capacity",
    "roadmap",
    "select",
    "frontier",
    "deps check",
    "deps path",
    "scenario list",
    "scenario compare",
)


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system) and peak resident memory (MiB) of one run of `command`, which
    must exit 0."""
    began = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    error = child.stderr.read().decode() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}: {error[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def commands(pfm: str, size: int, scratch: Path, history: Path | None) -> dict[str, list[str]]:
    root = str(portfolio(size, teams=8, fit=0.5))
    table = {
        name: [pfm, "-q", "-p", root, *name.split(), "-f", "json", "-o", "/dev/null"]
        for name in (AT_1000 if size == 1_000 else AT_10000)
    }
    table["report -f md"] = [pfm, "-q", "-p", root, "report", "-f", "md", "-o", str(scratch / "md")]
    table["snapshot"] = [pfm, "-q", "-p", root, "snapshot", "-o", str(scratch / "snapshot.json")]
    table["export"] = [pfm, "-q", "-p", root, "export", "-o", str(scratch / "export.xlsx")]
    if history is not None:
        where = ["-q", "-p", str(history)]
        table[f"history ({COMMITS} commits)"] = [pfm, *where, "history", "-f", "json", "-o", "/dev/null"]
        table["diff HEAD~1 HEAD"] = [pfm, *where, "diff", "HEAD~1", "HEAD", "-f", "json", "-o", "/dev/null"]
        table["diff HEAD~5 HEAD"] = [pfm, *where, "diff", "HEAD~5", "HEAD", "-f", "json", "-o", "/dev/null"]
    if size == 1_000:
        table["report (Markdown, HTML and PDF)"] = [pfm, "-q", "-p", root, "report", "-o", str(scratch / "all")]
    return table


def target(size: int, name: str) -> float | None:
    """The wall-time target (seconds, 2 cores): at 1,000 items 2 s for every command but the PDF, 5 s for the pack's
    Markdown, 3 s for `pfm history` warm; at 10,000 items, `pfm select` and `pfm scenario compare` only."""
    if size != 1_000:
        return AT_10000.get(name)
    if "PDF" in name:
        return None
    return 5.0 if name == "report -f md" else 3.0 if name.startswith("history") else 2.0


def bench(before: str, after: str, size: int, runs: int, history: Path | None) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="pfm-bench-") as temporary:
        old = commands(before, size, Path(temporary) / "before", history)
        new = commands(after, size, Path(temporary) / "after", history)
        for number, name in enumerate(old):
            if number == 0 or name.startswith("history"):
                for command in (old[name], new[name]):
                    run(command)  # warm-up: the files in the page cache, and pfm's cache filled where it keeps one
            figures: dict[str, list[tuple[float, float, float]]] = {"old": [], "new": []}
            for _ in range(runs):
                for side, command in (("old", old[name]), ("new", new[name])):
                    figures[side].append(run(command))
            (was, was_cpu), (now, now_cpu) = (
                (statistics.median(f[0] for f in figures[side]), statistics.median(f[1] for f in figures[side]))
                for side in ("old", "new")
            )
            goal = target(size, name)
            met = "–" if goal is None else ("yes" if now < goal else "no")
            rows.append(
                f"| `pfm {name}` | {size:,} | {runs} | {was:.2f} s | {now:.2f} s | {now / was:.2f} | "
                f"{was_cpu:.2f} s | {now_cpu:.2f} s | "
                f"{max(f[2] for f in figures['old']):,.0f} MiB | {max(f[2] for f in figures['new']):,.0f} MiB | "
                f"{'–' if goal is None else f'< {goal:g} s'} | {met} |"
            )
            print(rows[-1], flush=True)
    return rows


def pack_10000(before: str, after: str) -> list[str]:
    root = str(portfolio(10_000, teams=8, fit=0.5))
    rows = []
    with tempfile.TemporaryDirectory(prefix="pfm-bench-") as temporary:
        for label, pfm in (("before", before), ("after", after)):
            seconds, mib = run([pfm, "-q", "-p", root, "report", "-o", str(Path(temporary) / label)])
            rows.append(
                f"| {label} | `pfm report` (Markdown, HTML and PDF) | 10,000 | 1 | {seconds:.1f} s | {mib:,.0f} MiB |"
            )
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--before", required=True, help="the pfm console script of the earlier version")
    parser.add_argument("--after", help="the pfm of this version (default: beside this Python)")
    parser.add_argument("--label", default="before", help="what to call the earlier version")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each version (after one warm-up each)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--pack-10000", action="store_true", help="run the full 10,000-item pack once with each")
    parser.add_argument("--history", type=Path, help="build the history repository here (once) and keep it")
    args = parser.parse_args()
    after = tool("pfm", args.after)
    print(
        f"| command | items | runs | {args.label}: wall | after: wall | after / {args.label} | {args.label}: CPU | "
        f"after: CPU | {args.label}: peak memory | after: peak memory | target (after, wall) | met |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|")
    with tempfile.TemporaryDirectory(prefix="pfm-history-bench-") as temporary:
        history = args.history or Path(temporary) / "history"
        if not (history / ".git").is_dir():
            make_history(history, 1_000, COMMITS)
        for size in args.sizes:
            bench(args.before, after, size, args.runs, history if size == 1_000 else None)
    if args.pack_10000:
        print("\n| version | measurement | items | runs | wall | CPU | peak memory |\n|---|---|--:|--:|--:|--:|--:|")
        pack_10000(args.before, after)


if __name__ == "__main__":
    main()
