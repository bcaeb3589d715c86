"""The board pack's content: every figure the steering committee sees, drawn from the analyses.

Each part comes from the function behind a command, called as the command calls it, so a
figure in the pack is the figure `pfm select`, `pfm finance`, `pfm capacity`, `pfm roadmap`,
`pfm deps` or `pfm scenario compare` prints for the same portfolio. Templates receive a `Pack`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pfm.analysis.capacity import CapacityView, capacity_view
from pfm.analysis.finance import CaseMetrics, YearTotals, portfolio_metrics, totals_by_year
from pfm.analysis.graph import critical_edges, critical_path, dependency_graph, layers
from pfm.analysis.network import Link, Node, drawing
from pfm.analysis.ranking import rank
from pfm.analysis.risks import HIGH_EXPOSURE, open_risks
from pfm.analysis.roadmap import Roadmap, plan_roadmap
from pfm.analysis.roadmap_risk import RoadmapRisk, roadmap_risk
from pfm.analysis.scoring import score
from pfm.defaults import ENTRY_PRICES, FRONTIER_GAP, FRONTIER_POINTS, FRONTIER_TIME_LIMIT, SELECT_TIME_LIMIT
from pfm.findings import Finding
from pfm.io.revisions import Provenance
from pfm.methods import Method
from pfm.model import Decision, Portfolio, Risk, Scenario
from pfm.parallel import Progress
from pfm.records import Rag
from pfm.reporting.pack_health import Health, health
from pfm.reporting.pack_schedule import starts_may_move
from pfm.review.comparison import Comparison
from pfm.review.decisions import AtOdds, at_odds, pending_decisions
from pfm.selection.explain import Exclusion, Selection
from pfm.selection.frontier import Frontier, frontier_of
from pfm.selection.optimise import select_portfolio
from pfm.selection.program import IN_FLIGHT, Terms
from pfm.selection.scenario_comparison import BASE, ScenarioComparison, compare_scenarios
from pfm.selection.schedule import ScheduledSelection

TOP_RISKS = 10
PACK_DRAWS = 2000  # draws of the risk-adjusted roadmap (seed 0): its P95 moves by under a quarter beyond this
GRAPH_NODES = 60  # more boxes than this do not read on a page
COLUMN_BOXES = 9  # nor more than this, with the arrows passing between them, in one column of the drawing


@dataclass(frozen=True, slots=True)
class Options:
    """What to put in the pack; the defaults are those of the commands it draws on."""

    objective: Method = "weighted"
    time_limit: float = SELECT_TIME_LIMIT
    scenarios: bool = True  # compare the portfolio's scenarios side by side
    commit_in_flight: bool = True  # approved and in-flight items stay in (`--release-in-flight` lets them go)
    mandate_cost: bool = True  # price the mandatory and forced-in items (the website does not show it)


@dataclass(frozen=True, slots=True)
class RankRow:
    rank: int
    id: str
    title: str
    stage: str  # the stage's name
    status: Rag | None
    score: float | None
    selected: bool
    committed: bool  # mandatory or in flight: not the optimiser's choice
    npv: float | None


@dataclass(frozen=True, slots=True)
class OverAllocation:
    team: str
    title: str
    quarters: tuple[str, ...]
    peak: float  # the highest demand / capacity


@dataclass(frozen=True, slots=True)
class Summary:
    items: int
    by_stage: tuple[tuple[str, int], ...]  # stage name, items; stages in their order, empty ones left out
    by_status: tuple[tuple[str, int], ...]  # green, amber, red, none
    selected: int
    candidates: int
    selected_npv: float  # of the selected items' business cases
    over_allocated: tuple[OverAllocation, ...]  # by work already approved or in flight (`pfm capacity`)
    high_risks: tuple[Risk, ...]
    decisions_required: tuple[Decision, ...]
    at_odds: tuple[AtOdds, ...] = ()  # the decisions required that name items left out, in their order

    def left_out_by(self, decision: str) -> tuple[Exclusion, ...]:
        """The items decision `decision` names that the recommendation leaves out (none when it is not at odds)."""
        return next((odds.left_out for odds in self.at_odds if odds.decision.id == decision), ())


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    layers: tuple[tuple[str, ...], ...]
    critical_paths: tuple[tuple[str, ...], ...]  # every chain as long as the longest: each is drawn in red
    duration: int  # quarters along a critical path
    omitted: int  # selected items with dependencies left off the drawing


@dataclass(frozen=True, slots=True)
class Pack:
    portfolio: Portfolio  # with the scenario applied, if any
    scenario: Scenario | None
    date: str  # ISO date the pack was made
    origin: Provenance
    objective: Method
    commit_in_flight: bool  # False: the optimiser could stop approved and in-flight work
    summary: Summary
    ranking: tuple[RankRow, ...]
    selection: Selection
    left_out: tuple[Exclusion, ...]  # the ENTRY_PRICES most valuable items left out, most valuable first
    stopped: tuple[Exclusion, ...]  # approved or in-flight items left out (only when they may be)
    frontier: Frontier | None  # None when no selection fits
    cases: tuple[CaseMetrics, ...]
    committed_load: CapacityView  # approved and in-flight work against capacity (`pfm capacity`)
    totals: tuple[YearTotals, ...]  # every business case per year against budget (`pfm finance`)
    selected_totals: tuple[YearTotals, ...]  # the selected items' business cases per year
    roadmap: Roadmap  # of the selected items, in rank order
    risks: tuple[Risk, ...]  # open risks by exposure, highest first
    graph: Graph
    scenarios: ScenarioComparison | None
    decisions: tuple[Decision, ...]  # newest first
    changes: Comparison | None
    since: str | None
    findings: tuple[Finding, ...] = ()  # scores that are not finite numbers: those items are left out
    health: Health | None = None  # None when the portfolio has no status date
    roadmap_risk: RoadmapRisk | None = None  # the roadmap's draws; None without three-point estimates or a spread
    schedule: ScheduledSelection | None = None  # `pfm select --schedule`; None unless the portfolio asks for it


def build_pack(
    base: Portfolio,
    scenario: str | None,
    origin: Provenance,
    *,
    options: Options = Options(),
    changes: Comparison | None = None,
    since: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Pack:
    """Everything the board pack shows for `base` under `scenario`, with `changes` since an earlier revision."""
    from pfm.analysis.scenarios import apply_scenario

    portfolio = apply_scenario(base, scenario)
    # Scenarios whose files have errors are listed too, so the pack says why they are missing.
    names = sorted({*base.scenarios, *base.unusable_scenarios}) if options.scenarios else []
    step = _stepper(progress, 5 + (len(names) + 1 if names else 0))
    scores = score(portfolio, options.objective)
    values = scores.values()
    ranking = rank(portfolio, options.objective, scores=scores)
    step()
    terms = Terms(commit_in_flight=options.commit_in_flight)
    selection = select_portfolio(
        portfolio,
        values,
        terms,
        objective=options.objective,
        time_limit=options.time_limit,
        entry_prices=ENTRY_PRICES,
        mandate_cost=options.mandate_cost,
        unscored=scores.unscored(),
    )
    step()
    curve = (
        frontier_of(
            portfolio,
            values,
            FRONTIER_POINTS,
            objective=options.objective,
            gap=FRONTIER_GAP,
            time_limit=FRONTIER_TIME_LIMIT,
            terms=terms,
        )
        if selection.status != "infeasible"
        else None
    )
    step()
    cases = tuple(portfolio_metrics(portfolio))
    npv = {m.item: m.npv for m in cases}
    chosen = set(selection.selected)
    roadmap = plan_roadmap(portfolio, options.objective, selection=selection.selected)  # `pfm roadmap --selection`
    step()
    comparison = (
        compare_scenarios(
            base,
            [BASE, *names],
            objective=options.objective,
            time_limit=options.time_limit,
            commit_in_flight=options.commit_in_flight,
            progress=lambda done, total: step(),
            solved={scenario or BASE: selection},  # solved above, under the same terms
        )
        if names
        else None
    )
    step()
    committed = _committed(portfolio, options.commit_in_flight)
    committed_load = capacity_view(portfolio)
    risks = open_risks(portfolio)
    rows = tuple(
        RankRow(
            r.rank,
            r.id,
            r.title,
            _stage_name(portfolio, r.id),
            portfolio.items[r.id].status,
            r.score,
            r.id in chosen,
            r.id in committed,
            npv.get(r.id),
        )
        for r in ranking.items
    )
    return Pack(
        portfolio=portfolio,
        scenario=portfolio.scenarios.get(scenario) if scenario else None,
        date=(today or dt.date.today()).isoformat(),
        origin=origin,
        objective=options.objective,
        commit_in_flight=options.commit_in_flight,
        summary=_summary(portfolio, selection, npv, committed_load, risks),
        ranking=rows,
        selection=selection,
        left_out=_left_out(selection, values),
        stopped=tuple(e for e in selection.not_selected if portfolio.stage_state(portfolio.items[e.id]) in IN_FLIGHT)
        if selection.status != "infeasible"
        else (),
        frontier=curve,
        cases=cases,
        committed_load=committed_load,
        totals=tuple(totals_by_year(portfolio)),
        selected_totals=tuple(totals_by_year(portfolio, chosen)),
        roadmap=roadmap,
        risks=risks,
        graph=_graph(portfolio, chosen),
        scenarios=comparison,
        decisions=tuple(sorted(portfolio.decisions.values(), key=lambda d: (d.date, d.id), reverse=True)),
        changes=changes,
        since=since,
        findings=scores.findings,
        # `pfm decisions` reads the pending decisions against `pfm select` with in-flight work committed
        health=health(
            portfolio, options.objective, options.time_limit, selection if options.commit_in_flight else None
        ),
        roadmap_risk=roadmap_risk(portfolio, PACK_DRAWS, roadmap=roadmap) if _uncertain(portfolio, roadmap) else None,
        schedule=starts_may_move(portfolio, options.objective, options.time_limit, options.commit_in_flight),
    )


def _uncertain(portfolio: Portfolio, roadmap: Roadmap) -> bool:
    """Whether any scheduled item's duration has a spread to draw from."""
    estimated = (portfolio.items[e.id].duration_estimate for e in roadmap.items)
    return bool(roadmap.items) and (portfolio.schedule_risk is not None or any(e is not None for e in estimated))


