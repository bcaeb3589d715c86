"""`pfm report`: the board pack rendered for real, the PDF read back, its figures checked against the commands."""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from pfm.cli import app
from pfm.io.revisions import provenance
from pfm.validation.load import load_portfolio
from tests.helpers import EXAMPLE, HOSTILE, LONG, REPO, TINY, WriteTree, build_history, commit, git

DATE = "2026-11-23"
SECTIONS = [
    "Executive summary",
    "Delivery health",
    "Recommended portfolio",
    "If starts may move",
    "Ranked portfolio",
    "Financials",
    "Capacity",
    "Roadmap and dependencies",
    "Risks",
    "Scenarios",
    "Decision log",
]


class Pack:
    """A rendered pack: the folder, the PDF's text page by page, its outline, the Markdown and HTML."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        reader = PdfReader(io.BytesIO((folder / "board-pack.pdf").read_bytes()))
        self.pages = [page.extract_text().replace("\u200b", "") for page in reader.pages]
        self.text = "\n".join(self.pages)
        self.flat = " ".join(self.text.split())
        self.outline = {  # top-level bookmarks: title -> page number
            entry.title: reader.get_destination_page_number(entry) + 1
            for entry in reader.outline
            if not isinstance(entry, list)
        }
        self.md = (folder / "board-pack.md").read_text(encoding="utf-8")
        self.html = (folder / "board-pack.html").read_text(encoding="utf-8")


def run(*args: str, root: Path = EXAMPLE) -> dict[str, object]:
    """The JSON output of a command."""
    result = CliRunner().invoke(app, ["-p", str(root), *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pack]:
    """The example portfolio's pack, rendered once for the module."""
    folder = tmp_path_factory.mktemp("pack")
    result = CliRunner().invoke(app, ["-p", str(EXAMPLE), "report", "-o", str(folder), "--date", DATE])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == str(folder / "board-pack.md")
    pages = len(PdfReader(folder / "board-pack.pdf").pages)
    assert result.stderr.endswith(f"wrote the board pack (template board-pack) to {folder}, {pages} pages\n")
    yield Pack(folder)


def money(amount: float) -> str:
    return f"{amount:,.0f}"


def test_every_section_is_in_the_pdf_with_its_bookmark_and_page_in_the_contents(example: Pack) -> None:
    assert len(example.pages) >= 12
    for title in SECTIONS:
        assert any(page.lstrip().startswith(title) for page in example.pages[2:]), title  # the running header
        assert title in example.outline
    first_pages = [next(n for n, page in enumerate(example.pages, 1) if page.startswith(t)) for t in SECTIONS]
    assert [example.outline[title] for title in SECTIONS] == first_pages
    contents = example.pages[1]
    assert re.findall(r"^\d+$", contents, re.MULTILINE) == [str(n) for n in first_pages]  # the page numbers
    assert re.findall(r"^[A-Z][a-z].*$", contents, re.MULTILINE)[1 : len(SECTIONS) + 1] == SECTIONS
    assert all(f"Page {n} of {len(example.pages)}" in page for n, page in enumerate(example.pages, 1))
    ranking = [page for page in example.pages if "Ranked portfolio Northbridge Bank" in page]  # running header
    assert len(ranking) >= 2
    assert all("Rank Item Title Stage RAG Score" in page for page in ranking)  # the header repeats on every page


def test_the_cover_names_the_portfolio_date_and_commit(example: Pack) -> None:
    cover = " ".join(example.pages[0].split())
    assert "Northbridge Bank – IT change portfolio" in cover
    assert DATE in cover
    origin = provenance(EXAMPLE)
    if origin.commit is None:
        assert "not from a git commit" in cover
    else:
        assert f"commit {origin.commit[:12]}" in cover
        assert ("with uncommitted changes" in cover) is origin.dirty
    metadata = PdfReader(example.folder / "board-pack.pdf").metadata
    assert metadata is not None
    assert metadata.title == f"Northbridge Bank IT Change Portfolio FY2027–FY2029 – board pack {DATE}"
    assert metadata.author == "Head of Portfolio Office"
    assert metadata.creation_date_raw == "D:" + DATE.replace("-", "")
    assert origin.commit is None or f"commit {origin.commit}" in (metadata.subject or "")


