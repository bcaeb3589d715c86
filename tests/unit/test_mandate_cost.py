"""The cost of the mandates: solved to a looser gap in part of the time limit, and said with its precision."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pfm import load_portfolio, select
from pfm.selection import optimise
from pfm.selection.explain import Selection
from pfm.selection.milp import Solution
from tests.helpers import EXAMPLE


def priced(cost: float, bound: float, gap: float, stopped: bool = False) -> Selection:
    return Selection(
        "optimal", "weighted", 500.0, (), (), {}, {}, mandate_cost=cost, mandate_bound=bound, mandate_gap=gap,
        mandate_stopped=stopped,
    )  # fmt: skip


def test_the_figure_comes_with_its_bound_and_gap_in_the_json() -> None:
    chosen = select(load_portfolio(EXAMPLE), entry_prices=0)
    payload = chosen.to_dict()
    assert chosen.mandate_cost is not None and chosen.mandate_bound is not None and chosen.mandate_gap is not None
    assert 0 < chosen.mandate_cost <= chosen.mandate_bound
    assert chosen.mandate_gap <= optimise.MANDATE_GAP
    assert payload["mandate_stopped"] is False
    assert payload["mandate_bound"] == chosen.mandate_bound
    assert payload["mandate_note"] == chosen.mandate_note
    if f"{chosen.mandate_bound:,.2f}" != f"{chosen.mandate_cost:,.2f}":
        assert f"about {chosen.mandate_cost:,.2f}" in chosen.mandate_note
        assert f"at most {chosen.mandate_bound:,.2f}: that problem solved to within" in chosen.mandate_note


def test_a_solve_stopped_by_its_time_limit_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where HiGHS stops on the clock is not reproducible: the solve's own answer is marked as stopped.
    solve = optimise._without_mandates

    def stopped(*args: Any) -> Solution | None:
        free = solve(*args)
        return None if free is None else replace(free, status="time-limit", bound=(free.bound or 0) + 50)

    monkeypatch.setattr(optimise, "_without_mandates", stopped)
    chosen = select(load_portfolio(EXAMPLE), entry_prices=0)
    assert chosen.mandate_stopped and chosen.to_dict()["mandate_stopped"] is True
    assert chosen.mandate_cost is not None and chosen.mandate_bound is not None
    assert chosen.mandate_bound >= chosen.mandate_cost + 50
    assert "stopped at its time limit" in chosen.mandate_note
    assert chosen.to_dict()["mandate_note"] == chosen.mandate_note


def test_the_wording() -> None:
    assert priced(101.9, 101.9, 0.0).mandate_note == (
        "the mandates cost 101.90 of value against the same problem without them"
    )
    assert priced(101.9, 105.2, 0.006).mandate_note == (
        "the mandates cost about 101.90 of value against the same problem without them "
        "(at most 105.20: that problem solved to within 0.60%)"
    )
    assert priced(101.9, 350.0, 0.0044, stopped=True).mandate_note == (
        "the mandates cost about 101.90 of value against the same problem without them "
        "(at most 350.00: that problem stopped at its time limit, 0.44% from proven)"
    )
    assert priced(0.0, 0.0, 0.0).mandate_note == ""
    assert priced(0.0, 0.0, 0.0).to_dict()["mandate_note"] is None
