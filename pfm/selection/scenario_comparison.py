"""Scenarios side by side: the best selection under each, its spend per year, and each item's robustness.

An item selected under every scenario is a safe commitment; one selected under few is a bet on
one future. The base case (no scenario) is named "base". A scenario that cannot be applied is
set aside with its reason, and the others compared without it.

Robustness is counted over the scenarios with a selection only: where nothing fits (or nothing was
found in the time limit) there is no selection, so that scenario votes neither for an item nor
against it. How many scenarios had none is said beside every count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pfm.analysis.finance import YearTotals, totals_by_year
from pfm.analysis.scenarios import apply_scenario
from pfm.analysis.scoring import score
from pfm.defaults import COMPARE_GAP, SELECT_TIME_LIMIT
from pfm.errors import ScenarioInvalid, UsageError
from pfm.findings import Finding, did_you_mean
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.parallel import Progress
from pfm.results import Result
from pfm.selection.explain import Selection
from pfm.selection.optimise import select_portfolio
from pfm.selection.program import Terms

BASE = "base"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The best selection under one scenario."""

    scenario: str
    selection: Selection
    totals: tuple[YearTotals, ...]  # spend and benefits of the selected items per year, against that budget

    def to_dict(self) -> dict[str, Any]:
        """The outcome as `pfm scenario compare -f json` lists it under "scenarios"."""
        return {
            "name": self.scenario,
            "status": self.selection.status,
            "value": self.selection.value,
            "gap": self.selection.gap,
            "selected": list(self.selection.selected),
            "conflicts": list(self.selection.conflicts),
            "totals": {
                str(t.year): {
                    "capex": t.capex,
                    "opex": t.opex,
                    "benefits": t.benefits,
                    "budget": None if t.budget is None else asdict(t.budget),
                }
                for t in self.totals
            },
        }


@dataclass(frozen=True, slots=True)
class Robustness:
    """How the scenarios with a selection agree on each candidate: the one definition that `pfm scenario
    compare` and the board pack both print. A scenario without a selection does not vote."""

    scenarios: tuple[str, ...]  # the scenarios with a selection, which vote, in the order compared
    compared: int  # every scenario compared, with a selection or without
    selected_in: Mapping[str, tuple[str, ...]]  # every candidate -> the scenarios whose selection holds it

    @property
    def feasible(self) -> int:
        """How many scenarios have a selection."""
        return len(self.scenarios)

    @property
    def infeasible(self) -> int:
        """How many scenarios have none: nothing fits, or nothing was found in the time limit."""
        return self.compared - self.feasible

    def count(self, item: str) -> int:
        """In how many of the `feasible` scenarios `item` is selected."""
        return len(self.selected_in[item])

    @property
    def order(self) -> list[str]:
        """The candidates, the most often selected first."""
        return sorted(self.selected_in, key=lambda ident: (-self.count(ident), ident))

    @property
    def always(self) -> int:
        """How many candidates every scenario with a selection selects (none when no scenario has one)."""
        return sum(1 for where in self.selected_in.values() if self.scenarios and len(where) == self.feasible)

    @property
    def never(self) -> int:
        """How many candidates no scenario selects."""
        return sum(1 for where in self.selected_in.values() if not where)

    @property
    def contested(self) -> list[tuple[str, tuple[str, ...]]]:
        """The candidates some but not all scenarios select, with those scenarios; the most often selected first."""
        return [(ident, self.selected_in[ident]) for ident in self.order if 0 < self.count(ident) < self.feasible]