def test_selection_figures_equal_pfm_select(example: Pack) -> None:
    selection = run("select")
    chosen = selection["selected"]
    assert isinstance(chosen, list)
    left = selection["not_selected"]
    assert isinstance(left, list)
    assert f"{len(chosen)} of {len(chosen) + len(left)}" in example.flat
    assert f"{selection['value']:,.2f}" in example.flat
    budget = selection["budget"]
    assert isinstance(budget, dict)
    for year, figures in budget.items():
        for figure, cell in figures.items():
            line = f"{year} {figure} {money(cell['used'])} {money(cell['available'])}"
            assert line in example.flat, line
    for entry in left:
        if entry["entry_price"] is not None:
            assert f"{entry['entry_price']:,.2f}" in example.flat, entry["id"]


def test_finance_figures_equal_pfm_finance(example: Pack) -> None:
    finance = run("finance")
    selection = run("select")
    items = finance["items"]
    assert isinstance(items, list)
    for case in items:
        assert money(case["npv"]) in example.flat, case["id"]
    totals = finance["totals"]
    assert isinstance(totals, dict)
    for year, figures in totals.items():
        assert f"{year} {money(figures['capex'])} {money(figures['opex'])}" in example.flat, year
    chosen = set(selection["selected"])  # type: ignore[arg-type]
    npv = sum(case["npv"] for case in items if case["id"] in chosen)
    from pfm.wording import compact_money

    assert compact_money(npv, "GBP") in example.pages[2]  # the executive summary's tile


def test_ranks_and_scores_equal_pfm_rank(example: Pack) -> None:
    ranking = run("rank")
    rows = ranking["items"]
    assert isinstance(rows, list)
    ranked = "\n".join(page for page in example.pages if page.startswith("Ranked portfolio"))
    positions = [ranked.index(f"{row['id']}") for row in rows[:10]]
    assert positions == sorted(positions)  # in rank order
    for row in rows:
        assert f"{row['score']:,.2f}" in example.flat, row["id"]


def test_scenarios_side_by_side_equal_pfm_scenario_compare(example: Pack) -> None:
    comparison = run("scenario", "compare")
    outcomes = comparison["scenarios"]
    assert isinstance(outcomes, list)
    for outcome in outcomes:
        if outcome["status"] == "infeasible":  # said plainly, with why, and no zeros
            assert f"{outcome['name']} no selection fits – – –" in example.flat
            assert f"{outcome['name']}: no selection fits; these cannot hold together: " in example.flat
            assert "; ".join(outcome["conflicts"]) in example.flat
        else:
            assert f"{outcome['name']} {outcome['status']} {len(outcome['selected'])}" in example.flat
    feasible = [set(o["selected"]) for o in outcomes if o["status"] != "infeasible"]
    assert 0 < len(feasible) < len(outcomes)  # the example has a scenario in which nothing fits
    always = set.intersection(*feasible)
    sentence = (
        f"Of the {len(feasible)} scenarios with a feasible selection, {len(always)} items are recommended under all"
    )
    assert sentence in example.flat


def test_markdown_has_tables_mermaid_and_linked_chart_files(example: Pack) -> None:
    assert example.md.startswith("# Northbridge Bank")
    assert example.md.count("```mermaid") == 2
    assert "gantt" in example.md and "flowchart LR" in example.md
    for name in ("value-risk", "frontier", "capacity", "risks"):  # the roadmap and graph are drawn by Mermaid
        assert f"](board-pack-charts/{name}.svg)" in example.md
    for name in ("value-risk", "frontier", "capacity", "roadmap", "risks", "dependencies"):
        assert (example.folder / "board-pack-charts" / f"{name}.svg").read_text().startswith("<svg")
    assert "[Executive summary](#executive-summary)" in example.md
    lines = example.md.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("!["):
            assert lines[number - 1] == "" and lines[number + 1] == "", line  # a block of its own, not in a table
    assert example.md.count("```") % 2 == 0
    assert_tables_hold(example.md)
    portfolio = load_portfolio(EXAMPLE)
    stages = Counter(item.stage for item in portfolio.items.values())
    expected = ", ".join(f"{stage.name} {stages[stage.id]}" for stage in portfolio.stages if stages[stage.id])
    assert f"- Items by stage: {expected}\n" in example.md


def test_html_is_self_contained(example: Pack) -> None:
    assert example.html.count("<svg") >= 6
    assert "<script" not in example.html
    assert "src=" not in example.html  # nothing to fetch


