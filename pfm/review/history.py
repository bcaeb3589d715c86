"""A portfolio across its revisions: the figures of every commit for `pfm history`, and the optimal
selection on each side of a `pfm diff`.

Old revisions are read from git into temporary folders (pfm.io.revisions), never through a checkout,
then validated and analysed as the working tree would be. A revision whose portfolio has errors
still counts its items and errors; its figures are None, so a chart shows a gap rather than a zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from pfm.analysis.finance import YearTotals, portfolio_npv, totals_by_year
from pfm.analysis.ranking import rank
from pfm.analysis.scoring import score
from pfm.errors import UsageError
from pfm.findings import Severity
from pfm.io.revisions import Commit, materialise
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.parallel import Progress
from pfm.review.comparison import Comparison, Side, compare, read_side


@dataclass(frozen=True, slots=True)
class Standing:
    """An item's place in one revision's ranking."""

    rank: int
    score: float | None


@dataclass(frozen=True, slots=True)
class Point:
    """The portfolio as one commit left it."""

    commit: Commit
    items: frozenset[str]  # ids of the Item documents, read even when the portfolio has errors
    errors: int
    totals: tuple[YearTotals, ...] | None  # per fiscal year; None when the portfolio has errors
    npv: float | None  # the sum of the business cases' NPV; None when the portfolio has errors
    ranks: Mapping[str, Standing] | None  # ranked items; None with errors or when `method` cannot rank it


def trace(root: Path, commits: Iterable[Commit], method: Method = "weighted") -> Iterator[Point]:
    """The point of each commit of the repository holding the portfolio at `root`, in the order given."""
    for commit in commits:
        with materialise(commit.sha, root) as (folder, label):
            side = read_side(folder, label)
        yield _point(commit, side, method)


def _point(commit: Commit, side: Side, method: Method) -> Point:
    validation = side.validation
    items = frozenset(d.id for d in validation.documents if d.kind == "Item" and d.id is not None)
    errors = validation.count(Severity.ERROR)
    portfolio = side.portfolio
    if portfolio is None:
        return Point(commit, items, errors, None, None, None)
    return Point(
        commit, items, errors, tuple(totals_by_year(portfolio)), portfolio_npv(portfolio), _standings(portfolio, method)
    )


def _standings(portfolio: Portfolio, method: Method) -> Mapping[str, Standing] | None:
    """Every ranked item's rank and score; None when the revision cannot be ranked so (no scoring model yet, say)."""
    try:
        ranking = rank(portfolio, method)
    except UsageError:
        return None
    return MappingProxyType({entry.id: Standing(entry.rank, entry.score) for entry in ranking.items})


def selected_items(
    side: Side, method: Method, time_limit: float, progress: Progress | None = None
) -> tuple[frozenset[str] | None, str | None]:
    """The items of the side's optimal selection (as `pfm select` makes it, maximising `method`), and a note.

    None when there is nothing to compare: the side has errors (compare says so), or no selection
    fits (the note says why). A selection stopped by the time limit is kept, with a note, since the
    reviewer should know that a change in it may be the solver's rather than the portfolio's.
    """
    from pfm.selection.optimise import select_portfolio

    if side.portfolio is None:
        return None, None
    values = score(side.portfolio, method).values()
    selection = select_portfolio(
        side.portfolio,
        values,
        entry_prices=0,
        mandate_cost=False,
        time_limit=time_limit,
        objective=method,
        progress=progress,
    )
    if selection.status == "infeasible":
        conflicts = f" (conflicting: {', '.join(selection.conflicts)})" if selection.conflicts else ""
        return None, f"selection not compared: {side.label} has no feasible selection{conflicts}"
    if selection.status == "time-limit":
        gap = f", within {selection.gap:.2%} of the optimum" if selection.gap is not None else ""
        return frozenset(selection.selected), f"the selection of {side.label} stopped at the time limit{gap}"
    return frozenset(selection.selected), None


def changes_since(
    spec: str, root: Path, *, scenario: str | None = None, method: Method = "weighted", time_limit: float = 10.0
) -> Comparison:
    """What changed from revision (folder or snapshot) `spec` to the portfolio at `root`, as `pfm diff` reports it."""
    with materialise(spec, root) as (folder, label):
        old = read_side(folder, label, scenario)
    new = read_side(root, "working tree", scenario)
    (old_selected, old_note), (new_selected, new_note) = (
        selected_items(side, method, time_limit) for side in (old, new)
    )
    notes = [note for note in (old_note, new_note) if note]
    return compare(old, new, method=method, old_selected=old_selected, new_selected=new_selected, notes=notes)
