"""Team capacity: demand against capacity per team and quarter, and the over-allocated quarters.

An item occupies `duration` quarters from `start` (or `start` to `end`, both included).
Its demand on a team is either one number, asked in every quarter the item occupies, or
a number per quarter, asked in exactly the quarters it names. An item without a start
(or without a duration or end) cannot be placed in time: its constant demand is reported
as unplaced rather than guessed. Demand in quarters outside the planning horizon, and on
teams the portfolio does not declare, is left out.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pfm.errors import UsageError
from pfm.model import Item, Portfolio
from pfm.periods import quarter_index, quarter_label
from pfm.records import Quarter
from pfm.results import Result

DEFAULT_STATES = ("approved", "active")  # funded or in-flight work: what is already committed
ALL_OPEN = ("proposed", "approved", "active")  # the whole pipeline
_EPSILON = 1e-9


def utilisation(demand: float, capacity: float) -> float | None:
    """Demand / capacity; None when both are 0, infinity when only the capacity is 0."""
    if capacity > 0:
        return demand / capacity
    return float("inf") if demand > _EPSILON else None


@dataclass(frozen=True, slots=True)
class Cell:
    """One team in one quarter: its capacity, the demand on it and the items that make it up."""

    team: str
    period: Quarter
    capacity: float
    demand: float
    items: tuple[tuple[str, float], ...]  # (item id, amount), largest first, then by id

    @property
    def utilisation(self) -> float | None:
        return utilisation(self.demand, self.capacity)

    @property
    def over(self) -> bool:
        return self.demand > self.capacity + _EPSILON

    def to_dict(self) -> dict[str, Any]:
        """The cell as JSON holds it: utilisation is null where it is no number (demand on no capacity: `over`)."""
        share = self.utilisation
        return {
            "period": self.period,
            "capacity": self.capacity,
            "demand": self.demand,
            "utilisation": share if share is not None and math.isfinite(share) else None,
            "over": self.over,
            "items": [{"id": ident, "demand": amount} for ident, amount in self.items],
        }


@dataclass(frozen=True, slots=True)
class CapacityView(Result):
    """Demand against capacity per team and quarter (`pfm capacity`); its records are one row per team and quarter."""

    periods: tuple[Quarter, ...]
    teams: tuple[tuple[str, tuple[Cell, ...]], ...]  # team id, one cell per period of the horizon
    over_allocated: tuple[Cell, ...]  # by team, then period
    unplaced: tuple[str, ...]  # items asking a constant effort of a shown team but without dates
    counted: tuple[str, ...]  # the items selected by state or stage, in id order
    units: Mapping[str, str]  # team id -> the unit its capacity and demand are in

    def to_dict(self) -> dict[str, Any]:
        return {
            "periods": list(self.periods),
            "teams": [
                {"id": team, "unit": self.units[team], "periods": [c.to_dict() for c in cells]}
                for team, cells in self.teams
            ],
            "over_allocated": [{"team": c.team, **c.to_dict()} for c in self.over_allocated],
            "unplaced": list(self.unplaced),
        }

    def records(self) -> list[dict[str, Any]]:
        return [
            {
                "team": c.team,
                "period": c.period,
                "capacity": c.capacity,
                "demand": c.demand,
                "utilisation": c.to_dict()["utilisation"],
                "items": "; ".join(f"{ident} {amount:g}" for ident, amount in c.items),
            }
            for _, cells in self.teams
            for c in cells
        ]


def item_duration(item: Item) -> int | None:
    """Quarters the item lasts: its duration, or start to end inclusive; None when unknown."""
    if item.duration is not None:
        return item.duration
    if item.start is not None and item.end is not None:
        return max(0, quarter_index(item.end) - quarter_index(item.start) + 1)
    return None


def occupied_quarters(item: Item) -> list[Quarter] | None:
    """The quarters the item occupies, in order; None when it has no start or no duration/end."""
    duration = item_duration(item)
    if item.start is None or duration is None:
        return None
    first = quarter_index(item.start)
    return [quarter_label(index) for index in range(first, first + duration)]


def item_demand(item: Item) -> dict[str, dict[Quarter, float]]:
    """Team -> quarter -> effort asked of it; zero amounts are left out.

    Constant demand needs the item's dates, so it is absent from an item without them
    ({} when that is all the item asks). A per-quarter mapping names its own quarters,
    so it is kept as written, dates or not.
    """
    quarters = occupied_quarters(item)
    demand: dict[str, dict[Quarter, float]] = {}
    for team, per_period in item.demand.items():
        if per_period.constant is not None:
            amounts = dict.fromkeys(quarters or (), per_period.constant)
        else:
            amounts = dict(per_period.by_period)
        amounts = {quarter: amount for quarter, amount in amounts.items() if amount > 0}
        if amounts:
            demand[team] = amounts
    return demand


def is_unplaced(item: Item, teams: Collection[str] = ()) -> bool:
    """Whether the item asks a constant effort (of `teams`, when given) but has no dates to put it in."""
    if occupied_quarters(item) is not None:
        return False
    return any(
        per_period.constant is not None and per_period.constant > 0 and (not teams or team in teams)
        for team, per_period in item.demand.items()
    )


def select_items(portfolio: Portfolio, states: Collection[str], stages: Collection[str] = ()) -> list[Item]:
    """The items whose stage is in `stages` when given, else whose stage state is in `states`; id order."""
    chosen = [
        item
        for item in portfolio.items.values()
        if (item.stage in stages if stages else portfolio.stage_state(item) in states)
    ]
    return sorted(chosen, key=lambda item: item.id)


def capacity_view(
    portfolio: Portfolio,
    states: Collection[str] = DEFAULT_STATES,
    stages: Collection[str] = (),
    teams: Collection[str] = (),
) -> CapacityView:
    """Demand against capacity for every team (or those in `teams`) and every quarter of the horizon.

    `states` picks the items counted by their stage's state (default: approved and active, the committed work;
    `ALL_OPEN` adds the proposed ones); `stages`, when given, counts exactly the items in those stages instead.
    """
    unknown = [team for team in teams if team not in portfolio.teams]
    if unknown:
        raise UsageError(f"no team {', '.join(unknown)} (teams: {', '.join(portfolio.teams)})")
    shown = [team for team in portfolio.teams if not teams or team in teams]
    periods = tuple(portfolio.periods)
    horizon = set(periods)
    items = select_items(portfolio, states, stages)
    booked: dict[tuple[str, Quarter], list[tuple[str, float]]] = {}
    for item in items:
        for team, amounts in item_demand(item).items():
            if team not in shown:
                continue
            for quarter, amount in amounts.items():
                if quarter in horizon:
                    booked.setdefault((team, quarter), []).append((item.id, amount))
    rows = []
    for team in shown:
        capacity = portfolio.teams[team].capacity
        cells = []
        for quarter in periods:
            causes = tuple(sorted(booked.get((team, quarter), ()), key=lambda entry: (-entry[1], entry[0])))
            cells.append(Cell(team, quarter, capacity.at(quarter), sum(amount for _, amount in causes), causes))
        rows.append((team, tuple(cells)))
    return CapacityView(
        periods=periods,
        teams=tuple(rows),
        over_allocated=tuple(cell for _, cells in rows for cell in cells if cell.over),
        unplaced=tuple(item.id for item in items if is_unplaced(item, shown)),
        counted=tuple(item.id for item in items),
        units={team: portfolio.teams[team].unit for team in shown},
    )
