"""The KPIs at every commit that changed the portfolio (`pfm kpi --history`), with a cache in the git folder.

Each commit is read as `pfm history` reads it (pfm.review.history.read_commits: from git into a temporary folder,
each file parsed once per git blob) and its KPIs computed at its own status date (pfm.review.kpis). A commit whose
portfolio has errors, or has no status date, has no values: a chart shows a gap rather than a zero.

An evaluated commit's figures are kept in `pfm-cache/kpi/` in the repository's git folder
(pfm.review.commit_cache): a new pfm version or changed code reads none of the old files. A cache file that
cannot be read or does not hold what is expected is recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pfm.errors import UsageError
from pfm.findings import Severity
from pfm.io.loading import resolve_root
from pfm.io.revisions import Commit, commits
from pfm.parallel import Progress
from pfm.results import Result
from pfm.review.commit_cache import commit_cache
from pfm.review.comparison import Side
from pfm.review.history import PROGRESS_FROM, read_commits
from pfm.review.kpis import KPIS, kpis

Figures = Mapping[str, float | None]  # KPI id -> value (or target), in the order of KPIS


@dataclass(frozen=True, slots=True)
class KpiPoint:
    """The KPIs as one commit left the portfolio."""

    commit: Commit
    errors: int
    as_of: str | None  # the commit's status date; None with errors or when it has none
    values: Figures | None  # None with errors or without a status date
    targets: Figures | None

    def to_dict(self) -> dict[str, Any]:
        """The commit as `pfm kpi --history -f json` lists it."""
        return {
            "sha": self.commit.sha,
            "date": self.commit.date,
            "subject": self.commit.subject,
            "errors": self.errors,
            "as_of": self.as_of,
            "values": dict(self.values) if self.values is not None else None,
            "targets": dict(self.targets) if self.targets is not None else None,
        }

    def record(self) -> dict[str, Any]:
        """The commit as a row: its id, date, errors and status date, then one column per KPI."""
        values = self.values or {}
        row = {"commit": self.commit.sha, "date": self.commit.date, "errors": self.errors, "as_of": self.as_of}
        return row | {ident: values.get(ident) for ident in KPIS}


@dataclass(frozen=True, slots=True)
class KpiHistory(Result):
    """The KPIs at every commit that changed the portfolio, oldest first: what `pfm kpi --history` shows."""

    points: tuple[KpiPoint, ...]
    evaluated: int = field(default=0, compare=False)  # commits computed in this run rather than read from the cache

    def to_dict(self) -> dict[str, Any]:
        """What `pfm kpi --history -f json` prints: the KPIs measured, every commit's values and targets, and the
        values as series (one list per KPI, aligned with `commit` and `date`) for a chart."""
        values = [point.values or {} for point in self.points]
        return {
            "kpis": [{"kpi": ident, "name": name, "sense": sense} for ident, (name, sense, _) in KPIS.items()],
            "commits": [point.to_dict() for point in self.points],
            "series": {
                "commit": [point.commit.sha for point in self.points],
                "date": [point.commit.date for point in self.points],
                **{ident: [v.get(ident) for v in values] for ident in KPIS},
            },
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per commit: id, date, errors, status date, then one column per KPI."""
        return [point.record() for point in self.points]


def kpi_history(
    folder: Path | str | None = None,
    *,
    since: str | None = None,
    progress: Progress | None = None,
    cache: bool = True,
) -> KpiHistory:
    """The KPIs of the portfolio at `folder` (found from the working directory when None) at every commit that
    changed it, after revision `since` when given, each at the commit's own status date and targets.

    With `cache`, figures computed before (by this pfm version and code) are read from the git folder and new
    ones written there; `progress` hears of each commit when there are more than PROGRESS_FROM.
    """
    root = resolve_root(Path(folder) if folder is not None else None)
    changes = commits(root, since)
    store = _Store(root) if cache else None
    known = {c.sha: p for c in changes if store is not None and (p := store.read(c)) is not None}
    fresh = read_commits(root, [c for c in changes if c.sha not in known])
    points: list[KpiPoint] = []
    for commit in changes:
        point = known.get(commit.sha)
        if point is None:
            point = _evaluate(*next(fresh))
            if store is not None:
                store.write(point)
        points.append(point)
        if progress is not None and len(changes) > PROGRESS_FROM:
            progress(len(points), len(changes))
    return KpiHistory(tuple(points), len(changes) - len(known))


def _evaluate(commit: Commit, side: Side) -> KpiPoint:
    errors = side.validation.count(Severity.ERROR)
    if side.portfolio is None:
        return KpiPoint(commit, errors, None, None, None)
    try:
        report = kpis(side.portfolio)
    except UsageError:  # no status date at this commit
        return KpiPoint(commit, errors, None, None, None)
    values = {k.id: k.value for k in report.kpis}
    return KpiPoint(commit, errors, report.as_of.isoformat(), values, {k.id: k.target for k in report.kpis})


class _Store:
    """The cache of one portfolio's evaluated commits, in its repository's git folder."""

    def __init__(self, root: Path) -> None:
        self.cache = commit_cache(root, "kpi")

    def read(self, commit: Commit) -> KpiPoint | None:
        """The commit's figures as cached, or None when absent, unreadable or not as written."""
        data = self.cache.read(commit.sha)
        try:
            return KpiPoint(
                commit,
                _whole(data["errors"]),
                _text(data["as_of"]),
                _figures(data["values"]),
                _figures(data["targets"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def write(self, point: KpiPoint) -> None:
        """Keep the point's figures (the next run recomputes them if they cannot be kept)."""
        data = point.to_dict()
        self.cache.write(point.commit.sha, {key: data[key] for key in ("errors", "as_of", "values", "targets")})


def _whole(value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(value)
    return value


def _text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(value)
    return value


def _figures(value: object) -> Figures | None:
    """KPI id -> number or None, for every KPI and no other; None as such."""
    if value is None:
        return None
    if not isinstance(value, dict) or list(value) != list(KPIS):
        raise ValueError(value)
    if any(v is not None and (type(v) not in (int, float)) for v in value.values()):
        raise TypeError(value)
    return {k: None if v is None else float(v) for k, v in value.items()}
