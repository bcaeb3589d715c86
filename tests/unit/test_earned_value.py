"""Earned value and earned schedule checked against published worked examples (each test names its source),
hand-derived examples where no published one was reachable (labelled as such), edge cases and invariants."""

from __future__ import annotations

import math
from datetime import date
from itertools import accumulate

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pfm.analysis.earned_schedule import Baseline, Calendar
from pfm.analysis.earned_value import EarnedValue, ItemProgress, RollUp, earned_value, roll_up, summed_baseline

# Lipke's concept figure: a plan from January to November, the status at the end of July (AT = 7).
MONTHLY = Baseline((10, 25, 45, 70, 100, 130, 160, 185, 205, 220, 230), 230)


def at_status(pv: float, bac: float) -> Baseline:
    """A two-period baseline whose PV at the end of period 1 (the status date) is `pv`: for examples that give
    PV at the status date but not the curve."""
    return Baseline((pv, bac), bac)


def test_pra_vignette_toy_project() -> None:
    """PRA (R package, Govan), vignette "Earned Value Management" (vignettes/evm.html): BAC 100,000, planned
    cumulative completion 10/20/40/70/100 % per period, period 3, 35 % complete, AC 36,000 -> PV 40000,
    EV 35000, SV -5000, CV -1000, SPI 0.88, CPI 0.97, EAC 102857.1 (printed rounded to 2 places)."""
    baseline = Baseline(tuple(100_000 * share for share in (0.1, 0.2, 0.4, 0.7, 1.0)), 100_000)
    figures = earned_value(baseline, 3, 36_000, percent_complete=35)
    assert figures.pv == pytest.approx(40_000)
    assert figures.ev == pytest.approx(35_000)
    assert figures.sv == pytest.approx(-5_000)
    assert figures.cv == pytest.approx(-1_000)
    assert round(figures.spi or 0, 2) == 0.88
    assert round(figures.cpi or 0, 2) == 0.97
    assert round(figures.eac or 0, 1) == 102_857.1


def test_pra_reference_eac_and_tcpi() -> None:
    """PRA reference pages `eac` and `tcpi` (paulgovan.github.io/PRA/reference): BAC 100,000, EV 35,000,
    AC 63,000 -> EAC (atypical, AC + BAC - EV) 128000 and TCPI to meet BAC 1.76."""
    figures = earned_value(Baseline((40_000, 100_000), 100_000), 1, 63_000, 35_000)
    assert figures.eac_plan_rate == 128_000
    assert round(figures.tcpi_bac or 0, 2) == 1.76


def test_coda_earned_value_measurements() -> None:
    """ "XYZ website redesign: determine project progress performance" (coda.io, Seagram Kern): BAC 105,430,
    EV = PV 15,595, AC 14,866 -> CV 729.00, SV 0.00, CPI 1.04904, SPI 1.00, EAC 100,501.60, ETC 85,635.60,
    VAC 4,928.40."""
    figures = earned_value(at_status(15_595, 105_430), 1, 14_866, 15_595)
    assert figures.cv == pytest.approx(729.00)
    assert figures.sv == 0
    assert round(figures.cpi or 0, 5) == 1.04904
    assert figures.spi == 1
    assert round(figures.eac or 0, 2) == 100_501.60
    assert round(figures.etc or 0, 2) == 85_635.60
    assert round(figures.vac or 0, 2) == 4_928.40


def test_earned_value_slides_sample_project() -> None:
    """ "Earned Value" slides (wnwk.com/doc/3476926): BAC 500, PV 300, EV 200, AC 250 -> CV -50, SV -100,
    CPI .80, SPI .67, EAC = 500 / .80 = 625."""
    figures = earned_value(at_status(300, 500), 1, 250, 200)
    assert (figures.cv, figures.sv) == (-50, -100)
    assert figures.cpi == pytest.approx(0.80)
    assert round(figures.spi or 0, 2) == 0.67
    assert figures.eac == pytest.approx(625)


def test_hksm_earned_schedule_definition_example() -> None:
    """HKSM, "Earned Schedule (ES)" (hksmnow.com/definitions/project-management): at week 20 (AT = 20) the EV
    equals the PV scheduled for week 18, so ES = 18 weeks, SV(t) = -2 weeks, SPI(t) = 0.90. The weekly plan
    (1,000 a week for 30 weeks) is ours; only the PV of week 18 matters."""
    weekly = Baseline(tuple(float(value) for value in range(1_000, 30_001, 1_000)), 30_000)
    figures = earned_value(weekly, 20, 20_000, weekly.planned_value(18))
    assert figures.es == pytest.approx(18)
    assert figures.sv_t == pytest.approx(-2)
    assert round(figures.spi_t or 0, 2) == 0.90


