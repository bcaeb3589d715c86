"""The scheduled selection model: which items to fund and in which quarter each one starts.

One binary column x[i, s] per item i and start quarter s it may take. Each item starts at most once
(exactly once when committed); a team's capacity in a quarter holds the effort of every item in the
quarters its chosen start makes it occupy; a year's budget holds each item's costs moved with its
start (`shifted`); exclusions hold on the items, and a dependency of j on i holds in time: j may
start at t only if i started early enough for the dependency's type and lag ("disaggregated": one row
per start t of j, sum_{s <= t} x[j, s] <= sum_{s' allows t} x[i, s']) or, for comparison, as one
big-M row per dependency ("big-m": sum (s'+offset) x[i, s'] - sum s x[j, s] + M sum x[j, s] <= M, with
sum x[j] <= sum x[i]).

The fixed-date problem is the same model with every dated item held at its start; an item without a
start is placed by the model in both. Structural facts (commitments, exclusions, dependencies,
forced-out and blocked items) come from the 0-1 program of `pfm.selection.program`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pfm.analysis.capacity import item_duration
from pfm.analysis.roadmap import demand_profile
from pfm.model import Item, Portfolio
from pfm.periods import quarter_index, quarter_label
from pfm.records import Dependency
from pfm.selection.feasibility import (
    BudgetLimit,
    CapacityLimit,
    Figure,
    InTime,
    MutualExclusion,
    Prerequisite,
    Row,
    StartChoice,
)
from pfm.selection.milp import BinaryProgram
from pfm.selection.program import PortfolioProgram

Precedence = Literal["disaggregated", "big-m"]
PRECEDENCE: tuple[Precedence, ...] = ("disaggregated", "big-m")
# Share of the largest value given up per quarter from the written start (from the earliest one it may take
# when it has none): of two equal answers, keep the dates, and start undated work as soon as it fits.
TIE_BREAK = 1e-7
Money = dict[int, tuple[float, float]]  # fiscal year -> (capex, opex)
FIGURES: tuple[Figure, ...] = ("capex", "opex", "total")


@dataclass(frozen=True, slots=True)
class StartColumn:
    """One choice: item `item` (its position in the program) starting in quarter `start` (an index)."""

    item: int
    start: int


@dataclass(slots=True)
class Timetable:
    """The scheduled model: its columns, rows and the facts the answer is worded with."""

    program: PortfolioProgram  # the 0-1 program the structure was taken from
    starts: list[list[int]]  # per item: the start quarters it may take, ascending
    stated: list[int | None]  # per item: its start as written
    durations: list[int]
    columns: list[StartColumn]
    of_item: list[list[int]]  # per item: its columns, in the order of `starts`
    rows: list[Row]
    binary: BinaryProgram


def allowed_starts(portfolio: Portfolio, item: Item, may_shift: int, fixed: bool) -> list[int]:
    """The start quarters the model may give `item`: its start alone when active or `fixed`; otherwise its
    window (the horizon where it gives none; its start +- `may_shift` when it gives no window but a start),
    kept to starts that finish within the horizon, and always its start as written."""
    first, last = quarter_index(portfolio.first_period), quarter_index(portfolio.last_period)
    duration = item_duration(item) or 1
    stated = quarter_index(item.start) if item.start else None
    if stated is not None and (fixed or portfolio.stage_state(item) == "active"):
        return [stated]
    window = item.window
    if window is not None:
        low = quarter_index(window.earliest) if window.earliest else first
        high = quarter_index(window.latest) if window.latest else last
    elif stated is not None:
        low, high = stated - may_shift, stated + may_shift
    else:
        low, high = first, last
    starts = set(range(max(low, first), min(high, last - duration + 1) + 1))
    if stated is not None:
        starts.add(stated)
    return sorted(starts) or [first]


def shifted(money: Money, quarters: int) -> Money:
    """Costs per fiscal year moved `quarters` later (earlier when negative), pro rata: a year's amount is
    taken as spread evenly over its four quarters, so a move of 4q + r quarters sends (4 - r) / 4 of it
    q years on and r / 4 of it q + 1 years on."""
    years, rest = divmod(quarters, 4)
    moved: dict[int, list[float]] = {}
    for year, (capex, opex) in money.items():
        for share, target in ((1 - rest / 4, year + years), (rest / 4, year + years + 1)):
            if share:
                held = moved.setdefault(target, [0.0, 0.0])
                held[0] += capex * share
                held[1] += opex * share
    return {year: (capex, opex) for year, (capex, opex) in moved.items()}


def offset(dependency: Dependency, before: int, after: int) -> int:
    """How many quarters after the prerequisite's start the dependent may start (durations `before`, `after`)."""
    gaps = {"start-to-start": 0, "finish-to-finish": before - after, "start-to-finish": -after}
    return gaps.get(dependency.type, before) + dependency.lag


