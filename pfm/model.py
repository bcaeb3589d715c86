"""The typed, immutable Portfolio that every analysis builds on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pfm.periods import quarter_range
from pfm.records import (
    EMPTY,
    Action,
    Actuals,
    BenefitLine,
    CostLine,
    Dependency,
    DurationEstimate,
    Milestone,
    Money,
    Outcome,
    PerPeriod,
    Quarter,
    Rag,
    RagRule,
    Rice,
    RiskStatus,
    StageState,
    Window,
    Wsjf,
)


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entity was defined, for findings that point back at it."""

    file: str
    document: int = 0


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    name: str
    scale_min: float
    scale_max: float
    direction: Literal["higher", "lower"] = "higher"
    weight: float | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Judgement:
    """Criterion `a` is `value` times as important as criterion `b` (Saaty's 1-9 scale)."""

    a: str
    b: str
    value: float


@dataclass(frozen=True, slots=True)
class RaterJudgements:
    rater: str  # "" for a single, unnamed block
    judgements: tuple[Judgement, ...]


@dataclass(frozen=True, slots=True)
class ScoringModel:
    criteria: tuple[Criterion, ...]
    pairwise: tuple[RaterJudgements, ...] = ()
    formula: str | None = None  # a custom scoring formula over criteria and finance metrics


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    state: StageState
    requires: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Budget:
    """One fiscal year's budget; any of the three may be absent."""

    capex: Money | None = None
    opex: Money | None = None
    total: Money | None = None


@dataclass(frozen=True, slots=True)
class Finance:
    discount_rate: float = 0.0
    base_year: int | None = None
    finance_rate: float | None = None
    reinvestment_rate: float | None = None


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    type: Literal["project", "programme", "initiative"]
    stage: str
    source: Source
    description: str = ""
    parent: str | None = None
    owner: str | None = None
    sponsor: str | None = None
    status: Rag | None = None
    mandatory: bool = False
    objectives: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    start: Quarter | None = None
    duration: int | None = None
    end: Quarter | None = None
    window: Window | None = None  # where `pfm select --schedule` may start it
    duration_estimate: DurationEstimate | None = None  # for the risk-adjusted roadmap
    scores: Mapping[str, float] = field(default_factory=lambda: EMPTY)
    wsjf: Wsjf | None = None
    rice: Rice | None = None
    demand: Mapping[str, PerPeriod] = field(default_factory=lambda: EMPTY)
    depends_on: tuple[Dependency, ...] = ()
    excludes: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    actuals: tuple[Actuals, ...] = ()  # status snapshots as written, oldest first
    baseline: ItemBaseline | None = None  # an explicit baseline block


@dataclass(frozen=True, slots=True)
class ItemBaseline:
    """The costs and schedule an item's earned value is measured against, as approved."""

    start: Quarter | None
    end: Quarter | None  # the last quarter; None when neither duration nor end is known
    costs: tuple[CostLine, ...]
    approved: str | None = None  # the approval date
    decision: str | None = None  # the Decision that approved it
    commit: str | None = None  # the commit it was read from; None for an explicit baseline block


