"""Scores by every method, on portfolios built in the test."""

from __future__ import annotations

import pytest

from pfm import load_portfolio
from pfm.analysis.scoring import score
from pfm.errors import UsageError
from tests.helpers import PORTFOLIO, WriteTree, item

WITH_FORMULA = PORTFOLIO.replace(
    "stages:", '  formula: "2 * value - risk + npv / 1000"\nfinance: {discount_rate: 0.1, base_year: 2027}\nstages:'
)


def test_weighted_score_maps_each_scale_onto_0_100_and_reverses_lower_is_better(write_tree: WriteTree) -> None:
    # value 5 on 1..5 is 1.0 of weight 2/3; risk 2 on 1..5 with lower better is (1 - 0.25) of weight 1/3.
    root = write_tree(
        {"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a").replace("{value: 3, risk: 2}", "{value: 5, risk: 2}")}
    )
    [entry] = score(load_portfolio(root)).items
    assert entry.score == pytest.approx(100 * (2 / 3 * 1.0 + 1 / 3 * 0.75))
    assert entry.contributions == {"value": pytest.approx(200 / 3), "risk": pytest.approx(25.0)}


def test_a_missing_score_counts_as_the_worst_and_is_named(write_tree: WriteTree) -> None:
    root = write_tree(
        {"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a").replace("{value: 3, risk: 2}", "{value: 3}")}
    )
    [entry] = score(load_portfolio(root)).items
    assert entry.missing == ("risk",)
    assert entry.score == pytest.approx(100 * 2 / 3 * 0.5)


def test_wsjf_is_cost_of_delay_over_job_size(write_tree: WriteTree) -> None:
    # SAFe's definition: WSJF = (user-business value + time criticality + RR|OE) / job size; 8 + 5 + 3 over 8 is 2.
    extra = "wsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 8}\n"
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", extra), "items/b.yaml": item("b")})
    result = {s.id: s for s in score(load_portfolio(root), "wsjf").items}
    assert result["a"].score == 2.0
    assert result["b"].score is None
    assert result["b"].missing == ("wsjf",)


def test_rice_is_reach_times_impact_times_confidence_over_effort(write_tree: WriteTree) -> None:
    # Intercom's published example: reach 500, impact 2, confidence 80 %, effort 2 person-months -> 400.
    extra = "rice: {reach: 500, impact: 2, confidence: 0.8, effort: 2}\n"
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", extra)})
    [entry] = score(load_portfolio(root), "rice").items
    assert entry.score == pytest.approx(400.0)


def test_npv_comes_from_the_business_case(write_tree: WriteTree) -> None:
    case = "apiVersion: pfm/v1\nkind: BusinessCase\nid: a-case\nitem: a\ncosts: [{year: 2027, capex: 1000}]\nbenefits: [{year: 2028, amount: 1100}]\n"
    files = {"portfolio.yaml": WITH_FORMULA, "items/a.yaml": item("a"), "business-cases/a-case.yaml": case}
    [entry] = score(load_portfolio(write_tree(files)), "npv").items
    assert entry.score == pytest.approx(-1000 + 1100 / 1.1)


def test_the_portfolio_formula_is_evaluated_over_criteria_and_finance(write_tree: WriteTree) -> None:
    case = "apiVersion: pfm/v1\nkind: BusinessCase\nid: a-case\nitem: a\ncosts: [{year: 2027, capex: 1000}]\nbenefits: [{year: 2028, amount: 2200}]\n"
    files = {
        "portfolio.yaml": WITH_FORMULA,
        "items/a.yaml": item("a"),
        "items/b.yaml": item("b"),
        "business-cases/a-case.yaml": case,
    }
    result = {s.id: s for s in score(load_portfolio(write_tree(files)), "formula").items}
    assert result["a"].score == pytest.approx(2 * 3 - 2 + 1.0)  # npv = -1000 + 2200 / 1.1 = 1000
    assert result["b"].score is None  # no business case, so no npv
    assert result["b"].missing == ("npv",)


def test_the_formula_method_needs_a_formula(write_tree: WriteTree) -> None:
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a")})
    with pytest.raises(UsageError, match="no scoring formula"):
        score(load_portfolio(root), "formula")
