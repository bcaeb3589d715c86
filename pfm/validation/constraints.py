"""Dependency constraints between planned items, on quarter indices (no graph library needed).

An item planned from `start` for `duration` quarters (or to `end`) occupies the span
[first, after): `after` is the index of the quarter following its last one. With lag 0,
a finish-to-start successor may start in `after`.
"""

from __future__ import annotations

from pfm.periods import quarter_index, quarter_label

Span = tuple[int, int]  # (first quarter index, index after the last quarter)

# Which end of each item a dependency type ties: (the dependent's start?, the prerequisite's start?).
_ENDS = {
    "finish-to-start": (True, False),
    "start-to-start": (True, True),
    "finish-to-finish": (False, False),
    "start-to-finish": (False, True),
}


def span(start: str | None, duration: int | None, end: str | None) -> Span | None:
    """The quarters an item occupies, or None when its dates are not planned."""
    if start is None:
        return None
    first = quarter_index(start)
    if duration is not None:
        return first, first + duration
    if end is not None:
        return first, quarter_index(end) + 1
    return None


def violation(
    kind: str, lag: int, prerequisite: Span, dependent: Span, names: tuple[str, str] = ("the item", "its prerequisite")
) -> str | None:
    """What the dependent's dates break, in words with the earliest date that would do, or None."""
    own_is_start, their_is_start = _ENDS[kind]
    own = dependent[0] if own_is_start else dependent[1]
    bound = (prerequisite[0] if their_is_start else prerequisite[1]) + lag
    if own >= bound:
        return None
    lagged = f", lag {lag}" if lag else ""
    allowed = quarter_label(bound) if own_is_start else quarter_label(bound - 1)
    verb = "start" if own_is_start else "end"
    return (
        f"{names[0]} {_when(dependent, own_is_start)} but its prerequisite {names[1]} ({kind}{lagged}) "
        f"{_when(prerequisite, their_is_start)}; it can {verb} in {allowed} at the earliest"
    )


def _when(quarters: Span, at_start: bool) -> str:
    if at_start:
        return f"starts {quarter_label(quarters[0])}"
    return f"ends {quarter_label(max(quarters[1] - 1, quarters[0]))}"