def test_lipke_interpolation_hand_derived() -> None:
    """HAND-DERIVED from Lipke's formulas (ES = C + I, SPI(t) = ES / AT, IEAC(t) = PD / SPI(t)) on the shape of
    his concept figure ("Earned Schedule Concept": EV between May and June PV, AT = 7); the figures are ours.
    EV 115 lies between PV(May) = 100 and PV(June) = 130: ES = 5 + 15 / 30 = 5.5, SV(t) = -1.5,
    SPI(t) = 5.5 / 7 = 0.7857, IEAC(t) = 11 / 0.7857 = 14 months: the end of February 2028."""
    figures = earned_value(MONTHLY, 7, 120, 115, calendar=Calendar(date(2027, 1, 1), months_per_period=1))
    assert figures.es == pytest.approx(5.5)
    assert figures.sv_t == pytest.approx(-1.5)
    assert figures.spi_t == pytest.approx(5.5 / 7)
    assert figures.ieac_t == pytest.approx(14)
    assert figures.forecast_finish == date(2028, 3, 1)  # position 14.0: the end of period 14, February 2028
    assert figures.pv == 160  # end of July


def test_pv_accrues_pro_rata_within_a_period() -> None:
    """HAND-DERIVED: the status date half-way through June (position 5.5) plans 100 + (130 - 100) / 2 = 115."""
    assert MONTHLY.planned_value(5.5) == pytest.approx(115)
    assert MONTHLY.planned_value(0.25) == pytest.approx(2.5)
    assert MONTHLY.planned_value(40) == 230  # after the plan: BAC


def test_eac_methods_hand_derived() -> None:
    """HAND-DERIVED from the PMBOK Guide's EAC formulas on the PRA toy project (BAC 100,000, PV 40,000,
    EV 35,000, AC 36,000): CPI x SPI = 0.97222 x 0.875, so AC + (BAC - EV) / (CPI x SPI) = 36,000 + 65,000 /
    0.850694 = 112,408.16; TCPI to EAC = CPI when EAC = BAC / CPI."""
    baseline = Baseline((10_000, 20_000, 40_000, 70_000, 100_000), 100_000)
    figures = earned_value(baseline, 3, 36_000, 35_000)
    assert round(figures.eac_cpi_spi or 0, 2) == 112_408.16
    assert figures.eac_plan_rate == 101_000
    assert figures.tcpi_eac == pytest.approx(figures.cpi)
    assert figures.tcpi_bac == pytest.approx(65_000 / 64_000)


def test_no_actual_cost_leaves_cost_ratios_undefined() -> None:
    figures = earned_value(MONTHLY, 1, 0, 5)
    assert figures.cpi is None and figures.eac is None and figures.etc is None and figures.vac is None
    assert figures.eac_cpi_spi is None and figures.tcpi_eac is None
    assert figures.eac_plan_rate == 225
    assert "AC = 0" in figures.not_available["cpi"]
    assert figures.not_available["etc"] == "eac is not available"


def test_before_the_start_nothing_is_planned() -> None:
    figures = earned_value(MONTHLY, 0, 0, 0)
    assert figures.pv == 0 and figures.spi is None and figures.spi_t is None and figures.ieac_t is None
    assert "PV = 0" in figures.not_available["spi"]
    assert "AT = 0" in figures.not_available["spi_t"]
    assert figures.es == 0 and figures.sv_t == 0


def test_a_plan_that_starts_later_has_no_pv_in_its_first_periods() -> None:
    late = Baseline((0, 0, 50, 100), 100)
    figures = earned_value(late, 1.5, 0, 0)
    assert figures.pv == 0 and figures.spi is None
    assert figures.es == 2  # every period whose PV (zero) the EV has reached counts in full


def test_complete_late_project_caps_es_at_planned_duration() -> None:
    """Lipke's motivating case: a project finished late ends with SPI = 1 but SPI(t) < 1; ES stops at PD."""
    figures = earned_value(Baseline((25, 50, 75, 100), 100), 6, 120, 100)
    assert figures.spi == 1
    assert figures.es == 4
    assert figures.sv_t == -2
    assert figures.spi_t == pytest.approx(4 / 6)
    assert figures.ieac_t == pytest.approx(6)  # the actual duration
    assert figures.eac_cpi == figures.eac_cpi_spi == figures.eac_plan_rate == 120
    assert figures.etc == 0
    assert figures.tcpi_eac is None and "EAC = AC" in figures.not_available["tcpi_eac"]
    assert figures.tcpi_bac is None and "overspent" in figures.not_available["tcpi_bac"]


