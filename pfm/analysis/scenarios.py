"""Scenario overlays: a named set of changes applied to a Portfolio before any analysis.

A scenario never edits the files; it returns another immutable Portfolio.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from pfm.errors import ScenarioInvalid, UsageError
from pfm.findings import did_you_mean
from pfm.model import Budget, BusinessCase, Item, ItemChange, Portfolio, Scenario, ScoringModel
from pfm.records import BenefitLine, CostLine


def apply_scenario(portfolio: Portfolio, name: str | None) -> Portfolio:
    """The portfolio with scenario `name` applied; the portfolio itself when `name` is None."""
    if name is None:
        return portfolio
    if name in portfolio.unusable_scenarios:
        raise ScenarioInvalid(name, portfolio.unusable_scenarios[name])
    scenario = portfolio.scenarios.get(name)
    if scenario is None:
        known = ", ".join(portfolio.scenarios) or "none"
        hint = did_you_mean(name, portfolio.scenarios)
        raise UsageError(f"no scenario '{name}'" + (f"; {hint}" if hint else f" (scenarios: {known})"))
    return replace(
        portfolio,
        scenario=name,
        budget=_budget(portfolio.budget, scenario),
        scoring=_scoring(portfolio, scenario),
        items=MappingProxyType(
            {ident: _item(item, scenario.items.get(ident)) for ident, item in portfolio.items.items()}
        ),
        business_cases=MappingProxyType(
            {case.id: _case(case, scenario.items.get(case.item)) for case in portfolio.business_cases.values()}
        ),
        teams=MappingProxyType(
            {
                ident: replace(team, capacity=scenario.capacity[ident]) if ident in scenario.capacity else team
                for ident, team in portfolio.teams.items()
            }
        ),
        forced_in=tuple(sorted(set(portfolio.forced_in) | set(scenario.force_in))),
        forced_out=tuple(sorted(set(portfolio.forced_out) | set(scenario.force_out))),
    )


def _budget(budget: Mapping[int, Budget], scenario: Scenario) -> Mapping[int, Budget]:
    factor = scenario.budget_scale if scenario.budget_scale is not None else 1.0
    scaled = {
        year: Budget(*(None if figure is None else figure * factor for figure in (b.capex, b.opex, b.total)))
        for year, b in budget.items()
    }
    scaled.update(scenario.budget)  # years the scenario sets are taken as written
    return MappingProxyType(dict(sorted(scaled.items())))


def _scoring(portfolio: Portfolio, scenario: Scenario) -> ScoringModel | None:
    """Scenario weights replace the model's weights on the same scale: the weights written in
    portfolio.yaml, or for an AHP model the derived ones (which sum to 1). Criteria the
    scenario leaves out keep theirs."""
    scoring = portfolio.scoring
    if scoring is None or not scenario.weights:
        return scoring
    from pfm.methods.weights import derive_weights

    current = derive_weights(scoring).weights if scoring.pairwise else {c.id: c.weight or 0.0 for c in scoring.criteria}
    criteria = tuple(
        replace(criterion, weight=scenario.weights.get(criterion.id, current[criterion.id]))
        for criterion in scoring.criteria
    )
    if not any((criterion.weight or 0.0) > 0 for criterion in criteria):
        raise ScenarioInvalid(scenario.id, "it leaves every criterion weight at zero")
    return replace(scoring, criteria=criteria, pairwise=())


def _item(item: Item, change: ItemChange | None) -> Item:
    if change is None:
        return item
    fields: dict[str, Any] = {
        key: getattr(change, key)
        for key in ("stage", "status", "mandatory", "start", "duration")
        if getattr(change, key) is not None
    }
    if change.scores:
        fields["scores"] = MappingProxyType({**item.scores, **change.scores})
    if change.demand:
        fields["demand"] = MappingProxyType({**item.demand, **change.demand})
    return replace(item, **fields)


def _case(case: BusinessCase, change: ItemChange | None) -> BusinessCase:
    if change is None or (change.cost_scale is None and change.benefit_scale is None):
        return case
    costs = change.cost_scale if change.cost_scale is not None else 1.0
    benefits = change.benefit_scale if change.benefit_scale is not None else 1.0
    return replace(
        case,
        costs=tuple(CostLine(line.year, line.capex * costs, line.opex * costs, line.note) for line in case.costs),
        benefits=tuple(
            BenefitLine(line.year, line.amount * benefits, line.type, line.confidence, line.note)
            for line in case.benefits
        ),
    )
