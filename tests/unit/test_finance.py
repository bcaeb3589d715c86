"""Business-case finance checked against published reference values (each test names its source)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pfm import load_portfolio
from pfm.analysis.finance import (
    CaseMetrics,
    YearTotals,
    case_metrics,
    case_npv,
    cash_flows,
    discounted_payback_years,
    irr,
    irr_roots,
    mirr,
    npv,
    payback_years,
    portfolio_metrics,
    portfolio_npv,
    totals_by_year,
)
from pfm.model import Budget, BusinessCase, Finance, Item, Portfolio, Source
from pfm.records import BenefitLine, CostLine
from tests.helpers import EXAMPLE, bare_portfolio

BASE = 2027
SOURCE = Source("business-cases/test.yaml")


def make_case(
    case_id: str, item: str, costs: list[tuple[int, float, float]], benefits: list[tuple[int, float]]
) -> BusinessCase:
    return BusinessCase(
        id=case_id,
        item=item,
        source=SOURCE,
        costs=tuple(CostLine(year, capex, opex) for year, capex, opex in costs),
        benefits=tuple(BenefitLine(year, amount) for year, amount in benefits),
    )


def case_of_net_flows(flows: list[float], first_year: int = BASE) -> BusinessCase:
    """A case whose net flow per year is `flows`: outflows as capex, inflows as benefits."""
    years = range(first_year, first_year + len(flows))
    return make_case(
        "net-case",
        "net-item",
        [(y, -f, 0.0) for y, f in zip(years, flows, strict=True) if f < 0],
        [(y, f) for y, f in zip(years, flows, strict=True) if f > 0],
    )


def make_portfolio(cases: list[BusinessCase], budget: dict[int, Budget] | None = None) -> Portfolio:
    return bare_portfolio(
        last_period="2030-Q4",
        finance=Finance(discount_rate=0.08, base_year=BASE),
        budget=budget or {},
        business_cases={case.id: case for case in cases},
    )


# --- NPV -------------------------------------------------------------------------------------------


def test_npv_matches_excel_first_example() -> None:
    """Microsoft Support, "NPV function" (Excel), example 1: NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44.

    Excel discounts its first value, i.e. the first flow falls one year after the base year.
    """
    assert npv(0.10, [-10_000, 3_000, 4_200, 6_800], first_year=BASE + 1, base_year=BASE) == pytest.approx(
        1_188.44, abs=0.005
    )


def test_npv_matches_excel_second_example() -> None:
    """Microsoft Support, "NPV function" (Excel), example 2 at 8 %: NPV(A2, A4:A8) + A3 = 1,922.06 and,
    with a loss of 9,000 in year 6, NPV(A2, A4:A8, -9000) + A3 = -3,749.47.

    The initial -40,000 is added undiscounted, i.e. it falls in the base year.
    """
    flows = [-40_000, 8_000, 9_200, 10_000, 12_000, 14_500]
    assert npv(0.08, flows, first_year=BASE, base_year=BASE) == pytest.approx(1_922.06, abs=0.005)
    assert npv(0.08, [*flows, -9_000], first_year=BASE, base_year=BASE) == pytest.approx(-3_749.47, abs=0.005)


def test_npv_matches_numpy_financial() -> None:
    """numpy-financial docs, npf.npv: npv(0.08, [-40000, 5000, 8000, 12000, 30000]) = 3065.22267.

    numpy-financial does not discount its first value: first_year = base_year.
    """
    flows = [-40_000, 5_000, 8_000, 12_000, 30_000]
    assert npv(0.08, flows, first_year=BASE, base_year=BASE) == pytest.approx(3_065.22267, abs=1e-5)


def test_flows_before_the_base_year_are_compounded() -> None:
    """pfm convention (DESIGN.md): factor (1 + r) ** (year - base_year), negative before the base year."""
    assert npv(0.10, [100.0], first_year=BASE - 1, base_year=BASE) == pytest.approx(110.0)
    assert npv(0.10, [121.0], first_year=BASE + 2, base_year=BASE) == pytest.approx(100.0)


# --- IRR -------------------------------------------------------------------------------------------

EXCEL_IRR_FLOWS = [-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]


def test_irr_matches_excel_examples() -> None:
    """Microsoft Support, "IRR function" (Excel), https://support.microsoft.com/en-us/office/
    irr-function-64925eaa-9988-495b-b290-3ad0c163c1bc: IRR(A2:A6) = -2.12 %, IRR(A2:A7) = 8.66 %,
    IRR(A2:A4, -10%) = -44.35 % (A2:A4 is the investment and the first two years' income).
    """
    assert irr(EXCEL_IRR_FLOWS[:5]) == pytest.approx(-0.0212, abs=5e-5)
    assert irr(EXCEL_IRR_FLOWS) == pytest.approx(0.0866, abs=5e-5)
    assert irr(EXCEL_IRR_FLOWS[:3]) == pytest.approx(-0.4435, abs=5e-5)


@pytest.mark.parametrize(
    ("flows", "published"),
    [
        ([-100, 39, 59, 55, 20], 0.28095),
        ([-100, 0, 0, 74], -0.0955),
        ([-100, 100, 0, 7], 0.06206),
    ],
)
def test_irr_matches_numpy_financial(flows: list[float], published: float) -> None:
    """numpy-financial docs, npf.irr examples (rounded to 5 decimals there)."""
    assert irr(flows) == pytest.approx(published, abs=5e-6)


@pytest.mark.parametrize(
    ("flows", "published"),
    [([-100, 100, 0, -7], -0.0833), ([-5, 10.5, 1, -8, 1], 0.0886)],
)
def test_numpy_financial_picks_one_of_several_roots(flows: list[float], published: float) -> None:
    """numpy-financial docs, npf.irr examples with several sign changes: its single answer is one of
    the roots pfm lists, and pfm's `irr` refuses to pick one.
    """
    roots = irr_roots(flows)
    assert len(roots) > 1
    assert any(r == pytest.approx(published, abs=5e-6) for r in roots)
    assert irr(flows) is None


def test_lorie_savage_pump_has_two_irrs() -> None:
    """Lorie & Savage, "Three Problems in Rationing Capital", Journal of Business 28 (1955), the pump
    problem (reproduced in Brealey & Myers' discussion of multiple rates of return):
    -1,600, +10,000, -10,000 has IRRs of 25 % and 400 %.
    """
    flows = [-1_600, 10_000, -10_000]
    assert irr_roots(flows) == pytest.approx((0.25, 4.00))
    assert irr(flows) is None
    for rate in irr_roots(flows):
        assert npv(rate, flows, BASE, BASE) == pytest.approx(0.0, abs=1e-6)


def test_flows_without_a_sign_change_have_no_irr() -> None:
    """IRR definition (FIELD-NOTES.md): none without a sign change."""
    assert irr_roots([100, 200, 300]) == ()
    assert irr_roots([-100, -50, 0]) == ()
    assert irr_roots([0, 0]) == ()
    assert irr([-100, -50]) is None


def test_irr_ignores_leading_and_trailing_zero_years() -> None:
    """Zero years before the first flow scale every term of the NPV equally; after the last they add nothing."""
    assert irr([0, 0, *EXCEL_IRR_FLOWS, 0]) == pytest.approx(irr(EXCEL_IRR_FLOWS))
    assert irr([*EXCEL_IRR_FLOWS, 0, 0]) == pytest.approx(irr(EXCEL_IRR_FLOWS))


def test_irr_does_not_depend_on_the_base_year() -> None:
    """NPV at the IRR is zero whatever the base year (each term is scaled by the same factor)."""
    rate = irr(EXCEL_IRR_FLOWS)
    assert rate is not None
    for base in (BASE - 3, BASE, BASE + 4):
        assert npv(rate, EXCEL_IRR_FLOWS, BASE, base) == pytest.approx(0.0, abs=1e-6)


# --- MIRR ------------------------------------------------------------------------------------------

EXCEL_MIRR_FLOWS = [-120_000, 39_000, 30_000, 21_000, 37_000, 46_000]


def test_mirr_matches_excel_examples() -> None:
    """Microsoft Support, "MIRR function" (Excel), https://support.microsoft.com/en-US/excel/functions/
    mirr-function: finance 10 %, reinvest 12 %: MIRR(A2:A7) = 12.61 %, MIRR(A2:A5) = -4.80 %;
    reinvest 14 %: MIRR(A2:A7, A8, 14%) = 13.48 %.
    """
    assert mirr(EXCEL_MIRR_FLOWS, 0.10, 0.12) == pytest.approx(0.1261, abs=5e-5)
    assert mirr(EXCEL_MIRR_FLOWS[:4], 0.10, 0.12) == pytest.approx(-0.0480, abs=5e-5)
    assert mirr(EXCEL_MIRR_FLOWS, 0.10, 0.14) == pytest.approx(0.1348, abs=5e-5)


def test_mirr_matches_numpy_financial() -> None:
    """numpy-financial docs, npf.mirr: mirr([-100, 50, -60, 70], 0.10, 0.12) = -0.03909366594356467;
    all flows negative gives nan (None here).
    """
    assert mirr([-100, 50, -60, 70], 0.10, 0.12) == pytest.approx(-0.03909366594356467, rel=1e-12)
    assert mirr([-100, -50, -60, -70], 0.10, 0.12) is None
    assert mirr([100, 50, 60, 70], 0.10, 0.12) is None


# --- Payback ---------------------------------------------------------------------------------------


def test_payback_matches_field_notes() -> None:
    """FIELD-NOTES.md, "Portfolio formulas": -50, 10, 13, 16, 19, 22 pays back in 3 + 11/19 = 3.58 years."""
    assert payback_years([-50, 10, 13, 16, 19, 22]) == pytest.approx(3 + 11 / 19)
    assert payback_years([-50, 10, 13, 16, 19, 22]) == pytest.approx(3.58, abs=0.005)


def test_payback_edge_cases() -> None:
    """Textbook rule: 0 when never under water, None when never recovered, exact year on a zero balance."""
    assert payback_years([10, 20]) == 0.0
    assert payback_years([-100, 30, 30]) is None
    assert payback_years([-100, 50, 50, 10]) == pytest.approx(2.0)


def test_discounted_payback_matches_brigham_houston() -> None:
    """Brigham & Houston, Fundamentals of Financial Management, "The Basics of Capital Budgeting",
    Projects S and L at a 10 % cost of capital: payback 2.33 and 3.33 years, discounted payback 2.95
    and 3.88 years.
    """
    project_s = [-1_000, 500, 400, 300, 100]
    project_l = [-1_000, 100, 300, 400, 600]
    assert payback_years(project_s) == pytest.approx(2.33, abs=0.005)
    assert payback_years(project_l) == pytest.approx(3.33, abs=0.005)
    assert discounted_payback_years(project_s, 0.10, BASE, BASE) == pytest.approx(2.95, abs=0.005)
    assert discounted_payback_years(project_l, 0.10, BASE, BASE) == pytest.approx(3.88, abs=0.005)


def test_discounted_payback_matches_easycalculation() -> None:
    """easycalculation.com, "Discounted Payback Period" worked example: 50,000 invested, 10,000 a year for
    8 years at 11 %: 7 + 2878.04 / 4339.26 = 7.66 years.
    """
    flows = [-50_000] + [10_000] * 8
    assert discounted_payback_years(flows, 0.11, BASE, BASE) == pytest.approx(7.66, abs=0.005)
    assert discounted_payback_years(flows[:8], 0.11, BASE, BASE) is None


# --- Cash flows and case metrics -------------------------------------------------------------------


def test_cash_flows_fill_gaps_and_scale() -> None:
    """Every year from first to last, zeros in gaps; costs and benefits scale separately."""
    case = make_case("c", "i", [(2027, 100, 20), (2027, 0, 5), (2030, 0, 10)], [(2029, 300), (2029, 50)])
    flows = cash_flows(case)
    assert flows.years == (2027, 2028, 2029, 2030)
    assert flows.capex == (100, 0, 0, 0)
    assert flows.opex == (25, 0, 0, 10)
    assert flows.benefits == (0, 0, 350, 0)
    assert flows.costs == (125, 0, 0, 10)
    assert flows.net == (-125, 0, 350, -10)
    scaled = cash_flows(case, cost_scale=2.0, benefit_scale=0.5)
    assert scaled.costs == (250, 0, 0, 20)
    assert scaled.benefits == (0, 0, 175, 0)


def test_case_metrics_of_the_excel_irr_case() -> None:
    """Microsoft Support, "IRR function" (Excel): the five-year case has IRR 8.66 %; at a 0 % discount
    rate NPV is the plain sum (-70,000 + 92,000 = 22,000).
    """
    case = case_of_net_flows([float(f) for f in EXCEL_IRR_FLOWS])
    metrics = case_metrics(case, Finance(discount_rate=0.0))
    assert metrics.irr == pytest.approx(0.0866, abs=5e-5)
    assert metrics.irr_roots == (metrics.irr,)
    assert metrics.npv == pytest.approx(22_000)
    assert metrics.simple_roi == pytest.approx(22_000 / 70_000)
    assert metrics.roi == pytest.approx(22_000 / 70_000)
    assert (metrics.first_year, metrics.last_year) == (BASE, BASE + 5)
    assert metrics.total_capex == 70_000
    assert metrics.total_benefits == 92_000


def test_case_metrics_use_the_case_first_year_without_a_base_year() -> None:
    """numpy-financial docs, npf.npv = 3065.22267 when the base year is the case's first year."""
    case = case_of_net_flows([-40_000, 5_000, 8_000, 12_000, 30_000], first_year=2031)
    metrics = case_metrics(case, Finance(discount_rate=0.08))
    assert metrics.npv == pytest.approx(3_065.22267, abs=1e-5)
    assert metrics.npv == pytest.approx(metrics.pv_benefits - metrics.pv_costs)
    assert metrics.roi == pytest.approx(metrics.npv / metrics.pv_costs)


def test_case_metrics_use_the_base_year_and_mirr_rates() -> None:
    """Microsoft Support, "NPV function" example 1 (first flow a year after the base year: 1,188.44) and
    "MIRR function" (finance 10 %, reinvest 12 %: 12.61 %).
    """
    npv_case = case_of_net_flows([-10_000, 3_000, 4_200, 6_800], first_year=BASE + 1)
    assert case_metrics(npv_case, Finance(0.10, BASE)).npv == pytest.approx(1_188.44, abs=0.005)
    mirr_case = case_of_net_flows([float(f) for f in EXCEL_MIRR_FLOWS])
    metrics = case_metrics(mirr_case, Finance(0.05, BASE, finance_rate=0.10, reinvestment_rate=0.12))
    assert metrics.mirr == pytest.approx(0.1261, abs=5e-5)


def test_case_metrics_report_every_root_and_none_where_undefined() -> None:
    """Lorie & Savage (1955) pump problem: IRRs 25 % and 400 %, so no single IRR; a benefits-only case
    has no costs, hence no ROI.
    """
    pump = case_of_net_flows([-1_600, 10_000, -10_000])
    metrics = case_metrics(pump, Finance(0.10))
    assert metrics.irr is None
    assert metrics.irr_roots == pytest.approx((0.25, 4.0))
    free = make_case("free", "i", [(BASE, 0, 0)], [(BASE, 100)])
    free_metrics = case_metrics(free, Finance(0.10))
    assert free_metrics.roi is None
    assert free_metrics.simple_roi is None
    assert free_metrics.irr is None
    assert free_metrics.payback_years is None  # nothing to pay back
    assert free_metrics.not_available["payback_years"] == "the case has no costs: there is nothing to pay back"


def test_case_metrics_scale_costs_and_benefits() -> None:
    """Doubling costs and benefits doubles NPV and leaves IRR unchanged (NPV is linear in the flows)."""
    case = case_of_net_flows([float(f) for f in EXCEL_IRR_FLOWS])
    base = case_metrics(case, Finance(0.08, BASE))
    doubled = case_metrics(case, Finance(0.08, BASE), cost_scale=2.0, benefit_scale=2.0)
    assert doubled.npv == pytest.approx(2 * base.npv)
    assert doubled.irr == pytest.approx(base.irr)


def test_portfolio_metrics_are_sorted_by_item() -> None:
    cases = [
        make_case("z-case", "b-item", [(2027, 10, 0)], [(2028, 20)]),
        make_case("a-case", "c-item", [(2027, 10, 0)], [(2028, 20)]),
        make_case("m-case", "a-item", [(2027, 10, 0)], [(2028, 20)]),
    ]
    metrics = portfolio_metrics(make_portfolio(cases))
    assert [m.item for m in metrics] == ["a-item", "b-item", "c-item"]
    assert all(isinstance(m, CaseMetrics) for m in metrics)


# --- Totals by year --------------------------------------------------------------------------------


def test_totals_by_year_against_the_budget() -> None:
    """Per-year sums of the chosen items' cases, every year with a flow or a budget, with headroom."""
    cases = [
        make_case("a-case", "a", [(2027, 100, 10), (2029, 0, 5)], [(2029, 40)]),
        make_case("b-case", "b", [(2027, 50, 0), (2028, 20, 20)], [(2028, 30)]),
    ]
    budget = {2027: Budget(capex=120, opex=50), 2028: Budget(total=100), 2030: Budget(total=10)}
    portfolio = make_portfolio(cases, budget)
    totals = totals_by_year(portfolio)
    assert [t.year for t in totals] == [2027, 2028, 2029, 2030]
    assert totals[0] == YearTotals(2027, 150, 10, 0, Budget(capex=120, opex=50))
    assert totals[0].total == 160
    assert totals[0].headroom == 10
    assert totals[1].headroom == 60
    assert totals[2] == YearTotals(2029, 0, 5, 40, None)
    assert totals[2].headroom is None
    assert totals[3].total == 0
    assert totals[3].headroom == 10
    only_a = totals_by_year(portfolio, items={"a"})
    assert [(t.year, t.capex) for t in only_a] == [(2027, 100), (2028, 0), (2029, 0), (2030, 0)]


def test_headroom_is_against_the_spend_the_budget_covers() -> None:
    """A total covers capex and opex; a budget stating capex alone covers capex alone, and opex counts neither way."""
    assert YearTotals(2027, 10, 5, 0, Budget(capex=100, opex=20, total=50)).headroom == 35
    assert YearTotals(2027, 10, 5, 0, Budget(capex=100, opex=20)).headroom == 105
    capex_only = YearTotals(2027, 10, 500, 0, Budget(capex=100))
    assert (capex_only.budgeted, capex_only.budget_total, capex_only.headroom) == (("capex",), 100, 90)
    opex_only = YearTotals(2027, 10, 5, 0, Budget(opex=4))
    assert (opex_only.budgeted, opex_only.budget_total, opex_only.headroom) == (("opex",), 4, -1)
    assert YearTotals(2027, 10, 5, 0, None).headroom is None


def test_a_capex_only_budget_in_the_finance_result_and_its_table() -> None:
    from pfm.analysis.finances import finance
    from pfm.reporting.views.finance import finance_table

    case = make_case("a-case", "a", [(2027, 100, 30)], [(2028, 200)])
    item = Item("a", "Item a", "project", "idea", SOURCE)
    result = finance(replace(make_portfolio([case], {2027: Budget(capex=80)}), items={"a": item}))
    assert result.to_dict()["totals"]["2027"] == {
        "capex": 100,
        "opex": 30,
        "benefits": 0,
        "budget": {"capex": 80, "opex": None, "total": None},
        "headroom": -20,  # the capex budget against capex spend; the 30 of opex is under no budget here
    }
    table = finance_table(result)
    assert table.sections[0].rows[0] == [2027, 100, 30, 130, 0, 80, -20]
    assert "2027: these business cases cost 20 GBP more than the budget" in table.notes
    assert "2027: the budget states capex only, so its headroom is against capex spend alone" in table.remarks


# --- Properties ------------------------------------------------------------------------------------

amounts = st.integers(min_value=-10_000_000, max_value=10_000_000).map(float)  # money in major units


@given(st.lists(amounts, min_size=1, max_size=15), st.integers(2000, 2040), st.integers(2000, 2040))
def test_npv_at_rate_zero_is_the_sum(flows: list[float], first_year: int, base_year: int) -> None:
    """With no discounting every year counts at face value, whatever the years."""
    assert npv(0.0, flows, first_year, base_year) == pytest.approx(sum(flows), abs=1e-6)


@given(
    st.floats(min_value=1.0, max_value=1e7),
    st.lists(st.floats(min_value=1.0, max_value=1e7), min_size=1, max_size=12),
)
def test_npv_at_the_irr_of_a_conventional_project_is_zero(outlay: float, inflows: list[float]) -> None:
    """One outflow then inflows: exactly one sign change, so exactly one IRR (Descartes' rule of signs)."""
    flows = [-outlay, *inflows]
    rate = irr(flows)
    assert rate is not None
    assert irr_roots(flows) == (rate,)
    assert npv(rate, flows, BASE, BASE) == pytest.approx(0.0, abs=1e-6 * (outlay + sum(inflows)))


@given(st.lists(amounts, min_size=2, max_size=10))
def test_every_reported_root_zeroes_npv(flows: list[float]) -> None:
    """Each root irr_roots reports is a real zero of the NPV (no spurious roots)."""
    scale = sum(abs(f) for f in flows)
    for rate in irr_roots(flows):
        assert rate > -1.0
        discounted = sum(abs(f) / (1 + rate) ** t for t, f in enumerate(flows))
        assert npv(rate, flows, BASE, BASE) == pytest.approx(0.0, abs=1e-6 * max(discounted, scale))


def test_npv_alone_equals_the_npv_of_the_full_metrics() -> None:
    portfolio = load_portfolio(EXAMPLE)
    for case in portfolio.business_cases.values():
        assert case_npv(case, portfolio.finance) == pytest.approx(case_metrics(case, portfolio.finance).npv, abs=1e-6)
    assert portfolio_npv(portfolio) == pytest.approx(sum(m.npv for m in portfolio_metrics(portfolio)), abs=1e-6)
