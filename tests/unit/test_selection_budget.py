"""Selection within a time limit: the whole answer keeps to it, and every entry price it gives is honest (the
figure where proven, else an interval holding the true price), checked against prices solved exactly.

The instances are OR-Library's `mknap1` problems (J. E. Beasley; see test_selection_orlib), whose largest
take HiGHS longer to prove than the limits given here.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pfm import load_portfolio
from pfm.selection.milp import Settle
from pfm.selection.optimise import select_portfolio
from pfm.selection.program import build_program
from tests.helpers import knapsacks, write_knapsack_portfolio


def exact_prices(root: Path, values: dict[str, float], items: list[str]) -> dict[str, float]:
    """Each item's entry price solved to optimality (gap 0, no time limit to speak of)."""
    program = build_program(load_portfolio(root), values, gap=0.0)
    best = program.binary.solve(time_limit=120.0)
    assert best.status == "optimal"
    prices = {}
    for ident in items:
        lower = list(program.lower)
        lower[program.ids.index(ident)] = 1.0
        forced = program.binary.solve(lower, time_limit=120.0)
        assert forced.status == "optimal"
        prices[ident] = best.value - forced.value
    return prices


@pytest.mark.parametrize(("number", "seconds"), [(6, 0.2), (6, 1.0), (7, 0.5)])
def test_entry_prices_are_exact_where_proven_and_an_interval_holding_the_truth_elsewhere(
    number: int, seconds: float, tmp_path: Path
) -> None:
    values = write_knapsack_portfolio(knapsacks().read_orlib()[number - 1], tmp_path)
    began = time.perf_counter()
    selection = select_portfolio(load_portfolio(tmp_path), values, entry_prices=6, time_limit=seconds, gap=0.0)
    assert time.perf_counter() - began < seconds + 1.0  # the limit is for the whole answer
    priced = [e for e in selection.not_selected if e.price_low is not None]
    assert priced
    truth = exact_prices(tmp_path, values, [e.id for e in priced])
    for e in priced:
        assert e.price_low <= truth[e.id] + 1e-6, e
        if e.price_high is not None:
            assert truth[e.id] <= e.price_high + 1e-6, e
        if e.price_proven:
            assert e.entry_price == pytest.approx(truth[e.id], abs=1e-6)
        else:
            assert e.price_cell == f"[{e.price_low:,.2f}, {'?' if e.price_high is None else f'{e.price_high:,.2f}'}]"


def test_a_proven_answer_says_so_and_an_unproven_one_states_its_gap(tmp_path: Path) -> None:
    values = write_knapsack_portfolio(
        knapsacks().read_orlib()[6], tmp_path
    )  # 50 items: HiGHS needs about a second to prove it
    portfolio = load_portfolio(tmp_path)
    quick = select_portfolio(portfolio, values, entry_prices=0, mandate_cost=False, gap=0.0, time_limit=0.05)
    proven = select_portfolio(portfolio, values, entry_prices=0, mandate_cost=False, gap=0.0, time_limit=60.0)
    assert proven.status == "optimal" and proven.gap == 0.0
    assert proven.value == pytest.approx(16537.0)  # OR-Library's published optimum
    if quick.found:
        assert quick.value <= proven.value * (1 + 1e-9)
        assert (proven.value - quick.value) <= (quick.gap or 0.0) * quick.value + 1e-6
        assert quick.status == "optimal" or quick.gap is not None


def test_the_extras_keep_to_their_time_and_more_time_proves_more(tmp_path: Path) -> None:
    values = write_knapsack_portfolio(knapsacks().read_orlib()[5], tmp_path)  # problem 6: 40 items, 30 rows
    portfolio = load_portfolio(tmp_path)
    began = time.perf_counter()
    quick = select_portfolio(portfolio, values, entry_prices=6, time_limit=60.0, extras_time=0.1, gap=0.0)
    extras = time.perf_counter() - began - quick.seconds
    assert extras < 0.1 + 6 * 0.05 + 1.0  # every solve gets at least 0.05 s; building and wording the rest
    slow = select_portfolio(portfolio, values, entry_prices=6, time_limit=120.0, extras_time=100.0, gap=0.0)
    proven = {e.id: e.entry_price for e in slow.not_selected if e.price_low is not None and e.price_proven}
    assert len(proven) == 6
    quick_priced = [e for e in quick.not_selected if e.price_low is not None]
    assert {e.id for e in quick_priced} == set(proven)
    for e in quick_priced:  # what the quick answer says holds the proven price
        assert e.price_low <= proven[e.id] + 1e-6
        assert e.price_high is None or proven[e.id] <= e.price_high + 1e-6


def test_a_settled_solve_is_proven_within_the_looser_gap_once_it_applies(tmp_path: Path) -> None:
    values = write_knapsack_portfolio(knapsacks().read_orlib()[6], tmp_path)  # problem 7: about a second to 0
    program = build_program(load_portfolio(tmp_path), values, gap=0.0)
    settled = program.binary.solve(time_limit=60.0, settle=Settle(0.0, 0.05))
    assert settled.status == "optimal" and settled.gap is not None and 0 < settled.gap <= 0.05  # stopped early
    assert settled.bound is not None and settled.value >= settled.bound * (1 - 0.05) - 1e-6
    exact = program.binary.solve(time_limit=60.0, settle=Settle(600.0, 0.05))  # never applies: proven to 0
    assert exact.status == "optimal" and exact.gap == pytest.approx(0.0, abs=1e-9)
    assert settled.value <= exact.value + 1e-6
