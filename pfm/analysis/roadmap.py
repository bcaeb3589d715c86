"""The roadmap: the earliest schedule that respects dependencies and team capacity.

Serial schedule generation. In-flight (active) items stay at their planned start and use
capacity even where they overload it (the capacity view reports that). The others are
placed one at a time in priority order, once their prerequisites in the plan are placed,
at the earliest quarter no earlier than their requested start (or the horizon's first
quarter) that every dependency allows and in which every team they need has the effort
left in every quarter they occupy. They must finish within the horizon; one that cannot
is unscheduled, and so is every item that depends on it. An item without a duration (or
end) is scheduled for one quarter. Constant demand is asked in every quarter occupied; a
per-quarter mapping keeps its shape and moves with the start (anchored on the requested
start, or on the mapping's first quarter). Dependency types follow `pfm.analysis.graph`;
prerequisites outside the plan (closed, cancelled, other states) impose nothing.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pfm.analysis.capacity import item_duration
from pfm.methods import Method
from pfm.model import Item, Portfolio, Team
from pfm.periods import quarter_index, quarter_label
from pfm.records import Dependency, Quarter
from pfm.results import Result

_EPSILON = 1e-9
Profile = dict[str, dict[int, float]]  # team -> quarters after the start -> effort


@dataclass(frozen=True, slots=True)
class Planned:
    """One item's place in the roadmap, and why it is later than requested (or does not fit)."""

    id: str
    requested_start: Quarter | None
    scheduled_start: Quarter | None
    end: Quarter | None  # last quarter occupied
    delay: int | None  # quarters after the requested start; 0 when on time or nothing was requested; None: not placed
    reason: str  # "" when on time; else the binding constraint, in plain words
    fixed: bool  # in flight: kept where it is

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "requested_start": self.requested_start,
            "scheduled_start": self.scheduled_start,
            "end": self.end,
            "delay": self.delay,
            "reason": self.reason,
            "fixed": self.fixed,
        }


@dataclass(frozen=True, slots=True)
class Roadmap(Result):
    """The schedule (`pfm roadmap`): its records are the placed items, then those that do not fit."""

    items: tuple[Planned, ...]  # by scheduled start, then priority
    unscheduled: tuple[Planned, ...]  # did not fit in the horizon, in priority order

    def to_dict(self) -> dict[str, Any]:
        return {"items": [e.to_dict() for e in self.items], "unscheduled": [e.to_dict() for e in self.unscheduled]}

    def records(self) -> list[dict[str, Any]]:
        return [entry.to_dict() for entry in (*self.items, *self.unscheduled)]


class _Ledger:
    """Each team's effort left over per quarter of the horizon."""

    def __init__(self, teams: Mapping[str, Team], first: int, last: int) -> None:
        self.teams, self.first, self.last = teams, first, last
        quarters = range(first, last + 1)
        self.free = {(t.id, i): t.capacity.at(quarter_label(i)) for t in teams.values() for i in quarters}

    def _asks(self, profile: Profile, start: int) -> list[tuple[int, str, float]]:
        asks = [(start + offset, team, amount) for team, row in profile.items() for offset, amount in row.items()]
        return sorted(ask for ask in asks if self.first <= ask[0] <= self.last)

    def shortfall(self, profile: Profile, start: int) -> str | None:
        """The first quarter and team without room for the item starting at `start`, in words."""
        for index, team, amount in self._asks(profile, start):
            left = self.free[team, index]
            if left < amount - _EPSILON:
                unit = self.teams[team].unit
                return f"{team} has {max(left, 0.0):g} {unit} free in {quarter_label(index)}, needs {amount:g}"
        return None

    def book(self, profile: Profile, start: int) -> None:
        for index, team, amount in self._asks(profile, start):
            self.free[team, index] -= amount


def _duration(item: Item) -> int:
    return item_duration(item) or 1


