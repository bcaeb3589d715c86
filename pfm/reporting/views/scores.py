"""Scores, one item's score explained, and the ranking, as tables (`pfm score`, `pfm score --explain`, `pfm rank`)."""

from __future__ import annotations

from pfm.analysis.explanation import Explanation
from pfm.analysis.ranking import Ranking
from pfm.analysis.scoring import Scores
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table, some_of
from pfm.wording import counted


def scores_table(scores: Scores) -> Table:
    """Every item's score, highest first, with the points of each criterion (or input)."""
    parts = scores.parts
    rows: list[list[Cell]] = [[s.id, s.title, s.score, *(s.contributions.get(p) for p in parts)] for s in scores.ranked]
    lacking = scores.lacking
    notes = [f"{counted(len(lacking), 'item')} lack what {scores.method} needs: {some_of(lacking)}"]
    return Table(
        f"Scores ({scores.method})",
        ["id", "title", "score", *parts],
        rows,
        scores.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.NUMBER, *[Kind.NUMBER] * len(parts)],
        notes if lacking else [],
        findings=scores.findings,
    )


def explanation_table(explanation: Explanation) -> Table:
    """One item's score: a line per criterion (value, scale, weight, points) or per input, and the total."""
    item = explanation.item
    rows: list[list[Cell]]
    if explanation.weighted:
        columns = ["criterion", "value", "scale", "weight", "points"]
        rows = [
            [p.name, p.value, f"{p.scale_min:g}-{p.scale_max:g} ({p.direction} is better)", p.weight, p.points]
            for p in explanation.parts
        ]
    else:
        columns = ["input", "value", "", "", ""]
        rows = [[p.name, p.value, "", None, None] for p in explanation.parts]
    worst = explanation.counted_worst
    return Table(
        f"{item.id}: {item.title} ({explanation.method})",
        columns,
        [*rows, ["total", None, "", None, item.score]],
        explanation.to_dict(),
        [Kind.TEXT, Kind.NUMBER, Kind.TEXT, Kind.PERCENT, Kind.NUMBER],
        [f"no value for {', '.join(worst)}: counted as the worst on its scale"] if worst else [],
        findings=explanation.findings,
    )


def ranking_table(ranking: Ranking) -> Table:
    """The items shown in rank order, with ties marked and, after draws, how stable each rank is; warnings on the
    items without a score (not ranked) and on the items shown."""
    columns = ["rank", "id", "title", "score", "tie"]
    kinds = [Kind.NUMBER, Kind.TEXT, Kind.TEXT, Kind.NUMBER, Kind.TEXT]
    if ranking.stability:
        columns += [f"P(top {ranking.stability_top})", "rank p5", "rank p95"]
        kinds += [Kind.PERCENT, Kind.WHOLE, Kind.WHOLE]
    rows: list[list[Cell]] = []
    for entry in ranking.shown:
        row: list[Cell] = [entry.rank, entry.id, entry.title, entry.score, "tie" if entry.tie else ""]
        if ranking.stability:
            stable = ranking.stability.get(entry.id)
            row += [stable.top_probability, stable.rank_p5, stable.rank_p95] if stable else [None, None, None]
        rows.append(row)
    unranked = ranking.unranked
    ranked = len(ranking.items)
    notes = [_unranked_note(ranking)] if unranked else []
    notes += ranking.warnings
    if ranking.warnings_not_shown:
        more = counted(ranking.warnings_not_shown, "more warning")
        notes.append(f"{more} about items below the top {ranking.top} (a larger --top shows them)")
    of = f": {ranked} of {counted(ranked + len(unranked), 'item')} ranked" if unranked else ""
    return Table(
        f"Ranking ({ranking.method}){of}", columns, rows, ranking.to_dict(), kinds, notes, findings=ranking.findings
    )


def _unranked_note(ranking: Ranking) -> str:
    """How many items have no score, so no rank, naming the first of them with why."""
    unranked = ranking.unranked
    named = some_of([f"{u.id} ({u.reason})" for u in unranked])
    return f"{counted(len(unranked), 'item')} not ranked (no {ranking.method} score): {named}"
