"""`pfm scenario list|compare`: the portfolio's what-ifs, side by side."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfm.cli.common import load_base, progress_bar
from pfm.cli.options import (
    FormatOption,
    GapOption,
    ObjectiveOption,
    OutputOption,
    ReleaseOption,
    TableFormat,
    TimeLimitOption,
)
from pfm.cli.output import emit
from pfm.defaults import SELECT_TIME_LIMIT
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table

if TYPE_CHECKING:
    from pfm.model import Portfolio, Scenario
    from pfm.selection.scenario_comparison import Outcome, ScenarioComparison

app = typer.Typer(
    help="Scenarios: what-ifs on budget, weights, capacity and items, side by side.", no_args_is_help=True
)

COMPARE_HELP = """The best selection under each scenario, side by side, and each item's robustness.

Each scenario is applied to the portfolio and the selection solved afresh (as `pfm select -s NAME`
would); "base" is the portfolio without a scenario. Robustness is in how many of the compared
scenarios an item is selected: those selected everywhere are safe commitments.

Examples:

  pfm scenario compare                                # base and every scenario

  pfm scenario compare base budget-cut-15 -f markdown
"""


@app.command("list", help="The scenarios and what each changes.\n\nExample:\n\n  pfm scenario list -f json")
def list_command(ctx: typer.Context, format: FormatOption = TableFormat.TABLE, output: OutputOption = None) -> None:
    portfolio = load_base(ctx)
    rows: list[list[Cell]] = [
        [s.id, s.title, _changes(s)] for s in sorted(portfolio.scenarios.values(), key=lambda s: s.id)
    ]
    payload = {"scenarios": [{"id": row[0], "title": row[1], "changes": row[2]} for row in rows]}
    emit(ctx, Table("Scenarios", ["id", "title", "changes"], rows, payload), format, output)


def _changes(scenario: Scenario) -> str:
    parts = []
    if scenario.budget_scale is not None:
        parts.append(f"budget x{scenario.budget_scale:g}")
    if scenario.budget:
        parts.append("budget for " + ", ".join(str(year) for year in sorted(scenario.budget)))
    if scenario.weights:
        parts.append("weights")
    if scenario.capacity:
        parts.append("capacity of " + ", ".join(sorted(scenario.capacity)))
    if scenario.items:
        parts.append(f"{len(scenario.items)} items changed")
    if scenario.force_in:
        parts.append("forces in " + ", ".join(scenario.force_in))
    if scenario.force_out:
        parts.append("forces out " + ", ".join(scenario.force_out))
    return "; ".join(parts) or "nothing"


@app.command("compare", help=COMPARE_HELP)
def compare_command(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[SCENARIO]...", help="Scenario ids; base = none.")
    ] = None,
    objective: ObjectiveOption = "weighted",
    release_in_flight: ReleaseOption = False,
    gap: GapOption = 1e-4,
    time_limit: TimeLimitOption = SELECT_TIME_LIMIT,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.errors import UsageError
    from pfm.findings import did_you_mean
    from pfm.selection.scenario_comparison import BASE, compare_scenarios

    portfolio = load_base(ctx)  # compare_scenarios applies each scenario to the portfolio as declared
    known = [BASE, *sorted({*portfolio.scenarios, *portfolio.unusable_scenarios})]
    chosen = names or known
    for name in chosen:
        if name not in known:
            hint = did_you_mean(name, known)
            raise UsageError(f"no scenario '{name}'" + (f"; {hint}" if hint else ""))
    with progress_bar(ctx, "scenarios") as progress:
        comparison = compare_scenarios(
            portfolio,
            chosen,
            objective=objective,
            time_limit=time_limit,
            gap=gap,
            commit_in_flight=not release_in_flight,
            progress=progress,
        )
    emit(ctx, _report(portfolio, comparison, release_in_flight).with_findings(comparison.findings), format, output)
    if comparison.skipped:  # the others are compared, but the portfolio has errors
        raise typer.Exit(1)


def _report(portfolio: Portfolio, comparison: ScenarioComparison, released: bool) -> Table:
    names = [o.scenario for o in comparison.outcomes]
    chosen = {o.scenario: set(o.selection.selected) for o in comparison.outcomes}
    order = sorted(comparison.robustness, key=lambda ident: (-comparison.count(ident), ident))
    rows: list[list[Cell]] = [
        [
            ident,
            portfolio.items[ident].title,
            *("yes" if ident in chosen[name] else "–" for name in names),
            f"{comparison.count(ident)}/{len(names)}",
        ]
        for ident in order
    ]
    payload = {
        "objective": comparison.objective,
        "scenarios": [_outcome(o) for o in comparison.outcomes],
        "skipped": [{"name": name, "reason": reason} for name, reason in comparison.skipped],
        "robustness": {
            ident: {"selected_in": list(where), "count": len(where), "of": len(names)}
            for ident, where in comparison.robustness.items()
        },
    }
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
        f"Spend of the selection per year ({portfolio.currency})",
        ["year", *(f"{name} capex" for name in names), *(f"{name} opex" for name in names)],
        _year_rows(comparison),
        {},
        [Kind.TEXT, *[Kind.MONEY] * (2 * len(names))],
    )
    robust = sum(1 for where in comparison.robustness.values() if len(where) == len(names))
    notes = [
        f"{o.scenario}: nothing fits; these cannot hold together: {'; '.join(o.selection.conflicts)}"
        + ("" if released else " (--release-in-flight lets the optimiser stop in-flight work)")
        for o in comparison.outcomes
        if o.selection.status == "infeasible"
    ]
    notes.extend(f"{name}: not compared: {reason}" for name, reason in comparison.skipped)
    return Table(
        f"Robustness: {robust} of {len(rows)} candidates are selected in all {len(names)} scenarios",
        ["id", "title", *names, "selected in"],
        rows,
        payload,
        [Kind.TEXT, Kind.TEXT, *[Kind.TEXT] * len(names), Kind.TEXT],
        notes,
        [summary, years],
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


def _outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "name": outcome.scenario,
        "status": outcome.selection.status,
        "value": outcome.selection.value,
        "gap": outcome.selection.gap,
        "selected": list(outcome.selection.selected),
        "conflicts": list(outcome.selection.conflicts),
        "totals": {
            str(t.year): {
                "capex": t.capex,
                "opex": t.opex,
                "benefits": t.benefits,
                "budget": None if t.budget is None else asdict(t.budget),
            }
            for t in outcome.totals
        },
    }
