"""Portfolio selection: the 0-1 MILP that picks the items of most value within budget and capacity.

Maximise the sum of the selected items' values subject to every declared budget figure of every
fiscal year (times `budget_scale`), every team's capacity in every quarter of the horizon,
dependencies (x_i <= x_j), exclusions (x_i + x_j <= 1), commitments (mandatory, forced-in and,
when `commit_in_flight`, approved or active items: x = 1) and forced-out items (x = 0).

A dependency on a programme is a dependency on every candidate item in it (the programme's work is
its items'); a programme with no candidate items has no work left to fund, so it satisfies the
dependency unless it was cancelled.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from pfm.analysis.capacity import item_demand
from pfm.errors import Unrepresentable, UsageError
from pfm.findings import did_you_mean
from pfm.model import Item, Portfolio
from pfm.parallel import Progress
from pfm.selection.feasibility import Row, row_scale
from pfm.selection.milp import LARGE, BinaryProgram, OutOfRangeError, Result

IN_FLIGHT = ("approved", "active")
OPEN = ("proposed", "approved", "active")
DEFAULT_GAP = 1e-4
MANDATE_GAP = 1e-3
EPS = 1e-9
_MAX_NAMED_COMMITMENTS = 20  # beyond this, commitments are relaxed as one group when naming conflicts


@dataclass(frozen=True, slots=True)
class Exclusion:
    id: str
    reasons: tuple[str, ...]
    entry_price: float | None = None  # value given up when forced in; None when not computed or impossible


@dataclass(frozen=True, slots=True)
class Selection:
    status: str  # "optimal" | "infeasible" | "time-limit" | "greedy"
    objective: str
    value: float
    selected: tuple[str, ...]
    not_selected: tuple[Exclusion, ...]
    budget: Mapping[int, Mapping[str, tuple[float, float]]]  # year -> figure -> (used, available)
    capacity: Mapping[str, Mapping[str, tuple[float, float]]]  # team -> quarter -> (used, available)
    gap: float | None = None
    conflicts: tuple[str, ...] = ()
    mandate_cost: float | None = None  # value given up to the mandatory and forced-in items
    mandate_gap: float | None = None  # how far from proven the unmandated optimum behind it is
    seconds: float = 0.0


@dataclass(slots=True)
class Problem:
    """The program for a portfolio, with what selection needs to explain its answer."""

    ids: list[str]
    values: list[float]
    rows: list[Row]
    lower: list[float]
    upper: list[float]
    notes: dict[str, list[str]]  # reasons fixed before solving: forced out, missing prerequisites
    objective: str
    mandated: list[bool]  # mandatory or forced in (as opposed to committed because already in flight)
    spend: list[float]  # each item's capex plus opex in the budgeted years
    program: BinaryProgram = field(init=False)
    gap: float = DEFAULT_GAP
    unscored: Mapping[str, str] = field(default_factory=dict)  # item -> why its score was discarded

    def __post_init__(self) -> None:
        self.program = BinaryProgram(self.values, self.rows, self.gap, self.ids)

    def solve(self, lower: list[float] | None = None, **options: Any) -> Result:
        return self.program.solve(self.lower if lower is None else lower, self.upper, **options)

    def value(self, x: tuple[bool, ...]) -> float:
        return sum(v for v, chosen in zip(self.values, x, strict=True) if chosen)

    def cost(self, x: tuple[bool, ...]) -> float:
        """What the items of `x` spend in the budgeted years."""
        return sum(amount for amount, chosen in zip(self.spend, x, strict=True) if chosen)

    def usage(self, x: tuple[bool, ...]) -> tuple[dict[int, dict[str, tuple[float, float]]], dict[str, Any]]:
        budget: dict[int, dict[str, tuple[float, float]]] = {}
        capacity: dict[str, dict[str, tuple[float, float]]] = {}
        for row in self.rows:
            used = sum(c for n, c in row.coefs.items() if x[n])
            words = row.label.split()
            if words[0] == "budget":
                budget.setdefault(int(words[1]), {})[words[2]] = (used, row.upper)
            elif words[0] == "team":
                capacity.setdefault(words[1], {})[words[3]] = (used, row.upper)
        return budget, capacity


def candidates_of(portfolio: Portfolio) -> list[str]:
    """Items a selection may fund: open projects and initiatives (programmes are funded through them)."""
    return [i.id for i in portfolio.items.values() if i.type != "programme" and portfolio.stage_state(i) in OPEN]


@dataclass(frozen=True, slots=True)
class Terms:
    """What a selection must respect beyond the portfolio's files: the what-ifs put to a board."""

    candidates: Collection[str] | None = None  # None: every open project and initiative
    budget_scale: float = 1.0  # multiplies every budget figure
    force_in: Collection[str] = ()  # added to the scenario's force_in and the mandatory items
    force_out: Collection[str] = ()
    commit_in_flight: bool = True  # approved and active items stay in


