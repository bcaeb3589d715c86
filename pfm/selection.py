"""Portfolio selection: the 0-1 MILP that picks the items of most value within budget and capacity.

Maximise the sum of the selected items' values subject to every declared budget figure of every
fiscal year (times `budget_scale`), every team's capacity in every quarter of the horizon,
dependencies (x_i <= x_j), exclusions (x_i + x_j <= 1), commitments (mandatory, forced-in and,
when `commit_in_flight`, approved or active items: x = 1) and forced-out items (x = 0).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pfm.capacity import item_demand
from pfm.model import Portfolio

_IN_FLIGHT = ("approved", "active")
_OPEN = ("proposed", "approved", "active")
_EPS = 1e-9
_MAX_NAMED_COMMITMENTS = 20  # beyond this, commitments are relaxed as one group when naming conflicts


@dataclass(frozen=True, slots=True)
class Exclusion:
    id: str
    reasons: tuple[str, ...]
    entry_price: float | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    status: str  # "optimal" | "infeasible" | "time-limit" | "greedy"
    objective: str
    value: float
    selected: tuple[str, ...]
    not_selected: tuple[Exclusion, ...]
    budget: Mapping[int, Mapping[str, tuple[float, float]]]
    capacity: Mapping[str, Mapping[str, tuple[float, float]]]
    gap: float | None = None
    conflicts: tuple[str, ...] = ()
    mandate_cost: float | None = None


@dataclass(frozen=True, slots=True)
class _Row:
    label: str  # in words, e.g. "budget 2028 capex"
    group: str | None  # relaxed as a whole when naming conflicts; None for structural rows
    upper: float
    coefs: dict[int, float]


@dataclass(slots=True)
class _Problem:
    ids: list[str]
    values: list[float]
    rows: list[_Row]
    lower: list[float]
    upper: list[float]
    notes: dict[str, list[str]]  # reasons fixed before solving: forced out, missing prerequisites
    objective: str


def _problem(
    portfolio: Portfolio,
    values: Mapping[str, float],
    candidates: Collection[str] | None,
    budget_scale: float,
    force_in: Collection[str],
    force_out: Collection[str],
    commit_in_flight: bool,
    objective: str,
) -> _Problem:
    items = portfolio.items
    if candidates is None:
        candidates = [i.id for i in items.values() if i.type != "programme" and portfolio.stage_state(i) in _OPEN]
    forced_in = set(force_in) | set(portfolio.forced_in)
    ids = sorted({c for c in (*candidates, *forced_in) if c in items})
    col = {ident: n for n, ident in enumerate(ids)}
    out = set(force_out) | set(portfolio.forced_out)
    notes: dict[str, list[str]] = {ident: [] for ident in ids}
    lower = [0.0] * len(ids)
    upper = [1.0] * len(ids)
    rows: list[_Row] = []
    for n, ident in enumerate(ids):
        item = items[ident]
        in_flight = commit_in_flight and portfolio.stage_state(item) in _IN_FLIGHT
        if item.mandatory or ident in forced_in or in_flight:
            lower[n] = 1.0
        if ident in out:
            upper[n] = 0.0
            notes[ident].append("forced out")
        for dep in item.depends_on:
            if dep.id in col:
                rows.append(_Row(f"{ident} depends on {dep.id}", None, 0.0, {n: 1.0, col[dep.id]: -1.0}))
            elif dep.id not in items or portfolio.stage_state(items[dep.id]) != "closed":
                upper[n] = 0.0
                notes[ident].append(f"depends on {dep.id}, which is not selected")
        for other in item.excludes:
            if other in col and (ident < other or ident not in items[other].excludes):
                rows.append(_Row(f"{ident} excludes {other}", None, 1.0, {n: 1.0, col[other]: 1.0}))
    rows += _budget_rows(portfolio, ids, budget_scale) + _capacity_rows(portfolio, ids)
    return _Problem(ids, [float(values.get(i, 0.0) or 0.0) for i in ids], rows, lower, upper, notes, objective)


def _budget_rows(portfolio: Portfolio, ids: list[str], budget_scale: float) -> list[_Row]:
    rows: list[_Row] = []
    for year, budget in sorted(portfolio.budget.items()):
        spend: dict[str, dict[int, float]] = {"capex": {}, "opex": {}, "total": {}}
        for n, ident in enumerate(ids):
            case = portfolio.business_case_of(ident)
            for line in case.costs if case else ():
                if line.year == year:
                    for figure, amount in (
                        ("capex", line.capex),
                        ("opex", line.opex),
                        ("total", line.capex + line.opex),
                    ):
                        spend[figure][n] = spend[figure].get(n, 0.0) + amount
        for figure in ("capex", "opex", "total"):
            limit = getattr(budget, figure)
            if limit is not None:
                rows.append(_Row(f"budget {year} {figure}", f"budget {year}", limit * budget_scale, spend[figure]))
    return rows


def _capacity_rows(portfolio: Portfolio, ids: list[str]) -> list[_Row]:
    rows: list[_Row] = []
    horizon = set(portfolio.periods)
    demand: dict[tuple[str, str], dict[int, float]] = {}
    for n, ident in enumerate(ids):
        for team, amounts in item_demand(portfolio.items[ident]).items():
            for quarter, amount in amounts.items():
                if team in portfolio.teams and quarter in horizon:
                    demand.setdefault((team, quarter), {})[n] = amount
    for team_id, declared in portfolio.teams.items():
        for quarter in portfolio.periods:
            coefs = demand.get((team_id, quarter), {})
            rows.append(_Row(f"team {team_id} in {quarter}", f"team {team_id}", declared.capacity.at(quarter), coefs))
    return rows


def _quiet(make: Any) -> Any:
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


@dataclass(frozen=True, slots=True)
class _Result:
    status: str
    x: list[bool]
    value: float
    gap: float | None


def _solve(
    problem: _Problem,
    lower: list[float] | None = None,
    skip: Collection[str] = (),
    time_limit: float = 30.0,
    feasibility: bool = False,
) -> _Result:
    import highspy
    import numpy as np

    n = len(problem.ids)
    rows = [r for r in problem.rows if r.coefs and r.group not in skip]
    h = _quiet(highspy.Highs)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-4)
    h.setOptionValue("time_limit", float(time_limit))
    if n:
        h.addVars(n, np.array(lower or problem.lower), np.array(problem.upper))
        index = np.arange(n, dtype=np.int32)
        h.changeColsCost(n, index, np.zeros(n) if feasibility else np.array(problem.values))
        h.changeColsIntegrality(n, index, np.array([highspy.HighsVarType.kInteger] * n))
    if rows:
        starts = np.cumsum([0] + [len(r.coefs) for r in rows[:-1]], dtype=np.int32)
        cols = np.array([c for r in rows for c in r.coefs], dtype=np.int32)
        coefs = np.array([v for r in rows for v in r.coefs.values()])
        ups = np.array([r.upper for r in rows])
        h.addRows(len(rows), np.full(len(rows), -np.inf), ups, len(cols), starts, cols, coefs)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if status == highspy.HighsModelStatus.kOptimal or (not n and status != highspy.HighsModelStatus.kInfeasible):
        label = "optimal"
    elif status == highspy.HighsModelStatus.kTimeLimit:
        label = "time-limit"
    else:
        return _Result("infeasible", [False] * n, 0.0, None)
    x = [v > 0.5 for v in h.getSolution().col_value] if n and has_solution else [False] * n
    value = sum(v for v, chosen in zip(problem.values, x, strict=True) if chosen)
    gap = float(info.mip_gap) if n and math.isfinite(info.mip_gap) else (0.0 if label == "optimal" else None)
    return _Result(label, x, value, gap)


def _usage(problem: _Problem, x: list[bool]) -> tuple[dict[int, Any], dict[str, Any]]:
    budget: dict[int, dict[str, tuple[float, float]]] = {}
    capacity: dict[str, dict[str, tuple[float, float]]] = {}
    for row in problem.rows:
        used = sum(c for n, c in row.coefs.items() if x[n])
        words = row.label.split()
        if words[0] == "budget":
            budget.setdefault(int(words[1]), {})[words[2]] = (used, row.upper)
        elif words[0] == "team":
            capacity.setdefault(words[1], {})[words[3]] = (used, row.upper)
    return budget, capacity


def _reasons(problem: _Problem, x: list[bool], n: int, values: Mapping[str, float]) -> list[str]:
    ident = problem.ids[n]
    reasons = list(problem.notes[ident])
    if ident not in values:
        reasons.append("no value (score missing)")
    elif problem.values[n] <= 0:
        reasons.append("no positive value")
    for row in problem.rows:
        coef = row.coefs.get(n, 0.0)
        if row.group is None and coef:
            other = next(m for m in row.coefs if m != n)
            if row.upper == 0.0 and coef > 0 and not x[other]:
                reasons.append(f"depends on {problem.ids[other]}, which is not selected")
            elif row.upper == 1.0 and x[other]:
                reasons.append(f"excludes {problem.ids[other]}, which is selected")
        elif coef > _EPS and sum(c for m, c in row.coefs.items() if x[m]) + coef > row.upper * (1 + 1e-9) + _EPS:
            reasons.append(row.label)
    return reasons or ["lower value than the selected alternatives"]


def _conflicts(problem: _Problem, time_limit: float) -> tuple[str, ...]:
    """A minimal set of constraint groups that cannot hold together (deletion filter)."""
    committed = [n for n, low in enumerate(problem.lower) if low > 0]
    groups: list[tuple[str, set[int], str | None]] = []
    if len(committed) <= _MAX_NAMED_COMMITMENTS:
        groups += [(f"{problem.ids[n]} is committed (mandatory, forced in or in flight)", {n}, None) for n in committed]
    elif committed:
        groups.append(("commitments (mandatory, forced-in and in-flight items)", set(committed), None))
    names = dict.fromkeys(r.group for r in problem.rows if r.group is not None and r.coefs)
    groups += [(name, set(), name) for name in names if name is not None]
    kept = list(groups)
    for group in groups:
        trial = [g for g in kept if g is not group]
        relaxed = set(range(len(problem.ids))) - {n for _, cols, _ in trial for n in cols}
        lower = [0.0 if n in relaxed else problem.lower[n] for n in range(len(problem.ids))]
        skip = {name for _, _, name in groups if name is not None} - {name for _, _, name in trial}
        if _solve(problem, lower, skip, time_limit, feasibility=True).status == "infeasible":
            kept = trial
    return tuple(label for label, _, _ in kept)


def _selection(problem: _Problem, result: _Result, values: Mapping[str, float], **extra: Any) -> Selection:
    budget, capacity = _usage(problem, result.x)
    prices: Mapping[str, float | None] = extra.pop("prices", {})
    left = [
        Exclusion(ident, tuple(dict.fromkeys(_reasons(problem, result.x, n, values))), prices.get(ident))
        for n, ident in enumerate(problem.ids)
        if not result.x[n]
    ]
    return Selection(
        status=extra.pop("status", result.status),
        objective=problem.objective,
        value=result.value,
        selected=tuple(i for i, chosen in zip(problem.ids, result.x, strict=True) if chosen),
        not_selected=tuple(left),
        budget=budget,
        capacity=capacity,
        gap=result.gap,
        **extra,
    )


def select_portfolio(
    portfolio: Portfolio,
    values: Mapping[str, float],
    *,
    candidates: Collection[str] | None = None,
    budget_scale: float = 1.0,
    force_in: Collection[str] = (),
    force_out: Collection[str] = (),
    commit_in_flight: bool = True,
    time_limit: float = 30.0,
    entry_prices: bool = True,
    objective: str = "value",
) -> Selection:
    """The optimal selection, with why each other item was left out and what forcing it in would cost."""
    problem = _problem(portfolio, values, candidates, budget_scale, force_in, force_out, commit_in_flight, objective)
    result = _solve(problem, time_limit=time_limit)
    if result.status == "infeasible":
        return _selection(problem, result, values, conflicts=_conflicts(problem, time_limit))
    free = _solve(problem, [0.0] * len(problem.ids), time_limit=time_limit) if any(problem.lower) else result
    prices: dict[str, float | None] = {}
    if entry_prices:
        for n, chosen in enumerate(result.x):
            if not chosen:
                lower = list(problem.lower)
                lower[n] = 1.0
                forced = _solve(problem, lower, time_limit=time_limit) if problem.upper[n] else None
                ok = forced is not None and forced.status != "infeasible"
                prices[problem.ids[n]] = result.value - forced.value if forced is not None and ok else None
    return _selection(problem, result, values, prices=prices, mandate_cost=free.value - result.value)


def greedy_portfolio(
    portfolio: Portfolio,
    values: Mapping[str, float],
    *,
    candidates: Collection[str] | None = None,
    budget_scale: float = 1.0,
    force_in: Collection[str] = (),
    force_out: Collection[str] = (),
    commit_in_flight: bool = True,
    objective: str = "value",
) -> Selection:
    """Commitments first, then the rest by value per normalised cost while everything still fits."""
    problem = _problem(portfolio, values, candidates, budget_scale, force_in, force_out, commit_in_flight, objective)
    n_items = len(problem.ids)
    x = [low > 0 for low in problem.lower]
    capacity_rows = [r for r in problem.rows if r.group is not None]

    def cost(n: int) -> float:
        return sum(r.coefs.get(n, 0.0) / r.upper if r.upper > 0 else math.inf for r in capacity_rows if r.coefs.get(n))

    def fits(n: int) -> bool:
        x[n] = True
        ok = all(sum(c for m, c in r.coefs.items() if x[m]) <= r.upper + _EPS for r in problem.rows if n in r.coefs)
        x[n] = False
        return ok

    order = sorted(range(n_items), key=lambda n: (-problem.values[n] / max(cost(n), _EPS), problem.ids[n]))
    added = True
    while added:
        added = False
        for n in order:
            if not x[n] and problem.upper[n] and problem.values[n] > 0 and fits(n):
                x[n] = added = True
    feasible = all(sum(c for m, c in r.coefs.items() if x[m]) <= r.upper + _EPS for r in problem.rows)
    value = sum(v for v, chosen in zip(problem.values, x, strict=True) if chosen)
    result = _Result("greedy" if feasible else "infeasible", x, value, None)
    return _selection(problem, result, values)


def frontier(portfolio: Portfolio, values: Mapping[str, float], points: int = 11) -> list[tuple[float, float]]:
    """(budget scale, optimal value) from 0 to the scale at which every candidate fits; NaN when infeasible."""
    problem = _problem(portfolio, values, None, 1.0, (), (), True, "value")
    top = max(
        (sum(r.coefs.values()) / r.upper for r in problem.rows if r.label.startswith("budget") and r.upper > 0),
        default=1.0,
    )
    curve = []
    for k in range(points):
        scale = top * k / (points - 1) if points > 1 else top
        chosen = select_portfolio(portfolio, values, budget_scale=scale, entry_prices=False)
        curve.append((scale, chosen.value if chosen.status != "infeasible" else math.nan))
    return curve
