"""Rank items by score, deterministically, and measure how robust each position is.

Order: higher score first; equal scores (to 1e-9) put mandatory items first, then go by
id, and are reported as ties. Items without a score (missing inputs, or a score that is not
a finite number) are not ranked: a rank would place them against figures they do not have,
so they are listed apart, in id order, with why. Ranked are the items that are not
programmes and whose stage is neither closed nor cancelled, narrowed by stage and tag when
asked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from pfm.analysis.scoring import ItemScore, Scores, criterion_values, score
from pfm.defaults import SENSITIVITY_MAX_DRAWS
from pfm.errors import UsageError
from pfm.findings import Finding, did_you_mean
from pfm.methods import Method
from pfm.model import Item, Portfolio, Range
from pfm.parallel import Progress
from pfm.records import EMPTY
from pfm.results import Result

_TIE_DIGITS = 9
_TIE = 10.0**-_TIE_DIGITS
# Draws x items per batch of the sensitivity: about 50 MB of arrays, and a fifth of a second between two
# chances for Ctrl-C to act at 10,000 items.
_BATCH_CELLS = 1 << 21
_PERCENTILE_BLOCK = 256  # items whose cumulative rank counts are held at once
_LISTED = 12  # known stages or tags named in the error on an unknown one
STABILITY_TOP = 10  # the N of "stays in the top N" when no cut is asked for


@dataclass(frozen=True, slots=True)
class Ranked:
    """One item's place in a ranking."""

    rank: int
    id: str
    title: str
    score: float | None
    tie: bool = False  # shares its score with a neighbour; the documented rule ordered them


@dataclass(frozen=True, slots=True)
class Unranked:
    """An eligible item without a score, left out of the ranking, and why."""

    id: str
    title: str
    reason: str  # e.g. "no business case", or why its score is not a finite number


@dataclass(frozen=True, slots=True)
class Inversion:
    """An item ranked above an item it depends on: the board would fund it without its prerequisite."""

    id: str
    rank: int
    dependency: str
    dependency_rank: int

    @property
    def text(self) -> str:
        """The warning in words."""
        return f"{self.id} (rank {self.rank}) depends on {self.dependency}, which ranks lower ({self.dependency_rank})"


@dataclass(frozen=True, slots=True)
class Stability:
    """How an item's rank moves when the weights (and estimates) vary."""

    id: str
    rank: int
    top_probability: float  # share of draws in which the item stays in the top N
    rank_p5: float
    rank_median: float
    rank_p95: float


@dataclass(frozen=True, slots=True)
class Ranking(Result):
    """The eligible items in rank order (`pfm rank`), and their rank stability when draws were made.

    The warnings are those about the items shown: an inversion belongs to the item ranked above its
    prerequisite, so with a `top` cut those about items below it are counted (`warnings_not_shown`), not worded.
    """

    method: Method
    items: tuple[Ranked, ...]  # every eligible item with a score; `shown` is the first `top` of them
    inversions: tuple[Inversion, ...] = ()  # every one, in rank order
    unranked: tuple[Unranked, ...] = ()  # eligible items without a score, in id order
    findings: tuple[Finding, ...] = ()  # the scores' findings: items unranked for want of a finite score
    top: int | None = None  # how many items the result shows (all when None)
    draws: int = 0  # Monte Carlo draws behind `stability`
    stability: Mapping[str, Stability] = field(default_factory=lambda: EMPTY)  # item id -> how its rank moves

    @property
    def shown(self) -> tuple[Ranked, ...]:
        """The items the result shows: the first `top`, or all."""
        return self.items[: self.top] if self.top else self.items

    @property
    def warnings(self) -> tuple[str, ...]:
        """The inversions of the items shown, in words."""
        return tuple(i.text for i in self.inversions if self._shows(i.rank))

    @property
    def warnings_not_shown(self) -> int:
        """How many inversions concern items below the `top` cut."""
        return sum(not self._shows(i.rank) for i in self.inversions)

    def _shows(self, rank: int) -> bool:
        return not self.top or rank <= self.top

    @property
    def stability_top(self) -> int:
        """The N of the stability's "stays in the top N": the cut, else STABILITY_TOP."""
        return self.top or STABILITY_TOP

    def to_dict(self) -> dict[str, Any]:
        """What `pfm rank -f json` prints: the items shown, each with its stability, the warnings and findings."""
        items = []
        for entry in self.shown:
            stable = self.stability.get(entry.id)
            items.append(_entry(entry) | ({"stability": _figures(stable)} if stable else {}))
        payload: dict[str, Any] = {
            "method": self.method,
            "items": items,
            "unranked": [{"id": u.id, "title": u.title, "reason": u.reason} for u in self.unranked],
            "warnings": list(self.warnings),
            "warnings_not_shown": self.warnings_not_shown,
        }
        if self.stability:
            payload["sensitivity"] = {"draws": self.draws, "top": self.stability_top}
        return payload | {"findings": [f.to_dict() for f in self.findings]}

    def records(self) -> list[dict[str, Any]]:
        """One row per item shown: rank, id, title, score, tie, and with draws its stability (None without a score)."""
        if not self.stability:
            return [_entry(entry) for entry in self.shown]
        return [_entry(entry) | _figures(self.stability.get(entry.id)) for entry in self.shown]


