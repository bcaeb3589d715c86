"""Earned value of a portfolio's items at a status date: planned value from each item's approved baseline,
earned value and actual cost from its latest status snapshot, and the roll-ups per programme and portfolio.

Conventions (docs/methods.md, "Earned value of the portfolio's items"):

- Time 0 is the first day of the baseline's start quarter; a period is a fiscal quarter.
- PV: the baseline's costs (capex + opex) of each fiscal year are spread evenly over that year's quarters
  within the baseline's schedule (all four for a year it spans whole). Costs of years before the start
  count in the first quarter; costs of years after the last quarter are running costs, outside BAC.
- AC is the snapshot's capex + opex; EV its `earned_value`, else percent complete x BAC. The snapshot is
  the latest dated on or before the status date (an undated one counts as taken at the status date).
- AT is the end of the status date; for an item whose snapshot shows it complete, the end of that
  snapshot's date (its actual finish), so that time after the finish does not count against it.
- A roll-up sums its items' PV curves on the calendar of its earliest start; ratios come from the sums.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pfm.analysis.earned_schedule import Baseline, Calendar
from pfm.analysis.earned_value import EarnedValue, ItemProgress, earned_value, group_total
from pfm.errors import UsageError
from pfm.model import Item, ItemBaseline, Portfolio
from pfm.periods import quarter_index, quarter_label, quarter_start
from pfm.records import Actuals
from pfm.results import Result
from pfm.validation.building import last_quarter

MEASURED_STATES = ("approved", "active", "closed")
BASELINE_BLOCK = "baseline block"


@dataclass(frozen=True, slots=True)
class MilestoneBaseline:
    """An item's milestones as approved: each one's baseline (a date or quarter) at the commit it was read from."""

    commit: str
    dates: Mapping[str, str]  # milestone name -> its baseline there, else its planned date or period there


@dataclass(frozen=True, slots=True)
class ItemEarnedValue:
    """One item's figures, what they were measured against, and the snapshot they come from."""

    figures: EarnedValue
    title: str
    parent: str | None
    baseline: str  # the commit sha the baseline was read from, or "baseline block"
    approved: str | None  # the baseline's approval date (the commit's date when read from git)
    actuals_as_of: str | None
    planned: Baseline | None = None  # the cumulative PV per quarter from the baseline's first quarter
    first: int = 0  # that quarter's index

    def to_dict(self) -> dict[str, Any]:
        """The item's figures (`EarnedValue.to_dict`) with its title, parent, baseline source and snapshot date."""
        head = {"item": self.figures.item, "title": self.title, "parent": self.parent, "baseline": self.baseline}
        return head | {"baseline_approved": self.approved, "actuals_as_of": self.actuals_as_of} | self.figures.to_dict()


