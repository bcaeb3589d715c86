"""How pfm words amounts and counts for a reader: compact money, signed percentages, nouns for counts.

Reports, pull-request comments and a comparison's headline share these so that "+£1.2M (+4 %)" reads the same
everywhere.
"""

from __future__ import annotations

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun for `n` things: "item" for 1, "items" otherwise."""
    return singular if n == 1 else plural or singular + "s"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun: "1 item", "3 items"."""
    return f"{n} {noun(n, singular, plural)}"


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
