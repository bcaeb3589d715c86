"""An independent check that a selection keeps every constraint `pfm select` promises.

Written from the promise (pfm/selection.py's docstring, docs/commands.md), not from the
program pfm builds: budgets per fiscal year and figure, team capacity per quarter, dependencies
(a programme stands for its open items), exclusions both ways, commitments and forced-out items.
It reads the built Portfolio, which is the parse the analyses share, and nothing else of pfm's.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from pfm.model import Item, Portfolio

OPEN = ("proposed", "approved", "active")
IN_FLIGHT = ("approved", "active")
TOLERANCE = 1e-6  # relative, as a solver's feasibility tolerance on rows of this size


def state_of(portfolio: Portfolio, item: Item) -> str | None:
    return next((stage.state for stage in portfolio.stages if stage.id == item.stage), None)


def candidates(portfolio: Portfolio) -> set[str]:
    return {
        ident
        for ident, item in portfolio.items.items()
        if item.type != "programme" and state_of(portfolio, item) in OPEN
    }


def _quarter_number(label: str) -> int:
    year, quarter = label.split("-Q")
    return int(year) * 4 + int(quarter) - 1


def _label(number: int) -> str:
    return f"{number // 4}-Q{number % 4 + 1}"


def demand_in(item: Item, team: str, quarter: str) -> float:
    """The effort `item` asks of `team` in `quarter`: a constant over the quarters it runs, or as listed."""
    asked = item.demand.get(team)
    if asked is None:
        return 0.0
    if asked.constant is None:
        amount = asked.by_period.get(quarter, 0.0)
        return amount if amount > 0 else 0.0
    if item.start is None:
        return 0.0
    first = _quarter_number(item.start)
    if item.duration is not None:
        last = first + item.duration - 1
    elif item.end is not None:
        last = _quarter_number(item.end)
    else:
        return 0.0
    return asked.constant if first <= _quarter_number(quarter) <= last and asked.constant > 0 else 0.0


def _within(used: float, limit: float) -> bool:
    return used <= limit + TOLERANCE * max(1.0, abs(limit))


def _members(portfolio: Portfolio, programme: str, pool: Collection[str]) -> list[str]:
    """Items of `pool` under `programme` at any depth."""
    found = []
    for ident in pool:
        parent, seen = portfolio.items[ident].parent, {ident}
        while parent is not None and parent in portfolio.items and parent not in seen:
            if parent == programme:
                found.append(ident)
                break
            seen.add(parent)
            parent = portfolio.items[parent].parent
    return found


def _dependency_problems(portfolio: Portfolio, chosen: set[str], pool: set[str]) -> list[str]:
    problems = []
    for ident in sorted(chosen):
        for dependency in portfolio.items[ident].depends_on:
            target = portfolio.items.get(dependency.id)
            if dependency.id in pool:
                needed = [dependency.id]
            elif target is not None and target.type == "programme" and _members(portfolio, dependency.id, pool):
                needed = _members(portfolio, dependency.id, pool)
            elif target is not None and (
                state_of(portfolio, target) == "closed"
                or (target.type == "programme" and state_of(portfolio, target) != "cancelled")
            ):
                needed = []
            else:
                problems.append(f"{ident} is selected but depends on {dependency.id}, which cannot be")
                continue
            problems += [
                f"{ident} is selected but its prerequisite {other} is not"
                for other in needed
                if other != ident and other not in chosen
            ]
    return problems


def _budget_problems(portfolio: Portfolio, chosen: set[str], scale: float) -> list[str]:
    problems = []
    for year, budget in portfolio.budget.items():
        spent = {"capex": 0.0, "opex": 0.0}
        for ident in chosen:
            case = portfolio.business_case_of(ident)
            for line in case.costs if case else ():
                if line.year == year:
                    spent["capex"] += line.capex
                    spent["opex"] += line.opex
        used = {**spent, "total": spent["capex"] + spent["opex"]}
        for figure in ("capex", "opex", "total"):
            limit = getattr(budget, figure)
            if limit is not None and not _within(used[figure], limit * scale):
                problems.append(f"budget {year} {figure}: {used[figure]!r} spent of {limit * scale!r}")
    return problems


def _capacity_problems(portfolio: Portfolio, chosen: set[str]) -> list[str]:
    problems = []
    first, last = _quarter_number(portfolio.first_period), _quarter_number(portfolio.last_period)
    for team_id, team in portfolio.teams.items():
        for number in range(first, last + 1):
            quarter = _label(number)
            capacity = team.capacity.constant
            if capacity is None:
                capacity = team.capacity.by_period.get(quarter, 0.0)
            used = sum(demand_in(portfolio.items[ident], team_id, quarter) for ident in chosen)
            if not _within(used, capacity):
                problems.append(f"team {team_id} in {quarter}: {used!r} booked of {capacity!r}")
    return problems


def selection_problems(
    portfolio: Portfolio,
    selected: Collection[str],
    values: Mapping[str, float] | None = None,
    value: float | None = None,
    *,
    budget_scale: float = 1.0,
    force_in: Collection[str] = (),
    force_out: Collection[str] = (),
    commit_in_flight: bool = True,
) -> list[str]:
    """Every promise the selection `selected` (claiming `value`, if given with `values`) breaks; [] when it keeps them all."""
    chosen = set(selected)
    forced_in = (set(force_in) | set(portfolio.forced_in)) & set(portfolio.items)
    pool = candidates(portfolio) | forced_in
    problems = [f"{ident} is selected but is no candidate" for ident in sorted(chosen - pool)]
    if len(chosen) != len(selected):
        problems.append("an item is selected twice")
    chosen &= pool
    for ident in sorted(pool - chosen):
        item = portfolio.items[ident]
        if item.mandatory or ident in forced_in:
            problems.append(f"{ident} is mandatory or forced in but not selected")
        elif commit_in_flight and state_of(portfolio, item) in IN_FLIGHT:
            problems.append(f"{ident} is in flight but not selected")
    problems += [
        f"{ident} is forced out but selected" for ident in sorted(chosen & (set(force_out) | set(portfolio.forced_out)))
    ]
    problems += [
        f"{ident} and {other} exclude each other but both are selected"
        for ident in sorted(chosen)
        for other in portfolio.items[ident].excludes
        if other in chosen
    ]
    problems += _dependency_problems(portfolio, chosen, pool)
    problems += _budget_problems(portfolio, chosen, budget_scale)
    problems += _capacity_problems(portfolio, chosen)
    if values is None or value is None:
        return problems
    worth = sum(values.get(ident, 0.0) or 0.0 for ident in chosen)
    if not math.isclose(worth, value, rel_tol=1e-6, abs_tol=1e-6):
        problems.append(f"value {value!r} claimed, the selected items are worth {worth!r}")
    return problems
