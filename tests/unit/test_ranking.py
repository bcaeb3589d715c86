"""Rankings: order, ties, dependency inversions, and Monte Carlo stability."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pfm import load_portfolio
from pfm.analysis.ranking import measure_stability as sensitivity
from pfm.analysis.ranking import rank
from pfm.errors import UsageError
from pfm.io.loading import parse_documents
from pfm.validation.building import build_portfolio
from tests.helpers import PORTFOLIO, WriteTree

STAGES = PORTFOLIO.replace("stages:\n", "stages:\n  - {id: done, state: closed}\n")


def scored(ident: str, value: int, risk: int, extra: str = "") -> str:
    return f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: {ident.upper()}\ntype: project\nstage: idea\nscores: {{value: {value}, risk: {risk}}}\n{extra}"


def test_higher_scores_first_and_ties_go_mandatory_first_then_by_id(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": STAGES,
            "items/b.yaml": scored("b", 4, 2),
            "items/a.yaml": scored("a", 4, 2),
            "items/c.yaml": scored("c", 4, 2, "mandatory: true\n"),
            "items/d.yaml": scored("d", 5, 1),
            "items/old.yaml": scored("old", 5, 1).replace("stage: idea", "stage: done"),
            "items/p.yaml": "apiVersion: pfm/v1\nkind: Item\nid: p\ntitle: P\ntype: programme\nstage: idea\n",
        }
    )
    ranking = rank(load_portfolio(root))
    assert [(r.rank, r.id, r.tie) for r in ranking.items] == [
        (1, "d", False),
        (2, "c", True),
        (3, "a", True),
        (4, "b", True),
    ]


def test_an_item_ranked_above_its_prerequisite_is_warned(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": STAGES,
            "items/app.yaml": scored("app", 5, 1, "depends_on: [platform]\n"),
            "items/platform.yaml": scored("platform", 2, 4),
        }
    )
    assert rank(load_portfolio(root)).warnings == ("app (rank 1) depends on platform, which ranks lower (2)",)


def test_stage_and_tag_filters(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": STAGES,
            "items/a.yaml": scored("a", 5, 1, "tags: [payments]\n"),
            "items/b.yaml": scored("b", 3, 1),
        }
    )
    portfolio = load_portfolio(root)
    assert [r.id for r in rank(portfolio, tags=["payments"]).items] == ["a"]
    assert [r.id for r in rank(portfolio, stages=["approved"]).items] == []


def test_sensitivity_is_certain_for_a_dominant_item_and_reproducible(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": STAGES,
            "items/a.yaml": scored("a", 5, 1),
            "items/b.yaml": scored("b", 4, 2),
            "items/c.yaml": scored("c", 1, 5),
        }
    )
    portfolio = load_portfolio(root)
    ranking = rank(portfolio)
    first = sensitivity(portfolio, ranking, draws=500, top=1)
    assert [(s.id, s.top_probability, s.rank_p5, s.rank_p95) for s in first] == [
        ("a", 1.0, 1.0, 1.0),
        ("b", 0.0, 2.0, 2.0),
        ("c", 0.0, 3.0, 3.0),
    ]
    assert sensitivity(portfolio, ranking, draws=500, top=1) == first


def test_sensitivity_moves_items_whose_order_depends_on_the_weights(write_tree: WriteTree) -> None:
    # a is best on value, b on risk: which wins depends on the weights, so neither is certain.
    root = write_tree(
        {
            "portfolio.yaml": STAGES.replace("weight: 2", "weight: 1"),
            "items/a.yaml": scored("a", 5, 5),
            "items/b.yaml": scored("b", 1, 1),
        }
    )
    portfolio = load_portfolio(root)
    stable = {s.id: s for s in sensitivity(portfolio, rank(portfolio), draws=2000, top=1)}
    assert 0.2 < stable["a"].top_probability < 0.8
    assert stable["a"].top_probability + stable["b"].top_probability == pytest.approx(1.0)


def test_sensitivity_needs_weights_or_estimates(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": STAGES,
            "items/a.yaml": scored(
                "a", 5, 1, "wsjf: {business_value: 1, time_criticality: 1, risk_reduction: 1, job_size: 1}\n"
            ),
        }
    )
    portfolio = load_portfolio(root)
    with pytest.raises(UsageError, match="weighted or npv"):
        sensitivity(portfolio, rank(portfolio, "wsjf"), draws=10, top=1)


def _portfolio_from(texts: list[str]) -> object:
    documents = [d for n, text in enumerate(texts) for d in parse_documents(text, f"items/{n}.yaml").documents]
    documents += list(parse_documents(STAGES, "portfolio.yaml").documents)
    return build_portfolio(Path(), documents)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.booleans()), min_size=1, max_size=25), st.randoms())
def test_a_ranking_is_a_deterministic_permutation_whatever_the_file_order(
    rows: list[tuple[int, int, bool]], shuffler: object
) -> None:
    texts = [
        scored(f"i{n:02d}", value, risk, "mandatory: true\n" if must else "")
        for n, (value, risk, must) in enumerate(rows)
    ]
    ranking = rank(_portfolio_from(texts))  # type: ignore[arg-type]
    ids = [r.id for r in ranking.items]
    assert sorted(ids) == sorted(f"i{n:02d}" for n in range(len(rows)))
    assert [r.rank for r in ranking.items] == list(range(1, len(rows) + 1))
    shuffled = list(texts)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    assert [r.id for r in rank(_portfolio_from(shuffled)).items] == ids  # type: ignore[arg-type]
    scores = [r.score for r in ranking.items]
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(scores))  # type: ignore[operator]
