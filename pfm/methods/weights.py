"""Criterion weights: given directly, or derived from pairwise comparisons by AHP.

AHP convention (DESIGN.md): the weights are the normalised principal right eigenvector of the
reciprocal comparison matrix; CI = (λmax - n) / (n - 1); CR = CI / RI(n) with Saaty's random
index; a CR above 0.10 means the judgements are too inconsistent to use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from pfm.methods import WeightsMethod
from pfm.model import Judgement, ScoringModel
from pfm.records import EMPTY
from pfm.results import Result

Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

# Saaty's random index RI(n): the mean CI of random reciprocal matrices of order n on the 1-9 scale.
# Source: T. L. Saaty, Theory and Applications of the Analytic Network Process, RWS Publications,
# Pittsburgh, 2005, p. 31 (the table AHPy uses as random_index='saaty'); n = 3..10 as in Saaty (1980).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CR_LIMIT = 0.10  # Saaty's rule: judgements with CR above 10 % should be revised


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """A judgement `a` over `b` set against the ratio the derived weights imply."""

    a: str
    b: str
    given: float
    implied: float  # w_a / w_b
    error: float  # |ln(given / implied)|


@dataclass(frozen=True, slots=True)
class CriterionWeights(Result):
    """Normalised criterion weights (criteria order) and, for AHP, how consistent the judgements were (`pfm weights`)."""

    method: Literal["direct", "eigenvector", "geometric-mean"]
    weights: Mapping[str, float]
    lambda_max: float | None = None
    ci: float | None = None
    cr: float | None = None
    consistent: bool = True
    raters: tuple[str, ...] = ()
    inconsistencies: tuple[Inconsistency, ...] = ()
    names: Mapping[str, str] = field(default_factory=lambda: EMPTY)  # criterion id -> its name

    def to_dict(self) -> dict[str, Any]:
        """What `pfm weights -f json` prints: the weights, the consistency figures and the worst judgements."""
        return {
            "method": self.method,
            "weights": dict(self.weights),
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "cr": self.cr,
            "consistent": self.consistent,
            "raters": list(self.raters),
            "inconsistent_judgements": [
                {"a": j.a, "b": j.b, "given": j.given, "implied": j.implied, "error": j.error}
                for j in self.inconsistencies
            ],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per criterion: its id, name and weight."""
        return [{"criterion": c, "name": self.names.get(c, c), "weight": w} for c, w in self.weights.items()]


def pairwise_matrix(ids: Sequence[str], judgements: Iterable[Judgement]) -> Matrix:
    """The reciprocal comparison matrix: a[i][j] = value of "i over j", a[j][i] = 1 / value, ones on the diagonal."""
    index = {criterion: position for position, criterion in enumerate(ids)}
    n = len(ids)
    matrix = np.full((n, n), np.nan)
    np.fill_diagonal(matrix, 1.0)
    for judgement in judgements:
        unknown = [name for name in (judgement.a, judgement.b) if name not in index]
        if unknown:
            raise ValueError(f"judgement {judgement.a}/{judgement.b} names an unknown criterion: {', '.join(unknown)}")
        i, j = index[judgement.a], index[judgement.b]
        if i == j:
            raise ValueError(f"judgement compares {judgement.a} with itself")
        if not (judgement.value > 0 and math.isfinite(judgement.value)):
            raise ValueError(f"judgement {judgement.a}/{judgement.b} must be a positive number, not {judgement.value}")
        if not np.isnan(matrix[i, j]):
            raise ValueError(f"criteria {judgement.a} and {judgement.b} are compared more than once")
        matrix[i, j] = judgement.value
        matrix[j, i] = 1.0 / judgement.value
    missing = [f"{ids[i]}/{ids[j]}" for i, j in zip(*np.nonzero(np.isnan(matrix)), strict=True) if i < j]
    if missing:
        raise ValueError(f"AHP needs a judgement for every pair of criteria; missing: {', '.join(missing)}")
    return matrix


def eigenvector_weights(matrix: Matrix) -> tuple[Vector, float]:
    """Saaty's weights: the principal right eigenvector, positive and summing to 1, and its eigenvalue λmax."""
    _check_square(matrix)
    values, vectors = np.linalg.eig(matrix)
    principal = int(np.argmax(values.real))  # Perron root: real, simple and the largest for a positive matrix
    vector = np.abs(vectors[:, principal].real)
    return vector / vector.sum(), float(values[principal].real)


def geometric_mean_weights(matrix: Matrix) -> tuple[Vector, float]:
    """Row geometric means, normalised (Crawford & Williams); λmax estimated as the mean of (A w)_i / w_i."""
    _check_square(matrix)
    means = np.exp(np.log(matrix).mean(axis=1))
    weights = means / means.sum()
    return weights, float(np.mean(matrix @ weights / weights))


def consistency(lambda_max: float, n: int) -> tuple[float, float]:
    """(CI, CR). A 1x1 or 2x2 reciprocal matrix is always consistent, so both are 0 there.

    Above n = 15, where Saaty gives no random index, the last one (1.59, near its limit) is used.
    """
    if n <= 2:
        return 0.0, 0.0
    ci = max(0.0, (lambda_max - n) / (n - 1))  # λmax >= n in theory; below it is rounding noise
    return ci, ci / RANDOM_INDEX[min(n, max(RANDOM_INDEX))]


