"""Build the typed Portfolio from validated documents."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pfm.io.loading import Document
from pfm.model import (
    Budget,
    BusinessCase,
    CaseForecast,
    Criterion,
    Decision,
    Finance,
    Item,
    ItemBaseline,
    ItemChange,
    Judgement,
    Objective,
    Portfolio,
    Range,
    RaterJudgements,
    Risk,
    Scenario,
    ScoringModel,
    Source,
    Stage,
    Team,
)
from pfm.periods import add_quarters
from pfm.records import (
    Action,
    Actuals,
    BenefitLine,
    CostLine,
    Dependency,
    DurationEstimate,
    Milestone,
    PerPeriod,
    RagRule,
    Rice,
    Window,
    Wsjf,
)

T = TypeVar("T")
Data = dict[str, Any]


def build_portfolio(root: Path, documents: Iterable[Document]) -> Portfolio:
    """The Portfolio of documents that have passed validation."""
    by_kind: dict[str, list[Document]] = {}
    for document in documents:
        by_kind.setdefault(document.kind or "", []).append(document)
    [portfolio] = by_kind["Portfolio"]
    data: Data = portfolio.data
    return Portfolio(
        root=root,
        id=data["id"],
        name=data["name"],
        currency=data["currency"],
        first_period=data["periods"]["first"],
        last_period=data["periods"]["last"],
        source=_source(portfolio),
        title=data.get("title", ""),
        description=data.get("description", ""),
        owner=data.get("owner"),
        fiscal_year_start=data.get("fiscal_year_start", 1),
        as_of=data.get("as_of"),
        finance=Finance(**data.get("finance", {})),
        schedule_risk=DurationEstimate(likely=1.0, **data["schedule_risk"]) if "schedule_risk" in data else None,
        may_shift=data.get("selection", {}).get("may_shift"),
        budget=_budgets(data.get("budget", {})),
        scoring=build_scoring(data["scoring"]) if "scoring" in data else None,
        stages=tuple(
            Stage(s["id"], s.get("name", s["id"]), s["state"], tuple(s.get("requires", ())), s.get("description", ""))
            for s in data.get("stages", [])
        ),
        objectives=tuple(Objective(o["id"], o["name"], o.get("description", "")) for o in data.get("objectives", [])),
        rag_rules=tuple(RagRule(**rule) for rule in data["rag_rules"]) if "rag_rules" in data else None,
        kpi_targets=_frozen({k: float(v) for k, v in data.get("kpi_targets", {}).items()}),
        items=_index(by_kind.get("Item", []), _item),
        business_cases=Deferred(by_kind.get("BusinessCase", []), _business_case),
        teams=_index(by_kind.get("Team", []), _team),
        risks=Deferred(by_kind.get("Risk", []), _risk),
        scenarios=_index(by_kind.get("Scenario", []), _scenario),
        decisions=Deferred(by_kind.get("Decision", []), _decision),
        case_of_item=_frozen({d.data["item"]: d.data["id"] for d in by_kind.get("BusinessCase", [])}),
    )


def _source(document: Document) -> Source:
    return Source(document.file, document.index)


def _frozen(mapping: Mapping[Any, T]) -> Mapping[Any, T]:
    return MappingProxyType(dict(mapping))


def _index(documents: Iterable[Document], build: Callable[[Data, Source], T]) -> Mapping[str, T]:
    return _frozen({d.data["id"]: build(d.data, _source(d)) for d in sorted(documents, key=lambda d: d.data["id"])})


class Deferred(Mapping[str, T]):
    """A read-only index of entities built on first use: a command that never looks at the
    business cases (deps path, say) does not pay for building 10,000 of them."""

    __slots__ = ("_build", "_built", "_documents")

    def __init__(self, documents: list[Document], build: Callable[[Data, Source], T]) -> None:
        self._documents = documents
        self._build = build
        self._built: Mapping[str, T] | None = None

    def _index(self) -> Mapping[str, T]:
        if self._built is None:
            self._built = _index(self._documents, self._build)
            self._documents = []
        return self._built

    def __getitem__(self, key: str) -> T:
        return self._index()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())


def _per_period(value: float | Mapping[str, float]) -> PerPeriod:
    if isinstance(value, Mapping):
        return PerPeriod(by_period=_frozen({k: float(v) for k, v in value.items()}))
    return PerPeriod(constant=float(value))


def _per_team(data: Mapping[str, Any]) -> Mapping[str, PerPeriod]:
    return _frozen({team: _per_period(value) for team, value in data.items()})


def _budgets(data: Mapping[str, Data]) -> Mapping[int, Budget]:
    return _frozen({int(year): Budget(**figures) for year, figures in sorted(data.items())})


def build_scoring(data: Data) -> ScoringModel:
    """The scoring model of a portfolio's valid `scoring` section."""
    criteria = tuple(
        Criterion(
            id=c["id"],
            name=c["name"],
            scale_min=c["scale"]["min"],
            scale_max=c["scale"]["max"],
            direction=c.get("direction", "higher"),
            weight=c.get("weight"),
            description=c.get("description", ""),
        )
        for c in data["criteria"]
    )
    pairwise: list[Any] = data.get("pairwise") or []
    blocks: list[Data] = (
        pairwise if pairwise and isinstance(pairwise[0], dict) else [{"rater": "", "judgements": pairwise}]
    )
    raters = tuple(
        RaterJudgements(block["rater"], tuple(Judgement(a, b, float(v)) for a, b, v in block["judgements"]))
        for block in blocks
        if block["judgements"]
    )
    return ScoringModel(criteria, raters, data.get("formula"))


