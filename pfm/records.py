"""The small records of the file format (dates, money, per-period figures, dependencies, estimates,
milestones, status snapshots, cost and benefit lines, actions) and the names of its closed vocabularies.

Most are NamedTuples, not frozen dataclasses: a portfolio of 10,000 items builds some 150,000 of them, and a
tuple is several times cheaper to create. The entities that hold them are in `pfm.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

Quarter = str  # e.g. "2027-Q1"
Money = float
EMPTY: Mapping[Any, Any] = MappingProxyType({})
StageState = Literal["proposed", "approved", "active", "closed", "cancelled"]
Rag = Literal["green", "amber", "red"]
MilestoneStatus = Literal["planned", "achieved", "at-risk", "missed"]
RiskStatus = Literal["open", "mitigating", "accepted", "closed"]
Outcome = Literal["approved", "rejected", "deferred", "conditional", "noted", "pending"]


class PerPeriod(NamedTuple):
    """A number for every period (`constant`) or a number per period (`by_period`)."""

    constant: float | None = None
    by_period: Mapping[Quarter, float] = EMPTY

    def at(self, period: Quarter) -> float:
        if self.constant is not None:
            return self.constant
        return self.by_period.get(period, 0.0)


class RagRule(NamedTuple):
    """A RAG rule: `rag` when `metric` is below `below` (or above `above`); `reason` says why the rule exists."""

    metric: str
    rag: Rag
    below: float | None = None
    above: float | None = None
    reason: str = ""


class Dependency(NamedTuple):
    id: str
    type: str = "finish-to-start"
    lag: int = 0
    note: str = ""


class DurationEstimate(NamedTuple):  # a three-point duration in quarters: optimistic, most likely, pessimistic
    low: float
    likely: float
    high: float


class Wsjf(NamedTuple):
    business_value: float
    time_criticality: float
    risk_reduction: float
    job_size: float


class Rice(NamedTuple):
    reach: float
    impact: float
    confidence: float
    effort: float


class Window(NamedTuple):
    """The quarters an item may start in when a selection chooses its start; None: the horizon's edge."""

    earliest: Quarter | None = None
    latest: Quarter | None = None


class Milestone(NamedTuple):
    """A milestone: its current plan (`date` or `period`), and its baseline, forecast and actual (a date or quarter)."""

    name: str
    date: str | None = None
    period: Quarter | None = None
    status: MilestoneStatus | None = None
    baseline: str | None = None
    forecast: str | None = None
    actual: str | None = None


class Actuals(NamedTuple):
    """One status snapshot: spend (cumulative), progress and benefits realised to date at `as_of`."""

    as_of: str | None = None
    capex: Money = 0.0
    opex: Money = 0.0
    percent_complete: float | None = None
    earned_value: Money | None = None  # overrides percent complete x BAC
    benefits_realised: Money = 0.0  # the total; by type in `benefits_by_type` when given so
    benefits_by_type: Mapping[str, Money] = EMPTY
    rag: Rag | None = None  # as the delivery team reported it
    comment: str = ""

    @property
    def spend(self) -> Money:
        """Capex and opex to date."""
        return self.capex + self.opex


class CostLine(NamedTuple):
    year: int
    capex: Money = 0.0
    opex: Money = 0.0
    note: str = ""


class BenefitLine(NamedTuple):
    year: int
    amount: Money
    type: str | None = None
    confidence: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Action:
    """An action a decision gave: what, who, by when, and whether it is done."""

    action: str
    owner: str
    due: str  # YYYY-MM-DD
    done: bool = False
