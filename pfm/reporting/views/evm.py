"""Earned value per item, per programme and for the portfolio as tables (`pfm evm`)."""

from __future__ import annotations

from pfm.analysis.earned_value import EarnedValue
from pfm.analysis.evm import EarnedValueReport
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table

_FIGURES = ["BAC", "PV", "EV", "AC", "CV", "SV", "CPI", "SPI", "EAC", "ETC", "VAC", "TCPI", "SPI(t)", "finish"]
_KINDS = [Kind.MONEY] * 6 + [Kind.NUMBER] * 2 + [Kind.MONEY] * 3 + [Kind.NUMBER] * 2 + [Kind.TEXT]


def evm_table(report: EarnedValueReport) -> Table:
    """A row per measured item (with its baseline's source), a roll-up section, and the items not measured."""
    rows: list[list[Cell]] = [[i.figures.item, *_cells(i.figures), _source(i.baseline)] for i in report.items]
    roll_ups = [*report.programmes, *([report.total] if report.total is not None else [])]
    sections = [
        Table(
            f"Roll-up per programme and for the portfolio ({report.currency})",
            ["programme", *_FIGURES],
            [[figures.item, *_cells(figures)] for figures in roll_ups],
            {},
            [Kind.TEXT, *_KINDS],
        )
    ]
    if report.not_measured:
        sections.append(
            Table("Not measured", ["item", "reason"], [[i, why] for i, why in report.not_measured.items()], {})
        )
    remarks = [
        f"{figures.item}: {name} n/a: {why}"
        for figures in (*(i.figures for i in report.items), *roll_ups)
        for name, why in figures.not_available.items()
        if name in ("cpi", "spi", "eac_cpi", "tcpi_bac", "spi_t", "forecast_finish")
    ]
    return Table(
        f"Earned value at {report.as_of.isoformat()} ({report.currency}; EAC = BAC / CPI, TCPI to BAC)",
        ["item", *_FIGURES, "baseline"],
        rows,
        report.to_dict(),
        [Kind.TEXT, *_KINDS, Kind.TEXT],
        sections=sections,
        remarks=remarks,
    )


def _cells(f: EarnedValue) -> list[Cell]:
    finish = f.forecast_finish.isoformat() if f.forecast_finish else "n/a"
    money = [f.bac, f.pv, f.ev, f.ac, f.cv, f.sv]
    return [*money, _na(f.cpi), _na(f.spi), _na(f.eac), _na(f.etc), _na(f.vac), _na(f.tcpi_bac), _na(f.spi_t), finish]


def _na(value: float | None) -> Cell:
    return "n/a" if value is None else value


def _source(baseline: str) -> str:
    return baseline[:7] if len(baseline) == 40 else baseline
