"""`pfm import`: registers (CSV, XLSX) read through a mapping and merged into the portfolio (`import_files`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pfm.errors import UsageError
from pfm.io.entities import portfolio_document
from pfm.io.importing import preset_path
from pfm.io.importing.mapping import RowFinding, load_mapping, read_rows
from pfm.io.importing.merge import DocumentChange, plan_merge
from pfm.io.importing.sources import read_source
from pfm.io.loading import resolve_root
from pfm.results import Result


@dataclass(frozen=True, slots=True)
class ImportReport(Result):
    """What an import changed (or, in a dry run or when the source is wrong, would change)."""

    sources: tuple[str, ...]
    changes: tuple[DocumentChange, ...]
    unchanged: int
    findings: tuple[RowFinding, ...]
    renamed: tuple[dict[str, Any], ...]
    dry_run: bool
    written: bool
    skipped_rows: int

    @property
    def errors(self) -> list[RowFinding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    def counts(self) -> dict[str, int]:
        counted = dict.fromkeys(("added", "changed", "removed", "missing"), 0)
        for change in self.changes:
            counted[change.action] += 1
        return {**counted, "unchanged": self.unchanged}

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "dry_run": self.dry_run,
            "written": self.written,
            "summary": self.counts(),
            "skipped_rows": self.skipped_rows,
            "changes": [change.to_dict() for change in self.changes],
            "renamed": list(self.renamed),
            "findings": [finding.to_dict() for finding in self.findings],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per changed field (a document added, removed or missing without fields: one row)."""
        return [
            {
                "action": change.action,
                "kind": change.kind,
                "id": change.id,
                "file": change.file,
                "field": field.field if field else None,
                "old": field.old if field else None,
                "new": field.new if field else None,
            }
            for change in self.changes
            for field in (change.fields or (None,))
        ]


def import_files(
    files: Sequence[str | Path],
    mapping: str | Path | None = None,
    portfolio: str | Path | None = None,
    *,
    preset: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    partial: bool = False,
    prune: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Read `files` through the `mapping` file (or the built-in mapping `preset`) and merge the documents into the
    portfolio.

    Nothing is written in a dry run, nor when a row is wrong (no id, a text outside a map) unless `partial`,
    which imports the other rows; `prune` removes the documents of the mapped kinds the source no longer has
    (never when rows were skipped: their ids are unknown).
    """
    root = resolve_root(Path(portfolio) if portfolio is not None else None)
    if (mapping is None) == (preset is None):
        raise UsageError("give a mapping file or a preset (one of them)")
    rules = load_mapping(Path(mapping) if mapping is not None else preset_path(str(preset)))
    paths = [Path(file) for file in files]
    if not paths:
        raise UsageError("give the file(s) to import")
    joined = {name: _table_path(name, table, paths) for name, table in rules.tables.items()}
    named = {joined[name] for name, table in rules.tables.items() if "file" in table}
    encoding, delimiter = encoding or rules.source.get("encoding"), delimiter or rules.source.get("delimiter")
    sources = [
        read_source(path, encoding, delimiter, sheet or rules.source.get("sheet"))
        for path in paths
        if path not in named
    ]
    tables = {
        name: read_source(path, encoding, delimiter, rules.tables[name].get("sheet")) for name, path in joined.items()
    }
    start = portfolio_document(root).get("fiscal_year_start", 1)
    reading = read_rows(rules, sources, start if isinstance(start, int) and 1 <= start <= 12 else 1, tables)
    errors = [finding for finding in reading.findings if finding.severity == "error"]
    plan = plan_merge(root, reading.documents, prune and not errors)
    write = not dry_run and (partial or not errors)
    if write:
        plan.write(root)
    return ImportReport(
        tuple(source.name for source in sources),
        tuple(plan.changes),
        plan.unchanged,
        tuple(reading.findings),
        tuple(reading.renamed),
        dry_run,
        write and bool(plan.texts),
        len({(finding.file, finding.row) for finding in errors}),
    )


def _table_path(name: str, table: dict[str, Any], paths: list[Path]) -> Path:
    """The file a joined table is read from: the FILE of its `file` name, else the first FILE (another sheet)."""
    if "file" not in table:
        return paths[0]
    for path in paths:
        if path.name == table["file"] or path.as_posix() == table["file"]:
            return path
    raise UsageError(f"the mapping joins the table '{name}' from {table['file']}: give that file too")
