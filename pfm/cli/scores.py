"""`pfm score` and `pfm rank`: the weekly view of what is worth most."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import load, progress_bar
from pfm.cli.options import FormatOption, MethodOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit
from pfm.defaults import SENSITIVITY_MAX_DRAWS
from pfm.errors import UsageError
from pfm.reporting.tables import Kind
from pfm.reporting.views import Table

if TYPE_CHECKING:
    from pfm.analysis.ranking import Ranking, Stability
    from pfm.analysis.scoring import Scores
    from pfm.model import Portfolio


SCORE_HELP = """Score every item: weighted criteria (0-100), WSJF, RICE, NPV or the portfolio's formula.

Examples:

  pfm score

  pfm score --explain crm-salesforce          # each criterion's value, weight and points

  pfm score -m wsjf -f csv -o wsjf.csv
"""

RANK_HELP = """Rank the candidate and in-flight items (not programmes, not closed or cancelled).

Ties are broken by mandatory first, then id, and reported. A warning names any item that
ranks above an item it depends on. --sensitivity N varies the weights (and, with -m npv,
the business cases' low/high estimates) N times and shows how often each item stays in
the top N and its 5th-95th percentile rank. The draws are made in batches, so memory does not
grow with N; a long run shows its progress on stderr, and Ctrl-C stops it within a second.

Examples:

  pfm rank --top 10

  pfm rank --stage business-case --tag payments -f markdown

  pfm rank --sensitivity 1000 --top 10
"""


def register(app: typer.Typer) -> None:
    app.command("score", help=SCORE_HELP)(score_command)
    app.command("rank", help=RANK_HELP)(rank_command)


def score_command(
    ctx: typer.Context,
    method: MethodOption = "weighted",
    explain: Annotated[
        str | None, typer.Option("--explain", metavar="ID", help="Show how one item's score is made up.")
    ] = None,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.scoring import score

    portfolio = load(ctx, scenario)
    scores = score(portfolio, method)
    report = _explain(portfolio, scores, explain) if explain else _score_report(scores)
    emit(ctx, report.with_findings(scores.findings), format, output)


def _score_report(scores: Scores) -> Table:
    inputs = dict.fromkeys(k for s in scores.items for k in s.contributions)  # in the method's own order
    criteria = list(scores.weights.weights) if scores.weights else list(inputs)
    ordered = sorted(scores.items, key=lambda s: (s.score is None, -(s.score or 0.0), s.id))
    rows = [[s.id, s.title, s.score, *(s.contributions.get(c) for c in criteria)] for s in ordered]
    payload = {
        "method": scores.method,
        "items": [
            {
                "id": s.id,
                "title": s.title,
                "score": s.score,
                "contributions": dict(s.contributions),
                "missing": list(s.missing),
            }
            for s in ordered
        ],
    }
    unscored = [s.id for s in ordered if s.score is None and not s.invalid]  # the invalid ones have findings
    notes = (
        [
            f"{len(unscored)} item(s) lack what {scores.method} needs: {', '.join(unscored[:8])}{' ...' if len(unscored) > 8 else ''}"
        ]
        if unscored
        else []
    )
    return Table(
        f"Scores ({scores.method})",
        ["id", "title", "score", *criteria],
        rows,
        payload,
        [Kind.TEXT, Kind.TEXT, Kind.NUMBER, *[Kind.NUMBER] * len(criteria)],
        notes,
    )


def _explain(portfolio: Portfolio, scores: Scores, ident: str) -> Table:
    entry = next((s for s in scores.items if s.id == ident), None)
    if entry is None:
        from pfm.findings import did_you_mean

        raise UsageError(
            f"no item '{ident}'"
            + (f"; {did_you_mean(ident, portfolio.items)}" if did_you_mean(ident, portfolio.items) else "")
        )
    item = portfolio.items[ident]
    rows: list[list[str | float | None]] = []
    if scores.weights is not None and portfolio.scoring is not None:
        for criterion in portfolio.scoring.criteria:
            rows.append(
                [
                    criterion.name,
                    item.scores.get(criterion.id),
                    f"{criterion.scale_min:g}-{criterion.scale_max:g} ({criterion.direction} is better)",
                    scores.weights.weights[criterion.id],
                    entry.contributions.get(criterion.id),
                ]
            )
        columns = ["criterion", "value", "scale", "weight", "points"]
    else:
        rows = [[name, value, "", None, None] for name, value in entry.contributions.items()]
        columns = ["input", "value", "", "", ""]
    rows.append(["total", None, "", None, entry.score])
    payload = {
        "method": scores.method,
        "items": [
            {
                "id": entry.id,
                "title": entry.title,
                "score": entry.score,
                "contributions": dict(entry.contributions),
                "missing": list(entry.missing),
            }
        ],
    }
    notes = (
        [f"no value for {', '.join(entry.missing)}: counted as the worst on its scale"]
        if entry.missing and entry.score is not None
        else []
    )
    return Table(
        f"{entry.id}: {entry.title} ({scores.method})",
        columns,
        rows,
        payload,
        [Kind.TEXT, Kind.NUMBER, Kind.TEXT, Kind.PERCENT, Kind.NUMBER],
        notes,
    )


def rank_command(
    ctx: typer.Context,
    method: MethodOption = "weighted",
    top: Annotated[
        int | None,
        typer.Option(
            "--top", "-n", min=1, help="Show only the first N (and, with --sensitivity, the N that counts as 'top')."
        ),
    ] = None,
    stage: Annotated[list[str] | None, typer.Option("--stage", help="Only items in this stage (repeatable).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only items with this tag (repeatable).")] = None,
    sensitivity: Annotated[
        int,
        typer.Option(
            "--sensitivity",
            min=0,
            max=SENSITIVITY_MAX_DRAWS,
            metavar="DRAWS",
            help=f"Monte Carlo draws for rank stability (e.g. 1000; at most {SENSITIVITY_MAX_DRAWS:,}).",
        ),
    ] = 0,
    seed: Annotated[
        int,
        typer.Option("--seed", min=0, help="Random seed for --sensitivity: the same seed gives the same result."),
    ] = 0,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.ranking import rank
    from pfm.analysis.ranking import sensitivity as stability

    portfolio = load(ctx, scenario)
    known_stages = {s.id for s in portfolio.stages}
    unknown = [s for s in stage or [] if known_stages and s not in known_stages]
    if unknown:
        raise UsageError(f"unknown stage {', '.join(unknown)} (stages: {', '.join(sorted(known_stages))})")
    ranking = rank(portfolio, method, stages=stage or (), tags=tag or ())
    cut = top or 10
    with progress_bar(ctx, "rank stability") as progress:
        stable = stability(portfolio, ranking, sensitivity, cut, seed=seed, progress=progress) if sensitivity else []
    emit(ctx, _rank_report(ranking, top, stable, cut, sensitivity).with_findings(ranking.findings), format, output)


def _rank_report(ranking: Ranking, top: int | None, stable: list[Stability], cut: int, draws: int) -> Table:
    shown = ranking.items[:top] if top else ranking.items
    by_id = {s.id: s for s in stable}
    columns = ["rank", "id", "title", "score", "tie"]
    if stable:
        columns += [f"P(top {cut})", "rank p5", "rank p95"]
    rows = []
    for entry in shown:
        row: list[str | float | int | None] = [
            entry.rank,
            entry.id,
            entry.title,
            entry.score,
            "tie" if entry.tie else "",
        ]
        if stable:
            s = by_id.get(entry.id)
            row += [s.top_probability, s.rank_p5, s.rank_p95] if s else [None, None, None]
        rows.append(row)
    items = []
    for entry in shown:
        record: dict[str, object] = {
            "rank": entry.rank,
            "id": entry.id,
            "title": entry.title,
            "score": entry.score,
            "tie": entry.tie,
        }
        if entry.id in by_id:
            s = by_id[entry.id]
            record["stability"] = {
                "top_probability": s.top_probability,
                "rank_p5": s.rank_p5,
                "rank_median": s.rank_median,
                "rank_p95": s.rank_p95,
            }
        items.append(record)
    payload: dict[str, object] = {"method": ranking.method, "items": items, "warnings": list(ranking.warnings)}
    if stable:
        payload["sensitivity"] = {"draws": draws, "top": cut}
    numeric = [
        Kind.NUMBER,
        Kind.TEXT,
        Kind.TEXT,
        Kind.NUMBER,
        Kind.TEXT,
        *([Kind.PERCENT, Kind.WHOLE, Kind.WHOLE] if stable else []),
    ]
    return Table(f"Ranking ({ranking.method})", columns, rows, payload, numeric, list(ranking.warnings))
