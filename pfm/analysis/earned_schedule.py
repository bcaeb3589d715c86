"""The planned value curve of an item, earned schedule (Lipke, 2003), and periods as calendar dates.

Conventions:

- A baseline is the cumulative planned value (PV) at the end of each period (a month or a quarter),
  period 1 first; PV is 0 at time 0, the start of period 1, and ends at BAC.
- Positions are in periods since time 0 and may be fractional: 2.5 is the middle of period 3. Within a
  period PV accrues pro rata (linearly). After the last period PV stays at BAC.
- The planned duration (PD) is the end of the first period whose cumulative PV reaches BAC.
- Earned schedule is Lipke's ES = C + I: C is the number of periods whose cumulative PV the EV has
  reached (so a plateau in the plan counts in full), I = (EV - PV_C) / (PV_C+1 - PV_C) the part of
  the next period, by linear interpolation. When EV reaches BAC, ES is PD (Lipke's cap).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

# A curve's last value may differ from BAC by this much (relative), e.g. after summing floats.
_SAME_AMOUNT = 1e-9


def require_amount(name: str, value: float) -> None:
    """Refuse a value that is negative or not a finite number, naming the input."""
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class Baseline:
    """Cumulative planned value at the end of each period, and the budget at completion it ends at."""

    cumulative_pv: tuple[float, ...]
    bac: float

    def __post_init__(self) -> None:
        # stored as floats so that figures and their JSON do not depend on whether ints were given
        object.__setattr__(self, "cumulative_pv", tuple(float(value) for value in self.cumulative_pv))
        object.__setattr__(self, "bac", float(self.bac))
        require_amount("bac", self.bac)
        if self.bac == 0:
            raise ValueError("bac must be above 0: an item without a budget earns no value")
        if not self.cumulative_pv:
            raise ValueError("cumulative_pv must hold at least one period")
        previous = 0.0
        for period, value in enumerate(self.cumulative_pv):
            require_amount(f"cumulative_pv[{period}]", value)
            if value < previous:
                raise ValueError(f"cumulative_pv[{period}] is below the period before: PV is cumulative")
            previous = value
        if abs(previous - self.bac) > _SAME_AMOUNT * self.bac:
            raise ValueError(f"cumulative_pv must end at bac ({self.bac!r}), it ends at {previous!r}")

    @property
    def periods(self) -> int:
        """The number of periods in the baseline."""
        return len(self.cumulative_pv)

    @property
    def planned_duration(self) -> int:
        """PD: the end of the first period whose cumulative PV reaches BAC, in periods."""
        end = self.cumulative_pv[-1]
        return next(period + 1 for period, value in enumerate(self.cumulative_pv) if value >= end)

    def planned_value(self, at: float) -> float:
        """Cumulative PV at position `at`, pro rata within its period; BAC after the last period."""
        require_amount("at", at)
        if at >= self.periods:
            return self.cumulative_pv[-1]
        whole = math.floor(at)
        points = (0.0, *self.cumulative_pv)
        return points[whole] + (at - whole) * (points[whole + 1] - points[whole])

    def earned_schedule(self, ev: float) -> float:
        """ES = C + I: the position at which the plan reached `ev` (see the module's conventions)."""
        require_amount("ev", ev)
        points = (0.0, *self.cumulative_pv)
        completed = bisect_right(points, ev) - 1  # C: the last period end whose PV is <= EV
        if completed >= self.periods:
            return float(self.planned_duration)  # EV reached BAC: capped at PD
        # points[completed + 1] > ev >= points[completed], so the increment is never zero
        return completed + (ev - points[completed]) / (points[completed + 1] - points[completed])


@dataclass(frozen=True, slots=True)
class Calendar:
    """The date time 0 falls on (the first of a month) and the months in a period (1 or 3)."""

    start: date
    months_per_period: int = 3

    def __post_init__(self) -> None:
        if self.start.day != 1:
            raise ValueError(f"start must be the first day of a month, got {self.start.isoformat()}")
        if self.months_per_period not in (1, 3):
            raise ValueError(f"months_per_period must be 1 (months) or 3 (quarters), got {self.months_per_period}")

    def date_at(self, position: float) -> date:
        """The date at a position: the start of its period plus the fraction of that period's days."""
        require_amount("position", position)
        whole = math.floor(position)
        first, following = self._period_start(whole), self._period_start(whole + 1)
        return first + timedelta(days=round((position - whole) * (following - first).days))

    def position_of(self, day: date) -> float:
        """The position of a date (inverse of `date_at`): whole periods plus the elapsed part of the next."""
        months = (day.year - self.start.year) * 12 + day.month - self.start.month
        if months < 0:
            raise ValueError(f"{day.isoformat()} is before the calendar's start {self.start.isoformat()}")
        whole = months // self.months_per_period
        first, following = self._period_start(whole), self._period_start(whole + 1)
        return whole + (day - first).days / (following - first).days

    def _period_start(self, period: int) -> date:
        year, month = divmod(self.start.month - 1 + period * self.months_per_period, 12)
        return date(self.start.year + year, month + 1, 1)
