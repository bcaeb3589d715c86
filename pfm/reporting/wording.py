"""How pfm words amounts and changes for a reader: compact money, signed percentages, a comparison's headline.

Reports and pull-request comments share these so that "+£1.2M (+4 %)" reads the same everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from pfm.findings import Finding, Severity

if TYPE_CHECKING:
    from pfm.review.comparison import Comparison, TotalChange

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
HEADLINE_TOTALS = 2


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


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun for `n` things: "item" for 1, "items" otherwise."""
    return singular if n == 1 else plural or singular + "s"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun: "1 item", "3 items"."""
    return f"{n} {noun(n, singular, plural)}"


def compact_money(amount: float, currency: str, *, signed: bool = False, digits: int = 3) -> str:
    """An amount as a reader takes it in at a glance: `digits` significant digits at most, halves rounded away from
    zero, trailing zeros dropped: £12.5M, £1.25M, £350k, £1M for 999,999, -£40k (+£40k when `signed`)."""
    text = _compact(abs(amount), digits)
    sign = "" if text == "0" else "-" if amount < 0 else "+" if signed and amount > 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} " if currency else "")
    return f"{sign}{symbol}{text}"


def _compact(size: float, digits: int) -> str:
    rounded = _significant(Decimal(repr(float(size))), digits) if size else Decimal(0)
    for scale, suffix in ((Decimal("1e9"), "bn"), (Decimal("1e6"), "M"), (Decimal("1e3"), "k")):
        if rounded >= scale:  # rounded first, so that 999,999 reads as 1M, not 1000k
            return _plain(rounded / scale) + suffix
    return _plain(rounded.quantize(Decimal(1), ROUND_HALF_UP))


def _significant(size: Decimal, digits: int) -> Decimal:
    """`size` (> 0) rounded half up to `digits` significant digits."""
    return size.quantize(Decimal(1).scaleb(size.adjusted() - digits + 1), ROUND_HALF_UP)


def _plain(number: Decimal) -> str:
    """1.250 -> "1.25", 12E+1 -> "120": fixed-point, no trailing zeros."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(percent: float) -> str:
    """+4 %, -12.5 %: one decimal at most."""
    return f"{percent:+.1f}".removesuffix(".0") + " %"
