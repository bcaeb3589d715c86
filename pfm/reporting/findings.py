"""Findings as text lines and GitHub workflow annotations (their JSON is `Finding.to_dict`)."""

from __future__ import annotations

from collections.abc import Sequence

from pfm.findings import Finding
from pfm.reporting.tables import escape_controls
from pfm.wording import counted


def location(finding: Finding) -> str:
    """`file:line:col` as printed: a file name's control characters escaped like any user text."""
    return escape_controls(finding.location_text())


def text_line(finding: Finding) -> str:
    """`file:line:col: severity [rule] message; hint`, the form editors and CI logs link, on one safe line."""
    hint = f"; {finding.hint}" if finding.hint else ""
    return f"{location(finding)}: {finding.severity} [{finding.rule}] {escape_controls(finding.message + hint)}"


def summary_line(counts: dict[str, int]) -> str:
    problems = ", ".join(counted(counts[key], key[:-1]) for key in ("errors", "warnings") if counts[key])
    scope = f"{counted(counts['documents'], 'document')} in {counted(counts['files'], 'file')}"
    notes = f" ({counted(counts['infos'], 'note')})" if counts["infos"] else ""
    return f"{problems or 'no problems'} in {scope}{notes}"


def to_github(findings: Sequence[Finding]) -> str:
    """GitHub workflow commands (`::error file=...::message`), one per finding."""
    lines = []
    for f in findings:
        level = {"error": "error", "warning": "warning"}.get(f.severity.value, "notice")
        properties = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", f.file),
                ("line", str(f.line)),
                ("col", str(f.column)),
                ("title", f"pfm {f.rule}"),
            )
        )
        message = f.message + (f" ({f.hint})" if f.hint else "")
        lines.append(f"::{level} {properties}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def inert_on_github(log: str) -> str:
    """`log` wrapped so that GitHub runs no workflow command a line of it might start with.

    A file named `::warning::x.yaml` would otherwise begin a line of the plain log with a command.
    The token that ends the pause is a digest of the log itself: the same input gives the same
    output, and no text can contain the token that is derived from it.
    """
    import hashlib

    token = "pfm-" + hashlib.sha256(log.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"::stop-commands::{token}\n{log}::{token}::\n"


def _escape_data(text: str) -> str:
    # GitHub turns %0A back into a line break in the annotation; any other control character is shown escaped.
    return escape_controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