def _entry(entry: Ranked) -> dict[str, Any]:
    return {"rank": entry.rank, "id": entry.id, "title": entry.title, "score": entry.score, "tie": entry.tie}


def _figures(stable: Stability | None) -> dict[str, float | None]:
    """The stability's share in the top N and rank percentiles (None each when there is none)."""
    names = ("top_probability", "rank_p5", "rank_median", "rank_p95")
    return {name: getattr(stable, name) if stable else None for name in names}


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
    *,
    top: int | None = None,
    sensitivity: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
) -> Ranking:
    """The eligible items in rank order, with ties flagged and dependency inversions warned.

    `top` cuts what the result shows (all ranked items stay in `items`); `sensitivity` draws, made from `seed`, measure
    each item's rank stability (`measure_stability`) with `top` (default STABILITY_TOP) as the N of "stays in the
    top N". A stage that the portfolio does not declare, or a tag that no item has, is a UsageError. Items
    without a score are not ranked: they are in `unranked`, with why.
    """
    if portfolio.stages:
        _check_known("stage", stages, {s.id for s in portfolio.stages})
    _check_known("tag", tags, {tag for item in portfolio.items.values() for tag in item.tags})
    if top is not None and top < 1:
        raise UsageError(f"the top cut must be at least 1, not {top}")
    scores = scores or score(portfolio, method)
    by_id = {s.id: s for s in scores.items}
    items = eligible(portfolio, stages, tags)
    unranked = tuple(Unranked(i.id, i.title, _why_unscored(by_id[i.id])) for i in items if by_id[i.id].score is None)
    ordered = sorted((i for i in items if by_id[i.id].score is not None), key=lambda i: _order_key(i, by_id[i.id]))
    values = [_scored(by_id[item.id]) for item in ordered]
    ranked = tuple(
        Ranked(position + 1, item.id, item.title, values[position], _is_tie(values, position))
        for position, item in enumerate(ordered)
    )
    ranking = Ranking(scores.method, ranked, _inversions(portfolio, ranked), unranked, scores.findings, top)
    if not sensitivity:
        return ranking
    stable = measure_stability(portfolio, ranking, sensitivity, ranking.stability_top, seed=seed, progress=progress)
    return replace(ranking, draws=sensitivity, stability=MappingProxyType({s.id: s for s in stable}))


def _check_known(what: str, asked: Collection[str], known: set[str]) -> None:
    """A UsageError naming the values of `asked` that are not in `known`, with the known ones and a hint."""
    unknown = [value for value in asked if value not in known]
    if not unknown:
        return
    hint = did_you_mean(unknown[0], known)
    names = sorted(known)
    listed = ", ".join(names[:_LISTED]) + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")
    listed = f"{what}s: {listed}" if known else f"no item has a {what}"
    raise UsageError(f"unknown {what} {', '.join(unknown)} ({listed})" + (f"; {hint}" if hint else ""))


