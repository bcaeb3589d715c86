"""The selection model: the 0-1 program that picks the items of most value within budget and capacity.

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

from pfm.analysis.capacity import item_demand
from pfm.errors import Unrepresentable, UsageError
from pfm.findings import did_you_mean
from pfm.model import Item, Portfolio
from pfm.selection.feasibility import (
    BudgetLimit,
    CapacityLimit,
    Figure,
    MutualExclusion,
    Prerequisite,
    Row,
    row_scale,
)
from pfm.selection.milp import LARGE, BinaryProgram, OutOfRangeError

IN_FLIGHT = ("approved", "active")
OPEN = ("proposed", "approved", "active")
DEFAULT_GAP = 1e-4
# HiGHS's sub-MIP heuristics (RINS and RENS) off: on generated 1,000-item portfolios and OR-Library's knapsacks
# they took up to half of a solve's time and found nothing the search did not (benchmarks/README.md, "Solver
# options"); the scheduled model keeps them (`pfm.selection.schedule.HEURISTICS`), where they pay
SOLVER_OPTIONS = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}
EPS = 1e-9
_FIGURES: tuple[Figure, ...] = ("capex", "opex", "total")

Usage = dict[int, dict[str, tuple[float, float]]]  # year -> figure -> (used, available)
Load = dict[str, dict[str, tuple[float, float]]]  # team -> quarter -> (used, available)


@dataclass(slots=True)
class PortfolioProgram:
    """The 0-1 program of a portfolio, with what selection needs to explain its answer."""

    ids: list[str]
    values: list[float]
    rows: list[Row]
    lower: list[float]
    upper: list[float]
    notes: dict[str, list[str]]  # reasons fixed before solving: forced out, missing prerequisites
    objective: str
    mandated: list[bool]  # mandatory or forced in (as opposed to committed because already in flight)
    spend: list[float]  # each item's capex plus opex in the budgeted years
    titles: dict[str, str]  # each candidate's title
    currency: str
    binary: BinaryProgram = field(init=False)
    gap: float = DEFAULT_GAP
    unscored: Mapping[str, str] = field(default_factory=dict)  # item -> why its score was discarded

    def __post_init__(self) -> None:
        self.binary = BinaryProgram(self.values, self.rows, self.gap, self.ids, (self.lower, self.upper))
        self.binary.tune(SOLVER_OPTIONS)

    def value(self, x: tuple[bool, ...]) -> float:
        return sum(v for v, chosen in zip(self.values, x, strict=True) if chosen)

    def cost(self, x: tuple[bool, ...]) -> float:
        """What the items of `x` spend in the budgeted years."""
        return sum(amount for amount, chosen in zip(self.spend, x, strict=True) if chosen)

    def usage(self, x: tuple[bool, ...]) -> tuple[Usage, Load]:
        """What the items of `x` use of each budget figure and of each team's capacity, against what there is."""
        budget: Usage = {}
        capacity: Load = {}
        for row in self.rows:
            used = sum(c for n, c in row.coefs.items() if x[n])
            kind = row.kind
            if isinstance(kind, BudgetLimit):
                budget.setdefault(kind.year, {})[kind.figure] = (used, row.upper)
            elif isinstance(kind, CapacityLimit):
                capacity.setdefault(kind.team, {})[kind.quarter] = (used, row.upper)
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


def build_program(
    portfolio: Portfolio,
    values: Mapping[str, float],
    terms: Terms = AS_DECLARED,
    objective: str = "value",
    gap: float = DEFAULT_GAP,
    unscored: Mapping[str, str] | None = None,
) -> PortfolioProgram:
    """The program of `portfolio` under `terms`, maximising `values`."""
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
            rows += [Row(Prerequisite(ident, ids[m]), 0.0, {n: 1.0, m: -1.0}) for m in needed if m != n]
            if blocked:
                upper[n] = 0.0
                notes[ident].append(blocked)
        for other in item.excludes:
            if other in col and (ident < other or ident not in items[other].excludes):
                rows.append(Row(MutualExclusion(ident, other), 1.0, {n: 1.0, col[other]: 1.0}))
    rows += _budget_rows(portfolio, ids, terms.budget_scale) + _capacity_rows(portfolio, ids)
    values_list = [float(values.get(i, 0.0) or 0.0) for i in ids]
    spend = [_spend(portfolio, ident) for ident in ids]
    titles = {ident: items[ident].title for ident in ids}
    try:
        return PortfolioProgram(
            ids,
            values_list,
            rows,
            lower,
            upper,
            notes,
            objective,
            mandated,
            spend,
            titles,
            portfolio.currency,
            gap,
            dict(unscored or {}),
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
    kind = row.kind
    if error.column is None:
        where = portfolio.teams[kind.team].source.file if isinstance(kind, CapacityLimit) else portfolio.source.file
        return f"{where}: {row.label}: the limit is {number:g}, not a finite number"
    ident = ids[error.column]
    case = portfolio.business_case_of(ident)
    if isinstance(kind, BudgetLimit) and case is not None:
        figure = "capex + opex" if kind.figure == "total" else kind.figure
        where, what = case.source.file, f"its {figure} in {kind.year}"
    else:
        assert isinstance(kind, CapacityLimit)  # dependencies and exclusions hold only entries of 1
        where, what = portfolio.items[ident].source.file, f"its demand on team {kind.team} in {kind.quarter}"
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
        spend: dict[str, dict[int, float]] = {figure: {} for figure in _FIGURES}
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
        for figure in _FIGURES:
            limit = getattr(budget, figure)
            if limit is not None:
                rows.append(Row(BudgetLimit(year, figure), limit * budget_scale, spend[figure]))
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
            rows.append(Row(CapacityLimit(team_id, quarter), declared.capacity.at(quarter), coefs))
    return rows
