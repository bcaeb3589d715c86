"""The long mutation run: thousands of mutated portfolios on every core, failures grouped by class.

    python -m tests.fuzz.run --mutations 10000 --seed 1
    python -m tests.fuzz.run --seed 1 --only 4711          # one case again, its whole portfolio kept

Mutation i of seed s is drawn from random.Random(f"{s}:{i}"), so any case can be run again
alone. Each failing case is written to OUT/cases/<i>/: report.txt (the mutations, every problem
with its traceback, and the command that runs it again) and the mutated files; OUT/summary.txt
and OUT/summary.json group the failures by kind, exception and pfm source line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cli import run_commands
from .execute import STEP_SECONDS, Problem, Run, analyse
from .mutations import RandomChooser, Source, corpus, draw_case

RECYCLE = 200  # cases per worker process before a fresh one takes over (memory, leaked state)
SHOWN_PER_CLASS = 3
IDLE = -1


@dataclass(frozen=True)
class Options:
    seed: int
    cli_share: float  # of the cases also run through the CLI
    chart_share: float  # of the cases whose board pack is drawn with its charts (seconds each)
    deadline: float  # per step, in the worker; ten times that per case, by the watchdog
    out: Path
    keep: bool = False  # keep each case's whole portfolio, not only the mutated files


@dataclass
class Outcome:
    index: int
    description: str
    valid: bool = False
    cli: bool = False
    steps: int = 0
    refused: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)


def run_case(index: int, options: Options, sources: Sequence[Source]) -> Outcome:
    """Mutation `index`: drawn, written to a temporary folder, analysed and, for a share, run through the CLI."""
    chooser = RandomChooser(f"{options.seed}:{index}")
    case = draw_case(chooser, sources)
    cli = chooser.random.random() < options.cli_share
    charts = chooser.random.random() < options.chart_share
    started = time.perf_counter()
    outcome = Outcome(index, case.describe(), cli=cli)
    with tempfile.TemporaryDirectory(prefix="pfm-fuzz-") as tmp:
        root = case.mutant.write(Path(tmp))
        run = Run(options.deadline)
        outcome.valid = analyse(run, root, charts)
        if cli:
            first = min(case.mutant.source.ids, default=None)
            pack = Path(tmp) / "pack" if charts else None
            run_commands(run, root, case.format, first, valid=outcome.valid, pack_folder=pack)
        outcome.steps, outcome.refused, outcome.problems = run.steps, run.refused, run.problems
        outcome.seconds = time.perf_counter() - started
        if outcome.problems or options.keep:
            _save(options, outcome, root, list(case.mutant.files))
    return outcome


def _save(options: Options, outcome: Outcome, root: Path, mutated: list[str]) -> None:
    folder = options.out / "cases" / str(outcome.index)
    folder.mkdir(parents=True, exist_ok=True)
    again = f"python -m tests.fuzz.run --seed {options.seed} --only {outcome.index}"
    parts = [outcome.description, f"again: {again}", ""]
    parts += [f"{p.headline()}\n{p.detail}\n" for p in outcome.problems]
    (folder / "report.txt").write_text("\n".join(parts), encoding="utf-8")
    for file in mutated:
        target = folder / "mutated" / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / file, target)
    if options.keep:
        shutil.copytree(root, folder / "portfolio", dirs_exist_ok=True)


def _work(
    slot: int, indices: Sequence[int], claims: Any, current: Any, started: Any, results: Any, options: Options
) -> None:
    """In a worker: claim cases one at a time until none are left or it is time for a fresh process."""
    sources = corpus()
    for _ in range(RECYCLE):
        with claims.get_lock():
            n = claims.value
            claims.value = n + 1
        if n >= len(indices):
            return
        current[slot], started[slot] = indices[n], time.time()
        results.put(run_case(indices[n], options, sources))
        current[slot] = IDLE


class Pool:
    """Worker processes that claim cases from a shared counter; a case that outlives its time is killed."""

    def __init__(self, indices: Sequence[int], workers: int, options: Options) -> None:
        context = multiprocessing.get_context("fork")
        self.context, self.indices, self.options = context, indices, options
        self.claims = context.Value("l", 0)
        self.current = context.Array("l", [IDLE] * workers)
        self.started = context.Array("d", [0.0] * workers)
        self.results = context.Queue()
        self.processes: list[Any] = [None] * workers

    def outcomes(self) -> Any:
        """Each case's Outcome as it is done, in no particular order."""
        done = 0
        while done < len(self.indices):
            self._tend()
            try:
                outcome = self.results.get(timeout=0.5)
            except Exception:  # queue.Empty: nothing finished in the last half second
                continue
            done += 1
            yield outcome

    def _tend(self) -> None:
        for slot, process in enumerate(self.processes):
            if process is not None and process.is_alive():
                if self.current[slot] != IDLE and time.time() - self.started[slot] > 10 * self.options.deadline:
                    process.kill()
                    process.join()
                    self._lost(slot, "hang", "killed by the watchdog")
                continue
            if process is not None:
                process.join()
                if self.current[slot] != IDLE:
                    self._lost(slot, "crash", f"the worker died with exit code {process.exitcode}")
            if self.claims.value < len(self.indices):
                self.processes[slot] = self.context.Process(
                    target=_work,
                    args=(slot, self.indices, self.claims, self.current, self.started, self.results, self.options),
                    daemon=True,
                )
                self.processes[slot].start()

    def _lost(self, slot: int, kind: str, why: str) -> None:
        index = self.current[slot]
        self.current[slot] = IDLE
        description = draw_case(RandomChooser(f"{self.options.seed}:{index}"), corpus()).describe()
        self.results.put(Outcome(index, description, problems=[Problem(kind, "the whole case", why, "", "")]))


