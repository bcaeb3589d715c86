"""Benefits planned against realised (`pfm benefits`), per item and benefit type, and the benefits overdue for
measurement.

Conventions (docs/methods.md, "Benefits realisation"):

- The items counted are the approved, active and closed ones with a business case or benefits realised.
- Planned: the business case's approved benefit rows (a row without a type counts as `unspecified`); planned to
  date sums the rows of fiscal years that have closed by the status date.
- Realised: `benefits_realised` of the latest snapshot on or before the status date (cumulative to date), by
  type; a plain total is shown against type `all`, beside the item's planned rows of every type.
- Realisation = realised / planned to date (none when nothing was planned to date).
- A benefit is overdue for measurement when its fiscal year has closed by the status date and no snapshot from
  that year's first day to the status date records it: names its type (a zero counts as recorded), or, for a
  snapshot that gives only a total, a total above zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pfm.analysis.evm import MEASURED_STATES, required_status_date, snapshot_at
from pfm.analysis.spend import year_end, year_start
from pfm.model import Item, Portfolio
from pfm.records import Actuals, BenefitLine
from pfm.results import Result

ALL = "all"
UNSPECIFIED = "unspecified"


@dataclass(frozen=True, slots=True)
class BenefitRealisation:
    """One item's benefit of one type: planned in all, planned to date, realised to date."""

    item: str
    type: str
    planned: float
    planned_to_date: float
    realised: float

    @property
    def realisation(self) -> float | None:
        """Realised / planned to date; None when nothing was planned to date."""
        return self.realised / self.planned_to_date if self.planned_to_date else None

    def to_dict(self) -> dict[str, Any]:
        """The figures by name, the realisation ratio included."""
        return {
            "item": self.item,
            "type": self.type,
            "planned": self.planned,
            "planned_to_date": self.planned_to_date,
            "realised": self.realised,
            "realisation": self.realisation,
        }


@dataclass(frozen=True, slots=True)
class OverdueBenefit:
    """A benefit whose fiscal year has closed with nothing recorded for it."""

    item: str
    type: str
    year: int
    planned: float

    def to_dict(self) -> dict[str, Any]:
        """The item, type, fiscal year and amount planned."""
        return {"item": self.item, "type": self.type, "year": self.year, "planned": self.planned}


@dataclass(frozen=True, slots=True)
class BenefitsReport(Result):
    """Benefits planned and realised per item and type at a status date, and those overdue for measurement."""

    as_of: date
    currency: str
    rows: tuple[BenefitRealisation, ...]
    overdue: tuple[OverdueBenefit, ...]

    @property
    def planned_to_date(self) -> float:
        """The planned to date of every row."""
        return sum(row.planned_to_date for row in self.rows)

    @property
    def realised(self) -> float:
        """The realised of every row."""
        return sum(row.realised for row in self.rows)

    @property
    def realisation(self) -> float | None:
        """The portfolio's realised / planned to date; None when nothing was planned to date."""
        return self.realised / self.planned_to_date if self.planned_to_date else None

    def to_dict(self) -> dict[str, Any]:
        """What `pfm benefits -f json` prints."""
        ratio = self.realisation
        return {
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "items": [row.to_dict() for row in self.rows],
            "total": {"planned_to_date": self.planned_to_date, "realised": self.realised, "realisation": ratio},
            "overdue": [entry.to_dict() for entry in self.overdue],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per item and benefit type."""
        return [row.to_dict() for row in self.rows]


def benefits(portfolio: Portfolio, as_of: date | None = None) -> BenefitsReport:
    """Benefits planned (the business cases) against realised (the latest snapshots' `benefits_realised`) per
    item and type at the status date, the realisation ratio, and the benefits overdue for measurement."""
    day = required_status_date(portfolio, as_of)
    rows: list[BenefitRealisation] = []
    overdue: list[OverdueBenefit] = []
    for item in portfolio.items.values():
        if portfolio.stage_state(item) not in MEASURED_STATES:
            continue
        case = portfolio.business_case_of(item.id)
        planned = case.benefits if case is not None else ()
        latest = snapshot_at(item, day)
        if planned or (latest is not None and latest.benefits_realised):
            rows.extend(_rows(portfolio, item.id, planned, latest, day))
        overdue.extend(_overdue(portfolio, item, planned, day))
    return BenefitsReport(day, portfolio.currency, tuple(rows), tuple(overdue))


def _kind(line: BenefitLine) -> str:
    return line.type or UNSPECIFIED


def _rows(
    portfolio: Portfolio, item: str, planned: Iterable[BenefitLine], latest: Actuals | None, day: date
) -> list[BenefitRealisation]:
    closed = [line for line in planned if year_end(line.year, portfolio.fiscal_year_start) <= day]
    total_only = latest is not None and latest.benefits_realised and not latest.benefits_by_type
    by_type = dict(latest.benefits_by_type) if latest is not None else {}
    kinds = [ALL] if total_only else sorted({*map(_kind, planned), *by_type})
    return [
        BenefitRealisation(
            item,
            kind,
            sum(line.amount for line in planned if kind in (ALL, _kind(line))),
            sum(line.amount for line in closed if kind in (ALL, _kind(line))),
            latest.benefits_realised if total_only and latest is not None else by_type.get(kind, 0.0),
        )
        for kind in kinds
    ]


def _overdue(portfolio: Portfolio, item: Item, planned: Iterable[BenefitLine], day: date) -> list[OverdueBenefit]:
    fys = portfolio.fiscal_year_start
    due: dict[tuple[str, int], float] = {}
    for line in planned:
        if line.amount and year_end(line.year, fys) <= day:
            due[(_kind(line), line.year)] = due.get((_kind(line), line.year), 0.0) + line.amount
    return [
        OverdueBenefit(item.id, kind, year, amount)
        for (kind, year), amount in sorted(due.items())
        if not any(_records(s, kind) for s in _since(item, year_start(year, fys), day))
    ]


def _since(item: Item, first: date, day: date) -> list[Actuals]:
    """The item's snapshots dated from `first` to `day` (an undated one counts as taken on `day`)."""
    return [s for s in item.actuals if first <= (date.fromisoformat(s.as_of) if s.as_of else day) <= day]


def _records(snapshot: Actuals, kind: str) -> bool:
    if snapshot.benefits_by_type:
        return kind in snapshot.benefits_by_type
    return snapshot.benefits_realised > 0
