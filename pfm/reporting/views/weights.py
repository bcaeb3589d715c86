"""The criterion weights as a table, and the consistency of the judgements behind them in words (`pfm weights`)."""

from __future__ import annotations

from pfm.methods.weights import CriterionWeights
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table


def weights_table(weights: CriterionWeights) -> Table:
    """Each criterion's id, name and weight."""
    rows: list[list[Cell]] = [[r["criterion"], r["name"], r["weight"]] for r in weights.records()]
    return Table(
        f"Criterion weights ({weights.method})",
        ["criterion", "name", "weight"],
        rows,
        weights.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.PERCENT],
    )


def consistency_lines(weights: CriterionWeights) -> list[str]:
    """AHP's consistency figures and verdict, and, when inconsistent, the judgements furthest from the weights."""
    if weights.cr is None:
        return []
    verdict = "consistent" if weights.consistent else "INCONSISTENT (CR above 0.10)"
    lines = [f"lambda max {weights.lambda_max:.4f}, CI {weights.ci:.4f}, CR {weights.cr:.4f}: {verdict}"]
    if not weights.consistent:
        lines += [
            f"  {j.a} vs {j.b}: judged {j.given:.3g}, the weights imply {j.implied:.3g}"
            for j in weights.inconsistencies
        ]
    return lines
