"""Business-case finance: cash flows per fiscal year, NPV, IRR (every root), MIRR, payback, ROI, yearly totals.

Conventions (DESIGN.md, "Conventions that must be declared"):

- The flow of fiscal year y is discounted by (1 + rate) ** (y - base_year): base-year flows are not
  discounted, flows before the base year are compounded. Excel's NPV discounts its first value (its
  first value falls one year after the base year); numpy-financial's does not (first year = base year).
- IRR is a rate at which that NPV is zero. It does not depend on the base year (moving the base year
  multiplies every term by the same factor), so IRR works on the flows alone. Flows can have no IRR or
  several; `irr_roots` returns all of them and `irr` returns a number only when there is exactly one.
- Payback counts years after the first year of the case. A case without costs has nothing to pay
  back: its payback is None, with the reason in `not_available`.
- MIRR, ROI and simple ROI are ratios; where one is undefined (no costs, flows that never change
  sign) or not a finite number (costs too small to divide by), it is None and `not_available`
  says why. Money amounts are bounded by the schemas (10^15 major units), so sums stay finite.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from pfm.model import Budget, BusinessCase, Finance, Portfolio
from pfm.records import EMPTY

# A root of the NPV polynomial is real when its imaginary part is this small relative to its size;
# double roots come out of numpy.roots split by about sqrt(machine epsilon), hence not 1e-12.
_IMAG_TOLERANCE = 1e-6
_SAME_ROOT = 1e-6  # rates closer than this (relative) are one root, e.g. the two halves of a double root
_NEWTON_STEPS = 50
# Amounts this small relative to the largest flow are rounding noise (net = benefits - capex - opex),
# not a sign change or an unrecovered balance.
_NEGLIGIBLE = 1e-9
# Why a ratio has no value: its base is zero, or so small that the ratio is not a finite number.
_NO_BASE = {
    "mirr": "the net cash flows never change sign",
    "roi": "the present value of the costs is zero",
    "simple_roi": "the costs are zero",
}
_TOO_SMALL = "the costs are too small to divide by: the ratio is not a finite number"
_NO_COSTS = "the case has no costs: there is nothing to pay back"


@dataclass(frozen=True, slots=True)
class CashFlows:
    """Capex, opex, benefits and net flow for every fiscal year of a business case."""

    years: tuple[int, ...]
    capex: tuple[float, ...]
    opex: tuple[float, ...]
    benefits: tuple[float, ...]
    net: tuple[float, ...]

    @property
    def costs(self) -> tuple[float, ...]:
        """Capex plus opex per year."""
        return tuple(c + o for c, o in zip(self.capex, self.opex, strict=True))


@dataclass(frozen=True, slots=True)
class CaseMetrics:
    """The financial figures of one business case; None where a figure is undefined."""

    id: str
    item: str
    npv: float
    irr: float | None
    irr_roots: tuple[float, ...]
    mirr: float | None
    payback_years: float | None
    discounted_payback_years: float | None
    roi: float | None
    simple_roi: float | None
    pv_costs: float
    pv_benefits: float
    total_capex: float
    total_opex: float
    total_benefits: float
    first_year: int
    last_year: int
    not_available: Mapping[str, str] = field(default_factory=lambda: EMPTY)  # figure -> why it is None


@dataclass(frozen=True, slots=True)
class YearTotals:
    """Capex, opex and benefits of a set of business cases in one fiscal year, against the budget."""

    year: int
    capex: float
    opex: float
    benefits: float
    budget: Budget | None

    @property
    def total(self) -> float:
        """Capex plus opex."""
        return self.capex + self.opex

    @property
    def budgeted(self) -> tuple[str, ...]:
        """The spend the budget covers: ("capex", "opex") under a total or both figures; ("capex",) under a
        capex-only budget and ("opex",) under an opex-only one, which say nothing of the other figure; ()
        without a budget."""
        if self.budget is None:
            return ()
        if self.budget.total is not None:
            return ("capex", "opex")
        return tuple(figure for figure in ("capex", "opex") if getattr(self.budget, figure) is not None)

    @property
    def budget_total(self) -> float | None:
        """What the budget makes available: its total, else the sum of the figures it states; None without one."""
        if self.budget is None:
            return None
        if self.budget.total is not None:
            return self.budget.total
        stated: list[float] = [getattr(self.budget, figure) for figure in self.budgeted]
        return sum(stated, 0.0)

    @property
    def headroom(self) -> float | None:
        """`budget_total` minus the spend it covers (`budgeted`); negative: over budget; None without a budget.

        Under a capex-only budget the headroom is the capex budget minus the capex spend: opex, which that
        budget does not cover, counts neither way."""
        total = self.budget_total
        return None if total is None else total - sum(getattr(self, figure) for figure in self.budgeted)


def cash_flows(case: BusinessCase, cost_scale: float = 1.0, benefit_scale: float = 1.0) -> CashFlows:
    """Spread a business case over every fiscal year from its first to its last, gaps as zeros."""
    all_years = [line.year for line in case.costs] + [line.year for line in case.benefits]
    if not all_years:
        return CashFlows((), (), (), (), ())
    years = tuple(range(min(all_years), max(all_years) + 1))
    capex = dict.fromkeys(years, 0.0)
    opex = dict.fromkeys(years, 0.0)
    benefits = dict.fromkeys(years, 0.0)
    for cost in case.costs:
        capex[cost.year] += cost.capex * cost_scale
        opex[cost.year] += cost.opex * cost_scale
    for benefit in case.benefits:
        benefits[benefit.year] += benefit.amount * benefit_scale
    net = tuple(benefits[y] - capex[y] - opex[y] for y in years)
    return CashFlows(years, _values(capex), _values(opex), _values(benefits), net)


def npv(rate: float, flows: Sequence[float], first_year: int, base_year: int) -> float:
    """Net present value at `base_year` of flows that start in `first_year` (earlier years compounded)."""
    return sum(flow / (1.0 + rate) ** (first_year + t - base_year) for t, flow in enumerate(flows))


def irr_roots(flows: Sequence[float]) -> tuple[float, ...]:
    """Every real internal rate of return above -100 %, ascending; () when the flows never change sign."""
    flows = _without_noise(flows)
    if not _changes_sign(flows):
        return ()
    coefficients = _trim_zeros(flows)  # c[t] multiplies x**t, x = 1 / (1 + r)
    scale = max(abs(c) for c in coefficients)
    polynomial = np.array(coefficients[::-1], dtype=float) / scale  # numpy wants the highest power first
    with np.errstate(all="ignore"):  # x**t may overflow for rates near -100 %; such roots fail _is_root
        candidates = [complex(root) for root in np.roots(polynomial)]
        real = [r.real for r in candidates if r.real > 0 and abs(r.imag) <= _IMAG_TOLERANCE * abs(r)]
        polished = [_polish(polynomial, x) for x in real]
        exact = [x for x in polished if x > 0 and _is_root(polynomial, x)]
    # a root x below about 1e-308 would be a rate of infinity: not a rate
    return _distinct(sorted(rate for rate in (1.0 / x - 1.0 for x in exact) if math.isfinite(rate)))


def irr(flows: Sequence[float]) -> float | None:
    """The internal rate of return when there is exactly one, else None (see `irr_roots`)."""
    roots = irr_roots(flows)
    return roots[0] if len(roots) == 1 else None


def mirr(flows: Sequence[float], finance_rate: float, reinvest_rate: float) -> float | None:
    """Modified IRR: (FV of inflows at reinvest rate / PV of outflows at finance rate) ** (1/(n-1)) - 1."""
    n = len(flows)  # number of flows, so n - 1 periods (Excel's MIRR)
    if not any(f > 0 for f in flows) or not any(f < 0 for f in flows):
        return None
    future_inflows = sum(f * (1.0 + reinvest_rate) ** (n - 1 - t) for t, f in enumerate(flows) if f > 0)
    present_outflows = -sum(f / (1.0 + finance_rate) ** t for t, f in enumerate(flows) if f < 0)
    result: float = (future_inflows / present_outflows) ** (1.0 / (n - 1)) - 1.0
    return result


def payback_years(flows: Sequence[float]) -> float | None:
    """Years after the first year until the cumulative net flow turns non-negative; None if it never does."""
    cumulative = list(accumulate(flows))
    tolerance = _NEGLIGIBLE * max((abs(f) for f in flows), default=0.0)
    start = next((t for t, total in enumerate(cumulative) if total < -tolerance), None)
    if start is None:
        return 0.0  # never under water: paid back from the start
    for t in range(start + 1, len(flows)):
        if cumulative[t] >= -tolerance:
            # textbook rule: full years before the crossing + the unrecovered part of the next year
            return (t - 1) + min(1.0, -cumulative[t - 1] / flows[t])
    return None


def discounted_payback_years(flows: Sequence[float], rate: float, first_year: int, base_year: int) -> float | None:
    """Payback on flows discounted to `base_year` (as in `npv`), in years after the first year."""
    return payback_years([f / (1.0 + rate) ** (first_year + t - base_year) for t, f in enumerate(flows)])


def case_metrics(
    case: BusinessCase, finance: Finance, cost_scale: float = 1.0, benefit_scale: float = 1.0
) -> CaseMetrics:
    """Compute NPV, IRR, MIRR, payback and ROI of a business case under the portfolio's finance settings."""
    flows = cash_flows(case, cost_scale, benefit_scale)
    if not flows.years:
        raise ValueError(f"business case {case.id!r} has no cost or benefit lines")
    first, last = flows.years[0], flows.years[-1]
    rate = finance.discount_rate
    base = finance.base_year if finance.base_year is not None else first
    finance_rate = finance.finance_rate if finance.finance_rate is not None else rate
    reinvest_rate = finance.reinvestment_rate if finance.reinvestment_rate is not None else rate
    pv_costs = npv(rate, flows.costs, first, base)
    pv_benefits = npv(rate, flows.benefits, first, base)
    total_costs = sum(flows.capex) + sum(flows.opex)
    total_benefits = sum(flows.benefits)
    roots = irr_roots(flows.net)
    ratios, not_available = _ratios(
        mirr=mirr(flows.net, finance_rate, reinvest_rate),
        roi=_ratio(pv_benefits - pv_costs, pv_costs),
        simple_roi=_ratio(total_benefits - total_costs, total_costs),
    )
    costed = total_costs > 0
    if not costed:
        not_available |= dict.fromkeys(("payback_years", "discounted_payback_years"), _NO_COSTS)
    return CaseMetrics(
        id=case.id,
        item=case.item,
        npv=pv_benefits - pv_costs,
        irr=roots[0] if len(roots) == 1 else None,
        irr_roots=roots,
        mirr=ratios["mirr"],
        payback_years=payback_years(flows.net) if costed else None,
        discounted_payback_years=discounted_payback_years(flows.net, rate, first, base) if costed else None,
        roi=ratios["roi"],
        simple_roi=ratios["simple_roi"],
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        total_capex=sum(flows.capex),
        total_opex=sum(flows.opex),
        total_benefits=total_benefits,
        first_year=first,
        last_year=last,
        not_available=not_available,
    )


