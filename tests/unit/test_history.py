"""pfm.review.history on a real repository: each commit's figures, and each side's optimal selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from pfm.io.revisions import commits
from pfm.review.comparison import read_side
from pfm.review.diff import selected_items
from pfm.review.history import trace
from tests.helpers import PORTFOLIO, SUBJECTS, build_history, capex_2027, case, checkout_state, commit, git, scored


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    top = tmp_path / "repo"
    top.mkdir()
    build_history(top)
    return top


def test_each_commit_gets_its_items_errors_figures_and_ranks(repo: Path) -> None:
    before = checkout_state(repo)
    points = list(trace(repo, commits(repo)))

    assert checkout_state(repo) == before
    assert [p.commit.subject for p in points] == list(SUBJECTS)
    assert [sorted(p.items) for p in points] == [["a", "b", "c", "d"], *[["a", "b", "c", "d", "e"]] * 4]
    assert [p.errors for p in points] == [0, 0, 0, 2, 1]
    for point in points[:3]:
        assert point.totals is not None
        assert {t.year: t.capex for t in point.totals}[2027] == capex_2027(repo, point.commit.sha)
    assert [p.npv for p in points] == [100_000, 130_000, 130_000, None, None]  # no discount rate: benefits - capex
    assert [p.totals for p in points[3:]] == [None, None]
    assert [p.ranks["c"].rank if p.ranks else None for p in points] == [3, 4, 3, None, None]
    assert points[2].ranks is not None
    assert points[2].ranks["c"].score == pytest.approx(100 * (2 / 3 + 1 / 3 * 3 / 4))
    # each business case's capex and opex; d has no case, e none before the second commit
    assert [p.costs for p in points[:2]] == [
        {"a": 100_000, "b": 80_000, "c": 60_000},
        {"a": 100_000, "b": 80_000, "c": 60_000, "e": 90_000},
    ]
    assert [p.costs for p in points[3:]] == [None, None]
    assert points[1].to_dict("e")["costs"] == {"e": 90_000} and points[0].to_dict("e")["costs"] == {}
    assert points[1].record("e")["cost"] == 90_000 and points[0].record("e")["cost"] is None


def test_since_keeps_the_later_commits(repo: Path) -> None:
    shas = git(repo, "rev-list", "--reverse", "HEAD").split()
    assert [p.commit.sha for p in trace(repo, commits(repo, since=shas[2]))] == shas[3:]


def test_a_revision_without_a_scoring_model_has_no_ranks(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    bare = PORTFOLIO.split("scoring:")[0]
    commit(tmp_path, "no model", {"portfolio.yaml": bare, "items/a.yaml": scored("a", 5, 1).split("scores:")[0]})
    [point] = trace(tmp_path, commits(tmp_path))
    assert (point.errors, point.ranks, point.npv) == (0, None, 0)


def test_the_optimal_selection_of_each_side(repo: Path) -> None:
    git(repo, "checkout", "-q", "HEAD~3")  # a to e scored, no errors
    selected, note = selected_items(read_side(repo, "working tree"), "weighted", 10.0)
    assert (selected, note) == (frozenset({"a", "d", "e"}), None)


def test_an_infeasible_selection_gives_a_note_and_nothing_to_compare(repo: Path) -> None:
    git(repo, "checkout", "-q", "HEAD~3")
    (repo / "items" / "a.yaml").write_text(scored("a", 5, 1, "mandatory: true\n"), encoding="utf-8")
    (repo / "business-cases" / "a-case.yaml").write_text(case("a", 300_000, 1), encoding="utf-8")
    selected, note = selected_items(read_side(repo, "working tree"), "weighted", 10.0)
    assert selected is None
    assert note is not None  # the conflicts are pfm.selection.optimise's words: only their gist is checked here
    assert note.startswith("selection not compared: working tree has no feasible selection (conflicting: a ")
    assert note.endswith(", budget 2027)")


def test_a_side_with_errors_has_no_selection_and_no_note_of_its_own(repo: Path) -> None:
    assert selected_items(read_side(repo, "working tree"), "weighted", 10.0) == (None, None)


def test_files_read_once_per_blob_give_the_same_points(repo: Path) -> None:
    # the last commit puts a and b back as the first had them: their blobs are taken from that reading
    changes = commits(repo)
    assert list(trace(repo, changes, reuse=True)) == list(trace(repo, changes, reuse=False))
