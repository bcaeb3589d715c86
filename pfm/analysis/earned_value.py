"""Earned value management and earned schedule at a status date, for one item or summed over several.

Conventions (docs/methods.md, "Earned value and earned schedule"; the curve in `earned_schedule`):

- Inputs are cumulative to the status date: AC (actual cost), EV (earned value, or percent complete
  x BAC with percent complete from 0 to 100), and AT, the status date's position in periods since
  time 0. PV is read off the baseline at AT, pro rata within the period.
- CV = EV - AC, SV = EV - PV, CPI = EV / AC, SPI = EV / PV.
- EAC three ways: BAC / CPI (`eac_cpi`, the default `eac`), AC + (BAC - EV) (`eac_plan_rate`) and
  AC + (BAC - EV) / (CPI x SPI) (`eac_cpi_spi`). ETC = EAC - AC and VAC = BAC - EAC use the default.
  When no work remains (EV = BAC) every EAC is AC: the work is done and cost what it cost.
- TCPI to BAC = (BAC - EV) / (BAC - AC); TCPI to EAC = (BAC - EV) / (EAC - AC).
- Earned schedule: ES, SV(t) = ES - AT, SPI(t) = ES / AT, IEAC(t) = PD / SPI(t), in periods; the
  forecast finish is the date at IEAC(t) when a calendar is given.
- A ratio that is undefined (a zero base) or not a finite number is None, and `not_available` says
  why. Negative or non-finite inputs, and EV above BAC, are refused with a ValueError naming the input.
- A roll-up sums PV curves (period by period, each item held at its BAC after its last period), BAC,
  AC and EV, then computes every figure from the sums: ratios are never averaged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from pfm.analysis.earned_schedule import Baseline, Calendar, require_amount
from pfm.records import EMPTY
from pfm.results import Result

_TOO_SMALL = "its base is too small to divide by: the ratio is not a finite number"


@dataclass(frozen=True, slots=True)
class EarnedValue(Result):
    """The earned value and earned schedule figures of an item (or a roll-up) at a status date."""

    item: str
    bac: float
    pv: float
    ev: float
    ac: float
    cv: float
    sv: float
    cpi: float | None
    spi: float | None
    eac_cpi: float | None
    eac_plan_rate: float
    eac_cpi_spi: float | None
    etc: float | None
    vac: float | None
    tcpi_bac: float | None
    tcpi_eac: float | None
    at: float
    es: float
    planned_duration: int
    sv_t: float
    spi_t: float | None
    ieac_t: float | None
    forecast_finish: date | None = None
    not_available: Mapping[str, str] = field(default_factory=lambda: EMPTY)  # figure -> why it is None

    @property
    def eac(self) -> float | None:
        """The default estimate at completion: BAC / CPI (see docs/methods.md for why)."""
        return self.eac_cpi

    @property
    def percent_complete(self) -> float:
        """EV as a percentage of BAC."""
        return 100.0 * self.ev / self.bac

    def to_dict(self) -> dict[str, Any]:
        """Every figure by name, the default `eac`, dates as ISO strings and the reasons for each None."""
        data = asdict(self)
        data["eac"] = self.eac
        data["forecast_finish"] = self.forecast_finish.isoformat() if self.forecast_finish else None
        data["not_available"] = dict(self.not_available)
        if self.eac is None:  # the default estimate says why it is missing too
            data["not_available"]["eac"] = self.not_available["eac_cpi"]
        return data

    def records(self) -> list[dict[str, Any]]:
        """One row: every figure, without the reasons (`to_dict` has them)."""
        row = self.to_dict()
        del row["not_available"]
        return [row]


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """What one item reports at the status date: its baseline, actual cost and earned value to date."""

    item: str
    baseline: Baseline
    ac: float
    ev: float


@dataclass(frozen=True, slots=True)
class RollUp(Result):
    """Each item's figures and those of their sum (a programme or portfolio) at one status date."""

    items: tuple[EarnedValue, ...]
    total: EarnedValue

    def to_dict(self) -> dict[str, Any]:
        """The items' figures and the total's, each as `EarnedValue.to_dict` gives them."""
        return {"items": [item.to_dict() for item in self.items], "total": self.total.to_dict()}

    def records(self) -> list[dict[str, Any]]:
        """One row per item, then the total's row."""
        return [row for figures in (*self.items, self.total) for row in figures.records()]


