"""Time `pfm import` of a 10,000-row register (into an empty portfolio, then again unchanged) and `pfm export`
of a 1,000-item portfolio to a workbook.

    python benchmarks/transfer.py [--runs 3] [--write] [--before /work/wt/base/.venv/bin/pfm]

The register is generated here in the `register` preset's columns (ID, Project, Owner, Sponsor, RAG, Start, End,
Capex and Opex for four years as `£1,234,567` text), so each row makes an item and a business case. The first
import starts from a new portfolio (`pfm init`, not timed) each run; the re-import reads the same register into
the portfolio it made, and must change no file (their modification times are compared). With --before, the same
commands run with another pfm (an older checkout's) in the same run, side by side.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import tempfile
import time
from pathlib import Path

from run import Row, Timing, portfolio, publish, timing_row, tool

START, END = "<!-- transfer:start -->", "<!-- transfer:end -->"
ROWS = 10_000
TARGETS = {"import": 15.0, "re-import": 10.0, "export": 5.0}  # seconds, wall
YEARS = (2027, 2028, 2029, 2030)


def register(path: Path, rows: int, seed: int = 2027) -> None:
    """A project register of `rows` rows in the `register` preset's columns."""
    pick = random.Random(seed)
    columns = ["ID", "Project", "Owner", "Sponsor", "RAG", "Start", "End"]
    columns += [f"{measure} {year}" for measure in ("Capex", "Opex") for year in YEARS]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for n in range(1, rows + 1):
            start = pick.choice(YEARS[:2])
            rag = pick.choice(["Green", "Amber", "Amber/Red", "Red"])
            dates = [f"01/{pick.choice(['01', '04', '07', '10'])}/{start}", f"31/12/{start + pick.randrange(1, 3)}"]
            money = [f"£{pick.randrange(0, 2_000_000, 1000):,}" for _ in range(2 * len(YEARS))]
            writer.writerow(
                [f"PRJ-{n:05d}", f"Project {n}", f"Owner {n % 97}", f"Sponsor {n % 13}", rag, *dates, *money]
            )


def _run(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return time.perf_counter() - start


def _times(root: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in root.rglob("*.yaml")}


def bench_import(pfm: str, source: Path, folder: Path, runs: int, rows: int) -> tuple[Timing, Timing]:
    """Import into a new portfolio (`runs` times, each from scratch), then re-import unchanged `runs` times."""
    first, again = [], []
    for run in range(runs + 1):  # the first is the warm-up
        root = folder / f"portfolio-{Path(pfm).parent.parent.name}-{run}"
        subprocess.run(
            [pfm, "init", str(root), "--name", "Bench"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = _run([pfm, "-q", "-p", str(root), "import", str(source), "--preset", "register"])
        first += [seconds] if run else []
    before = _times(root)
    if len(before) < 2 * rows:
        raise SystemExit(f"the import wrote {len(before)} files, not {2 * rows}")
    for run in range(runs + 1):
        seconds = _run([pfm, "-q", "-p", str(root), "import", str(source), "--preset", "register"])
        again += [seconds] if run else []
    if _times(root) != before:
        raise SystemExit("the unchanged re-import touched files")
    return Timing(tuple(first)), Timing(tuple(again))


def bench_export(pfm: str, root: Path, folder: Path, runs: int) -> Timing:
    out = str(folder / "portfolio.xlsx")
    seconds = [_run([pfm, "-q", "-p", str(root), "export", "-o", out]) for _ in range(runs + 1)]
    return Timing(tuple(seconds[1:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (after one warm-up run)")
    parser.add_argument("--write", action="store_true", help="replace the import/export results in README.md")
    parser.add_argument("--before", help="another pfm to time the same way, side by side")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows of the register (default 10,000)")
    args = parser.parse_args()
    pfm = tool("pfm")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        source = folder / "register.csv"
        register(source, args.rows)
        generated = portfolio(1_000)
        for label, tool_path in (("before", args.before), ("", pfm)):
            if tool_path is None:
                continue
            tag = f" ({label})" if label else ""
            first, again = bench_import(tool_path, source, folder, args.runs, args.rows)
            exported = bench_export(tool_path, generated, folder, args.runs)
            rows += [
                timing_row(
                    f"`pfm import --preset register`, new portfolio{tag}",
                    f"{args.rows:,}",
                    "",
                    first,
                    TARGETS["import"],
                ),
                timing_row(
                    f"`pfm import`, unchanged: no file written{tag}", f"{args.rows:,}", "", again, TARGETS["re-import"]
                ),
                timing_row(f"`pfm export -o portfolio.xlsx`{tag}", "1,000", "", exported, TARGETS["export"]),
            ]
    publish(rows, pfm, args.write, START, END, "Rows: register rows (an item and a business case each).")


if __name__ == "__main__":
    main()
