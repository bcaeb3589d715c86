"""The delivery dashboard (`pfm status`): each approved or in-flight item's reported RAG beside the RAG its
figures give under the portfolio's rules, with the rule that set it; watermelons (reported green, computed
amber or red) first.

Conventions (docs/methods.md, "Delivery status"): the figures are those of `pfm evm` at the status date; the
milestone slip is the largest of current (actual, else forecast, else plan) minus baseline, in quarters, over
the milestones that have a baseline: the `baseline` written on the milestone, else its baseline (or planned date)
at the commit the item was approved in (`pfm.review.baselines`), which the output names; a risk is past review when it is open or mitigating and its review date
is before the status date. The reported RAG is the `rag` of the latest snapshot on or before the status date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pfm.analysis.evm import EarnedValueReport, ItemEarnedValue, MilestoneBaseline, snapshot_at
from pfm.analysis.rag import DEFAULT_RULES, SEVERITY, Hit, Measure, hits, rag_of, rule_dict
from pfm.analysis.risks import review_overdue
from pfm.model import Item, Portfolio
from pfm.periods import when_quarter
from pfm.records import Rag, RagRule
from pfm.results import Result
from pfm.review.baselines import evm

TRACKED_STATES = ("approved", "active")


@dataclass(frozen=True, slots=True)
class ItemStatus:
    """One item's reported and computed RAG, the rules that apply to it and the figures they read."""

    item: str
    title: str
    stage: str
    reported: Rag | None  # the latest snapshot's rag
    reported_as_of: str | None
    hits: tuple[Hit, ...]  # every rule that applies, worst first: the first one sets the computed RAG
    measures: dict[str, Measure | None]  # metric -> the item's figure (None when not available)
    bac: float | None
    eac: float | None
    not_measured: str | None  # why earned value has no figures for the item
    milestone_commit: str | None  # the approval commit a milestone's baseline was read from, if one was
    milestone_missing: str | None  # why milestones without a written baseline have none from history

    @property
    def computed(self) -> Rag:
        """The RAG of the worst rule that applies (green when none does)."""
        return rag_of(self.hits)

    @property
    def watermelon(self) -> bool:
        """Reported green, computed amber or red."""
        return self.reported == "green" and self.computed != "green"

    @property
    def reason(self) -> str:
        """The figure that set the computed RAG, e.g. "CPI 0.78 < 0.80"; empty when no rule applies."""
        return self.hits[0].text if self.hits else ""

    def to_dict(self) -> dict[str, Any]:
        """The item, both RAGs, the deciding rule's text, every figure and every rule that applies."""
        figures = {metric: m.value if m else None for metric, m in self.measures.items()}
        return {
            "item": self.item,
            "title": self.title,
            "stage": self.stage,
            "reported": self.reported,
            "reported_as_of": self.reported_as_of,
            "computed": self.computed,
            "reason": self.reason or None,
            "watermelon": self.watermelon,
            "bac": self.bac,
            "eac": self.eac,
            **figures,
            "slipped_milestone": _source(self.measures["milestone_slip_quarters"]),
            "overdue_risk": _source(self.measures["overdue_risk_exposure"]),
            "not_measured": self.not_measured,
            "milestone_baseline_commit": self.milestone_commit,
            "milestone_baseline_missing": self.milestone_missing,
            "rules_applied": [hit.to_dict() for hit in self.hits],
        }