def test_hostile_text_renders_as_text_in_every_format(write_tree: WriteTree, tmp_path: Path) -> None:
    root = write_tree(TINY)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["-p", str(root), "report", "-o", str(out), "--date", DATE])
    assert result.exit_code == 0, result.output
    pack = Pack(out)
    assert "<script" not in pack.html and "<img src=x" not in pack.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | **bold** {{ 7*7 }} {% if x %}" in pack.html
    assert "49" not in pack.flat
    assert "\\<script\\>alert(1)\\</script\\> \\| \\*\\*bold\\*\\*" in pack.md
    assert "\\[click\\](javascript:alert(1)) &#64;everyone" in pack.md  # no link, no mention
    assert_tables_hold(pack.md)
    assert pack.md.count("```") == 4  # the two Mermaid blocks; a title's backticks cannot close one
    gantt = pack.md[pack.md.index("```mermaid\ngantt") : pack.md.index("```", pack.md.index("gantt"))]
    assert "#60;script#62;alert#40;1#41;#60;/script#62;" in gantt  # entity codes, never markup
    assert HOSTILE in pack.flat  # the PDF shows the title as written
    assert LONG in pack.text.replace("\n", "")  # the long word wraps but is all there
    assert "</style><img src=x onerror=alert(1)>" in pack.flat


def assert_tables_hold(md: str) -> None:
    """No table row has more or fewer cells than its header: no pipe in the text opened a cell."""
    cells = 0
    for line in md.splitlines():
        count = line.count("|") - line.count("\\|")
        if not line.startswith("|"):
            cells = 0
        elif cells == 0:
            cells = count
        else:
            assert count == cells, line


