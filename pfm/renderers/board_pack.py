"""The board pack rendered: Markdown, HTML and PDF from one set of templates, charts drawn once.

`render_pack` renders everything in memory; `write_pack` then writes each file atomically, so a
failure anywhere (a template error, a refused file) leaves the output folder as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from pfm import charts
from pfm.frontier import FrontierPoint
from pfm.model import Portfolio
from pfm.pack import Pack
from pfm.parallel import Progress
from pfm.periods import quarter_index
from pfm.renderers.diagrams import to_mermaid
from pfm.renderers.templating import environment, render
from pfm.roadmap import mermaid_gantt
from pfm.scenario_comparison import Outcome

FORMATS = ("md", "html", "pdf")
GANTT_BARS = 45  # rows that fit a landscape page
LABELLED = 12


@dataclass(frozen=True, slots=True)
class Chart:
    name: str  # file stem: value-risk, frontier, ...
    title: str
    svg: Markup  # inline SVG, safe to print
    note: str = ""  # what the drawing leaves out, if anything


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str

    @property
    def slug(self) -> str:
        """The anchor GitHub gives the heading: "Roadmap and dependencies" -> roadmap-and-dependencies."""
        return "-".join("".join(c for c in self.title.lower() if c.isalnum() or c == " ").split())


@dataclass(frozen=True, slots=True)
class BudgetLine:
    year: int
    figure: str  # capex, opex or total
    used: float
    available: float

    @property
    def share(self) -> float | None:
        return self.used / self.available if self.available else None


@dataclass
class Rendered:
    """The files of a rendered pack, by name relative to the output folder."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    refused: tuple[str, ...] = ()  # URLs the PDF's template asked for and was not given
    pages: int = 0  # of the PDF


def render_pack(
    pack: Pack, template: str = "board-pack", formats: Collection[str] = FORMATS, progress: Progress | None = None
) -> Rendered:
    """The pack as `template`.md / .html / .pdf (those of `formats`), with the Markdown's chart files."""
    total, done = 1 + len(set(formats) & set(FORMATS)), 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    drawn = draw_charts(pack)
    advance()
    env = environment(pack.portfolio.root, pack.portfolio.currency)
    context = pack_context(pack, drawn, f"{template}-charts")
    rendered = Rendered()
    if "md" in formats:
        rendered.files[f"{template}.md"] = render(env, f"{template}.md.j2", context)
        rendered.files |= {f"{template}-charts/{c.name}.svg": str(c.svg) for c in drawn.values()}
        advance()
    if "html" in formats or "pdf" in formats:
        html = render(env, f"{template}.html.j2", context)
        if "html" in formats:
            rendered.files[f"{template}.html"] = html
            advance()
        if "pdf" in formats:
            from pfm.renderers.pdf import to_pdf

            pdf = to_pdf(html, pack.portfolio.root)
            rendered.files[f"{template}.pdf"] = pdf.content
            rendered.refused, rendered.pages = pdf.refused, pdf.pages
            advance()
    return rendered


def write_pack(rendered: Rendered, folder: Path) -> list[Path]:
    """Each file written whole (temporary file renamed into place); the paths written, in order."""
    from pfm.files import write_atomic

    written = []
    for name, content in rendered.files.items():
        path = folder / name
        write_atomic(path, content)
        written.append(path)
    return written


def pack_context(pack: Pack, drawn: Mapping[str, Chart], chart_folder: str) -> dict[str, Any]:
    """What a template sees: the pack, its charts, the sections in order, and tables made ready for printing."""
    return {
        "pack": pack,
        "portfolio": pack.portfolio,
        "charts": drawn,
        "chart_folder": chart_folder,
        "sections": sections(pack),
        "budget_lines": budget_lines(pack),
        "titles": {ident: item.title for ident, item in pack.portfolio.items.items()},
        "selected_by_year": {t.year: t for t in pack.selected_totals},
        "robustness": robustness(pack),
        "scenario_years": scenario_years(pack),
        "scenario_rows": scenario_rows(pack),
        "mermaid_gantt": Markup(mermaid_gantt(pack.portfolio, pack.roadmap)),  # user text made safe by the writer
        "mermaid_graph": Markup(to_mermaid(pack.graph.nodes, pack.graph.links)),
    }


@dataclass(frozen=True, slots=True)
class Robustness:
    """How the scenarios with a feasible selection agree: the items all of them recommend, none does, and the rest."""

    feasible: int  # scenarios (base included) with a selection
    always: int
    never: int
    contested: list[tuple[str, tuple[str, ...]]]  # item, the scenarios recommending it; most often first


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    outcome: Outcome
    spend: list[float | None]  # capex + opex of the selection per year of `scenario_years`; None when infeasible


def robustness(pack: Pack) -> Robustness | None:
    if pack.scenarios is None:
        return None
    held = pack.scenarios.robustness
    feasible = [o.scenario for o in pack.scenarios.outcomes if o.selection.status != "infeasible"]
    counts = {ident: sum(1 for name in names if name in feasible) for ident, names in held.items()}
    contested = [ident for ident, count in counts.items() if 0 < count < len(feasible)]
    return Robustness(
        feasible=len(feasible),
        always=sum(1 for count in counts.values() if feasible and count == len(feasible)),
        never=sum(1 for count in counts.values() if not count),
        contested=[(ident, held[ident]) for ident in sorted(contested, key=lambda i: (-counts[i], i))],
    )


def scenario_years(pack: Pack) -> list[int]:
    """Every year in which some scenario's selection spends or has a budget."""
    outcomes = pack.scenarios.outcomes if pack.scenarios is not None else ()
    return sorted({t.year for o in outcomes for t in o.totals if t.total or t.budget is not None})


