"""`pfm export`: the portfolio and its analyses as tables, one per sheet, for a spreadsheet.

Each sheet is tidy: one row per thing, one column per field, long where a figure varies by year or
quarter (business cases, capacity). The analysis sheets are the `records()` of `pfm rank`,
`pfm select` and `pfm finance`, so they hold what those commands print. Writing the tables as a
workbook or a folder of CSV files is `pfm.reporting.workbook`'s business.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pfm.errors import PfmError
from pfm.model import Item, Portfolio
from pfm.periods import add_quarters
from pfm.reporting.tables import Kind
from pfm.results import Result

# The kind of every column not written as text, by name: how a workbook formats it.
_MONEY = ("amount", "entry_price", "npv", "pv_costs", "pv_benefits", "capex", "opex", "benefits", "headroom")
_KINDS: Mapping[str, Kind] = (
    dict.fromkeys(_MONEY, Kind.MONEY)
    | dict.fromkeys(("budget_capex", "budget_opex", "budget_total"), Kind.MONEY)
    | dict.fromkeys(("irr", "mirr", "roi", "simple_roi", "top_probability"), Kind.PERCENT)
    | dict.fromkeys(("score", "payback_years", "discounted_payback_years", "capacity"), Kind.NUMBER)
    | dict.fromkeys(("rank", "duration", "probability", "impact", "exposure"), Kind.WHOLE)
)
_DATES = ("date", "review_date")
SCORE_PREFIX = "score: "  # an item's score on a criterion is the column "score: <criterion id>"


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table: its name, its columns with their kinds, and its rows (dates as `datetime.date`)."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[Kind, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True, slots=True)
class Export(Result):
    """Every sheet of `pfm export`, in order; `currency` formats the money columns."""

    currency: str
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet:
        return next(sheet for sheet in self.sheets if sheet.name == name)

    def to_dict(self) -> dict[str, Any]:
        """Sheet name -> its records, dates as ISO text."""
        return {sheet.name: [{k: _json(v) for k, v in row.items()} for row in sheet.records()] for sheet in self.sheets}

    def records(self) -> list[dict[str, Any]]:
        """One row per sheet: its name, how many rows and columns it has."""
        return [{"sheet": s.name, "rows": len(s.rows), "columns": len(s.columns)} for s in self.sheets]


def export_tables(portfolio: Portfolio, today: datetime.date | None = None) -> Export:
    """The portfolio as sheets: About, items, business cases, capacity, risks, decisions, and the
    ranking, selection, finance and spend per year. An analysis the portfolio cannot give (no scores
    to rank, say) leaves its sheet out, and About says why."""
    from pfm.analysis.finances import finance
    from pfm.analysis.ranking import rank
    from pfm.selection.optimise import select

    analyses: list[Sheet] = []
    missing: list[tuple[str, str]] = []
    builders: list[tuple[str, Callable[[], list[dict[str, Any]]]]] = [
        ("ranking", lambda: rank(portfolio).records()),
        ("selection", lambda: select(portfolio).records()),
        ("finance", lambda: finance(portfolio).records()),
        ("spend", lambda: _spend(finance(portfolio).to_dict()["totals"])),
    ]
    for name, build in builders:
        try:
            analyses.append(_from_records(name, build()))
        except PfmError as error:
            missing.append((f"{name} sheet", f"not made: {error}"))
    return Export(
        portfolio.currency,
        (
            _about(portfolio, today or datetime.date.today(), missing),
            _items(portfolio),
            _business_cases(portfolio),
            _capacity(portfolio),
            _risks(portfolio),
            _decisions(portfolio),
            *analyses,
        ),
    )


def _about(portfolio: Portfolio, today: datetime.date, notes: Sequence[tuple[str, str]]) -> Sheet:
    from pfm.io.revisions import provenance

    origin = provenance(portfolio.root)
    rows: list[tuple[Any, ...]] = [
        ("portfolio", portfolio.name),
        ("id", portfolio.id),
        ("currency", portfolio.currency),
        ("scenario", portfolio.scenario),
        ("commit", origin.commit),
        ("branch", origin.branch),
        ("uncommitted changes", "yes" if origin.dirty else "no"),
        ("status date", _date(portfolio.as_of)),
        ("exported", today),
        *notes,
    ]
    return Sheet("About", ("field", "value"), (Kind.TEXT, Kind.TEXT), tuple(rows))


def _items(portfolio: Portfolio) -> Sheet:
    criteria = [c.id for c in portfolio.scoring.criteria] if portfolio.scoring else []
    columns = ["id", "title", "type", "parent", "stage", "status", "owner", "sponsor", "start", "duration", "end"]
    columns += ["mandatory", "tags", "objectives", "business_case", *(SCORE_PREFIX + c for c in criteria)]
    rows = [
        (
            item.id,
            item.title,
            item.type,
            item.parent,
            item.stage,
            item.status,
            item.owner,
            item.sponsor,
            item.start,
            item.duration,
            _end(item),
            item.mandatory,
            "; ".join(item.tags),
            "; ".join(item.objectives),
            portfolio.case_of_item.get(item.id),
            *(item.scores.get(c) for c in criteria),
        )
        for item in portfolio.items.values()
    ]
    kinds = [_KINDS.get(c, Kind.TEXT) for c in columns[: -len(criteria) or None]] + [Kind.NUMBER] * len(criteria)
    return Sheet("items", tuple(columns), tuple(kinds), tuple(rows))


def _end(item: Item) -> str | None:
    """The last quarter: as written, else from the start and duration."""
    if item.end is None and item.start is not None and item.duration:
        return add_quarters(item.start, item.duration - 1)
    return item.end


def _business_cases(portfolio: Portfolio) -> Sheet:
    rows: list[tuple[Any, ...]] = []
    for case in portfolio.business_cases.values():
        for cost in case.costs:
            rows += [
                (case.id, case.item, cost.year, "capex", cost.capex),
                (case.id, case.item, cost.year, "opex", cost.opex),
            ]
        rows += [(case.id, case.item, line.year, "benefit", line.amount) for line in case.benefits]
    return _sheet("business_cases", ("business_case", "item", "year", "figure", "amount"), rows)


def _capacity(portfolio: Portfolio) -> Sheet:
    rows = [
        (team.id, quarter, team.capacity.at(quarter), team.unit)
        for team in portfolio.teams.values()
        for quarter in portfolio.periods
    ]
    return _sheet("capacity", ("team", "quarter", "capacity", "unit"), rows)


def _risks(portfolio: Portfolio) -> Sheet:
    columns = ("id", "title", "probability", "impact", "exposure", "status", "owner", "category", "items")
    return _fields("risks", portfolio.risks.values(), (*columns, "review_date", "mitigation"))


def _decisions(portfolio: Portfolio) -> Sheet:
    columns = ("id", "date", "title", "forum", "outcome", "decision", "items", "decided_by", "rationale", "conditions")
    decisions = sorted(portfolio.decisions.values(), key=lambda d: (d.date, d.id))
    return _fields("decisions", decisions, columns)


def _fields(name: str, entities: Iterable[object], columns: Sequence[str]) -> Sheet:
    """A row per entity of its attributes named `columns`: lists joined with "; ", ISO dates as dates."""
    rows = []
    for entity in entities:
        values = [getattr(entity, column) for column in columns]
        rows.append(tuple(_date(v) if c in _DATES else _joined(v) for c, v in zip(columns, values, strict=True)))
    return _sheet(name, columns, rows)


def _joined(value: Any) -> Any:
    return "; ".join(value) if isinstance(value, tuple) else value


def _spend(totals: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """`pfm finance`'s totals, one row per fiscal year, the budget's figures flattened."""
    rows = []
    for year, t in totals.items():
        budget = t["budget"] or {}
        rows.append(
            {"year": int(year), "capex": t["capex"], "opex": t["opex"], "benefits": t["benefits"]}
            | {f"budget_{k}": budget.get(k) for k in ("capex", "opex", "total")}
            | {"headroom": t["headroom"]}
        )
    return rows


def _from_records(name: str, records: Sequence[Mapping[str, Any]]) -> Sheet:
    columns = tuple(records[0]) if records else ()
    return _sheet(name, columns, [tuple(r.values()) for r in records])


def _sheet(name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> Sheet:
    return Sheet(name, tuple(columns), tuple(_KINDS.get(c, Kind.TEXT) for c in columns), tuple(rows))


def _date(text: str | None) -> datetime.date | str | None:
    """An ISO date as a date (a real date in a workbook); anything else as written."""
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return text


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value
