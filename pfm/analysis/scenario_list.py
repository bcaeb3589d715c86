"""The portfolio's scenarios and what each changes, in a few words: what `pfm scenario list` prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pfm.model import Portfolio, Scenario
from pfm.results import Result
from pfm.wording import counted


@dataclass(frozen=True, slots=True)
class ScenarioSummary:
    """A scenario and a summary of its changes ("budget x0.85; weights; 2 items changed")."""

    id: str
    title: str
    changes: str


@dataclass(frozen=True, slots=True)
class ScenarioList(Result):
    """The portfolio's scenarios, by id."""

    scenarios: tuple[ScenarioSummary, ...]

    def to_dict(self) -> dict[str, Any]:
        """What `pfm scenario list -f json` prints."""
        return {"scenarios": self.records()}

    def records(self) -> list[dict[str, Any]]:
        """One row per scenario: its id, title and changes."""
        return [{"id": s.id, "title": s.title, "changes": s.changes} for s in self.scenarios]


def scenarios(portfolio: Portfolio) -> ScenarioList:
    """Every usable scenario of `portfolio`, by id, with what it changes."""
    ordered = sorted(portfolio.scenarios.values(), key=lambda s: s.id)
    return ScenarioList(tuple(ScenarioSummary(s.id, s.title, changes(s)) for s in ordered))


def changes(scenario: Scenario) -> str:
    """What `scenario` changes, in a few words; "nothing" when it changes nothing."""
    parts = []
    if scenario.budget_scale is not None:
        parts.append(f"budget x{scenario.budget_scale:g}")
    if scenario.budget:
        parts.append("budget for " + ", ".join(str(year) for year in sorted(scenario.budget)))
    if scenario.weights:
        parts.append("weights")
    if scenario.capacity:
        parts.append("capacity of " + ", ".join(sorted(scenario.capacity)))
    if scenario.items:
        parts.append(f"{counted(len(scenario.items), 'item')} changed")
    if scenario.force_in:
        parts.append("forces in " + ", ".join(scenario.force_in))
    if scenario.force_out:
        parts.append("forces out " + ", ".join(scenario.force_out))
    return "; ".join(parts) or "nothing"