def _left_out(selection: Selection, values: Mapping[str, float]) -> tuple[Exclusion, ...]:
    """The items left out that `pfm select` prices, most valuable first; none when nothing fits at all."""
    if selection.status == "infeasible":
        return ()
    return tuple(sorted(selection.not_selected, key=lambda e: (-values.get(e.id, 0.0), e.id))[:ENTRY_PRICES])


def _stepper(progress: Progress | None, total: int) -> Callable[[], None]:
    done = 0

    def step() -> None:
        nonlocal done
        done = min(done + 1, total)
        if progress is not None:
            progress(done, total)

    return step


def _stage_name(portfolio: Portfolio, ident: str) -> str:
    stage = portfolio.stage(portfolio.items[ident].stage)
    return stage.name if stage is not None else portfolio.items[ident].stage


def _committed(portfolio: Portfolio, in_flight: bool) -> set[str]:
    """Items funded whatever the optimiser says: the mandatory ones, and (`in_flight`) those approved or under way."""
    kept = IN_FLIGHT if in_flight else ()
    return {
        i.id
        for i in portfolio.items.values()
        if i.type != "programme" and (i.mandatory or i.id in portfolio.forced_in or portfolio.stage_state(i) in kept)
    }


def _summary(
    portfolio: Portfolio,
    selection: Selection,
    npv: dict[str, float],
    view: CapacityView,
    risks: tuple[Risk, ...],  # the open ones, highest exposure first
) -> Summary:
    items = portfolio.items.values()
    stages = Counter(item.stage for item in items)
    statuses = Counter(item.status or "none" for item in items)
    over: dict[str, list[float]] = {}
    quarters: dict[str, list[str]] = {}
    for cell in view.over_allocated:
        over.setdefault(cell.team, []).append(cell.utilisation or float("inf"))
        quarters.setdefault(cell.team, []).append(cell.period)
    pending = pending_decisions(portfolio)
    return Summary(
        items=len(portfolio.items),
        by_stage=tuple((s.name, stages[s.id]) for s in portfolio.stages if stages[s.id]),
        by_status=tuple((status, statuses[status]) for status in ("green", "amber", "red", "none") if statuses[status]),
        selected=len(selection.selected),
        candidates=len(selection.selected) + len(selection.not_selected),
        selected_npv=sum(npv.get(ident, 0.0) for ident in selection.selected),
        over_allocated=tuple(
            OverAllocation(team, portfolio.teams[team].title, tuple(quarters[team]), max(peaks))
            for team, peaks in over.items()
        ),
        high_risks=tuple(r for r in risks if r.exposure >= HIGH_EXPOSURE),
        decisions_required=tuple(pending),
        at_odds=at_odds(pending, selection),
    )


