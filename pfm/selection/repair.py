"""A selection that fits, found in milliseconds from one that nearly does: the start the solver is given
when one item is forced in (its entry price) or the mandates are freed (their cost).

Forcing an item into an optimal selection usually breaks a few rows (a year's budget, a team's quarter,
a missing prerequisite). `repair` mends them greedily: on the row broken worst it makes the move that
mends the most for the least value (drop a selected item, or bring in one with a negative entry, such as
a prerequisite), never undoing an earlier move, until every row holds; then it fills what is left with
the most valuable items that still fit. The result is a proper selection, so its value is a proven lower
bound, and the solver started from it only has to prove or improve it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pfm.selection.feasibility import FEASIBILITY

Vector = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, slots=True)
class Columns:
    """A 0-1 program by columns: each column's rows and its entries there, every row divided by its scale
    (so that the tolerance is FEASIBILITY on every row, as the solver sees it)."""

    values: Vector
    rows: tuple[np.ndarray[Any, np.dtype[np.int32]], ...]
    entries: tuple[Vector, ...]
    limits: Vector  # each row's limit, scaled
    members: tuple[tuple[int, ...], ...]  # each row's columns

    @classmethod
    def of(cls, values: Vector, entries: Sequence[dict[int, float]], limits: Vector) -> Columns:
        """From the program's scaled rows (each a map from column to entry)."""
        by_column: list[list[tuple[int, float]]] = [[] for _ in range(len(values))]
        for m, row in enumerate(entries):
            for n, coef in row.items():
                by_column[n].append((m, coef))
        return cls(
            values,
            tuple(np.array([m for m, _ in pairs], dtype=np.int32) for pairs in by_column),
            tuple(np.array([c for _, c in pairs], dtype=float) for pairs in by_column),
            limits,
            tuple(tuple(row) for row in entries),
        )

    def load(self, x: Sequence[bool]) -> Vector:
        """Each row's left-hand side for the selection `x`."""
        lhs = np.zeros(len(self.limits))
        for n, chosen in enumerate(x):
            if chosen:
                np.add.at(lhs, self.rows[n], self.entries[n])
        return lhs


def repair(
    columns: Columns, x: Sequence[bool], lower: Sequence[float], upper: Sequence[float]
) -> tuple[bool, ...] | None:
    """A selection within `lower` and `upper` that keeps every row, close to `x` (which may break rows and
    bounds), filled with the most valuable items that fit; None when the greedy moves cannot mend it."""
    chosen = [(on or low > 0.5) and up > 0.5 for on, low, up in zip(x, lower, upper, strict=True)]
    if any(low > 0.5 and not on for low, on in zip(lower, chosen, strict=True)):
        return None
    lhs = columns.load(chosen)
    fixed = {n for n, on in enumerate(chosen) if on != x[n] or lower[n] > 0.5 or upper[n] < 0.5}
    while columns.limits.size:
        over = lhs - columns.limits
        worst = int(np.argmax(over))
        if over[worst] <= FEASIBILITY:
            break
        move = _best_move(columns, chosen, fixed, lhs, worst)
        if move is None:
            return None
        chosen[move] = not chosen[move]
        fixed.add(move)
        sign = 1.0 if chosen[move] else -1.0
        np.add.at(lhs, columns.rows[move], sign * columns.entries[move])
    _fill(columns, chosen, lhs, [n for n in np.argsort(-columns.values, kind="stable").tolist() if upper[n] > 0.5])
    return tuple(chosen)


def _fill(columns: Columns, chosen: list[bool], lhs: Vector, order: list[int]) -> None:
    """Add the items of `order` that fit, in that order, again until none does (a prerequisite added late
    lets in the items that need it)."""
    added = True
    while added:
        added = False
        for n in order:
            if chosen[n] or columns.values[n] <= 0:
                continue
            rows, entries = columns.rows[n], columns.entries[n]
            if np.all(lhs[rows] + entries <= columns.limits[rows] + FEASIBILITY):
                chosen[n] = added = True
                lhs[rows] += entries


def _best_move(columns: Columns, chosen: list[bool], fixed: set[int], lhs: Vector, row: int) -> int | None:
    """The column whose flip mends the most breach (summed over every row) per unit of value lost, among
    those with an entry on `row` that lowers it; None when no such flip is left."""
    excess = np.maximum(lhs - columns.limits, 0.0).sum()
    best, best_score = None, -np.inf
    for n in columns.members[row]:
        if n in fixed:
            continue
        sign = -1.0 if chosen[n] else 1.0
        if sign * columns.entries[n][np.flatnonzero(columns.rows[n] == row)[0]] >= 0:
            continue
        after = lhs.copy()
        np.add.at(after, columns.rows[n], sign * columns.entries[n])
        mended = excess - np.maximum(after - columns.limits, 0.0).sum()
        if mended <= 0:
            continue
        lost = columns.values[n] if chosen[n] else -columns.values[n]
        score = mended / max(lost, 1e-12) if lost > 0 else np.inf
        if score > best_score:
            best, best_score = n, score
    return best
