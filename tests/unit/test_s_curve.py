"""The portfolio's S-curve: cumulative PV, EV and AC by quarter, ending at the EVM roll-up's figures."""

from __future__ import annotations

from pathlib import Path

import pytest

import pfm
from pfm.analysis.s_curve import s_curve
from tests.helpers import EXAMPLE

PORTFOLIO = """\
apiVersion: pfm/v1
kind: Portfolio
id: test
name: Test portfolio
currency: GBP
as_of: '2027-08-15'
periods: {first: 2027-Q1, last: 2028-Q4}
stages:
  - {id: delivery, state: active}
"""
ITEM = """\
apiVersion: pfm/v1
kind: Item
id: a
title: A
type: project
stage: delivery
start: 2027-Q1
duration: 4
baseline:
  approved: '2026-12-01'
  start: 2027-Q1
  end: 2027-Q4
  costs:
    - {year: 2027, capex: 400000}
actuals:
  - {as_of: '2027-03-31', capex: 120000, percent_complete: 25}
  - {as_of: '2027-08-01', capex: 260000, earned_value: 180000}
"""


def test_each_quarter_reads_the_latest_snapshot_and_pv_runs_to_bac(tmp_path: Path) -> None:
    (tmp_path / "items").mkdir()
    (tmp_path / "portfolio.yaml").write_text(PORTFOLIO, encoding="utf-8")
    (tmp_path / "items" / "a.yaml").write_text(ITEM, encoding="utf-8")
    portfolio = pfm.load_portfolio(tmp_path)
    curve = s_curve(portfolio, pfm.evm(portfolio))
    assert [(p.quarter, p.pv, p.ev, p.ac) for p in curve.points] == [
        ("2027-Q1", 100000, 100000, 120000),
        ("2027-Q2", 200000, 100000, 120000),  # no snapshot in Q2: still Q1's
        ("2027-Q3", 300000, 180000, 260000),  # at the status date
        ("2027-Q4", 400000, None, None),
    ]


def test_the_example_ends_at_the_roll_up_of_pfm_evm() -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    report = pfm.evm(portfolio)
    assert report.total is not None
    points = s_curve(portfolio, report).points
    reached = [p for p in points if p.ev is not None][-1]
    assert (reached.ev, reached.ac) == (pytest.approx(report.total.ev), pytest.approx(report.total.ac))
    assert points[-1].pv == pytest.approx(report.total.bac)
    assert [p.pv for p in points] == sorted(p.pv for p in points)