AS_DECLARED = Terms()  # the portfolio as its files declare it


def build_problem(
    portfolio: Portfolio,
    values: Mapping[str, float],
    terms: Terms = AS_DECLARED,
    objective: str = "value",
    gap: float = DEFAULT_GAP,
    unscored: Mapping[str, str] | None = None,
) -> Problem:
    check_terms(portfolio, terms)
    items = portfolio.items
    forced_in = set(terms.force_in) | set(portfolio.forced_in)
    chosen = candidates_of(portfolio) if terms.candidates is None else terms.candidates
    ids = sorted({c for c in (*chosen, *forced_in) if c in items})
    col = {ident: n for n, ident in enumerate(ids)}
    out = set(terms.force_out) | set(portfolio.forced_out)
    notes: dict[str, list[str]] = {ident: [] for ident in ids}
    lower = [0.0] * len(ids)
    upper = [1.0] * len(ids)
    rows: list[Row] = []
    members = _members(portfolio, col)
    mandated = [items[ident].mandatory or ident in forced_in for ident in ids]
    for n, ident in enumerate(ids):
        item = items[ident]
        if mandated[n] or (terms.commit_in_flight and portfolio.stage_state(item) in IN_FLIGHT):
            lower[n] = 1.0
        if ident in out:
            upper[n] = 0.0
            notes[ident].append("forced out")
        for dep in item.depends_on:
            needed, blocked = _prerequisite(portfolio, dep.id, col, members)
            rows += [Row(f"{ident} depends on {ids[m]}", None, 0.0, {n: 1.0, m: -1.0}) for m in needed if m != n]
            if blocked:
                upper[n] = 0.0
                notes[ident].append(blocked)
        for other in item.excludes:
            if other in col and (ident < other or ident not in items[other].excludes):
                rows.append(Row(f"{ident} excludes {other}", None, 1.0, {n: 1.0, col[other]: 1.0}))
    rows += _budget_rows(portfolio, ids, terms.budget_scale) + _capacity_rows(portfolio, ids)
    values_list = [float(values.get(i, 0.0) or 0.0) for i in ids]
    spend = [_spend(portfolio, ident) for ident in ids]
    try:
        return Problem(
            ids, values_list, rows, lower, upper, notes, objective, mandated, spend, gap, dict(unscored or {})
        )
    except OutOfRangeError as error:
        raise Unrepresentable(_out_of_range(portfolio, ids, objective, error)) from None


def check_terms(portfolio: Portfolio, terms: Terms) -> None:
    """UsageError for a budget scale that is not a finite number of at least 0, a what-if that names no
    item, or one that forces in an item whose stage is closed or cancelled.

    Delivered work has nothing left to fund, and cancelled work is reopened by moving it back to an open
    stage (a decision for the board's log), not by a selection quietly counting its value again.
    """
    if not 0 <= terms.budget_scale < math.inf:
        raise UsageError(f"the budget scale must be a finite number of at least 0, not {terms.budget_scale:g}")
    for option, idents in (("--force-in", terms.force_in), ("--force-out", terms.force_out)):
        for ident in idents:
            if ident not in portfolio.items:
                hint = did_you_mean(ident, list(portfolio.items))
                raise UsageError(f"{option}: no item '{ident}'" + (f"; {hint}" if hint else ""))
    for ident in terms.force_in:
        item = portfolio.items[ident]
        state = portfolio.stage_state(item)
        if state in ("closed", "cancelled"):
            raise UsageError(
                f"--force-in {ident}: the item is {state} (stage '{item.stage}'); move it back to an open stage "
                "to fund it again"
            )


