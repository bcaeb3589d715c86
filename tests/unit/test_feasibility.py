"""Selections checked against their constraints, figures the solver cannot take, and what-ifs refused."""

from __future__ import annotations

import math

import pytest

from pfm.errors import SolverError, Unrepresentable, UsageError
from pfm.selection.feasibility import BudgetLimit, CapacityLimit, Row, breaches
from pfm.selection.greedy import greedy_portfolio
from pfm.selection.milp import BinaryProgram, OutOfRangeError
from pfm.selection.optimise import select_portfolio
from pfm.selection.program import Terms
from tests.helpers import costed, knapsack, with_budget

FREE = ([0.0, 0.0], [1.0, 1.0])


def test_a_row_may_be_overrun_by_a_millionth_of_its_limit_and_no_more() -> None:
    budget = Row(BudgetLimit(2027, "capex"), 20_000_000.0, {0: 10_000_000.0, 1: 10_000_010.0})
    assert breaches([budget], [True, True], FREE, ["a", "b"]) == []  # 10 over 20 million
    over = Row(BudgetLimit(2027, "capex"), 20_000_000.0, {0: 10_000_000.0, 1: 10_000_030.0})
    assert breaches([over], [True, True], FREE, ["a", "b"]) == [
        "budget 2027 capex (20,000,030 against a limit of 20,000,000)"
    ]
    assert breaches([over], [True, True], FREE, ["a", "b"], [math.inf]) == []  # relaxed


def test_any_item_breaks_a_limit_of_zero_however_small_its_entry() -> None:
    quarter = Row(CapacityLimit("app", "2027-Q1"), 0.0, {0: 1e-12, 1: 1e15})
    assert breaches([quarter], [True, False], FREE, ["a", "b"]) == ["team app in 2027-Q1 (1e-12 against a limit of 0)"]


def test_bounds_are_checked_and_worded_with_the_items_names() -> None:
    assert breaches([], [False, True], ([1.0, 0.0], [1.0, 0.0]), ["a", "b"]) == [
        "a is committed but left out",
        "b is ruled out but selected",
    ]


def test_a_solver_answer_that_breaks_a_row_is_never_returned() -> None:
    program = BinaryProgram([2.0, 1.0], [Row(BudgetLimit(2027, "capex"), 1.0, {0: 1.0, 1: 1.0})], 0.0, "ab")
    program._highs.changeCoeff(0, 0, 0.0)  # the model HiGHS holds no longer says what the rows say
    with pytest.raises(SolverError, match=r"breaks budget 2027 capex \(2 against a limit of 1\)"):
        program.solve(*FREE)


def test_a_call_the_solver_refuses_is_an_error() -> None:
    with pytest.raises(SolverError, match="mip_rel_gap"):
        BinaryProgram([1.0], [], -1.0)


def test_figures_far_beyond_their_limits_are_optimised_faithfully() -> None:
    portfolio, values = knapsack([5.0, 4.0, 3.0, 2.0], [1e15, 6.0, 3.0, 1e-9], 10.0)
    chosen = select_portfolio(portfolio, values)
    assert (chosen.status, chosen.selected) == ("optimal", ("i01", "i02", "i03"))


def test_a_figure_the_solver_cannot_weigh_is_refused_naming_it() -> None:
    portfolio, values = knapsack([5.0, 4.0], [1e300, 6.0], 10.0)
    with pytest.raises(Unrepresentable, match=r"^doc2\.yaml: i00: its capex in 2027 \(1e\+300\) is 1e\+15 or more"):
        select_portfolio(portfolio, values)
    with pytest.raises(OutOfRangeError):
        BinaryProgram([1.0, 1.0], [Row(CapacityLimit("app", "2027-Q1"), 0.0, {0: 1e-3, 1: 1e13})], 0.0)


def test_a_value_that_is_not_finite_is_refused_naming_the_item() -> None:
    portfolio, _ = knapsack([1.0, 1.0], [1.0, 2.0], 10.0)
    with pytest.raises(Unrepresentable, match=r"^doc1\.yaml: i00: its value by value is nan, not a finite number$"):
        select_portfolio(portfolio, {"i00": math.nan, "i01": 1.0})


@pytest.mark.parametrize("scale", [math.nan, math.inf, -0.5])
def test_a_budget_scale_that_is_not_a_finite_number_of_at_least_zero_is_refused(scale: float) -> None:
    portfolio, values = knapsack([1.0], [1.0], 10.0)
    with pytest.raises(UsageError, match="budget scale"):
        select_portfolio(portfolio, values, Terms(budget_scale=scale))


@pytest.mark.parametrize(("stage", "state"), [("done", "closed"), ("stopped", "cancelled")])
def test_forcing_in_a_closed_or_cancelled_item_is_refused(stage: str, state: str) -> None:
    portfolio = with_budget("{2027: {capex: 10}}", *costed("a", costs="[{year: 2027, capex: 1}]"), *costed("z", stage))
    for choose in (select_portfolio, greedy_portfolio):
        with pytest.raises(UsageError, match=f"^--force-in z: the item is {state} \\(stage '{stage}'\\)"):
            choose(portfolio, {"a": 1.0, "z": 5.0}, Terms(force_in=("z",)))


def test_greedy_never_reports_a_selection_that_keeps_a_forced_out_commitment() -> None:
    portfolio = with_budget("{2027: {capex: 10}}", *costed("a", mandatory="true", costs="[{year: 2027, capex: 1}]"))
    chosen = greedy_portfolio(portfolio, {"a": 1.0}, Terms(force_out=("a",)))
    assert chosen.status == "infeasible"