def build_timetable(
    portfolio: Portfolio,
    program: PortfolioProgram,
    may_shift: int = 0,
    fixed: bool = False,
    precedence: Precedence = "disaggregated",
    budget_scale: float = 1.0,
) -> Timetable:
    """The scheduled model of `program`'s items (`fixed`: dated items held at their start)."""
    items = [portfolio.items[ident] for ident in program.ids]
    starts = [allowed_starts(portfolio, item, may_shift, fixed) for item in items]
    stated = [quarter_index(item.start) if item.start else None for item in items]
    durations = [item_duration(item) or 1 for item in items]
    columns: list[StartColumn] = []
    of_item: list[list[int]] = []
    for n, options in enumerate(starts):
        of_item.append(list(range(len(columns), len(columns) + len(options))))
        columns += [StartColumn(n, s) for s in options]
    rows: list[Row] = []
    for n, ident in enumerate(program.ids):
        rows.append(Row(StartChoice(ident), 1.0, dict.fromkeys(of_item[n], 1.0)))
        if program.lower[n] > 0:
            rows.append(Row(StartChoice(ident, True), -1.0, dict.fromkeys(of_item[n], -1.0)))
    col = {ident: n for n, ident in enumerate(program.ids)}
    for row in program.rows:
        kind = row.kind
        if isinstance(kind, MutualExclusion):
            both = dict.fromkeys(of_item[col[kind.item]] + of_item[col[kind.other]], 1.0)
            rows.append(Row(kind, 1.0, both))
        elif isinstance(kind, Prerequisite):
            after, before = col[kind.item], col[kind.prerequisite]
            dependency = _dependency(portfolio, items[after], kind.prerequisite)
            gap = offset(dependency, durations[before], durations[after])
            theirs, ours = stated[before], stated[after]
            broken = theirs is not None and ours is not None and theirs + gap > ours
            pair = _Pair((of_item[after], of_item[before]), gap, (theirs, ours) if broken else None)  # type: ignore[arg-type]
            rows += (_disaggregated if precedence == "disaggregated" else _big_m)(kind, pair, columns)
    rows += _capacity_rows(portfolio, items, durations, columns)
    rows += _budget_rows(portfolio, program, stated, columns, budget_scale)
    scale = max((abs(v) for v in program.values), default=0.0) or 1.0
    values = [
        program.values[c.item] - TIE_BREAK * scale * abs(c.start - _anchor(stated[c.item], starts[c.item]))
        for c in columns
    ]
    upper = [program.upper[c.item] for c in columns]
    names = [f"{program.ids[c.item]} from {quarter_label(c.start)}" for c in columns]
    binary = BinaryProgram(values, rows, program.gap, names, ([0.0] * len(columns), upper))
    return Timetable(program, starts, stated, durations, columns, of_item, rows, binary)


def _anchor(stated: int | None, starts: list[int]) -> int:
    return starts[0] if stated is None else stated


def _dependency(portfolio: Portfolio, item: Item, prerequisite: str) -> Dependency:
    """The entry of `item.depends_on` that makes it need `prerequisite` (itself, or a programme above it)."""
    above, seen = [prerequisite], {prerequisite}
    parent = portfolio.items[prerequisite].parent
    while parent is not None and parent in portfolio.items and parent not in seen:
        above.append(parent)
        seen.add(parent)
        parent = portfolio.items[parent].parent
    return next(dep for target in above for dep in item.depends_on if dep.id == target)