def earned_value(
    baseline: Baseline,
    at: float,
    ac: float,
    ev: float | None = None,
    *,
    percent_complete: float | None = None,
    item: str = "",
    calendar: Calendar | None = None,
) -> EarnedValue:
    """EVM and earned schedule figures at position `at`, from EV or from percent complete (0-100)."""
    require_amount("at", at)
    require_amount("ac", ac)
    at, ac = float(at), float(ac)
    ev = _earned(baseline.bac, ev, percent_complete)
    bac, pv = baseline.bac, baseline.planned_value(at)
    reasons: dict[str, str] = {}
    cpi = _ratio("cpi", ev, ac, "no actual cost yet (AC = 0)", reasons)
    spi = _ratio("spi", ev, pv, "nothing was planned by the status date (PV = 0)", reasons)
    remaining = bac - ev
    # EAC = AC + ETC with ETC = (BAC - EV) / index (for BAC / CPI too): ETC is never a difference of
    # two large estimates, so TCPI to EAC = (BAC - EV) / ETC keeps its precision near completion
    etc = _to_complete("eac_cpi", remaining, cpi, "cpi", reasons)
    eac_cpi = _estimate("eac_cpi", ac, etc, reasons)
    eac_cpi_spi = _estimate(
        "eac_cpi_spi", ac, _to_complete("eac_cpi_spi", remaining, _product(cpi, spi), "cpi x spi", reasons), reasons
    )
    if eac_cpi is None:
        etc = _unavailable("etc", "eac", reasons)
    vac = bac - eac_cpi if eac_cpi is not None else _unavailable("vac", "eac", reasons)
    tcpi_bac = _tcpi_bac(remaining, bac, ac, reasons)
    tcpi_eac = (
        _ratio("tcpi_eac", remaining, etc, "nothing remains to spend (EAC = AC)", reasons)
        if etc is not None
        else _unavailable("tcpi_eac", "eac", reasons)
    )
    es = baseline.earned_schedule(ev)
    spi_t = _ratio("spi_t", es, at, "no time has passed (AT = 0)", reasons)
    duration = baseline.planned_duration
    ieac_t = (
        _ratio("ieac_t", duration, spi_t, "nothing earned on the schedule yet (SPI(t) = 0)", reasons)
        if spi_t is not None
        else _unavailable("ieac_t", "spi_t", reasons)
    )
    finish = _finish(calendar, ieac_t, reasons)
    return EarnedValue(
        item=item,
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        cv=ev - ac,
        sv=ev - pv,
        cpi=cpi,
        spi=spi,
        eac_cpi=eac_cpi,
        eac_plan_rate=ac + remaining,
        eac_cpi_spi=eac_cpi_spi,
        etc=etc,
        vac=vac,
        tcpi_bac=tcpi_bac,
        tcpi_eac=tcpi_eac,
        at=at,
        es=es,
        planned_duration=duration,
        sv_t=es - at,
        spi_t=spi_t,
        ieac_t=ieac_t,
        forecast_finish=finish,
        not_available=reasons,
    )


def roll_up(
    progress: Sequence[ItemProgress], at: float, *, name: str = "total", calendar: Calendar | None = None
) -> RollUp:
    """Every item's figures at `at`, and the figures of their sum (ES on the summed PV curve)."""
    if not progress:
        raise ValueError("progress must hold at least one item")
    items = tuple(earned_value(p.baseline, at, p.ac, p.ev, item=p.item, calendar=calendar) for p in progress)
    return RollUp(items, group_total(progress, at, name=name, calendar=calendar))


def group_total(
    progress: Sequence[ItemProgress], at: float, *, name: str = "total", calendar: Calendar | None = None
) -> EarnedValue:
    """The figures of a group's sum: AC and EV added, PV on the summed curve (so ES is the group's own), and every
    ratio a ratio of sums."""
    return earned_value(
        summed_baseline([p.baseline for p in progress]),
        at,
        math.fsum(p.ac for p in progress),
        math.fsum(p.ev for p in progress),
        item=name,
        calendar=calendar,
    )


