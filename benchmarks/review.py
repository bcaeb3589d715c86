"""Time `pfm diff` and `pfm history` on generated portfolios kept in git repositories.

    python benchmarks/review.py [--runs 5]

(a) A 1,000-item portfolio, committed, then a realistic pull request committed on top: 30 items
re-scored, the capex of 10 business cases changed, 5 items added with their cases, 2 removed.
`pfm diff` compares the two commits, and the older one with the working tree, with and without the
optimal selections; the same is timed on a portfolio whose budgets fit a selection (generate.py
--fit 0.5), where the solver has real work. (b) A 200-item portfolio with 50 commits, each
re-scoring a few items: `pfm history`. Every figure is the wall time of a fresh process after one
warm-up run; repositories are made in a temporary folder and removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from generate import generate
from run import Timing, measure, tool, verdict

DIFF_TARGET = 5.0  # seconds, wall: a pull-request check on 1,000 items
HISTORY_TARGET = 30.0  # seconds, wall: 50 commits of 200 items
SEED = 7
GIT = ["git", "-c", "user.name=pfm benchmark", "-c", "user.email=benchmark@example.com", "-c", "commit.gpgsign=false"]
SCORE_LINE = re.compile(r"^(  (?:strategic-alignment|financial-value|customer-impact): )(\d)$", re.MULTILINE)
CAPEX = re.compile(r"capex: (\d+)")


class Row(NamedTuple):
    measurement: str
    items: str
    runs: str
    median: str
    minimum: str
    target: str
    met: str


def git(top: Path, *args: str) -> None:
    subprocess.run(
        [*GIT, *args], cwd=top, check=True, capture_output=True, env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    )


def committed(top: Path, subject: str) -> None:
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", subject)


def make_repository(
    top: Path, items: int, fit: float | None = None, prepare: Callable[[Path], None] | None = None
) -> None:
    """A generated portfolio as the first commit of a new repository (`prepare` changes its files first)."""
    generate(items, top, fit=fit)
    if prepare is not None:
        prepare(top)
    git(top, "init", "-q", "-b", "main")
    committed(top, f"{items} generated items")


def make_history(top: Path, items: int, commits: int, prepare: Callable[[Path], None] | None = None) -> None:
    """A repository of `items` generated items and `commits` commits: after the first, each rescores three items
    and moves one business case's capex, as a month of portfolio reviews would."""
    make_repository(top, items, prepare=prepare)
    rng = random.Random(SEED)
    scored = [p for p in sorted((top / "items").glob("*.yaml")) if SCORE_LINE.search(p.read_text(encoding="utf-8"))]
    cases = sorted((top / "business-cases").glob("*.yaml"))
    for number in range(2, commits + 1):
        for path in rng.sample(scored, 3):
            rescore(path, rng)
        change_capex(rng.choice(cases), rng)
        committed(top, f"Review {number}")


def rescore(path: Path, rng: random.Random) -> None:
    """Move one of the item's scores by one step on its 1-5 scale."""
    text = path.read_text(encoding="utf-8")
    lines = list(SCORE_LINE.finditer(text))
    line = rng.choice(lines)
    value = int(line[2])
    moved = value + 1 if value < 5 and (value == 1 or rng.random() < 0.5) else value - 1
    path.write_text(text[: line.start(2)] + str(moved) + text[line.end(2) :], encoding="utf-8")


def change_capex(path: Path, rng: random.Random) -> None:
    """Raise or cut the case's first capex figure by up to a quarter."""
    text = path.read_text(encoding="utf-8")
    first = CAPEX.search(text)
    if first is not None:
        amount = round(int(first[1]) * rng.uniform(0.75, 1.25), -4)
        path.write_text(f"{text[: first.start(1)]}{amount:.0f}{text[first.end(1) :]}", encoding="utf-8")


def unreferenced(top: Path, candidates: Sequence[Path], count: int) -> list[Path]:
    """Item files whose id no other file names, so removing them (and their cases) breaks no reference."""
    texts = {path: path.read_text(encoding="utf-8") for path in top.rglob("*.yaml")}
    found = []
    for item in candidates:
        ident = item.stem
        own = {item, top / "business-cases" / f"{ident}-case.yaml"}
        if not any(
            re.search(rf"(?<![\w.-]){re.escape(ident)}(?![\w.-])", text) for p, text in texts.items() if p not in own
        ):
            found.append(item)
            if len(found) == count:
                break
    return found


