"""Compare a portfolio at two revisions: what a pull request does to it, for the reviewer.

Entities and findings are compared on the raw documents, so a side with errors still shows
what changed. Ranks, yearly totals and NPV need a built Portfolio, so both sides must be free
of errors for them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pfm.analysis.finance import portfolio_npv, totals_by_year
from pfm.analysis.scenarios import apply_scenario
from pfm.errors import UsageError
from pfm.findings import Finding, Severity
from pfm.io.loading import ROOT_FILES
from pfm.methods import METHODS
from pfm.model import Portfolio
from pfm.results import Result
from pfm.review.entities import Entity, EntityChange, compare_documents
from pfm.review.rank_changes import Ranks, compare_ranks
from pfm.validation.building import build_portfolio
from pfm.validation.validator import Reread, Validation, collector_paused, validate
from pfm.wording import compact_money, counted, noun, percent_text

Figure = Literal["capex", "opex", "benefits"]
FIGURES: tuple[Figure, ...] = ("capex", "opex", "benefits")
HEADLINE_TOTALS = 2


@dataclass(frozen=True, slots=True)
class Side:
    """One revision of the portfolio: its findings, and its model when it has no errors."""

    label: str  # e.g. "main (abc1234)" or "working tree"
    validation: Validation
    portfolio: Portfolio | None  # None when validation has errors

    def to_dict(self) -> dict[str, Any]:
        """The side's label and health, as `pfm diff -f json` gives them."""
        validation = self.validation
        return {
            "label": self.label,
            "ok": validation.ok,
            "errors": validation.count(Severity.ERROR),
            "warnings": validation.count(Severity.WARNING),
        }


def read_side(folder: Path, label: str, scenario: str | None = None, reread: Reread | None = None) -> Side:
    """Validate the portfolio in `folder` and build its model from the same documents when it is valid.

    A folder without portfolio.yaml is an empty side: the base of the change that adds the portfolio.
    `scenario` is applied to the model; a side without that scenario is a usage error naming the side.
    """
    if not any((folder / name).is_file() for name in ROOT_FILES):
        return Side(label, Validation(folder, (), (), ()), None)
    with collector_paused():
        validation = validate(folder, reread=reread)
        portfolio = build_portfolio(validation.root, validation.documents) if validation.ok else None
    if portfolio is not None and scenario is not None:
        try:
            portfolio = apply_scenario(portfolio, scenario)
        except UsageError as error:
            raise UsageError(f"{label}: {error}") from None
    return Side(label, validation, portfolio)


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

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "delta": self.delta, "percent": self.percent}


@dataclass(frozen=True, slots=True)
class TotalChange:
    """One figure of one fiscal year, summed over every business case."""

    year: int
    figure: Figure
    amounts: Movement


@dataclass(frozen=True, slots=True)
class Comparison(Result):
    """Everything a change does to the portfolio, from `old` to `new`: what `pfm diff` shows."""

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

    def to_dict(self) -> dict[str, Any]:
        """What `pfm diff -f json` prints: stable keys, old/new/delta side by side, lists in a fixed order."""
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "material": self.material,
            "headline": headline(self),
            "currency": self.currency,
            "notes": list(self.notes),
            "entities": {
                "added": [entity.to_dict() for entity in self.added],
                "removed": [entity.to_dict() for entity in self.removed],
                "changed": [change.to_dict() for change in self.changed],
            },
            "ranks": self.ranks.to_dict() if self.ranks is not None else None,
            "selection": (
                {"entered": list(self.selection.entered), "left": list(self.selection.left)}
                if self.selection is not None
                else None
            ),
            "totals": [{"year": t.year, "figure": t.figure, **t.amounts.to_dict()} for t in self.totals],
            "npv": self.npv.to_dict() if self.npv is not None else None,
            "findings": {
                "introduced": [finding.to_dict() for finding in self.findings_introduced],
                "fixed": [finding.to_dict() for finding in self.findings_fixed],
            },
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per entity added or removed and per field changed (a moved file is the field "file")."""
        rows = [_record(e.kind, e.id, e.title, "added") for e in self.added]
        rows += [_record(e.kind, e.id, e.title, "removed") for e in self.removed]
        for change in self.changed:
            key = (change.kind, change.id, change.title)
            if change.moved:
                rows.append(_record(*key, "moved", "file", change.old_file, change.new_file))
            rows += [_record(*key, f.change, f.path, f.old, f.new) for f in change.fields]
        return rows


def _record(
    kind: str, ident: str, title: str, change: str, field: str | None = None, old: Any = None, new: Any = None
) -> dict[str, Any]:
    return {"kind": kind, "id": ident, "title": title, "change": change, "field": field, "old": old, "new": new}


def headline(c: Comparison) -> str:
    """One sentence for a reviewer, e.g. "Capex 2027 +£1.2M (+4 %); 3 items re-ranked; 1 new error"."""
    if not c.material:
        return "No material change"
    parts = _headline_parts(c)
    if parts:
        return "; ".join(parts)
    touched = len(c.added) + len(c.removed) + sum(1 for change in c.changed if change.material)
    return f"{counted(touched, 'entity', 'entities')} changed"


def _headline_parts(c: Comparison) -> list[str]:
    biggest = sorted(c.moved_totals, key=lambda total: -abs(total.amounts.delta))[:HEADLINE_TOTALS]
    parts = [_total_text(total, c.currency) for total in biggest]
    if not parts and c.npv and c.npv.moved:
        parts.append(f"NPV {compact_money(c.npv.delta, c.currency, signed=True)}")
    if c.ranks and c.ranks.re_ranked:
        parts.append(f"{counted(c.ranks.re_ranked, 'item')} re-ranked")
    for entities, verb in ((c.added, "added"), (c.removed, "removed")):
        items = sum(1 for entity in entities if entity.kind == "Item")
        if items:
            parts.append(f"{counted(items, 'item')} {verb}")
    if c.selection and c.selection.changed:
        parts.append(f"selection: {len(c.selection.entered)} in, {len(c.selection.left)} out")
    return parts + _findings_parts(c.findings_introduced, c.findings_fixed)


def _findings_parts(introduced: Iterable[Finding], fixed: Iterable[Finding]) -> list[str]:
    """Counts such as "1 new error" or "2 warnings fixed"; info findings are left out."""
    parts = []
    for findings, template in ((introduced, "{} new {}"), (fixed, "{} {} fixed")):
        counts = Counter(finding.severity for finding in findings)
        parts += [
            template.format(counts[severity], noun(counts[severity], severity.value))
            for severity in (Severity.ERROR, Severity.WARNING)
            if counts[severity]
        ]
    return parts


def _total_text(total: TotalChange, currency: str) -> str:
    amount = compact_money(total.amounts.delta, currency, signed=True)
    percent = total.amounts.percent
    change = f"{amount} ({percent_text(percent)})" if percent is not None else amount
    return f"{total.figure.capitalize()} {total.year} {change}"


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
    added, removed, changed = compare_documents(old.validation, new.validation)
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
        added=added,
        removed=removed,
        changed=changed,
        ranks=ranks,
        selection=_compare_selection(old_selected, new_selected),
        totals=totals,
        npv=npv,
        findings_introduced=_unmatched(new.validation.findings, old.validation.findings),
        findings_fixed=_unmatched(old.validation.findings, new.validation.findings),
        notes=(*own, *notes),
    )


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
