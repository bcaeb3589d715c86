"""Scores and money that are not finite numbers: a finding naming the item, the item left out, the rest right.

Reference values: WSJF = (user-business value + time criticality + risk reduction / opportunity
enablement) / job size, Scaled Agile Framework, "Weighted Shortest Job First"
(https://scaledagileframework.com/wsjf/). RICE = reach x impact x confidence / effort, Sean McBride,
"RICE: Simple prioritization for product managers", Intercom blog, 2016.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import WriteTree, commit, git

PORTFOLIO = """\
apiVersion: pfm/v1
kind: Portfolio
id: test
name: Test portfolio
currency: GBP
periods: {first: 2027-Q1, last: 2028-Q4}
finance: {discount_rate: 0.1, base_year: 2027}
budget:
  2027: {total: 1000}
scoring:
  criteria:
    - {id: value, name: Value, scale: {min: 1, max: 5}, weight: 1}
  formula: "FORMULA"
stages:
  - {id: idea, state: proposed}
"""

# a: WSJF (8 + 5 + 3) / 4 = 4, RICE 500 x 2 x 0.8 / 2 = 400; c: WSJF (5 + 2 + 1) / 8 = 1, RICE 100 x 1 x 0.5 / 1 = 50;
# d: WSJF (1 + 1 + 1) / 6 = 0.5.
ITEMS = {
    "a": "value: 5}\nwsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 4}\n"
    "rice: {reach: 500, impact: 2, confidence: 0.8, effort: 2}\n",
    "b": "value: 4}\nwsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 1e-320}\n"
    "rice: {reach: 500, impact: 2, confidence: 0.8, effort: 1e-320}\n",
    "c": "value: 3}\nwsjf: {business_value: 5, time_criticality: 2, risk_reduction: 1, job_size: 8}\n"
    "rice: {reach: 100, impact: 1, confidence: 0.5, effort: 1}\n",
    "d": "value: 2}\nwsjf: {business_value: 1, time_criticality: 1, risk_reduction: 1, job_size: 6}\n"
    "rice: {reach: 1e308, impact: 2, confidence: 1, effort: 1}\n",
}


def case(ident: str, capex: str = "400") -> str:
    return f"apiVersion: pfm/v1\nkind: BusinessCase\nid: {ident}-case\nitem: {ident}\ncosts:\n  - {{year: 2027, capex: {capex}}}\nbenefits:\n  - {{year: 2028, amount: 600}}\n"


def portfolio(write_tree: WriteTree, formula: str = "value", **capex: str) -> Path:
    files = {"portfolio.yaml": PORTFOLIO.replace("FORMULA", formula)}
    for ident, rest in ITEMS.items():
        files[f"items/{ident}.yaml"] = (
            f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: {ident}\ntype: project\nstage: idea\nscores: {{{rest}"
        )
        files[f"business-cases/{ident}-case.yaml"] = case(ident, capex.get(ident, "400"))
    return write_tree(files)


def strict_json(text: str) -> Any:
    """JSON as the standard defines it: NaN and Infinity are not numbers there."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def shows_no_inf_or_nan(text: str) -> bool:
    return re.search(r"\b(-?inf|nan)\b", text, flags=re.IGNORECASE) is None


def run(runner: CliRunner, root: Path, *args: str) -> Result:
    result = runner.invoke(app, ["-p", str(root), *args])
    assert result.exit_code != 3, result.output
    return result


def ranked(result: Result) -> dict[str, float | None]:
    """Each ranked item's score in rank order, then the items without a score (not ranked) as None."""
    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    return {entry["id"]: entry["score"] for entry in data["items"]} | dict.fromkeys(u["id"] for u in data["unranked"])


# Which items each method cannot score, and the scores of the others.
METHODS = {
    "wsjf": ({"b": "items/b.yaml:8:1"}, {"a": 4.0, "c": 1.0, "d": 0.5}),
    "rice": ({"b": "items/b.yaml:9:1", "d": "items/d.yaml:9:1"}, {"a": 400.0, "c": 50.0}),
}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_rank_leaves_out_an_item_whose_score_overflows_and_ranks_the_rest(
    runner: CliRunner, write_tree: WriteTree, method: str
) -> None:
    bad, good = METHODS[method]
    result = run(runner, portfolio(write_tree), "rank", "-m", method, "-f", "json")

    scores = ranked(result)
    assert {k: v for k, v in scores.items() if v is not None} == pytest.approx(good)
    assert [k for k, v in scores.items() if v is None] == sorted(bad)
    assert list(scores)[: len(good)] == sorted(good, key=lambda k: (-good[k], k))
    findings = strict_json(result.stdout)["findings"]
    assert {f"{f['file']}:{f['line']}:{f['column']}" for f in findings} == set(bad.values())
    assert {f["rule"] for f in findings} == {"score.not-finite"}
    for where in bad.values():
        assert f"{where}: warning [score.not-finite]" in result.stderr


