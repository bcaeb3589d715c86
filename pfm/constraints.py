"""Dependency constraints between planned items, on quarter indices (no graph library needed).

An item planned from `start` for `duration` quarters (or to `end`) occupies the span
[first, after): `after` is the index of the quarter following its last one. With lag 0,
a finish-to-start successor may start in `after`.
"""

from __future__ import annotations

from pfm.periods import quarter_index, quarter_label

Span = tuple[int, int]  # (first quarter index, index after the last quarter)

TYPES = ("finish-to-start", "start-to-start", "finish-to-finish", "start-to-finish")


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


def violation(kind: str, lag: int, prerequisite: Span, dependent: Span, name: str = "its prerequisite") -> str | None:
    """What the dependent's dates break, in words, or None when the constraint holds."""
    start, after = dependent
    if kind == "start-to-start" and start < prerequisite[0] + lag:
        return f"starts {quarter_label(start)}, before {name} starts ({quarter_label(prerequisite[0])}{_lag(lag)})"
    if kind == "finish-to-finish" and after < prerequisite[1] + lag:
        return f"ends {quarter_label(after - 1)}, before {name} ends ({quarter_label(prerequisite[1] - 1)}{_lag(lag)})"
    if kind == "start-to-finish" and after < prerequisite[0] + lag:
        return f"ends {quarter_label(after - 1)}, before {name} starts ({quarter_label(prerequisite[0])}{_lag(lag)})"
    if kind == "finish-to-start" and start < prerequisite[1] + lag:
        return f"starts {quarter_label(start)}, before {name} ends ({quarter_label(prerequisite[1] - 1)}{_lag(lag)})"
    return None


def _lag(lag: int) -> str:
    return f", lag {lag:+d}" if lag else ""
