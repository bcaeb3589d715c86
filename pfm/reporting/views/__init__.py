"""Results as tables for people: one module per result, each turning a library result into a `Table`.

A `Table` is what every table-shaped output reads: the terminal (rich, in `pfm.cli`), CSV, Markdown, and the JSON
payload, which is always the result's own `to_dict()`. A view chooses the columns, their kinds, the title and the
warnings and remarks worth a line; it computes nothing the result does not already hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pfm.findings import Finding
from pfm.reporting.findings import text_line
from pfm.reporting.tables import Cell, Kind, md_escape, to_markdown


@dataclass
class Table:
    """A result as a table for people and a payload for scripts."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    payload: dict[str, Any]
    kinds: list[Kind] = field(default_factory=list)  # per column; text when empty
    notes: list[str] = field(default_factory=list)  # warnings: stderr for table/csv/json, below the table in markdown
    # Further tables for people (table and markdown formats); the payload carries their data for JSON.
    sections: list[Table] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # facts worth a line (not warnings): stderr, or in markdown
    # Findings met while computing the result (a score that is not a finite number): file:line:col lines
    # with the warnings, and a "findings" list in the payload of every command that can meet them.
    findings: Sequence[Finding] | None = None

    def warnings(self) -> list[str]:
        """The lines to warn with: each finding at its file:line:col, then each note."""
        return [text_line(f) for f in self.findings or ()] + [f"warning: {note}" for note in self.notes]

    def to_markdown(self) -> str:
        """This table and its sections as GitHub Markdown, each with its remarks and warnings below it."""
        return "\n".join(part.section_markdown() for part in (self, *self.sections))

    def section_markdown(self) -> str:
        notes = "".join(f"- {md_escape(line.removeprefix('warning: '))}\n" for line in self.warnings())
        warnings = f"\n**Warnings**\n\n{notes}" if notes else ""
        remarks = "".join(f"\n{md_escape(remark)}\n" for remark in self.remarks)
        table = to_markdown(self.columns, self.rows, self.kinds or None)
        return f"### {md_escape(self.title)}\n\n{table}{remarks}{warnings}"


NAMED = 8  # names a remark or warning lists before it counts the rest


def some_of(names: Sequence[str], empty: str = "none") -> str:
    """The first few names, and how many more: a line stays a line on a portfolio of 10,000 items."""
    more = f" and {len(names) - NAMED} more (-f json lists them)" if len(names) > NAMED else ""
    return (", ".join(names[:NAMED]) or empty) + more
