"""`pfm score`, `pfm score --explain` and `pfm rank` print exactly what the library returns, and the results' rows."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import pfm
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, cli_json

ITEM = "crm-salesforce"


def _data(result: pfm.Scores | pfm.Explanation | pfm.Ranking) -> object:
    return json.loads(to_json(result.to_dict()))


@pytest.mark.parametrize("method", ["weighted", "wsjf", "rice", "npv"])
def test_score_json_is_the_library_scores(runner: CliRunner, method: str) -> None:
    expected = _data(pfm.score(pfm.load_portfolio(EXAMPLE), method))  # type: ignore[arg-type]
    assert cli_json(runner, "score", "-m", method) == expected


@pytest.mark.parametrize("method", ["weighted", "wsjf"])
def test_score_explain_json_is_the_library_explanation(runner: CliRunner, method: str) -> None:
    expected = _data(pfm.explain(pfm.load_portfolio(EXAMPLE), ITEM, method))  # type: ignore[arg-type]
    assert cli_json(runner, "score", "--explain", ITEM, "-m", method) == expected


@pytest.mark.parametrize(
    ("args", "options"),
    [
        ((), {}),
        (("--top", "5", "--sensitivity", "200", "--seed", "3"), {"top": 5, "sensitivity": 200, "seed": 3}),
        (("-m", "npv", "--sensitivity", "100"), {"method": "npv", "sensitivity": 100}),
        (("--tag", "payments", "--stage", "approved"), {"tags": ["payments"], "stages": ["approved"]}),
    ],
)
def test_rank_json_is_the_library_ranking(runner: CliRunner, args: tuple[str, ...], options: dict[str, object]) -> None:
    expected = _data(pfm.rank(pfm.load_portfolio(EXAMPLE), **options))  # type: ignore[arg-type]
    assert cli_json(runner, "rank", *args) == expected


def test_an_unknown_stage_is_a_library_usage_error() -> None:
    from pfm.errors import UsageError

    with pytest.raises(UsageError, match="unknown stage approvd"):
        pfm.rank(pfm.load_portfolio(EXAMPLE), stages=["approvd"])


def test_scores_as_a_frame_have_a_row_per_item_highest_first() -> None:
    scores = pfm.score(pfm.load_portfolio(EXAMPLE))
    frame = scores.to_frame()
    assert list(frame.columns) == ["id", "title", "score", *scores.parts]
    assert list(frame["id"]) == [item["id"] for item in scores.to_dict()["items"]]
    assert frame["score"].is_monotonic_decreasing


def test_an_explanation_as_a_frame_has_a_row_per_criterion() -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    explanation = pfm.explain(portfolio, ITEM)
    frame = explanation.to_frame()
    assert list(frame.columns) == ["criterion", "value", "scale_min", "scale_max", "direction", "weight", "points"]
    assert portfolio.scoring is not None
    assert list(frame["criterion"]) == [c.name for c in portfolio.scoring.criteria]
    assert frame["points"].sum() == pytest.approx(explanation.item.score)


def test_a_ranking_as_a_frame_has_the_items_shown_and_their_stability() -> None:
    frame = pfm.rank(pfm.load_portfolio(EXAMPLE), top=5, sensitivity=50).to_frame()
    assert list(frame.columns) == [
        "rank",
        "id",
        "title",
        "score",
        "tie",
        "top_probability",
        "rank_p5",
        "rank_median",
        "rank_p95",
    ]
    assert list(frame["rank"]) == [1, 2, 3, 4, 5]