def test_a_portfolio_template_overrides_the_built_in_one(write_tree: WriteTree, tmp_path: Path) -> None:
    files = dict(TINY)
    files["templates/board-pack.md.j2"] = (
        "# {{ portfolio.name }} for the board\n\nValue {{ pack.selection.value | number }}\n"
    )
    files["templates/board-pack.css"] = "@page { size: A5 portrait; } body { font-family: serif; }"
    root = write_tree(files)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["-p", str(root), "report", "-o", str(out), "-f", "md", "-f", "pdf"])
    assert result.exit_code == 0, result.output
    value = run("select", root=root)["value"]
    assert isinstance(value, float)
    assert (out / "board-pack.md").read_text() == f"# Tiny portfolio for the board\n\nValue {value:,.2f}\n"
    assert not (out / "board-pack.html").exists()
    reader = PdfReader(out / "board-pack.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5 portrait, in points


def test_a_template_that_extends_the_built_in_one_replaces_a_block(write_tree: WriteTree, tmp_path: Path) -> None:
    files = dict(TINY)
    files["templates/investment-board.html.j2"] = (
        '{% extends "board-pack.html.j2" %}{% block forum %}Investment Board – {{ pack.date }}{% endblock %}'
    )
    root = write_tree(files)
    out = tmp_path / "out"
    args = ["-p", str(root), "report", "--template", "investment-board", "-f", "pdf", "-o", str(out), "--date", DATE]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    cover = PdfReader(out / "investment-board.pdf").pages[0].extract_text()
    assert f"INVESTMENT BOARD – {DATE}" in cover  # the kicker is set in capitals
    assert "Tiny portfolio" in cover


def test_a_broken_template_is_one_line_and_writes_nothing(write_tree: WriteTree, tmp_path: Path) -> None:
    files = dict(TINY)
    files["templates/board-pack.html.j2"] = "<h1>{{ pack.portfolio.name }}</h1>\n<p>{{ pack.no_such_thing }}</p>\n"
    root = write_tree(files)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["-p", str(root), "report", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "board-pack.html.j2:2:" in result.stderr and "no_such_thing" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_changes_since_an_earlier_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    build_history(top)
    git(top, "checkout", "-q", "HEAD~3")  # the item e has just been added
    monkeypatch.chdir(top)
    result = CliRunner().invoke(app, ["report", "--since", "HEAD~1", "-o", "out", "-f", "md"])
    assert result.exit_code == 0, result.output
    md = (top / "out" / "board-pack.md").read_text()
    changes = md[md.index("## Changes since the last pack") : md.index("## Recommended portfolio")]
    assert "Since HEAD\\~1: **" in changes
    assert "| Item | e |" in changes and "| BusinessCase | e-case |" in changes
    assert "| e | enters |" in changes and "| b | leaves |" in changes
    assert "| 2027 | capex |" in changes


def test_usage_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    for args, expected in (
        (["--template", "../../etc/passwd"], "--template takes a name"),
        (["--date", "tomorrow"], "is not a date written YYYY-MM-DD"),
        (["--date", "9999-12-31"], "in the years 1900 to 2200"),
        (["--template", "nope"], "no template 'nope.md.j2'"),
    ):
        result = runner.invoke(app, ["-p", str(EXAMPLE), "report", "-o", str(tmp_path / "x"), *args])
        assert result.exit_code == 2, args
        assert expected in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_help_has_examples(runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    assert "pfm report -o pack/" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "pfm report" in (REPO / "README.md").read_text()


def test_the_charts_draw_the_figures_of_pfm_frontier_and_pfm_select() -> None:
    from pfm.reporting.pack import build_pack

    pack = build_pack(load_portfolio(EXAMPLE), None, provenance(EXAMPLE))
    assert pack.frontier is not None
    curve = run("frontier")
    points = curve["points"]
    assert isinstance(points, list)
    assert [(p.scale, p.cost, p.value) for p in pack.frontier.points] == [
        (p["budget_scale"], p["cost"], p["value"]) for p in points
    ]
    capacity = run("select")["capacity"]
    assert isinstance(capacity, dict)
    assert {
        team: {quarter: {"used": used, "available": available} for quarter, (used, available) in cells.items()}
        for team, cells in pack.selection.capacity.items()
    } == capacity


def test_the_cover_says_when_the_portfolio_differs_from_its_commit(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    sha = commit(top, "portfolio", {name: textwrap.dedent(text) for name, text in TINY.items()})

    def cover() -> str:
        result = CliRunner().invoke(app, ["-p", str(top), "report", "-o", str(top / "pack"), "-f", "pdf"])
        assert result.exit_code == 0, result.output
        return " ".join(PdfReader(top / "pack" / "board-pack.pdf").pages[0].extract_text().split())

    assert f"commit {sha[:12]} on main" in cover()
    assert "uncommitted" not in cover()  # the pack written into the folder last time does not count
    (top / "items" / "b.yaml").write_text((top / "items" / "b.yaml").read_text().replace("value: 3", "value: 4"))
    assert f"commit {sha[:12]} on main with uncommitted changes" in cover()


def test_what_a_cut_would_stop_equals_pfm_select_releasing_in_flight_work(tmp_path: Path) -> None:
    args = ["-s", "budget-cut-15", "--release-in-flight"]
    result = CliRunner().invoke(app, ["-p", str(EXAMPLE), "report", *args, "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "board-pack.md").read_text(encoding="utf-8")
    selection = run("select", *args)
    portfolio = load_portfolio(EXAMPLE)
    in_flight = {i.id for i in portfolio.items.values() if portfolio.stage_state(i) in ("approved", "active")}
    stopped = [e for e in selection["not_selected"] if e["id"] in in_flight]  # type: ignore[union-attr]
    assert stopped, "the example's 15 % cut stops in-flight work"
    assert f"- Approved or in-flight items to stop: **{len(stopped)}**" in md
    assert "mandatory work kept; approved and in-flight work may be stopped" in md
    table = md[md.index("### Approved and in-flight work to stop") : md.index("### Left out")]
    for entry in stopped:
        assert f"| {entry['id']} | " in table and "; ".join(entry["reasons"]) in table
    assert f"value {selection['value']:,.2f}" in md


def test_the_global_scenario_option_is_applied_once(tmp_path: Path) -> None:
    runner = CliRunner()
    for place, args in (("global", ["-s", "budget-cut-15", "report"]), ("command", ["report", "-s", "budget-cut-15"])):
        result = runner.invoke(
            app, ["-p", str(EXAMPLE), *args, "--release-in-flight", "-f", "md", "-o", str(tmp_path / place)]
        )
        assert result.exit_code == 0, result.output
    packs = [(tmp_path / place / "board-pack.md").read_text(encoding="utf-8") for place in ("global", "command")]
    assert packs[0] == packs[1]
    budget = run("select", "-s", "budget-cut-15", "--release-in-flight")["budget"]
    assert isinstance(budget, dict)
    available = budget["2027"]["capex"]["available"]
    assert "| 2027 | capex | " in packs[0] and f"| {available:,.0f} |" in packs[0]  # 85 % of the budget, not 72 %
    compared = run("scenario", "compare")
    globally = CliRunner().invoke(app, ["-p", str(EXAMPLE), "-s", "budget-cut-15", "scenario", "compare", "-f", "json"])
    assert json.loads(globally.stdout)["scenarios"] == compared["scenarios"]