def demand_profile(item: Item, duration: int, teams: Collection[str]) -> Profile:
    """Team -> quarters after the start -> effort: constant demand in every quarter occupied, a per-quarter
    mapping keeping its shape (anchored on the start as written, or on its first quarter)."""
    named = [quarter_index(q) for p in item.demand.values() for q in p.by_period]
    anchor = quarter_index(item.start) if item.start else min(named, default=0)
    profile: Profile = {}
    for team, per_period in item.demand.items():
        if team not in teams:
            continue
        if per_period.constant is not None:
            row = dict.fromkeys(range(duration), per_period.constant)
        else:
            row = {quarter_index(q) - anchor: amount for q, amount in per_period.by_period.items()}
        row = {offset: amount for offset, amount in row.items() if amount > 0}
        if row:
            profile[team] = row
    return profile


def _bound(dependency: Dependency, theirs: tuple[int, int], duration: int) -> int:
    """The earliest start a dependency on an item at (start, duration) `theirs` allows."""
    start, length = theirs
    bounds = {
        "start-to-start": start,
        "finish-to-finish": start + length - duration,
        "start-to-finish": start - duration,
    }
    return bounds.get(dependency.type, start + length) + dependency.lag


def _waits(dependency: Dependency, theirs: tuple[int, int]) -> str:
    start, length = theirs
    lag = f", lag {dependency.lag}" if dependency.lag else ""
    begins, ends = quarter_label(start), quarter_label(start + length - 1)
    return {
        "start-to-start": f"waits for {dependency.id} to start ({begins}{lag})",
        "finish-to-finish": f"must end no earlier than {dependency.id} (ends {ends}{lag})",
        "start-to-finish": f"must end after {dependency.id} starts ({begins}{lag})",
    }.get(dependency.type, f"waits for {dependency.id} (ends {ends}{lag})")


def _priority(
    portfolio: Portfolio, planned: Collection[str], order: Sequence[str] | None, method: Method | None
) -> list[str]:
    if order is None and (method is not None or portfolio.scoring is not None):
        from pfm.analysis.ranking import rank

        order = [entry.id for entry in rank(portfolio, method or "weighted").items]
    first = [ident for ident in dict.fromkeys(order or ()) if ident in planned]
    return first + sorted(set(planned) - set(first))


