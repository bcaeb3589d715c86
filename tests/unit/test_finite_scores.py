"""Every scoring method's result is a finite number or no score with a reason and a finding.

WSJF per the Scaled Agile Framework ("Weighted Shortest Job First"): (8 + 5 + 3) / 8 = 2.
RICE per Intercom's published example (McBride, 2016): 500 x 2 x 0.8 / 2 = 400.
"""

from __future__ import annotations

import pytest

from pfm import load_portfolio
from pfm.analysis.ranking import rank
from pfm.analysis.scoring import score
from pfm.reporting.tables import Kind, format_cell
from pfm.selection.optimise import select_portfolio
from tests.helpers import PORTFOLIO, WriteTree, item

GOOD = "wsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 8}\n"
GOOD += "rice: {reach: 500, impact: 2, confidence: 0.8, effort: 2}\n"
TINY = "wsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 1e-320}\n"
TINY += "rice: {reach: 500, impact: 2, confidence: 0.8, effort: 1e-320}\n"


@pytest.fixture
def root(write_tree: WriteTree) -> object:
    return write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", GOOD), "items/b.yaml": item("b", TINY)})


@pytest.mark.parametrize(("method", "published", "line"), [("wsjf", 2.0, 8), ("rice", 400.0, 9)])
def test_a_score_that_overflows_is_none_with_a_finding_at_the_inputs(
    root: object, method: str, published: float, line: int
) -> None:
    scores = score(load_portfolio(root), method)  # type: ignore[arg-type]

    by_id = {s.id: s for s in scores.items}
    assert by_id["a"].score == pytest.approx(published)
    assert (by_id["b"].score, by_id["b"].missing) == (None, ())
    assert "1e-320" in by_id["b"].invalid
    assert scores.values() == {"a": pytest.approx(published)}
    assert scores.unscored() == {"b": by_id["b"].invalid}
    [finding] = scores.findings
    assert (finding.rule, finding.severity, finding.file, finding.line, finding.column) == (
        "score.not-finite",
        "warning",
        "items/b.yaml",
        line,
        1,
    )


def test_rank_leaves_the_unscored_item_unranked_and_carries_the_finding(root: object) -> None:
    ranking = rank(load_portfolio(root), "rice")

    assert [(r.id, r.score) for r in ranking.items] == [("a", pytest.approx(400.0))]
    assert [u.id for u in ranking.unranked] == ["b"]
    assert "not a usable number" in ranking.unranked[0].reason
    assert [f.rule for f in ranking.findings] == ["score.not-finite"]


def test_selection_gives_the_reason_for_the_unscored_item(root: object) -> None:
    portfolio = load_portfolio(root)
    scores = score(portfolio, "wsjf")

    chosen = select_portfolio(portfolio, scores.values(), entry_prices=0, unscored=scores.unscored())
    assert (chosen.status, chosen.selected, chosen.value) == ("optimal", ("a",), pytest.approx(2.0))
    [left] = chosen.not_selected
    assert left.reasons == (f"no value: {scores.unscored()['b']}",)


def test_a_missing_input_stays_missing_not_a_finding(write_tree: WriteTree) -> None:
    with_formula = PORTFOLIO.replace("stages:", '  formula: "log(value - 3) + risk"\nstages:')
    root = write_tree(
        {
            "portfolio.yaml": with_formula,
            "items/a.yaml": item("a").replace("{value: 3, risk: 2}", "{value: 2}"),  # risk missing
            "items/b.yaml": item("b").replace("{value: 3, risk: 2}", "{value: 2, risk: 1}"),  # log(-1)
        }
    )
    scores = score(load_portfolio(root), "formula")

    by_id = {s.id: s for s in scores.items}
    assert (by_id["a"].score, by_id["a"].missing, by_id["a"].invalid) == (None, ("risk",), "")
    assert by_id["b"].score is None
    assert "undefined" in by_id["b"].invalid
    assert [f.file for f in scores.findings] == ["items/b.yaml"]


@pytest.mark.parametrize(
    ("cell", "kind", "shown"),
    [(float("inf"), Kind.NUMBER, "n/a"), (float("nan"), Kind.MONEY, "n/a"), (1e308, Kind.NUMBER, "1e+308")],
)
def test_figures_beyond_any_portfolio_never_print_as_inf_nan_or_hundreds_of_digits(
    cell: float, kind: Kind, shown: str
) -> None:
    assert format_cell(cell, kind) == shown


def test_small_figures_keep_their_digits() -> None:
    assert (format_cell(1e-320, Kind.NUMBER), format_cell(0.004, Kind.NUMBER), format_cell(0.5, Kind.NUMBER)) == (
        "1e-320",
        "0.004",
        "0.50",
    )


@pytest.mark.parametrize(("reach", "usable"), [("2.5e14", True), ("1e300", False)])
def test_a_finite_score_beyond_any_real_scale_is_refused_too(write_tree: WriteTree, reach: str, usable: bool) -> None:
    # RICE 4 x reach x 1 / 1: 1e15 is within the bound, 4e300 is not (two such would add up to infinity).
    rice = f"rice: {{reach: {reach}, impact: 4, confidence: 1, effort: 1}}\n"
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", rice)})
    [entry] = score(load_portfolio(root), "rice").items

    assert (entry.score is not None) is usable
    assert ("beyond ±1e+15" in entry.invalid) is not usable


def test_a_formula_resting_on_an_infinite_input_is_refused_even_when_it_comes_out_finite(
    write_tree: WriteTree,
) -> None:
    with_formula = PORTFOLIO.replace("stages:", '  formula: "min(wsjf, 10)"\nstages:')
    root = write_tree(
        {"portfolio.yaml": with_formula, "items/a.yaml": item("a", GOOD), "items/b.yaml": item("b", TINY)}
    )
    scores = score(load_portfolio(root), "formula")

    by_id = {s.id: s for s in scores.items}
    assert by_id["a"].score == pytest.approx(2.0)
    assert (by_id["b"].score, "rests on an input that is not a finite number" in by_id["b"].invalid) == (None, True)
