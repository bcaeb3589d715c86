"""How pfm words amounts and counts for a reader: compact money, signed percentages, nouns for counts.

Reports, pull-request comments and a comparison's headline share these so that "+£1.2M (+4 %)" reads the same
everywhere.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


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
