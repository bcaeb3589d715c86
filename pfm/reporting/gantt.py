"""The roadmap drawn: a Mermaid gantt (GitHub, the board pack) and a bar of text per item for the terminal."""

from __future__ import annotations

import re

from pfm.analysis.roadmap import Planned, Roadmap
from pfm.model import Portfolio
from pfm.periods import quarter_index
from pfm.reporting.tables import plain_text

_MERMAID_ESCAPES = {c: f"#{ord(c)};" for c in ':#;()`"%<>&'}
_MERMAID_KEYWORD = re.compile(
    r"^(?:gantt|title|section|click|call|href|dateformat|axisformat|tickinterval|excludes|includes|todaymarker"
    r"|weekday|weekend|inclusiveenddates|topaxis|acctitle|accdescr|displaymode)\b|^\d{4}-\d\d-\d\d",
    re.IGNORECASE,
)


def mermaid_label(text: str) -> str:
    """User text made safe for a Mermaid gantt label: special characters become entity codes."""
    text = plain_text(text)
    escaped = "".join(_MERMAID_ESCAPES.get(c, c) for c in text)
    if _MERMAID_KEYWORD.match(text):  # would be read as a statement: hide its first character too
        escaped = f"#{ord(text[0])};{escaped[1:]}"
    return escaped


def _first_day(index: int) -> str:
    year, quarter = divmod(index, 4)
    return f"{year:04d}-{3 * quarter + 1:02d}-01"


def mermaid_gantt(portfolio: Portfolio, roadmap: Roadmap, rows: int | None = None) -> str:
    """A Mermaid gantt of the scheduled items (the first `rows` by start, when given), a section per programme
    (parent), then "Standalone"."""
    sections: dict[str | None, list[Planned]] = {}
    for entry in roadmap.items[:rows]:
        sections.setdefault(portfolio.items[entry.id].parent, []).append(entry)
    if None in sections:
        sections[None] = sections.pop(None)
    title = mermaid_label(portfolio.title or portfolio.name)
    lines = ["gantt", f"    title {title}", "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m"]
    for parent, entries in sections.items():
        programme = portfolio.items.get(parent) if parent else None
        lines.append(f"    section {mermaid_label(programme.title if programme else parent or 'Standalone')}")
        for entry in entries:
            assert entry.scheduled_start is not None and entry.end is not None
            item = portfolio.items[entry.id]
            task = re.sub(r"[^A-Za-z0-9_-]", "_", entry.id)
            begins, ends = _first_day(quarter_index(entry.scheduled_start)), _first_day(quarter_index(entry.end) + 1)
            tags = "active, " if entry.fixed else ""
            lines.append(f"    {mermaid_label(item.title or item.id)} :{tags}{task}, {begins}, {ends}")
    return "\n".join(lines) + "\n"


def text_gantt(portfolio: Portfolio, roadmap: Roadmap) -> list[tuple[str, str]]:
    """One bar per scheduled item, a character per quarter: █ scheduled, ░ delay after the requested start."""
    horizon = range(quarter_index(portfolio.first_period), quarter_index(portfolio.last_period) + 1)
    bars = []
    for entry in roadmap.items:
        assert entry.scheduled_start is not None and entry.end is not None
        start, end = quarter_index(entry.scheduled_start), quarter_index(entry.end)
        requested = quarter_index(entry.requested_start) if entry.requested_start else start
        bar = "".join("█" if start <= q <= end else "░" if requested <= q < start else "·" for q in horizon)
        bars.append((entry.id, bar))
    return bars