def _fits(graph: Any, items: set[str]) -> bool:
    """Whether the drawing of `items` has no column (layer, counting the arrows that pass through it) taller
    than COLUMN_BOXES."""
    drawn = graph.subgraph(items)
    column = {item: number for number, layer in enumerate(layers(drawn)) for item in layer}
    height = Counter(column.values())
    for a, b in drawn.edges:
        height.update(range(column[a] + 1, column[b]))  # a long arrow takes a slot in each column it crosses
    return max(height.values(), default=0) <= COLUMN_BOXES


def _graph(portfolio: Portfolio, chosen: set[str]) -> Graph:
    """The dependencies among the selected items and their critical path (`pfm deps path --selection`); the
    best-connected items drawn, at most GRAPH_NODES boxes and COLUMN_BOXES in a column, the rest counted."""
    selected = dependency_graph(portfolio).subgraph(chosen)
    path = critical_path(portfolio, selection=chosen)
    critical = critical_edges(selected, path)
    on_path = {item for chain in path.critical_paths for item in chain}
    linked = sorted(
        {i for edge in selected.edges for i in edge}, key=lambda i: (i not in on_path, -selected.degree(i), i)
    )
    shown: set[str] = set()
    for ident in linked:  # the critical chains first: the drawing must show what the sentence names
        if len(shown) < GRAPH_NODES and _fits(selected, shown | {ident}):
            shown.add(ident)
    drawn = selected.subgraph(shown)
    graph = drawn.subgraph({i for i in shown if drawn.degree(i)})  # a box whose partners are not drawn says nothing
    ordered = layers(graph)
    nodes, links = drawing(portfolio, graph, critical, order=[ident for layer in ordered for ident in layer])
    return Graph(
        tuple(nodes),
        tuple(links),
        tuple(tuple(layer) for layer in ordered),
        tuple(tuple(chain) for chain in path.critical_paths),
        path.duration,
        len(linked) - graph.number_of_nodes(),
    )
