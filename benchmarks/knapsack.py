"""Multidimensional knapsack problems written as pfm portfolios, for timing `pfm select` on hard instances.

    python benchmarks/knapsack.py [--out DIR] [--seed S]

Writes to `benchmarks/generated/knapsack/` (git-ignored):

- `mknap1-1` ... `mknap1-7`: the seven problems of OR-Library's `mknap1.txt` (J.E. Beasley, OR-Library,
  http://people.brunel.ac.uk/~mastjjb/jeb/orlib/mknapinfo.html; the file is `tests/unit/data/mknap1.txt`:
  the number of problems, then per problem n m optimum, the n values, the m constraint rows, the m
  capacities), each with its published optimum;
- `cb-5x100-25-S`, `cb-5x100-50-S`, `cb-5x100-75-S`: 100 items, 5 constraints, of the kind of OR-Library's
  `mknapcb1`-`mknapcb3` (Chu and Beasley 1998): weights w_ij integer U[0, 1000], capacity
  b_i = tightness * sum_j w_ij with tightness 0.25, 0.5 and 0.75, values
  v_j = sum_i w_ij / m + 500 q_j with q_j U(0, 1), rounded to whole numbers; seeded.

Each problem becomes a portfolio: one item per column with its value as the score of the one criterion
(`value`, also the portfolio's scoring formula, so `--objective formula` maximises exactly the published
values and the default weighted objective a multiple of them), and one business case per item whose capex in
year 2027 + i is the item's weight in constraint row i, against a budget whose capex in that year is the
row's capacity. A line of `problems.json` in the output folder gives each portfolio's published optimum.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MKNAP1 = REPO / "tests" / "unit" / "data" / "mknap1.txt"
OUT = REPO / "benchmarks" / "generated" / "knapsack"
FIRST_YEAR = 2027
TIGHTNESS = (0.25, 0.5, 0.75)


@dataclass(frozen=True, slots=True)
class Knapsack:
    name: str
    values: list[float]
    weights: list[list[float]]  # one row per constraint
    capacities: list[float]
    optimum: float | None  # published, when known


def read_orlib(path: Path = MKNAP1) -> list[Knapsack]:
    """The problems of an OR-Library mknap file: count, then per problem n m optimum, values, rows, capacities."""
    numbers = [float(word) for word in path.read_text().split()]
    count, at, problems = int(numbers[0]), 1, []
    for k in range(count):
        n, m, optimum = int(numbers[at]), int(numbers[at + 1]), numbers[at + 2]
        at += 3
        values = numbers[at : at + n]
        at += n
        weights = [numbers[at + i * n : at + (i + 1) * n] for i in range(m)]
        at += m * n
        capacities = numbers[at : at + m]
        at += m
        problems.append(Knapsack(f"{path.stem}-{k + 1}", values, weights, capacities, optimum))
    return problems


def chu_beasley(tightness: float, seed: int, n: int = 100, m: int = 5) -> Knapsack:
    """A correlated instance of Chu and Beasley's kind (their generator, with Python's random numbers)."""
    rng = random.Random(f"{seed}-{tightness}")
    weights = [[float(rng.randint(0, 1000)) for _ in range(n)] for _ in range(m)]
    capacities = [float(round(tightness * sum(row))) for row in weights]
    values = [float(round(sum(row[j] for row in weights) / m + 500 * rng.random())) for j in range(n)]
    return Knapsack(f"cb-{m}x{n}-{round(tightness * 100)}-{seed}", values, weights, capacities, None)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def write(problem: Knapsack, folder: Path) -> None:
    """The problem as a portfolio in `folder` (replaced)."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "items").mkdir(parents=True)
    (folder / "business-cases").mkdir()
    years = range(FIRST_YEAR, FIRST_YEAR + len(problem.capacities))
    top = max(problem.values) or 1.0
    budget = "\n".join(f"  {year}: {{capex: {_number(c)}}}" for year, c in zip(years, problem.capacities, strict=True))
    (folder / "portfolio.yaml").write_text(
        f"apiVersion: pfm/v1\nkind: Portfolio\nid: {problem.name}\nname: {problem.name}\ncurrency: GBP\n"
        f"periods: {{first: {FIRST_YEAR}-Q1, last: {years[-1]}-Q4}}\n"
        "stages:\n  - {id: idea, state: proposed}\n"
        f"scoring:\n  criteria:\n    - {{id: value, name: Value, scale: {{min: 0, max: {_number(top)}}}, weight: 1}}\n"
        '  formula: "value"\n'
        f"budget:\n{budget}\n"
    )
    for j, value in enumerate(problem.values):
        ident = f"item-{j + 1:03d}"
        (folder / "items" / f"{ident}.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: Item {j + 1}\ntype: project\nstage: idea\n"
            f"scores: {{value: {_number(value)}}}\n"
        )
        costs = ", ".join(
            f"{{year: {year}, capex: {_number(row[j])}}}" for year, row in zip(years, problem.weights, strict=True)
        )
        (folder / "business-cases" / f"{ident}-case.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: BusinessCase\nid: {ident}-case\nitem: {ident}\ncosts: [{costs}]\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=1998)
    args = parser.parse_args()
    problems = [*read_orlib(), *(chu_beasley(t, args.seed) for t in TIGHTNESS)]
    args.out.mkdir(parents=True, exist_ok=True)
    for problem in problems:
        write(problem, args.out / problem.name)
    (args.out / "problems.json").write_text(json.dumps({p.name: p.optimum for p in problems}, indent=1) + "\n")
    print(f"wrote {len(problems)} portfolios to {args.out}")


if __name__ == "__main__":
    main()
