"""Findings: problems in the user's portfolio, as plain records with file, line and column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal


class Severity(StrEnum):
    """How much a finding matters: an error stops the analyses, a warning does not, a note (info) is shown on -v."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


JsonPath = tuple[str | int, ...]

# Every rule pfm checks, with its default severity and what it means; docs/rules.md explains each.
RULES: dict[str, tuple[Severity, str]] = {
    "file.encoding": (Severity.ERROR, "The file is not valid UTF-8."),
    "file.too-large": (Severity.ERROR, "The file is larger than pfm reads."),
    "file.outside": (Severity.ERROR, "A link to a file outside the portfolio; pfm does not follow it."),
    "file.unreadable": (Severity.ERROR, "The file cannot be read."),
    "file.not-regular": (
        Severity.ERROR,
        "A named pipe, socket or device where a YAML file should be; pfm never opens it.",
    ),
    "yaml.syntax": (Severity.ERROR, "The file is not valid YAML."),
    "yaml.duplicate-key": (Severity.ERROR, "A mapping has the same key twice; YAML keeps only one."),
    "yaml.alias-limit": (
        Severity.ERROR,
        "Aliases expand beyond the limit (a 'billion laughs' file) or refer to themselves.",
    ),
    "yaml.nesting": (Severity.ERROR, "Collections nested more than 100 levels deep."),
    "yaml.number": (Severity.ERROR, "A number that is infinite, not a number, or has more than 100 digits."),
    "yaml.tag": (Severity.ERROR, "An explicit YAML tag pfm does not accept (only JSON-compatible data is read)."),
    "yaml.key": (Severity.ERROR, "A mapping key that is not a plain scalar."),
    "document.type": (Severity.ERROR, "A document is not a mapping."),
    "document.kind": (Severity.ERROR, "A document has no kind, or an unknown one."),
    "schema.additional-properties": (
        Severity.ERROR,
        "A key the schema does not define (use an x- prefix for extensions).",
    ),
    "schema.required": (Severity.ERROR, "A required key is missing."),
    "schema.type": (Severity.ERROR, "A value has the wrong type."),
    "schema.enum": (Severity.ERROR, "A value is not one of the allowed values."),
    "schema.const": (Severity.ERROR, "A value differs from the only allowed value."),
    "schema.pattern": (Severity.ERROR, "A string does not have the required form (ids, quarters, currency codes)."),
    "schema.format": (Severity.ERROR, "A string is not a valid date or other format."),
    "schema.range": (Severity.ERROR, "A number is outside its allowed range."),
    "schema.length": (Severity.ERROR, "A string, list or mapping is too short or too long."),
    "schema.unique": (Severity.ERROR, "A list repeats a value."),
    "schema.invalid": (Severity.ERROR, "A value matches none of the allowed shapes."),
    "portfolio.missing": (Severity.ERROR, "portfolio.yaml holds no Portfolio document."),
    "portfolio.multiple": (Severity.ERROR, "More than one Portfolio document."),
    "portfolio.periods": (Severity.ERROR, "The horizon's first quarter is after its last."),
    "id.duplicate": (Severity.ERROR, "Two documents of the same kind share an id."),
    "id.case": (Severity.ERROR, "Two documents of the same kind have ids that differ only in upper and lower case."),
    "id.file-stem": (Severity.WARNING, "The file's stem differs from the id of its only document."),
    "ref.unknown": (Severity.ERROR, "A reference to an id that does not exist."),
    "ref.self": (Severity.ERROR, "An item depends on, excludes or is the parent of itself."),
    "ref.parent-type": (Severity.ERROR, "A parent that is not a programme."),
    "ref.parent-cycle": (Severity.ERROR, "Programmes are each other's parents in a circle."),
    "deps.cycle": (Severity.ERROR, "Items depend on each other in a circle; every edge of the cycle is reported."),
    "deps.date-conflict": (Severity.ERROR, "An item is planned to start (or end) before its prerequisite allows."),
    "deps.cancelled": (Severity.WARNING, "A prerequisite is cancelled: it will never be delivered."),
    "deps.closed": (Severity.INFO, "A prerequisite is closed (already delivered)."),
    "excludes.asymmetric": (Severity.WARNING, "A excludes B but B does not exclude A."),
    "excludes.dependency": (Severity.ERROR, "An item both depends on and excludes another."),
    "score.missing": (Severity.WARNING, "An item has no score for a criterion of the scoring model."),
    "score.out-of-scale": (Severity.ERROR, "A score outside its criterion's scale."),
    "score.not-finite": (
        Severity.WARNING,
        "An item's score is not a finite number within ±1e15 (an overflow, a vanishing divisor); it is left out.",
    ),
    "scoring.scale": (Severity.ERROR, "A criterion's scale has min >= max."),
    "scoring.duplicate": (Severity.ERROR, "Two criteria, stages or objectives share an id."),
    "scoring.weights": (Severity.ERROR, "Criteria without weights and no pairwise comparisons, or all weights zero."),
    "scoring.weights-ignored": (
        Severity.WARNING,
        "Weights are given and also pairwise comparisons; the pairwise weights win.",
    ),
    "scoring.formula": (Severity.ERROR, "The scoring formula does not parse, or uses a name or construct it may not."),
    "scoring.inconsistent": (
        Severity.ERROR,
        "The pairwise judgements contradict each other: consistency ratio above 0.10.",
    ),
    "scoring.pairwise-incomplete": (Severity.ERROR, "A pairwise block lacks comparisons for some pairs of criteria."),
    "scoring.pairwise-duplicate": (
        Severity.ERROR,
        "A pairwise block compares the same pair twice, or a criterion with itself.",
    ),
    "scenario.weights": (Severity.ERROR, "A scenario's weights leave every criterion at zero."),
    "scenario.force-closed": (Severity.ERROR, "A scenario forces in an item that is closed or cancelled."),
    "schedule.horizon": (Severity.WARNING, "A quarter outside the portfolio's planning horizon."),
    "schedule.inconsistent": (Severity.ERROR, "start, duration and end disagree, or end is before start."),
    "window.order": (Severity.ERROR, "A start window's latest quarter is before its earliest."),
    "window.horizon": (Severity.WARNING, "A start window's bound is outside the planning horizon."),
    "window.start": (Severity.WARNING, "An item's start is outside its own start window."),
    "window.in-flight": (Severity.WARNING, "A start window on an active item, which keeps its dates."),
    "schedule.estimate-order": (Severity.ERROR, "A three-point duration estimate with low > likely or likely > high."),
    "gate.requirement": (Severity.ERROR, "An item lacks what its stage's gate requires."),
    "business-case.duplicate": (Severity.ERROR, "An item has more than one business case."),
    "business-case.year": (Severity.ERROR, "A business case lists the same fiscal year twice."),
    "business-case.before-start": (Severity.WARNING, "A business case has costs in a year before its item starts."),
    "actuals.future": (Severity.ERROR, "A status snapshot is dated after the portfolio's status date (as_of)."),
    "actuals.spend-decrease": (Severity.WARNING, "Cumulative spend (capex + opex) goes down between two snapshots."),
    "actuals.progress": (Severity.WARNING, "Percent complete or earned value goes down between two snapshots."),
    "milestone.before-start": (Severity.WARNING, "A milestone's actual date is before its item's start."),
    "rag-rules.threshold": (Severity.ERROR, "A RAG rule gives neither or both of below and above."),
    "benefits.no-case": (Severity.WARNING, "An item without a business case reports benefits realised."),
    "decision.action-due": (Severity.WARNING, "A decision's action is due before the decision's date."),
}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a document of a file and a JSON path in it.

    `target` says whether the value at the path or its key is meant (an unknown key
    points at the key). `line`/`column` are set when they are known without looking
    (YAML errors); otherwise they are recovered from the file later.
    """

    file: str
    document: int = 0
    path: JsonPath = ()
    target: Literal["value", "key"] = "value"
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding before its line and column are known."""

    rule: str
    message: str
    location: Location
    hint: str = ""

    @property
    def severity(self) -> Severity:
        return RULES[self.rule][0]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in the portfolio, with its 1-based line and column."""

    rule: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    path: str
    hint: str = ""

    def location_text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The finding as the JSON object every format shares."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "hint": self.hint,
        }


def format_path(path: JsonPath) -> str:
    """Render a JSON path as `$.a.b[2]`, quoting keys that are not plain names."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.replace("_", "a").replace("-", "a").isalnum():
            out.append(f".{part}")
        else:
            out.append("[" + repr(part) + "]")
    return "".join(out)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A hint naming the option closest to a mistyped word, or "" when none is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
