"""Compare a portfolio at two revisions: what a pull request does to it, for the reviewer.

Entities and findings are compared on the raw documents, so a side with errors still shows
what changed. Ranks, yearly totals and NPV need a built Portfolio, so both sides must be free
of errors for them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pfm.building import build_portfolio
from pfm.errors import UsageError
from pfm.finance import portfolio_metrics, totals_by_year
from pfm.findings import Finding, Severity
from pfm.loading import Document
from pfm.model import Portfolio
from pfm.ranking import Ranked, rank
from pfm.scoring import METHODS, Method
from pfm.validation import Validation, collector_paused, validate

KINDS = ("Portfolio", "Item", "BusinessCase", "Team", "Risk", "Scenario", "Decision")
# Rewording these changes no figure, rank or plan: on its own such an edit is not material.
FREE_TEXT = frozenset(
    {
        "title",
        "name",
        "description",
        "note",
        "notes",
        "assumptions",
        "owner",
        "sponsor",
        "manager",
        "tags",
        "rationale",
        "mitigation",
        "decision",
        "decided_by",
        "conditions",
        "forum",
    }
)
Figure = Literal["capex", "opex", "benefits"]
FIGURES: tuple[Figure, ...] = ("capex", "opex", "benefits")
CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
HEADLINE_TOTALS = 2

EntityKey = tuple[str, str]  # (kind, id)


@dataclass(frozen=True, slots=True)
class Side:
    """One revision of the portfolio: its findings, and its model when it has no errors."""

    label: str  # e.g. "main (abc1234)" or "working tree"
    validation: Validation
    portfolio: Portfolio | None  # None when validation has errors


def read_side(folder: Path, label: str) -> Side:
    """Validate the portfolio in `folder` and build its model from the same documents when it is valid."""
    with collector_paused():
        validation = validate(folder)
        portfolio = build_portfolio(validation.root, validation.documents) if validation.ok else None
    return Side(label, validation, portfolio)


@dataclass(frozen=True, slots=True)
class Entity:
    """A document present on one side only."""

    kind: str
    id: str
    title: str
    file: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an entity, by dotted path; `old` is None when added, `new` is None when removed."""

    path: str  # e.g. "scores.customer-impact", "budget.2028.capex"
    old: Any
    new: Any
    change: Literal["added", "removed", "changed"]

    @property
    def material(self) -> bool:
        return self.path.rsplit(".", 1)[-1] not in FREE_TEXT


@dataclass(frozen=True, slots=True)
class EntityChange:
    """An entity on both sides whose fields changed or whose file moved (a move is not a field change)."""

    kind: str
    id: str
    title: str
    old_file: str
    new_file: str
    fields: tuple[FieldChange, ...]

    @property
    def moved(self) -> bool:
        return self.old_file != self.new_file

    @property
    def material(self) -> bool:
        return any(field.material for field in self.fields)


@dataclass(frozen=True, slots=True)
class RankMove:
    """An item's rank and score on both sides; None where it is not ranked (absent, programme, closed)."""

    id: str
    title: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None

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
        """Items whose rank changed, biggest moves first; items ranked on one side only last."""
        moved = [move for move in self.items if move.moved]
        return tuple(sorted(moved, key=lambda m: (m.change is None, -abs(m.change or 0))))

    @property
    def re_ranked(self) -> int:
        """Items ranked on both sides at different places."""
        return sum(1 for move in self.items if move.change)


@dataclass(frozen=True, slots=True)
class SelectionChange:
    entered: tuple[str, ...]
    left: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.entered or self.left)


@dataclass(frozen=True, slots=True)
class Movement:
    """An amount on both sides."""

    old: float
    new: float

    @property
    def delta(self) -> float:
        return self.new - self.old

    @property
    def percent(self) -> float | None:
        """The delta as a percentage of the old amount; None when the old amount is zero."""
        return 100.0 * self.delta / abs(self.old) if self.old else None

    @property
    def moved(self) -> bool:
        # Sums of the same figures in another order differ by rounding only.
        return not math.isclose(self.old, self.new, rel_tol=1e-9, abs_tol=1e-6)


