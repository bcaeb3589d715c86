"""RAG as explainable rules: each rule reads one named figure of an item and sets a RAG when the figure is below
or above a threshold; the worst rule that applies wins (the first written on a tie).

Conventions (docs/methods.md, "Delivery status"):

- The metrics are a fixed vocabulary (`METRICS`); a rule is data, never code.
- A figure that is not available (CPI before anything is spent, an item not measured) fires no rule.
- An item no rule applies to is green. Without `rag_rules` in portfolio.yaml, `DEFAULT_RULES` apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pfm.records import Rag, RagRule

SEVERITY: Mapping[Rag, int] = {"green": 0, "amber": 1, "red": 2}

# metric -> (its name in a reason, how its figures are written)
METRICS: Mapping[str, tuple[str, str]] = {
    "cpi": ("CPI", "{:.2f}"),
    "spi": ("SPI", "{:.2f}"),
    "spi_t": ("SPI(t)", "{:.2f}"),
    "eac_overrun_percent": ("EAC over BAC", "{:.1f} %"),
    "milestone_slip_quarters": ("milestone slip", "{:g} q"),
    "overdue_risk_exposure": ("risk past review, exposure", "{:g}"),
}

DEFAULT_RULES: tuple[RagRule, ...] = (
    RagRule("cpi", "red", below=0.8, reason="cost efficiency below 80 %"),
    RagRule("spi", "red", below=0.8, reason="less than 80 % of the planned work done"),
    RagRule("milestone_slip_quarters", "red", above=1, reason="a milestone more than a quarter late"),
    RagRule("cpi", "amber", below=0.9, reason="cost efficiency below 90 %"),
    RagRule("spi", "amber", below=0.9, reason="less than 90 % of the planned work done"),
    RagRule("milestone_slip_quarters", "amber", above=0, reason="a milestone late against its baseline"),
    RagRule("overdue_risk_exposure", "amber", above=12, reason="a high risk open past its review date"),
)


@dataclass(frozen=True, slots=True)
class Measure:
    """An item's figure for a metric, and what it was read from (a milestone, a risk), if anything."""

    value: float
    source: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that applies to an item, with the figure that set it off."""

    rule: RagRule
    value: float
    source: str = ""

    @property
    def text(self) -> str:
        """The figure against the threshold, e.g. "CPI 0.78 < 0.80"."""
        name, form = METRICS[self.rule.metric]
        sign, threshold = ("<", self.rule.below) if self.rule.below is not None else (">", self.rule.above)
        where = f" ({self.source})" if self.source else ""
        return f"{name} {form.format(self.value)} {sign} {form.format(threshold)}{where}"

    def to_dict(self) -> dict[str, Any]:
        """The rule (metric, threshold, RAG, reason), the figure, what it was read from and the text."""
        return rule_dict(self.rule) | {"value": self.value, "source": self.source or None, "text": self.text}


def rule_dict(rule: RagRule) -> dict[str, Any]:
    """A rule as JSON: metric, below or above, rag and reason."""
    bound = {"below": rule.below} if rule.below is not None else {"above": rule.above}
    return {"metric": rule.metric, **bound, "rag": rule.rag, "reason": rule.reason}


def applies(rule: RagRule, value: float) -> bool:
    """Whether `value` sets the rule off: strictly below `below`, or strictly above `above`."""
    if rule.below is not None:
        return value < rule.below
    return rule.above is not None and value > rule.above


def hits(rules: Sequence[RagRule], measures: Mapping[str, Measure | None]) -> tuple[Hit, ...]:
    """Every rule that applies, worst first (in the order written within a RAG); no figure, no hit."""
    found = [
        Hit(rule, measure.value, measure.source)
        for rule in rules
        if (measure := measures.get(rule.metric)) is not None and applies(rule, measure.value)
    ]
    return tuple(sorted(found, key=lambda hit: -SEVERITY[hit.rule.rag]))


def rag_of(found: Sequence[Hit]) -> Rag:
    """The RAG the worst rule sets; green when no rule applies."""
    return found[0].rule.rag if found else "green"
