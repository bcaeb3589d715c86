"""Time `pfm validate` against check-jsonschema on generated portfolios, and pfm's start-up.

    python benchmarks/run.py [--sizes 1000 10000] [--runs 5] [--write]

Every measurement is the wall time of a fresh process, timed with time.perf_counter around subprocess.run;
the median of several runs is reported. Portfolios missing from benchmarks/generated/ are generated first.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml
from generate import DEFAULT_DEPENDENCIES, DEFAULT_SEED, MARKER, REPO, default_out, generate, team_count

README = Path(__file__).with_name("README.md")
ITEM_SCHEMA = REPO / "schemas" / "item.schema.json"
START, END = "<!-- results:start -->", "<!-- results:end -->"
VALIDATE_TARGETS = {1_000: 0.6, 10_000: 4.0}  # seconds, wall, on a 2-core machine
RATIO_TARGET = 8.0
HELP_TARGET = 0.3
RANK_TARGET = 5.0  # seconds: `pfm rank -f json` on 10,000 items, and --sensitivity 1000 on 1,000 items
CHECKER_RUNS = {1_000: 3}  # check-jsonschema takes tens of seconds on 10,000 files: once is enough there


@dataclass(frozen=True, slots=True)
class Timing:
    seconds: tuple[float, ...]
    batches: int = 1  # how many processes one run took (check-jsonschema with a long argument list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


class Row(NamedTuple):
    measurement: str
    items: str
    files: str
    runs: str
    median: str
    minimum: str
    target: str
    met: str


def tool(name: str, given: str | None = None) -> str:
    """`given`, else the console script installed next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / name
    found = given or (str(beside) if beside.is_file() else shutil.which(name))
    if found is None:
        raise SystemExit(f"{name} is not installed; see benchmarks/README.md")
    return found


def run_once(commands: Sequence[Sequence[str]], cwd: Path) -> float:
    """Wall time of running `commands` one after the other; each must exit 0."""
    start = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{command[0]} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return time.perf_counter() - start


def measure(commands: Sequence[Sequence[str]], cwd: Path, runs: int, warmup: int = 1) -> Timing:
    for _ in range(warmup):
        run_once(commands, cwd)
    return Timing(tuple(run_once(commands, cwd) for _ in range(runs)), len(commands))


def batches(fixed: list[str], files: list[str]) -> list[list[str]]:
    """`fixed` + files, split into commands whose argument lists stay well inside the system's limit."""
    limit = os.sysconf("SC_ARG_MAX") // 2 - sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    commands: list[list[str]] = []
    size = limit  # so that the first file starts a command
    for file in files:
        cost = len(file) + 1 + 8  # the string, its terminator and its pointer in argv
        if size + cost > limit:
            commands.append(list(fixed))
            size = sum(len(arg) + 9 for arg in fixed)
        commands[-1].append(file)
        size += cost
    return commands


def portfolio(
    items: int, dependencies: float = DEFAULT_DEPENDENCIES, teams: int | None = None, fit: float | None = None
) -> Path:
    """The generated portfolio of `items` items, generated now if missing or made with other arguments."""
    out = default_out(items, DEFAULT_SEED, dependencies, teams, fit)
    marker = out / MARKER
    made = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else {}
    wanted = {
        "items": items,
        "seed": DEFAULT_SEED,
        "dependencies": dependencies,
        "teams": team_count(items, teams),
        "fit": fit,
    }
    if any(made.get(key) != value for key, value in wanted.items()):
        print(f"generating {out} ...", file=sys.stderr)
        shutil.rmtree(out, ignore_errors=True)
        generate(items, out, DEFAULT_SEED, dependencies, teams, fit)
    return out


