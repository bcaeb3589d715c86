"""`pfm diff` as plain text for a terminal and Markdown for a pull-request comment (its JSON is `Comparison.to_dict`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pfm.findings import Finding
from pfm.reporting.findings import text_line
from pfm.reporting.tables import Kind, format_cell, md_text, one_line, plain_text
from pfm.review.comparison import Comparison, Movement, headline
from pfm.review.entities import Entity, EntityChange, FieldChange
from pfm.review.rank_changes import Ranks
from pfm.wording import percent_text

MARKER = "<!-- pfm-diff -->"  # lets a CI job find and update its earlier comment
MOVERS_SHOWN = 20
CELL_CHARS = 120  # user text longer than this is cut in Markdown (a whole list of costs, say)
CONTEXT_CHARS = 30  # of a long value, Markdown shows this much before the first difference
EMPTY = "–"
TRUNCATED = "\n---\n_This comment was cut to fit. Run `pfm diff` locally to see everything._\n"

Row = Sequence[str]
MOVER_COLUMNS = ("item", "title", "old rank", "new rank", "move", "old score", "new score")
TOTAL_COLUMNS = ("year", "figure", "old", "new", "delta", "%")
ENTITY_COLUMNS = ("kind", "id", "title", "file")
CHANGE_COLUMNS = ("entity", "field", "old", "new")
FINDING_COLUMNS = ("where", "severity", "rule", "message")


# --- Rows shared by text and Markdown (raw text: each format escapes its own way) ---------------


def _totals_title(c: Comparison) -> str:
    return f"Totals ({c.currency})" if c.currency else "Totals"


def _total_rows(c: Comparison) -> list[Row]:
    rows: list[Row] = [[str(t.year), t.figure, *_amount_cells(t.amounts)] for t in c.moved_totals]
    if c.npv is not None and c.npv.moved:
        rows.append(["all", "NPV", *_amount_cells(c.npv)])
    return rows


def _amount_cells(amounts: Movement) -> list[str]:
    delta = format_cell(amounts.delta, Kind.MONEY)
    percent = amounts.percent
    return [
        format_cell(amounts.old, Kind.MONEY),
        format_cell(amounts.new, Kind.MONEY),
        delta if delta.startswith("-") else f"+{delta}",
        percent_text(percent) if percent is not None else EMPTY,
    ]


def _mover_rows(ranks: Ranks) -> list[Row]:
    return [
        [
            m.id,
            m.title,
            format_cell(m.old_rank, Kind.WHOLE),
            format_cell(m.new_rank, Kind.WHOLE),
            _places(m.change, m.old_rank),
            format_cell(m.old_score),
            format_cell(m.new_score),
        ]
        for m in ranks.movers
    ]


def _places(change: int | None, old_rank: int | None) -> str:
    if change is None:
        return "new" if old_rank is None else "out"
    return f"{change:+d}"


def _top_lines(ranks: Ranks) -> list[str]:
    moves = (("Entering", ranks.entered_top), ("Leaving", ranks.left_top))
    return [f"{verb} the top {ranks.top}: {', '.join(ids)}" for verb, ids in moves if ids]


def _entity_rows(entities: Iterable[Entity]) -> list[Row]:
    return [[e.kind, e.id, e.title, e.file] for e in entities]


def _change_rows(changes: Iterable[EntityChange], width: int | None = None) -> list[Row]:
    rows: list[Row] = []
    for change in changes:
        entity = f"{change.kind} {change.id}"
        if change.moved:
            rows.append([entity, "(file)", change.old_file, change.new_file])
        rows += [[entity, f.path, *_field_values(f, width)] for f in change.fields]
    return rows


def _field_values(field: FieldChange, width: int | None) -> list[str]:
    """Old and new value; when `width` is given and they are longer, from a little before they first differ."""
    old = EMPTY if field.change == "added" else _flow(field.old)
    new = EMPTY if field.change == "removed" else _flow(field.new)
    if width is None or max(len(old), len(new)) <= width:
        return [old, new]
    start = next((k for k, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    skip = max(0, start - CONTEXT_CHARS)
    return [_elided(old, skip), _elided(new, skip)]


def _elided(text: str, skip: int) -> str:
    return "…" + text[skip:] if skip else text


def _flow(value: Any) -> str:
    """A YAML value on one line, in flow style: [a, b], {year: 2028, capex: 900,000}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and abs(value) >= 10_000:  # amounts; years and scores stay as written
        return f"{value:,.15g}"
    return "null" if value is None else str(value)