def _ratios(**values: float | None) -> tuple[dict[str, float | None], dict[str, str]]:
    """The ratios with any that is not a finite number made None, and why each None is."""
    finite = {name: value if value is None or math.isfinite(value) else None for name, value in values.items()}
    reasons = {name: _NO_BASE[name] if values[name] is None else _TOO_SMALL for name, v in finite.items() if v is None}
    return finite, reasons


def case_npv(case: BusinessCase, finance: Finance) -> float:
    """The business case's NPV alone, as case_metrics computes it: without the root finding of IRR."""
    flows = cash_flows(case)
    if not flows.years:
        return 0.0
    base = finance.base_year if finance.base_year is not None else flows.years[0]
    return npv(finance.discount_rate, flows.net, flows.years[0], base)


def portfolio_npv(portfolio: Portfolio) -> float:
    """The sum of the business cases' NPV."""
    return sum(case_npv(case, portfolio.finance) for case in portfolio.business_cases.values())


def portfolio_metrics(portfolio: Portfolio) -> list[CaseMetrics]:
    """The metrics of every business case in the portfolio, sorted by item id (then case id)."""
    cases = sorted(portfolio.business_cases.values(), key=lambda case: (case.item, case.id))
    return [case_metrics(case, portfolio.finance) for case in cases]