@dataclass(frozen=True, slots=True)
class TotalChange:
    """One figure of one fiscal year, summed over every business case."""

    year: int
    figure: Figure
    amounts: Movement


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything a change does to the portfolio, from `old` to `new`."""

    old: Side
    new: Side
    currency: str  # the portfolio's currency code ("" when neither side declares one)
    added: tuple[Entity, ...]
    removed: tuple[Entity, ...]
    changed: tuple[EntityChange, ...]
    ranks: Ranks | None  # None when not compared (see notes)
    selection: SelectionChange | None  # None unless both selections were given
    totals: tuple[TotalChange, ...]  # every year and figure, moved or not; () when not compared
    npv: Movement | None  # the sum of the business cases' NPV; None when not compared
    findings_introduced: tuple[Finding, ...]
    findings_fixed: tuple[Finding, ...]
    notes: tuple[str, ...]  # what could not be compared, and why

    @property
    def moved_totals(self) -> tuple[TotalChange, ...]:
        return tuple(total for total in self.totals if total.amounts.moved)

    @property
    def material(self) -> bool:
        """Whether the change touches the portfolio's content, figures, ranks, selection or health, not only its wording."""
        return bool(
            self.added
            or self.removed
            or any(change.material for change in self.changed)
            or (self.ranks and self.ranks.movers)
            or (self.selection and self.selection.changed)
            or self.moved_totals
            or (self.npv and self.npv.moved)
            or any(finding.severity is not Severity.INFO for finding in self.findings_introduced)
        )

    @property
    def headline(self) -> str:
        """One sentence for a reviewer, e.g. "Capex 2027 +£1.2M (+4 %); 3 items re-ranked; 1 new error"."""
        if not self.material:
            return "No material change"
        parts = _headline_parts(self)
        if parts:
            return "; ".join(parts)
        touched = len(self.added) + len(self.removed) + sum(1 for change in self.changed if change.material)
        return f"{_counted(touched, 'entity', 'entities')} changed"


def compare(
    old: Side,
    new: Side,
    *,
    method: str = "weighted",
    top: int = 10,
    old_selected: frozenset[str] | None = None,
    new_selected: frozenset[str] | None = None,
) -> Comparison:
    """Compare two sides; ranks use `method` and report who enters or leaves the `top`."""
    if method not in METHODS:
        raise UsageError(f"unknown scoring method '{method}' (choose one of: {', '.join(METHODS)})")
    before, after = _entities(old.validation), _entities(new.validation)
    ranks: Ranks | None = None
    totals: tuple[TotalChange, ...] = ()
    npv: Movement | None = None
    if old.portfolio is not None and new.portfolio is not None:
        ranks, notes = _ranks_or_note(old.portfolio, new.portfolio, method, top)
        totals = _compare_totals(old.portfolio, new.portfolio)
        npv = Movement(_npv(old.portfolio), _npv(new.portfolio))
    else:
        notes = (_broken_note(old, new),)
    return Comparison(
        old=old,
        new=new,
        currency=_currency(new.validation) or _currency(old.validation),
        added=tuple(_entity(after[key]) for key in _ordered(after.keys() - before.keys())),
        removed=tuple(_entity(before[key]) for key in _ordered(before.keys() - after.keys())),
        changed=tuple(_changes(before, after)),
        ranks=ranks,
        selection=_compare_selection(old_selected, new_selected),
        totals=totals,
        npv=npv,
        findings_introduced=_unmatched(new.validation.findings, old.validation.findings),
        findings_fixed=_unmatched(old.validation.findings, new.validation.findings),
        notes=notes,
    )


def _entities(validation: Validation) -> dict[EntityKey, Document]:
    """Documents by (kind, id); of duplicates (an error of their own) the first counts."""
    found: dict[EntityKey, Document] = {}
    for document in validation.documents:
        if document.kind is not None and document.id is not None:
            found.setdefault((document.kind, document.id), document)
    return found