def _selection_rows(c: Comparison) -> list[Row]:
    if c.selection is None:
        return []
    moves = (("enters", c.selection.entered), ("leaves", c.selection.left))
    return [[ident, change] for change, ids in moves for ident in ids]


@dataclass(frozen=True, slots=True)
class DiffTable:
    """One table of `pfm diff`'s Markdown, as raw text (each format escapes its own way): what the board pack's
    changes section shows too."""

    title: str  # a folded part's says how many things it holds: "Changed (3)"
    columns: Row
    rows: tuple[Row, ...]
    numeric_from: int | None = None  # the columns from this one on hold figures (aligned right)
    folded: bool = False  # Markdown folds it away in <details>
    after: tuple[str, ...] = ()  # lines after the table
    hidden: int = 0  # rows left out (rank movers beyond MOVERS_SHOWN)
    code: int | None = None  # a column shown as code (a rule id)


def parts(c: Comparison) -> list[DiffTable]:
    """The tables of `pfm diff -f markdown`, in its order, those without rows left out; long values cut as it cuts
    them (from a little before they first differ)."""
    found = [DiffTable(_totals_title(c), TOTAL_COLUMNS, tuple(_total_rows(c)), numeric_from=2)]
    if c.ranks is not None:
        movers = _mover_rows(c.ranks)
        shown = tuple(movers[:MOVERS_SHOWN])
        title = f"Rank movers ({c.ranks.method})"
        after = tuple(_top_lines(c.ranks))
        found.append(
            DiffTable(title, MOVER_COLUMNS, shown, numeric_from=2, after=after, hidden=len(movers) - len(shown))
        )
    selection = tuple(_selection_rows(c))
    folded = [
        ("Findings introduced", len(c.findings_introduced), FINDING_COLUMNS, _finding_rows(c.findings_introduced)),
        ("Selection changes", len(selection), ("item", "change"), selection),
        ("Added", len(c.added), ENTITY_COLUMNS, tuple(_entity_rows(c.added))),
        ("Removed", len(c.removed), ENTITY_COLUMNS, tuple(_entity_rows(c.removed))),
        ("Changed", len(c.changed), CHANGE_COLUMNS, tuple(_change_rows(c.changed, CELL_CHARS))),
        ("Findings fixed", len(c.findings_fixed), FINDING_COLUMNS, _finding_rows(c.findings_fixed)),
    ]
    found += [
        DiffTable(f"{title} ({count})", columns, rows, folded=True, code=2 if columns is FINDING_COLUMNS else None)
        for title, count, columns, rows in folded
    ]
    return [replace(part, rows=_cut(part.rows)) for part in found if part.rows]


def _cut(rows: Sequence[Row]) -> tuple[Row, ...]:
    return tuple(tuple(one_line(cell, CELL_CHARS) for cell in row) for row in rows)


def _finding_rows(findings: Sequence[Finding]) -> tuple[Row, ...]:
    """Findings as pfm validate's Markdown shows them: where, severity, rule, message."""
    return tuple((f.location_text(), str(f.severity), f.rule, _message(f)) for f in findings)


# --- Plain text ---------------------------------------------------------------------------------


def to_text(c: Comparison) -> str:
    """Every part of the comparison for a terminal, without colour; user text cannot drive the terminal."""
    lines = [f"pfm diff: {plain_text(c.old.label)} -> {plain_text(c.new.label)}", plain_text(headline(c))]
    lines += [f"note: {plain_text(note)}" for note in c.notes]
    lines += _text_section(_totals_title(c), TOTAL_COLUMNS, _total_rows(c), numeric_from=2)
    if c.ranks is not None:
        lines += _text_section(f"Rank movers ({c.ranks.method})", MOVER_COLUMNS, _mover_rows(c.ranks), numeric_from=2)
        lines += [f"  {plain_text(line)}" for line in _top_lines(c.ranks)]
    lines += _text_section("Findings introduced", (), [[text_line(f)] for f in c.findings_introduced])
    lines += _text_section("Selection", ("item", "change"), _selection_rows(c))
    lines += _text_section("Added", ENTITY_COLUMNS, _entity_rows(c.added))
    lines += _text_section("Removed", ENTITY_COLUMNS, _entity_rows(c.removed))
    changes = [[f"{entity}: {field}: {old} -> {new}"] for entity, field, old, new in _change_rows(c.changed)]
    lines += _text_section("Changed", (), changes)
    lines += _text_section("Findings fixed", (), [[text_line(f)] for f in c.findings_fixed])
    return "\n".join(lines) + "\n"