@dataclass(frozen=True, slots=True)
class EarnedValueReport(Result):
    """Earned value per item at a status date, per programme and for the portfolio, and the items not measured."""

    as_of: date
    currency: str
    revision: str | None  # the revision every baseline was read from (--baseline), if one was given
    items: tuple[ItemEarnedValue, ...]
    programmes: tuple[EarnedValue, ...]  # a roll-up per programme, named by its id
    total: EarnedValue | None  # the portfolio's roll-up; None when no item is measured
    not_measured: Mapping[str, str]  # item id -> why it has no figures
    milestones: Mapping[str, MilestoneBaseline | str]  # item id -> its approved milestones, or why there are none

    def to_dict(self) -> dict[str, Any]:
        """What `pfm evm -f json` prints."""
        return {
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "baseline_revision": self.revision,
            "items": [item.to_dict() for item in self.items],
            "programmes": [programme.to_dict() for programme in self.programmes],
            "portfolio": self.total.to_dict() if self.total is not None else None,
            "not_measured": [{"item": ident, "reason": why} for ident, why in self.not_measured.items()],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per measured item: its title, parent, baseline source and every figure (no reasons)."""
        rows = []
        for item in self.items:
            row = item.to_dict()
            del row["not_available"]
            rows.append(row)
        return rows


def candidates(portfolio: Portfolio, only: str | None = None) -> list[Item]:
    """The items earned value is reported for: approved, active or closed ones (`only` and its children if given)."""
    return [
        item
        for item in portfolio.items.values()
        if portfolio.stage_state(item) in MEASURED_STATES and (only is None or only in (item.id, item.parent))
    ]


def status_date(portfolio: Portfolio, as_of: date | None) -> date | None:
    """The status date: `as_of`, else the portfolio's, else the latest snapshot's; None when there is none."""
    if as_of is not None:
        return as_of
    if portfolio.as_of is not None:
        return date.fromisoformat(portfolio.as_of)
    dated = [s.as_of for item in portfolio.items.values() for s in item.actuals if s.as_of is not None]
    return date.fromisoformat(max(dated)) if dated else None


def required_status_date(portfolio: Portfolio, as_of: date | None) -> date:
    """The status date (`as_of`, else the portfolio's, else the latest snapshot's), or a UsageError."""
    day = status_date(portfolio, as_of)
    if day is None:
        raise UsageError("no status date: set as_of in portfolio.yaml or give one (--as-of YYYY-MM-DD)")
    return day


def snapshot_at(item: Item, day: date, undated: date | None = None) -> Actuals | None:
    """The item's latest snapshot on or before `day` (an undated one counts as taken on `undated`, else `day`)."""
    when = undated or day
    taken = [(date.fromisoformat(s.as_of) if s.as_of else when, n, s) for n, s in enumerate(item.actuals)]
    return max((entry for entry in taken if entry[0] <= day), default=(None, 0, None))[2]


def own_baseline(
    portfolio: Portfolio, item: Item, commit: str | None = None, approved: str | None = None
) -> ItemBaseline | str:
    """The item's baseline block, else its schedule and business case as they are in `portfolio`; or why there is none."""
    if item.baseline is not None:
        return item.baseline if commit is None else _at_commit(item.baseline, commit, approved)
    case = portfolio.business_case_of(item.id)
    if case is None:
        return "no business case to plan value from"
    schedule = {"duration": item.duration, "end": item.end}
    return ItemBaseline(item.start, last_quarter(item.start, schedule), case.costs, approved, None, commit)


def milestone_baseline(item: Item, commit: str) -> MilestoneBaseline:
    """The item's milestones as they are in the file at `commit`: each one's baseline, else its planned date."""
    dates = {m.name: when for m in item.milestones if (when := m.baseline or m.date or m.period) is not None}
    return MilestoneBaseline(commit, dates)


def _at_commit(baseline: ItemBaseline, commit: str, approved: str | None) -> ItemBaseline:
    return ItemBaseline(
        baseline.start, baseline.end, baseline.costs, baseline.approved or approved, baseline.decision, commit
    )


def planned_value(baseline: ItemBaseline) -> Baseline | str:
    """The cumulative PV per quarter of a baseline (see the module's conventions), or why there is none."""
    if baseline.start is None:
        return "the baseline has no start quarter"
    first = quarter_index(baseline.start)
    years = [cost.year for cost in baseline.costs]
    last = quarter_index(baseline.end) if baseline.end is not None else max([*years, first // 4]) * 4 + 3
    if last < first:
        return "the baseline ends before it starts"
    increments = [0.0] * (last - first + 1)
    for cost in baseline.costs:
        quarters = list(range(max(cost.year * 4, first), min(cost.year * 4 + 3, last) + 1))
        if cost.year * 4 < first and not quarters:
            quarters = [first]  # planned before the start: due in the first quarter
        for quarter in quarters:
            increments[quarter - first] += (cost.capex + cost.opex) / len(quarters)
    bac = math.fsum(increments)
    if bac == 0:
        return "the baseline plans no cost within its schedule"
    running, curve = 0.0, []
    for increment in increments:
        running += increment
        curve.append(running)
    return Baseline((*curve[:-1], bac), bac)


@dataclass(frozen=True, slots=True)
class _Measured:
    row: ItemEarnedValue
    curve: Baseline
    first: int  # the baseline's first quarter index


def earned_value_report(
    portfolio: Portfolio,
    baselines: Mapping[str, ItemBaseline | str],
    as_of: date,
    items: list[Item],
    revision: str | None,
    milestones: Mapping[str, MilestoneBaseline | str],
) -> EarnedValueReport:
    """Earned value of `items` at `as_of` against `baselines` (item id -> baseline, or why there is none), with
    the items' approved `milestones` (item id -> them, or why there are none) for `pfm status`."""
    measured: list[_Measured] = []
    reasons: dict[str, str] = {}
    for item in items:
        outcome = _measure(portfolio, item, baselines.get(item.id, "no baseline"), as_of)
        if isinstance(outcome, str):
            reasons[item.id] = outcome
        else:
            measured.append(outcome)
    groups: dict[str, list[_Measured]] = {}
    for entry in measured:
        programme = entry.row.figures.item if portfolio.items[entry.row.figures.item].type == "programme" else None
        for key in {programme, entry.row.parent} - {None}:
            groups.setdefault(str(key), []).append(entry)
    programmes = tuple(
        _roll_up(group, name, as_of, portfolio.fiscal_year_start) for name, group in sorted(groups.items())
    )
    total = _roll_up(measured, "portfolio", as_of, portfolio.fiscal_year_start) if measured else None
    rows = tuple(entry.row for entry in measured)
    return EarnedValueReport(as_of, portfolio.currency, revision, rows, programmes, total, reasons, milestones)


def _measure(portfolio: Portfolio, item: Item, baseline: ItemBaseline | str, as_of: date) -> _Measured | str:
    if not item.actuals:
        return "no actuals"
    snapshot = snapshot_at(item, as_of)
    if snapshot is None:
        return f"no actuals on or before {as_of.isoformat()}"
    if isinstance(baseline, str):
        return baseline
    curve = planned_value(baseline)
    if isinstance(curve, str):
        return curve
    if snapshot.earned_value is None and snapshot.percent_complete is None:
        return f"the actuals of {snapshot.as_of or as_of.isoformat()} give no percent complete or earned value"
    assert baseline.start is not None  # planned_value needs one
    calendar = Calendar(quarter_start(baseline.start, portfolio.fiscal_year_start))
    done = snapshot.as_of is not None and (snapshot.percent_complete == 100 or snapshot.earned_value == curve.bac)
    at = position(calendar, date.fromisoformat(snapshot.as_of) if done and snapshot.as_of else as_of)
    try:
        figures = earned_value(
            curve,
            at,
            snapshot.spend,
            snapshot.earned_value,
            percent_complete=snapshot.percent_complete if snapshot.earned_value is None else None,
            item=item.id,
            calendar=calendar,
        )
    except ValueError as error:
        return f"the actuals cannot be measured: {error}"
    source = baseline.commit or BASELINE_BLOCK
    first = quarter_index(baseline.start)
    row = ItemEarnedValue(figures, item.title, item.parent, source, baseline.approved, snapshot.as_of, curve, first)
    return _Measured(row, curve, first)


def position(calendar: Calendar, day: date) -> float:
    """The position of the end of `day` (a status date counts in full); 0 before the calendar's start."""
    end = day + timedelta(days=1)
    return calendar.position_of(end) if end >= calendar.start else 0.0


def _roll_up(group: list[_Measured], name: str, as_of: date, fiscal_year_start: int) -> EarnedValue:
    """The figures of a group's sum, on the calendar of its earliest start (ES on the summed curve)."""
    origin = min(entry.first for entry in group)
    shifted = [
        Baseline((0.0,) * (entry.first - origin) + entry.curve.cumulative_pv, entry.curve.bac)
        if entry.first > origin
        else entry.curve
        for entry in group
    ]
    calendar = Calendar(quarter_start(quarter_label(origin), fiscal_year_start))
    progress = [
        ItemProgress(entry.row.figures.item, curve, entry.row.figures.ac, entry.row.figures.ev)
        for entry, curve in zip(group, shifted, strict=True)
    ]
    return group_total(progress, position(calendar, as_of), name=name, calendar=calendar)
