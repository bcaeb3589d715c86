"""Scheduled selection: the items to fund and each one's start, against the same selection with fixed dates.

`schedule_select` solves the model of `pfm.selection.timetable` twice: with every dated item held at its
start (the fixed-date answer), then with starts free within their windows, warm-started from the
fixed-date answer (which stays possible: an item may always keep its start as written), so the
scheduled value is never below it. Each item that moved is given the constraint that holds it away
from its written start: the first row its start as written would break, the rest of the answer kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pfm.analysis.scoring import score
from pfm.defaults import SELECT_TIME_LIMIT
from pfm.errors import UsageError
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.periods import quarter_label
from pfm.results import Result
from pfm.selection.feasibility import FEASIBILITY, row_scale
from pfm.selection.milp import Settle, Solution
from pfm.selection.program import DEFAULT_GAP, Terms, build_program
from pfm.selection.timetable import PRECEDENCE, Precedence, Timetable, build_timetable

FIXED_TIME_SHARE = 0.25  # of the time limit, for the fixed-date solve (a far smaller model)
# The scheduled model's bound hardly moves past the root (its LP spreads items over neighbouring starts),
# so the gap closes from below: more effort on the solver's rounding heuristics finds better schedules sooner.
HEURISTICS: dict[str, float | bool] = {
    "mip_heuristic_effort": 0.3,
    "mip_heuristic_run_zi_round": True,
    "mip_heuristic_run_shifting": True,
}


@dataclass(frozen=True, slots=True)
class Placement:
    """A selected item, where it starts, and how far and why it moved from the start it was given."""

    id: str
    title: str
    value: float
    stated: str | None  # its start as written; None when it had none
    start: str
    end: str  # its last quarter
    moved: int  # quarters later (negative: earlier) than stated; 0 when it had no start
    reason: str  # why it moved, or why it was placed; "" when it keeps its start

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "value": self.value,
            "stated_start": self.stated,
            "start": self.start,
            "end": self.end,
            "moved": self.moved,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class ScheduleSolve:
    """One solve: its status, the value of its selection, the proven gap and bound, and its time."""

    status: str  # optimal, time-limit (gap None: nothing found in time) or infeasible
    value: float | None
    gap: float | None
    bound: float | None
    seconds: float
    selected: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "value": self.value,
            "gap": self.gap,
            "bound": self.bound,
            "seconds": self.seconds,
            "selected": self.selected,
        }


@dataclass(frozen=True, slots=True)
class ScheduledSelection(Result):
    """`pfm select --schedule`: the selection with each item's start, and the fixed-date selection it beats."""

    objective: str
    scheduled: ScheduleSolve
    fixed: ScheduleSolve
    items: tuple[Placement, ...]  # the selected items, by start then id
    left_out: tuple[str, ...]
    gained: tuple[str, ...]  # selected with free starts, not with fixed dates
    dropped: tuple[str, ...]  # selected with fixed dates, not with free starts
    placed: tuple[str, ...]  # selected items without a start: the model chose it
    precedence: str
    size: tuple[int, int]  # the scheduled model's columns and rows

    @property
    def gain(self) -> float | None:
        """The value the free starts add to the fixed-date selection; None when either has no answer."""
        if self.scheduled.value is None or self.fixed.value is None:
            return None
        return self.scheduled.value - self.fixed.value

    @property
    def moved(self) -> tuple[Placement, ...]:
        return tuple(p for p in self.items if p.moved)

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "scheduled": self.scheduled.to_dict(),
            "fixed_dates": self.fixed.to_dict(),
            "gain": self.gain,
            "items": [p.to_dict() for p in self.items],
            "left_out": list(self.left_out),
            "gained": list(self.gained),
            "dropped": list(self.dropped),
            "placed": list(self.placed),
            "model": {"precedence": self.precedence, "columns": self.size[0], "rows": self.size[1]},
        }

    def records(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.items]


def schedule_select(
    portfolio: Portfolio,
    objective: Method = "weighted",
    *,
    may_shift: int | None = None,
    budget_scale: float = 1.0,
    force_in: Collection[str] = (),
    force_out: Collection[str] = (),
    release_in_flight: bool = False,
    gap: float = DEFAULT_GAP,
    time_limit: float = SELECT_TIME_LIMIT,
    precedence: Precedence = "disaggregated",
    settle: Settle | None = None,
) -> ScheduledSelection:
    """The selection of most `objective` value when starts may move within each item's `window` (or
    `may_shift` quarters either way for a dated item without one; None: the portfolio's `selection.may_shift`,
    else 0), with the fixed-date selection beside it; both solved to `gap`, or to `settle`'s once it applies."""
    may_shift = may_shift if may_shift is not None else portfolio.may_shift or 0
    if may_shift < 0:
        raise UsageError(f"--may-shift takes a number of quarters of at least 0, not {may_shift}")
    if precedence not in PRECEDENCE:
        raise UsageError(f"unknown precedence form '{precedence}' ({' or '.join(PRECEDENCE)})")
    began = time.perf_counter()
    scores = score(portfolio, objective)
    terms = Terms(None, budget_scale, tuple(force_in), tuple(force_out), not release_in_flight)
    program = build_program(portfolio, scores.values(), terms, objective, gap, scores.unscored())
    fixed_model = build_timetable(portfolio, program, may_shift, True, precedence, budget_scale)
    fixed = fixed_model.binary.solve(time_limit=time_limit * FIXED_TIME_SHARE, settle=settle)
    model = build_timetable(portfolio, program, may_shift, False, precedence, budget_scale)
    found = fixed.status != "infeasible" and fixed.gap is not None
    warm = _carried(fixed_model, model, fixed.x) if found else None
    model.binary.tune(HEURISTICS)
    left = max(time_limit - (time.perf_counter() - began), 1.0)
    solution = model.binary.solve(start=warm, time_limit=left, settle=settle)
    if warm is not None and _value(model, solution.x) < _value(model, warm) and solution.gap is not None:
        solution = Solution(solution.status, tuple(warm), _value(model, warm), solution.gap, solution.seconds)
    return _result(model, fixed_model, solution, fixed, objective, precedence)


