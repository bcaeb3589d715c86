"""The board pack built and rendered: Markdown, HTML and PDF from one set of templates, charts drawn once.

`board_pack` gathers the pack's content (`pfm.reporting.pack`) with where the files come from and what changed
since an earlier revision. `render_pack` renders everything in memory and `write_pack` then swaps the files in as
one set, so a template that fails, a full disk or Ctrl-C leaves the output folder as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from pfm.analysis.finance import CaseMetrics
from pfm.defaults import PACK_ROWS, SELECT_TIME_LIMIT
from pfm.errors import UsageError
from pfm.io.revisions import provenance
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.parallel import Progress
from pfm.reporting.diagrams import to_mermaid
from pfm.reporting.diff import parts as diff_parts
from pfm.reporting.findings import text_line
from pfm.reporting.gantt import mermaid_gantt
from pfm.reporting.pack import TOP_RISKS, Options, Pack, build_pack
from pfm.reporting.pack_charts import Chart, draw_charts
from pfm.reporting.pack_schedule import NAMED_IDS
from pfm.reporting.sparklines import kpi_sparklines
from pfm.reporting.templating import environment, render
from pfm.review.diff import diff
from pfm.selection.scenario_comparison import Outcome

FORMATS = ("md", "html", "pdf")


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


def board_pack(
    portfolio: Portfolio,
    scenario: str | None = None,
    *,
    objective: Method = "weighted",
    time_limit: float = SELECT_TIME_LIMIT,
    commit_in_flight: bool = True,
    since: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    scenarios: bool = True,
    mandate_cost: bool = True,
) -> Pack:
    """Everything `pfm report` puts in the pack for `portfolio` (as its files declare it) under `scenario`.

    The selection maximises `objective`, each solve stopped at `time_limit`; `commit_in_flight` keeps approved
    and in-flight items in. The cover names the git commit of `portfolio.root`; with `since` (a revision, folder
    or snapshot), the pack shows what changed since then as `pfm diff` reports it. `today` dates the cover.
    `scenarios=False` leaves out the comparison of the portfolio's scenarios, `mandate_cost=False` the value the
    mandatory and forced-in items cost (the website shows neither).
    """
    changes = diff(since, root=portfolio.root, scenario=scenario, method=objective) if since else None
    return build_pack(
        portfolio,
        scenario,
        provenance(portfolio.root),
        options=Options(
            objective=objective,
            time_limit=time_limit,
            scenarios=scenarios,
            commit_in_flight=commit_in_flight,
            mandate_cost=mandate_cost,
        ),
        changes=changes,
        since=since,
        today=today,
        progress=progress,
    )


def check_template(name: str) -> None:
    """UsageError unless `name` names a template in templates/ (not a path, which could lead out of it)."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise UsageError(f"--template takes a name from templates/, not a path: '{name}'")


def render_pack(
    pack: Pack,
    template: str = "board-pack",
    formats: Collection[str] = FORMATS,
    progress: Progress | None = None,
    rows: int = PACK_ROWS,
) -> Rendered:
    """The pack as `template`.md / .html / .pdf (those of `formats`), with the Markdown's chart files. A table that
    lists items shows its first `rows` and says how many more there are; totals and counts cover every item."""
    check_template(template)
    if rows < 1:
        raise UsageError(f"a board pack lists at least one row of each table, not {rows}")
    total, done = 1 + len(set(formats) & set(FORMATS)), 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    drawn = draw_charts(pack)
    advance()
    env = environment(pack.portfolio.root, pack.portfolio.currency)
    context = pack_context(pack, drawn, f"{template}-charts", rows)
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
            from pfm.reporting.pdf import to_pdf

            pdf = to_pdf(html, pack.portfolio.root)
            rendered.files[f"{template}.pdf"] = pdf.content
            rendered.refused, rendered.pages = pdf.refused, pdf.pages
            advance()
    return rendered


