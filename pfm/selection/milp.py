"""A 0-1 program held in one HiGHS model and solved again and again with changed bounds.

Selection asks many questions of the same program: the optimum, the optimum with one item forced in
(its entry price), without the commitments (the cost of the mandates), with a constraint group
relaxed (naming a conflict), at another budget (the frontier). Building the model once and changing
bounds between runs keeps each question to the solver's own time.

HiGHS works to absolute tolerances and refuses matrix entries of 1e15 or more, so a budget row in
pounds and a capacity row in person-quarters cannot go in as they are: a 1e15 cost once made it drop
every row and report all items "optimal". Each row is handed over divided by its scale (its limit,
or for a limit of 0 its smallest entry), the objective by its largest value; an entry still out of
HiGHS's range after that cannot be weighed faithfully and is refused (`OutOfRangeError`), never dropped.
Every call's status is checked, and every solution is checked against the rows in their own units
before it is returned (`pfm.selection.feasibility`).
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, NamedTuple, TypeVar

import highspy
import numpy as np

from pfm.errors import SolverError
from pfm.selection.feasibility import FEASIBILITY, Row, breaches, row_scale
from pfm.selection.repair import Columns

T = TypeVar("T")
LARGE = 1e15  # HiGHS's large_matrix_value: it refuses a matrix entry this large
_IMPROVED = highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution
_POLLED = highspy.cb.HighsCallbackType.kCallbackMipInterrupt
SMALL = math.nextafter(1e-9, 1.0)  # just above its small_matrix_value: it drops an entry that small


SolveStatus = Literal["optimal", "time-limit", "infeasible"]
Watch = Callable[[float, float], None]  # told the best value found and the solver's bound as they improve


class Settle(NamedTuple):
    """After `after` seconds, a solve stops as soon as its best selection is proven within `gap`."""

    after: float
    gap: float


@dataclass(frozen=True, slots=True)
class Solution:
    """One solve's answer: `x` the columns chosen; `time-limit` with a gap of None means none was found in time."""

    status: SolveStatus
    x: tuple[bool, ...]
    value: float
    gap: float | None  # relative gap proven by the solver's bound; 0 when optimal to its tolerance
    seconds: float
    bound: float | None = None  # the most any solution can be worth, proven by the solver; None when unknown


class OutOfRangeError(ValueError):
    """A number the solver cannot be given faithfully: `row` None is the objective; `column` None a row's limit."""

    def __init__(self, row: Row | None, column: int | None, number: float) -> None:
        super().__init__(row, column, number)
        self.row, self.column, self.number = row, column, number


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


def _ok(status: highspy.HighsStatus, call: str) -> None:
    """A HiGHS call's status: anything but kOk means the model is not the one asked for."""
    if status != highspy.HighsStatus.kOk:
        raise SolverError(f"the solver (HiGHS) refused {call} ({status.name}); no selection is reported")


def scaled_rows(rows: Sequence[Row]) -> tuple[np.ndarray[Any, np.dtype[np.float64]], list[dict[int, float]]]:
    """Each row's scale and its entries divided by it; OutOfRangeError for a number HiGHS cannot take as it is.

    Entries below SMALL of their row's scale would be dropped: they are raised to SMALL, which only makes
    the row stricter (the entries that can be that small are costs and demand), by a billionth of its scale.
    """
    scales = np.array([row_scale(row) for row in rows], dtype=float)
    entries = []
    for row, scale in zip(rows, scales.tolist(), strict=True):  # Python floats: an overflow is inf, not a warning
        if not math.isfinite(row.upper):
            raise OutOfRangeError(row, None, row.upper)
        scaled = {}
        for n, coef in row.coefs.items():
            share = coef / scale
            if not abs(share) < LARGE:  # also NaN
                raise OutOfRangeError(row, n, coef)
            scaled[n] = math.copysign(max(abs(share), SMALL), share) if share else 0.0
        entries.append(scaled)
    return scales, entries


