"""How one item's score is made up (`pfm score --explain ID`): each criterion's value, scale, weight and points.

For the weighted method a line per criterion of the scoring model; for the others a line per input the method
used (WSJF's parts, RICE's inputs, NPV's present values, a formula's names), with its value only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pfm.analysis.scoring import ItemScore, Scores, score
from pfm.errors import UsageError
from pfm.findings import Finding, did_you_mean
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.results import Result


@dataclass(frozen=True, slots=True)
class Part:
    """One line of an explanation: a criterion (weighted method) or an input of the method."""

    name: str
    value: float | None  # the item's value on the criterion, or the input's value
    scale_min: float | None = None
    scale_max: float | None = None
    direction: Literal["higher", "lower"] | None = None  # which end of the scale is better
    weight: float | None = None  # the criterion's normalised weight
    points: float | None = None  # what the criterion adds to the score


@dataclass(frozen=True, slots=True)
class Explanation(Result):
    """One item's score and its parts; `findings` are those of the whole scoring, as `pfm score` lists them."""

    method: Method
    item: ItemScore
    parts: tuple[Part, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def weighted(self) -> bool:
        """Whether the parts are criteria with scales and weights (else the method's inputs)."""
        return any(part.weight is not None for part in self.parts)

    @property
    def counted_worst(self) -> tuple[str, ...]:
        """The criteria without a value, counted as the worst on their scale (none when there is no score)."""
        return self.item.missing if self.item.score is not None else ()

    def to_dict(self) -> dict[str, Any]:
        """What `pfm score --explain ID -f json` prints: the item as `pfm score` gives it, and the findings."""
        return {
            "method": self.method,
            "items": [self.item.to_dict()],
            "findings": [f.to_dict() for f in self.findings],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per criterion (name, value, scale, weight, points) or per input (name, value); the total is
        `item.score`."""
        if not self.weighted:
            return [{"input": p.name, "value": p.value} for p in self.parts]
        return [
            {
                "criterion": p.name,
                "value": p.value,
                "scale_min": p.scale_min,
                "scale_max": p.scale_max,
                "direction": p.direction,
                "weight": p.weight,
                "points": p.points,
            }
            for p in self.parts
        ]


def explain(portfolio: Portfolio, ident: str, method: Method = "weighted") -> Explanation:
    """How item `ident`'s score by `method` is made up; a UsageError naming the nearest id when there is no such item."""
    scores = score(portfolio, method)
    entry = next((s for s in scores.items if s.id == ident), None)
    if entry is None:
        hint = did_you_mean(ident, portfolio.items)
        raise UsageError(f"no item '{ident}'" + (f"; {hint}" if hint else ""))
    return Explanation(scores.method, entry, score_parts(portfolio, scores, entry), scores.findings)


def score_parts(portfolio: Portfolio, scores: Scores, entry: ItemScore) -> tuple[Part, ...]:
    """What `entry`'s score among `scores` is made of: each criterion with its scale, weight and points, or
    each input of the method."""
    if scores.weights is None or portfolio.scoring is None:
        return tuple(Part(name, value) for name, value in entry.contributions.items())
    values = portfolio.items[entry.id].scores
    return tuple(
        Part(
            c.name,
            values.get(c.id),
            c.scale_min,
            c.scale_max,
            c.direction,
            scores.weights.weights[c.id],
            entry.contributions.get(c.id),
        )
        for c in portfolio.scoring.criteria
    )
