"""Scores per item: weighted criteria, WSJF, RICE, NPV, or the portfolio's own formula.

Conventions (DESIGN.md): a weighted score maps each criterion's value linearly from its
scale onto 0..1 (reversed where lower is better), multiplies it by the criterion's
normalised weight and sums, on 0..100. WSJF = (business value + time criticality + risk
reduction) / job size. RICE = reach x impact x confidence / effort. NPV comes from the
item's business case under the portfolio's finance conventions.

Every method's result passes one check: a score (or an input or part of it) that is not a finite
number, from a division by a vanishing job size or effort, an overflow, or a formula outside its
domain, is no score at all. The item gets none, with the reason, and a `score.not-finite` finding
at its document, so that rankings and selections go on without it rather than on inf or nan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from pfm.errors import UsageError
from pfm.findings import Finding, JsonPath, Location, Problem
from pfm.methods import METHODS, Method
from pfm.methods.formula import FINANCE_NAMES
from pfm.model import Item, Portfolio, ScoringModel
from pfm.records import EMPTY
from pfm.results import Result

if TYPE_CHECKING:
    from pfm.methods.weights import CriterionWeights


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One item's score; None when the item lacks what the method needs (named in `missing`) or the
    result is not a finite number (said in `invalid`)."""

    id: str
    title: str
    score: float | None
    contributions: Mapping[str, float] = field(default_factory=lambda: EMPTY)
    missing: tuple[str, ...] = ()
    invalid: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The score as JSON: id, title, score, each part's points (or input) and what is missing."""
        return {
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "contributions": dict(self.contributions),
            "missing": list(self.missing),
        }