def totals_by_year(portfolio: Portfolio, items: Collection[str] | None = None) -> list[YearTotals]:
    """Sum capex, opex and benefits of the items' business cases (all when None) per year, with the budget."""
    capex: dict[int, float] = {}
    opex: dict[int, float] = {}
    benefits: dict[int, float] = {}
    for case in portfolio.business_cases.values():
        if items is not None and case.item not in items:
            continue
        flows = cash_flows(case)
        _add(capex, flows.years, flows.capex)
        _add(opex, flows.years, flows.opex)
        _add(benefits, flows.years, flows.benefits)
    years = sorted(set(capex) | set(portfolio.budget))
    return [
        YearTotals(y, capex.get(y, 0.0), opex.get(y, 0.0), benefits.get(y, 0.0), portfolio.budget.get(y)) for y in years
    ]


def _values(by_year: dict[int, float]) -> tuple[float, ...]:
    return tuple(by_year.values())


def _add(totals: dict[int, float], years: Iterable[int], amounts: Iterable[float]) -> None:
    for year, amount in zip(years, amounts, strict=True):
        totals[year] = totals.get(year, 0.0) + amount


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _without_noise(flows: Sequence[float]) -> list[float]:
    tolerance = _NEGLIGIBLE * max((abs(f) for f in flows), default=0.0)
    return [0.0 if abs(f) <= tolerance else float(f) for f in flows]


