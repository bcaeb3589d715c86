"""`pfm scenario list` and `pfm scenario compare` as tables: the scenarios and what each changes, and each
candidate's robustness across the scenarios with the selection and spend under each."""

from __future__ import annotations

from pfm.analysis.scenario_list import ScenarioList
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table
from pfm.selection.scenario_comparison import ScenarioComparison
from pfm.wording import counted


def scenario_list_table(listed: ScenarioList) -> Table:
    """One row per scenario: its id, title and changes."""
    rows: list[list[Cell]] = [[r["id"], r["title"], r["changes"]] for r in listed.records()]
    return Table("Scenarios", ["id", "title", "changes"], rows, listed.to_dict())


def comparison_table(comparison: ScenarioComparison) -> Table:
    """Each candidate's robustness (a column per scenario with a selection), then each scenario's outcome and
    its spend per year."""
    robustness = comparison.robustness
    voters = robustness.scenarios
    rows: list[list[Cell]] = [
        [
            r["id"],
            r["title"],
            *("yes" if name in robustness.selected_in[r["id"]] else "–" for name in voters),
            f"{r['count']}/{r['of']}",
        ]
        for r in comparison.records()
    ]
    names = [o.scenario for o in comparison.outcomes]
    summary = Table(
        f"Scenarios ({comparison.objective})",
        ["scenario", "status", "value", "items", "capex", "opex", "benefits"],
        [
            [
                o.scenario,
                o.selection.status,
                o.selection.value,
                len(o.selection.selected),
                sum(t.capex for t in o.totals),
                sum(t.opex for t in o.totals),
                sum(t.benefits for t in o.totals),
            ]
            for o in comparison.outcomes
        ],
        {},
        [Kind.TEXT, Kind.TEXT, Kind.NUMBER, Kind.WHOLE, Kind.MONEY, Kind.MONEY, Kind.MONEY],
    )
    years = Table(
        f"Spend of the selection per year ({comparison.currency})",
        ["year", *(f"{name} capex" for name in names), *(f"{name} opex" for name in names)],
        _year_rows(comparison),
        {},
        [Kind.TEXT, *[Kind.MONEY] * (2 * len(names))],
    )
    release = " (--release-in-flight lets the optimiser stop in-flight work)" if comparison.commit_in_flight else ""
    notes = [
        f"{o.scenario}: nothing fits; these cannot hold together: {'; '.join(o.selection.conflicts)}{release}"
        for o in comparison.outcomes
        if o.selection.status == "infeasible"
    ]
    notes.extend(f"{name}: not compared: {reason}" for name, reason in comparison.skipped)
    without = f" with a feasible selection (of {robustness.compared} compared)" if robustness.infeasible else ""
    return Table(
        f"Robustness: {robustness.always} of {counted(len(rows), 'candidate')} "
        + ("is" if robustness.always == 1 else "are")
        + f" selected in all {counted(robustness.feasible, 'scenario')}{without}",
        ["id", "title", *voters, "selected in"],
        rows,
        comparison.to_dict(),
        [Kind.TEXT, Kind.TEXT, *[Kind.TEXT] * len(voters), Kind.TEXT],
        notes,
        [summary, years],
        findings=comparison.findings,
    )


def _year_rows(comparison: ScenarioComparison) -> list[list[Cell]]:
    years = sorted({t.year for o in comparison.outcomes for t in o.totals})
    by = {(o.scenario, t.year): t for o in comparison.outcomes for t in o.totals}
    rows: list[list[Cell]] = []
    for year in years:
        capex = [by[o.scenario, year].capex if (o.scenario, year) in by else None for o in comparison.outcomes]
        opex = [by[o.scenario, year].opex if (o.scenario, year) in by else None for o in comparison.outcomes]
        rows.append([year, *capex, *opex])
    return rows