@dataclass(frozen=True, slots=True)
class Range:
    """Low and high multipliers of the likely figures."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class BusinessCase:
    id: str
    item: str
    source: Source
    costs: tuple[CostLine, ...]
    benefits: tuple[BenefitLine, ...] = ()
    cost_range: Range | None = None
    benefit_range: Range | None = None
    assumptions: tuple[str, ...] = ()
    title: str = ""
    version: str | None = None
    forecast: CaseForecast | None = None  # the latest re-forecast beside the approved figures


@dataclass(frozen=True, slots=True)
class CaseForecast:
    """A business case re-forecast at `as_of`: costs and benefits per fiscal year as now expected."""

    as_of: str
    costs: tuple[CostLine, ...] = ()
    benefits: tuple[BenefitLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    title: str
    capacity: PerPeriod
    source: Source
    unit: str = "FTE"
    cost_rate: Money | None = None
    manager: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Risk:
    id: str
    title: str
    probability: int
    impact: int
    source: Source
    items: tuple[str, ...] = ()
    owner: str | None = None
    mitigation: str = ""
    status: RiskStatus = "open"
    category: str | None = None
    review_date: str | None = None
    description: str = ""

    @property
    def exposure(self) -> int:
        return self.probability * self.impact


@dataclass(frozen=True, slots=True)
class ItemChange:
    """A scenario's changes to one item (only the fields given are changed)."""

    stage: str | None = None
    status: Rag | None = None
    mandatory: bool | None = None
    start: Quarter | None = None
    duration: int | None = None
    scores: Mapping[str, float] = field(default_factory=lambda: EMPTY)
    demand: Mapping[str, PerPeriod] = field(default_factory=lambda: EMPTY)
    cost_scale: float | None = None
    benefit_scale: float | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    source: Source
    description: str = ""
    budget_scale: float | None = None
    budget: Mapping[int, Budget] = field(default_factory=lambda: EMPTY)
    weights: Mapping[str, float] = field(default_factory=lambda: EMPTY)
    capacity: Mapping[str, PerPeriod] = field(default_factory=lambda: EMPTY)
    items: Mapping[str, ItemChange] = field(default_factory=lambda: EMPTY)
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    title: str
    date: str
    forum: str
    outcome: Outcome
    source: Source
    decision: str = ""
    items: tuple[str, ...] = ()
    rationale: str = ""
    conditions: tuple[str, ...] = ()
    decided_by: str | None = None
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True, slots=True)
class Portfolio:
    """A whole portfolio, read from its repository; nothing in it can be changed."""

    root: Path
    id: str
    name: str
    currency: str
    first_period: Quarter
    last_period: Quarter
    source: Source
    title: str = ""
    description: str = ""
    owner: str | None = None
    fiscal_year_start: int = 1
    as_of: str | None = None  # the status date of delivery tracking
    finance: Finance = Finance()
    schedule_risk: DurationEstimate | None = None  # the default spread: factors of planned durations (likely 1)
    may_shift: int | None = None  # selection.may_shift: quarters a dated item may move when starts are chosen
    budget: Mapping[int, Budget] = field(default_factory=lambda: EMPTY)
    scoring: ScoringModel | None = None
    stages: tuple[Stage, ...] = ()
    objectives: tuple[Objective, ...] = ()
    rag_rules: tuple[RagRule, ...] | None = None  # None: pfm's default rules (pfm.analysis.rag)
    kpi_targets: Mapping[str, float] = field(default_factory=lambda: EMPTY)  # KPI id -> target (pfm.review.kpis)
    items: Mapping[str, Item] = field(default_factory=lambda: EMPTY)
    business_cases: Mapping[str, BusinessCase] = field(default_factory=lambda: EMPTY)
    teams: Mapping[str, Team] = field(default_factory=lambda: EMPTY)
    risks: Mapping[str, Risk] = field(default_factory=lambda: EMPTY)
    scenarios: Mapping[str, Scenario] = field(default_factory=lambda: EMPTY)
    decisions: Mapping[str, Decision] = field(default_factory=lambda: EMPTY)
    case_of_item: Mapping[str, str] = field(default_factory=lambda: EMPTY)  # item id -> business case id
    scenario: str | None = None  # the scenario applied, if any
    forced_in: tuple[str, ...] = ()  # items a scenario says must be selected
    forced_out: tuple[str, ...] = ()
    # Scenarios left out because their files have errors: id -> the first error, as file:line:col: message.
    unusable_scenarios: Mapping[str, str] = field(default_factory=lambda: EMPTY)

    @property
    def periods(self) -> list[Quarter]:
        """Every quarter of the planning horizon, in order."""
        return quarter_range(self.first_period, self.last_period)

    def stage(self, stage_id: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def business_case_of(self, item_id: str) -> BusinessCase | None:
        case_id = self.case_of_item.get(item_id)
        return self.business_cases[case_id] if case_id is not None else None

    def stage_state(self, item: Item) -> StageState | None:
        """How analyses treat the item: proposed, approved, active, closed or cancelled."""
        stage = self.stage(item.stage)
        return stage.state if stage is not None else None
