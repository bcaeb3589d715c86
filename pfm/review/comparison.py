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

from pfm.analysis.finance import portfolio_npv, totals_by_year
from pfm.analysis.scenarios import apply_scenario
from pfm.errors import UsageError
from pfm.findings import Finding, Severity
from pfm.io.loading import ROOT_FILES, Document
from pfm.methods import METHODS
from pfm.model import Portfolio
from pfm.review.rank_changes import Ranks, compare_ranks
from pfm.validation.building import build_portfolio
from pfm.validation.validator import Validation, collector_paused, validate

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

EntityKey = tuple[str, str]  # (kind, id)


@dataclass(frozen=True, slots=True)
class Side:
    """One revision of the portfolio: its findings, and its model when it has no errors."""

    label: str  # e.g. "main (abc1234)" or "working tree"
    validation: Validation
    portfolio: Portfolio | None  # None when validation has errors


def read_side(folder: Path, label: str, scenario: str | None = None) -> Side:
    """Validate the portfolio in `folder` and build its model from the same documents when it is valid.

    A folder without portfolio.yaml is an empty side: the base of the change that adds the portfolio.
    `scenario` is applied to the model; a side without that scenario is a usage error naming the side.
    """
    if not any((folder / name).is_file() for name in ROOT_FILES):
        return Side(label, Validation(folder, (), (), ()), None)
    with collector_paused():
        validation = validate(folder)
        portfolio = build_portfolio(validation.root, validation.documents) if validation.ok else None
    if portfolio is not None and scenario is not None:
        try:
            portfolio = apply_scenario(portfolio, scenario)
        except UsageError as error:
            raise UsageError(f"{label}: {error}") from None
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


def compare(
    old: Side,
    new: Side,
    *,
    method: str = "weighted",
    top: int = 10,
    old_selected: frozenset[str] | None = None,
    new_selected: frozenset[str] | None = None,
    notes: Iterable[str] = (),
) -> Comparison:
    """Compare two sides; ranks use `method` and report who enters or leaves the `top`.

    `notes` are the caller's own on what it could not compare (a selection, say), kept after compare's.
    """
    if method not in METHODS:
        raise UsageError(f"unknown scoring method '{method}' (choose one of: {', '.join(METHODS)})")
    before, after = _entities(old.validation), _entities(new.validation)
    ranks: Ranks | None = None
    totals: tuple[TotalChange, ...] = ()
    npv: Movement | None = None
    if old.portfolio is not None and new.portfolio is not None:
        ranks, own = compare_ranks(old.portfolio, new.portfolio, method, top)
        totals = _compare_totals(old.portfolio, new.portfolio)
        npv = Movement(portfolio_npv(old.portfolio), portfolio_npv(new.portfolio))
    else:
        own = (_broken_note(old, new),)
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
        notes=(*own, *notes),
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
    """Mappings compared key by key (in the new document's order), lists of records by their key
    (`costs[year=2028].capex`), other lists and scalars as whole values."""
    for key in [*new, *(key for key in old if key not in new)]:
        path = f"{prefix}{key}"
        if key not in new:
            yield FieldChange(path, old[key], None, "removed")
        elif key not in old:
            yield FieldChange(path, None, new[key], "added")
        elif isinstance(old[key], dict) and isinstance(new[key], dict):
            yield from field_changes(old[key], new[key], f"{path}.")
        elif old[key] != new[key] and (by := _record_key(old[key], new[key])) is not None:
            yield from field_changes(_keyed(old[key], by), _keyed(new[key], by), f"{path}[{by}=")
        elif old[key] != new[key]:
            yield FieldChange(path, old[key], new[key], "changed")


RECORD_KEYS = ("id", "year", "name", "period", "rater")  # what tells the records of a list apart


def _record_key(old: Any, new: Any) -> str | None:
    """The field that identifies every record of both lists once, if they are lists of records."""
    records = [*old, *new] if isinstance(old, list) and isinstance(new, list) else []
    if not records or not all(isinstance(record, dict) for record in records):
        return None
    for key in RECORD_KEYS:
        if all(key in record for record in records) and all(
            len({str(r[key]) for r in side}) == len(side) for side in (old, new)
        ):
            return key
    return None


def _keyed(records: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Records by the value of their key, as the `key=value]` part of a path (closed by the caller's `.`)."""
    return {f"{record[key]}]": {k: v for k, v in record.items() if k != key} for record in records}


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


def _broken_note(old: Side, new: Side) -> str:
    """Why there is no model to compare: "main has no portfolio", "main and working tree have errors"."""
    reasons: dict[str, list[str]] = {}
    for side in (old, new):
        if side.portfolio is None:
            reasons.setdefault("errors" if side.validation.files else "no portfolio", []).append(side.label)
    said = [f"{' and '.join(labels)} {'has' if len(labels) == 1 else 'have'} {why}" for why, labels in reasons.items()]
    return f"ranks, totals and NPV not compared: {'; '.join(said)}"


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
