"""Selection against the multidimensional knapsack instances of OR-Library with published optima.

Source: J. E. Beasley, OR-Library, file `mknap1.txt` (data/mknap1.txt here, read by benchmarks/knapsack.py): the seven 0-1
multidimensional knapsack problems of C. C. Petersen, "Computational experience with variants of
the Balas algorithm applied to the selection of R&D projects", Management Science 13 (1967), with
their optimal values. Each instance becomes a portfolio on disk: an item per project (its profit
is the value), the first half of the constraints budget years (the item's capex in that year),
the rest teams (the item's demand in 2027-Q1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pfm import load_portfolio
from pfm.selection.greedy import greedy_portfolio
from pfm.selection.optimise import select_portfolio
from tests.helpers import knapsacks, write_knapsack_portfolio


@pytest.mark.parametrize("number", range(1, 8))
def test_petersen_instances_reach_their_published_optimum(number: int, tmp_path: Path) -> None:
    instance = knapsacks().read_orlib()[number - 1]
    values = write_knapsack_portfolio(instance, tmp_path)
    portfolio = load_portfolio(tmp_path)
    best = select_portfolio(portfolio, values, entry_prices=0, gap=0.0)
    assert best.status == "optimal"
    assert best.value == pytest.approx(instance.optimum, abs=1e-6)
    for row, capacity in zip(instance.weights, instance.capacities, strict=True):
        used = sum(row[int(ident[1:])] for ident in best.selected)
        assert used <= capacity
    greedy = greedy_portfolio(portfolio, values)
    assert greedy.value <= best.value + 1e-6
