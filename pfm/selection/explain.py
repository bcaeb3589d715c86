"""A selection as a result: the items chosen, and for each item left out why, in words.

Every answer of the program (the optimum, the greedy baseline, an infeasible problem) becomes a
`Selection` here, with what each budget figure and each team's quarter holds, so that `pfm select`,
the board pack and a notebook read one and the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pfm.findings import Finding
from pfm.results import Result
from pfm.selection.feasibility import BudgetLimit, CapacityLimit, MutualExclusion, Prerequisite
from pfm.selection.milp import Solution
from pfm.selection.program import EPS, PortfolioProgram

SelectionStatus = Literal["optimal", "infeasible", "time-limit", "greedy"]


@dataclass(frozen=True, slots=True)
class EntryPrice:
    """The value given up by forcing an item in: `value` between the best selections found with and without it;
    the true price lies in [low, high] (high None: unknown, no selection with it was found in time). Proven
    when both selections are within the program's gap of their optimum (see docs/methods.md)."""

    value: float | None
    low: float
    high: float | None
    proven: bool


CANNOT_ENTER = "cannot come in even if forced: the commitments leave no room"  # found by pricing the item


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An item left out, why, and the value given up to force it in (None when not computed or impossible);
    `price_low` and `price_high` bound the true price, `price_proven` says whether it is known to the gap."""

    id: str
    reasons: tuple[str, ...]
    entry_price: float | None = None
    price_low: float | None = None
    price_high: float | None = None
    price_proven: bool = True

    @property
    def price_cell(self) -> float | str | None:
        """The entry price as a table shows it: the figure where proven, else the interval it lies in."""
        if self.price_proven or self.price_low is None:
            return self.entry_price
        high = "?" if self.price_high is None else f"{self.price_high:,.2f}"
        return f"[{self.price_low:,.2f}, {high}]"

    def unpriced(self) -> Exclusion:
        """The item left out as a selection without entry prices words it: the constraints that keep it out."""
        return Exclusion(self.id, tuple(reason for reason in self.reasons if reason != CANNOT_ENTER))

    def to_dict(self) -> dict[str, Any]:
        """The item left out as JSON: its reasons, its entry price and the bounds on it."""
        return {"id": self.id, "reasons": list(self.reasons), "entry_price": self.entry_price} | {
            "entry_price_low": self.price_low,
            "entry_price_high": self.price_high,
            "entry_price_proven": self.price_proven,
        }


@dataclass(frozen=True, slots=True)
class Shortfall:
    """When nothing fits: a limit (a budget year's figure, a team's quarter) that the commitments (mandatory,
    forced-in and in-flight items, with the candidates they depend on) need more of than there is, and the
    committed items that need it."""

    limit: BudgetLimit | CapacityLimit
    available: float
    committed: float  # what the committed items need of it
    items: tuple[str, ...]

    @property
    def short(self) -> float:
        """How much more the commitments need than there is."""
        return self.committed - self.available

    def to_dict(self) -> dict[str, Any]:
        """The shortfall as JSON: the limit (its year and figure, or its team and quarter) and the amounts."""
        where = (
            {"year": self.limit.year, "figure": self.limit.figure}
            if isinstance(self.limit, BudgetLimit)
            else {"team": self.limit.team, "quarter": self.limit.quarter}
        )
        return {"limit": self.limit.label, **where} | {
            "committed": self.committed,
            "available": self.available,
            "short": self.short,
            "items": list(self.items),
        }


@dataclass(frozen=True, slots=True)
class Selection(Result):
    """The items a selection funds, why each other one is left out, and what it uses of budget and capacity.

    `to_dict()` is what `pfm select -f json` prints; for the greedy baseline it holds the `optimum` of the
    same problem and how far below it the baseline falls.
    """

    status: SelectionStatus
    objective: str
    value: float
    selected: tuple[str, ...]
    not_selected: tuple[Exclusion, ...]
    budget: Mapping[int, Mapping[str, tuple[float, float]]]  # year -> figure -> (used, available)
    capacity: Mapping[str, Mapping[str, tuple[float, float]]]  # team -> quarter -> (used, available)
    titles: Mapping[str, str] = field(default_factory=dict)  # each candidate's title
    currency: str = ""
    gap: float | None = None
    conflicts: tuple[str, ...] = ()  # when nothing fits: a minimal set of what cannot hold together
    shortfalls: tuple[Shortfall, ...] = ()  # when nothing fits: every limit the commitments alone overrun
    mandate_cost: float | None = None  # value given up to the mandatory and forced-in items (at least this)
    mandate_gap: float | None = None  # how far from proven the unmandated optimum behind it is
    mandate_bound: float | None = None  # the most the mandates can cost, by the solver's bound
    mandate_stopped: bool = False  # whether the solve without the mandates stopped at its time limit
    seconds: float = 0.0
    entry_prices: int | None = 0  # how many items left out were priced, the most valuable first; None: all
    optimum: float | None = None  # for the greedy baseline: the optimal value of the same problem
    findings: tuple[Finding, ...] = ()  # scores that are not finite numbers
    uncosted: tuple[str, ...] = ()  # selected projects and initiatives with no business case: counted as free

    @property
    def below_optimum(self) -> float | None:
        """How far below the optimum the selection falls, as a fraction of it; None when no optimum is known."""
        if self.optimum is None:
            return None
        return (self.optimum - self.value) / self.optimum if self.optimum else 0.0

    @property
    def unsolved(self) -> str:
        """Why there is no selection at all (said once for every candidate), or "" when there is one."""
        return unsolved_reason(self.status, self.gap)

    @property
    def found(self) -> bool:
        """Whether there is a selection at all: not when nothing fits, nor when none was found in time."""
        return not self.unsolved

    @property
    def mandate_note(self) -> str:
        """What the mandates cost, in words, with how precise the figure is: "" when not computed or nothing."""
        cost, bound, gap = self.mandate_cost, self.mandate_bound, self.mandate_gap
        if cost is None:
            return ""
        said = "the mandates cost {} of value against the same problem without them"
        if bound is None or f"{bound:,.2f}" == f"{cost:,.2f}":  # as precise as it is printed
            return said.format(f"{cost:,.2f}") if cost else ""
        proven = f"{gap or 0.0:.2%} from proven"
        how = f"stopped at its time limit, {proven}" if self.mandate_stopped else f"solved to within {gap or 0.0:.2%}"
        return said.format(f"about {cost:,.2f}") + f" (at most {bound:,.2f}: that problem {how})"

    @property
    def partly_priced(self) -> bool:
        """Whether only some of the items left out have an entry price (the most valuable ones)."""
        priced = self.entry_prices
        return priced is not None and 0 < priced < len(self.not_selected) and self.status != "infeasible"

    def to_dict(self) -> dict[str, Any]:
        """What `pfm select -f json` prints."""
        payload: dict[str, Any] = {
            "status": self.status,
            "objective": self.objective,
            "value": self.value,
            "selected": list(self.selected),
            "not_selected": [e.to_dict() for e in self.not_selected],
            "budget": {
                str(year): {kind: {"used": used, "available": available} for kind, (used, available) in figures.items()}
                for year, figures in self.budget.items()
            },
            "capacity": {
                team: {quarter: {"used": used, "available": available} for quarter, (used, available) in cells.items()}
                for team, cells in self.capacity.items()
            },
            "gap": self.gap,
            "unsolved": self.unsolved or None,
            "conflicts": list(self.conflicts),
            "shortfalls": [s.to_dict() for s in self.shortfalls],
            "mandate_cost": self.mandate_cost,
            "mandate_gap": self.mandate_gap,
            "mandate_bound": self.mandate_bound,
            "mandate_stopped": self.mandate_stopped,
            "mandate_note": self.mandate_note or None,
            "seconds": round(self.seconds, 3),
        }
        if self.optimum is not None:
            payload |= {"optimum": self.optimum, "below_optimum": self.below_optimum}
        return payload | {"uncosted": list(self.uncosted), "findings": [f.to_dict() for f in self.findings]}

    def records(self) -> list[dict[str, Any]]:
        """One row per candidate: the selected items first, then those left out with why and their entry price."""
        rows = [
            {"id": ident, "title": self.titles.get(ident, ""), "selected": True, "reasons": ""}
            | Exclusion(ident, ()).to_dict()
            | {"reasons": "", "entry_price_proven": None}
            for ident in self.selected
        ]
        return rows + [
            {"id": e.id, "title": self.titles.get(e.id, ""), "selected": False}
            | e.to_dict()
            | {"reasons": "; ".join(e.reasons)}
            for e in self.not_selected
        ]


def selection_of(
    program: PortfolioProgram,
    values: Mapping[str, float],
    x: tuple[bool, ...],
    status: SelectionStatus,
    *,
    value: float,
    gap: float | None = None,
    seconds: float = 0.0,
    prices: Mapping[str, EntryPrice | None] | None = None,
    conflicts: tuple[str, ...] = (),
    shortfalls: tuple[Shortfall, ...] = (),
    unmandated: Solution | None = None,
    entry_prices: int | None = 0,
) -> Selection:
    """The Selection that `x` stands for, with the reasons for every item left out; `prices` are the entry
    prices computed, and `unmandated` the optimum without the mandates, which prices them."""
    budget, capacity = program.usage(x)
    prices = prices or {}
    left = []
    unsolved = unsolved_reason(status, gap)
    rows = _RowIndex(program, x)
    for n, ident in enumerate(program.ids):
        if unsolved:
            left.append(Exclusion(ident, ()))
        elif not x[n]:
            reasons = _reasons(program, rows, n, values)
            if ident in prices and prices[ident] is None:
                reasons.append(CANNOT_ENTER)
            left.append(_priced(Exclusion(ident, tuple(dict.fromkeys(reasons))), prices.get(ident)))
    return Selection(
        status=status,
        objective=program.objective,
        value=value,
        selected=tuple(i for i, chosen in zip(program.ids, x, strict=True) if chosen),
        not_selected=tuple(left),
        budget=budget,
        capacity=capacity,
        titles=program.titles,
        currency=program.currency,
        gap=gap,
        conflicts=conflicts,
        shortfalls=shortfalls,
        mandate_cost=None if unmandated is None else max(unmandated.value - value, 0.0),
        mandate_gap=None if unmandated is None else unmandated.gap,
        mandate_bound=None if unmandated is None or unmandated.bound is None else max(unmandated.bound - value, 0.0),
        mandate_stopped=unmandated is not None and unmandated.status == "time-limit",
        seconds=seconds,
        entry_prices=entry_prices,
    )


def _priced(exclusion: Exclusion, price: EntryPrice | None) -> Exclusion:
    if price is None:
        return exclusion
    return replace(
        exclusion, entry_price=price.value, price_low=price.low, price_high=price.high, price_proven=price.proven
    )


def unsolved_reason(status: SelectionStatus, gap: float | None) -> str:
    """Why there is no selection at all, or "" when there is one."""
    if status == "infeasible":
        return "nothing can be selected: the commitments and limits named cannot hold together"
    if status == "time-limit" and gap is None:
        return "no selection that fits was found within the time limit (--time-limit)"
    return ""


def _amount(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


class _RowIndex:
    """What the reasons need of the rows, computed once for a selection: each row's use by the selected items
    and, per column, the rows it has an entry in (in the rows' order), so that explaining every item left out
    costs the entries of its own rows rather than a pass over the whole program."""

    def __init__(self, program: PortfolioProgram, x: tuple[bool, ...]) -> None:
        self.x = x
        self.used = [sum(c for m, c in row.coefs.items() if x[m]) for row in program.rows]
        self.of: list[list[int]] = [[] for _ in program.ids]
        for r, row in enumerate(program.rows):
            for m, coef in row.coefs.items():
                if coef:
                    self.of[m].append(r)


def _reasons(program: PortfolioProgram, rows: _RowIndex, n: int, values: Mapping[str, float]) -> list[str]:
    """Why item n is out: what was settled before solving, its value, and each constraint it would break,
    with how much more room it would need there."""
    ident = program.ids[n]
    reasons = list(program.notes[ident])
    if ident not in values:
        reasons.append(
            f"no value: {program.unscored[ident]}" if ident in program.unscored else "no value (score missing)"
        )
    elif program.values[n] <= 0:
        reasons.append("no positive value")
    x = rows.x
    for r in rows.of[n]:
        row = program.rows[r]
        coef = row.coefs[n]
        kind = row.kind
        if isinstance(kind, Prerequisite | MutualExclusion):
            other = next(m for m in row.coefs if m != n)
            if isinstance(kind, Prerequisite) and kind.item == ident and not x[other]:
                reasons.append(f"depends on {program.ids[other]}, which is not selected")
            elif isinstance(kind, MutualExclusion) and x[other]:
                reasons.append(f"excludes {program.ids[other]}, which is selected")
        elif coef > EPS:
            short = rows.used[r] + coef - row.upper
            if short > row.upper * 1e-9 + EPS:
                reasons.append(f"{row.label} (short by {_amount(short)})")
    return reasons or ["lower value than the selected alternatives"]
