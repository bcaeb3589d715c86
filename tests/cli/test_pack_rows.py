"""The board pack stays the size a board reads: each table that lists items shows its first PACK_ROWS rows (or
`--rows N`) and says how many more there are and which command lists them all, while the pack's totals and counts
still cover every item, as the commands print them."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import pfm
from pfm.defaults import PACK_ROWS
from pfm.errors import UsageError
from pfm.reporting.pack import Pack
from pfm.reporting.pack_charts import GANTT_BARS, draw_charts
from tests.helpers import EXAMPLE, cli_json, run

REPO = Path(__file__).resolve().parents[2]
ITEMS = 2 * PACK_ROWS + 20  # generated items: the ranking and the business cases both run past PACK_ROWS


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portfolio from benchmarks/generate.py, sized so the committed work fits and about half the rest can."""
    out = tmp_path_factory.mktemp("generated") / "portfolio"
    script = REPO / "benchmarks" / "generate.py"
    command = [sys.executable, script, "--items", str(ITEMS), "--teams", "8", "--fit", "0.5", "--out", out]
    subprocess.run(command, check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def large(generated: Path) -> tuple[Pack, str]:
    pack = pfm.board_pack(pfm.load_portfolio(generated), time_limit=5.0, scenarios=False, mandate_cost=False)
    md = pfm.render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str)
    return pack, md


def _section(md: str, heading: str) -> str:
    """The Markdown from `heading` to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = md.index(f"\n{heading}\n")
    ends = [md.find(f"\n{'#' * n} ", start + 1) for n in range(1, len(level) + 1)]
    return md[start : min((e for e in ends if e > 0), default=len(md))]


def _rows(section: str) -> list[list[str]]:
    """The body rows of the first table in `section`, as their cells."""
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def _past_the_cut(runner: CliRunner, root: Path, command: str) -> list[dict[str, Any]]:
    """The items `pfm COMMAND -f json` lists for the portfolio at `root`: more than the pack's tables show."""
    items: list[dict[str, Any]] = cli_json(runner, command, root=root)["items"]
    assert len(items) > PACK_ROWS
    return items


def test_the_ranking_lists_the_first_rows_and_counts_the_rest_as_pfm_rank(
    runner: CliRunner, generated: Path, large: tuple[Pack, str]
) -> None:
    pack, md = large
    ranked = _past_the_cut(runner, generated, "rank")
    rows = _rows(_section(md, "## Ranked portfolio"))
    assert [(int(r[0]), r[1]) for r in rows] == [(e["rank"], e["id"]) for e in ranked[:PACK_ROWS]]
    assert f"_{len(ranked) - PACK_ROWS} more rows not shown: pfm rank lists them all._" in md
    assert len(pack.ranking) == len(ranked)  # the pack keeps every row: only the listing is cut


def test_the_business_cases_listed_are_those_of_the_highest_npv_and_the_rest_are_counted(
    runner: CliRunner, generated: Path, large: tuple[Pack, str]
) -> None:
    cases = _past_the_cut(runner, generated, "finance")
    section = _section(large[1], "### Business cases (GBP, discount rate 8.0 %)")
    listed = [r[0] for r in _rows(section)]
    highest = sorted(cases, key=lambda e: -e["npv"])[:PACK_ROWS]
    assert listed == sorted(e["id"] for e in highest)  # the table keeps its own order, by item
    assert f"The {PACK_ROWS} business cases of the highest NPV, by item:" in section
    assert f"_{len(cases) - PACK_ROWS} more rows not shown: pfm finance lists them all._" in section


def test_the_summarys_counts_and_totals_cover_every_item(
    runner: CliRunner, generated: Path, large: tuple[Pack, str]
) -> None:
    pack, md = large
    select = cli_json(runner, "select", "--time-limit", "5", root=generated)
    candidates = len(select["selected"]) + len(select["not_selected"])
    assert candidates > PACK_ROWS
    assert f"**{len(pack.selection.selected)} of {candidates}** candidates recommended" in md
    by_stage = re.search(r"- Items by stage: (.*)\n", md)
    assert by_stage is not None
    assert sum(int(part.rsplit(" ", 1)[1]) for part in by_stage[1].split(", ")) == ITEMS
    # Spend per fiscal year: every business case, not the listed ones.
    totals = cli_json(runner, "finance", "--years", root=generated)["totals"]
    years = _rows(_section(md, "### Spend per fiscal year against budget (GBP)"))
    capex = {r[0]: r[1] for r in years}  # year -> capex of all business cases
    assert capex and capex == {year: f"{totals[year]['capex']:,.0f}" for year in capex}


def test_the_example_portfolios_pack_is_not_cut(runner: CliRunner, tmp_path: Path) -> None:
    """Every table of the example portfolio fits: its pack lists everything, as before the cut."""
    assert run(runner, "report", "-f", "md", "-o", str(tmp_path)).exit_code == 0
    md = (tmp_path / "board-pack.md").read_text(encoding="utf-8")
    assert "not shown" not in md and "highest NPV" not in md
    assert len(_rows(_section(md, "## Ranked portfolio"))) == len(cli_json(runner, "rank")["items"])


def test_rows_cuts_every_table_that_lists_items(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "report", "-f", "md", "-f", "html", "--rows", "3", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    md = (tmp_path / "board-pack.md").read_text(encoding="utf-8")
    html = (tmp_path / "board-pack.html").read_text(encoding="utf-8")
    ranked = len(cli_json(runner, "rank")["items"])
    assert len(_rows(_section(md, "## Ranked portfolio"))) == 3
    assert f"_{ranked - 3} more rows not shown: pfm rank lists them all._" in md
    assert f'<p class="note more">{ranked - 3} more rows not shown: pfm rank lists them all.</p>' in html
    commands = set(re.findall(r"_\d+ more rows? not shown: (.+) lists them all\._", md))
    assert commands == {
        "pfm status",
        "pfm select --schedule",
        "pfm rank",
        "pfm finance",
        "pfm roadmap",
        "pfm risks",
        "pfm decisions",
    }
    gantt = md[md.index("```mermaid\ngantt") :]
    gantt = gantt[: gantt.index("\n```\n")]
    assert len(re.findall(r", \d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d$", gantt, re.MULTILINE)) == 3  # its bars


def test_rows_below_one_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "report", "-f", "md", "--rows", "0", "-o", str(tmp_path))
    assert result.exit_code == 2 and "--rows" in result.output
    with pytest.raises(UsageError):
        pfm.render_pack(pfm.board_pack(pfm.load_portfolio(EXAMPLE), scenarios=False), formats=["md"], rows=0)


def test_the_capacity_heatmap_draws_the_most_loaded_teams_and_says_so() -> None:
    pack = pfm.board_pack(pfm.load_portfolio(EXAMPLE), scenarios=False)
    quarter = pack.portfolio.periods[0]
    teams = GANTT_BARS + 5
    load = {f"team-{n:02d}": {quarter: (float(n), 10.0)} for n in range(teams)}  # team-nn uses nn tenths
    chart = draw_charts(replace(pack, selection=replace(pack.selection, capacity=load)))["capacity"]
    assert chart.note == f"The {GANTT_BARS} of {teams} teams with the highest peak."
    drawn = re.findall(r"team-\d\d", chart.svg)
    assert drawn and set(drawn) == {f"team-{n:02d}" for n in range(5, teams)}
