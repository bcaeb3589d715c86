"""The risk-adjusted roadmap: PERT-beta draws pushed through the roadmap's dependencies and team sequence."""

from __future__ import annotations

import dataclasses
import math
from statistics import NormalDist

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pfm import load_portfolio
from pfm.analysis.roadmap import plan_roadmap
from pfm.analysis.roadmap_risk import roadmap_risk
from pfm.analysis.schedule_draws import ActivityNetwork, Precedence, QuarterCounts, pert_mean, simulate
from pfm.model import Portfolio
from pfm.periods import quarter_index
from pfm.records import DurationEstimate
from tests.helpers import EXAMPLE, planned_item, portfolio_of, team

# Hillier and Lieberman, Introduction to Operations Research (McGraw-Hill), the PERT example of the
# Reliable Construction Co. project: activity -> (optimistic, most likely, pessimistic weeks, predecessors).
RELIABLE = {
    "A": (1, 2, 3, ""),
    "B": (2, 3.5, 8, "A"),
    "C": (6, 9, 18, "B"),
    "D": (4, 5.5, 10, "C"),
    "E": (1, 4.5, 5, "C"),
    "F": (4, 4, 10, "E"),
    "G": (5, 6.5, 11, "D"),
    "H": (5, 8, 17, "EG"),
    "I": (3, 7.5, 9, "C"),
    "J": (3, 9, 9, "FI"),
    "K": (4, 4, 4, "J"),
    "L": (1, 5.5, 7, "J"),
    "M": (1, 2, 3, "H"),
    "N": (5, 5.5, 9, "KL"),
}
MEAN_CRITICAL_PATH = "ABCEFJLN"  # 44 weeks, variance 9: P(T <= 47) = P(Z <= 1) = 0.8413 in the book


def reliable() -> ActivityNetwork:
    names = list(RELIABLE)
    links = [Precedence(names.index(p), names.index(n)) for n, (*_, before) in RELIABLE.items() for p in before]
    low, likely, high = (np.array([RELIABLE[n][k] for n in names], dtype=np.float64) for k in range(3))
    return ActivityNetwork(np.zeros(len(names)), low, likely, high, links)


def test_the_textbook_pert_example_is_reproduced() -> None:
    expected = {n: pert_mean(*RELIABLE[n][:3]) for n in RELIABLE}
    assert [expected[n] for n in "ABCDEFGHIJKLMN"] == [2, 4, 10, 6, 4, 5, 7, 9, 7, 8, 4, 5, 2, 6]
    means = reliable()
    at_means = ActivityNetwork(means.floor, *(np.array(list(expected.values())),) * 3, means.links)
    deterministic = simulate(at_means, 1)
    assert deterministic.end[0] == 44  # the mean critical path
    critical = {n for n, share in zip(RELIABLE, deterministic.criticality, strict=True) if share == 1}
    assert critical == set(MEAN_CRITICAL_PATH)
    variance = sum(((RELIABLE[n][2] - RELIABLE[n][0]) / 6) ** 2 for n in MEAN_CRITICAL_PATH)
    assert variance == 9
    normal = NormalDist(44, math.sqrt(variance)).cdf(47)
    assert round(normal, 4) == 0.8413
    draws = simulate(means, 100_000, seed=1)
    assert abs(draws.end.mean() - 44) < 0.5  # a little above 44: other paths sometimes finish later
    assert 0.78 < (draws.end <= 47).mean() < normal  # the normal approximation along one path is optimistic
    criticality = dict(zip(RELIABLE, draws.criticality, strict=True))
    assert criticality["A"] == criticality["C"] == 1  # every path runs through them
    assert criticality["J"] > criticality["D"] > 0


def zero_spread(portfolio: Portfolio) -> Portfolio:
    """Every planned item's three points at its planned duration: no uncertainty left."""
    plan = plan_roadmap(portfolio)
    length = {e.id: quarter_index(e.end or "") - quarter_index(e.scheduled_start or "") + 1 for e in plan.items}
    items = {
        ident: dataclasses.replace(item, duration_estimate=DurationEstimate(*(length[ident],) * 3))
        if ident in length
        else item
        for ident, item in portfolio.items.items()
    }
    return dataclasses.replace(portfolio, items=items, schedule_risk=DurationEstimate(1, 1, 1))


def test_p50_with_zero_spread_is_the_deterministic_roadmap() -> None:
    portfolio = zero_spread(load_portfolio(EXAMPLE))
    plan = plan_roadmap(portfolio)
    risk = roadmap_risk(portfolio, draws=200, seed=5)
    assert [e.id for e in risk.items] == [e.id for e in plan.items]
    for odds, entry in zip(risk.items, plan.items, strict=True):
        assert odds.p50 == odds.p80 == odds.p95 == odds.date == entry.end
        assert odds.on_time == 1
    assert all(m.on_time == 1 and m.p95 == m.date for m in risk.milestones if m.date == m.p50)
    assert risk.finish == (risk.planned_finish,) * 3
    assert not risk.uncertain


def test_a_seeded_run_is_reproducible_and_another_seed_differs() -> None:
    portfolio = load_portfolio(EXAMPLE)
    first = roadmap_risk(portfolio, draws=3000, seed=11).to_dict()
    assert roadmap_risk(portfolio, draws=3000, seed=11).to_dict() == first
    other = roadmap_risk(portfolio, draws=3000, seed=12).to_dict()
    assert [e["on_time"] for e in other["items"]] != [e["on_time"] for e in first["items"]]