def notices(pack: Pack, rendered: Rendered) -> list[str]:
    """What `pfm report` tells the user beside the files: findings, a selection that does not fit, what the template
    asked for and was refused, and scenarios left out of the pack (an error in the portfolio)."""
    lines = [text_line(finding) for finding in pack.findings]
    if pack.selection.status == "infeasible":
        hint = " (--release-in-flight lets the optimiser stop in-flight work)" if pack.commit_in_flight else ""
        lines.append(f"warning: no selection fits the budget and capacity; the pack shows the conflict{hint}")
    lines += [
        f"warning: the template asked for {url}, which is outside the portfolio: not loaded" for url in rendered.refused
    ]
    skipped = pack.scenarios.skipped if pack.scenarios else ()
    return lines + [f"error: scenario {name} is left out of the pack: {reason}" for name, reason in skipped]


def write_pack(rendered: Rendered, folder: Path) -> list[Path]:
    """The pack's files written into `folder` as one set (see `pfm.io.file_sets`); the paths written, in order."""
    from pfm.io.file_sets import write_set

    return write_set(folder, rendered.files)


def pack_context(pack: Pack, drawn: Mapping[str, Chart], chart_folder: str, rows: int = PACK_ROWS) -> dict[str, Any]:
    """What a template sees: the pack, its charts, the sections in order, and tables made ready for printing, each
    table that lists items cut to `rows` (the board pack's; a website's pages list everything)."""
    years = scenario_years(pack)
    return {
        "pack": pack,
        "portfolio": pack.portfolio,
        "charts": drawn,
        "chart_folder": chart_folder,
        "sections": sections(pack),
        "budget_lines": budget_lines(pack),
        "titles": {ident: item.title for ident, item in pack.portfolio.items.items()},
        "stage_names": {stage.id: stage.name for stage in pack.portfolio.stages},
        "top_risks": pack.risks[:TOP_RISKS],
        "selected_by_year": {t.year: t for t in pack.selected_totals},
        "robustness": pack.scenarios.robustness if pack.scenarios is not None else None,
        "scenario_years": years,
        "scenario_rows": scenario_rows(pack, years),
        "mermaid_gantt": Markup(mermaid_gantt(pack.portfolio, pack.roadmap, rows)),  # user text made safe by the writer
        "mermaid_graph": Markup(to_mermaid(pack.graph.nodes, pack.graph.links)),
        "changes": diff_parts(pack.changes) if pack.changes is not None else [],  # as `pfm diff` shows them
        "sparklines": kpi_sparklines(pack.health),
        "rows": rows,  # each table that lists items shows this many, then how many more and which command lists all
        "cases": _largest_cases(pack.cases, rows),
        "named_ids": NAMED_IDS,  # a sentence that names items names this many, then counts the others
    }


def _largest_cases(cases: tuple[CaseMetrics, ...], rows: int) -> tuple[CaseMetrics, ...]:
    """The `rows` business cases of the highest NPV, in their own order (by item)."""
    if len(cases) <= rows:
        return cases
    kept = set(sorted(range(len(cases)), key=lambda n: (-cases[n].npv, n))[:rows])
    return tuple(case for n, case in enumerate(cases) if n in kept)


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    outcome: Outcome
    spend: list[float | None]  # capex + opex of the selection per year of `scenario_years`; None when infeasible

    @property
    def status(self) -> str:
        """The selection's status, or in words why there is none: "no selection fits" (the conflicts say why)."""
        selection = self.outcome.selection
        if selection.status == "infeasible":
            return "no selection fits"
        return selection.status if selection.found else "none found in the time limit"


def scenario_years(pack: Pack) -> list[int]:
    """Every year in which some scenario's selection spends or has a budget."""
    outcomes = pack.scenarios.outcomes if pack.scenarios is not None else ()
    return sorted({t.year for o in outcomes for t in o.totals if t.total or t.budget is not None})


def scenario_rows(pack: Pack, years: list[int]) -> list[ScenarioRow]:
    """Each scenario's outcome and its spend in each of `years`."""
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
        Section("health", "Delivery health") if pack.health is not None else None,
        Section("changes", "Changes since the last pack") if pack.changes is not None else None,
        Section("selection", "Recommended portfolio"),
        Section("schedule", "If starts may move") if pack.schedule is not None else None,
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
