"""`pfm deps`, `pfm capacity` and `pfm roadmap` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE, PORTFOLIO, REPO, WriteTree

CASES = REPO / "tests" / "cases"


def test_deps_check_reports_each_cycle_once_with_every_edge(runner: CliRunner) -> None:
    result = runner.invoke(app, ["-p", str(CASES / "deps-cycle-of-five" / "portfolio"), "deps", "check", "-f", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["cycles"] == [["p1", "p2", "p3", "p4", "p5"]]
    assert [(f["file"], f["line"]) for f in payload["findings"]] == [(f"items/p{n}.yaml", 9) for n in range(1, 6)]


def test_deps_check_fails_on_a_date_conflict_and_passes_the_example(runner: CliRunner) -> None:
    conflict = runner.invoke(app, ["-p", str(CASES / "deps-date-conflict" / "portfolio"), "deps", "check"])
    assert conflict.exit_code == 1
    assert (
        "items/app.yaml:11:5: error [deps.date-conflict] app starts 2027-Q3 but its prerequisite platform"
        in conflict.stdout
    )
    clean = runner.invoke(app, ["-p", str(EXAMPLE), "deps", "check"])
    assert clean.exit_code == 0
    assert clean.stdout.endswith("0 cycles, 0 date conflicts among 36 items\n")


def test_deps_graph_mermaid_clusters_programmes_and_escapes_titles(runner: CliRunner, write_tree: WriteTree) -> None:
    hostile = 'A: "B" <script>#1; end'
    programme = "apiVersion: pfm/v1\nkind: Item\nid: prog\ntitle: Prog\ntype: programme\nstage: idea\n"
    child = f"apiVersion: pfm/v1\nkind: Item\nid: child\ntitle: '{hostile}'\ntype: project\nstage: idea\nparent: prog\nduration: 2\nscores: {{value: 3, risk: 2}}\n"
    after = "apiVersion: pfm/v1\nkind: Item\nid: after\ntitle: After\ntype: project\nstage: idea\nduration: 1\nscores: {value: 3, risk: 2}\ndepends_on: [child]\n"
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/prog.yaml": programme,
            "items/child.yaml": child,
            "items/after.yaml": after,
        }
    )
    text = runner.invoke(app, ["-p", str(root), "deps", "graph"]).stdout
    assert text.startswith("flowchart LR\n")
    assert "<script>" not in text and '"B"' not in text
    assert "#60;script#62;" in text
    assert "subgraph g" in text and "  end\n" in text
    assert "linkStyle" in text  # child -> after is the critical path
    dot = runner.invoke(app, ["-p", str(root), "deps", "graph", "-f", "dot"]).stdout
    assert '\\"B\\"' in dot and dot.startswith("digraph portfolio {")


def test_deps_path_and_order_on_the_example(runner: CliRunner) -> None:
    path = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "deps", "path", "-f", "json"]).stdout)
    assert path["duration"] > 0
    assert path["critical_path"]
    timings = {item["id"]: item for item in path["items"]}
    assert all(timings[ident]["float"] == 0 for ident in path["critical_path"])
    order = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "deps", "order", "-f", "json"]).stdout)
    position = {ident: n for n, layer in enumerate(order["layers"]) for ident in layer}
    assert position["core-ledger-phase2"] > position["core-ledger-phase1"]  # lending waits for deposits


def test_deps_impact_lists_what_moves(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["-p", str(EXAMPLE), "deps", "impact", "core-ledger-phase1", "--slip", "2", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    moved = {entry["id"]: entry["moves_by"] for entry in payload["items"]}
    assert moved["core-ledger-phase2"] == 2  # on the critical path: no float to absorb the slip
    assert all(0 <= periods <= 2 for periods in moved.values())
    unknown = runner.invoke(app, ["-p", str(EXAMPLE), "deps", "impact", "core-ledger-phase"])
    assert unknown.exit_code == 2
    assert "did you mean 'core-ledger-phase" in unknown.stderr


def test_capacity_counts_committed_work_by_default_and_the_pipeline_with_all(runner: CliRunner) -> None:
    committed = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "capacity", "-f", "json"]).stdout)
    pipeline = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "capacity", "--all", "-f", "json"]).stdout)
    assert {team["id"] for team in committed["teams"]} == {team["id"] for team in pipeline["teams"]}
    assert len(pipeline["over_allocated"]) > len(committed["over_allocated"])
    cell = pipeline["over_allocated"][0]
    assert cell["demand"] > cell["capacity"]
    assert sum(entry["demand"] for entry in cell["items"]) == cell["demand"]


def test_roadmap_names_why_something_moved(runner: CliRunner) -> None:
    payload = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "roadmap", "-f", "json"]).stdout)
    delayed = [entry for entry in payload["items"] if entry["delay"]]
    assert delayed
    assert all(entry["reason"] for entry in delayed)
    gantt = runner.invoke(app, ["-p", str(EXAMPLE), "roadmap", "-f", "mermaid"]).stdout
    assert gantt.startswith("gantt")


def test_demand_on_a_team_with_no_capacity_is_over_allocated_and_its_utilisation_null(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A team disbanded for a quarter (capacity 0) still carries demand: over, with no utilisation to print."""
    import csv
    import io
    import shutil

    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    team = root / "teams" / "payments-eng.yaml"
    team.write_text(team.read_text(encoding="utf-8").replace("capacity: 9", "capacity: 0"), encoding="utf-8")
    result = runner.invoke(app, ["-p", str(root), "capacity", "--all", "-f", "json"])
    assert result.exit_code == 0, result.output
    cells = [
        cell for team in json.loads(result.stdout)["teams"] if team["id"] == "payments-eng" for cell in team["periods"]
    ]
    loaded = [cell for cell in cells if cell["demand"] > 0]
    assert loaded and all(cell["utilisation"] is None and cell["over"] for cell in loaded)
    rows = list(
        csv.DictReader(
            io.StringIO(runner.invoke(app, ["-p", str(root), "capacity", "--all", "-f", "csv"]).stdout.lstrip("\ufeff"))
        )
    )
    assert {row["utilisation"] for row in rows if row["team"] == "payments-eng" and float(row["demand"]) > 0} == {""}
    table = runner.invoke(app, ["-p", str(root), "capacity", "--all"])
    assert table.exit_code == 0 and "∞" in table.stdout