def aggregate(matrices: Sequence[Matrix]) -> Matrix:
    """Several raters' matrices combined element-wise by geometric mean (AIJ), which keeps reciprocity."""
    if not matrices:
        raise ValueError("no comparison matrices to aggregate")
    shapes = {matrix.shape for matrix in matrices}
    if len(shapes) != 1:
        raise ValueError(f"comparison matrices differ in shape: {sorted(shapes)}")
    stacked: Matrix = np.stack([np.asarray(matrix, dtype=np.float64) for matrix in matrices])
    if len(matrices) == 1:
        single: Matrix = stacked[0].copy()
        return single  # exactly the rater's judgements, without exp(log()) rounding
    combined: Matrix = np.exp(np.log(stacked).mean(axis=0))
    return combined


def inconsistent_judgements(ids: Sequence[str], matrix: Matrix, weights: Vector, top: int = 3) -> list[Inconsistency]:
    """The judgements furthest from what the weights imply (|ln(given / implied)|), largest first.

    Each pair is reported once, as (ids[i], ids[j]) with i < j; ties keep criteria order.
    """
    found = [
        Inconsistency(
            a=ids[i],
            b=ids[j],
            given=float(matrix[i, j]),
            implied=float(weights[i] / weights[j]),
            error=abs(math.log(matrix[i, j] * weights[j] / weights[i])),
        )
        for i in range(len(ids))
        for j in range(i + 1, len(ids))
    ]
    return sorted(found, key=lambda entry: -entry.error)[: max(top, 0)]


def derive_weights(
    scoring: ScoringModel,
    method: WeightsMethod = "eigenvector",
    overrides: Mapping[str, float] | None = None,
) -> CriterionWeights:
    """The scoring model's criterion weights, normalised to sum to 1.

    With pairwise comparisons: AHP by `method`; several raters' matrices are first aggregated
    by geometric mean. Without: the criteria's own weights, normalised (method "direct").

    `overrides` (a scenario's weights, criterion id -> weight) replace the weights of the
    criteria they name; every other criterion keeps its given weight, or for an AHP model its
    derived (already normalised) weight, so give overrides on that scale there. The result is
    then direct weights: the scenario, not the comparisons, decides them, so there is no CR.
    """
    if method not in ("eigenvector", "geometric-mean"):
        raise ValueError(f"unknown weights method {method!r}: use 'eigenvector' or 'geometric-mean'")
    ids = [criterion.id for criterion in scoring.criteria]
    names = MappingProxyType({criterion.id: criterion.name for criterion in scoring.criteria})
    if not ids:
        raise ValueError("the scoring model has no criteria")
    if overrides:
        unknown = sorted(set(overrides) - set(ids))
        if unknown:
            raise ValueError(f"weights given for unknown criteria: {', '.join(unknown)}")
        base = derive_weights(scoring, method).weights if scoring.pairwise else _given_weights(scoring)
        return _direct(ids, {criterion: overrides.get(criterion, base[criterion]) for criterion in ids}, names)
    if not scoring.pairwise:
        return _direct(ids, _given_weights(scoring), names)
    matrix = aggregate([pairwise_matrix(ids, block.judgements) for block in scoring.pairwise])
    derive = eigenvector_weights if method == "eigenvector" else geometric_mean_weights
    vector, lambda_max = derive(matrix)
    ci, cr = consistency(lambda_max, len(ids))
    return CriterionWeights(
        method=method,
        weights=MappingProxyType({criterion: float(w) for criterion, w in zip(ids, vector, strict=True)}),
        lambda_max=lambda_max,
        ci=ci,
        cr=cr,
        consistent=cr <= CR_LIMIT,
        raters=tuple(block.rater for block in scoring.pairwise if block.rater),
        inconsistencies=tuple(inconsistent_judgements(ids, matrix, vector)) if len(ids) > 2 else (),
        names=names,
    )


def _given_weights(scoring: ScoringModel) -> dict[str, float]:
    missing = [criterion.id for criterion in scoring.criteria if criterion.weight is None]
    if missing:
        raise ValueError(f"criteria without a weight and no pairwise comparisons: {', '.join(missing)}")
    return {criterion.id: float(criterion.weight or 0.0) for criterion in scoring.criteria}


def _direct(ids: Sequence[str], raw: Mapping[str, float], names: Mapping[str, str]) -> CriterionWeights:
    negative = [criterion for criterion in ids if not raw[criterion] >= 0]
    if negative:
        raise ValueError(f"criterion weights must not be negative: {', '.join(negative)}")
    total = sum(raw[criterion] for criterion in ids)
    if not (total > 0 and math.isfinite(total)):
        raise ValueError("all criterion weights are zero, so they cannot be normalised")
    weights = MappingProxyType({criterion: raw[criterion] / total for criterion in ids})
    return CriterionWeights("direct", weights, names=names)


def _check_square(matrix: Matrix) -> None:
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError(f"a comparison matrix must be square and non-empty, not of shape {matrix.shape}")
    if not np.all(np.isfinite(matrix) & (matrix > 0)):
        raise ValueError("a comparison matrix must hold positive, finite numbers")