def _out_of_range(portfolio: Portfolio, ids: list[str], objective: str, error: OutOfRangeError) -> str:
    """Which figure of which file the solver cannot be given, in words."""
    number, row = error.number, error.row
    if row is None:
        item = portfolio.items[ids[error.column or 0]]
        return f"{item.source.file}: {item.id}: its value by {objective} is {number:g}, not a finite number"
    words = row.label.split()
    if error.column is None:
        where = portfolio.teams[words[1]].source.file if words[0] == "team" else portfolio.source.file
        return f"{where}: {row.label}: the limit is {number:g}, not a finite number"
    ident = ids[error.column]
    case = portfolio.business_case_of(ident)
    if words[0] == "budget" and case is not None:
        figure = "capex + opex" if words[2] == "total" else words[2]
        where, what = case.source.file, f"its {figure} in {words[1]}"
    else:
        where, what = portfolio.items[ident].source.file, f"its demand on team {words[1]} in {words[3]}"
    if not math.isfinite(number):
        return f"{where}: {ident}: {what} is {number:g}, not a finite number"
    return (
        f"{where}: {ident}: {what} ({number:g}) is {LARGE:.0e} or more times {row.label} ({row_scale(row):g}); "
        "figures that far apart cannot be optimised faithfully: check the figure"
    )


def _spend(portfolio: Portfolio, ident: str) -> float:
    case = portfolio.business_case_of(ident)
    return sum(line.capex + line.opex for line in case.costs if line.year in portfolio.budget) if case else 0.0


def _members(portfolio: Portfolio, col: Mapping[str, int]) -> dict[str, list[int]]:
    """Programme -> the candidate items under it, at any depth."""
    members: dict[str, list[int]] = {}
    for ident, n in col.items():
        parent, seen = portfolio.items[ident].parent, {ident}
        while parent is not None and parent in portfolio.items and parent not in seen:
            members.setdefault(parent, []).append(n)
            seen.add(parent)
            parent = portfolio.items[parent].parent
    return members


def _prerequisite(
    portfolio: Portfolio, dep: str, col: Mapping[str, int], members: Mapping[str, list[int]]
) -> tuple[list[int], str | None]:
    """The columns an item depending on `dep` needs selected, or why it cannot be selected at all."""
    if dep in col:
        return [col[dep]], None
    target: Item | None = portfolio.items.get(dep)
    state = portfolio.stage_state(target) if target is not None else None
    if target is not None and target.type == "programme" and members.get(dep):
        return members[dep], None
    if state == "closed" or (target is not None and target.type == "programme" and state != "cancelled"):
        return [], None
    return [], f"depends on {dep}, which is not selected"


def _budget_rows(portfolio: Portfolio, ids: list[str], budget_scale: float) -> list[Row]:
    rows: list[Row] = []
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
                rows.append(Row(f"budget {year} {figure}", f"budget {year}", limit * budget_scale, spend[figure]))
    return rows


def _capacity_rows(portfolio: Portfolio, ids: list[str]) -> list[Row]:
    rows: list[Row] = []
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
            rows.append(Row(f"team {team_id} in {quarter}", f"team {team_id}", declared.capacity.at(quarter), coefs))
    return rows


