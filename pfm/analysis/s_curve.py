"""The portfolio's S-curve: cumulative planned value, earned value and actual cost at the end of each quarter.

Conventions (docs/methods.md, "Earned value of the portfolio's items"): the items are those `pfm evm` measures,
each with the PV curve of its baseline (BAC after its last quarter); EV and AC at a quarter's end are read off
the latest snapshot on or before it (the status date in the status quarter, so the last point is the EVM
roll-up's EV and AC); a snapshot without earned value or percent complete earns nothing. Quarters after the
status date have PV only.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pfm.analysis.evm import EarnedValueReport, ItemEarnedValue, snapshot_at
from pfm.model import Portfolio
from pfm.periods import quarter_index, quarter_label, quarter_of, quarter_start


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """The cumulative figures at the end of one quarter (at the status date in the status quarter)."""

    quarter: str
    pv: float
    ev: float | None  # None after the status quarter
    ac: float | None

    def to_dict(self) -> dict[str, Any]:
        """The quarter and its three figures."""
        return {"quarter": self.quarter, "pv": self.pv, "ev": self.ev, "ac": self.ac}


@dataclass(frozen=True, slots=True)
class SCurve:
    """Cumulative PV, EV and AC of the measured items by quarter, from the first baseline's start to the last
    baseline's end (or the status quarter, if later)."""

    as_of: date
    currency: str
    points: tuple[CurvePoint, ...]

    def records(self) -> list[dict[str, Any]]:
        """One row per quarter."""
        return [point.to_dict() for point in self.points]


def s_curve(portfolio: Portfolio, report: EarnedValueReport) -> SCurve:
    """The S-curve of the items `report` (`pfm.evm`) measures, by quarter (see the module's conventions)."""
    rows = [row for row in report.items if row.planned is not None]
    if not rows:
        return SCurve(report.as_of, report.currency, ())
    fys = portfolio.fiscal_year_start
    now = quarter_index(quarter_of(report.as_of, fys))
    first = min(row.first for row in rows)
    last = max(now, *(row.first + len(_pv(row)) - 1 for row in rows))
    points = []
    for quarter in range(first, last + 1):
        pv = math.fsum(_planned(row, quarter) for row in rows)
        if quarter > now:
            points.append(CurvePoint(quarter_label(quarter), pv, None, None))
            continue
        day = min(quarter_start(quarter_label(quarter + 1), fys) - timedelta(days=1), report.as_of)
        ev, ac = zip(*(_earned(portfolio, row, day, report.as_of) for row in rows), strict=True)
        points.append(CurvePoint(quarter_label(quarter), pv, math.fsum(ev), math.fsum(ac)))
    return SCurve(report.as_of, report.currency, tuple(points))


def programme_curves(portfolio: Portfolio, report: EarnedValueReport) -> tuple[tuple[str, SCurve], ...]:
    """The S-curve of each programme `report` rolls up (its own measured figures and its children's), in the
    report's order: the programme's id and its curve."""
    curves = []
    for programme in report.programmes:
        ident = programme.item
        rows = tuple(r for r in report.items if ident in (r.parent, r.figures.item))
        curves.append((ident, s_curve(portfolio, dataclasses.replace(report, items=rows))))
    return tuple(curves)


def _pv(row: ItemEarnedValue) -> tuple[float, ...]:
    assert row.planned is not None
    return row.planned.cumulative_pv


def _planned(row: ItemEarnedValue, quarter: int) -> float:
    curve = _pv(row)
    offset = quarter - row.first
    return 0.0 if offset < 0 else curve[min(offset, len(curve) - 1)]


def _earned(portfolio: Portfolio, row: ItemEarnedValue, day: date, status: date) -> tuple[float, float]:
    """EV and AC of the item's latest snapshot on or before `day` (an undated one counts as taken on `status`)."""
    snapshot = snapshot_at(portfolio.items[row.figures.item], day, status)
    if snapshot is None:
        return 0.0, 0.0
    bac = row.figures.bac
    if snapshot.earned_value is not None:
        return snapshot.earned_value, snapshot.spend
    return bac * (snapshot.percent_complete or 0.0) / 100.0, snapshot.spend