def test_rank_orders_huge_finite_scores_without_overflow(runner: CliRunner, write_tree: WriteTree) -> None:
    root = portfolio(write_tree)
    for ident, reach in (("a", "1e300"), ("c", "1e14")):
        path = root / f"items/{ident}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("rice: {reach: 500,", f"rice: {{reach: {reach},").replace(
                "rice: {reach: 100,", f"rice: {{reach: {reach},"
            ),
            encoding="utf-8",
        )
    scores = ranked(run(runner, root, "rank", "-m", "rice", "-f", "json"))

    assert scores == {"c": pytest.approx(5e13), "a": None, "b": None, "d": None}


def test_the_finding_names_the_item_and_its_inputs(runner: CliRunner, write_tree: WriteTree) -> None:
    result = run(runner, portfolio(write_tree), "score", "-m", "wsjf")

    assert result.exit_code == 0
    line = next(line for line in result.stderr.splitlines() if "score.not-finite" in line)
    assert line.startswith("items/b.yaml:8:1: warning [score.not-finite] b: ")
    assert "job_size=1e-320" in line
    assert shows_no_inf_or_nan(result.stdout)
    data = strict_json(run(runner, portfolio(write_tree), "score", "-m", "wsjf", "-f", "json").stdout)
    [b] = [entry for entry in data["items"] if entry["id"] == "b"]
    assert (b["score"], b["contributions"]) == (None, {})


@pytest.mark.parametrize(
    ("formula", "bad", "good"),
    [
        ("1 / (value - 4)", {"b"}, {"a": 1.0, "c": -1.0, "d": -0.5}),  # b: 1 / 0
        ("log(value - 3)", {"c", "d"}, {"a": math.log(2), "b": 0.0}),  # c: log 0 = -inf, d: log of a negative
        ("exp(value * 400) / exp(value * 400)", {"a", "b", "c", "d"}, {}),  # inf / inf on every item
    ],
)
def test_a_formula_that_divides_by_zero_or_leaves_its_domain_is_a_finding_per_item(
    runner: CliRunner, write_tree: WriteTree, formula: str, bad: set[str], good: dict[str, float]
) -> None:
    result = run(runner, portfolio(write_tree, formula), "rank", "-m", "formula", "-f", "json")

    scores = ranked(result)
    assert {k for k, v in scores.items() if v is None} == bad
    assert {k: v for k, v in scores.items() if v is not None} == pytest.approx(good)
    assert {f["message"].split(":")[0] for f in strict_json(result.stdout)["findings"]} == bad


def test_explain_shows_why_the_item_has_no_score(runner: CliRunner, write_tree: WriteTree) -> None:
    result = run(runner, portfolio(write_tree), "score", "-m", "rice", "--explain", "b")

    assert result.exit_code == 0
    assert shows_no_inf_or_nan(result.stdout)
    assert "items/b.yaml:9:1: warning [score.not-finite]" in result.stderr


@pytest.mark.parametrize("method", sorted(METHODS))
def test_select_leaves_out_the_item_without_a_finite_score_and_chooses_the_best_of_the_rest(
    runner: CliRunner, write_tree: WriteTree, method: str
) -> None:
    bad, good = METHODS[method]
    result = run(runner, portfolio(write_tree), "select", "--objective", method, "-f", "json")

    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    best_two = sorted(good, key=lambda k: (-good[k], k))[:2]  # the budget holds two items of 400
    assert (data["status"], sorted(data["selected"])) == ("optimal", sorted(best_two))
    assert data["value"] == pytest.approx(sum(good[k] for k in best_two))
    reasons = {entry["id"]: entry["reasons"] for entry in data["not_selected"]}
    for ident in bad:
        assert any("not a usable number" in reason for reason in reasons[ident])
    assert {f["file"] for f in data["findings"]} == {f"items/{k}.yaml" for k in bad}


def test_frontier_values_stay_finite(runner: CliRunner, write_tree: WriteTree) -> None:
    result = run(runner, portfolio(write_tree), "frontier", "--objective", "rice", "--points", "3", "-f", "json")

    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    assert data["selection"]["value"] == pytest.approx(450.0)
    assert [point["value"] for point in data["points"]][-1] == pytest.approx(450.0)
    assert "items/d.yaml:9:1: warning [score.not-finite]" in result.stderr


def test_rank_sensitivity_at_the_bounds_of_money_and_estimates_stays_finite(
    runner: CliRunner, write_tree: WriteTree
) -> None:
    root = portfolio(write_tree, c="1e15")
    case_file = root / "business-cases/c-case.yaml"
    estimates = "estimates:\n  costs: {low: 0, high: 100}\n  benefits: {low: 0, high: 100}\n"
    case_file.write_text(case_file.read_text(encoding="utf-8") + estimates, encoding="utf-8")
    result = run(runner, root, "rank", "-m", "npv", "--sensitivity", "200", "-f", "json")

    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    assert [entry["id"] for entry in data["items"]][-1] == "c"  # NPV about -1e15
    assert all("stability" in entry for entry in data["items"])


@pytest.mark.parametrize(
    "command", [["finance"], ["rank", "-m", "npv"], ["select", "--objective", "npv"], ["validate"]]
)
def test_a_money_amount_beyond_the_bound_is_a_finding_at_its_line(
    runner: CliRunner, write_tree: WriteTree, command: list[str]
) -> None:
    result = run(runner, portfolio(write_tree, c="1e308"), *command)

    assert result.exit_code == 1
    assert "business-cases/c-case.yaml:6:25" in result.output
    assert shows_no_inf_or_nan(result.stdout)


def test_a_money_amount_at_the_bound_is_accepted_and_exact(runner: CliRunner, write_tree: WriteTree) -> None:
    result = run(runner, portfolio(write_tree, c="1e15"), "finance", "c", "-f", "json")

    assert result.exit_code == 0, result.output
    [entry] = strict_json(result.stdout)["items"]
    assert entry["npv"] == pytest.approx(600 / 1.1 - 1e15, rel=1e-15)


def test_finance_ratios_of_a_vanishing_cost_are_not_available_with_the_reason(
    runner: CliRunner, write_tree: WriteTree
) -> None:
    root = portfolio(write_tree, c="1e-320")

    data = strict_json(run(runner, root, "finance", "c", "-f", "json").stdout)
    [entry] = data["items"]
    assert (entry["roi"], entry["simple_roi"], entry["mirr"]) == (None, None, None)
    assert set(entry["not_available"]) == {"roi", "simple_roi", "mirr"}
    table = run(runner, root, "finance", "c")
    assert table.exit_code == 0
    assert "n/a" in table.stdout and shows_no_inf_or_nan(table.stdout)
    assert "ROI n/a" in table.stderr


def test_scenario_compare_leaves_out_the_unscored_items(runner: CliRunner, write_tree: WriteTree) -> None:
    root = portfolio(write_tree)
    (root / "scenarios").mkdir()
    (root / "scenarios/cut.yaml").write_text(
        "apiVersion: pfm/v1\nkind: Scenario\nid: cut\ntitle: Cut\nbudget_scale: 0.5\n", encoding="utf-8"
    )
    result = run(runner, root, "scenario", "compare", "base", "cut", "--objective", "wsjf", "-f", "json")

    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    selected = {outcome["name"]: sorted(outcome["selected"]) for outcome in data["scenarios"]}
    assert selected == {"base": ["a", "c"], "cut": ["a"]}
    assert "items/b.yaml:8:1: warning [score.not-finite]" in result.stderr


def test_diff_compares_scores_without_the_unscored_items(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    base = portfolio(lambda files: _write(top, files))
    commit(top, "base", {})
    (base / "items/c.yaml").write_text(
        (base / "items/c.yaml").read_text(encoding="utf-8").replace("job_size: 8", "job_size: 1e-320"),
        encoding="utf-8",
    )
    monkeypatch.chdir(top)
    result = runner.invoke(app, ["diff", "HEAD", "--method", "wsjf", "-f", "json"])

    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    assert any(note.startswith("items/c.yaml:8:1: c: the wsjf score is not a usable number") for note in data["notes"])
    moves = {move["id"]: move for move in data["ranks"]["items"]}
    assert (moves["c"]["old_score"], moves["c"]["new_score"]) == (1.0, None)
    assert shows_no_inf_or_nan(result.stdout)


def _write(top: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(text, encoding="utf-8")
    return top


def test_report_leaves_out_the_unscored_items(runner: CliRunner, write_tree: WriteTree, tmp_path: Path) -> None:
    root = portfolio(write_tree)
    out = tmp_path / "pack"
    result = run(runner, root, "report", "--objective", "rice", "-o", str(out), "-f", "md", "--date", "2027-01-15")

    assert result.exit_code == 0, result.output
    text = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert shows_no_inf_or_nan(text)
    assert "items/d.yaml:9:1: warning [score.not-finite]" in result.stderr