def items_only(root: Path) -> Path:
    """The same item files with only what they refer to (portfolio.yaml without gate rules, teams),
    so that pfm validates the files check-jsonschema validates."""
    out = root.with_name(root.name + "-items-only")
    if (out / "portfolio.yaml").is_file():
        return out
    for folder in ("items", "teams"):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for path in (root / folder).glob("*.yaml"):
            os.link(path, out / folder / path.name)
    data = yaml.safe_load((root / "portfolio.yaml").read_text(encoding="utf-8"))
    for stage in data.get("stages", []):
        stage.pop("requires", None)  # business cases are not copied, so no gate may ask for them
    (out / "portfolio.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def check_clean(pfm: str, root: Path) -> int:
    """The number of files pfm reads; stops unless the portfolio validates with no findings."""
    done = subprocess.run([pfm, "-p", str(root), "validate", "-f", "json"], capture_output=True, check=False)
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    if done.returncode != 0 or report.get("findings"):
        raise SystemExit(f"{root} does not validate clean (exit {done.returncode}); regenerate it")
    return int(report["summary"]["files"])


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def timing_row(measurement: str, items: str, files: str, timing: Timing, target: float | None) -> Row:
    """A row of wall times; `target` is the most the median may take."""
    return Row(
        measurement,
        items,
        files,
        str(len(timing.seconds)),
        f"{timing.median:.2f} s",
        f"{min(timing.seconds):.2f} s",
        f"< {target:g} s" if target else "–",
        verdict(timing.median < target) if target else "–",
    )


def bench_size(items: int, runs: int, pfm: str, checker: str) -> tuple[list[Row], int]:
    """Rows for one portfolio size, and how many processes one check-jsonschema run took."""
    root = portfolio(items)
    same_files = items_only(root)
    files, subset_files = check_clean(pfm, root), check_clean(pfm, same_files)
    print(f"timing {items:,} items ...", file=sys.stderr)
    ours = measure([[pfm, "-p", str(root), "validate", "-f", "json", "-o", os.devnull]], REPO, runs)
    ours_subset = measure([[pfm, "-p", str(same_files), "validate", "-f", "json", "-o", os.devnull]], REPO, runs)
    item_files = sorted(f"items/{path.name}" for path in (root / "items").glob("*.yaml"))
    commands = batches([checker, "--schemafile", str(ITEM_SCHEMA)], item_files)
    theirs = measure(commands, root, CHECKER_RUNS.get(items, 1), warmup=0)  # pfm's runs warmed the page cache
    count = f"{items:,}"
    rows = [
        timing_row("`pfm validate`, whole portfolio", count, f"{files:,}", ours, VALIDATE_TARGETS.get(items)),
        timing_row(
            "`pfm validate`, the item files (+ portfolio.yaml, teams)", count, f"{subset_files:,}", ours_subset, None
        ),
        timing_row("check-jsonschema, the item files", count, f"{len(item_files):,}", theirs, None),
        ratio_row(
            "check-jsonschema / pfm on the same item files", count, theirs.median / ours_subset.median, RATIO_TARGET
        ),
        ratio_row("check-jsonschema / pfm on the whole portfolio", count, theirs.median / ours.median, None),
    ]
    return rows, theirs.batches


def ratio_row(measurement: str, items: str, ratio: float, target: float | None) -> Row:
    met = verdict(ratio >= target) if target else "–"
    return Row(measurement, items, "", "", f"{ratio:.1f}x", "", f">= {target:g}x" if target else "–", met)


def bench_rank(pfm: str, runs: int, sizes: Sequence[int]) -> list[Row]:
    """`pfm rank` end to end (load, validation and scoring included), and its Monte Carlo stability."""
    rows = []
    if 10_000 in sizes:
        root = portfolio(10_000)
        timing = measure([[pfm, "-p", str(root), "rank", "-f", "json", "-o", os.devnull]], REPO, runs)
        rows.append(timing_row("`pfm rank -f json`", "10,000", "", timing, RANK_TARGET))
    if 1_000 in sizes:
        root = portfolio(1_000)
        command = [pfm, "-p", str(root), "rank", "--sensitivity", "1000", "-f", "json", "-o", os.devnull]
        rows.append(
            timing_row(
                "`pfm rank --sensitivity 1000 -f json`", "1,000", "", measure([command], REPO, runs), RANK_TARGET
            )
        )
    return rows


DEPS_TARGET = 5.0  # seconds: deps check and deps path on 10,000 items with ~30,000 dependencies, load included
ROADMAP_TARGET = 5.0  # seconds: roadmap on 1,000 items, 12 quarters, 10 teams
DENSE = 5.5  # dependencies drawn per item on average; about 31,000 survive the rule that prerequisites end first


def bench_network(pfm: str, runs: int, sizes: Sequence[int]) -> list[Row]:
    """The dependency commands on a dense network, and the roadmap scheduler."""
    rows = []
    if 10_000 in sizes:
        root = portfolio(10_000, DENSE)
        edges = sum(text.count("\n  - ") for text in _depends_blocks(root))
        for command in ("check", "path"):
            timing = measure([[pfm, "-p", str(root), "deps", command, "-f", "json", "-o", os.devnull]], REPO, runs)
            rows.append(
                timing_row(f"`pfm deps {command} -f json` ({edges:,} dependencies)", "10,000", "", timing, DEPS_TARGET)
            )
    if 1_000 in sizes:
        root = portfolio(1_000, teams=10)
        timing = measure([[pfm, "-p", str(root), "roadmap", "-f", "json", "-o", os.devnull]], REPO, runs)
        rows.append(timing_row("`pfm roadmap -f json` (12 quarters, 10 teams)", "1,000", "", timing, ROADMAP_TARGET))
    return rows


def _depends_blocks(root: Path) -> list[str]:
    texts = []
    for path in (root / "items").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "depends_on:" in text:
            block = text.split("depends_on:", 1)[1]
            texts.append(block.split("\nmilestones:", 1)[0])
    return texts


def bench_help(pfm: str, runs: int) -> Row:
    return timing_row("`pfm --help`", "–", "–", measure([[pfm, "--help"]], REPO, runs), HELP_TARGET)


def version(command: str) -> str:
    done = subprocess.run([command, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().split()[-1] if done.stdout.strip() else "?"


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return platform.processor() or "unknown"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown")


def has_clib(checker: str) -> bool:
    """Whether the Python that runs `checker` has ruamel.yaml's C extension."""
    python = Path(checker).with_name("python")
    probe = [str(python) if python.exists() else sys.executable, "-c", "import _ruamel_yaml"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def machine(pfm: str, checker: str) -> str:
    clib = "with" if has_clib(checker) else "**without**"
    return (
        f"Machine: {len(os.sched_getaffinity(0))} CPUs (`nproc`), {cpu_model()}; Python {platform.python_version()}; "
        f"pfm {version(pfm)}; check-jsonschema {version(checker)} {clib} ruamel.yaml.clib; {datetime.date.today()}."
    )


def table(rows: list[Row]) -> str:
    header = Row("measurement", "items", "files", "runs", "median", "min", "target", "met")
    lines = ["| " + " | ".join(header) + " |", "|---|--:|--:|--:|--:|--:|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write_readme(section: str, start: str = START, end: str = END) -> None:
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{README} has no {start} ... {end} section to replace")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    README.write_text(f"{before}{start}\n{section}\n{end}{after}", encoding="utf-8")


def timed_options(doc: str, results: str) -> argparse.Namespace:
    """--runs and --write, for the scripts that time commands and record `results` in README.md."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (after one warm-up run)")
    parser.add_argument("--write", action="store_true", help=f"replace the {results} results in README.md")
    return parser.parse_args()


def publish(rows: list[Row], pfm: str, write: bool, start: str, end: str, note: str = "") -> None:
    """Print the results under a line naming the machine; with `write`, put them in README.md between the markers."""
    publish_section(table(rows), pfm, write, start, end, note)


def publish_section(results: str, pfm: str, write: bool, start: str, end: str, note: str = "") -> None:
    """`results` (a Markdown table) under a line naming the machine, printed and, with `write`, put in README.md."""
    heading = (
        f"Machine: {len(os.sched_getaffinity(0))} CPUs (`nproc`), {cpu_model()}; Python {platform.python_version()}; "
        f"pfm {version(pfm)}; {datetime.date.today()}." + (f" {note}" if note else "")
    )
    section = f"{heading}\n\n{results}"
    print(section)
    if write:
        write_readme(section, start, end)
        print(f"updated {README}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="portfolio sizes in items")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of pfm (after one warm-up run)")
    parser.add_argument("--write", action="store_true", help=f"replace the results section of {README.name}")
    parser.add_argument("--checker", help="check-jsonschema to compare with (default: beside this Python, or on PATH)")
    args = parser.parse_args()
    pfm, checker = tool("pfm"), tool("check-jsonschema", args.checker)
    rows: list[Row] = []
    notes: list[str] = []
    for items in args.sizes:
        size_rows, processes = bench_size(items, args.runs, pfm, checker)
        rows += size_rows
        if processes > 1:
            notes.append(
                f"For {items:,} items check-jsonschema ran in {processes} batches (argument list limit); "
                "its time is their sum."
            )
    rows += bench_rank(pfm, args.runs, args.sizes)
    rows += bench_network(pfm, args.runs, args.sizes)
    rows.append(bench_help(pfm, 2 * args.runs))
    section = "\n\n".join([machine(pfm, checker), table(rows), *notes])
    print(section)
    if args.write:
        write_readme(section)
        print(f"updated {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
