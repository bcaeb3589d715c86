"""Scenario overlays change a copy of the portfolio, never the original."""

from __future__ import annotations

import pytest

from pfm import load_portfolio
from pfm.analysis.scenarios import apply_scenario
from pfm.errors import UsageError
from pfm.methods.weights import derive_weights
from tests.helpers import PORTFOLIO, WriteTree, item

BUDGET = PORTFOLIO.replace("scoring:", "budget:\n  2027: {capex: 1000, opex: 500}\n  2028: {total: 2000}\nscoring:")
CASE = "apiVersion: pfm/v1\nkind: BusinessCase\nid: a-case\nitem: a\ncosts: [{year: 2027, capex: 100, opex: 10}]\nbenefits: [{year: 2028, amount: 300}]\n"
TEAM = "apiVersion: pfm/v1\nkind: Team\nid: t\ntitle: T\ncapacity: 4\n"
SCENARIO = """\
apiVersion: pfm/v1
kind: Scenario
id: squeeze
title: Squeeze
budget_scale: 0.5
budget: {2028: {total: 1500}}
weights: {risk: 3}
capacity: {t: 2}
items:
  a: {stage: approved, scores: {value: 5}, cost_scale: 2, benefit_scale: 0.5}
force_in: [b]
force_out: [a]
"""


@pytest.fixture
def portfolio(write_tree: WriteTree) -> object:
    files = {
        "portfolio.yaml": BUDGET,
        "items/a.yaml": item("a", "owner: PMO\n"),
        "items/b.yaml": item("b"),
        "business-cases/a-case.yaml": CASE,
        "teams/t.yaml": TEAM,
        "scenarios/squeeze.yaml": SCENARIO,
    }
    return load_portfolio(write_tree(files))


def test_every_part_of_the_overlay_applies(portfolio: object) -> None:
    changed = apply_scenario(portfolio, "squeeze")  # type: ignore[arg-type]
    assert changed.scenario == "squeeze"
    assert (changed.budget[2027].capex, changed.budget[2027].opex) == (500.0, 250.0)
    assert changed.budget[2028].total == 1500  # a year the scenario sets is taken as written
    assert dict(derive_weights(changed.scoring).weights) == pytest.approx({"value": 0.4, "risk": 0.6})  # type: ignore[arg-type]
    assert changed.teams["t"].capacity.at("2027-Q1") == 2.0
    a = changed.items["a"]
    assert (a.stage, dict(a.scores)) == ("approved", {"value": 5.0, "risk": 2.0})
    case = changed.business_cases["a-case"]
    assert (case.costs[0].capex, case.costs[0].opex, case.benefits[0].amount) == (200.0, 20.0, 150.0)
    assert (changed.forced_in, changed.forced_out) == (("b",), ("a",))


def test_the_base_portfolio_is_untouched(portfolio: object) -> None:
    apply_scenario(portfolio, "squeeze")  # type: ignore[arg-type]
    assert portfolio.items["a"].stage == "idea"  # type: ignore[attr-defined]
    assert portfolio.budget[2027].capex == 1000  # type: ignore[attr-defined]


def test_no_scenario_is_the_portfolio_itself_and_an_unknown_one_is_an_error(portfolio: object) -> None:
    assert apply_scenario(portfolio, None) is portfolio  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="did you mean 'squeeze'"):
        apply_scenario(portfolio, "squeze")  # type: ignore[arg-type]
