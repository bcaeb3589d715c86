"""`pfm deps check|order|path|impact` as tables."""

from __future__ import annotations

from pfm.analysis.graph import CriticalPath
from pfm.analysis.network import DependencyOrder, SlipImpact
from pfm.findings import Finding, Severity
from pfm.reporting.findings import text_line
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table
from pfm.validation.dependency_check import DependencyCheck
from pfm.wording import counted


def _shown(check: DependencyCheck, notes: bool) -> list[Finding]:
    """The findings, notes only when asked for (as in `pfm validate`)."""
    return [f for f in check.findings if notes or f.severity is not Severity.INFO]


def _summary(check: DependencyCheck) -> str:
    cycles, conflicts = counted(len(check.cycles), "cycle"), counted(len(check.conflicts), "date conflict")
    return f"{cycles}, {conflicts} among {counted(check.items, 'item')}"


def dependency_check_text(check: DependencyCheck, notes: bool = False) -> str:
    """A `file:line:col` line per finding, then the count of cycles and conflicts: the terminal's form."""
    return "".join(text_line(f) + "\n" for f in _shown(check, notes)) + _summary(check) + "\n"


def dependency_check_table(check: DependencyCheck, notes: bool = False) -> Table:
    """A row per dependency finding, its place first."""
    rows: list[list[Cell]] = [
        [f.file, f.line, f.column, f.severity.value, f.rule, f.message] for f in _shown(check, notes)
    ]
    return Table(
        f"Dependencies: {_summary(check)}",
        ["file", "line", "column", "severity", "rule", "message"],
        rows,
        check.to_dict(),
        [Kind.TEXT, Kind.WHOLE, Kind.WHOLE, Kind.TEXT, Kind.TEXT, Kind.TEXT],
    )


def order_table(order: DependencyOrder) -> Table:
    """A row per item, by layer."""
    rows: list[list[Cell]] = [list(r.values()) for r in order.records()]
    return Table(
        "Dependency order (layer 1 can start first)",
        ["layer", "id", "title"],
        rows,
        order.to_dict(),
        [Kind.WHOLE, Kind.TEXT, Kind.TEXT],
    )


def critical_path_table(path: CriticalPath) -> Table:
    """Each item's early and late start and finish and its float; the zero-float ones marked critical."""
    keys = ("id", "duration", "es", "ef", "ls", "lf", "float")
    rows: list[list[Cell]] = [[*(r[k] for k in keys), "critical" if r["critical"] else ""] for r in path.records()]
    return Table(
        f"Critical path method: {path.duration} quarters end to end",
        ["id", "duration", "ES", "EF", "LS", "LF", "float", ""],
        rows,
        path.to_dict(),
        [Kind.TEXT, *[Kind.WHOLE] * 6, Kind.TEXT],
    )


def critical_path_lines(path: CriticalPath) -> list[str]:
    """The first three critical paths, a line each."""
    return [f"critical path ({path.duration} quarters): {' → '.join(p)}" for p in path.critical_paths[:3]]


def impact_table(impact: SlipImpact) -> Table:
    """A row per item downstream, most moved first."""
    rows: list[list[Cell]] = [list(r.values()) for r in impact.records()]
    moved = sum(1 for e in impact.items if e.moves_by)
    return Table(
        f"If {impact.id} slips {counted(impact.slip, 'quarter')}: {counted(moved, 'item')} "
        + ("moves" if moved == 1 else "move"),
        ["id", "title", "moves by (quarters)", "via"],
        rows,
        impact.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.TEXT],
    )