def _ordered(keys: Iterable[EntityKey]) -> list[EntityKey]:
    """Kinds in the order of DESIGN.md (unknown kinds last), then ids."""
    return sorted(keys, key=lambda key: (KINDS.index(key[0]) if key[0] in KINDS else len(KINDS), key))


def _title(data: Mapping[str, Any]) -> str:
    title = data.get("title") or data.get("name")
    return title if isinstance(title, str) else ""


def _entity(document: Document) -> Entity:
    assert document.kind is not None and document.id is not None
    return Entity(document.kind, document.id, _title(document.data), document.file)


def _changes(before: Mapping[EntityKey, Document], after: Mapping[EntityKey, Document]) -> Iterator[EntityChange]:
    for key in _ordered(before.keys() & after.keys()):
        old, new = before[key], after[key]
        fields = tuple(field_changes(old.data, new.data))
        if fields or old.file != new.file:
            yield EntityChange(key[0], key[1], _title(new.data), old.file, new.file, fields)


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> Iterator[FieldChange]:
    """Mappings compared key by key (in the new document's order); lists and scalars as whole values."""
    for key in [*new, *(key for key in old if key not in new)]:
        path = f"{prefix}{key}"
        if key not in new:
            yield FieldChange(path, old[key], None, "removed")
        elif key not in old:
            yield FieldChange(path, None, new[key], "added")
        elif isinstance(old[key], dict) and isinstance(new[key], dict):
            yield from field_changes(old[key], new[key], f"{path}.")
        elif old[key] != new[key]:
            yield FieldChange(path, old[key], new[key], "changed")


def _ranks_or_note(old: Portfolio, new: Portfolio, method: Method, top: int) -> tuple[Ranks | None, tuple[str, ...]]:
    """The rankings compared, or a note when a side cannot be ranked by `method` (no scoring model, say)."""
    try:
        return _compare_ranks(rank(old, method).items, rank(new, method).items, method, top), ()
    except UsageError as error:
        return None, (f"ranks not compared: {error}",)


def _compare_ranks(old: Iterable[Ranked], new: Iterable[Ranked], method: str, top: int) -> Ranks:
    before = {entry.id: entry for entry in old}
    after = {entry.id: entry for entry in new}
    order = [*after, *(ident for ident in before if ident not in after)]
    items = tuple(_rank_move(before.get(ident), after.get(ident)) for ident in order)
    entered = tuple(ident for ident in after if _in_top(after, ident, top) and not _in_top(before, ident, top))
    left = tuple(ident for ident in before if _in_top(before, ident, top) and not _in_top(after, ident, top))
    return Ranks(method, top, items, entered, left)


def _rank_move(old: Ranked | None, new: Ranked | None) -> RankMove:
    either = new or old
    assert either is not None
    return RankMove(
        either.id,
        either.title,
        old.rank if old else None,
        new.rank if new else None,
        old.score if old else None,
        new.score if new else None,
    )


def _in_top(ranked: Mapping[str, Ranked], ident: str, top: int) -> bool:
    return ident in ranked and ranked[ident].rank <= top


def _compare_totals(old: Portfolio, new: Portfolio) -> tuple[TotalChange, ...]:
    before, after = _totals(old), _totals(new)
    years = sorted({year for year, _ in before} | {year for year, _ in after})
    return tuple(
        TotalChange(year, figure, Movement(before.get((year, figure), 0.0), after.get((year, figure), 0.0)))
        for year in years
        for figure in FIGURES
    )


def _totals(portfolio: Portfolio) -> dict[tuple[int, Figure], float]:
    return {(total.year, figure): getattr(total, figure) for total in totals_by_year(portfolio) for figure in FIGURES}


def _npv(portfolio: Portfolio) -> float:
    return sum(metrics.npv for metrics in portfolio_metrics(portfolio))


def _broken_note(old: Side, new: Side) -> str:
    broken = [side.label for side in (old, new) if side.portfolio is None]
    verb = "has" if len(broken) == 1 else "have"
    return f"ranks, totals and NPV not compared: {' and '.join(broken)} {verb} errors"


