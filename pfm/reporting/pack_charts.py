"""The board pack's charts, drawn from its content: what each shows, and what it leaves out when a page is full."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup

from pfm.analysis.capacity import utilisation
from pfm.model import Portfolio
from pfm.periods import quarter_index
from pfm.reporting import charts
from pfm.reporting.dependency_chart import dependency_chart
from pfm.reporting.figures import Href
from pfm.reporting.pack import Pack
from pfm.reporting.risk_chart import finish_chart
from pfm.reporting.s_curve_chart import programme_s_curves_chart, s_curve_chart
from pfm.reporting.starts_chart import starts_chart
from pfm.selection.frontier import FrontierPoint

GANTT_BARS = 25  # rows that fit a landscape page at a readable size
UNNAMED_ROWS = 20  # items a chart does not name, listed beneath it
PROGRAMME_PANELS = 9  # programme S-curves that fit a page

_BUBBLES = (
    "Each bubble is an item: higher is more valuable, further right riskier, larger costlier; navy ones are "
    "recommended."
)
_FRONTIER = (
    "Each point is the most value a budget buys; the star is the recommendation, the diamond the committed work."
)
_CAPACITY = "Each cell is a team's demand in a quarter as a percentage of its capacity."
_ROADMAP = "Each bar runs from an item's first quarter to its last; hatching shows a start later than requested."
_FINISH = (
    "Each bar covers the quarters in which an item finishes between its P50 and its P95 across the draws of its "
    "duration; the navy tick marks its P80 quarter, the diamond its end in the roadmap."
)
_STARTS = (
    "Each moved item has two strips: above, the quarters its start as written gives it; below, those of the start "
    "the optimiser chose."
)
_RISKS = "Each open risk sits in the cell of its probability and impact; red cells carry the highest exposure."
_DEPENDENCIES = "Each arrow runs from a prerequisite to the item that needs it; red arrows form the critical path."
_S_CURVE = (
    "Cumulative planned value, earned value and actual cost of the measured items at each quarter's end; "
    "EV below PV is behind plan, AC above EV over cost."
)
_PROGRAMME_CURVES = "The same curves for each programme, its own items rolled up, each panel on its own scale."
Drawn = tuple[str, str] | tuple[str, str, list[charts.Bubble]]  # the SVG, a note, the items left unnamed


@dataclass(frozen=True, slots=True)
class Chart:
    name: str  # file stem: value-risk, frontier, ...
    title: str
    summary: str  # one sentence: what the chart shows
    svg: Markup  # inline SVG, safe to print
    note: str = ""  # what the drawing leaves out, if anything
    unnamed: tuple[charts.Bubble, ...] = ()  # items drawn but not named, listed beside the chart


def draw_charts(pack: Pack, href: Href = None) -> dict[str, Chart]:
    """Every chart of the pack, by name; those with nothing to draw left out. With `href`, the roadmap's bars and
    the dependency chart's boxes are links to `href(id)` (a website's item pages; a PDF has none)."""
    makers: list[tuple[str, str, str, Callable[[Pack], Drawn | None]]] = [
        ("s-curve", "Delivery S-curve", _S_CURVE, _s_curve),
        ("s-curve-programmes", "Delivery S-curve by programme", _PROGRAMME_CURVES, _programme_s_curves),
        ("value-risk", "Value against risk", _BUBBLES, _value_risk),
        ("frontier", "Efficient frontier", _FRONTIER, _frontier),
        ("starts", "Starts moved by the optimiser", _STARTS, _starts),
        ("capacity", "Capacity used by the recommended portfolio", _CAPACITY, _capacity),
        ("roadmap", "Roadmap of the recommended portfolio", _ROADMAP, partial(_roadmap, href=href)),
        ("roadmap-risk", "Finish distributions of the recommended portfolio", _FINISH, _finish),
        ("risks", "Risk heatmap", _RISKS, _risks),
        ("dependencies", "Dependencies of the recommended portfolio", _DEPENDENCIES, partial(_dependencies, href=href)),
    ]
    drawn = {}
    for name, title, summary, make in makers:
        made = make(pack)
        if made is not None:
            svg, note, *unnamed = made
            drawn[name] = Chart(name, title, summary, Markup(svg), note, tuple(unnamed[0]) if unnamed else ())
    return drawn


def _value_risk(pack: Pack) -> Drawn | None:
    portfolio = pack.portfolio
    label, risk_of = risk_measure(pack)
    bubbles = [
        charts.Bubble(r.id, r.title, r.score, risk_of(r.id), _total_cost(portfolio, r.id), r.selected)
        for r in pack.ranking
        if r.score is not None
    ]
    if len({bubble.risk for bubble in bubbles}) < 2:  # no items, or nothing tells their risks apart
        return None
    chart, unnamed = charts.value_risk_chart(
        bubbles, value_label=_value_label(pack), risk_label=label, currency=portfolio.currency
    )
    named = len(bubbles) - len(unnamed)
    note = f"{named} of {len(bubbles)} items named, the most valuable that find room"
    if len(unnamed) > UNNAMED_ROWS:
        note += f"; the {UNNAMED_ROWS} most valuable of the other {len(unnamed)} below (pfm rank lists every item)."
    elif unnamed:
        note += "; the others below."
    else:
        note = ""
    return chart, note, unnamed[:UNNAMED_ROWS]


def _s_curve(pack: Pack) -> tuple[str, str] | None:
    health = pack.health
    if health is None or not health.curve.points:
        return None
    return s_curve_chart(health.curve.points, pack.portfolio.currency), ""


def _programme_s_curves(pack: Pack) -> tuple[str, str] | None:
    """The programmes' S-curves, the PROGRAMME_PANELS largest by their curve's last planned value."""
    health = pack.health
    curves = [(ident, curve.points) for ident, curve in health.programmes if curve.points] if health else []
    if not curves:
        return None
    shown = sorted(curves, key=lambda entry: -entry[1][-1].pv)[:PROGRAMME_PANELS]
    items = pack.portfolio.items
    note = f"The {len(shown)} largest of {len(curves)} programmes." if len(curves) > len(shown) else ""
    titled = [(f"{items[ident].title} ({ident})", points) for ident, points in shown]
    return programme_s_curves_chart(titled, pack.portfolio.currency), note


def _value_label(pack: Pack) -> str:
    return "Value (weighted score)" if pack.objective == "weighted" else f"Value ({pack.objective})"


def risk_measure(pack: Pack) -> tuple[str, Callable[[str], float]]:
    """The risk axis: the scoring model's first lower-is-better criterion, else the highest exposure of the
    item's open risks (probability x impact)."""
    scoring = pack.portfolio.scoring
    criterion = next((c for c in scoring.criteria if c.direction == "lower"), None) if scoring else None
    if criterion is not None:
        items, ident, floor = pack.portfolio.items, criterion.id, criterion.scale_min
        return criterion.name, lambda item: items[item].scores.get(ident, floor)
    exposure: dict[str, int] = {}
    for risk in pack.risks:  # open ones only
        for item in risk.items:
            exposure[item] = max(exposure.get(item, 0), risk.exposure)
    return "Highest open risk exposure (probability × impact)", lambda item: exposure.get(item, 0)


