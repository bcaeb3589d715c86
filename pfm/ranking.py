"""Rank items by score, deterministically, and measure how robust each position is.

Order: higher score first; equal scores (to 1e-9) put mandatory items first, then go by
id, and are reported as ties. Items without a score (missing inputs) come last, in id
order. Ranked are the items that are not programmes and whose stage is neither closed
nor cancelled, narrowed by stage and tag when asked.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from pfm.errors import UsageError
from pfm.findings import Finding
from pfm.model import Item, Portfolio
from pfm.scoring import ItemScore, Method, Scores, criterion_values, score

_TIE_DIGITS = 9
_TIE = 10.0**-_TIE_DIGITS


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    id: str
    title: str
    score: float | None
    tie: bool = False  # shares its score with a neighbour; the documented rule ordered them


@dataclass(frozen=True, slots=True)
class Ranking:
    method: Method
    items: tuple[Ranked, ...]
    warnings: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()  # the scores' findings: items ranked last for want of a finite score


@dataclass(frozen=True, slots=True)
class Stability:
    """How an item's rank moves when the weights (and estimates) vary."""

    id: str
    rank: int
    top_probability: float  # share of draws in which the item stays in the top N
    rank_p5: float
    rank_median: float
    rank_p95: float


def eligible(portfolio: Portfolio, stages: Collection[str] = (), tags: Collection[str] = ()) -> list[Item]:
    """The items a ranking considers (see the module's docstring), in id order."""
    chosen = []
    for item in portfolio.items.values():
        if item.type == "programme" or portfolio.stage_state(item) in ("closed", "cancelled"):
            continue
        if stages and item.stage not in stages:
            continue
        if tags and not set(tags) & set(item.tags):
            continue
        chosen.append(item)
    return chosen


def rank(
    portfolio: Portfolio,
    method: Method = "weighted",
    stages: Collection[str] = (),
    tags: Collection[str] = (),
    scores: Scores | None = None,
) -> Ranking:
    """The eligible items in rank order, with ties flagged and dependency inversions warned."""
    scores = scores or score(portfolio, method)
    by_id = {s.id: s for s in scores.items}
    items = eligible(portfolio, stages, tags)
    ordered = sorted(items, key=lambda item: _order_key(item, by_id[item.id]))
    values = [by_id[item.id].score for item in ordered]
    ranked = tuple(
        Ranked(position + 1, item.id, item.title, values[position], _is_tie(values, position))
        for position, item in enumerate(ordered)
    )
    return Ranking(scores.method, ranked, _inversions(portfolio, ranked), scores.findings)


def _order_key(item: Item, scored: ItemScore) -> tuple[bool, float, bool, str]:
    value = scored.score
    # round(value, 9) rather than round(value / 1e-9): dividing a score above 1e299 would overflow
    return (value is None, -round(value, _TIE_DIGITS) if value is not None else 0.0, not item.mandatory, item.id)


def _is_tie(values: Sequence[float | None], position: int) -> bool:
    value = values[position]
    if value is None:
        return False
    neighbours = [values[p] for p in (position - 1, position + 1) if 0 <= p < len(values)]
    return any(other is not None and abs(other - value) <= _TIE for other in neighbours)


def _inversions(portfolio: Portfolio, ranked: Sequence[Ranked]) -> tuple[str, ...]:
    """An item ranked above an item it depends on: the board would fund it without its prerequisite."""
    position = {entry.id: entry.rank for entry in ranked}
    warnings = []
    for entry in ranked:
        for dependency in portfolio.items[entry.id].depends_on:
            if dependency.id in position and position[dependency.id] > entry.rank:
                warnings.append(
                    f"{entry.id} (rank {entry.rank}) depends on {dependency.id}, which ranks lower ({position[dependency.id]})"
                )
    return tuple(warnings)


def sensitivity(
    portfolio: Portfolio, ranking: Ranking, draws: int, top: int, spread: float = 0.25, seed: int = 0
) -> list[Stability]:
    """Monte Carlo rank stability: `draws` perturbations, all at once as arrays.

    Weighted method: each criterion's weight is multiplied by exp(spread x N(0, 1)) and the
    weights renormalised. NPV method: each case's costs and benefits are multiplied by a
    triangular draw between its estimates' low and high (likely = 1); cases without
    estimates keep their figures. Same seed, same result.
    """
    ranked = [entry for entry in ranking.items if entry.score is not None]
    if not ranked or draws < 1:
        return []
    generator = np.random.default_rng(seed)
    items = [portfolio.items[entry.id] for entry in ranked]
    if ranking.method == "weighted":
        draws_scores = _weight_draws(portfolio, items, draws, spread, generator)
    elif ranking.method == "npv":
        draws_scores = _estimate_draws(portfolio, items, draws, generator)
    else:
        raise UsageError(
            "--sensitivity needs the weighted or npv method (the others have no weights or estimates to vary)"
        )
    # Items are in rank order, so a stable sort keeps the documented tie rule inside every draw.
    order = np.argsort(-draws_scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(len(items))[None, :].repeat(draws, axis=0), axis=1)
    ranks += 1
    p5, median, p95 = np.percentile(ranks, [5, 50, 95], axis=0)
    top_share = (ranks <= top).mean(axis=0)
    return [
        Stability(entry.id, entry.rank, float(top_share[k]), float(p5[k]), float(median[k]), float(p95[k]))
        for k, entry in enumerate(ranked)
    ]


def _weight_draws(
    portfolio: Portfolio, items: Sequence[Item], draws: int, spread: float, generator: np.random.Generator
) -> np.ndarray:
    from pfm.weights import derive_weights

    assert portfolio.scoring is not None
    ids, values, _ = criterion_values(portfolio, items)
    base = np.array([derive_weights(portfolio.scoring).weights[c] for c in ids])
    weights = base[None, :] * np.exp(spread * generator.standard_normal((draws, len(ids))))
    weights /= weights.sum(axis=1, keepdims=True)
    result: np.ndarray = 100.0 * weights @ values.T
    return result


def _estimate_draws(
    portfolio: Portfolio, items: Sequence[Item], draws: int, generator: np.random.Generator
) -> np.ndarray:
    from pfm.finance import case_metrics

    benefits, costs = np.zeros(len(items)), np.zeros(len(items))
    factors = np.ones((2, draws, len(items)))
    for column, item in enumerate(items):
        case = portfolio.business_case_of(item.id)
        assert case is not None  # ranked with a score, so it has a case
        metrics = case_metrics(case, portfolio.finance)
        benefits[column], costs[column] = metrics.pv_benefits, metrics.pv_costs
        for row, spread in enumerate((case.benefit_range, case.cost_range)):
            if spread is not None and spread.low < spread.high:
                mode = min(max(1.0, spread.low), spread.high)
                factors[row, :, column] = generator.triangular(spread.low, mode, spread.high, draws)
    result: np.ndarray = benefits[None, :] * factors[0] - costs[None, :] * factors[1]
    return result
