"""Team capacity: demand per team and quarter against capacity, over-allocation, unplaced items."""

from __future__ import annotations

import math

import pytest

from pfm import load_portfolio
from pfm.analysis.capacity import ALL_OPEN, Cell, capacity_view, item_demand, occupied_quarters
from pfm.errors import UsageError
from pfm.model import Portfolio
from tests.helpers import EXAMPLE, planned_item, portfolio_of, team


def cells(portfolio: Portfolio, **options: object) -> dict[tuple[str, str], Cell]:
    view = capacity_view(portfolio, **options)  # type: ignore[arg-type]
    return {(cell.team, cell.period): cell for _, row in view.teams for cell in row}


def test_a_hand_checked_portfolio() -> None:
    portfolio = portfolio_of(
        team("app", "4"),
        team("data", "{2027-Q1: 3, 2027-Q2: 3, 2027-Q3: 2, 2027-Q4: 2}"),
        planned_item("a", start="2027-Q1", duration="2", demand="{app: 2, data: 1}"),
        planned_item("b", start="2027-Q2", end="2027-Q3", demand="{app: 3}"),
        planned_item("c", start="2027-Q3", duration="2", demand="{app: 1, data: {2027-Q3: 1.5, 2027-Q4: 0.5}}"),
    )
    # a occupies Q1-Q2, b Q2-Q3 (start..end), c Q3-Q4.
    # app  (capacity 4): Q1 = a 2 = 2;  Q2 = a 2 + b 3 = 5 > 4 (125 %);  Q3 = b 3 + c 1 = 4 (100 %, not over);  Q4 = c 1.
    # data (3, 3, 2, 2): Q1 = a 1;  Q2 = a 1;  Q3 = c 1.5 (75 %);  Q4 = c 0.5 (25 %).
    view = capacity_view(portfolio)
    assert view.periods == ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")
    demand = {team: [cell.demand for cell in row] for team, row in view.teams}
    assert demand == {"app": [2, 5, 4, 1], "data": [1, 1, 1.5, 0.5]}
    assert [cell.capacity for cell in dict(view.teams)["data"]] == [3, 3, 2, 2]
    [over] = view.over_allocated
    assert (over.team, over.period, over.capacity, over.demand) == ("app", "2027-Q2", 4, 5)
    assert over.items == (("b", 3.0), ("a", 2.0))  # largest first
    assert over.utilisation == pytest.approx(1.25)
    at = cells(portfolio)
    assert at["app", "2027-Q3"].utilisation == pytest.approx(1.0)
    assert not at["app", "2027-Q3"].over
    assert at["data", "2027-Q3"].utilisation == pytest.approx(0.75)
    assert view.counted == ("a", "b", "c")
    assert view.unplaced == ()


def test_constant_demand_fills_the_quarters_occupied_and_a_mapping_only_those_it_names() -> None:
    portfolio = portfolio_of(
        team("app", "10"),
        planned_item(
            "steady", start="2027-Q3", duration="3", demand="{app: 2}"
        ),  # Q3, Q4, then 2028-Q1 beyond the horizon
        planned_item("shaped", start="2027-Q1", duration="2", demand="{app: {2027-Q1: 1, 2027-Q4: 4, 2029-Q1: 9}}"),
    )
    assert occupied_quarters(portfolio.items["steady"]) == ["2027-Q3", "2027-Q4", "2028-Q1"]
    assert item_demand(portfolio.items["steady"]) == {"app": {"2027-Q3": 2, "2027-Q4": 2, "2028-Q1": 2}}
    assert item_demand(portfolio.items["shaped"]) == {"app": {"2027-Q1": 1, "2027-Q4": 4, "2029-Q1": 9}}
    demand = [cell.demand for cell in dict(capacity_view(portfolio).teams)["app"]]
    assert demand == [1, 0, 2, 6]  # quarters outside the horizon are left out


def test_items_without_dates_are_unplaced_not_guessed() -> None:
    portfolio = portfolio_of(
        team("app", "4"),
        planned_item("undated", demand="{app: 3}"),
        planned_item("no-length", start="2027-Q1", demand="{app: 3}"),
        planned_item("named", demand="{app: {2027-Q2: 1}}"),  # its quarters are in the mapping
        planned_item("idle", start="2027-Q1", duration="1"),
    )
    assert occupied_quarters(portfolio.items["undated"]) is None
    assert occupied_quarters(portfolio.items["no-length"]) is None
    assert item_demand(portfolio.items["undated"]) == {}
    view = capacity_view(portfolio)
    assert view.unplaced == ("no-length", "undated")
    assert [cell.demand for cell in dict(view.teams)["app"]] == [0, 1, 0, 0]


def test_states_stages_and_teams_select_what_is_counted() -> None:
    portfolio = portfolio_of(
        team("app", "4"),
        team("ops", "2"),
        planned_item("funded", "approved", start="2027-Q1", duration="1", demand="{app: 1, ops: 1}"),
        planned_item("running", "delivery", start="2027-Q1", duration="1", demand="{app: 2}"),
        planned_item("idea", "idea", start="2027-Q1", duration="1", demand="{app: 2}"),
        planned_item("finished", "done", start="2027-Q1", duration="1", demand="{app: 8}"),
        planned_item("stopped", "stopped", start="2027-Q1", duration="1", demand="{app: 8}"),
    )
    assert capacity_view(portfolio).counted == ("funded", "running")
    assert cells(portfolio)["app", "2027-Q1"].demand == 3
    open_view = capacity_view(portfolio, ALL_OPEN)
    assert open_view.counted == ("funded", "idea", "running")
    assert [(c.team, c.period, c.demand) for c in open_view.over_allocated] == [("app", "2027-Q1", 5)]
    assert capacity_view(portfolio, stages=["idea"]).counted == ("idea",)
    only_ops = capacity_view(portfolio, teams=["ops"])
    assert [team for team, _ in only_ops.teams] == ["ops"]
    assert only_ops.teams[0][1][0].items == (("funded", 1.0),)
    with pytest.raises(UsageError, match="no team nope"):
        capacity_view(portfolio, teams=["nope"])


def test_utilisation_of_a_team_without_capacity() -> None:
    assert Cell("t", "2027-Q1", 0.0, 0.0, ()).utilisation is None
    assert Cell("t", "2027-Q1", 0.0, 1.0, (("a", 1.0),)).utilisation == math.inf
    assert Cell("t", "2027-Q1", 0.0, 1.0, (("a", 1.0),)).over


def test_the_example_pipeline_overloads_teams_that_committed_work_does_not() -> None:
    portfolio = load_portfolio(EXAMPLE)
    committed = capacity_view(portfolio)
    assert "identity-sso-mfa" in committed.counted  # in flight
    assert "crm-salesforce" not in committed.counted  # only proposed
    pipeline = capacity_view(portfolio, ALL_OPEN)
    assert pipeline.over_allocated
    # Both CRM options asked for at once: the contact-centre team cannot take them.
    crm = [c for c in pipeline.over_allocated if c.team == "crm-contact-centre"]
    assert crm
    assert {"crm-dynamics", "crm-salesforce"} <= {ident for ident, _ in crm[0].items}
    assert all(cell.demand > cell.capacity for cell in pipeline.over_allocated)