def test_a_slip_travels_along_dependencies_and_the_team_sequence() -> None:
    portfolio = portfolio_of(
        team("app", "1"),
        planned_item("first", start="2027-Q1", duration="1", demand="{app: 1}"),
        planned_item("second", start="2027-Q1", duration="1", demand="{app: 1}"),  # the team is busy: Q2
        planned_item("after", start="2027-Q1", duration="1", depends_on="[second]"),
        planned_item("apart", start="2027-Q1", duration="1"),
        last="2028-Q4",
    )
    plan = {e.id: e for e in plan_roadmap(portfolio, order=["first", "second", "after", "apart"]).items}
    assert (plan["second"].scheduled_start, plan["after"].scheduled_start) == ("2027-Q2", "2027-Q3")
    slow = dataclasses.replace(portfolio.items["first"], duration_estimate=DurationEstimate(1, 1, 3))
    portfolio = dataclasses.replace(portfolio, items={**portfolio.items, "first": slow})
    risk = roadmap_risk(portfolio, draws=4000, seed=3, roadmap=plan_roadmap(portfolio, order=list(plan)))
    odds = {e.id: e for e in risk.items}
    assert odds["first"].on_time < 1
    assert odds["second"].on_time == odds["after"].on_time < 1  # waits for the team, then passes it on
    assert odds["apart"].on_time == 1 and odds["apart"].criticality == 0
    assert odds["first"].criticality == odds["after"].criticality > 0.5


_LINK_TYPES = st.sampled_from(["finish-to-start", "start-to-start", "finish-to-finish", "start-to-finish"])


def earliest_starts(floor: np.ndarray, duration: np.ndarray, links: list[Precedence]) -> np.ndarray:
    """The critical path method's earliest starts, one activity and one link at a time."""
    start = floor.astype(float)
    for after in range(len(floor)):
        for link in (link for link in links if link.after == after):
            theirs = start[link.before] + (0 if link.type.startswith("start") else duration[link.before])
            ours = duration[after] if link.type.endswith("finish") else 0
            start[after] = max(start[after], theirs + link.lag - ours)
    return start


@st.composite
def networks(draw: st.DrawFn) -> tuple[ActivityNetwork, ActivityNetwork]:
    """A random network with every duration at its likely value, and the same with high above likely."""
    count = draw(st.integers(1, 8))
    likely = np.array(draw(st.lists(st.floats(0.25, 6), min_size=count, max_size=count)))
    extra = np.array(draw(st.lists(st.floats(0, 6), min_size=count, max_size=count)))
    links = [
        Precedence(before, after, draw(_LINK_TYPES), draw(st.floats(0, 2)))
        for after in range(count)
        for before in range(after)
        if draw(st.booleans())
    ]
    floor = np.array(draw(st.lists(st.floats(0, 4), min_size=count, max_size=count)))
    # As the roadmap does: each start's floor is its place in the deterministic schedule.
    placed = earliest_starts(floor, likely, links)
    return ActivityNetwork(placed, likely, likely, likely, links), ActivityNetwork(
        placed, likely, likely, likely + extra, links
    )


def quarter(finish: np.ndarray) -> np.ndarray:
    """The quarter each finish ends in (one exactly at a quarter's start belongs to the quarter before)."""
    return np.ceil(finish - 1 - 1e-9)


@settings(max_examples=60, deadline=None)
@given(networks(), st.integers(0, 2**32 - 1))
def test_percentiles_are_ordered_and_no_finish_precedes_the_deterministic_earliest(
    pair: tuple[ActivityNetwork, ActivityNetwork], seed: int
) -> None:
    fixed, uncertain = pair
    earliest = fixed.floor + fixed.likely  # the floors are the deterministic starts
    draws = simulate(uncertain, 300, seed)
    assert (draws.end >= earliest.max() - 1e-9).all()
    counts = draws.finish
    first_drawn = counts.first + np.argmax(counts.counts > 0, axis=1)
    assert (first_drawn >= quarter(earliest)).all()  # no draw finishes in a quarter before the earliest finish
    levels, _ = counts.odds(np.zeros(len(earliest), dtype=np.int64))
    assert (levels[:, 0] <= levels[:, 1]).all() and (levels[:, 1] <= levels[:, 2]).all()
    assert ((draws.criticality >= 0) & (draws.criticality <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 40), st.integers(1, 40), st.integers(0, 2**32 - 1), st.integers(-3, 12))
def test_quarter_counts_give_numpys_percentiles_and_shares(rows: int, one: int, two: int, seed: int, due: int) -> None:
    finishes = np.random.default_rng(seed).uniform(-2, 10, size=(rows, one + two)).round(1)
    counts = QuarterCounts(rows)
    counts.add(finishes[:, :one])  # in two batches, the second may widen the quarters counted
    counts.add(finishes[:, one:])
    levels, within = counts.odds(np.full(rows, due, dtype=np.int64))
    exact = np.quantile(finishes, [0.5, 0.8, 0.95], axis=1, method="inverted_cdf").T
    assert (levels == quarter(exact)).all()
    assert np.allclose(within, (quarter(finishes) <= due).mean(axis=1))


def test_a_roadmap_with_nothing_placed_draws_nothing() -> None:
    risk = roadmap_risk(portfolio_of(planned_item("idle", "done", start="2027-Q1", duration="1")), draws=10)
    assert (risk.items, risk.milestones, risk.finish, risk.planned_finish) == ((), (), (None, None, None), None)