@dataclass(frozen=True, slots=True)
class Scores(Result):
    """Every item's score by one method (`pfm score`), in id order, with the findings of scores discarded."""

    method: Method
    items: tuple[ItemScore, ...]
    weights: CriterionWeights | None = None
    findings: tuple[Finding, ...] = ()  # score.not-finite, one per item whose score was discarded

    @property
    def ranked(self) -> list[ItemScore]:
        """The items highest score first (then by id), those without a score last."""
        return sorted(self.items, key=lambda s: (s.score is None, -(s.score or 0.0), s.id))

    @property
    def parts(self) -> list[str]:
        """What the scores are made of: the criteria, or the method's inputs in the method's own order."""
        return (
            list(self.weights.weights)
            if self.weights
            else list(dict.fromkeys(k for s in self.items for k in s.contributions))
        )

    @property
    def lacking(self) -> list[str]:
        """The items without a score for want of an input (those discarded as not finite have findings)."""
        return [s.id for s in self.ranked if s.score is None and not s.invalid]

    def to_dict(self) -> dict[str, Any]:
        """What `pfm score -f json` prints: the items highest score first, and the findings."""
        return {
            "method": self.method,
            "items": [s.to_dict() for s in self.ranked],
            "findings": [f.to_dict() for f in self.findings],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per item, highest score first: id, title, score and each part's points."""
        parts = self.parts
        return [
            {"id": s.id, "title": s.title, "score": s.score, **{p: s.contributions.get(p) for p in parts}}
            for s in self.ranked
        ]

    def values(self) -> dict[str, float]:
        """Item id -> score, for the items that have one: what selection maximises."""
        return {s.id: s.score for s in self.items if s.score is not None}

    def unscored(self) -> dict[str, str]:
        """Item id -> why its score was discarded, for the items whose score is not a finite number."""
        return {s.id: s.invalid for s in self.items if s.invalid}


def score(portfolio: Portfolio, method: Method = "weighted", weights_method: str = "eigenvector") -> Scores:
    """Every item's score by `method`, in id order; scores that are not finite numbers discarded, with findings."""
    return _finite_only(portfolio, _scores(portfolio, method, weights_method))


def _scores(portfolio: Portfolio, method: Method, weights_method: str) -> Scores:
    items = list(portfolio.items.values())
    if method == "weighted":
        return _weighted(portfolio, items, weights_method)
    if method == "formula":
        return _formula(portfolio, items)
    scorer = {"wsjf": _wsjf, "rice": _rice, "npv": _npv}.get(method)
    if scorer is None:
        raise UsageError(f"unknown scoring method '{method}' (choose one of: {', '.join(METHODS)})")
    return Scores(method, tuple(scorer(portfolio, item) for item in items))


# No real scale reaches this (RICE for every person on earth is about 1e10); below it, the sum of the
# scores of any portfolio a selection adds up stays a finite number. abs(nan) <= MAX_SCORE is False.
MAX_SCORE = 1e15

# Where each method's inputs sit in an item's document: the finding points there.
_INPUTS_AT: dict[Method, JsonPath] = {"weighted": ("scores",), "wsjf": ("wsjf",), "rice": ("rice",)}


def _finite_only(portfolio: Portfolio, scores: Scores) -> Scores:
    """`scores` with every score that is not a finite number (or rests on one) replaced by None and a finding."""
    from pfm.io.positions import resolve

    checked, problems = [], []
    for entry in scores.items:
        if _is_finite(entry):
            checked.append(entry)
            continue
        item = portfolio.items[entry.id]
        inputs = ", ".join(f"{name}={value!r}" for name, value in _inputs(scores.method, item, entry).items())
        reason = f"the {scores.method} score is not a usable number: it {_outcome(entry)}, from {inputs}"
        finite = MappingProxyType({k: v for k, v in entry.contributions.items() if math.isfinite(v)})
        checked.append(replace(entry, score=None, contributions=finite, invalid=reason))
        where = Location(item.source.file, item.source.document, _INPUTS_AT.get(scores.method, ()), "key")
        hint = "an input far too large or too small, or a formula dividing by zero; the item is left out"
        problems.append(Problem("score.not-finite", f"{entry.id}: {reason}", where, hint))
    if not problems:
        return scores
    return replace(scores, items=tuple(checked), findings=tuple(resolve(problems, portfolio.root)))


def _outcome(entry: ItemScore) -> str:
    """What is wrong with a score `_is_finite` refuses, in words."""
    value = entry.score if entry.score is not None else math.nan
    if math.isnan(value):
        return "comes out undefined (not a number)"
    if math.isinf(value):
        return "comes out infinite" if value > 0 else "comes out minus infinite"
    if abs(value) > MAX_SCORE:
        return f"comes out {value:.4g}, beyond ±{MAX_SCORE:g}, where sums of scores lose their meaning"
    return "rests on an input that is not a finite number"


def _is_finite(entry: ItemScore) -> bool:
    """A finite score within ±MAX_SCORE made only of finite parts (a missing input is not checked here)."""
    if entry.score is None:
        return True  # nothing to check: the item lacks an input, which `missing` says
    parts = (value for name, value in entry.contributions.items() if name not in entry.missing)
    return abs(entry.score) <= MAX_SCORE and all(math.isfinite(value) for value in parts)


def _inputs(method: Method, item: Item, entry: ItemScore) -> Mapping[str, float]:
    """The figures the method made the item's score from, as the user wrote them where possible."""
    if method == "wsjf" and item.wsjf is not None:
        return item.wsjf._asdict()
    if method == "weighted":
        return item.scores
    return entry.contributions  # RICE's and a formula's inputs, NPV's present values


def criterion_values(portfolio: Portfolio, items: Sequence[Item]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Criterion ids, each item's value mapped onto 0..1 (1 best), and where a score is missing (counted as worst)."""
    scoring = scoring_model(portfolio)
    ids = [c.id for c in scoring.criteria]
    values = np.zeros((len(items), len(ids)))
    missing = np.zeros((len(items), len(ids)), dtype=bool)
    for column, criterion in enumerate(scoring.criteria):
        span = criterion.scale_max - criterion.scale_min
        for row, item in enumerate(items):
            raw = item.scores.get(criterion.id)
            if raw is None:
                missing[row, column] = True
                continue
            unit = (raw - criterion.scale_min) / span
            values[row, column] = 1.0 - unit if criterion.direction == "lower" else unit
    return ids, values, missing


def scoring_model(portfolio: Portfolio) -> ScoringModel:
    """The portfolio's scoring model; a UsageError when it declares none."""
    if portfolio.scoring is None:
        raise UsageError("the portfolio declares no scoring model (scoring.criteria in portfolio.yaml)")
    return portfolio.scoring


def _weighted(portfolio: Portfolio, items: Sequence[Item], weights_method: str) -> Scores:
    from pfm.methods.weights import derive_weights

    weights = derive_weights(scoring_model(portfolio), method=weights_method)  # type: ignore[arg-type]
    ids, values, missing = criterion_values(portfolio, items)
    vector = np.array([weights.weights[c] for c in ids])
    points = 100.0 * values * vector
    scored = []
    for row, item in enumerate(items):
        gaps = tuple(ids[c] for c in np.flatnonzero(missing[row]))
        if len(gaps) == len(ids):  # nothing scored at all (a programme, say): no score rather than zero
            scored.append(ItemScore(item.id, item.title, None, missing=gaps))
            continue
        contributions = MappingProxyType({c: float(points[row, k]) for k, c in enumerate(ids)})
        scored.append(ItemScore(item.id, item.title, float(points[row].sum()), contributions, gaps))
    return Scores("weighted", tuple(scored), weights)


def _wsjf(portfolio: Portfolio, item: Item) -> ItemScore:
    w = item.wsjf
    if w is None:
        return ItemScore(item.id, item.title, None, missing=("wsjf",))
    parts = {
        "business_value": w.business_value,
        "time_criticality": w.time_criticality,
        "risk_reduction": w.risk_reduction,
    }
    contributions = MappingProxyType({name: value / w.job_size for name, value in parts.items()})
    return ItemScore(item.id, item.title, sum(parts.values()) / w.job_size, contributions)


def _rice(portfolio: Portfolio, item: Item) -> ItemScore:
    r = item.rice
    if r is None:
        return ItemScore(item.id, item.title, None, missing=("rice",))
    inputs = MappingProxyType({"reach": r.reach, "impact": r.impact, "confidence": r.confidence, "effort": r.effort})
    return ItemScore(item.id, item.title, r.reach * r.impact * r.confidence / r.effort, inputs)


def _npv(portfolio: Portfolio, item: Item) -> ItemScore:
    from pfm.analysis.finance import case_metrics

    case = portfolio.business_case_of(item.id)
    if case is None:
        return ItemScore(item.id, item.title, None, missing=("business case",))
    metrics = case_metrics(case, portfolio.finance)
    contributions = MappingProxyType({"pv_benefits": metrics.pv_benefits, "pv_costs": -metrics.pv_costs})
    return ItemScore(item.id, item.title, metrics.npv, contributions)


def _formula(portfolio: Portfolio, items: Sequence[Item]) -> Scores:
    from pfm.methods.formula import compile_formula, formula_names

    scoring = scoring_model(portfolio)
    if not scoring.formula:
        raise UsageError("the portfolio declares no scoring formula (scoring.formula in portfolio.yaml)")
    names = formula_names([c.id for c in scoring.criteria])
    formula = compile_formula(scoring.formula, [*names.values(), *FINANCE_NAMES])
    inputs = formula_inputs(portfolio, items, names)
    results = np.asarray(formula.evaluate({name: inputs[name] for name in formula.names}), dtype=float)
    results = np.broadcast_to(results, (len(items),))
    scored = []
    for row, item in enumerate(items):
        used = {name: float(inputs[name][row]) for name in sorted(formula.names)}
        gaps = tuple(name for name, value in used.items() if np.isnan(value))
        result = float(results[row])
        # nan from a missing input is no score; nan from complete inputs (log of a negative) is a finding
        value = None if gaps and np.isnan(result) else result
        scored.append(ItemScore(item.id, item.title, value, MappingProxyType(used), gaps))
    return Scores("formula", tuple(scored))


def formula_inputs(portfolio: Portfolio, items: Sequence[Item], names: Mapping[str, str]) -> dict[str, np.ndarray]:
    """Every name a formula may use, one value per item (nan where the item has none)."""
    from pfm.analysis.finance import case_metrics

    columns: dict[str, list[float]] = {name: [] for name in (*names.values(), *FINANCE_NAMES)}
    for item in items:
        for criterion, name in names.items():
            columns[name].append(item.scores.get(criterion, np.nan))
        case = portfolio.business_case_of(item.id)
        metrics = case_metrics(case, portfolio.finance) if case is not None else None
        figures = {
            "npv": metrics.npv if metrics else None,
            "irr": metrics.irr if metrics else None,
            "roi": metrics.roi if metrics else None,
            "capex": metrics.total_capex if metrics else None,
            "opex": metrics.total_opex if metrics else None,
            "benefits": metrics.total_benefits if metrics else None,
            "payback": metrics.payback_years if metrics else None,
            "wsjf": _wsjf(portfolio, item).score,
            "rice": _rice(portfolio, item).score,
        }
        for name, value in figures.items():
            columns[name].append(np.nan if value is None else value)
    return {name: np.array(values, dtype=float) for name, values in columns.items()}
