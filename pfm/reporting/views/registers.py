"""The registers as tables: risks (`pfm risks`) with their probability x impact grid, the decision log
(`pfm decisions`) and the KPIs against their targets (`pfm kpi`)."""

from __future__ import annotations

from pfm.analysis.risks import SCALE, RiskRegister, Zone, zone
from pfm.reporting.tables import Cell, Kind, format_cell
from pfm.reporting.views import Table
from pfm.review.decisions import DecisionLog
from pfm.review.kpis import Kpi, KpiReport


def risks_table(register: RiskRegister) -> Table:
    """A row per risk, live ones first by exposure, overdue reviews flagged; exposure per programme and per item as
    sections; each high risk past its review date a warning line."""
    rows: list[list[Cell]] = [
        [r.id, r.probability, r.impact, r.exposure, r.status, r.owner or "", r.review_date or "", _flag(e.overdue)]
        for e in register.risks
        for r in (e.risk,)
    ]
    sections = [
        Table(
            f"Exposure per {what} (live risks)",
            [what, "exposure"],
            [[k, x] for k, x in sums],
            {},
            [Kind.TEXT, Kind.WHOLE],
        )
        for what, sums in (("programme", register.by_programme), ("item", register.by_item))
        if sums
    ]
    return Table(
        f"Risk register at {register.as_of.isoformat()} (exposure = probability x impact; live exposure {register.exposure})",
        ["risk", "P", "I", "exposure", "status", "owner", "review", "overdue"],
        rows,
        register.to_dict(),
        [Kind.TEXT, Kind.WHOLE, Kind.WHOLE, Kind.WHOLE] + [Kind.TEXT] * 4,
        [f"{e.risk.id}: exposure {e.risk.exposure}, review due {e.risk.review_date}" for e in register.breaches],
        sections,
    )


def risk_grid(register: RiskRegister) -> tuple[list[str], list[tuple[str, list[tuple[str, Zone]]]]]:
    """The P x I matrix laid out for a terminal: the headers (impact, then probability 1 to 5), and per impact (5
    down to 1) its cells as (count, zone of the cell's exposure); an empty cell shows "·"."""
    rows = [
        (f"I{impact}", [(str(n) if n else "·", zone(impact * p)) for p, n in zip(SCALE, counts, strict=True)])
        for impact, counts in zip(reversed(SCALE), register.matrix, strict=True)
    ]
    return ["", *(f"P{p}" for p in SCALE)], rows


def decisions_table(log: DecisionLog) -> Table:
    """A row per decision, newest first; the open actions and the pending decisions asking about items the
    recommendation leaves out as sections; each such decision, each pending one past its forum date and each
    action past its due date a warning line."""
    rows: list[list[Cell]] = [[d.date, d.id, d.forum, d.outcome, ", ".join(d.items)] for d in log.decisions]
    left_out: list[list[Cell]] = [
        [odds.decision.id, e.id, "; ".join(e.reasons)] for odds in log.at_odds for e in odds.left_out
    ]
    actions: list[list[Cell]] = [
        [o.action.due, o.decision.id, o.action.action, o.action.owner, _flag(o.overdue)] for o in log.actions
    ]
    sections = [
        Table("Open actions (by due date)", ["due", "decision", "action", "owner", "overdue"], actions, {}),
        Table(
            f"Pending decisions about items the recommendation ({log.objective}) leaves out",
            ["decision", "item", "why it is out"],
            left_out,
            {},
        ),
    ]
    notes = [f"{d.id}: pending since the {d.forum} of {d.date}" for d in log.overdue]
    notes += [
        f"{o.decision.id} asks about {', '.join(e.id for e in o.left_out)}, left out of the recommendation"
        for o in log.at_odds
    ]
    notes += [
        f"{o.decision.id}: action overdue since {o.action.due} ({o.action.owner}): {o.action.action}"
        for o in log.overdue_actions
    ]
    return Table(
        f"Decision log at {log.as_of.isoformat()} (newest first; {len(log.pending)} pending, "
        f"{len(log.actions)} open actions, {len(log.overdue_actions)} overdue)",
        ["date", "decision", "forum", "outcome", "items"],
        rows,
        log.to_dict(),
        [Kind.TEXT] * 5,
        notes,
        [section for section in sections if section.rows],
    )


def kpis_table(report: KpiReport) -> Table:
    """A row per KPI: its value as a percentage when a ratio (else in points), its target, whether it is met; the
    counts as a section; each KPI missing its target a warning line."""
    rows: list[list[Cell]] = [
        [
            k.id,
            k.name,
            _na(k.value) if k.ratio else None,
            None if k.ratio else _na(k.value),
            f"{k.sense} {format_cell(k.target, _kind(k))}",
            "n/a" if k.met is None else "yes" if k.met else "no",
        ]
        for k in report.kpis
    ]
    counts: list[list[Cell]] = [[f"stage {s}", n] for s, n in report.by_stage]
    counts += [[f"RAG {rag}", n] for rag, n in report.by_rag]
    counts += [["pending decisions", report.pending_decisions], ["risk reviews overdue", report.overdue_reviews]]
    counts += [["decision actions overdue", report.overdue_actions]]
    missed = [
        f"{k.id} misses its target: {format_cell(k.value, _kind(k))} against {k.sense} {format_cell(k.target, _kind(k))}"
        for k in report.missed
    ]
    return Table(
        f"KPIs at {report.as_of.isoformat()}",
        ["kpi", "measures", "value", "points", "target", "met"],
        rows,
        report.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.PERCENT, Kind.WHOLE, Kind.TEXT, Kind.TEXT],
        missed,
        [Table("Counts", ["count", "number"], counts, {}, [Kind.TEXT, Kind.WHOLE])],
    )


def _kind(kpi: Kpi) -> Kind:
    return Kind.PERCENT if kpi.ratio else Kind.WHOLE


def _na(value: Cell) -> Cell:
    return "n/a" if value is None else value


def _flag(value: bool) -> str:
    return "yes" if value else ""
