"""Rank stability drawn in batches: the same answer whatever the batch size, memory that does not grow with the draws."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from pfm.analysis.ranking import measure_stability as sensitivity
from pfm.analysis.ranking import rank, rank_percentiles
from pfm.defaults import SENSITIVITY_MAX_DRAWS
from pfm.errors import UsageError
from pfm.model import Portfolio
from pfm.validation.load import load_portfolio
from tests.helpers import EXAMPLE, PORTFOLIO, WriteTree


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return load_portfolio(EXAMPLE)


@pytest.mark.parametrize("method", ["weighted", "npv"])
def test_the_same_seed_gives_the_same_result_whatever_the_batch_size(example: Portfolio, method: str) -> None:
    ranking = rank(example, method)  # type: ignore[arg-type]
    results = [sensitivity(example, ranking, 1500, 5, seed=7, batch=size) for size in (1, 7, 256, 1500, None)]
    assert all(result == results[0] for result in results[1:])
    # and the draws do vary: some item is neither always nor never in the top 5
    assert any(0 < s.top_probability < 1 for s in results[0])


def test_another_seed_gives_other_draws(example: Portfolio) -> None:
    ranking = rank(example)
    assert sensitivity(example, ranking, 1500, 5, seed=1) != sensitivity(example, ranking, 1500, 5, seed=2)


def test_percentiles_read_off_the_counts_are_numpys() -> None:
    generator = np.random.default_rng(3)
    for draws in (1, 2, 19, 20, 21, 1000):
        ranks = np.stack([generator.permutation(12) + 1 for _ in range(draws)])  # [draw, item]
        counts = np.zeros((12, 12), dtype=np.uint16)
        for row in ranks:
            counts[np.arange(12), row - 1] += 1
        quantiles = (0.05, 0.5, 0.95)
        expected = np.percentile(ranks, [100 * q for q in quantiles], axis=0)
        assert rank_percentiles(counts, draws, quantiles) == pytest.approx(expected, abs=1e-9)


def test_progress_is_reported_after_each_batch(example: Portfolio) -> None:
    seen: list[tuple[int, int]] = []
    sensitivity(example, rank(example), 1000, 5, batch=300, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(300, 1000), (600, 1000), (900, 1000), (1000, 1000)]


def test_memory_does_not_grow_with_the_draws(write_tree: WriteTree) -> None:
    files = {"portfolio.yaml": PORTFOLIO}
    for k in range(100):
        files[f"items/i{k:03}.yaml"] = (
            f"apiVersion: pfm/v1\nkind: Item\nid: i{k:03}\ntitle: I{k}\ntype: project\nstage: idea\n"
            f"scores: {{value: {1 + k % 5}, risk: {1 + k // 5 % 5}}}\n"
        )
    portfolio = load_portfolio(write_tree(files))
    ranking = rank(portfolio)

    def peak(draws: int) -> int:
        tracemalloc.start()
        try:
            sensitivity(portfolio, ranking, draws, 10, batch=2000)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak(100_000) < 1.2 * peak(10_000)


def test_the_draws_are_bounded(example: Portfolio) -> None:
    with pytest.raises(UsageError, match="at most 1,000,000 draws"):
        sensitivity(example, rank(example), SENSITIVITY_MAX_DRAWS + 1, 5)