def _compare_selection(old: frozenset[str] | None, new: frozenset[str] | None) -> SelectionChange | None:
    if old is None or new is None:
        return None
    return SelectionChange(tuple(sorted(new - old)), tuple(sorted(old - new)))


def _unmatched(findings: Iterable[Finding], others: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings without a counterpart among `others`; lines are ignored, since text inserted above moves them."""
    unmatched = Counter(_finding_key(finding) for finding in others)
    kept = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = _finding_key(finding)
        if unmatched[key]:
            unmatched[key] -= 1
        else:
            kept.append(finding)
    return tuple(kept)


def _finding_key(finding: Finding) -> tuple[str, str, str, str]:
    return (finding.rule, finding.file, finding.path, finding.message)


def _currency(validation: Validation) -> str:
    """The currency the Portfolio document declares, read raw so that a side with errors still has one."""
    for document in validation.documents:
        currency = document.data.get("currency") if document.kind == "Portfolio" else None
        if isinstance(currency, str):
            return currency
    return ""


def _headline_parts(c: Comparison) -> list[str]:
    biggest = sorted(c.moved_totals, key=lambda total: -abs(total.amounts.delta))[:HEADLINE_TOTALS]
    parts = [_total_text(total, c.currency) for total in biggest]
    if not parts and c.npv and c.npv.moved:
        parts.append(f"NPV {compact_money(c.npv.delta, c.currency, signed=True)}")
    if c.ranks and c.ranks.re_ranked:
        parts.append(f"{_counted(c.ranks.re_ranked, 'item')} re-ranked")
    for entities, verb in ((c.added, "added"), (c.removed, "removed")):
        items = sum(1 for entity in entities if entity.kind == "Item")
        if items:
            parts.append(f"{_counted(items, 'item')} {verb}")
    if c.selection and c.selection.changed:
        parts.append(f"selection: {len(c.selection.entered)} in, {len(c.selection.left)} out")
    return parts + _findings_parts(c.findings_introduced, c.findings_fixed)


def _findings_parts(introduced: Iterable[Finding], fixed: Iterable[Finding]) -> list[str]:
    """Counts such as "1 new error" or "2 warnings fixed"; info findings are left out."""
    parts = []
    for findings, template in ((introduced, "{} new {}"), (fixed, "{} {} fixed")):
        counts = Counter(finding.severity for finding in findings)
        parts += [
            template.format(counts[severity], _noun(counts[severity], severity.value))
            for severity in (Severity.ERROR, Severity.WARNING)
            if counts[severity]
        ]
    return parts


def _total_text(total: TotalChange, currency: str) -> str:
    amount = compact_money(total.amounts.delta, currency, signed=True)
    percent = total.amounts.percent
    change = f"{amount} ({percent_text(percent)})" if percent is not None else amount
    return f"{total.figure.capitalize()} {total.year} {change}"


def _noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun for `n` things: "item" for 1, "items" otherwise."""
    return singular if n == 1 else plural or singular + "s"


def _counted(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun: "1 item", "3 items"."""
    return f"{n} {_noun(n, singular, plural)}"


def compact_money(amount: float, currency: str, *, signed: bool = False) -> str:
    """An amount as a reader takes it in at a glance: £1.2M, £350k, -£40k (+£40k when `signed`)."""
    sign = "-" if amount < 0 else "+" if signed and amount > 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} " if currency else "")
    return f"{sign}{symbol}{_compact(abs(amount))}"


def _compact(size: float) -> str:
    for scale, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if round(size / scale, 1) >= 1:  # 999,950 reads as 1M, not 1000k
            value = size / scale
            return (f"{value:.1f}" if value < 9.95 else f"{value:.0f}").removesuffix(".0") + suffix
    return f"{size:.0f}"


def percent_text(percent: float) -> str:
    """+4 %, -12.5 %: one decimal at most."""
    return f"{percent:+.1f}".removesuffix(".0") + " %"