@dataclass(frozen=True, slots=True)
class ScenarioComparison(Result):
    """The best selection under each scenario and each candidate's robustness: what `pfm scenario compare`
    prints."""

    objective: str
    outcomes: tuple[Outcome, ...]
    robustness: Robustness
    skipped: tuple[tuple[str, str], ...] = ()  # (scenario, why it could not be applied)
    findings: tuple[Finding, ...] = ()  # scores that are not finite numbers, under any of the scenarios
    currency: str = ""
    titles: Mapping[str, str] = field(default_factory=dict)  # each candidate's title
    commit_in_flight: bool = True  # approved and in-flight items were kept in every selection

    def to_dict(self) -> dict[str, Any]:
        """What `pfm scenario compare -f json` prints."""
        robustness = self.robustness
        return {
            "objective": self.objective,
            "scenarios": [o.to_dict() for o in self.outcomes],
            "skipped": [{"name": name, "reason": reason} for name, reason in self.skipped],
            "robustness": {
                ident: {"selected_in": list(where), "count": len(where), "of": robustness.feasible}
                for ident, where in robustness.selected_in.items()
            },
            "findings": [f.to_dict() for f in self.findings],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per candidate, the most often selected first: the scenarios selecting it, and how many of
        the scenarios with a selection that is."""
        robustness = self.robustness
        return [
            {
                "id": ident,
                "title": self.titles.get(ident, ""),
                "selected_in": ", ".join(robustness.selected_in[ident]),
                "count": robustness.count(ident),
                "of": robustness.feasible,
            }
            for ident in robustness.order
        ]


def scenario_names(portfolio: Portfolio) -> list[str]:
    """The names a comparison can take: "base", then every scenario of the portfolio (those whose files have
    errors too, so that the comparison says why they are missing)."""
    return [BASE, *sorted({*portfolio.scenarios, *portfolio.unusable_scenarios})]


def compare_scenarios(
    portfolio: Portfolio,
    names: Sequence[str] | None = None,
    *,
    objective: Method = "weighted",
    time_limit: float = SELECT_TIME_LIMIT,
    gap: float = COMPARE_GAP,
    commit_in_flight: bool = True,
    progress: Progress | None = None,
    solved: Mapping[str, Selection] | None = None,
) -> ScenarioComparison:
    """The best selection under each scenario of `names` ("base" for none; all when None), each solved afresh
    on `portfolio` as declared, except those in `solved`: selections already made under these terms, time limit and
    gap (by `select_portfolio`, with or without entry prices), which are not solved again. UsageError for a name
    that is no scenario."""
    known = scenario_names(portfolio)
    for name in names or ():
        if name not in known:
            hint = did_you_mean(name, known)
            raise UsageError(f"no scenario '{name}'" + (f"; {hint}" if hint else ""))
    chosen = names or known
    terms = Terms(commit_in_flight=commit_in_flight)
    outcomes = []
    skipped = []
    findings: set[Finding] = set()
    for done, name in enumerate(chosen, 1):
        try:
            outcome, found = _outcome(portfolio, name, objective, terms, time_limit, gap, (solved or {}).get(name))
        except ScenarioInvalid as error:
            skipped.append((name, error.reason))
        else:
            outcomes.append(outcome)
            findings.update(found)
        if progress is not None:
            progress(done, len(chosen))
    candidates = sorted(
        {ident for o in outcomes for ident in (*o.selection.selected, *(e.id for e in o.selection.not_selected))}
    )
    voters = [o for o in outcomes if o.selection.found]
    picks = [(o.scenario, frozenset(o.selection.selected)) for o in voters]
    selected_in = {ident: tuple(name for name, picked in picks if ident in picked) for ident in candidates}
    robustness = Robustness(tuple(o.scenario for o in voters), len(outcomes), selected_in)
    titles = {ident: portfolio.items[ident].title for ident in candidates}
    ordered = tuple(sorted(findings, key=Finding.sort_key))
    return ScenarioComparison(
        objective, tuple(outcomes), robustness, tuple(skipped), ordered, portfolio.currency, titles, commit_in_flight
    )


def _outcome(
    portfolio: Portfolio,
    name: str,
    objective: Method,
    terms: Terms,
    time_limit: float,
    gap: float,
    solved: Selection | None,
) -> tuple[Outcome, tuple[Finding, ...]]:
    changed = apply_scenario(portfolio, None if name == BASE else name)
    scores = score(changed, objective)
    selection = solved
    if selection is None:
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