def test_planned_duration_ends_where_pv_reaches_bac() -> None:
    flat_tail = Baseline((50, 100, 100), 100)
    assert flat_tail.planned_duration == 2
    assert flat_tail.earned_schedule(100) == 2
    assert flat_tail.earned_schedule(75) == 1.5


def test_zero_cpi_gives_no_performance_based_estimate() -> None:
    figures = earned_value(MONTHLY, 3, 40, 0)
    assert figures.cpi == 0
    assert figures.eac is None and figures.eac_cpi_spi is None
    assert "cpi is zero" in figures.not_available["eac_cpi"]
    assert "cpi x spi is zero" in figures.not_available["eac_cpi_spi"]
    assert figures.spi_t == 0 and figures.ieac_t is None
    assert "SPI(t) = 0" in figures.not_available["ieac_t"]


def test_spent_budget_has_no_tcpi_to_bac() -> None:
    figures = earned_value(MONTHLY, 7, 230, 200)
    assert figures.tcpi_bac is None and "AC = BAC" in figures.not_available["tcpi_bac"]


def test_earned_value_beyond_bac_is_refused() -> None:
    with pytest.raises(ValueError, match=r"ev \(231\.0\) must not exceed bac"):
        earned_value(MONTHLY, 7, 120, 231.0)
    with pytest.raises(ValueError, match="percent_complete must be at most 100"):
        earned_value(MONTHLY, 7, 120, percent_complete=101)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: earned_value(MONTHLY, -1, 0, 0), "at"),
        (lambda: earned_value(MONTHLY, 1, -5, 0), "ac"),
        (lambda: earned_value(MONTHLY, 1, 0, -0.5), "ev"),
        (lambda: earned_value(MONTHLY, 1, 0, math.nan), "ev"),
        (lambda: earned_value(MONTHLY, 1, math.inf, 0), "ac"),
        (lambda: earned_value(MONTHLY, 1, 0, percent_complete=-1), "percent_complete"),
        (lambda: Baseline((10, -20), -20), "bac"),
        (lambda: Baseline((10, -20, 30), 30), r"cumulative_pv\[1\]"),
    ],
)
def test_negative_or_non_finite_inputs_name_the_field(call: object, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field} must be a finite number >= 0"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("curve", "bac", "message"),
    [
        ((), 10, "at least one period"),
        ((20, 10), 10, r"cumulative_pv\[1\] is below"),
        ((5, 10), 12, "must end at bac"),
        ((0,), 0, "bac must be above 0"),
    ],
)
def test_inconsistent_baselines_are_refused(curve: tuple[float, ...], bac: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Baseline(curve, bac)


def test_earned_value_comes_from_exactly_one_input() -> None:
    with pytest.raises(ValueError, match="exactly one of ev and percent_complete"):
        earned_value(MONTHLY, 1, 0)
    with pytest.raises(ValueError, match="exactly one of ev and percent_complete"):
        earned_value(MONTHLY, 1, 0, 10, percent_complete=10)


def test_ratios_too_large_to_represent_are_none_with_a_reason() -> None:
    figures = earned_value(Baseline((1e300, 1e300), 1e300), 1, 1e-300, 1e300)
    assert figures.cpi is None and "not a finite number" in figures.not_available["cpi"]


def test_forecast_past_the_calendar_is_none_with_a_reason() -> None:
    tiny_progress = earned_value(MONTHLY, 7, 1, 1e-300, calendar=Calendar(date(2027, 1, 1)))
    assert tiny_progress.ieac_t is not None and tiny_progress.forecast_finish is None
    assert "last date" in tiny_progress.not_available["forecast_finish"]


def test_calendar_dates_and_positions() -> None:
    quarters = Calendar(date(2027, 1, 1))
    assert quarters.date_at(0) == date(2027, 1, 1)
    assert quarters.date_at(4) == date(2028, 1, 1)
    assert quarters.date_at(1.5) == date(2027, 5, 17)  # April 1 + 45.5 of 91 days, to the nearest (even) day
    assert quarters.position_of(date(2027, 7, 1)) == 2
    assert quarters.position_of(date(2027, 2, 15)) == pytest.approx(45 / 90)
    with pytest.raises(ValueError, match="before the calendar's start"):
        quarters.position_of(date(2026, 12, 31))
    with pytest.raises(ValueError, match="first day of a month"):
        Calendar(date(2027, 1, 2))
    with pytest.raises(ValueError, match="months_per_period"):
        Calendar(date(2027, 1, 1), months_per_period=2)


def test_roll_up_sums_then_recomputes() -> None:
    """HAND-DERIVED: two items on one quarterly calendar, the second starting a quarter later and shorter."""
    first = ItemProgress("a", Baseline((100, 200, 300, 400), 400), ac=250, ev=180)
    second = ItemProgress("b", Baseline((0, 50, 100), 100), ac=40, ev=60)
    result = roll_up([first, second], 2, name="programme")
    total = result.total
    assert (total.item, total.bac, total.pv, total.ev, total.ac) == ("programme", 500, 250, 240, 290)
    assert total.cpi == pytest.approx(240 / 290)  # not the mean of 0.72 and 1.5
    assert total.spi == pytest.approx(240 / 250)
    # summed curve 100, 250, 400, 500: EV 240 lies in period 2, 1 + 140 / 150
    assert summed_baseline([first.baseline, second.baseline]).cumulative_pv == (100, 250, 400, 500)
    assert total.es == pytest.approx(1 + 140 / 150)
    assert [row["item"] for row in result.records()] == ["a", "b", "programme"]
    assert result.to_dict()["total"]["bac"] == 500
    with pytest.raises(ValueError, match="at least one item"):
        roll_up([], 1)


def test_results_give_json_and_frames() -> None:
    figures = earned_value(MONTHLY, 7, 120, 115, item="crm", calendar=Calendar(date(2027, 1, 1), 1))
    data = figures.to_dict()
    assert data["eac"] == data["eac_cpi"] and data["forecast_finish"] == "2028-03-01"
    assert data["not_available"] == {}
    frame = figures.to_frame()
    assert list(frame["item"]) == ["crm"] and "not_available" not in frame.columns
    assert {"pv", "ev", "ac", "cpi", "spi", "eac", "es", "spi_t", "ieac_t"} <= set(frame.columns)
    assert figures.percent_complete == pytest.approx(50)
    assert isinstance(roll_up([ItemProgress("crm", MONTHLY, 120, 115)], 7), RollUp)


# Property tests: invariants over generated plans and progress.

increments = st.lists(st.floats(0, 1e6, allow_subnormal=False), min_size=1, max_size=12).filter(
    lambda values: sum(values) > 0
)


@st.composite
def progress(draw: st.DrawFn, item: str = "x") -> ItemProgress:
    curve = tuple(accumulate(draw(increments)))
    baseline = Baseline(curve, curve[-1])
    ev = baseline.bac * draw(st.floats(0, 1))
    return ItemProgress(item, baseline, ac=draw(st.floats(0, 1e7, allow_subnormal=False)), ev=ev)


positions = st.floats(0, 16, allow_subnormal=False)


def _every_figure_is_finite_or_none(figures: EarnedValue) -> None:
    data = figures.to_dict()
    for name, value in data.items():
        if isinstance(value, float):
            assert math.isfinite(value), name
        elif value is None and name != "forecast_finish":  # no calendar given
            assert name in data["not_available"], name


def _quotient(numerator: float, denominator: float) -> float | None:
    quotient = numerator / denominator if denominator else math.inf
    return quotient if math.isfinite(quotient) else None


@given(progress(), positions)
def test_cpi_times_ac_is_ev(state: ItemProgress, at: float) -> None:
    figures = earned_value(state.baseline, at, state.ac, state.ev)
    _every_figure_is_finite_or_none(figures)
    if figures.cpi is not None:
        assert figures.cpi * figures.ac == pytest.approx(figures.ev, rel=1e-9, abs=1e-9)


@given(progress(), positions)
def test_earned_schedule_stays_within_the_plan(state: ItemProgress, at: float) -> None:
    baseline = state.baseline
    es = baseline.earned_schedule(state.ev)
    assert 0 <= es <= baseline.planned_duration
    if state.ev < baseline.cumulative_pv[-1]:  # ES is where the plan reached EV
        assert baseline.planned_value(es) == pytest.approx(state.ev, rel=1e-9, abs=1e-6)


@given(progress(), positions)
def test_tcpi_to_eac_equals_cpi(state: ItemProgress, at: float) -> None:
    figures = earned_value(state.baseline, at, state.ac, state.ev)
    assume(figures.tcpi_eac is not None and figures.cpi is not None)
    assert figures.tcpi_eac == pytest.approx(figures.cpi, rel=1e-9)


@given(st.lists(progress(), min_size=1, max_size=5), positions)
def test_roll_up_ratios_are_ratios_of_sums(states: list[ItemProgress], at: float) -> None:
    result = roll_up(states, at)
    total = result.total
    _every_figure_is_finite_or_none(total)
    assert total.bac == pytest.approx(math.fsum(s.baseline.bac for s in states))
    assert total.pv == pytest.approx(math.fsum(item.pv for item in result.items), rel=1e-9, abs=1e-6)
    assert total.cpi == _quotient(total.ev, total.ac)
    assert total.spi == _quotient(total.ev, total.pv)
    assert 0 <= total.es <= total.planned_duration