def _text_section(title: str, columns: Row, rows: Sequence[Row], numeric_from: int | None = None) -> list[str]:
    """A titled, aligned table (nothing when there are no rows); columns from `numeric_from` on align right."""
    if not rows:
        return []
    table = [[plain_text(cell) for cell in row] for row in ([columns] if columns else []) + list(rows)]
    widths = [max(len(row[k]) for row in table) for k in range(len(table[0]))]
    right = numeric_from if numeric_from is not None else len(widths)
    return ["", title, *(_aligned(row, widths, right) for row in table)]


def _aligned(row: Row, widths: Sequence[int], right: int) -> str:
    cells = (
        cell.rjust(w) if k >= right else cell.ljust(w) for k, (cell, w) in enumerate(zip(row, widths, strict=True))
    )
    return ("  " + "  ".join(cells)).rstrip()


# --- Markdown -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    """A part of the comment that can be cut short: fixed text around rows, of which any first few may be shown."""

    head: str
    rows: tuple[str, ...]
    tail: str = ""
    hidden: int = 0  # rows left out whatever the room (movers beyond MOVERS_SHOWN)

    def render(self, shown: int) -> str:
        hidden = self.hidden + len(self.rows) - shown
        more = f"\n_{hidden} more rows not shown: run `pfm diff` locally to see them all._\n" if hidden else ""
        return self.head + "".join(row + "\n" for row in self.rows[:shown]) + more + self.tail

    def fit(self, room: int) -> str | None:
        """The block with as many rows as fit in `room` characters; None when not even one does."""
        whole = self.render(len(self.rows))
        if len(whole) <= room:
            return whole
        low, high = 0, len(self.rows)  # invariant: rows[:low] fit (or low == 0), rows[:high + 1] do not
        while low < high:
            middle = (low + high + 1) // 2
            if len(self.render(middle)) <= room:
                low = middle
            else:
                high = middle - 1
        text = self.render(low)
        return text if low and len(text) <= room else None


def to_markdown(c: Comparison, limit: int = 60_000) -> str:
    """A pull-request comment of at most `limit` characters; when cut, the headline and a note stay."""
    head = _md_head(c)
    blocks = _md_blocks(c)
    whole = head + "".join(block.render(len(block.rows)) for block in blocks)
    if len(whole) <= limit:
        return whole.rstrip("\n") + "\n"
    room = limit - len(head) - len(TRUNCATED)
    kept = []
    for block in blocks:  # in order of importance: what is early wins the room
        text = block.fit(room)
        if text is not None:
            kept.append(text)
            room -= len(text)
    # Stripping the kept text's trailing blank lines leaves room for the one newline added back.
    return ((head + "".join(kept)).rstrip("\n") + "\n" + TRUNCATED)[:limit]


def _md_head(c: Comparison) -> str:
    notes = "".join(f"> {_md(note, None)}\n" for note in c.notes)
    title = f"### pfm diff: {_md(c.old.label)} → {_md(c.new.label)}"
    return f"{MARKER}\n{title}\n\n**{_md(headline(c), None)}**\n\n" + (f"{notes}\n" if notes else "")


def _md_blocks(c: Comparison) -> list[_Block]:
    return [_md_block(part) for part in parts(c)]


def _md_block(part: DiffTable) -> _Block:
    """A part as a Markdown table; a folded one collapsed (GitHub needs the blank line after <summary> to render the
    table inside)."""
    right = part.numeric_from if part.numeric_from is not None else len(part.columns)
    aligns = "|" + "|".join("--:" if k >= right else "---" for k in range(len(part.columns))) + "|"
    header = "| " + " | ".join(part.columns) + " |\n" + aligns + "\n"
    rows = tuple("| " + " | ".join(_md_cell(part, k, cell) for k, cell in enumerate(row)) + " |" for row in part.rows)
    if part.folded:
        return _Block(f"<details><summary>{part.title}</summary>\n\n{header}", rows, "\n</details>\n\n")
    after = "".join(f"\n{_md(line, None)}\n" for line in part.after)
    return _Block(f"#### {_md(part.title)}\n\n{header}", rows, after + "\n", part.hidden)


def _md_cell(part: DiffTable, column: int, cell: str) -> str:
    return f"`{cell}`" if column == part.code else _md(cell)


def _message(finding: Finding) -> str:
    return f"{finding.message}; {finding.hint}" if finding.hint else finding.message


def _md(text: str, limit: int | None = CELL_CHARS) -> str:
    return md_text(text, limit)
