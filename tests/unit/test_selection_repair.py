"""The repair heuristic: from a selection that breaks rows (an item forced in) to one that fits, filled."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from pfm.selection.feasibility import BudgetLimit, CapacityLimit, MutualExclusion, Prerequisite, Row, breaches
from pfm.selection.milp import BinaryProgram
from pfm.selection.repair import repair


def _program(values: list[float], rows: list[Row]) -> BinaryProgram:
    return BinaryProgram(values, rows, 1e-9, [f"i{n}" for n in range(len(values))])


def _fits(program: BinaryProgram, x: tuple[bool, ...], lower: list[float], upper: list[float]) -> bool:
    return not breaches(program.rows, x, (lower, upper), program.names)


def test_forcing_an_item_in_drops_the_least_valuable_way_to_make_room() -> None:
    # budget 10, all spent on items 0-2; forcing item 3 (cost 4) in overruns it by 4
    rows = [Row(BudgetLimit(2027, "capex"), 10.0, {0: 4.0, 1: 4.0, 2: 2.0, 3: 4.0})]
    program = _program([5.0, 4.0, 1.0, 2.0], rows)
    lower, upper = [0.0, 0.0, 0.0, 1.0], [1.0] * 4
    x = repair(program.columns, (True, True, True, False), lower, upper)
    # item 2 goes first (2 of room for 1 of value), then item 1 (4 for 4, against item 0's 4 for 5);
    # the fill then brings item 2 back into the room left
    assert x == (True, False, True, True)
    assert _fits(program, x, lower, upper)


def test_a_forced_item_brings_its_prerequisite_and_what_no_longer_fits_goes() -> None:
    rows = [
        Row(Prerequisite("i2", "i3"), 0.0, {2: 1.0, 3: -1.0}),
        Row(CapacityLimit("platform", "2027-Q1"), 2.0, {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}),
    ]
    program = _program([3.0, 2.0, 1.0, 0.5], rows)
    lower, upper = [0.0, 0.0, 1.0, 0.0], [1.0] * 4
    x = repair(program.columns, (True, True, False, False), lower, upper)
    assert x == (False, False, True, True)
    assert _fits(program, x, lower, upper)


def test_an_exclusion_drops_the_partner_and_the_fill_takes_the_room_back() -> None:
    rows = [
        Row(MutualExclusion("i0", "i1"), 1.0, {0: 1.0, 1: 1.0}),
        Row(BudgetLimit(2027, "total"), 3.0, {0: 2.0, 1: 1.0, 2: 2.0}),
    ]
    program = _program([5.0, 1.0, 2.0], rows)
    lower, upper = [0.0, 1.0, 0.0], [1.0] * 3
    x = repair(program.columns, (True, False, False), lower, upper)
    assert x == (False, True, True)


def test_none_when_the_forced_item_cannot_fit_at_all() -> None:
    rows = [Row(BudgetLimit(2027, "capex"), 10.0, {0: 5.0, 1: 11.0})]
    program = _program([5.0, 4.0], rows)
    assert repair(program.columns, (True, False), [0.0, 1.0], [1.0, 1.0]) is None


def test_a_program_without_rows_takes_every_item_of_value() -> None:
    program = _program([1.0, 0.0, 2.0], [])
    assert repair(program.columns, (False, False, False), [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]) == (True, True, True)


def test_none_when_a_committed_item_is_ruled_out() -> None:
    program = _program([1.0, 1.0], [Row(BudgetLimit(2027, "capex"), 10.0, {0: 1.0, 1: 1.0})])
    assert repair(program.columns, (False, False), [1.0, 0.0], [0.0, 1.0]) is None


@st.composite
def _programs(draw: st.DrawFn) -> tuple[BinaryProgram, tuple[bool, ...], list[float], list[float]]:
    size = draw(st.integers(2, 7))
    values = draw(st.lists(st.floats(0.0, 10.0), min_size=size, max_size=size))
    rows = []
    for m in range(draw(st.integers(1, 3))):
        costs = draw(st.lists(st.floats(0.0, 10.0), min_size=size, max_size=size))
        rows.append(Row(BudgetLimit(2027 + m, "capex"), draw(st.floats(1.0, 30.0)), dict(enumerate(costs))))
    for a, b in draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=3)):
        if a != b:
            rows.append(Row(Prerequisite(f"i{a}", f"i{b}"), 0.0, {a: 1.0, b: -1.0}))
    x = tuple(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    lower = [0.0] * size
    lower[draw(st.integers(0, size - 1))] = 1.0
    return _program(values, rows), x, lower, [1.0] * size


@settings(max_examples=300, deadline=None)
@given(_programs())
def test_whatever_it_returns_fits_and_is_full(
    case: tuple[BinaryProgram, tuple[bool, ...], list[float], list[float]],
) -> None:
    program, x, lower, upper = case
    mended = repair(program.columns, x, lower, upper)
    if mended is None:
        return
    assert _fits(program, mended, lower, upper)
    # full: no item left out can be added without breaking a row
    for n, chosen in enumerate(mended):
        if not chosen and program.values[n] > 0:
            added = tuple(c or m == n for m, c in enumerate(mended))
            assert not _fits(program, added, lower, upper)


@settings(max_examples=200, deadline=None)
@given(_programs())
def test_it_finds_a_selection_whenever_the_committed_items_fit_alone_without_prerequisites(
    case: tuple[BinaryProgram, tuple[bool, ...], list[float], list[float]],
) -> None:
    program, x, lower, upper = case
    if any(isinstance(row.kind, Prerequisite) for row in program.rows):
        return
    alone = tuple(low > 0.5 for low in lower)
    if not _fits(program, alone, lower, upper):
        assert not any(
            _fits(program, tuple(bits), lower, upper) for bits in itertools.product([False, True], repeat=len(x))
        )
        return
    assert repair(program.columns, x, lower, upper) is not None
