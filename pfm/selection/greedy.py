"""The greedy baseline: rank by value per unit of cost and fill, as portfolio offices do by hand.

Kept to show what exact selection gains: the report says how far below the optimum it falls.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pfm.model import Portfolio
from pfm.selection.explain import Selection, selection_of
from pfm.selection.feasibility import Prerequisite, Row, breaches
from pfm.selection.program import AS_DECLARED, EPS, PortfolioProgram, Terms, build_program


def greedy_portfolio(
    portfolio: Portfolio,
    values: Mapping[str, float],
    terms: Terms = AS_DECLARED,
    *,
    objective: str = "value",
) -> Selection:
    """Commitments first, then the rest by value per normalised cost while everything still fits."""
    program = build_program(portfolio, values, terms, objective)
    n_items = len(program.ids)
    x = _with_prerequisites(program, [low > 0 for low in program.lower])
    by_column: dict[int, list[Row]] = {}
    for row in program.rows:
        for n in row.coefs:
            by_column.setdefault(n, []).append(row)
    used = {id(row): sum(c for m, c in row.coefs.items() if x[m]) for row in program.rows}

    def cost(n: int) -> float:
        return sum(
            row.coefs[n] / row.upper if row.upper > 0 else math.inf
            for row in by_column.get(n, ())
            if row.group is not None and row.coefs[n] > 0
        )

    def fits(n: int) -> bool:
        return all(used[id(row)] + row.coefs[n] <= row.upper + EPS for row in by_column.get(n, ()))

    order = sorted(range(n_items), key=lambda n: (-program.values[n] / max(cost(n), EPS), program.ids[n]))
    added = True
    while added:  # taking an item can admit one that depends on it, so pass again until nothing changes
        added = False
        for n in order:
            if not x[n] and program.upper[n] and program.values[n] > 0 and fits(n):
                x[n] = added = True
                for row in by_column.get(n, ()):
                    used[id(row)] += row.coefs[n]
    chosen = tuple(x)
    feasible = not breaches(program.rows, chosen, (program.lower, program.upper), program.ids)
    return selection_of(program, values, chosen, "greedy" if feasible else "infeasible", value=program.value(chosen))


def _with_prerequisites(program: PortfolioProgram, x: list[bool]) -> list[bool]:
    """`x` with every prerequisite of its items added, transitively (commitments bring their prerequisites)."""
    needs: dict[int, list[int]] = {}
    for row in program.rows:
        if isinstance(row.kind, Prerequisite):
            (dependent,) = (n for n, c in row.coefs.items() if c > 0)
            (prerequisite,) = (n for n, c in row.coefs.items() if c < 0)
            needs.setdefault(dependent, []).append(prerequisite)
    todo = [n for n, chosen in enumerate(x) if chosen]
    while todo:
        for m in needs.get(todo.pop(), ()):
            if not x[m] and program.upper[m]:
                x[m] = True
                todo.append(m)
    return x
