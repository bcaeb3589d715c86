"""Dependency constraints on planned dates: each type, with and without lag, checked by hand.

The prerequisite b runs 2027-Q2..2027-Q3 (two quarters); the dependent a starts as given.
"""

from __future__ import annotations

import pytest

from pfm.validation.constraints import span, violation

FS, SS, FF, SF = "finish-to-start", "start-to-start", "finish-to-finish", "start-to-finish"

CASES = [
    (FS, 0, "2027-Q4", 1, None),
    (
        FS,
        0,
        "2027-Q3",
        1,
        "a starts 2027-Q3 but its prerequisite b (finish-to-start) ends 2027-Q3; it can start in 2027-Q4 at the earliest",
    ),
    (
        FS,
        2,
        "2028-Q1",
        1,
        "a starts 2028-Q1 but its prerequisite b (finish-to-start, lag 2) ends 2027-Q3; it can start in 2028-Q2 at the earliest",
    ),
    (FS, -1, "2027-Q3", 1, None),
    (SS, 0, "2027-Q2", 1, None),
    (
        SS,
        0,
        "2027-Q1",
        4,
        "a starts 2027-Q1 but its prerequisite b (start-to-start) starts 2027-Q2; it can start in 2027-Q2 at the earliest",
    ),
    (
        SS,
        1,
        "2027-Q2",
        4,
        "a starts 2027-Q2 but its prerequisite b (start-to-start, lag 1) starts 2027-Q2; it can start in 2027-Q3 at the earliest",
    ),
    (FF, 0, "2027-Q1", 3, None),
    (
        FF,
        0,
        "2027-Q1",
        2,
        "a ends 2027-Q2 but its prerequisite b (finish-to-finish) ends 2027-Q3; it can end in 2027-Q3 at the earliest",
    ),
    (
        FF,
        1,
        "2027-Q1",
        3,
        "a ends 2027-Q3 but its prerequisite b (finish-to-finish, lag 1) ends 2027-Q3; it can end in 2027-Q4 at the earliest",
    ),
    (SF, 0, "2027-Q1", 1, None),
    (
        SF,
        0,
        "2026-Q4",
        1,
        "a ends 2026-Q4 but its prerequisite b (start-to-finish) starts 2027-Q2; it can end in 2027-Q1 at the earliest",
    ),
    (
        SF,
        1,
        "2027-Q1",
        1,
        "a ends 2027-Q1 but its prerequisite b (start-to-finish, lag 1) starts 2027-Q2; it can end in 2027-Q2 at the earliest",
    ),
]


@pytest.mark.parametrize(("kind", "lag", "start", "duration", "message"), CASES)
def test_each_type_and_lag(kind: str, lag: int, start: str, duration: int, message: str | None) -> None:
    prerequisite = span("2027-Q2", 2, None)
    dependent = span(start, duration, None)
    assert prerequisite is not None and dependent is not None
    assert violation(kind, lag, prerequisite, dependent, ("a", "b")) == message


def test_a_span_from_start_and_end_or_duration_and_none_without_dates() -> None:
    assert span("2027-Q1", None, "2027-Q3") == span("2027-Q1", 3, None)
    assert span(None, 3, None) is None
    assert span("2027-Q1", None, None) is None