def scenario_rows(pack: Pack) -> list[ScenarioRow]:
    years = scenario_years(pack)
    outcomes = pack.scenarios.outcomes if pack.scenarios is not None else ()
    rows = []
    for outcome in outcomes:
        spend = {t.year: t.total for t in outcome.totals}
        rows.append(ScenarioRow(outcome, [spend.get(year) for year in years]))
    return rows


def sections(pack: Pack) -> list[Section]:
    """The chapters of the pack, in order; those without content left out."""
    chapters = [
        Section("summary", "Executive summary"),
        Section("changes", "Changes since the last pack") if pack.changes is not None else None,
        Section("selection", "Recommended portfolio"),
        Section("ranking", "Ranked portfolio"),
        Section("financials", "Financials"),
        Section("capacity", "Capacity"),
        Section("roadmap", "Roadmap and dependencies"),
        Section("risks", "Risks"),
        Section("scenarios", "Scenarios") if pack.scenarios is not None else None,
        Section("decisions", "Decision log"),
    ]
    return [chapter for chapter in chapters if chapter is not None]


def budget_lines(pack: Pack) -> list[BudgetLine]:
    """The selection's spend against each declared budget figure, by year."""
    return [
        BudgetLine(year, figure, used, available)
        for year, figures in sorted(pack.selection.budget.items())
        for figure, (used, available) in figures.items()
    ]


def draw_charts(pack: Pack) -> dict[str, Chart]:
    """Every chart of the pack, by name; those with nothing to draw left out."""
    makers: list[tuple[str, str, Callable[[Pack], tuple[str, str] | None]]] = [
        ("value-risk", "Value against risk", _value_risk),
        ("frontier", "Efficient frontier", _frontier),
        ("capacity", "Capacity used by the recommended portfolio", _capacity),
        ("roadmap", "Roadmap of the recommended portfolio", _roadmap),
        ("risks", "Risk heatmap", _risks),
        ("dependencies", "Dependencies of the recommended portfolio", _dependencies),
    ]
    drawn = {}
    for name, title, make in makers:
        made = make(pack)
        if made is not None:
            svg, note = made
            drawn[name] = Chart(name, title, Markup(svg), note)
    return drawn


def _value_risk(pack: Pack) -> tuple[str, str] | None:
    portfolio = pack.portfolio
    label, risk_of = risk_measure(portfolio)
    bubbles = [
        charts.Bubble(r.id, r.title, r.score, risk_of(r.id), _total_cost(portfolio, r.id), r.selected)
        for r in pack.ranking
        if r.score is not None
    ]
    if len({bubble.risk for bubble in bubbles}) < 2:  # no items, or nothing tells their risks apart
        return None
    value_label = "Value (weighted score)" if pack.objective == "weighted" else f"Value ({pack.objective})"
    return charts.value_risk_chart(bubbles, value_label=value_label, risk_label=label, currency=portfolio.currency), ""


def risk_measure(portfolio: Portfolio) -> tuple[str, Callable[[str], float]]:
    """The risk axis: the scoring model's first lower-is-better criterion, else the highest exposure of the
    item's open risks (probability x impact)."""
    criterion = (
        next((c for c in portfolio.scoring.criteria if c.direction == "lower"), None) if portfolio.scoring else None
    )
    if criterion is not None:
        ident = criterion.id
        return criterion.name, lambda item: portfolio.items[item].scores.get(ident, criterion.scale_min)
    exposure: dict[str, int] = {}
    for risk in portfolio.risks.values():
        if risk.status in ("open", "mitigating"):
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
        value_label="Value (weighted score)" if pack.objective == "weighted" else f"Value ({pack.objective})",
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
        rows = [[_utilisation(cells.get(quarter)) for quarter in periods] for cells in used.values()]
        note = ""
    return (charts.capacity_heatmap(teams, periods, rows), note) if teams else None


def _utilisation(cell: tuple[float, float] | None) -> float | None:
    if cell is None:
        return None
    used, available = cell
    if available > 0:
        return used / available
    return float("inf") if used > 0 else None


def _roadmap(pack: Pack) -> tuple[str, str] | None:
    portfolio, periods = pack.portfolio, pack.portfolio.periods
    first = quarter_index(portfolio.first_period)
    bars = []
    for entry in pack.roadmap.items[:GANTT_BARS]:
        assert entry.scheduled_start is not None and entry.end is not None
        start = quarter_index(entry.scheduled_start) - first
        item = portfolio.items[entry.id]
        kind = "in flight" if entry.fixed else "late" if entry.delay else "selected"
        duration = quarter_index(entry.end) - quarter_index(entry.scheduled_start) + 1
        bars.append(charts.Bar(entry.id, item.title, start, duration, kind, entry.delay))
    if not bars:
        return None
    hidden = len(pack.roadmap.items) - len(bars)
    note = f"The first {len(bars)} of {len(pack.roadmap.items)} scheduled items by start." if hidden > 0 else ""
    return charts.gantt_chart(bars, periods), note


def _risks(pack: Pack) -> tuple[str, str] | None:
    if not pack.risks:
        return None
    return charts.risk_heatmap([charts.RiskCell(r.id, r.probability, r.impact) for r in pack.risks]), ""


def _dependencies(pack: Pack) -> tuple[str, str] | None:
    graph = pack.graph
    if not graph.links:
        return None
    note = f"{graph.omitted} more selected items with dependencies are not drawn." if graph.omitted else ""
    return charts.dependency_chart(graph.nodes, graph.links, graph.layers), note