def _changes_sign(flows: Sequence[float]) -> bool:
    return any(f > 0 for f in flows) and any(f < 0 for f in flows)


def _trim_zeros(flows: Sequence[float]) -> list[float]:
    # Leading zeros only add roots at x = 0 (r = infinity); trailing zeros only lower the degree.
    nonzero = [t for t, f in enumerate(flows) if f != 0]
    return [float(f) for f in flows[nonzero[0] : nonzero[-1] + 1]]


def _polish(polynomial: npt.NDArray[np.float64], x: float) -> float:
    """Refine a root of `polynomial` with Newton's method, keeping the start if Newton wanders off."""
    derivative = np.polyder(polynomial)
    current = x
    for _ in range(_NEWTON_STEPS):
        slope = float(np.polyval(derivative, current))
        if slope == 0:
            break
        step = float(np.polyval(polynomial, current)) / slope
        current -= step
        if abs(step) <= 1e-15 * abs(current):
            break
    return current if current > 0 and abs(current - x) <= 1e-3 * abs(x) else x


def _is_root(polynomial: npt.NDArray[np.float64], x: float) -> bool:
    size = float(np.polyval(np.abs(polynomial), x))  # sum |c_t| x**t: the scale of the rounding error
    return abs(float(np.polyval(polynomial, x))) <= 1e-8 * size


def _distinct(rates: list[float]) -> tuple[float, ...]:
    kept: list[float] = []
    for rate in rates:
        if not kept or abs(rate - kept[-1]) > _SAME_ROOT * max(1.0, abs(rate)):
            kept.append(rate)
    return tuple(kept)