def _objective_scale(values: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    for n, value in enumerate(values):
        if not math.isfinite(value):
            raise OutOfRangeError(None, n, float(value))
    return float(np.max(np.abs(values), initial=0.0)) or 1.0


class BinaryProgram:
    """Maximise values . x over x in {0, 1}^n subject to `rows`; bounds and right-hand sides change per solve.

    `names` (one per column) word the bounds a solution breaks, should the solver return one that does;
    `bounds` (lower, upper) are the columns' bounds where a solve gives none (0 and 1 when not given).
    """

    def __init__(
        self,
        values: Sequence[float],
        rows: Sequence[Row],
        gap: float,
        names: Sequence[str] = (),
        bounds: tuple[Sequence[float], Sequence[float]] | None = None,
    ) -> None:
        self.values = np.asarray(values, dtype=float)
        self.bounds = bounds or ([0.0] * len(values), [1.0] * len(values))
        self.gap = gap
        self.rows = [row for row in rows if row.coefs]
        self.uppers = np.array([row.upper for row in self.rows])
        self.names = list(names) or [f"column {n}" for n in range(len(values))]
        self._scales, entries = scaled_rows(self.rows)
        self._entries = entries
        self._objective_scale = _objective_scale(self.values)
        n, m = len(values), len(self.rows)
        self._highs = highs = quiet(highspy.Highs)
        self._set("output_flag", False)
        self._set("mip_rel_gap", float(gap))
        self._set("mip_abs_gap", 1e-9)
        self._set("mip_feasibility_tolerance", FEASIBILITY)
        self._columns = np.arange(n, dtype=np.int32)
        self._row_index = np.arange(m, dtype=np.int32)
        if n:
            _ok(highs.addVars(n, np.zeros(n), np.ones(n)), "addVars")
            kinds = np.full(n, highspy.HighsVarType.kInteger)
            _ok(highs.changeColsIntegrality(n, self._columns, kinds), "changeColsIntegrality")
        if m:
            starts = np.cumsum([0] + [len(e) for e in entries[:-1]], dtype=np.int32)
            cols = np.fromiter((c for e in entries for c in e), dtype=np.int32)
            coefs = np.fromiter((v for e in entries for v in e.values()), dtype=float)
            _ok(
                highs.addRows(m, np.full(m, -np.inf), self.uppers / self._scales, len(cols), starts, cols, coefs),
                "addRows",
            )
        _ok(highs.changeObjectiveSense(highspy.ObjSense.kMaximize), "changeObjectiveSense")

    @cached_property
    def columns(self) -> Columns:
        """The program by columns, for repairing a selection (`pfm.selection.repair`)."""
        return Columns.of(self.values, self._entries, self.uppers / self._scales)

    def tune(self, options: Mapping[str, float | bool]) -> None:
        """Set solver (HiGHS) options, by HiGHS's names, for every later solve of this program."""
        for option, value in options.items():
            self._set(option, value)

    def _set(self, option: str, value: float | bool) -> None:
        _ok(self._highs.setOptionValue(option, value), f"the option {option}={value}")

    def solve(
        self,
        lower: Sequence[float] | None = None,
        upper: Sequence[float] | None = None,
        *,
        uppers: np.ndarray[Any, np.dtype[np.float64]] | None = None,
        relax: Collection[str] = (),
        feasibility: bool = False,
        start: Sequence[bool] | None = None,
        time_limit: float = 30.0,
        gap: float | None = None,
        settle: Settle | None = None,
        watch: Watch | None = None,
    ) -> Solution:
        """Solve with these column bounds (default the program's own), row right-hand sides (`uppers`, default the rows' own), the rows of
        the groups in `relax` dropped, a zero objective when only feasibility is asked, and another relative
        gap than the program's when `gap` is given; `settle` loosens the gap asked after a while (an answer so
        proven is "optimal", with its gap); `watch` follows the solve. A selection that breaks a constraint
        is a SolverError."""
        began = time.perf_counter()
        n, highs = len(self.values), self._highs
        lower = self.bounds[0] if lower is None else lower
        upper = self.bounds[1] if upper is None else upper
        if n and any(low > up for low, up in zip(lower, upper, strict=True)):
            return Solution("infeasible", (False,) * n, 0.0, None, time.perf_counter() - began)
        if not n:
            return Solution("optimal", (), 0.0, 0.0, time.perf_counter() - began)
        right = np.array(self.uppers if uppers is None else uppers, dtype=float)
        for m, row in enumerate(self.rows):
            if row.group in relax:
                right[m] = np.inf
        self._change(lower, upper, right, feasibility)
        self._set("time_limit", float(time_limit))
        self._set("mip_rel_gap", float(self.gap if gap is None else gap))
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = [1.0 if chosen else 0.0 for chosen in start]
            _ok(highs.setSolution(solution), "setSolution")
        settled = [False]
        if watch is not None or settle is not None:
            self._follow(watch, settle, settled)
        status = highs.run()
        if watch is not None or settle is not None:
            _ok(highs.stopCallback(_IMPROVED), "stopCallback")
            _ok(highs.stopCallback(_POLLED), "stopCallback")
        if status == highspy.HighsStatus.kError:
            raise SolverError(f"the solver (HiGHS) failed ({highs.getModelStatus().name}); no selection is reported")
        result = self._result(began, settled[0])
        if result.gap is not None or result.status == "optimal":
            self._verify(result.x, (lower, upper), right.tolist())
        return result

    def _change(
        self, lower: Sequence[float], upper: Sequence[float], right: np.ndarray[Any, np.dtype[np.float64]], zero: bool
    ) -> None:
        """Column bounds, right-hand sides (in the rows' own units) and the objective (zero when `zero`)."""
        n, m, highs = len(self.values), len(self.rows), self._highs
        columns = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        _ok(highs.changeColsBounds(n, self._columns, *columns), "changeColsBounds")
        costs = np.zeros(n) if zero else self.values / self._objective_scale
        _ok(highs.changeColsCost(n, self._columns, costs), "changeColsCost")
        if m:
            changed = highs.changeRowsBounds(m, self._row_index, np.full(m, -np.inf), right / self._scales)  # type: ignore[attr-defined]  # not in the stubs
            _ok(changed, "changeRowsBounds")

    def _follow(self, watch: Watch | None, settle: Settle | None, settled: list[bool]) -> None:
        """From the solver's callbacks (each new selection, and its regular polls): call `watch` whenever the best
        value or the bound has changed, in the objective's own units; stop the solve once `settle` is met,
        and say so in `settled`."""
        scale, last, began = self._objective_scale, [(math.nan, math.nan)], time.perf_counter()

        def heard(_kind: Any, _message: str, out: Any, given: Any, _data: Any) -> None:
            if settle is not None and time.perf_counter() - began >= settle.after and out.mip_gap <= settle.gap:
                settled[0] = given.user_interrupt = True
            seen = (out.mip_primal_bound * scale, out.mip_dual_bound * scale)
            if watch is not None and math.isfinite(seen[0]) and math.isfinite(seen[1]) and seen != last[0]:
                last[0] = seen
                watch(*seen)

        _ok(self._highs.setCallback(heard, None), "setCallback")
        _ok(self._highs.startCallback(_IMPROVED), "startCallback")
        _ok(self._highs.startCallback(_POLLED), "startCallback")

    def _verify(
        self, x: tuple[bool, ...], bounds: tuple[Sequence[float], Sequence[float]], right: Sequence[float]
    ) -> None:
        found = breaches(self.rows, x, bounds, self.names, right)
        if found:
            more = f" and {len(found) - 3} more" if len(found) > 3 else ""
            raise SolverError(
                f"the solver's selection breaks {'; '.join(found[:3])}{more}; it is not reported (a defect in pfm or HiGHS)"
            )

    def _result(self, began: float, settled: bool) -> Solution:
        highs, n = self._highs, len(self.values)
        status = highs.getModelStatus()
        info = highs.getInfo()
        label: SolveStatus
        if status == highspy.HighsModelStatus.kOptimal or (settled and status == highspy.HighsModelStatus.kInterrupt):
            label = "optimal"
        elif status == highspy.HighsModelStatus.kTimeLimit:
            label = "time-limit"  # the gap says how good the best selection found is
            if info.primal_solution_status != 2:  # kSolutionStatusFeasible: none found in time
                return Solution(label, (False,) * n, 0.0, None, time.perf_counter() - began)
        elif status == highspy.HighsModelStatus.kInfeasible:
            return Solution("infeasible", (False,) * n, 0.0, None, time.perf_counter() - began)
        else:
            raise SolverError(f"the solver (HiGHS) stopped with status {status.name}; no selection is reported")
        x = tuple(v > 0.5 for v in highs.getSolution().col_value)
        value = float(sum(v for v, chosen in zip(self.values, x, strict=True) if chosen))
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
        bound = float(info.mip_dual_bound) * self._objective_scale if math.isfinite(info.mip_dual_bound) else None
        return Solution(
            label,
            x,
            value,
            max(gap, 0.0) if gap is not None else None,
            time.perf_counter() - began,
            max(bound, value) if bound is not None else None,
        )