def _total_cost(portfolio: Portfolio, item: str) -> float:
    case = portfolio.business_case_of(item)
    return sum(line.capex + line.opex for line in case.costs) if case is not None else 0.0


def _frontier(pack: Pack) -> tuple[str, str] | None:
    curve = pack.frontier
    if curve is None or not pack.summary.candidates:
        return None

    def where(point: FrontierPoint) -> tuple[float, float] | None:
        return (point.cost, point.value) if point.cost is not None and point.value is not None else None

    # The recommended selection is the frontier's point at the declared budget: on the curve, not beside it.
    points = sorted({xy for xy in map(where, (*curve.points, curve.selection)) if xy is not None})
    return charts.frontier_chart(
        points,
        selection=where(curve.selection),
        committed=where(curve.committed),
        budget=curve.selection.budget,
        value_label=_value_label(pack),
        currency=pack.portfolio.currency,
    ), ""


def _capacity(pack: Pack) -> tuple[str, str] | None:
    """The recommended portfolio's load; when nothing fits, the committed work's, which is why."""
    periods = pack.portfolio.periods
    if pack.selection.status == "infeasible":
        view = pack.committed_load
        teams = [team for team, _ in view.teams]
        rows = [[cell.utilisation for cell in cells] for _, cells in view.teams]
        note = "No selection fits: this is the load of the approved and in-flight work alone."
    else:
        used = pack.selection.capacity
        teams = list(used)
        rows = [[utilisation(*cells.get(quarter, (0.0, 0.0))) for quarter in periods] for cells in used.values()]
        note = ""
    if len(teams) > GANTT_BARS:  # the most loaded teams, in their own order
        peak = sorted(range(len(teams)), key=lambda n: -max((u for u in rows[n] if u is not None), default=0.0))
        kept = sorted(peak[:GANTT_BARS])
        note = f"{note} The {GANTT_BARS} of {len(teams)} teams with the highest peak.".strip()
        teams, rows = [teams[n] for n in kept], [rows[n] for n in kept]
    return (charts.capacity_heatmap(teams, periods, rows), note) if teams else None


