"""Whether a selection keeps the constraints it was chosen under, checked in the portfolio's own units.

The solver's word is not taken for it: after every solve the chosen items' entries are summed row by
row (budget per year and figure, capacity per team and quarter, dependencies, exclusions) and the
items fixed before solving (mandatory, forced in or out, in flight, blocked) are checked. A row may be
overrun by `FEASIBILITY` times its scale, the tolerance the solver itself works to on the rows as it
sees them: a pound on a budget of millions is not a breach; an item on a capacity of 0 always is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

FEASIBILITY = 1e-6  # the solver's mip_feasibility_tolerance, on rows divided by their scale

Figure = Literal["capex", "opex", "total"]


@dataclass(frozen=True, slots=True)
class BudgetLimit:
    """A year's budget figure: what the selected items spend on it in that year."""

    year: int
    figure: Figure

    @property
    def label(self) -> str:
        return f"budget {self.year} {self.figure}"

    @property
    def group(self) -> str:
        return f"budget {self.year}"


@dataclass(frozen=True, slots=True)
class CapacityLimit:
    """A team's capacity in one quarter: the selected items' demand on it."""

    team: str
    quarter: str

    @property
    def label(self) -> str:
        return f"team {self.team} in {self.quarter}"

    @property
    def group(self) -> str:
        return f"team {self.team}"


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """`item` only with `prerequisite`: x[item] - x[prerequisite] <= 0."""

    item: str
    prerequisite: str

    group: ClassVar[None] = None  # never relaxed

    @property
    def label(self) -> str:
        return f"{self.item} depends on {self.prerequisite}"


@dataclass(frozen=True, slots=True)
class MutualExclusion:
    """At most one of two alternatives: x[item] + x[other] <= 1."""

    item: str
    other: str

    group: ClassVar[None] = None  # never relaxed

    @property
    def label(self) -> str:
        return f"{self.item} excludes {self.other}"


@dataclass(frozen=True, slots=True)
class StartChoice:
    """A scheduled item starts at most once (sum of its start columns <= 1), or at least once when `committed`."""

    item: str
    committed: bool = False

    group: ClassVar[None] = None  # never relaxed

    @property
    def label(self) -> str:
        return f"{self.item} is committed" if self.committed else f"{self.item} starts once"


@dataclass(frozen=True, slots=True)
class InTime:
    """A scheduled item starts no earlier than its prerequisite's dates allow (`by`: up to that quarter)."""

    item: str
    prerequisite: str
    by: str

    group: ClassVar[None] = None  # never relaxed

    @property
    def label(self) -> str:
        return f"{self.item}'s dependency on {self.prerequisite}"


RowKind = BudgetLimit | CapacityLimit | Prerequisite | MutualExclusion | StartChoice | InTime


@dataclass(frozen=True, slots=True)
class Row:
    """sum(coefs[n] * x[n]) <= upper, for the constraint `kind` says."""

    kind: RowKind
    upper: float
    coefs: dict[int, float]

    @property
    def label(self) -> str:
        """The constraint in words, e.g. "budget 2028 capex"."""
        return self.kind.label

    @property
    def group(self) -> str | None:
        """The limits relaxed as a whole when naming conflicts (a year's budget, a team); None for the
        structural rows (dependencies and exclusions), which are never relaxed."""
        return self.kind.group


def row_scale(row: Row) -> float:
    """What a row is measured against: its limit, or for a limit of 0 its smallest entry (any item with a
    positive entry breaks a limit of 0, however small the entry)."""
    if row.upper:
        return abs(row.upper)
    return min((abs(c) for c in row.coefs.values() if c), default=1.0)


def breaches(
    rows: Sequence[Row],
    x: Sequence[bool],
    bounds: tuple[Sequence[float], Sequence[float]],
    names: Sequence[str],
    limits: Sequence[float] | None = None,
) -> list[str]:
    """Every constraint `x` breaks, in words: rows against `limits` (their own limits when None; an
    infinite limit is a row relaxed), then the items' bounds (lower, upper)."""
    found = []
    for m, row in enumerate(rows):
        limit = row.upper if limits is None else limits[m]
        used = math.fsum(c for n, c in row.coefs.items() if x[n])
        if used > limit + FEASIBILITY * row_scale(row):
            found.append(f"{row.label} ({_amount(used)} against a limit of {_amount(limit)})")
    lower, upper = bounds
    for n, chosen in enumerate(x):
        if lower[n] > 0.5 and not chosen:
            found.append(f"{names[n]} is committed but left out")
        elif upper[n] < 0.5 and chosen:
            found.append(f"{names[n]} is ruled out but selected")
    return found


def _amount(value: float) -> str:
    return f"{value:,.0f}" if 100 <= abs(value) < math.inf else f"{value:g}"
