"""Portfolio selection: the 0-1 MILP against hand-checked and published optima, and its constraints."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pfm import load_portfolio
from pfm.analysis.scoring import score
from pfm.model import Portfolio
from pfm.selection.explain import Selection
from pfm.selection.feasibility import CapacityLimit, Row
from pfm.selection.frontier import frontier_of as frontier
from pfm.selection.greedy import greedy_portfolio
from pfm.selection.milp import BinaryProgram
from pfm.selection.optimise import select_portfolio
from pfm.selection.program import Terms
from tests.fuzz.constraints import selection_problems
from tests.helpers import EXAMPLE, costed, knapsack, team, with_budget

TOL = 1e-6


def broken(portfolio: Portfolio, selection: Selection) -> list[str]:
    """Every constraint the selection breaks, by the suite's own checker (not the library's)."""
    return selection_problems(portfolio, selection.selected, commit_in_flight=False)


def test_a_small_knapsack_where_greedy_falls_short() -> None:
    # a: 10 for 5, b: 6 for 4, c: 6 for 4, budget 8. Greedy takes a (best ratio, 2.0) and then nothing
    # fits: 10. The optimum is b + c = 12.
    portfolio, values = knapsack([10, 6, 6], [5, 4, 4], 8)
    best = select_portfolio(portfolio, values)
    assert (best.status, best.value, best.selected) == ("optimal", 12, ("i01", "i02"))
    assert best.budget == {2027: {"capex": (8, 8)}}
    [left] = best.not_selected
    # a needs 5 where 8 - 8 = 0 is left: short by 5; forcing it in leaves room for nothing else: 12 - 10
    assert (left.id, left.reasons, left.entry_price) == ("i00", ("budget 2027 capex (short by 5)",), 2)
    greedy = greedy_portfolio(portfolio, values)
    assert (greedy.status, greedy.value, greedy.selected) == ("greedy", 10, ("i00",))


def test_burkardt_knapsack_01_p01() -> None:
    # John Burkardt, KNAPSACK_01 data set P01 (after Kreher & Stinson): capacity 165, optimum 309
    # from items 1, 2, 3, 4 and 6 (one-based).
    values = [92, 57, 49, 68, 60, 43, 67, 84, 87, 72]
    weights = [23, 31, 29, 44, 53, 38, 63, 85, 89, 82]
    portfolio, scores = knapsack(values, weights, 165)
    best = select_portfolio(portfolio, scores)
    assert (best.status, best.value) == ("optimal", 309)
    assert best.selected == ("i00", "i01", "i02", "i03", "i05")
    assert best.gap is not None and best.gap <= 1e-4
    assert greedy_portfolio(portfolio, scores).value <= 309


def test_dependencies_and_exclusions_are_honoured() -> None:
    portfolio = with_budget(
        "{2027: {capex: 10}}",
        *costed("base", costs="[{year: 2027, capex: 6}]"),
        *costed("app", costs="[{year: 2027, capex: 1}]", depends_on="[base]"),
        *costed("cheap", costs="[{year: 2027, capex: 4}]"),
        *costed("rival", costs="[{year: 2027, capex: 1}]", excludes="[app]"),
        *costed("orphan", depends_on="[gone]"),
        *costed("after", depends_on="[finished]"),
        *costed("finished", stage="done"),
        *costed("gone", stage="stopped"),
    )
    values = {"base": 1, "app": 20, "cheap": 5, "rival": 3, "orphan": 50, "after": 2}
    best = select_portfolio(portfolio, values)
    assert best.selected == ("after", "app", "base")  # app needs base (6 + 1), so cheap (4) cannot follow
    reasons = {e.id: e.reasons for e in best.not_selected}
    assert reasons["rival"] == ("excludes app, which is selected",)
    assert reasons["orphan"] == ("depends on gone, which is not selected",)
    assert reasons["cheap"] == ("budget 2027 capex (short by 1)",)  # 6 + 1 + 4 against 10
    assert {e.id: e.entry_price for e in best.not_selected}["orphan"] is None
    assert broken(portfolio, best) == []


def test_commitments_force_items_in_and_their_cost_is_reported() -> None:
    portfolio = with_budget(
        "{2027: {capex: 10}}",
        *costed("must", costs="[{year: 2027, capex: 6}]", mandatory="true"),
        *costed("running", stage="delivery", costs="[{year: 2027, capex: 2}]"),
        *costed("best", costs="[{year: 2027, capex: 8}]"),
        *costed("small", costs="[{year: 2027, capex: 2}]"),
    )
    values = {"must": 1, "running": 1, "best": 30, "small": 4}
    chosen = select_portfolio(portfolio, values)
    assert chosen.selected == ("must", "running", "small")
    # Without the mandate (running stays: it is in flight, not mandated): running + best = 31, against 6.
    assert chosen.mandate_cost == 31 - 6
    free = select_portfolio(portfolio, values, Terms(["running", "best", "small"], commit_in_flight=False))
    assert free.selected == ("best", "small")
    out = select_portfolio(portfolio, values, Terms(["running", "best", "small"], force_out=["small"]))
    assert out.selected == ("best", "running")
    assert {e.id: e.reasons for e in out.not_selected}["small"][0] == "forced out"
    clash = select_portfolio(portfolio, values, Terms(force_out=["must"]))
    assert (clash.status, clash.conflicts) == (
        "infeasible",
        ("must is committed (mandatory, forced in or in flight) but forced out",),
    )


def test_commitments_that_cannot_fit_are_named() -> None:
    portfolio = with_budget(
        "{2027: {capex: 10}}",
        team("ops", "1"),
        *costed("a", costs="[{year: 2027, capex: 6}]", mandatory="true"),
        *costed("b", costs="[{year: 2027, capex: 6}]", mandatory="true"),
        *costed("c", start="2027-Q1", duration="1", demand="{ops: 2}"),
    )
    chosen = select_portfolio(portfolio, {"a": 1, "b": 1, "c": 1})
    assert (chosen.status, chosen.value, chosen.selected) == ("infeasible", 0, ())
    committed = "{} is committed (mandatory, forced in or in flight)"
    assert chosen.conflicts == (committed.format("a"), committed.format("b"), "budget 2027")
    # One minimal conflicting set is named: c against team ops (a, b and the budget conflict too).
    chosen = select_portfolio(portfolio, {"a": 1, "b": 1, "c": 1}, Terms(force_in=["c"]))
    assert chosen.conflicts == (committed.format("c"), "team ops")


def test_the_entry_price_is_the_value_lost_by_forcing_the_item_in() -> None:
    portfolio, values = knapsack(
        [92, 57, 49, 68, 60, 43, 67, 84, 87, 72], [23, 31, 29, 44, 53, 38, 63, 85, 89, 82], 165
    )
    best = select_portfolio(portfolio, values)
    assert len(best.not_selected) == 5
    for left in best.not_selected:
        forced = select_portfolio(portfolio, values, Terms(force_in=[left.id]), entry_prices=0)
        assert left.entry_price is not None
        assert abs(left.entry_price - (best.value - forced.value)) < TOL
        assert left.entry_price > 0


def test_the_frontier_rises_with_the_budget() -> None:
    portfolio, values = knapsack([10, 6, 6], [5, 4, 4], 8)
    curve = frontier(portfolio, values, points=3)
    assert [point.scale for point in curve.points] == [0, 0.8125, 1.625]  # everything (13) fits at 13 / 8
    assert [point.budget for point in curve.points] == [0, 6.5, 13]
    assert [point.value for point in curve.points] == [0, 10, 22]
    assert [point.cost for point in curve.points] == [0, 5, 13]  # a alone at 6.5
    assert (curve.selection.value, curve.selection.cost, curve.selection.budget) == (12, 8, 8)
    assert (curve.committed.value, curve.committed.cost, curve.committed.selected) == (0, 0, 0)


def test_the_frontier_marks_where_the_commitments_alone_do_not_fit() -> None:
    portfolio = with_budget(
        "{2027: {capex: 10}}",
        *costed("must", costs="[{year: 2027, capex: 6}]", mandatory="true"),
        *costed("more", costs="[{year: 2027, capex: 4}]"),
    )
    curve = frontier(portfolio, {"must": 1, "more": 5}, points=3)
    # After 0, the levels run from the mandatory item's own 6 (scale 0.6) to everything (10, scale 1).
    points = [(point.budget, point.value, point.cost) for point in curve.points]
    assert points == [(0, None, None), (6, 1, 6), (10, 6, 10)]
    assert (curve.committed.scale, curve.committed.cost, curve.committed.value) == (0.6, 6, 1)


@st.composite
def small_portfolios(draw: st.DrawFn) -> tuple[Portfolio, dict[str, float]]:
    count = draw(st.integers(1, 7))
    documents = [team("ops", str(draw(st.integers(0, 4)))), team("dev", "{2027-Q1: 2, 2027-Q2: 1}")]
    values = {}
    for n in range(count):
        ident = f"i{n}"
        fields = {"start": f"2027-Q{draw(st.integers(1, 4))}", "duration": str(draw(st.integers(1, 2)))}
        fields["demand"] = f"{{ops: {draw(st.integers(0, 3))}, dev: {draw(st.integers(0, 2))}}}"
        if n and draw(st.booleans()):
            fields["depends_on"] = f"[i{draw(st.integers(0, n - 1))}]"
        if n and draw(st.booleans()):
            fields["excludes"] = f"[i{draw(st.integers(0, n - 1))}]"
        costs = f"[{{year: 2027, capex: {draw(st.integers(0, 9))}, opex: {draw(st.integers(0, 5))}}}]"
        documents += costed(ident, costs=costs, **fields)
        values[ident] = draw(st.integers(0, 20))
    budget = f"{{2027: {{capex: {draw(st.integers(0, 30))}, total: {draw(st.integers(0, 40))}}}}}"
    return with_budget(budget, *documents), values


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_portfolios())
def test_the_selection_never_breaks_a_constraint(case: tuple[Portfolio, dict[str, float]]) -> None:
    portfolio, values = case
    for chosen in (select_portfolio(portfolio, values), greedy_portfolio(portfolio, values)):
        assert chosen.status in ("optimal", "greedy")
        assert broken(portfolio, chosen) == []
    assert select_portfolio(portfolio, values).value >= greedy_portfolio(portfolio, values).value - TOL


def test_the_example_portfolio() -> None:
    portfolio = load_portfolio(EXAMPLE)
    values = {s.id: s.score for s in score(portfolio).items if s.score is not None}
    chosen = select_portfolio(portfolio, values)
    assert chosen.status == "optimal"
    assert broken(portfolio, chosen) == []
    assert chosen.value >= greedy_portfolio(portfolio, values).value
    assert all(e.reasons for e in chosen.not_selected)


def test_a_search_cut_short_reports_what_it_proved() -> None:
    # A 300-item, 30-constraint random knapsack that HiGHS does not prove optimal in a fraction of a second
    # here; whatever the machine, what a stopped search reports must hold.
    rng = random.Random(1)
    n, m = 300, 30
    values = [float(rng.randint(1, 1000)) for _ in range(n)]
    rows = [
        Row(CapacityLimit(f"g{j}", "2027-Q1"), 0.25 * 500 * n, {i: float(rng.randint(1, 1000)) for i in range(n)})
        for j in range(m)
    ]
    program = BinaryProgram(values, rows, 0.0)
    for limit in (0.001, 0.3):
        result = program.solve([0.0] * n, [1.0] * n, time_limit=limit)
        assert result.status in ("time-limit", "optimal")
        if result.gap is None:  # stopped before any selection was found: none is reported
            assert (result.status, any(result.x), result.value) == ("time-limit", False, 0.0)
            continue
        assert all(sum(c for i, c in row.coefs.items() if result.x[i]) <= row.upper for row in rows)
        assert result.value == sum(v for v, chosen in zip(values, result.x, strict=True) if chosen)
        # The gap is (bound - value) / value: no selection, however long the search, beats the bound.
        longer = program.solve([0.0] * n, [1.0] * n, time_limit=2)
        assert longer.value <= result.value * (1 + result.gap) + 1e-6
