"""Scenarios side by side: the best selection under each, its spend per year, and each item's robustness.

An item selected under every scenario is a safe commitment; one selected under few is a bet on
one future. The base case (no scenario) is named "base". A scenario that cannot be applied is
set aside with its reason, and the others compared without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pfm.analysis.finance import YearTotals, totals_by_year
from pfm.analysis.scenarios import apply_scenario
from pfm.analysis.scoring import score
from pfm.errors import ScenarioInvalid
from pfm.findings import Finding
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.parallel import Progress
from pfm.selection.optimise import DEFAULT_GAP, Selection, Terms, select_portfolio

BASE = "base"


@dataclass(frozen=True, slots=True)
class Outcome:
    scenario: str
    selection: Selection
    totals: tuple[YearTotals, ...]  # spend and benefits of the selected items per year, against that budget


@dataclass(frozen=True, slots=True)
class ScenarioComparison:
    objective: str
    outcomes: tuple[Outcome, ...]
    robustness: dict[str, tuple[str, ...]]  # item -> the scenarios whose selection holds it (every candidate)
    skipped: tuple[tuple[str, str], ...] = ()  # (scenario, why it could not be applied)
    findings: tuple[Finding, ...] = ()  # scores that are not finite numbers, under any of the scenarios

    def count(self, item: str) -> int:
        return len(self.robustness[item])


def compare_scenarios(
    portfolio: Portfolio,
    names: Sequence[str],
    *,
    objective: Method = "weighted",
    time_limit: float = 30.0,
    gap: float = DEFAULT_GAP,
    commit_in_flight: bool = True,
    progress: Progress | None = None,
) -> ScenarioComparison:
    """The best selection under each scenario of `names` ("base" for none), each solved afresh."""
    terms = Terms(commit_in_flight=commit_in_flight)
    outcomes = []
    skipped = []
    findings: set[Finding] = set()
    for done, name in enumerate(names, 1):
        try:
            outcome, found = _outcome(portfolio, name, objective, terms, time_limit, gap)
        except ScenarioInvalid as error:
            skipped.append((name, error.reason))
        else:
            outcomes.append(outcome)
            findings.update(found)
        if progress is not None:
            progress(done, len(names))
    candidates = sorted(
        {ident for o in outcomes for ident in (*o.selection.selected, *(e.id for e in o.selection.not_selected))}
    )
    robustness = {ident: tuple(o.scenario for o in outcomes if ident in o.selection.selected) for ident in candidates}
    ordered = tuple(sorted(findings, key=Finding.sort_key))
    return ScenarioComparison(objective, tuple(outcomes), robustness, tuple(skipped), ordered)


def _outcome(
    portfolio: Portfolio, name: str, objective: Method, terms: Terms, time_limit: float, gap: float
) -> tuple[Outcome, tuple[Finding, ...]]:
    changed = apply_scenario(portfolio, None if name == BASE else name)
    scores = score(changed, objective)
    selection = select_portfolio(
        changed,
        scores.values(),
        terms,
        objective=objective,
        time_limit=time_limit,
        gap=gap,
        entry_prices=0,
        mandate_cost=False,  # not compared; without the mandates a cut budget can take seconds to prove
        unscored=scores.unscored(),
    )
    totals = tuple(totals_by_year(changed, frozenset(selection.selected))) if selection.status != "infeasible" else ()
    return Outcome(name, selection, totals), scores.findings
