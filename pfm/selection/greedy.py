"""The greedy baseline: rank by value per unit of cost and fill, as portfolio offices do by hand.

Kept to show what exact selection gains: the report says how far below the optimum it falls.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pfm.model import Portfolio
from pfm.selection.feasibility import Row, breaches
from pfm.selection.milp import Result
from pfm.selection.optimise import AS_DECLARED, EPS, Problem, Selection, Terms, build_problem, selection_of


def greedy_portfolio(
    portfolio: Portfolio,
    values: Mapping[str, float],
    terms: Terms = AS_DECLARED,
    *,
    objective: str = "value",
) -> Selection:
    """Commitments first, then the rest by value per normalised cost while everything still fits."""
    problem = build_problem(portfolio, values, terms, objective)
    n_items = len(problem.ids)
    x = _with_prerequisites(problem, [low > 0 for low in problem.lower])
    by_column: dict[int, list[Row]] = {}
    for row in problem.rows:
        for n in row.coefs:
            by_column.setdefault(n, []).append(row)
    used = {id(row): sum(c for m, c in row.coefs.items() if x[m]) for row in problem.rows}

    def cost(n: int) -> float:
        return sum(
            row.coefs[n] / row.upper if row.upper > 0 else math.inf
            for row in by_column.get(n, ())
            if row.group is not None and row.coefs[n] > 0
        )

    def fits(n: int) -> bool:
        return all(used[id(row)] + row.coefs[n] <= row.upper + EPS for row in by_column.get(n, ()))

    order = sorted(range(n_items), key=lambda n: (-problem.values[n] / max(cost(n), EPS), problem.ids[n]))
    added = True
    while added:  # taking an item can admit one that depends on it, so pass again until nothing changes
        added = False
        for n in order:
            if not x[n] and problem.upper[n] and problem.values[n] > 0 and fits(n):
                x[n] = added = True
                for row in by_column.get(n, ()):
                    used[id(row)] += row.coefs[n]
    chosen = tuple(x)
    feasible = not breaches(problem.rows, chosen, (problem.lower, problem.upper), problem.ids)
    result = Result("greedy" if feasible else "infeasible", chosen, problem.value(chosen), None, 0.0)
    return selection_of(problem, result, values)


def _with_prerequisites(problem: Problem, x: list[bool]) -> list[bool]:
    """`x` with every prerequisite of its items added, transitively (commitments bring their prerequisites)."""
    needs: dict[int, list[int]] = {}
    for row in problem.rows:
        if row.group is None and row.upper == 0.0:
            (dependent,) = (n for n, c in row.coefs.items() if c > 0)
            (prerequisite,) = (n for n, c in row.coefs.items() if c < 0)
            needs.setdefault(dependent, []).append(prerequisite)
    todo = [n for n, chosen in enumerate(x) if chosen]
    while todo:
        for m in needs.get(todo.pop(), ()):
            if not x[m] and problem.upper[m]:
                x[m] = True
                todo.append(m)
    return x