def _scored(entry: ItemScore) -> float:
    assert entry.score is not None  # only scored items are ranked
    return entry.score


def _why_unscored(entry: ItemScore) -> str:
    return entry.invalid or (f"no {', '.join(entry.missing)}" if entry.missing else "no score")


def _order_key(item: Item, scored: ItemScore) -> tuple[float, bool, str]:
    # round(value, 9) rather than round(value / 1e-9): dividing a score above 1e299 would overflow
    return (-round(_scored(scored), _TIE_DIGITS), not item.mandatory, item.id)


def _is_tie(values: Sequence[float], position: int) -> bool:
    neighbours = [values[p] for p in (position - 1, position + 1) if 0 <= p < len(values)]
    return any(abs(other - values[position]) <= _TIE for other in neighbours)


def _inversions(portfolio: Portfolio, ranked: Sequence[Ranked]) -> tuple[Inversion, ...]:
    """Every item ranked above an item it depends on."""
    position = {entry.id: entry.rank for entry in ranked}
    return tuple(
        Inversion(entry.id, entry.rank, dependency.id, position[dependency.id])
        for entry in ranked
        for dependency in portfolio.items[entry.id].depends_on
        if dependency.id in position and position[dependency.id] > entry.rank
    )


def measure_stability(
    portfolio: Portfolio,
    ranking: Ranking,
    draws: int,
    top: int,
    spread: float = 0.25,
    seed: int = 0,
    *,
    batch: int | None = None,
    progress: Progress | None = None,
) -> list[Stability]:
    """Monte Carlo rank stability: `draws` perturbations, drawn `batch` at a time.

    Weighted method: each criterion's weight is multiplied by exp(spread x N(0, 1)) and the
    weights renormalised. NPV method: each case's costs and benefits are multiplied by a
    triangular draw between its estimates' low and high (likely = 1); cases without
    estimates keep their figures. Each batch takes the next rows of one random stream and
    only each item's count of draws at each rank is kept, so memory does not grow with
    `draws` and the same seed gives the same result whatever the batch size.
    `progress(done, draws)` is called after each batch.
    """
    if draws > SENSITIVITY_MAX_DRAWS:
        raise UsageError(f"--sensitivity takes at most {SENSITIVITY_MAX_DRAWS:,} draws, not {draws:,}")
    ranked = ranking.items
    if not ranked or draws < 1:
        return []
    items = [portfolio.items[entry.id] for entry in ranked]
    if ranking.method == "weighted":
        draw = _weight_draws(portfolio, items, spread)
    elif ranking.method == "npv":
        draw = _estimate_draws(portfolio, items)
    else:
        raise UsageError(
            "--sensitivity needs the weighted or npv method (the others have no weights or estimates to vary)"
        )
    generator = np.random.default_rng(seed)
    counts = np.zeros((len(items), len(items)), dtype=np.min_scalar_type(draws))  # [item, rank - 1]: draws
    size = batch or max(1, _BATCH_CELLS // len(items))
    for start in range(0, draws, size):
        _count_ranks(counts, draw(generator, min(size, draws - start)))
        if progress is not None:
            progress(min(start + size, draws), draws)
    top_share = counts[:, :top].sum(axis=1) / draws
    p5, median, p95 = rank_percentiles(counts, draws, (0.05, 0.5, 0.95))
    return [
        Stability(entry.id, entry.rank, float(top_share[k]), float(p5[k]), float(median[k]), float(p95[k]))
        for k, entry in enumerate(ranked)
    ]


def _count_ranks(counts: np.ndarray, scores: np.ndarray) -> None:
    """Add one to counts[item, rank - 1] for each draw (row) of `scores`."""
    # Scores equal to 1e-9 are ties, as in `rank`; items are in rank order, so a stable sort keeps the
    # documented tie rule inside every draw.
    scores /= -_TIE  # in place: the batch's largest array is not copied
    order = np.argsort(np.rint(scores, out=scores), axis=1, kind="stable")
    flat = counts.reshape(-1)
    positions = np.arange(counts.shape[1])
    for row in order * counts.shape[1] + positions:  # a row's cells are distinct: plain indexing adds once each
        flat[row] += 1


def rank_percentiles(counts: np.ndarray, draws: int, quantiles: Sequence[float]) -> np.ndarray:
    """Each item's rank at each quantile, from counts[item, rank - 1]; interpolated as numpy's default method."""
    positions = [(draws - 1) * q for q in quantiles]
    needed = sorted({min(int(p) + step, draws - 1) for p in positions for step in (0, 1)})
    result = np.empty((len(quantiles), counts.shape[0]))
    for first in range(0, counts.shape[0], _PERCENTILE_BLOCK):
        cumulative = counts[first : first + _PERCENTILE_BLOCK].cumsum(axis=1)
        # the k-th smallest rank (0-based k) is the first whose cumulative count exceeds k
        ranks = {k: (cumulative > k).argmax(axis=1) + 1.0 for k in needed}
        for row, position in enumerate(positions):
            low, high = ranks[int(position)], ranks[min(int(position) + 1, draws - 1)]
            result[row, first : first + _PERCENTILE_BLOCK] = low + (high - low) * (position - int(position))
    return result


Draw = Callable[[np.random.Generator, int], np.ndarray]  # (random stream, draws) -> scores[draw, item]


def _weight_draws(portfolio: Portfolio, items: Sequence[Item], spread: float) -> Draw:
    from pfm.methods.weights import derive_weights

    assert portfolio.scoring is not None
    ids, values, _ = criterion_values(portfolio, items)
    derived = derive_weights(portfolio.scoring).weights
    base = np.array([derived[c] for c in ids])

    def draw(generator: np.random.Generator, size: int) -> np.ndarray:
        weights = base[None, :] * np.exp(spread * generator.standard_normal((size, len(ids))))
        weights *= 100.0 / weights.sum(axis=1, keepdims=True)
        # Summed criterion by criterion rather than by a matrix product, whose rounding may depend on the
        # batch's shape: equal inputs give equal scores, in any batch.
        scores = np.zeros((size, len(items)))
        for column in range(len(ids)):
            scores += weights[:, column, None] * values[None, :, column]
        return scores

    return draw


def _estimate_draws(portfolio: Portfolio, items: Sequence[Item]) -> Draw:
    from pfm.analysis.finance import case_metrics

    benefits, costs = np.zeros(len(items)), np.zeros(len(items))
    varied: list[tuple[int, int, Range]] = []  # (0 benefits or 1 costs, item column, its low/high)
    for column, item in enumerate(items):
        case = portfolio.business_case_of(item.id)
        assert case is not None  # ranked with a score, so it has a case
        metrics = case_metrics(case, portfolio.finance)
        benefits[column], costs[column] = metrics.pv_benefits, metrics.pv_costs
        for row, estimate in enumerate((case.benefit_range, case.cost_range)):
            if estimate is not None and estimate.low < estimate.high:
                varied.append((row, column, estimate))
    rows, columns = np.array([v[0] for v in varied], dtype=int), np.array([v[1] for v in varied], dtype=int)
    low, high = np.array([v[2].low for v in varied]), np.array([v[2].high for v in varied])
    mode = np.clip(1.0, low, high)

    def draw(generator: np.random.Generator, size: int) -> np.ndarray:
        factors = np.ones((2, size, len(items)))
        factors[rows, :, columns] = _triangular(generator.random((size, len(varied))), low, mode, high).T
        scores: np.ndarray = benefits[None, :] * factors[0] - costs[None, :] * factors[1]
        return scores

    return draw


def _triangular(uniform: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Triangular draws from uniform ones by the inverse distribution function (numpy's own formula)."""
    width = high - low
    rising = low + np.sqrt(uniform * (mode - low) * width)
    falling = high - np.sqrt((1.0 - uniform) * (high - mode) * width)
    result: np.ndarray = np.where(uniform <= (mode - low) / width, rising, falling)
    return result