def plan_roadmap(
    portfolio: Portfolio,
    method: Method | None = None,
    order: Sequence[str] | None = None,
    states: Collection[str] = ("proposed", "approved", "active"),
    *,
    selection: Collection[str] | None = None,
) -> Roadmap:
    """Place the items of `states` (programmes excepted) in priority order; see the module's docstring.

    The priority, highest first, is `order` when given, else the ranking by `method` (`pfm roadmap -m`; without
    one, the weighted ranking, or none when the portfolio has no scoring model); items it leaves out follow by id.
    With `selection` (`pfm roadmap --selection`: the items of `pfm.select(portfolio, method).selected`), exactly
    those items are placed, whatever their state: the roadmap of the recommended portfolio, as the board pack
    shows it. Items outside the plan take no capacity and hold no dependent back.
    """
    chosen = None if selection is None else set(selection)
    items = {
        i.id: i
        for i in portfolio.items.values()
        if i.type != "programme" and (portfolio.stage_state(i) in states if chosen is None else i.id in chosen)
    }
    position = {ident: n for n, ident in enumerate(_priority(portfolio, items, order, method))}
    first, last = quarter_index(portfolio.first_period), quarter_index(portfolio.last_period)
    ledger = _Ledger(portfolio.teams, first, last)
    spans: dict[str, tuple[int, int]] = {}  # placed item -> (start index, duration)
    placed: list[Planned] = []
    unfit: dict[str, Planned] = {}

    def prerequisites(item: Item) -> list[Dependency]:
        return [d for d in item.depends_on if d.id in items and d.id != item.id]

    for item in items.values():
        if portfolio.stage_state(item) == "active" and item.start is not None:
            duration, start = _duration(item), quarter_index(item.start)
            spans[item.id] = (start, duration)
            ledger.book(demand_profile(item, duration, portfolio.teams), start)
            placed.append(Planned(item.id, item.start, item.start, quarter_label(start + duration - 1), 0, "", True))
    alternatives = _alternatives(items.values())
    waiting = {i: {d.id for d in prerequisites(items[i])} - set(spans) for i in items if i not in spans}
    dependents: dict[str, list[str]] = {}
    for ident, needs in waiting.items():
        for need in needs:
            dependents.setdefault(need, []).append(ident)
    ready = [(position[i], i) for i, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    while ready:
        _, ident = heapq.heappop(ready)
        item = items[ident]
        del waiting[ident]
        rival = next((other for other in sorted(alternatives.get(ident, ())) if other in spans), None)
        if rival is not None:  # mutually exclusive: the higher-ranked alternative already has the slot
            entry = Planned(ident, item.start, None, None, None, f"the alternative {rival} is planned instead", False)
        else:
            entry = _place(item, prerequisites(item), spans, unfit, ledger, portfolio.teams)
        if entry.scheduled_start is None:
            unfit[ident] = entry
        else:
            placed.append(entry)
            spans[ident] = (quarter_index(entry.scheduled_start), _duration(item))
        for dependent in dependents.get(ident, ()):
            waiting[dependent].discard(ident)
            if not waiting[dependent]:
                heapq.heappush(ready, (position[dependent], dependent))
    for ident, needs in waiting.items():  # what is left is in, or behind, a dependency cycle
        reason = f"waits for {', '.join(sorted(needs))}, caught in a dependency cycle"
        unfit[ident] = Planned(ident, items[ident].start, None, None, None, reason, False)
    return Roadmap(
        items=tuple(sorted(placed, key=lambda p: (quarter_index(p.scheduled_start or ""), position[p.id]))),
        unscheduled=tuple(sorted(unfit.values(), key=lambda p: position[p.id])),
    )


def _alternatives(items: Iterable[Item]) -> dict[str, set[str]]:
    """Item -> the items it is mutually exclusive with, whichever side declared it."""
    found: dict[str, set[str]] = {}
    for item in items:
        for other in item.excludes:
            found.setdefault(item.id, set()).add(other)
            found.setdefault(other, set()).add(item.id)
    return found


def _place(
    item: Item,
    needs: Sequence[Dependency],
    spans: Mapping[str, tuple[int, int]],
    unfit: Mapping[str, Planned],
    ledger: _Ledger,
    teams: Mapping[str, Team],
) -> Planned:
    """Schedule one item whose prerequisites have all been decided."""
    requested = quarter_index(item.start) if item.start else None
    blocked = next((d.id for d in needs if d.id in unfit), None)
    if blocked is not None:
        return Planned(item.id, item.start, None, None, None, f"waits for {blocked}, which does not fit", False)
    duration = _duration(item)
    floor = ledger.first if requested is None else max(ledger.first, requested)
    lower, reasons = floor, []
    if requested is not None and requested < floor:
        reasons.append(f"the horizon starts {quarter_label(floor)}")
    binding = max(needs, key=lambda d: _bound(d, spans[d.id], duration), default=None)
    if binding is not None and _bound(binding, spans[binding.id], duration) > floor:
        lower = _bound(binding, spans[binding.id], duration)
        reasons = [_waits(binding, spans[binding.id])]
    profile = demand_profile(item, duration, teams)
    first_shortfall = None
    for start in range(lower, ledger.last - duration + 2):
        shortfall = ledger.shortfall(profile, start)
        if shortfall is None:
            ledger.book(profile, start)
            reasons += [first_shortfall] if first_shortfall else []
            delay = start - requested if requested is not None else 0
            end = quarter_label(start + duration - 1)
            return Planned(item.id, item.start, quarter_label(start), end, delay, "; ".join(reasons), False)
        first_shortfall = first_shortfall or shortfall
    room = "no room before the end of the horizon" + (f" ({first_shortfall})" if first_shortfall else "")
    return Planned(item.id, item.start, None, None, None, "; ".join([*reasons, room]), False)
