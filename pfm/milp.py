"""A 0-1 program held in one HiGHS model and solved again and again with changed bounds.

Selection asks many questions of the same program: the optimum, the optimum with one item forced in
(its entry price), without the commitments (the cost of the mandates), with a constraint group
relaxed (naming a conflict), at another budget (the frontier). Building the model once and changing
bounds between runs keeps each question to the solver's own time.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import highspy
import numpy as np

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Row:
    """sum(coefs[n] * x[n]) <= upper."""

    label: str  # in words, e.g. "budget 2028 capex"
    group: str | None  # relaxed as a whole when naming conflicts; None for structural rows
    upper: float
    coefs: dict[int, float]


@dataclass(frozen=True, slots=True)
class Result:
    status: str  # "optimal" | "time-limit" | "infeasible"
    x: tuple[bool, ...]
    value: float
    gap: float | None  # relative gap proven by the solver's bound; 0 when optimal to its tolerance
    seconds: float


def quiet(make: Callable[[], T]) -> T:
    """`make()` with file descriptor 1 silenced: HiGHS prints its banner to stdout on first use."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
        return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class BinaryProgram:
    """Maximise values . x over x in {0, 1}^n subject to `rows`; bounds and right-hand sides change per solve."""

    def __init__(self, values: Sequence[float], rows: Sequence[Row], gap: float) -> None:
        self.values = np.asarray(values, dtype=float)
        self.gap = gap
        self.rows = [row for row in rows if row.coefs]
        self.uppers = np.array([row.upper for row in self.rows])
        n, m = len(values), len(self.rows)
        self._highs = highs = quiet(highspy.Highs)
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("mip_rel_gap", float(gap))
        highs.setOptionValue("mip_abs_gap", 1e-9)
        self._columns = np.arange(n, dtype=np.int32)
        self._row_index = np.arange(m, dtype=np.int32)
        if n:
            highs.addVars(n, np.zeros(n), np.ones(n))
            highs.changeColsIntegrality(n, self._columns, np.full(n, highspy.HighsVarType.kInteger))
        if m:
            starts = np.cumsum([0] + [len(r.coefs) for r in self.rows[:-1]], dtype=np.int32)
            cols = np.fromiter((c for r in self.rows for c in r.coefs), dtype=np.int32)
            coefs = np.fromiter((v for r in self.rows for v in r.coefs.values()), dtype=float)
            highs.addRows(m, np.full(m, -np.inf), self.uppers, len(cols), starts, cols, coefs)
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def solve(
        self,
        lower: Sequence[float],
        upper: Sequence[float],
        *,
        uppers: np.ndarray[Any, np.dtype[np.float64]] | None = None,
        relax: Collection[str] = (),
        feasibility: bool = False,
        start: Sequence[bool] | None = None,
        time_limit: float = 30.0,
        gap: float | None = None,
    ) -> Result:
        """Solve with these column bounds, row right-hand sides (`uppers`, default the rows' own), the rows of
        the groups in `relax` dropped, a zero objective when only feasibility is asked, and another relative
        gap than the program's when `gap` is given."""
        began = time.perf_counter()
        n, highs = len(self.values), self._highs
        if n and any(low > up for low, up in zip(lower, upper, strict=True)):
            return Result("infeasible", (False,) * n, 0.0, None, time.perf_counter() - began)
        if not n:
            return Result("optimal", (), 0.0, 0.0, time.perf_counter() - began)
        right = np.array(self.uppers if uppers is None else uppers, dtype=float)
        for m, row in enumerate(self.rows):
            if row.group in relax:
                right[m] = np.inf
        highs.changeColsBounds(n, self._columns, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))
        highs.changeColsCost(n, self._columns, np.zeros(n) if feasibility else self.values)
        if len(self.rows):
            lows = np.full(len(self.rows), -np.inf)
            highs.changeRowsBounds(len(self.rows), self._row_index, lows, right)  # type: ignore[attr-defined]  # not in the stubs
        highs.setOptionValue("time_limit", float(time_limit))
        highs.setOptionValue("mip_rel_gap", float(self.gap if gap is None else gap))
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = [1.0 if chosen else 0.0 for chosen in start]
            highs.setSolution(solution)
        highs.run()
        return self._result(began)

    def _result(self, began: float) -> Result:
        highs, n = self._highs, len(self.values)
        status = highs.getModelStatus()
        info = highs.getInfo()
        if status == highspy.HighsModelStatus.kOptimal:
            label = "optimal"
        elif status == highspy.HighsModelStatus.kTimeLimit:
            label = "time-limit"  # the gap says how good the best selection found is
            if info.primal_solution_status != 2:  # kSolutionStatusFeasible: none found in time
                return Result(label, (False,) * n, 0.0, None, time.perf_counter() - began)
        else:
            return Result("infeasible", (False,) * n, 0.0, None, time.perf_counter() - began)
        x = tuple(v > 0.5 for v in highs.getSolution().col_value)
        value = float(sum(v for v, chosen in zip(self.values, x, strict=True) if chosen))
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
        return Result(label, x, value, max(gap, 0.0) if gap is not None else None, time.perf_counter() - began)
