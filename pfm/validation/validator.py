"""Validate a portfolio: read every file, check each document's schema, then the cross-file rules."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pfm.findings import Finding, Location, Problem, Severity
from pfm.io.loading import Document, discover_files, load_file, resolve_root
from pfm.io.positions import resolve
from pfm.parallel import Progress, can_fork, map_in_parallel
from pfm.results import Result
from pfm.validation.rules import check_cross_file
from pfm.validation.schema import check_document, usable_part

# Below this many files a second process costs more than it saves.
PARALLEL_THRESHOLD = 400
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True, slots=True)
class Validation(Result):
    """The outcome of reading and checking a portfolio: what `pfm validate` reports."""

    root: Path
    files: tuple[str, ...]
    documents: tuple[Document, ...]
    findings: tuple[Finding, ...]  # every one, notes (info) included; sorted by file, line and column

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0

    def failed(self, strict: bool = False) -> bool:
        """Whether the portfolio fails the check: it has errors, or (`strict`) warnings."""
        return not self.ok or (strict and self.count(Severity.WARNING) > 0)

    def summary(self) -> dict[str, int]:
        """Files and documents read, and the findings of each severity: "errors", "warnings" and "infos"."""
        counts = {f"{severity.value}s": self.count(severity) for severity in _SEVERITIES}
        return {"files": len(self.files), "documents": len(self.documents), **counts}

    def to_dict(self) -> dict[str, Any]:
        """What `pfm validate -f json` prints: whether it is free of errors, the summary, and every finding."""
        return {"ok": self.ok, "summary": self.summary(), "findings": self.records()}

    def records(self) -> list[dict[str, Any]]:
        """One row per finding, notes (info) included: rule, severity, message, file, line, column, path, hint."""
        return [finding.to_dict() for finding in self.findings]

    def scenario_errors(self) -> dict[str, Finding]:
        """The first error of each scenario in a file with errors that holds nothing but scenarios.

        Such a scenario can be left out and the rest of the portfolio still used: one broken
        what-if should not stop the base case or the other scenarios.
        """
        holds: dict[str, set[tuple[str | None, bool]]] = {}
        for document in self.documents:
            holds.setdefault(document.file, set()).add((document.kind, document.id is not None))
        scenario_files = {file for file, held in holds.items() if held == {("Scenario", True)}}
        first: dict[str, Finding] = {}
        for finding in self.findings:  # sorted by file and line: the first error of each file comes first
            if finding.severity == Severity.ERROR and finding.file in scenario_files:
                first.setdefault(finding.file, finding)
        return {d.id: first[d.file] for d in self.documents if d.id is not None and d.file in first}


@dataclass(frozen=True, slots=True)
class _Checked:
    documents: tuple[Document, ...]
    usable: tuple[Document, ...]  # documents, or what of them passes the schema, for cross-file rules
    problems: tuple[Problem, ...]


def _check_file(root: Path, file: str) -> _Checked:
    try:
        result = load_file(root, file)
    except RecursionError:  # a last line of defence: check_nesting bounds depth well below this
        problem = Problem("yaml.nesting", "the data is nested too deep to read", Location(file, line=1, column=1))
        return _Checked((), (), (problem,))
    problems: list[Problem] = list(result.problems)
    usable: list[Document] = []
    for document in result.documents:
        schema_problems = check_document(document)
        problems.extend(schema_problems)
        part = usable_part(document) if schema_problems else document
        if part is not None:
            usable.append(part)
    return _Checked(result.documents, tuple(usable), tuple(problems))


def _encode(entry: _Checked) -> tuple[Any, ...]:
    return (
        [(d.file, d.index, d.data, d.kind, d.id) for d in entry.documents],
        [(d.file, d.index, d.data, d.kind, d.id) for d in entry.usable],
        [_problem_fields(p) for p in entry.problems],
    )


def _decode(fields: tuple[Any, ...]) -> _Checked:
    documents, usable, problems = fields
    return _Checked(
        tuple(Document(*document) for document in documents),
        tuple(Document(*document) for document in usable),
        tuple(_problem_from(problem) for problem in problems),
    )


def _problem_fields(problem: Problem) -> tuple[object, ...]:
    where = problem.location
    return (
        problem.rule,
        problem.message,
        problem.hint,
        where.file,
        where.document,
        where.path,
        where.target,
        where.line,
        where.column,
    )


def _problem_from(fields: tuple[Any, ...]) -> Problem:
    rule, message, hint, file, document, path, target, line, column = fields
    return Problem(rule, message, Location(file, document, path, target, line, column), hint)


def _check_files(root: Path, files: list[str], progress: Progress | None) -> list[_Checked]:
    """Check every file, on every core when there are enough files to pay for a second process."""
    check = partial(_check_file, root)
    if len(files) < PARALLEL_THRESHOLD or not can_fork():
        checked = [check(file) for file in files]
        if progress:
            progress(len(files), len(files))
        return checked
    return map_in_parallel(check, files, _encode, _decode, progress=progress)


@dataclass(slots=True)
class Reread:
    """Files checked before, by content, for validating many versions of a portfolio in turn (`pfm history`):
    a file whose key (its git blob) is in `keys` and was checked before is not read again. Each file's
    documents and schema problems depend on its name and content alone; cross-file rules still run."""

    keys: dict[str, str]  # file -> what identifies its content in the version being validated
    checked: dict[tuple[str, str], _Checked]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: documents are many small containers without cycles,
    and scanning them again and again while they pile up costs more than the checks."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate(
    path: Path | str | None = None, progress: Progress | None = None, reread: Reread | None = None
) -> Validation:
    """Read the portfolio at `path` (or found from the working directory) and return every finding; with
    `reread`, files already checked with the same content are taken from it (and new ones added)."""
    with collector_paused():
        return _validate(resolve_root(Path(path) if path is not None else None), progress, reread)


def _validate(root: Path, progress: Progress | None, reread: Reread | None = None) -> Validation:
    files = discover_files(root)
    if reread is None:
        checked = _check_files(root, files, progress)
    else:
        keys = [(file, reread.keys.get(file, "")) for file in files]
        fresh = [key for key in keys if not key[1] or key not in reread.checked]
        found = dict(zip(fresh, _check_files(root, [file for file, _ in fresh], progress), strict=True))
        reread.checked.update((key, entry) for key, entry in found.items() if key[1])
        checked = [found[key] if key in found else reread.checked[key] for key in keys]
    documents = [document for entry in checked for document in entry.documents]
    usable = [document for entry in checked for document in entry.usable]
    problems = [problem for entry in checked for problem in entry.problems]
    problems.extend(check_cross_file(documents, usable))
    return Validation(root, tuple(files), tuple(documents), tuple(resolve(problems, root)))
