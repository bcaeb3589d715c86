"""Size a generated portfolio for selection benchmarks: budgets and capacity that the committed work fits,
leaving room for a share of the rest, plus mutually exclusive pairs among the proposals.

    python benchmarks/generate.py --items 1250 --teams 8 --fit 0.5

The generator alone draws budgets and capacities without regard to what the items ask, so a selection on
it is infeasible from the start: the in-flight and mandatory items alone overrun them. Here the portfolio
is read back with pfm, and

- each budget year's capex and opex become what the committed items (approved, in flight or mandatory,
  with every open prerequisite of theirs) spend in it, plus `share` of what every other candidate would;
- each team's capacity becomes a headcount per year (the same in each of its quarters): the committed
  demand plus (1 + `share`) / 2 of what the rest would ask, averaged over the year's quarters, and never less
  than the committed demand's peak in that year;
- about `exclusions` of the free proposals are paired as mutually exclusive (both sides say so), never
  across a dependency.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable
from pathlib import Path

from pfm import load_portfolio
from pfm.analysis.capacity import item_demand
from pfm.model import Portfolio

COMMITTED = ("approved", "active")
OPEN = ("proposed", "approved", "active")
EXCLUSIONS = 0.06  # share of the free proposals paired as mutually exclusive


def committed_closure(portfolio: Portfolio, candidates: set[str]) -> set[str]:
    """Committed candidates and, transitively, the open prerequisites they cannot start without."""
    items = portfolio.items
    members: dict[str, list[str]] = {}
    for ident in candidates:
        if items[ident].parent is not None:
            members.setdefault(items[ident].parent, []).append(ident)  # type: ignore[arg-type]
    todo = [i for i in candidates if items[i].mandatory or portfolio.stage_state(items[i]) in COMMITTED]
    seen = set(todo)
    while todo:
        for dep in items[todo.pop()].depends_on:
            for needed in [dep.id] if dep.id in candidates else members.get(dep.id, []):
                if needed not in seen:
                    seen.add(needed)
                    todo.append(needed)
    return seen


def spend(portfolio: Portfolio, ids: Iterable[str], year: int) -> tuple[float, float]:
    capex = opex = 0.0
    for ident in ids:
        case = portfolio.business_case_of(ident)
        for line in case.costs if case else ():
            if line.year == year:
                capex += line.capex
                opex += line.opex
    return capex, opex


def load(portfolio: Portfolio, ids: Iterable[str]) -> dict[tuple[str, str], float]:
    totals: dict[tuple[str, str], float] = {}
    for ident in ids:
        for team, amounts in item_demand(portfolio.items[ident]).items():
            for quarter, amount in amounts.items():
                totals[team, quarter] = totals.get((team, quarter), 0.0) + amount
    return totals


def round_up(amount: float, step: float) -> int:
    return int(math.ceil(amount / step) * step)


def fit_portfolio(root: Path, share: float, exclusions: float, rng: random.Random) -> dict[str, int]:
    portfolio = load_portfolio(root)
    candidates = {i.id for i in portfolio.items.values() if i.type != "programme" and portfolio.stage_state(i) in OPEN}
    committed = committed_closure(portfolio, candidates)
    free = candidates - committed
    budget = ["budget:"]
    for year in sorted(portfolio.budget):
        (fixed_capex, fixed_opex), (more_capex, more_opex) = (
            spend(portfolio, committed, year),
            spend(portfolio, free, year),
        )
        budget += [
            f"  {year}:",
            f"    capex: {round_up(fixed_capex + share * more_capex, 100_000)}",
            f"    opex: {round_up(fixed_opex + share * more_opex, 100_000)}",
        ]
    path = root / "portfolio.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^budget:\n(?:[ \t].*\n)+", "\n".join(budget) + "\n", text), encoding="utf-8")
    fixed, more = load(portfolio, committed), load(portfolio, free)
    staffed = (1 + share) / 2  # teams a little roomier than the budget, so that both bind somewhere
    for team in portfolio.teams.values():
        lines = ["capacity:"]
        for year in sorted({quarter[:4] for quarter in portfolio.periods}):
            quarters = [quarter for quarter in portfolio.periods if quarter.startswith(year)]
            asked = [fixed.get((team.id, q), 0.0) + staffed * more.get((team.id, q), 0.0) for q in quarters]
            floor = max(fixed.get((team.id, q), 0.0) for q in quarters)
            headcount = max(round_up(floor, 1), round(sum(asked) / len(asked)))
            lines += [f"  {quarter}: {headcount}" for quarter in quarters]
        file = root / team.source.file
        text = file.read_text(encoding="utf-8")
        file.write_text(re.sub(r"(?m)^capacity:.*\n(?:[ \t].*\n)*", "\n".join(lines) + "\n", text), encoding="utf-8")
    pairs = pair_exclusions(
        portfolio, sorted(i for i in free if portfolio.stage_state(portfolio.items[i]) == "proposed"), exclusions, rng
    )
    for a, b in pairs:
        for ident, other in ((a, b), (b, a)):
            file = root / portfolio.items[ident].source.file
            with file.open("a", encoding="utf-8") as handle:
                handle.write(f"excludes: [{other}]\n")
    return {"candidates": len(candidates), "committed": len(committed), "exclusive_pairs": len(pairs)}


def pair_exclusions(
    portfolio: Portfolio, proposals: list[str], share: float, rng: random.Random
) -> list[tuple[str, str]]:
    """Disjoint pairs covering about `share` of the proposals; no pair is linked by a dependency."""
    pool = list(proposals)
    rng.shuffle(pool)
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    wanted = round(len(pool) * share / 2)
    for a in pool:
        if len(pairs) == wanted:
            break
        if a in used:
            continue
        for b in pool:
            linked = {d.id for d in portfolio.items[a].depends_on} | {d.id for d in portfolio.items[b].depends_on}
            if b != a and b not in used and a not in linked and b not in linked:
                pairs.append((a, b))
                used |= {a, b}
                break
    return pairs