def _dependency(entry: str | Data) -> Dependency:
    if isinstance(entry, str):
        return Dependency(entry)
    return Dependency(entry["id"], entry.get("type", "finish-to-start"), entry.get("lag", 0), entry.get("note", ""))


def _item(data: Data, source: Source) -> Item:
    return Item(
        id=data["id"],
        title=data["title"],
        type=data["type"],
        stage=data["stage"],
        source=source,
        description=data.get("description", ""),
        parent=data.get("parent"),
        owner=data.get("owner"),
        sponsor=data.get("sponsor"),
        status=data.get("status"),
        mandatory=data.get("mandatory", False),
        objectives=tuple(data.get("objectives", ())),
        tags=tuple(data.get("tags", ())),
        start=data.get("start"),
        duration=data.get("duration"),
        end=data.get("end"),
        window=Window(**data["window"]) if "window" in data else None,
        duration_estimate=DurationEstimate(**data["duration_estimate"]) if "duration_estimate" in data else None,
        scores=_frozen({k: float(v) for k, v in data.get("scores", {}).items()}),
        wsjf=Wsjf(**data["wsjf"]) if "wsjf" in data else None,
        rice=Rice(**data["rice"]) if "rice" in data else None,
        demand=_per_team(data.get("demand", {})),
        depends_on=tuple(_dependency(entry) for entry in data.get("depends_on", ())),
        excludes=tuple(data.get("excludes", ())),
        milestones=tuple(Milestone(**m) for m in data.get("milestones", ())),
        actuals=tuple(_actuals(snapshot) for snapshot in snapshots(data)),
        baseline=_baseline(data["baseline"], data) if "baseline" in data else None,
    )


def snapshots(item: Data) -> list[Data]:
    """An item's status snapshots as written: a single mapping is a list of one."""
    written = item.get("actuals", [])
    return [written] if isinstance(written, dict) else written


def _actuals(data: Data) -> Actuals:
    realised = data.get("benefits_realised", 0.0)
    by_type = realised if isinstance(realised, dict) else {}
    total = sum(by_type.values()) if by_type else realised
    fields = {key: value for key, value in data.items() if key != "benefits_realised"}
    return Actuals(**fields, benefits_realised=float(total), benefits_by_type=_frozen(by_type))