def _roadmap(pack: Pack, href: Href) -> tuple[str, str] | None:
    portfolio, periods = pack.portfolio, pack.portfolio.periods
    first = quarter_index(portfolio.first_period)
    bars = []
    for entry in pack.roadmap.items[:GANTT_BARS]:
        assert entry.scheduled_start is not None and entry.end is not None
        start = quarter_index(entry.scheduled_start) - first
        item = portfolio.items[entry.id]
        kind = "in flight" if entry.fixed else "late" if entry.delay else "selected"
        duration = quarter_index(entry.end) - quarter_index(entry.scheduled_start) + 1
        bars.append(charts.Bar(entry.id, item.title, start, duration, kind, entry.delay or 0))
    if not bars:
        return None
    hidden = len(pack.roadmap.items) - len(bars)
    note = f"The first {len(bars)} of {len(pack.roadmap.items)} scheduled items by start." if hidden > 0 else ""
    return charts.gantt_chart(bars, periods, href), note


def _finish(pack: Pack) -> tuple[str, str] | None:
    """The items whose finish is uncertain, in the roadmap's order."""
    if pack.roadmap_risk is None:
        return None
    uncertain = [e for e in pack.roadmap_risk.items if e.spread != "none" or e.on_time < 1]
    if not uncertain:
        return None
    rows = uncertain[:GANTT_BARS]
    titles = [pack.portfolio.items[e.id].title for e in rows]
    hidden = len(uncertain) - len(rows)
    note = f"The first {len(rows)} of {len(uncertain)} items with an uncertain finish." if hidden else ""
    draws = f"{pack.roadmap_risk.draws:,} draws of PERT-beta durations (seed {pack.roadmap_risk.seed})."
    return finish_chart(rows, titles, pack.portfolio.periods), f"{draws} {note}".strip()


def _starts(pack: Pack) -> tuple[str, str] | None:
    """The items the scheduled selection moves from their written start, by chosen start."""
    moved = [p for p in pack.schedule.moved if p.stated is not None] if pack.schedule is not None else []
    if not moved:
        return None
    shown = moved[:GANTT_BARS]
    note = f"The first {len(shown)} of {len(moved)} moved items by chosen start." if len(moved) > len(shown) else ""
    return starts_chart(shown, pack.portfolio.periods), note


def _risks(pack: Pack) -> tuple[str, str] | None:
    if not pack.risks:
        return None
    return charts.risk_heatmap([charts.RiskCell(r.id, r.probability, r.impact) for r in pack.risks]), ""


def _dependencies(pack: Pack, href: Href) -> tuple[str, str] | None:
    graph = pack.graph
    if not graph.links:
        return None
    note = f"{graph.omitted} more selected items with dependencies are not drawn." if graph.omitted else ""
    return dependency_chart(graph.nodes, graph.links, graph.layers, href), note
