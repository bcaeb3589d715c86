"""How a change moved the ranking: who overtook whom, who entered or left the top N.

Items only pushed down by an added item (or up by a removed one) did not move: nothing was
decided about them, so they are not reported as movers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pfm.analysis.ranking import Ranked, rank
from pfm.errors import UsageError
from pfm.methods import Method
from pfm.model import Portfolio


@dataclass(frozen=True, slots=True)
class RankMove:
    """An item's rank and score on both sides; None where it is not ranked (absent, programme, closed)."""

    id: str
    title: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None
    relative: int | None = None  # places climbed among the items ranked on both sides (insertions aside)

    @property
    def change(self) -> int | None:
        """Places climbed (negative when it fell); None when ranked on one side only."""
        if self.old_rank is None or self.new_rank is None:
            return None
        return self.old_rank - self.new_rank

    @property
    def moved(self) -> bool:
        return self.old_rank != self.new_rank


@dataclass(frozen=True, slots=True)
class Ranks:
    """Both rankings side by side."""

    method: str
    top: int
    items: tuple[RankMove, ...]  # new rank order, then the items no longer ranked in old rank order
    entered_top: tuple[str, ...]  # in new rank order
    left_top: tuple[str, ...]  # in old rank order

    @property
    def movers(self) -> tuple[RankMove, ...]:
        """Items that overtook or fell behind others ranked on both sides, biggest moves first, then items
        ranked on one side only. Items only pushed down by an added item (or up by a removed one) are not
        movers: nothing was decided about them."""
        moved = [move for move in self.items if move.relative or (move.change is None and move.moved)]
        return tuple(sorted(moved, key=lambda m: (m.change is None, -abs(m.relative or 0), -abs(m.change or 0))))

    @property
    def re_ranked(self) -> int:
        """Items ranked on both sides whose order among those items changed."""
        return sum(1 for move in self.items if move.relative)

    def to_dict(self) -> dict[str, Any]:
        """Both rankings as `pfm diff -f json` gives them: every item's ranks, move and scores, and the top's changes."""
        return {
            "method": self.method,
            "top": self.top,
            "re_ranked": self.re_ranked,
            "items": [
                {
                    "id": m.id,
                    "title": m.title,
                    "old_rank": m.old_rank,
                    "new_rank": m.new_rank,
                    "change": m.change,
                    "relative": m.relative,
                    "old_score": m.old_score,
                    "new_score": m.new_score,
                }
                for m in self.items
            ],
            "entered_top": list(self.entered_top),
            "left_top": list(self.left_top),
        }


def compare_ranks(old: Portfolio, new: Portfolio, method: Method, top: int) -> tuple[Ranks | None, tuple[str, ...]]:
    """The rankings compared, or a note when a side cannot be ranked by `method` (no scoring model, say).

    The new side's items whose score is not a finite number are ranked last, each with a note.
    """
    try:
        before, after = rank(old, method), rank(new, method)
    except UsageError as error:
        return None, (f"ranks not compared: {error}",)
    notes = tuple(f"{finding.location_text()}: {finding.message}" for finding in after.findings)
    return _compare_ranks(before.items, after.items, method, top), notes


def _compare_ranks(old: Iterable[Ranked], new: Iterable[Ranked], method: str, top: int) -> Ranks:
    before = {entry.id: entry for entry in old}
    after = {entry.id: entry for entry in new}
    order = [*after, *(ident for ident in before if ident not in after)]
    common_before = [ident for ident in before if ident in after]
    common_after = {ident: place for place, ident in enumerate(i for i in after if i in before)}
    relative = {ident: place - common_after[ident] for place, ident in enumerate(common_before)}
    items = tuple(_rank_move(before.get(ident), after.get(ident), relative.get(ident)) for ident in order)
    entered = tuple(ident for ident in after if _in_top(after, ident, top) and not _in_top(before, ident, top))
    left = tuple(ident for ident in before if _in_top(before, ident, top) and not _in_top(after, ident, top))
    return Ranks(method, top, items, entered, left)


def _rank_move(old: Ranked | None, new: Ranked | None, relative: int | None) -> RankMove:
    either = new or old
    assert either is not None
    return RankMove(
        either.id,
        either.title,
        old.rank if old else None,
        new.rank if new else None,
        old.score if old else None,
        new.score if new else None,
        relative,
    )


def _in_top(ranked: Mapping[str, Ranked], ident: str, top: int) -> bool:
    return ident in ranked and ranked[ident].rank <= top