def summed_baseline(baselines: Sequence[Baseline]) -> Baseline:
    """The period-by-period sum of baselines on one calendar, each held at its BAC after its last period."""
    periods = max(baseline.periods for baseline in baselines)
    padded = [(*b.cumulative_pv, *(b.cumulative_pv[-1],) * (periods - b.periods)) for b in baselines]
    curve = tuple(math.fsum(values) for values in zip(*padded, strict=True))
    return Baseline(curve, math.fsum(baseline.bac for baseline in baselines))


def _earned(bac: float, ev: float | None, percent_complete: float | None) -> float:
    if (ev is None) == (percent_complete is None):
        raise ValueError("give exactly one of ev and percent_complete")
    if percent_complete is not None:
        require_amount("percent_complete", percent_complete)
        if percent_complete > 100:
            raise ValueError(f"percent_complete must be at most 100, got {percent_complete!r}")
        return bac * percent_complete / 100.0
    assert ev is not None  # one of the two is given
    require_amount("ev", ev)
    if ev > bac:
        raise ValueError(f"ev ({ev!r}) must not exceed bac ({bac!r}): re-baseline when the scope grows")
    return float(ev)


def _ratio(name: str, numerator: float, denominator: float, why_zero: str, reasons: dict[str, str]) -> float | None:
    """numerator / denominator, or None with the reason when the base is zero or the ratio is not finite."""
    if denominator == 0:
        reasons[name] = why_zero
        return None
    return _finite(name, numerator / denominator, reasons)


def _finite(name: str, value: float, reasons: dict[str, str]) -> float | None:
    if math.isfinite(value):
        return value
    reasons[name] = _TOO_SMALL
    return None


def _product(cpi: float | None, spi: float | None) -> float | None:
    return None if cpi is None or spi is None else cpi * spi


def _to_complete(name: str, remaining: float, index: float | None, label: str, reasons: dict[str, str]) -> float | None:
    """The remaining work / index: 0 when nothing remains, else None without a non-zero index."""
    if remaining == 0:
        return 0.0
    if index is None:
        return _unavailable(name, label, reasons)
    if index == 0:
        reasons[name] = f"{label} is zero: no value earned, so no rate to forecast from"
        return None
    return _finite(name, remaining / index, reasons)


def _estimate(name: str, ac: float, etc: float | None, reasons: dict[str, str]) -> float | None:
    """EAC = AC + ETC; None when ETC is None (its reason is already noted under `name`)."""
    return None if etc is None else _finite(name, ac + etc, reasons)


def _unavailable(name: str, depends_on: str, reasons: dict[str, str]) -> float | None:
    """None, noting that `name` needs a figure that is itself None."""
    reasons[name] = f"{depends_on} is not available"
    return None


def _finish(calendar: Calendar | None, ieac_t: float | None, reasons: dict[str, str]) -> date | None:
    """The date at IEAC(t) on the calendar; None without a calendar, a forecast or a representable date."""
    if calendar is None:
        return None
    if ieac_t is None:
        _unavailable("forecast_finish", "ieac_t", reasons)
        return None
    try:
        return calendar.date_at(ieac_t)
    except (OverflowError, ValueError):  # past the year 9999
        reasons["forecast_finish"] = "the forecast falls after the last date the calendar can show"
        return None


def _tcpi_bac(remaining: float, bac: float, ac: float, reasons: dict[str, str]) -> float | None:
    """(BAC - EV) / (BAC - AC) while budget is left; None once it is spent or overspent."""
    if ac < bac:
        return _finite("tcpi_bac", remaining / (bac - ac), reasons)
    if ac == bac:
        reasons["tcpi_bac"] = "the budget is spent (AC = BAC): no funds are left to complete with"
    else:
        reasons["tcpi_bac"] = "the budget is overspent (AC > BAC): no efficiency completes the work within BAC"
    return None