def _amount(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _reasons(problem: Problem, x: tuple[bool, ...], n: int, values: Mapping[str, float]) -> list[str]:
    """Why item n is out: what was settled before solving, its value, and each constraint it would break,
    with how much more room it would need there."""
    ident = problem.ids[n]
    reasons = list(problem.notes[ident])
    if ident not in values:
        reasons.append(
            f"no value: {problem.unscored[ident]}" if ident in problem.unscored else "no value (score missing)"
        )
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
        elif coef > EPS:
            short = sum(c for m, c in row.coefs.items() if x[m]) + coef - row.upper
            if short > row.upper * 1e-9 + EPS:
                reasons.append(f"{row.label} (short by {_amount(short)})")
    return reasons or ["lower value than the selected alternatives"]


def _conflicts(problem: Problem, time_limit: float) -> tuple[str, ...]:
    """A minimal set of constraint groups that cannot hold together (deletion filter)."""
    impossible = [n for n, (low, up) in enumerate(zip(problem.lower, problem.upper, strict=True)) if low > up]
    if impossible:
        return tuple(
            f"{problem.ids[n]} is committed (mandatory, forced in or in flight) but "
            + " and ".join(problem.notes[problem.ids[n]])
            for n in impossible
        )
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
        held = {n for _, cols, _ in trial for n in cols}
        lower = [problem.lower[n] if n in held else 0.0 for n in range(len(problem.ids))]
        relax = {name for _, _, name in groups if name is not None} - {name for _, _, name in trial}
        if problem.solve(lower, relax=relax, feasibility=True, time_limit=time_limit).status == "infeasible":
            kept = trial
    return tuple(label for label, _, _ in kept)


def selection_of(problem: Problem, result: Result, values: Mapping[str, float], **extra: Any) -> Selection:
    """The Selection a solver result stands for, with the reasons for every item left out."""
    budget, capacity = problem.usage(result.x)
    prices: Mapping[str, float | None] = extra.pop("prices", {})
    left = []
    unsolved = _unsolved(result)
    for n, ident in enumerate(problem.ids):
        if unsolved:
            left.append(Exclusion(ident, (unsolved,)))
        elif not result.x[n]:
            reasons = _reasons(problem, result.x, n, values)
            if ident in prices and prices[ident] is None:
                reasons.append("cannot come in even if forced: the commitments leave no room")
            left.append(Exclusion(ident, tuple(dict.fromkeys(reasons)), prices.get(ident)))
    return Selection(
        status=extra.pop("status", result.status),
        objective=problem.objective,
        value=result.value,
        selected=tuple(i for i, chosen in zip(problem.ids, result.x, strict=True) if chosen),
        not_selected=tuple(left),
        budget=budget,
        capacity=capacity,
        gap=result.gap,
        seconds=result.seconds,
        **extra,
    )


def _unsolved(result: Result) -> str:
    """Why there is no selection at all, or "" when there is one."""
    if result.status == "infeasible":
        return "nothing can be selected: the conflicts below cannot hold together"
    if result.status == "time-limit" and result.gap is None:
        return "no selection that fits was found within the time limit (--time-limit)"
    return ""


def select_portfolio(
    portfolio: Portfolio,
    values: Mapping[str, float],
    terms: Terms = AS_DECLARED,
    *,
    time_limit: float = 30.0,
    gap: float = DEFAULT_GAP,
    entry_prices: int | None = None,
    objective: str = "value",
    mandate_cost: bool = True,
    progress: Progress | None = None,
    unscored: Mapping[str, str] | None = None,
) -> Selection:
    """The optimal selection, with why each other item was left out, what forcing it in would cost (for
    the `entry_prices` most valuable of them; all when None) and what the mandates cost. `unscored`
    says why an item has no value (see Scores.unscored), for its reasons."""
    problem = build_problem(portfolio, values, terms, objective, gap, unscored)
    result = problem.solve(time_limit=time_limit)
    if result.status == "infeasible":
        return selection_of(problem, result, values, conflicts=_conflicts(problem, time_limit))
    if _unsolved(result):
        return selection_of(problem, result, values)
    left = sorted(
        (n for n, chosen in enumerate(result.x) if not chosen and problem.upper[n]), key=lambda n: -problem.values[n]
    )
    priced = left if entry_prices is None else left[:entry_prices]
    steps = _Steps(progress, 2 + len(priced))
    steps.done()
    free = _without_mandates(problem, result, time_limit) if mandate_cost else None
    steps.done()
    prices = {problem.ids[n]: _entry_price(problem, result, n, time_limit, steps) for n in priced}
    if free is None:
        return selection_of(problem, result, values, prices=prices)
    lost = max(free.value - result.value, 0.0)
    return selection_of(problem, result, values, prices=prices, mandate_cost=lost, mandate_gap=free.gap)


def _without_mandates(problem: Problem, result: Result, time_limit: float) -> Result:
    """The same problem with mandatory and forced-in items free to go (in-flight ones stay committed)."""
    if not any(problem.mandated):
        return result
    lower = [0.0 if mandated else low for mandated, low in zip(problem.mandated, problem.lower, strict=True)]
    # Freed of its mandates the program is much harder to prove; 0.1 % is plenty for a figure in words.
    return problem.solve(lower, start=result.x, time_limit=time_limit, gap=max(problem.gap, MANDATE_GAP))


def _entry_price(problem: Problem, result: Result, n: int, time_limit: float, steps: _Steps) -> float | None:
    """Value lost by forcing item n in; None when it cannot come in at all."""
    lower = list(problem.lower)
    lower[n] = 1.0
    forced = problem.solve(lower, time_limit=time_limit)
    steps.done()
    return None if forced.status == "infeasible" else max(result.value - forced.value, 0.0)


class _Steps:
    """Counts solves for a progress callback."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.count = progress, total, 0

    def done(self) -> None:
        self.count += 1
        if self.progress is not None:
            self.progress(self.count, self.total)
