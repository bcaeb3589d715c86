"""The verdict of `pfm deps check`: the dependency findings of validation, the cycles, and whether the network holds.

Defined once here; the command, its views and any report read `DependencyCheck.ok` and `DEPENDENCY_RULES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pfm.findings import Finding
from pfm.results import Result
from pfm.validation.cycles import find_cycles
from pfm.validation.rules.dependencies import successors_of
from pfm.validation.validator import Validation, validate

# The rules (ids, or the start of ids) whose findings are about dependencies.
DEPENDENCY_RULES = ("deps.", "excludes.dependency")
DATE_CONFLICT = "deps.date-conflict"


@dataclass(frozen=True, slots=True)
class DependencyCheck(Result):
    """The dependency network as read from the files (`pfm deps check`); its records are the findings."""

    cycles: tuple[tuple[str, ...], ...]  # one per strongly connected component, as in pfm.validation.cycles
    findings: tuple[Finding, ...]  # every dependency finding of validation, notes included
    items: int  # items in the network

    @property
    def conflicts(self) -> tuple[Finding, ...]:
        """The planned dates that break a dependency."""
        return tuple(f for f in self.findings if f.rule == DATE_CONFLICT)

    @property
    def ok(self) -> bool:
        """No cycle and no date conflict: what `pfm deps check` exits 0 on."""
        return not self.cycles and not self.conflicts

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "cycles": [list(cycle) for cycle in self.cycles],
            "conflicts": [
                {"message": f.message, "file": f.file, "line": f.line, "column": f.column} for f in self.conflicts
            ],
            "findings": [f.to_dict() for f in self.findings],
        }

    def records(self) -> list[dict[str, Any]]:
        keys = ("file", "line", "column", "severity", "rule", "message")
        return [{key: f.to_dict()[key] for key in keys} for f in self.findings]


def check_dependencies(source: Validation | Path | str | None = None) -> DependencyCheck:
    """Check the dependencies of the portfolio at `source` (a folder, or one already validated), which need not load."""
    checked = source if isinstance(source, Validation) else validate(source)
    successors = successors_of(checked.documents)
    return DependencyCheck(
        tuple(tuple(cycle) for cycle in find_cycles(successors)),
        tuple(f for f in checked.findings if f.rule.startswith(DEPENDENCY_RULES)),
        len(successors),
    )