def _disaggregated(kind: Prerequisite, pair: _Pair, columns: list[StartColumn]) -> list[Row]:
    """For each start t of the dependent: its starts up to t need a prerequisite start that allows t."""
    after, before = pair.cols
    rows = []
    times = sorted({columns[c].start for c in after})
    for k, t in enumerate(times):
        allowing = pair.allowing(t, columns)
        if k + 1 < len(times) and allowing == pair.allowing(times[k + 1], columns):
            continue  # implied by the row of the next start
        coefs = {c: 1.0 for c in after if columns[c].start <= t}
        coefs.update(dict.fromkeys(allowing, -1.0))
        rows.append(Row(InTime(kind.item, kind.prerequisite, quarter_label(t)), 0.0, coefs))
    if pair.written is not None:  # the written pair allows only the dependent's written start
        theirs, ours = pair.written
        for c in after:
            t = columns[c].start
            if ours < t < theirs + pair.gap:
                mine = next(b for b in before if columns[b].start == theirs)
                rows.append(Row(InTime(kind.item, kind.prerequisite, quarter_label(t)), 1.0, {c: 1.0, mine: 1.0}))
    return rows


def _big_m(kind: Prerequisite, pair: _Pair, columns: list[StartColumn]) -> list[Row]:
    """sum x[j] <= sum x[i], and sum (s + gap) x[i, s] - sum t x[j, t] + M sum x[j] <= M (quarters from the
    earliest start of either); a pair whose written dates break the dependency is held by the disaggregated rows."""
    if pair.written is not None:
        return _disaggregated(kind, pair, columns)
    after, before = pair.cols
    first = min(columns[c].start for c in (*after, *before))
    rows = [Row(kind, 0.0, {**dict.fromkeys(after, 1.0), **dict.fromkeys(before, -1.0)})]
    big = max(0, *(columns[c].start + pair.gap - first for c in before))
    coefs = {c: float(columns[c].start + pair.gap - first) for c in before}
    coefs.update({c: float(big - (columns[c].start - first)) for c in after})
    last = quarter_label(max(columns[c].start for c in after))
    rows.append(Row(InTime(kind.item, kind.prerequisite, last), float(big), coefs))
    return rows


@dataclass(frozen=True, slots=True)
class _Pair:
    """A dependency in columns: the dependent's and the prerequisite's, the quarters the prerequisite's start
    must precede the dependent's by, and the written starts (theirs, ours) when those break it: the plan as
    written stands (validation reports it as deps.date-conflict), so that pair stays allowed."""

    cols: tuple[list[int], list[int]]
    gap: int
    written: tuple[int, int] | None

    def allowing(self, t: int, columns: list[StartColumn]) -> frozenset[int]:
        """The prerequisite's columns that allow the dependent to start by `t`."""
        theirs, ours = self.written if self.written is not None else (None, None)
        return frozenset(
            c
            for c in self.cols[1]
            if columns[c].start + self.gap <= t or (ours is not None and columns[c].start == theirs and ours <= t)
        )


def _capacity_rows(
    portfolio: Portfolio, items: list[Item], durations: list[int], columns: list[StartColumn]
) -> list[Row]:
    horizon = {quarter_index(q) for q in portfolio.periods}
    profiles = [
        demand_profile(item, duration, portfolio.teams) for item, duration in zip(items, durations, strict=True)
    ]
    demand: dict[tuple[str, int], dict[int, float]] = {}
    for c, column in enumerate(columns):
        for team, row in profiles[column.item].items():
            for after, amount in row.items():
                if column.start + after in horizon:
                    demand.setdefault((team, column.start + after), {})[c] = amount
    return [
        Row(CapacityLimit(team, quarter), declared.capacity.at(quarter), demand.get((team, quarter_index(quarter)), {}))
        for team, declared in portfolio.teams.items()
        for quarter in portfolio.periods
    ]


def _budget_rows(
    portfolio: Portfolio, program: PortfolioProgram, stated: list[int | None], columns: list[StartColumn], scale: float
) -> list[Row]:
    money: list[Money] = []
    for ident in program.ids:
        case = portfolio.business_case_of(ident)
        money.append({line.year: (line.capex, line.opex) for line in case.costs} if case else {})
    spend: dict[tuple[int, str], dict[int, float]] = {}
    for c, column in enumerate(columns):
        anchor = stated[column.item]
        moved = shifted(money[column.item], column.start - anchor) if anchor is not None else money[column.item]
        for year, (capex, opex) in moved.items():
            for figure, amount in (("capex", capex), ("opex", opex), ("total", capex + opex)):
                if amount:
                    spend.setdefault((year, figure), {})[c] = amount
    rows = []
    for year, budget in sorted(portfolio.budget.items()):
        for figure in FIGURES:
            limit = getattr(budget, figure)
            if limit is not None:
                rows.append(Row(BudgetLimit(year, figure), limit * scale, spend.get((year, figure), {})))
    return rows
