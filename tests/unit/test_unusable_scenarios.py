"""A scenario that cannot be applied is set aside, even in a portfolio built in code without validation."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from pfm.analysis.scenarios import apply_scenario
from pfm.errors import ScenarioInvalid
from pfm.model import Criterion, Scenario, ScoringModel, Source
from pfm.selection.scenario_comparison import BASE, compare_scenarios
from tests.helpers import bare_portfolio

SCORING = ScoringModel((Criterion("value", "Value", 1, 5, weight=2), Criterion("risk", "Risk", 1, 5, weight=1)))


def scenario(ident: str, **weights: float) -> Scenario:
    return Scenario(ident, ident, Source(f"scenarios/{ident}.yaml"), weights=MappingProxyType(weights))


PORTFOLIO = bare_portfolio(
    scoring=SCORING,
    scenarios=MappingProxyType({"zero": scenario("zero", value=0, risk=0), "half": scenario("half", value=1)}),
    unusable_scenarios=MappingProxyType({"broken": "scenarios/broken.yaml:4:1: unknown key 'budget_scal'"}),
)


def test_weights_that_are_all_zero_cannot_be_applied() -> None:
    with pytest.raises(ScenarioInvalid, match="scenario 'zero' cannot be applied: it leaves every criterion weight"):
        apply_scenario(PORTFOLIO, "zero")


def test_a_scenario_left_out_at_loading_names_its_finding() -> None:
    with pytest.raises(ScenarioInvalid) as raised:
        apply_scenario(PORTFOLIO, "broken")
    assert raised.value.reason == "scenarios/broken.yaml:4:1: unknown key 'budget_scal'"
    assert raised.value.exit_code == 1


def test_compare_sets_aside_what_cannot_be_applied_and_compares_the_rest() -> None:
    comparison = compare_scenarios(PORTFOLIO, [BASE, "broken", "half", "zero"])
    assert [o.scenario for o in comparison.outcomes] == [BASE, "half"]
    assert [name for name, _ in comparison.skipped] == ["broken", "zero"]
    assert comparison.skipped[1][1] == "it leaves every criterion weight at zero"
