"""Delivery tracking as tables: the status dashboard (`pfm status`), spend against budget (`pfm spend`) and
benefits realisation (`pfm benefits`)."""

from __future__ import annotations

from collections import Counter

from pfm.analysis.benefits import BenefitsReport
from pfm.analysis.rag import rule_dict
from pfm.analysis.spend import SpendReport
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table
from pfm.review.status import StatusReport
from pfm.wording import counted

_NA = "n/a"


def status_table(report: StatusReport) -> Table:
    """A row per approved or active item, watermelons first; the rules applied as a section; each watermelon and
    each red item a warning line."""
    figures = ("cpi", "spi", "bac", "eac", "eac_overrun_percent", "milestone_slip_quarters")
    rows: list[list[Cell]] = [
        [row.item, row.reported or _NA, row.computed, row.reason, *(_na(row.to_dict()[name]) for name in figures)]
        for row in report.items
    ]
    rules = [rule_dict(rule) for rule in report.rules]
    section = Table(
        "RAG rules (" + ("pfm's defaults" if report.default_rules else "the portfolio's rag_rules") + ")",
        ["metric", "below", "above", "RAG", "reason"],
        [[r["metric"], r.get("below", ""), r.get("above", ""), r["rag"], r["reason"]] for r in rules],
        {},
        [Kind.TEXT, Kind.NUMBER, Kind.NUMBER, Kind.TEXT, Kind.TEXT],
    )
    notes = [f"watermelon: {r.item} reported green, computed {r.computed}: {r.reason}" for r in report.watermelons]
    notes += [f"{r.item} is red: {r.reason}" for r in report.red if not r.watermelon]
    return Table(
        f"Delivery status at {report.as_of.isoformat()} ({report.currency}; worst rule wins)",
        ["item", "reported", "computed", "reason", "CPI", "SPI", "BAC", "EAC", "EAC over BAC %", "slip (q)"],
        rows,
        report.to_dict(),
        [Kind.TEXT] * 4 + [Kind.NUMBER] * 2 + [Kind.MONEY] * 2 + [Kind.NUMBER, Kind.WHOLE],
        notes,
        [section],
        [f"{r.item}: not measured: {r.not_measured}" for r in report.items if r.not_measured]
        + _approved_milestones(report)
        + [
            f"{r.item}: milestone slip not measured: {r.milestone_missing}" for r in report.items if r.milestone_missing
        ],
    )


def spend_table(report: SpendReport) -> Table:
    """A row per fiscal year and kind (capex, opex, total): budget, actual, forecast to year end, landing and
    variance; each year forecast to land over budget a warning line."""
    rows: list[list[Cell]] = []
    for line in report.lines:
        figures = (line.budget, line.actual, line.remaining, line.landing, line.variance)
        rows.append([str(line.year), line.phase, line.kind, *map(_blank, figures)])
    notes = [
        f"{line.year} {line.kind} is forecast to land {-line.variance:,.0f} over budget"
        for line in report.lines
        if line.variance is not None and line.variance < 0
    ]
    return Table(
        f"Spend per fiscal year at {report.as_of.isoformat()} ({report.currency}; variance = budget - landing)",
        ["year", "phase", "kind", "budget", "actual", "to year end", "landing", "variance"],
        rows,
        report.to_dict(),
        [Kind.TEXT] * 3 + [Kind.MONEY] * 5,
        notes,
    )


def benefits_table(report: BenefitsReport) -> Table:
    """A row per item and benefit type (planned, planned to date, realised, realisation); the benefits overdue
    for measurement as a section and a warning line each."""
    rows: list[list[Cell]] = [
        [r.item, r.type, r.planned, r.planned_to_date, r.realised, _na(r.realisation)] for r in report.rows
    ]
    sections = []
    if report.overdue:
        sections.append(
            Table(
                "Overdue for measurement (fiscal year closed, nothing recorded)",
                ["item", "type", "year", "planned"],
                [[o.item, o.type, str(o.year), o.planned] for o in report.overdue],
                {},
                [Kind.TEXT] * 3 + [Kind.MONEY],
            )
        )
    notes = [f"{o.item}: {o.type} benefits of {o.year} overdue for measurement" for o in report.overdue]
    total = report.realisation
    return Table(
        f"Benefits realisation at {report.as_of.isoformat()} ({report.currency}; realisation = realised / planned to date)",
        ["item", "type", "planned", "planned to date", "realised", "realisation"],
        rows,
        report.to_dict(),
        [Kind.TEXT, Kind.TEXT] + [Kind.MONEY] * 3 + [Kind.PERCENT],
        notes,
        sections,
        [f"portfolio realisation: {'n/a' if total is None else f'{total:.1%}'}"],
    )


def _na(value: float | None) -> Cell:
    return _NA if value is None else value


def _blank(value: float | None) -> Cell:
    return "" if value is None else value


def _approved_milestones(report: StatusReport) -> list[str]:
    """A line per approval commit that milestone baselines were read from, naming it and counting its items."""
    commits = Counter(r.milestone_commit for r in report.items if r.milestone_commit)
    return [
        f"milestone slip of {counted(n, 'item')} against the milestones as approved at commit {sha[:7]}"
        for sha, n in commits.items()
    ]
