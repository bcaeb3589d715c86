"""The typed, immutable Portfolio."""

from __future__ import annotations

import dataclasses

import pytest

from pfm import load_portfolio
from pfm.errors import PortfolioInvalid
from pfm.records import PerPeriod
from tests.helpers import EXAMPLE, PORTFOLIO, WriteTree, item


def test_the_example_builds_with_every_kind() -> None:
    portfolio = load_portfolio(EXAMPLE)
    assert portfolio.currency == "GBP"
    assert 25 <= len(portfolio.items) <= 40
    assert sum(1 for i in portfolio.items.values() if i.type == "programme") in (3, 4)
    assert len(portfolio.teams) >= 6
    assert len(portfolio.risks) >= 10
    assert len(portfolio.scenarios) == 2
    assert portfolio.decisions
    assert portfolio.scoring is not None
    assert 5 <= len(portfolio.scoring.criteria) <= 7
    assert portfolio.periods[0] == portfolio.first_period


def test_the_portfolio_cannot_be_changed(write_tree: WriteTree) -> None:
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", "demand: {team-x: 2}\n")})
    root.joinpath("teams").mkdir()
    root.joinpath("teams/team-x.yaml").write_text(
        "apiVersion: pfm/v1\nkind: Team\nid: team-x\ntitle: X\ncapacity: {2027-Q1: 4}\n"
    )
    portfolio = load_portfolio(root)
    a = portfolio.items["a"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.title = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        portfolio.items["b"] = a  # type: ignore[index]
    with pytest.raises(TypeError):
        a.scores["value"] = 5  # type: ignore[index]
    assert a.demand["team-x"] == PerPeriod(constant=2.0)
    capacity = portfolio.teams["team-x"].capacity
    assert (capacity.at("2027-Q1"), capacity.at("2027-Q2")) == (4.0, 0.0)


def test_dependencies_are_normalised_to_one_shape(write_tree: WriteTree) -> None:
    extra = "depends_on:\n  - a\n  - {id: b, type: start-to-start, note: shared design}\n"
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/a.yaml": item("a"),
            "items/b.yaml": item("b"),
            "items/c.yaml": item("c", extra),
        }
    )
    deps = load_portfolio(root).items["c"].depends_on
    assert [(d.id, d.type, d.note) for d in deps] == [
        ("a", "finish-to-start", ""),
        ("b", "start-to-start", "shared design"),
    ]


def test_an_invalid_portfolio_raises_with_its_findings(write_tree: WriteTree) -> None:
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", "depends_on: [ghost]\n")})
    with pytest.raises(PortfolioInvalid, match=r"1 error: first at items/a.yaml:8:14") as raised:
        load_portfolio(root)
    assert [f.rule for f in raised.value.findings] == ["ref.unknown"]
