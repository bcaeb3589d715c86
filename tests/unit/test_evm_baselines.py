"""Baselines for earned value: read from git at the commit where an item was approved, from a baseline block, or
from a given revision; planned value spread over the fiscal quarters of the baseline's schedule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import pfm
from pfm.analysis.evm import planned_value
from pfm.analysis.rag import Measure
from pfm.model import ItemBaseline
from pfm.records import CostLine
from pfm.review import baselines
from tests.helpers import commit, git

PORTFOLIO = """\
apiVersion: pfm/v1
kind: Portfolio
id: test
name: Test portfolio
currency: GBP
as_of: '2027-06-30'
periods: {first: 2027-Q1, last: 2028-Q4}
stages:
  - {id: idea, state: proposed}
  - {id: approved, state: approved}
  - {id: delivery, state: active}
"""


def item(stage: str, actuals: str = "") -> str:
    return f"apiVersion: pfm/v1\nkind: Item\nid: a\ntitle: A\ntype: project\nstage: {stage}\nstart: 2027-Q1\nduration: 4\n{actuals}"


def case(capex: int) -> str:
    return f"apiVersion: pfm/v1\nkind: BusinessCase\nid: a-case\nitem: a\ncosts:\n  - {{year: 2027, capex: {capex}}}\n"


ACTUALS = "actuals:\n  - {as_of: '2027-06-30', capex: 300000, percent_complete: 50}\n"


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, list[str]]:
    """A portfolio proposed at the first commit, approved at the second (A), re-costed in delivery at the third (B)."""
    git(tmp_path, "init", "-q", "-b", "main")
    shas = [
        commit(
            tmp_path,
            "propose a",
            {"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("idea"), "cases/a.yaml": case(100000)},
        ),
        commit(tmp_path, "approve a", {"items/a.yaml": item("approved"), "cases/a.yaml": case(400000)}),
        commit(tmp_path, "re-cost a", {"items/a.yaml": item("delivery", ACTUALS), "cases/a.yaml": case(800000)}),
    ]
    return tmp_path, shas


def test_the_baseline_is_the_business_case_at_the_commit_of_approval(repository: tuple[Path, list[str]]) -> None:
    root, (_, approved, _) = repository
    [row] = pfm.evm(pfm.load_portfolio(root)).items
    assert row.baseline == approved
    assert row.figures.bac == 400000  # not the 800,000 of the later commit
    assert row.figures.pv == 200000  # half of 2027, at the end of its second quarter
    assert (row.figures.ev, row.figures.ac) == (200000, 300000)


def test_a_revision_given_overrides_the_approval(repository: tuple[Path, list[str]]) -> None:
    root, (_, _, recosted) = repository
    report = pfm.evm(pfm.load_portfolio(root), baseline="HEAD")
    assert (report.items[0].baseline, report.items[0].figures.bac, report.revision) == (recosted, 800000, "HEAD")


def test_a_baseline_block_wins_over_git(repository: tuple[Path, list[str]]) -> None:
    root, _ = repository
    block = "baseline:\n  approved: '2026-12-01'\n  costs: [{year: 2027, capex: 600000}]\n"
    (root / "items/a.yaml").write_text(item("delivery", ACTUALS + block), encoding="utf-8")
    [row] = pfm.evm(pfm.load_portfolio(root)).items
    assert (row.baseline, row.approved, row.figures.bac) == ("baseline block", "2026-12-01", 600000)


def test_an_item_never_committed_approved_is_listed_with_the_reason(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "propose a", {"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("idea"), "cases/a.yaml": case(1)})
    (tmp_path / "items/a.yaml").write_text(item("delivery", ACTUALS), encoding="utf-8")
    report = pfm.evm(pfm.load_portfolio(tmp_path), as_of=dt.date(2027, 6, 30))
    assert report.items == ()
    assert "never committed in an approved stage" in report.not_measured["a"]
    assert report.total is None


def test_planned_value_spreads_each_fiscal_year_over_its_quarters_in_the_schedule() -> None:
    # 2027-Q3 to 2028-Q2: 2027's 200 over two quarters, 2028's 400 over two; 2026's 60 in the first; 2029's run cost out
    costs = tuple(CostLine(year, capex) for year, capex in ((2026, 60), (2027, 200), (2028, 400), (2029, 1000)))
    curve = planned_value(ItemBaseline("2027-Q3", "2028-Q2", costs))
    assert not isinstance(curve, str)
    assert curve.cumulative_pv == (160, 260, 460, 660)
    assert planned_value(ItemBaseline(None, None, costs)) == "the baseline has no start quarter"


def milestone(period: str) -> str:
    return f"milestones:\n  - {{name: Go live, period: {period}}}\n"


def test_milestones_are_measured_against_the_commit_of_approval(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    files = {"portfolio.yaml": PORTFOLIO, "cases/a.yaml": case(400000)}
    commit(tmp_path, "propose a", files | {"items/a.yaml": item("idea", milestone("2027-Q1"))})
    approved = commit(tmp_path, "approve a", {"items/a.yaml": item("approved", milestone("2027-Q2"))})
    commit(tmp_path, "re-plan a", {"items/a.yaml": item("delivery", ACTUALS + milestone("2027-Q4"))})
    [row] = pfm.status(pfm.load_portfolio(tmp_path)).items
    slip = row.measures["milestone_slip_quarters"]
    assert slip is not None and (slip.value, slip.source) == (2.0, "Go live")  # 2027-Q2 as approved, now 2027-Q4
    assert (row.milestone_commit, row.milestone_missing, row.computed) == (approved, None, "red")
    written = item("delivery", ACTUALS + "milestones:\n  - {name: Go live, period: 2027-Q4, baseline: 2027-Q3}\n")
    (tmp_path / "items/a.yaml").write_text(written, encoding="utf-8")
    [row] = pfm.status(pfm.load_portfolio(tmp_path)).items  # a baseline written on the milestone wins
    assert (row.measures["milestone_slip_quarters"], row.milestone_commit) == (Measure(1.0, "Go live"), None)


def test_milestones_with_no_approval_in_history_say_so_rather_than_slip_nothing(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    files = {"portfolio.yaml": PORTFOLIO, "cases/a.yaml": case(400000)}
    commit(tmp_path, "propose a", files | {"items/a.yaml": item("idea", milestone("2027-Q2"))})
    (tmp_path / "items/a.yaml").write_text(item("delivery", ACTUALS + milestone("2027-Q4")), encoding="utf-8")
    [row] = pfm.status(pfm.load_portfolio(tmp_path)).items
    assert row.measures["milestone_slip_quarters"] is None and row.milestone_commit is None
    assert row.milestone_missing == "no approved baseline found in history: never committed in an approved stage"
    assert row.to_dict()["milestone_baseline_missing"] == row.milestone_missing


def test_a_second_run_reads_the_baselines_from_the_cache_not_from_git(
    repository: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, shas = repository
    first = pfm.status(pfm.load_portfolio(root))
    kept = sorted((root / ".git" / "pfm-cache" / "baselines").glob("*.json"))
    assert [path.name[:40] for path in kept] == sorted(shas[:2])  # read up to the commit of approval
    monkeypatch.setattr(baselines, "materialise", lambda *args: pytest.fail("a commit was read again"))
    again = pfm.status(pfm.load_portfolio(root))
    assert again.to_dict() == first.to_dict() and again.items[0].bac == 400000
    kept[1].write_text("{}", encoding="utf-8")  # not as written: that commit is read again
    monkeypatch.undo()
    assert pfm.status(pfm.load_portfolio(root)).to_dict() == first.to_dict()
