"""What the site's pages show beyond the pack: one page's worth of facts per item, drawn from the pack.

Every figure is the pack's (rank, score and NPV from its ranking, the business case's metrics from its
cases, the reasons an item is left out and its entry price from its selection); the score's parts are
those `pfm score --explain` prints, from one scoring of the whole portfolio.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pfm.analysis.explanation import Part, score_parts
from pfm.analysis.finance import CaseMetrics
from pfm.analysis.scoring import score
from pfm.model import Decision, Item, Risk
from pfm.reporting.pack import Pack, RankRow
from pfm.review.status import ItemStatus
from pfm.selection.explain import Exclusion

T = TypeVar("T", Risk, Decision)


@dataclass(frozen=True, slots=True)
class ItemPage:
    """One item as its page shows it."""

    item: Item
    stage: str  # the stage's name
    programme: str | None  # the id of the programme the item belongs to
    teams: tuple[str, ...]  # the teams it asks capacity of
    row: RankRow | None  # rank, score, NPV and whether it is selected; None when it is not ranked (a programme)
    case: CaseMetrics | None
    parts: tuple[Part, ...]  # the score explained
    depends_on: tuple[str, ...]
    needed_by: tuple[str, ...]
    risks: tuple[Risk, ...]  # the risks naming it, highest exposure first
    decisions: tuple[Decision, ...]  # the decisions naming it, newest first
    left_out: Exclusion | None  # why the recommendation leaves it out, and its entry price
    status: ItemStatus | None  # reported and computed RAG at the status date

    @property
    def cost(self) -> float | None:
        """Capex and opex of the business case over its years."""
        return self.case.total_capex + self.case.total_opex if self.case is not None else None

    @property
    def why(self) -> str:
        """Why the item is in the recommended portfolio, in words ("" when it is out or not a candidate)."""
        if self.row is None or not self.row.selected:
            return ""
        if self.row.committed:
            return "committed: mandatory, forced in, or approved or in flight"
        return "chosen by the optimiser: it adds the most value within every budget and capacity"


def item_pages(pack: Pack) -> dict[str, ItemPage]:
    """Every item's page, by id, in the portfolio's order."""
    portfolio = pack.portfolio
    scores = score(portfolio, pack.objective)
    entries = {entry.id: entry for entry in scores.items}
    rows = {row.id: row for row in pack.ranking}
    cases = {case.item: case for case in pack.cases}
    out = {exclusion.id: exclusion for exclusion in pack.selection.not_selected}
    statuses = {s.item: s for s in pack.health.status.items} if pack.health is not None else {}
    needed_by: dict[str, list[str]] = {}
    for item in portfolio.items.values():
        for dependency in item.depends_on:
            needed_by.setdefault(dependency.id, []).append(item.id)
    risks = _naming(sorted(portfolio.risks.values(), key=lambda r: (-r.exposure, r.id)))
    decisions = _naming(pack.decisions)
    pages = {}
    for ident, item in portfolio.items.items():
        entry = entries.get(ident)
        stage = portfolio.stage(item.stage)
        parent = portfolio.items.get(item.parent) if item.parent else None
        pages[ident] = ItemPage(
            item=item,
            stage=stage.name if stage is not None else item.stage,
            programme=parent.id if parent is not None and parent.type == "programme" else None,
            teams=tuple(sorted(item.demand)),
            row=rows.get(ident),
            case=cases.get(ident),
            parts=score_parts(portfolio, scores, entry) if entry is not None else (),
            depends_on=tuple(d.id for d in item.depends_on),
            needed_by=tuple(sorted(needed_by.get(ident, ()))),
            risks=risks.get(ident, ()),
            decisions=decisions.get(ident, ()),
            left_out=out.get(ident),
            status=statuses.get(ident),
        )
    return pages


def _naming(entries: Sequence[T]) -> Mapping[str, tuple[T, ...]]:
    """Item id -> the entries that name it, in the order given."""
    found: dict[str, list[T]] = {}
    for entry in entries:
        for ident in dict.fromkeys(entry.items):
            found.setdefault(ident, []).append(entry)
    return {ident: tuple(named) for ident, named in found.items()}