@dataclass
class Tally:
    mutations: int = 0
    valid: int = 0
    cli: int = 0
    steps: int = 0
    refused: int = 0
    failing: int = 0
    classes: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    by_kind: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.mutations += 1
        self.valid += outcome.valid
        self.cli += outcome.cli
        self.steps += outcome.steps
        self.refused += outcome.refused
        self.failing += bool(outcome.problems)
        for key in dict.fromkeys(p.key for p in outcome.problems):  # a class once per case
            self.classes[key] += 1
            self.by_kind[key[0]] += 1
            shown = self.examples.setdefault(key, [])
            if len(shown) < SHOWN_PER_CLASS:
                step = next(p.step for p in outcome.problems if p.key == key)
                shown.append(f"case {outcome.index}: {outcome.description} [during {step}]")

    def text(self, seconds: float) -> str:
        lines = [
            f"mutations: {self.mutations} in {seconds:.0f} s ({self.mutations / max(seconds, 1e-9):.1f}/s)",
            f"valid after mutation (every analysis run): {self.valid}; also through the CLI: {self.cli}",
            f"steps run: {self.steps}, of which refused with a PfmError: {self.refused}",
            f"failing cases: {self.failing}; hangs: {self.by_kind['hang']}; "
            f"unverified selections: {self.by_kind['unverified selection']}",
            f"distinct failure classes: {len(self.classes)}",
            "",
        ]
        for (kind, error, where), count in self.classes.most_common():
            lines.append(f"{count:6d}  {kind}: {error} at {where or '-'}")
            lines += [f"          {example}" for example in self.examples[(kind, error, where)]]
        return "\n".join(lines) + "\n"


def _progress(tally: Tally, total: int, began: float) -> None:
    elapsed = time.perf_counter() - began
    rate = tally.mutations / max(elapsed, 1e-9)
    left = (total - tally.mutations) / rate if rate else 0.0
    sys.stderr.write(
        f"\r[{tally.mutations:6d}/{total}] {rate:5.1f}/s  valid {tally.valid}  failing {tally.failing}  "
        f"classes {len(tally.classes)}  {elapsed:5.0f} s, about {left:4.0f} s left "
    )
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=int, default=1000, help="how many mutated portfolios")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", type=int, nargs="+", help="run these cases alone, in this process, kept whole")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--cli-share", type=float, default=0.2, help="share of cases also run through the CLI")
    parser.add_argument("--chart-share", type=float, default=0.03, help="share of packs drawn with their charts")
    parser.add_argument("--deadline", type=float, default=STEP_SECONDS, help="seconds per step")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args(argv)
    options = Options(args.seed, args.cli_share, args.chart_share, args.deadline, args.out, keep=bool(args.only))
    if args.out.exists() and not args.only:
        shutil.rmtree(args.out)
    if args.only:
        for outcome in (run_case(index, options, corpus()) for index in args.only):
            print(outcome.description, f"valid={outcome.valid}", f"steps={outcome.steps}")
            print("\n".join(f"{p.headline()}\n{p.detail}" for p in outcome.problems) or "no problem")
            print(f"kept in {options.out / 'cases' / str(outcome.index)}")
        return 0
    tally, began, shown = Tally(), time.perf_counter(), 0.0
    for outcome in Pool(range(args.mutations), args.workers, options).outcomes():
        tally.add(outcome)
        if time.perf_counter() - shown > 2:
            _progress(tally, args.mutations, began)
            shown = time.perf_counter()
    _progress(tally, args.mutations, began)
    text = tally.text(time.perf_counter() - began)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.txt").write_text(text, encoding="utf-8")
    classes = [
        {"kind": k, "error": e, "location": w, "cases": n, "examples": tally.examples[(k, e, w)]}
        for (k, e, w), n in tally.classes.most_common()
    ]
    (args.out / "summary.json").write_text(json.dumps(classes, indent=2) + "\n", encoding="utf-8")
    sys.stderr.write("\n")
    print(text + f"failing cases written to {args.out / 'cases'}")
    return 1 if tally.failing else 0


if __name__ == "__main__":
    sys.exit(main())
