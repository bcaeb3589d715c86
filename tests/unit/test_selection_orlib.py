"""Selection against the multidimensional knapsack instances of OR-Library with published optima.

Source: J. E. Beasley, OR-Library, file `mknap1.txt` (data/mknap1.txt here): the seven 0-1
multidimensional knapsack problems of C. C. Petersen, "Computational experience with variants of
the Balas algorithm applied to the selection of R&D projects", Management Science 13 (1967), with
their optimal values. Each instance becomes a portfolio on disk: an item per project (its profit
is the value), the first half of the constraints budget years (the item's capex in that year),
the rest teams (the item's demand in 2027-Q1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pfm import load_portfolio
from pfm.selection.greedy import greedy_portfolio
from pfm.selection.optimise import select_portfolio

DATA = Path(__file__).parent / "data" / "mknap1.txt"


@dataclass(frozen=True)
class Instance:
    profits: list[float]
    weights: list[list[float]]  # one row per constraint
    capacities: list[float]
    optimum: float


def instances() -> list[Instance]:
    numbers = [float(token) for token in DATA.read_text(encoding="ascii").split()]
    count, position = int(numbers[0]), 1
    found = []
    for _ in range(count):
        n, m, optimum = int(numbers[position]), int(numbers[position + 1]), numbers[position + 2]
        position += 3
        profits = numbers[position : position + n]
        position += n
        weights = [numbers[position + row * n : position + (row + 1) * n] for row in range(m)]
        position += m * n
        capacities = numbers[position : position + m]
        position += m
        found.append(Instance(profits, weights, capacities, optimum))
    return found


def write_portfolio(instance: Instance, root: Path) -> dict[str, float]:
    """The instance as portfolio files under `root`; returns each item's value."""
    years = len(instance.capacities) // 2
    teams = range(years, len(instance.capacities))
    budget = "".join(f"  {2027 + j}: {{capex: {instance.capacities[j]:g}}}\n" for j in range(years))
    (root / "portfolio.yaml").write_text(
        "apiVersion: pfm/v1\nkind: Portfolio\nid: orlib\nname: OR-Library instance\ncurrency: GBP\n"
        "periods: {first: 2027-Q1, last: 2027-Q4}\n"
        "stages: [{id: proposed, state: proposed}]\n"
        f"budget:\n{budget}",
        encoding="utf-8",
    )
    for j in teams:
        (root / f"t{j}.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: Team\nid: t{j}\ntitle: Team {j}\n"
            f"capacity: {{2027-Q1: {instance.capacities[j]:g}}}\n",
            encoding="utf-8",
        )
    values = {}
    for i, profit in enumerate(instance.profits):
        ident = f"p{i:02d}"
        demand = ", ".join(f"t{j}: {{2027-Q1: {instance.weights[j][i]:g}}}" for j in teams)
        (root / f"{ident}.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: Project {i}\ntype: project\n"
            f"stage: proposed\ndemand: {{{demand}}}\n",
            encoding="utf-8",
        )
        costs = ", ".join(f"{{year: {2027 + j}, capex: {instance.weights[j][i]:g}}}" for j in range(years))
        (root / f"{ident}-case.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: BusinessCase\nid: {ident}-case\nitem: {ident}\ncosts: [{costs}]\n",
            encoding="utf-8",
        )
        values[ident] = profit
    return values


@pytest.mark.parametrize("number", range(1, 8))
def test_petersen_instances_reach_their_published_optimum(number: int, tmp_path: Path) -> None:
    instance = instances()[number - 1]
    values = write_portfolio(instance, tmp_path)
    portfolio = load_portfolio(tmp_path)
    best = select_portfolio(portfolio, values, entry_prices=0, gap=0.0)
    assert best.status == "optimal"
    assert best.value == pytest.approx(instance.optimum, abs=1e-6)
    for row, capacity in zip(instance.weights, instance.capacities, strict=True):
        used = sum(row[int(ident[1:])] for ident in best.selected)
        assert used <= capacity
    greedy = greedy_portfolio(portfolio, values)
    assert greedy.value <= best.value + 1e-6
