"""Why each item is left out: the reasons, worded from each row's slack computed once, against a brute-force
reference that sums every row again for every item."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pfm.selection.explain import selection_of
from pfm.selection.feasibility import BudgetLimit, CapacityLimit, MutualExclusion, Prerequisite, Row
from pfm.selection.program import EPS, PortfolioProgram


def reference(program: PortfolioProgram, x: tuple[bool, ...], n: int) -> list[str]:
    """The reasons for item n by the definition (docs/methods.md): every row it is in, summed afresh."""
    ident = program.ids[n]
    reasons = list(program.notes[ident]) + (["no positive value"] if program.values[n] <= 0 else [])
    for row in program.rows:
        coef = row.coefs.get(n, 0.0)
        kind = row.kind
        if not coef:
            continue
        others = [m for m in row.coefs if m != n]
        if isinstance(kind, Prerequisite):
            if kind.item == ident and not x[others[0]]:
                reasons.append(f"depends on {program.ids[others[0]]}, which is not selected")
        elif isinstance(kind, MutualExclusion):
            if x[others[0]]:
                reasons.append(f"excludes {program.ids[others[0]]}, which is selected")
        elif coef > EPS:
            short = sum(c for m, c in row.coefs.items() if x[m]) + coef - row.upper
            if short > row.upper * 1e-9 + EPS:
                amount = f"{short:,.0f}" if abs(short) >= 100 else f"{short:,.2f}".rstrip("0").rstrip(".")
                reasons.append(f"{row.label} (short by {amount})")
    return list(dict.fromkeys(reasons)) or ["lower value than the selected alternatives"]


@st.composite
def problems(draw: st.DrawFn) -> tuple[PortfolioProgram, tuple[bool, ...]]:
    """A small program with budget, capacity, dependency and exclusion rows, and any 0-1 choice of its items."""
    size = draw(st.integers(2, 8))
    ids = [f"i{n}" for n in range(size)]
    column = st.integers(0, size - 1)
    amount = st.one_of(st.integers(0, 300), st.integers(0, 4_000_000).map(lambda cents: cents / 4))
    rows = []
    for number in range(draw(st.integers(0, 4))):
        coefs = draw(st.dictionaries(column, amount, max_size=size))
        kind = BudgetLimit(2027 + number, "capex") if number % 2 else CapacityLimit("t", f"2027-Q{number + 1}")
        rows.append(Row(kind, float(draw(st.integers(0, 500))), {n: float(c) for n, c in coefs.items()}))
    for first, second in draw(st.lists(st.tuples(column, column).filter(lambda p: p[0] != p[1]), max_size=4)):
        if draw(st.booleans()):
            rows.append(Row(Prerequisite(ids[first], ids[second]), 0.0, {first: 1.0, second: -1.0}))
        else:
            rows.append(Row(MutualExclusion(ids[first], ids[second]), 1.0, {first: 1.0, second: 1.0}))
    values = [float(v) for v in draw(st.lists(st.integers(-2, 9), min_size=size, max_size=size))]
    notes = {ident: draw(st.lists(st.sampled_from(["forced out"]), max_size=1)) for ident in ids}
    program = PortfolioProgram(
        ids, values, rows, [0.0] * size, [1.0] * size, notes, "value", [False] * size, [0.0] * size, {}, "EUR"
    )
    return program, tuple(draw(st.lists(st.booleans(), min_size=size, max_size=size)))


@settings(max_examples=150, deadline=None)
@given(problems())
def test_the_reasons_are_the_brute_force_ones(problem: tuple[PortfolioProgram, tuple[bool, ...]]) -> None:
    program, x = problem
    values = dict(zip(program.ids, program.values, strict=True))
    chosen = selection_of(program, values, x, "optimal", value=program.value(x))
    expected = [(ident, reference(program, x, n)) for n, ident in enumerate(program.ids) if not x[n]]
    assert [(e.id, list(e.reasons)) for e in chosen.not_selected] == expected
