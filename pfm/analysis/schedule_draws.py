"""Monte Carlo draws of a schedule network: three-point durations pushed through precedence links.

A network is a list of activities in topological order (every link runs from an earlier activity to a
later one). Each has a floor (its earliest start), a three-point duration (low, likely, high) and the
links into it, each with a type and a lag, read as `pfm.analysis.graph` reads dependencies:
finish-to-start (start after the other finishes), start-to-start, finish-to-finish, start-to-finish.
Time is a real number of quarters; an activity at start s with duration d occupies [s, s + d).

A draw takes every duration from its PERT-beta distribution (`pert_durations`), then places the
activities in order, each at the latest of its floor and what every link allows: the earliest start of
the critical path method, all draws at once per activity (numpy vectors over the draws). An activity
is critical in a draw when a chain of driving links (a link whose bound equals the start it drives)
joins it to an activity that finishes last in that draw; its criticality index is the share of draws
in which it is critical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]
QUANTILES = (0.5, 0.8, 0.95)
_CHUNK = 2048  # draws placed together: small enough to stay in cache, large enough to amortise the loop
_TOLERANCE = 1e-9


class Precedence(NamedTuple):
    """`after` may start only as `type` and `lag` allow after `before` (positions in the network)."""

    before: int
    after: int
    type: str = "finish-to-start"
    lag: float = 0.0


class Checkpoint(NamedTuple):
    """A moment `share` (0 to 1) of the way through activity `activity`, such as a milestone."""

    activity: int
    share: float


@dataclass(frozen=True)
class ActivityNetwork:
    """Activities in topological order: floors and three-point durations (quarters), and the links between them."""

    floor: Vector
    low: Vector
    likely: Vector
    high: Vector
    links: Sequence[Precedence] = ()
    checkpoints: Sequence[Checkpoint] = ()


class QuarterCounts:
    """Per row (an activity or a checkpoint), how many draws finish in each quarter: all the percentiles and
    on-time shares need, in memory that grows with the quarters spanned, not with the draws.

    A finish belongs to the quarter it ends in (one exactly at a quarter's start, to the quarter before).
    """

    def __init__(self, rows: int) -> None:
        self.first = 0  # the quarter (index) of the first column
        self.counts = np.zeros((rows, 0), dtype=np.int64)
        self.draws = 0

    def add(self, finish: npt.NDArray[np.float64]) -> None:
        """Count a batch of draws (rows x draws)."""
        rows, draws = finish.shape
        quarter = np.subtract(finish, 1 + _TOLERANCE)
        np.ceil(quarter, out=quarter)
        if rows == 0 or draws == 0:
            return
        low, high = int(quarter.min()), int(quarter.max())
        if self.counts.shape[1] == 0:
            self.first, self.counts = low, np.zeros((rows, high - low + 1), dtype=np.int64)
        before, after = max(self.first - low, 0), max(high - (self.first + self.counts.shape[1] - 1), 0)
        if before or after:
            self.counts = np.pad(self.counts, ((0, 0), (before, after)))
            self.first -= before
        width = self.counts.shape[1]
        quarter += (width * np.arange(rows) - self.first)[:, None]
        self.counts += np.bincount(quarter.astype(np.intp).ravel(), minlength=rows * width).reshape(rows, width)
        self.draws += draws

    def odds(self, due: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Per row: the quarters of its P50, P80 and P95, and the share of draws finishing by quarter `due`.

        A percentile is the quarter of an actual draw: the first quarter by which at least that share finish.
        """
        rows, width = self.counts.shape
        reached = np.cumsum(self.counts, axis=1)
        levels = np.stack([(reached < share * self.draws - _TOLERANCE).sum(axis=1) for share in QUANTILES], axis=1)
        if width == 0:
            return levels, np.ones(rows)
        within = reached[np.arange(rows), np.clip(due - self.first, 0, width - 1)] * (due >= self.first)
        return levels + self.first, within / self.draws


@dataclass(frozen=True)
class Draws:
    """The finishes of every activity and checkpoint counted per quarter, the last finish of each draw, and
    each activity's criticality index."""

    finish: QuarterCounts  # activities
    checkpoints: QuarterCounts
    end: Vector  # per draw: the latest finish
    criticality: Vector  # per activity: the share of draws in which it is critical


def pert_mean(low: float, likely: float, high: float) -> float:
    """The PERT expected duration (low + 4 likely + high) / 6: the mean of the PERT-beta distribution."""
    return (low + 4 * likely + high) / 6


def pert_durations(network: ActivityNetwork, rng: np.random.Generator, draws: int) -> npt.NDArray[np.float64]:
    """Durations (activities x draws) from PERT-beta: low + (high - low) Beta(1 + 4 m, 1 + 4 (1 - m)).

    m is where the most likely value lies between low and high (0 to 1). An activity with low = high
    takes exactly that duration in every draw.
    """
    width = network.high - network.low
    spread = width > 0
    safe = np.where(spread, width, 1.0)
    alpha = 1 + 4 * (network.likely - network.low) / safe
    beta = 1 + 4 * (network.high - network.likely) / safe
    share = rng.beta(alpha[:, None], beta[:, None], size=(len(width), draws))
    return network.low[:, None] + np.where(spread, width, 0.0)[:, None] * share


def _bound(
    link: Precedence, start: npt.NDArray[np.float64], finish: npt.NDArray[np.float64], duration: Vector
) -> Vector:
    """The earliest start of `link.after` that the link allows, per draw."""
    theirs: Vector = start[link.before] if link.type in ("start-to-start", "start-to-finish") else finish[link.before]
    bound: Vector = theirs + link.lag
    return bound - duration if link.type in ("finish-to-finish", "start-to-finish") else bound


def simulate(network: ActivityNetwork, draws: int, seed: int | None = 0) -> Draws:
    """`draws` draws of the network (see the module's docstring), reproducible for a given `seed`."""
    rng = np.random.default_rng(seed)
    count = len(network.floor)
    into: list[list[Precedence]] = [[] for _ in range(count)]
    for link in network.links:
        into[link.after].append(link)
    finish, marks = QuarterCounts(count), QuarterCounts(len(network.checkpoints))
    end = np.empty(draws)
    critical = np.zeros(count)
    where = np.array([c.activity for c in network.checkpoints], dtype=np.int64)
    share = np.array([c.share for c in network.checkpoints], dtype=np.float64)
    for first in range(0, draws, _CHUNK):
        part = slice(first, min(first + _CHUNK, draws))
        duration = pert_durations(network, rng, part.stop - part.start)
        start, ends = np.empty_like(duration), np.empty_like(duration)
        for j in range(count):
            start[j] = network.floor[j]
            for link in into[j]:
                np.maximum(start[j], _bound(link, start, ends, duration[j]), out=start[j])
            ends[j] = start[j] + duration[j]
        end[part] = ends.max(axis=0, initial=-np.inf)
        finish.add(ends)
        marks.add(start[where] + share[:, None] * duration[where])
        critical += _critical(into, start, ends, duration, end[part]).sum(axis=1)
    return Draws(finish, marks, end, critical / max(draws, 1))


def _critical(
    into: Sequence[Sequence[Precedence]],
    start: npt.NDArray[np.float64],
    finish: npt.NDArray[np.float64],
    duration: npt.NDArray[np.float64],
    end: Vector,
) -> npt.NDArray[np.bool_]:
    """Per activity and draw: on a chain of driving links to a last finish (backward, in reverse order)."""
    critical = finish >= end - _TOLERANCE
    for j in range(len(into) - 1, -1, -1):
        for link in into[j]:
            driving = _bound(link, start, finish, duration[j]) >= start[j] - _TOLERANCE
            critical[link.before] |= critical[j] & driving
    return critical
