"""Solving the selection model: the optimum, the conflicts when nothing fits, entry prices and the cost
of the mandates, each one solve of the same program (`pfm.selection.program`) with changed bounds.

`select` is what `pfm select` runs: the objective's scores computed, the board's what-ifs applied, and
the optimal selection or the greedy baseline returned with the optimum it falls below.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from pfm.analysis.scoring import score
from pfm.defaults import ENTRY_PRICES, EXTRAS_TIME, SELECT_TIME_LIMIT
from pfm.errors import NoSelection, UsageError
from pfm.methods import Method, SelectMethod
from pfm.model import Portfolio
from pfm.parallel import Progress
from pfm.selection.explain import EntryPrice, Selection, Shortfall, selection_of, unsolved_reason
from pfm.selection.feasibility import FEASIBILITY, BudgetLimit, CapacityLimit, Prerequisite, row_scale
from pfm.selection.greedy import greedy_portfolio
from pfm.selection.milp import Solution, Watch
from pfm.selection.program import AS_DECLARED, DEFAULT_GAP, PortfolioProgram, Terms, build_program
from pfm.selection.repair import repair

# The time limit is for the whole answer: the main solve may take MAIN_SHARE of it (all of it when nothing
# else is asked). The extras get what it leaves, up to `extras_time` (by default as long as the main solve
# took, at least EXTRAS_TIME): the entry prices, each its share of what is left, and MANDATE_SHARE of that
# to the cost of the mandates, a figure in words from a program far harder to prove than the main one,
# solved to 1 % from the main selection. Every extra solve starts from a selection that fits (`repair`).
MAIN_SHARE = 0.6
MANDATE_SHARE = 0.25
MANDATE_GAP = 0.01
MIN_SOLVE = 0.05  # seconds: the least any solve is given, so that a spent budget still answers
_MAX_NAMED_COMMITMENTS = 20  # beyond this, commitments are relaxed as one group when naming conflicts


def entry_count(text: str) -> int | None:
    """How many items left out to price, as the command line writes it: a number, or "all" (None)."""
    if text == "all":
        return None
    if not text.isdigit():
        raise UsageError(f"--entry-prices takes a number or 'all', not '{text}'")
    return int(text)


def select(
    portfolio: Portfolio,
    objective: Method = "weighted",
    *,
    budget_scale: float = 1.0,
    force_in: Collection[str] = (),
    force_out: Collection[str] = (),
    release_in_flight: bool = False,
    method: SelectMethod = "optimal",
    entry_prices: int | None = ENTRY_PRICES,
    mandate_cost: bool = True,
    gap: float = DEFAULT_GAP,
    time_limit: float = SELECT_TIME_LIMIT,
    extras_time: float | None = None,
    progress: Progress | None = None,
    watch: Watch | None = None,
) -> Selection:
    """The selection of most `objective` value that fits the budget (times `budget_scale`) and the teams:
    what `pfm select` prints. Method "greedy" gives the greedy baseline instead, with the optimum of the
    same problem; `entry_prices` items left out are priced (None: all), and the mandates too when
    `mandate_cost`, in `extras_time` seconds (None: as long as the optimum took, at least EXTRAS_TIME); all
    within `time_limit` seconds. `watch` follows the main solve (best value, bound)."""
    if method not in ("optimal", "greedy"):
        raise UsageError(f"unknown method '{method}' (optimal or greedy)")
    greedy = method == "greedy"
    scores = score(portfolio, objective)
    terms = Terms(None, budget_scale, tuple(force_in), tuple(force_out), not release_in_flight)
    optimal = select_portfolio(
        portfolio,
        scores.values(),
        terms,
        objective=objective,
        time_limit=time_limit,
        extras_time=extras_time,
        gap=gap,
        entry_prices=0 if greedy else entry_prices,
        mandate_cost=mandate_cost and not greedy,
        progress=progress,
        unscored=scores.unscored(),
        watch=watch,
    )
    if not greedy:
        return replace(optimal, findings=scores.findings, uncosted=uncosted(portfolio, optimal.selected))
    baseline = greedy_portfolio(portfolio, scores.values(), terms, objective=objective)
    if optimal.status == "infeasible":  # nothing fits either way: say why
        return replace(baseline, conflicts=optimal.conflicts, shortfalls=optimal.shortfalls, findings=scores.findings)
    return replace(
        baseline, optimum=optimal.value, findings=scores.findings, uncosted=uncosted(portfolio, baseline.selected)
    )


def uncosted(portfolio: Portfolio, selected: Collection[str]) -> tuple[str, ...]:
    """The selected projects and initiatives that have no business case: the budget sees them as free."""
    return tuple(
        ident
        for ident in selected
        if portfolio.items[ident].type != "programme" and portfolio.business_case_of(ident) is None
    )


def recommended(
    portfolio: Portfolio, objective: Method = "weighted", release_in_flight: bool = False
) -> tuple[str, ...]:
    """The items `pfm select` recommends, maximising `objective` (what `--selection` keeps of the roadmap and the
    critical path: `plan_roadmap(portfolio, objective, selection=recommended(portfolio, objective))`).
    NoSelection when no selection fits the budget and capacity, or none was found in time."""
    chosen = select(portfolio, objective, release_in_flight=release_in_flight, entry_prices=0, mandate_cost=False)
    if not chosen.found:
        conflicts = f": {'; '.join(chosen.conflicts)}" if chosen.conflicts else f" ({chosen.status})"
        raise NoSelection(f"no selection fits the budget and capacity{conflicts}")
    return chosen.selected


def select_portfolio(
    portfolio: Portfolio,
    values: Mapping[str, float],
    terms: Terms = AS_DECLARED,
    *,
    time_limit: float = 30.0,
    extras_time: float | None = None,
    gap: float = DEFAULT_GAP,
    entry_prices: int | None = None,
    objective: str = "value",
    mandate_cost: bool = True,
    progress: Progress | None = None,
    unscored: Mapping[str, str] | None = None,
    watch: Watch | None = None,
) -> Selection:
    """The optimal selection, with why each other item was left out, what forcing it in would cost (for
    the `entry_prices` most valuable of them; all when None) and what the mandates cost, these in
    `extras_time` seconds (None: as long as the optimum took, at least EXTRAS_TIME), all within
    `time_limit` seconds. `unscored` says why an item has no value (see Scores.unscored), for
    its reasons; `watch` is told the main solve's best value and bound as they improve."""
    program = build_program(portfolio, values, terms, objective, gap, unscored)
    clock = _Budget(time_limit)
    extras = entry_prices != 0 or mandate_cost
    result = program.binary.solve(time_limit=clock.share(MAIN_SHARE if extras else 1.0), watch=watch)
    conflicts: tuple[str, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    prices: dict[str, EntryPrice | None] = {}
    free = None
    if result.status == "infeasible":
        conflicts = _conflicts(program, time_limit)
        shortfalls = _shortfalls(program)
    elif not unsolved_reason(result.status, result.gap):
        left = sorted(
            (n for n, chosen in enumerate(result.x) if not chosen and program.upper[n]),
            key=lambda n: -program.values[n],
        )
        priced = left if entry_prices is None else left[:entry_prices]
        steps = _Steps(progress, 2 + len(priced))
        steps.done()
        wanted = max(EXTRAS_TIME, result.seconds) if extras_time is None else extras_time
        clock = _Budget(min(wanted, clock.share(1.0)))
        reserve = MANDATE_SHARE if mandate_cost and any(program.mandated) else 0.0
        forced = {n: _forced(program, n) for n in priced}
        starts = {n: repair(program.binary.columns, result.x, forced[n], program.upper) for n in priced}
        # those no repair could bring in first: most cannot come in at all, which the solver proves at once
        for count, n in enumerate(sorted(priced, key=lambda n: starts[n] is not None)):
            limit = clock.share((1.0 - reserve) / (len(priced) - count))
            prices[program.ids[n]] = _entry_price(program, result, forced[n], starts[n], limit)
            steps.done()
        free = _without_mandates(program, result, clock.share(1.0)) if mandate_cost else None
        steps.done()
    return selection_of(
        program,
        values,
        result.x,
        result.status,
        value=result.value,
        gap=result.gap,
        seconds=result.seconds,
        prices=prices,
        conflicts=conflicts,
        shortfalls=shortfalls,
        unmandated=free,
        entry_prices=entry_prices,
    )


@dataclass(frozen=True, slots=True)
class Commitment:
    """Items held in (mandatory, forced in or in flight), freed together when naming conflicts: one
    item is named; beyond `_MAX_NAMED_COMMITMENTS` they are freed as one group."""

    columns: frozenset[int]
    item: str | None  # None: every commitment

    @property
    def label(self) -> str:
        if self.item is None:
            return "commitments (mandatory, forced-in and in-flight items)"
        return f"{self.item} is committed (mandatory, forced in or in flight)"


def _conflicts(program: PortfolioProgram, time_limit: float) -> tuple[str, ...]:
    """A minimal set of constraint groups that cannot hold together (deletion filter): commitments, and
    limits (a year's budget, a team's capacity) relaxed as a whole."""
    impossible = [n for n, (low, up) in enumerate(zip(program.lower, program.upper, strict=True)) if low > up]
    if impossible:
        return tuple(
            f"{program.ids[n]} is committed (mandatory, forced in or in flight) but "
            + " and ".join(program.notes[program.ids[n]])
            for n in impossible
        )
    committed = [n for n, low in enumerate(program.lower) if low > 0]
    groups: list[Commitment | str] = []
    if len(committed) <= _MAX_NAMED_COMMITMENTS:
        groups += [Commitment(frozenset({n}), program.ids[n]) for n in committed]
    elif committed:
        groups.append(Commitment(frozenset(committed), None))
    limits = [name for name in dict.fromkeys(r.group for r in program.rows if r.coefs) if name is not None]
    groups += limits
    kept = list(groups)
    for group in groups:
        trial = [g for g in kept if g is not group]
        held = {n for g in trial if isinstance(g, Commitment) for n in g.columns}
        lower = [program.lower[n] if n in held else 0.0 for n in range(len(program.ids))]
        relax = set(limits) - {g for g in trial if isinstance(g, str)}
        if program.binary.solve(lower, relax=relax, feasibility=True, time_limit=time_limit).status == "infeasible":
            kept = trial
    return tuple(g.label if isinstance(g, Commitment) else g for g in kept)


def _shortfalls(program: PortfolioProgram) -> tuple[Shortfall, ...]:
    """Every limit (a budget year's figure, a team's quarter) that the commitments, with the candidates they
    depend on, need more of than there is: what has to give before anything can be selected."""
    needed = set(_with_prerequisites(program, [n for n, low in enumerate(program.lower) if low > 0]))
    found = []
    for row in program.rows:
        kind = row.kind
        items = sorted(n for n, coef in row.coefs.items() if coef > 0 and n in needed)  # the row's terms: linear
        committed = math.fsum(row.coefs[n] for n in items)
        if isinstance(kind, BudgetLimit | CapacityLimit) and committed > row.upper + FEASIBILITY * row_scale(row):
            found.append(Shortfall(kind, row.upper, committed, tuple(program.ids[n] for n in items)))
    return tuple(found)


def _with_prerequisites(program: PortfolioProgram, columns: Sequence[int]) -> list[int]:
    """The items of `columns` and every candidate they depend on, directly or not (all must come in with them)."""
    column = {ident: n for n, ident in enumerate(program.ids)}
    needs: dict[int, list[int]] = {}
    for row in program.rows:
        if isinstance(row.kind, Prerequisite):
            needs.setdefault(column[row.kind.item], []).append(column[row.kind.prerequisite])
    held, todo = set(columns), list(columns)
    while todo:
        for prerequisite in needs.get(todo.pop(), []):
            if prerequisite not in held:
                held.add(prerequisite)
                todo.append(prerequisite)
    return sorted(held)


def _without_mandates(program: PortfolioProgram, result: Solution, time_limit: float) -> Solution | None:
    """The same problem with mandatory and forced-in items free to go (in-flight ones stay committed), to
    MANDATE_GAP within `time_limit`, started from `result` (which still fits it); None when no selection was
    found (the start refused)."""
    if not any(program.mandated):
        return replace(result, bound=result.value)
    lower = [0.0 if mandated else low for mandated, low in zip(program.mandated, program.lower, strict=True)]
    free = program.binary.solve(lower, start=result.x, time_limit=time_limit, gap=max(program.gap, MANDATE_GAP))
    return free if free.gap is not None else None


def _forced(program: PortfolioProgram, n: int) -> list[float]:
    """The columns' lower bounds with item n forced in."""
    lower = list(program.lower)
    lower[n] = 1.0
    return lower


def _entry_price(
    program: PortfolioProgram, result: Solution, lower: list[float], start: tuple[bool, ...] | None, time_limit: float
) -> EntryPrice | None:
    """Value lost by forcing an item in (its column's `lower` bound 1), within `time_limit`, starting from
    `start` (a selection with it that fits) when there is one; None when it cannot come in at all. The true
    price lies between the main selection's value less the forced problem's bound and the main problem's
    bound less the best forced selection's value; proven when both solves are within the program's gap."""
    forced = program.binary.solve(lower, start=start, time_limit=time_limit)
    if forced.status == "infeasible":
        return None
    best = result.value if result.bound is None else result.bound
    low = max(result.value - forced.bound, 0.0) if forced.bound is not None else 0.0
    if forced.gap is None:  # no selection with the item found in time
        return EntryPrice(None, low, None, False)
    high = max(best - forced.value, low)
    value = min(max(result.value - forced.value, low), high)
    return EntryPrice(value, low, high, result.status == "optimal" and forced.status == "optimal")


class _Budget:
    """The seconds left of a time limit, handed out as shares of what is left."""

    def __init__(self, seconds: float) -> None:
        self.until = time.perf_counter() + seconds

    def share(self, fraction: float) -> float:
        """`fraction` of the time left, and at least MIN_SOLVE seconds (a solve always gets a chance)."""
        return max((self.until - time.perf_counter()) * fraction, MIN_SOLVE)


class _Steps:
    """Counts solves for a progress callback."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.count = progress, total, 0

    def done(self) -> None:
        self.count += 1
        if self.progress is not None:
            self.progress(self.count, self.total)