@dataclass(frozen=True, slots=True)
class StatusReport(Result):
    """The delivery dashboard at a status date: one row per approved or active item, watermelons first."""

    as_of: date
    currency: str
    rules: tuple[RagRule, ...]
    default_rules: bool  # True when the portfolio declares no rag_rules
    items: tuple[ItemStatus, ...]

    @property
    def watermelons(self) -> tuple[ItemStatus, ...]:
        """Items reported green that the rules make amber or red."""
        return tuple(row for row in self.items if row.watermelon)

    @property
    def red(self) -> tuple[ItemStatus, ...]:
        """Items a rule makes red (what `pfm status --check` fails on)."""
        return tuple(row for row in self.items if row.computed == "red")

    def to_dict(self) -> dict[str, Any]:
        """What `pfm status -f json` prints."""
        return {
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "rules": "defaults" if self.default_rules else "portfolio",
            "rag_rules": [rule_dict(rule) for rule in self.rules],
            "watermelons": [
                {"item": r.item, "reported": r.reported, "computed": r.computed, "reason": r.reason}
                for r in self.watermelons
            ],
            "red": [row.item for row in self.red],
            "items": [row.to_dict() for row in self.items],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per item: both RAGs, the reason and every figure (without the list of rules applied)."""
        rows = []
        for row in self.items:
            record = row.to_dict()
            del record["rules_applied"]
            rows.append(record)
        return rows


def status(portfolio: Portfolio, as_of: date | None = None, *, baseline: str | None = None) -> StatusReport:
    """The delivery dashboard of the approved and active items at the status date (`as_of`, else the
    portfolio's): reported RAG against the RAG the portfolio's `rag_rules` (or pfm's defaults) compute from
    CPI, SPI, SPI(t), EAC against BAC, milestone slip and risks past review. `baseline` is a git revision every
    earned value baseline is read from (as `pfm evm --baseline`)."""
    return status_of(portfolio, evm(portfolio, as_of=as_of, baseline=baseline))


def status_of(portfolio: Portfolio, report: EarnedValueReport) -> StatusReport:
    """The delivery dashboard from an earned value report already made (`pfm.evm`), at its status date."""
    measured = {row.figures.item: row for row in report.items}
    rules = portfolio.rag_rules if portfolio.rag_rules is not None else DEFAULT_RULES
    rows = [
        _row(portfolio, item, measured.get(item.id), report, rules)
        for item in portfolio.items.values()
        if portfolio.stage_state(item) in TRACKED_STATES
    ]
    rows.sort(key=lambda r: (not r.watermelon, -SEVERITY[r.computed], r.item))
    return StatusReport(report.as_of, portfolio.currency, rules, portfolio.rag_rules is None, tuple(rows))


def _row(
    portfolio: Portfolio,
    item: Item,
    figures: ItemEarnedValue | None,
    report: EarnedValueReport,
    rules: tuple[RagRule, ...],
) -> ItemStatus:
    ev = figures.figures if figures is not None else None
    day = report.as_of
    overrun = None if ev is None or ev.eac is None else Measure(100 * (ev.eac - ev.bac) / ev.bac)
    approved = report.milestones.get(item.id)
    slip, commit = milestone_slip(item, portfolio.fiscal_year_start, approved)
    unwritten = any(m.baseline is None for m in item.milestones)
    missing = approved if isinstance(approved, str) and unwritten else None
    measures = {
        "cpi": _measure(ev.cpi if ev else None),
        "spi": _measure(ev.spi if ev else None),
        "spi_t": _measure(ev.spi_t if ev else None),
        "eac_overrun_percent": overrun,
        "milestone_slip_quarters": slip,
        "overdue_risk_exposure": overdue_risk(portfolio, item.id, day),
    }
    snapshot = snapshot_at(item, day)
    reported = snapshot.rag if snapshot is not None else None
    taken = snapshot.as_of if snapshot is not None else None
    bac, eac = (ev.bac, ev.eac) if ev else (None, None)
    why = report.not_measured.get(item.id)
    found = hits(rules, measures)
    return ItemStatus(item.id, item.title, item.stage, reported, taken, found, measures, bac, eac, why, commit, missing)


def _measure(value: float | None) -> Measure | None:
    return Measure(value) if value is not None else None


def _source(measure: Measure | None) -> str | None:
    return measure.source or None if measure is not None else None


def milestone_slip(
    item: Item, fiscal_year_start: int, approved: MilestoneBaseline | str | None
) -> tuple[Measure | None, str | None]:
    """The largest slip in quarters of a milestone against its baseline (current: actual, else forecast, else
    the plan's date or period), named by the milestone, and the commit of `approved` when a baseline came from
    it; None when no milestone has a baseline. A milestone's written `baseline` wins over the `approved` one."""
    dates = approved.dates if isinstance(approved, MilestoneBaseline) else {}
    slips, from_history = [], False
    for m in item.milestones:
        base = m.baseline or dates.get(m.name)
        current = m.actual or m.forecast or m.date or m.period
        if base is None or current is None:
            continue
        slips.append((when_quarter(current, fiscal_year_start) - when_quarter(base, fiscal_year_start), m.name))
        from_history = from_history or m.baseline is None
    if not slips:
        return None, None
    slip, name = max(slips, key=lambda entry: entry[0])
    commit = approved.commit if from_history and isinstance(approved, MilestoneBaseline) else None
    return Measure(float(slip), name), commit


def overdue_risk(portfolio: Portfolio, item: str, day: date) -> Measure:
    """The largest exposure among the item's open or mitigating risks whose review date is before `day` (0 when
    there is none), named by the risk."""
    overdue = [
        (risk.exposure, risk.id)
        for risk in portfolio.risks.values()
        if item in risk.items and review_overdue(risk, day)
    ]
    exposure, ident = max(overdue, default=(0, ""))
    return Measure(float(exposure), ident)