def pull_request(top: Path, rng: random.Random) -> None:
    """30 items re-scored, 10 cases' capex changed, 5 items added with cases, 2 items removed with theirs."""
    items = sorted((top / "items").glob("*.yaml"))
    cases = sorted((top / "business-cases").glob("*.yaml"))
    scored = [path for path in items if SCORE_LINE.search(path.read_text(encoding="utf-8"))]
    for path in rng.sample(scored, 30):
        rescore(path, rng)
    for path in rng.sample(cases, 10):
        change_capex(path, rng)
    for number, case in enumerate(rng.sample(cases, 5), 1):
        source = case.stem.removesuffix("-case")
        ident = f"new-initiative-{number:03d}"
        for folder, old, new in (("items", source, ident), ("business-cases", f"{source}-case", f"{ident}-case")):
            text = (top / folder / f"{old}.yaml").read_text(encoding="utf-8")
            text = re.sub(rf"^(id|item): {re.escape(source)}(-case)?$", rf"\1: {ident}\2", text, flags=re.MULTILINE)
            (top / folder / f"{new}.yaml").write_text(text, encoding="utf-8")
    for item in unreferenced(top, rng.sample(items, len(items)), 2):
        item.unlink()
        (top / "business-cases" / f"{item.stem}-case.yaml").unlink(missing_ok=True)


def errors_at(pfm: str, top: Path) -> int:
    """Validation errors in the working tree: a benchmark of a broken portfolio would time the wrong thing."""
    done = subprocess.run([pfm, "-p", str(top), "validate", "-f", "json"], capture_output=True, text=True, check=False)
    return done.stdout.count('"severity": "error"')


def timing_row(measurement: str, items: str, timing: Timing, target: float) -> Row:
    seconds = timing.seconds
    return Row(
        measurement,
        items,
        str(len(seconds)),
        f"{timing.median:.2f} s",
        f"{min(seconds):.2f} s",
        f"< {target:g} s",
        verdict(timing.median < target),
    )


def bench_diff(pfm: str, scratch: Path, runs: int, fit: float | None) -> list[Row]:
    top = scratch / ("diff" if fit is None else f"diff-fit-{fit:g}")
    make_repository(top, 1_000, fit)
    pull_request(top, random.Random(SEED))
    committed(top, "A pull request")
    if errors := errors_at(pfm, top):
        raise SystemExit(f"the changed portfolio in {top} has {errors} errors")
    label = "" if fit is None else f", budgets fitted ({fit:g})"
    rows = []
    for revisions, fmt in ((["HEAD~1", "HEAD"], "markdown"), (["HEAD~1"], "json")):
        for selection in ("--selection", "--no-selection"):
            command = [pfm, "-p", str(top), "diff", *revisions, "-f", fmt, "-o", os.devnull, selection]
            print(f"timing {' '.join(command[3:])}{label} ...", file=sys.stderr)
            timing = measure([command], top, runs)
            shown = (
                f"`pfm diff {' '.join(revisions)} -f {fmt}{' --no-selection' if selection.startswith('--no') else ''}`"
            )
            rows.append(timing_row(f"{shown}{label}", "1,000", timing, DIFF_TARGET))
    return rows


def bench_history(pfm: str, scratch: Path, runs: int) -> Row:
    top = scratch / "history"
    make_history(top, 200, 50)
    print("timing pfm history ...", file=sys.stderr)
    timing = measure([[pfm, "-p", str(top), "history", "-f", "json", "-o", os.devnull]], top, runs)
    return timing_row("`pfm history -f json` (50 commits)", "200", timing, HISTORY_TARGET)


def table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(Row._fields).replace("minimum", "min") + " |", "|---|--:|--:|--:|--:|---|---|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each pfm diff (pfm history: 3)")
    args = parser.parse_args()
    pfm = tool("pfm")
    with tempfile.TemporaryDirectory(prefix="pfm-review-bench-") as temporary:
        scratch = Path(temporary)
        rows = bench_diff(pfm, scratch, args.runs, None)
        rows += bench_diff(pfm, scratch, args.runs, 0.5)
        rows.append(bench_history(pfm, scratch, min(args.runs, 3)))
    print(table(rows))


if __name__ == "__main__":
    main()
