"""`pfm select --schedule` as a table: each selected item's start, how far it moved and why, and what it bought."""

from __future__ import annotations

from pfm.reporting.tables import Kind
from pfm.reporting.views import Table, some_of
from pfm.selection.schedule import ScheduledSelection, ScheduleSolve
from pfm.wording import counted


def scheduled_table(result: ScheduledSelection) -> Table:
    """The selected items by start; the value against fixed dates, what moved and what was placed, as remarks."""
    rows = [[p.id, p.value, p.stated, p.start, p.end, p.moved, p.reason] for p in result.items]
    moved = len(result.moved)
    remarks = [
        f"with free starts: {_outcome(result.scheduled)}",
        f"with fixed dates: {_outcome(result.fixed)}",
    ]
    if result.gain is not None:
        remarks.append(
            f"free starts gain {result.gain:,.2f} {result.objective} ({counted(moved, 'item')} moved; "
            f"{len(result.gained)} more funded: {some_of(result.gained)}; {len(result.dropped)} dropped: "
            f"{some_of(result.dropped)})"
        )
    notes = []
    if result.placed:
        notes.append(
            f"{counted(len(result.placed), 'item')} without a start placed by the optimiser (their effort counts "
            f"where it is placed): {some_of(result.placed)}"
        )
    solves = (("free starts", result.scheduled), ("fixed dates", result.fixed))
    notes += [f"{name}: {why}" for name, outcome in solves if (why := _unproven(outcome))]
    return Table(
        f"Scheduled selection: {counted(len(result.items), 'item')}, {moved} moved from their start",
        ["id", "value", "stated", "start", "end", "moved", "reason"],
        rows,
        result.to_dict(),
        [Kind.TEXT, Kind.NUMBER, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.TEXT],
        notes,
        remarks=remarks,
    )


def _outcome(outcome: ScheduleSolve) -> str:
    if outcome.value is None:
        return f"no selection ({outcome.status})"
    gap = f"{outcome.gap:.2%}" if outcome.gap is not None else "unknown"
    return f"value {outcome.value:,.2f}, {outcome.selected} items, {outcome.status}, gap {gap}, {outcome.seconds:.1f} s"


def _unproven(outcome: ScheduleSolve) -> str:
    """A warning when the solve stopped short of the asked gap, or found nothing; "" otherwise."""
    if outcome.status == "infeasible":
        return "nothing fits: the commitments and limits cannot hold together (pfm select names the conflicts)"
    if outcome.status == "time-limit":
        if outcome.gap is None:
            return "the time limit was reached before any selection was found"
        return f"the time limit was reached: the selection is within {outcome.gap:.2%} of the best possible"
    return ""