def _value(model: Timetable, x: Collection[bool]) -> float:
    """The true value of a solution's items (without the tie-break)."""
    values = model.program.values
    return math.fsum(values[column.item] for column, chosen in zip(model.columns, x, strict=True) if chosen)


def _carried(source: Timetable, target: Timetable, x: tuple[bool, ...]) -> list[bool]:
    """A solution of `source` as columns of `target` (every start of the source is a start of the target)."""
    chosen = {(c.item, c.start) for c, on in zip(source.columns, x, strict=True) if on}
    return [(c.item, c.start) in chosen for c in target.columns]


def _outcome(model: Timetable, solution: Solution) -> ScheduleSolve:
    has = solution.status != "infeasible" and solution.gap is not None
    return ScheduleSolve(
        solution.status,
        _value(model, solution.x) if has else None,
        solution.gap,
        solution.bound,
        solution.seconds,
        sum(solution.x) if has else 0,
    )


def _chosen(model: Timetable, x: tuple[bool, ...]) -> dict[int, int]:
    """Item -> column chosen."""
    return {column.item: c for c, (column, on) in enumerate(zip(model.columns, x, strict=True)) if on}


def _result(
    model: Timetable, fixed_model: Timetable, solution: Solution, fixed: Solution, objective: str, precedence: str
) -> ScheduledSelection:
    program = model.program
    scheduled = _outcome(model, solution)
    chosen = _chosen(model, solution.x) if scheduled.value is not None else {}
    before = set(_chosen(fixed_model, fixed.x)) if fixed.gap is not None and fixed.status != "infeasible" else set()
    reasons = _Reasons(model, solution.x)
    items = []
    for n, c in chosen.items():
        start, stated = model.columns[c].start, model.stated[n]
        moved = start - stated if stated is not None else 0
        why = "no start given: placed by the optimiser" if stated is None else reasons.why(n, c) if moved else ""
        items.append(
            Placement(
                program.ids[n],
                program.titles[program.ids[n]],
                program.values[n],
                quarter_label(stated) if stated is not None else None,
                quarter_label(start),
                quarter_label(start + model.durations[n] - 1),
                moved,
                why,
            )
        )
    items.sort(key=lambda p: (p.start, p.id))
    ids = program.ids
    return ScheduledSelection(
        objective,
        scheduled,
        _outcome(fixed_model, fixed),
        tuple(items),
        tuple(ids[n] for n in range(len(ids)) if n not in chosen),
        tuple(ids[n] for n in sorted(set(chosen) - before)),
        tuple(ids[n] for n in sorted(before - set(chosen))),
        tuple(p.id for p in items if p.stated is None),
        precedence,
        (len(model.columns), len(model.binary.rows)),
    )


class _Reasons:
    """Why a moved item is not at its written start: each row's use by the answer, and the rows of each column."""

    def __init__(self, model: Timetable, x: tuple[bool, ...]) -> None:
        self.model = model
        self.rows = model.binary.rows
        self.used = [math.fsum(coef for c, coef in row.coefs.items() if x[c]) for row in self.rows]
        self.touching: dict[int, list[int]] = {}
        for m, row in enumerate(self.rows):
            for c in row.coefs:
                self.touching.setdefault(c, []).append(m)

    def why(self, item: int, current: int) -> str:
        """The first row broken when `item` goes back to its written start, the rest of the answer kept."""
        model = self.model
        stated = model.stated[item]
        back = next(c for c in model.of_item[item] if model.columns[c].start == stated)
        for m in sorted(set(self.touching.get(back, ())) | set(self.touching.get(current, ()))):
            row = self.rows[m]
            used = self.used[m] - row.coefs.get(current, 0.0) + row.coefs.get(back, 0.0)
            if used > row.upper + FEASIBILITY * row_scale(row):
                return f"at {quarter_label(stated or 0)} it would break {row.label}"
        return "kept there by the rest of the answer: moving it back alone breaks nothing (within the gap)"