def _baseline(data: Data, item: Data) -> ItemBaseline:
    start = data.get("start", item.get("start"))
    schedule = data if "duration" in data or "end" in data else item
    return ItemBaseline(
        start, last_quarter(start, schedule), _costs(data["costs"]), data["approved"], data.get("decision")
    )


def last_quarter(start: str | None, schedule: Mapping[str, Any]) -> str | None:
    """The last quarter of a schedule from `start` with the `duration` or `end` of `schedule`."""
    if start is not None and schedule.get("duration") is not None:
        return add_quarters(start, schedule["duration"] - 1)
    end: str | None = schedule.get("end")
    return end


def _costs(rows: Iterable[Data]) -> tuple[CostLine, ...]:
    return tuple(CostLine(**row) for row in sorted(rows, key=lambda row: row["year"]))


def _range(data: Data | None) -> Range | None:
    return Range(data["low"], data["high"]) if data else None


def _business_case(data: Data, source: Source) -> BusinessCase:
    estimates = data.get("estimates", {})
    return BusinessCase(
        id=data["id"],
        item=data["item"],
        source=source,
        costs=_costs(data["costs"]),
        benefits=_benefits(data.get("benefits", ())),
        cost_range=_range(estimates.get("costs")),
        benefit_range=_range(estimates.get("benefits")),
        assumptions=tuple(data.get("assumptions", ())),
        title=data.get("title", ""),
        version=data.get("version"),
        forecast=_forecast(data["forecast"]) if "forecast" in data else None,
    )


def _benefits(rows: Iterable[Data]) -> tuple[BenefitLine, ...]:
    return tuple(BenefitLine(**row) for row in sorted(rows, key=lambda row: row["year"]))


def _forecast(data: Data) -> CaseForecast:
    return CaseForecast(data["as_of"], _costs(data.get("costs", ())), _benefits(data.get("benefits", ())))


def _team(data: Data, source: Source) -> Team:
    return Team(
        id=data["id"],
        title=data["title"],
        capacity=_per_period(data["capacity"]),
        source=source,
        unit=data.get("unit", "FTE"),
        cost_rate=data.get("cost_rate"),
        manager=data.get("manager"),
        description=data.get("description", ""),
    )


def _risk(data: Data, source: Source) -> Risk:
    return Risk(
        id=data["id"],
        title=data["title"],
        probability=data["probability"],
        impact=data["impact"],
        source=source,
        items=tuple(data.get("items", ())),
        owner=data.get("owner"),
        mitigation=data.get("mitigation", ""),
        status=data.get("status", "open"),
        category=data.get("category"),
        review_date=data.get("review_date"),
        description=data.get("description", ""),
    )


def _item_change(data: Data) -> ItemChange:
    fields = {key: value for key, value in data.items() if key not in ("scores", "demand")}
    return ItemChange(**fields, scores=_frozen(data.get("scores", {})), demand=_per_team(data.get("demand", {})))


def _scenario(data: Data, source: Source) -> Scenario:
    return Scenario(
        id=data["id"],
        title=data["title"],
        source=source,
        description=data.get("description", ""),
        budget_scale=data.get("budget_scale"),
        budget=_budgets(data.get("budget", {})),
        weights=_frozen(data.get("weights", {})),
        capacity=_per_team(data.get("capacity", {})),
        items=_frozen({ident: _item_change(change) for ident, change in data.get("items", {}).items()}),
        force_in=tuple(data.get("force_in", ())),
        force_out=tuple(data.get("force_out", ())),
    )


def _decision(data: Data, source: Source) -> Decision:
    return Decision(
        id=data["id"],
        title=data["title"],
        date=data["date"],
        forum=data["forum"],
        outcome=data["outcome"],
        source=source,
        decision=data.get("decision", ""),
        items=tuple(data.get("items", ())),
        rationale=data.get("rationale", ""),
        conditions=tuple(data.get("conditions", ())),
        decided_by=data.get("decided_by"),
        actions=tuple(Action(a["action"], a["owner"], a["due"], a.get("done", False)) for a in data.get("actions", ())),
    )
