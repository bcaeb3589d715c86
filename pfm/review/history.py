"""A portfolio across its revisions: the figures of every commit, for `pfm history`.

Old revisions are read from git into temporary folders (pfm.io.revisions), never through a checkout,
then validated and analysed as the working tree would be. A revision whose portfolio has errors
still counts its items and errors; its figures are None, so a chart shows a gap rather than a zero.

A revision's figures are kept in the user's cache folder (pfm.io.caches), one file per git tree of the
portfolio folder and ranking method: a commit whose files were evaluated before, in this repository or
another, by this pfm version and code, is not read again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from pfm.analysis.finance import YearTotals, portfolio_npv, totals_by_year
from pfm.analysis.ranking import rank
from pfm.errors import UsageError
from pfm.findings import Severity, did_you_mean
from pfm.io.caches import Store, code_hash, pfm_version, user_cache_folder
from pfm.io.loading import resolve_root
from pfm.io.revisions import Commit, commits, materialise, revision_blobs, revision_trees
from pfm.methods import Method
from pfm.model import Budget, Portfolio
from pfm.parallel import Progress
from pfm.results import Result
from pfm.review.comparison import Side, read_side
from pfm.validation.validator import Reread
from pfm.wording import counted

PROGRESS_FROM = 5  # commits; fewer are read before progress would be worth reporting


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
    costs: Mapping[str, float] | None  # each item's business case: capex and opex over its years; None with errors

    def to_dict(self, item: str | None = None) -> dict[str, Any]:
        """The commit as `pfm history -f json` lists it: totals per fiscal year, and every item's rank, score and
        cost (only `item`'s when given)."""
        ranks, costs = self.ranks, self.costs
        if item is not None:
            ranks = None if ranks is None else {item: ranks[item]} if item in ranks else {}
            costs = None if costs is None else {item: costs[item]} if item in costs else {}
        return {
            "sha": self.commit.sha,
            "date": self.commit.date,
            "subject": self.commit.subject,
            "items": len(self.items),
            "errors": self.errors,
            "totals": (
                {str(t.year): {"capex": t.capex, "opex": t.opex, "benefits": t.benefits} for t in self.totals}
                if self.totals is not None
                else None
            ),
            "npv": self.npv,
            "ranks": (
                {ident: {"rank": s.rank, "score": s.score} for ident, s in ranks.items()} if ranks is not None else None
            ),
            "costs": dict(costs) if costs is not None else None,
        }

    def record(self, item: str | None = None) -> dict[str, Any]:
        """The commit as a row: its counts, then its capex, opex and NPV summed over the years, or `item`'s score,
        rank and cost (None where the portfolio has errors, the item is not ranked or it has no business case)."""
        row: dict[str, Any] = {
            "commit": self.commit.sha,
            "date": self.commit.date,
            "subject": self.commit.subject,
            "items": len(self.items),
            "errors": self.errors,
        }
        if item is not None:
            standing = self.ranks.get(item) if self.ranks is not None else None
            return row | {
                "score": standing.score if standing else None,
                "rank": standing.rank if standing else None,
                "cost": self.costs.get(item) if self.costs is not None else None,
            }
        totals = self.totals
        return row | {
            "capex": sum(year.capex for year in totals) if totals is not None else None,
            "opex": sum(year.opex for year in totals) if totals is not None else None,
            "NPV": self.npv,
        }


@dataclass(frozen=True, slots=True)
class History(Result):
    """The portfolio at every commit that changed it, oldest first: what `pfm history` shows."""

    points: tuple[Point, ...]
    method: Method  # what ranks and scores are by
    item: str | None = None  # the item followed, if any

    def to_dict(self) -> dict[str, Any]:
        """What `pfm history -f json` prints: per commit the totals per fiscal year and the ranks and scores."""
        return {"method": self.method, "item": self.item, "commits": [p.to_dict(self.item) for p in self.points]}

    def records(self) -> list[dict[str, Any]]:
        """One row per commit: counts, then capex, opex and NPV, or the followed item's score, rank and cost."""
        return [point.record(self.item) for point in self.points]


def history(
    folder: Path | str | None = None,
    *,
    since: str | None = None,
    item: str | None = None,
    method: Method = "weighted",
    progress: Progress | None = None,
    cache: bool = True,
) -> History:
    """The portfolio at `folder` (found from the working directory when None) at every commit that changed it,
    after revision `since` when given; `item`, when given, is followed through the ranks by `method`. With `cache`,
    figures computed before from the same files are read from the user's cache folder, and new ones kept there.

    A mistyped `item` (in no commit) is a UsageError naming the closest id. `progress` hears of each
    commit read when there are more than PROGRESS_FROM.
    """
    root = resolve_root(Path(folder) if folder is not None else None)
    changes = commits(root, since)
    points: list[Point] = []
    for point in trace(root, changes, method, cache=cache):
        points.append(point)
        if progress is not None and len(changes) > PROGRESS_FROM:
            progress(len(points), len(changes))
    if item is not None and not any(item in point.items for point in points):
        hint = did_you_mean(item, points[-1].items) if points else ""
        raise UsageError(
            f"no item '{item}' in any of the {counted(len(points), 'commit')}" + (f"; {hint}" if hint else "")
        )
    return History(tuple(points), method, item)


def trace(
    root: Path, commits: Iterable[Commit], method: Method = "weighted", *, reuse: bool = True, cache: bool = False
) -> Iterator[Point]:
    """The point of each commit of the repository holding the portfolio at `root`, in the order given (read as
    `read_commits` reads them); with `cache`, those of a git tree evaluated before are read from the cache."""
    changes = list(commits)
    store = Store(user_cache_folder() / "history", f"{pfm_version()}-{code_hash(method)}") if cache else None
    trees = revision_trees(root, [c.sha for c in changes]) if store is not None and changes else {}
    read = {c.sha: _cached(c, store.read(trees[c.sha])) for c in changes if c.sha in trees} if store else {}
    known = {sha: point for sha, point in read.items() if point is not None}
    fresh = read_commits(root, [c for c in changes if c.sha not in known], reuse=reuse)
    for commit in changes:
        point = known.get(commit.sha)
        if point is None:
            point = _point(*next(fresh), method)
            if store is not None and commit.sha in trees:
                store.write(trees[commit.sha], _cacheable(point))
        yield point


def read_commits(root: Path, commits: Iterable[Commit], *, reuse: bool = True) -> Iterator[tuple[Commit, Side]]:
    """Each commit with the portfolio at `root` as it left it (validated, and its model when it has no errors).

    With `reuse`, a file is parsed and schema-checked once per git blob: a commit changes a few files,
    and the others are taken as read at an earlier commit (the cross-file rules still run at each).
    """
    reread = Reread({}, {}) if reuse else None
    for commit in commits:
        if reread is not None:
            reread.keys = revision_blobs(root, commit.sha)
        with materialise(commit.sha, root) as (folder, label):
            side = read_side(folder, label, reread=reread)
        yield commit, side


def _point(commit: Commit, side: Side, method: Method) -> Point:
    validation = side.validation
    items = frozenset(d.id for d in validation.documents if d.kind == "Item" and d.id is not None)
    errors = validation.count(Severity.ERROR)
    portfolio = side.portfolio
    if portfolio is None:
        return Point(commit, items, errors, None, None, None, None)
    return Point(
        commit,
        items,
        errors,
        tuple(totals_by_year(portfolio)),
        portfolio_npv(portfolio),
        _standings(portfolio, method),
        _costs(portfolio),
    )


def _standings(portfolio: Portfolio, method: Method) -> Mapping[str, Standing] | None:
    """Every ranked item's rank and score; None when the revision cannot be ranked so (no scoring model yet, say)."""
    try:
        ranking = rank(portfolio, method)
    except UsageError:
        return None
    return MappingProxyType({entry.id: Standing(entry.rank, entry.score) for entry in ranking.items})


def _costs(portfolio: Portfolio) -> Mapping[str, float]:
    """Each item with a business case: the capex and opex of its cost lines, as `pfm finance` totals them."""
    cases = ((ident, portfolio.business_case_of(ident)) for ident in portfolio.items)
    return MappingProxyType(
        {ident: sum(line.capex + line.opex for line in case.costs) for ident, case in cases if case is not None}
    )


def _cacheable(point: Point) -> dict[str, Any]:
    """The point's figures as JSON data, for the cache (the commit is not among them: the files are)."""
    return {
        "items": sorted(point.items),
        "errors": point.errors,
        "totals": None
        if point.totals is None
        else [
            [t.year, t.capex, t.opex, t.benefits, None if t.budget is None else [*_budget_fields(t.budget)]]
            for t in point.totals
        ],
        "npv": point.npv,
        "ranks": None if point.ranks is None else [[ident, s.rank, s.score] for ident, s in point.ranks.items()],
        "costs": None if point.costs is None else [[ident, cost] for ident, cost in point.costs.items()],
    }


def _budget_fields(budget: Budget) -> tuple[float | None, float | None, float | None]:
    return budget.capex, budget.opex, budget.total


def _cached(commit: Commit, data: Any) -> Point | None:
    """The point of `commit` from its cached figures; None when there are none or they are not as written (an
    older pfm's, say, without the items' costs)."""
    try:
        totals = None if data["totals"] is None else tuple(_year(*row) for row in data["totals"])
        ranks = (
            None if data["ranks"] is None else {_text(i): Standing(_whole(r), _number(s)) for i, r, s in data["ranks"]}
        )
        return Point(
            commit,
            frozenset(_text(ident) for ident in data["items"]),
            _whole(data["errors"]),
            totals,
            _number(data["npv"]),
            None if ranks is None else MappingProxyType(ranks),
            None if data["costs"] is None else MappingProxyType({_text(i): _given(c) for i, c in data["costs"]}),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _year(year: object, capex: object, opex: object, benefits: object, budget: object) -> YearTotals:
    if budget is not None and (not isinstance(budget, list) or len(budget) != 3):
        raise TypeError(budget)
    limits = None if budget is None else Budget(*(_number(v) for v in budget))
    return YearTotals(_whole(year), _given(capex), _given(opex), _given(benefits), limits)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _whole(value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(value)
    return value


def _number(value: object) -> float | None:
    """A number as written (an int stays an int, so the JSON printed is the same), or None."""
    if value is not None and type(value) not in (int, float):
        raise TypeError(value)
    return cast(float | None, value)


def _given(value: object) -> float:
    number = _number(value)
    if number is None:
        raise TypeError(value)
    return number
