"""`pfm import` as a table: each field an import adds, changes or would change, and each document it adds,
removes or finds missing from the source; the rows it could not read as warnings."""

from __future__ import annotations

import json
from typing import Any

from pfm.io.importing.plan import ImportReport
from pfm.reporting.tables import Cell
from pfm.reporting.views import Table
from pfm.wording import counted


def import_table(report: ImportReport, limit: int | None = None) -> Table:
    """One row per changed field: action, kind, id, field, old -> new; the first `limit` rows when given (a
    register of 10,000 rows changes some 100,000 fields: a terminal shows a sample, CSV and JSON every one)."""
    records = report.records()
    shown = records if limit is None else records[:limit]
    rows: list[list[Cell]] = [
        [r["action"], r["kind"], r["id"], r["field"], _shown(r["old"]), _shown(r["new"])] for r in shown
    ]
    counts = report.counts()
    summary = ", ".join(f"{count:,} {action}" for action, count in counts.items())
    if report.dry_run:
        outcome = "dry run: nothing written"
    elif report.written:
        outcome = "written"
    elif report.errors:
        outcome = f"nothing written: {counted(len(report.errors), 'row')} wrong (--partial imports the others)"
    else:
        outcome = "nothing to write"
    remarks = [f"{summary} ({outcome})"]
    if len(shown) < len(records):
        remarks.append(
            f"the first {len(shown):,} of {len(records):,} changed fields shown: -f csv or -f json lists all"
        )
    if counts["missing"]:
        remarks.append(f"{counted(counts['missing'], 'document')} not in the source are kept (--prune removes them)")
    return Table(
        "Import (dry run)" if report.dry_run else "Import",
        ["action", "kind", "id", "field", "old", "new"],
        rows,
        report.to_dict(),
        notes=[finding.line() for finding in report.findings if finding.severity == "warning"],
        remarks=remarks,
    )


def _shown(value: Any) -> Cell:
    """A value as one cell: lists and mappings in JSON's compact form."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return value  # type: ignore[no-any-return]
