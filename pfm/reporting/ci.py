"""A validation's findings in every format `pfm validate` writes: plain text, JSON, GitHub annotations, and
for CI systems SARIF 2.1.0 (code scanning), JUnit XML (GitLab, Jenkins), GitLab's code-quality JSON and a
Markdown summary (a GitHub job summary or a pull-request comment). `render` picks one."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from xml.etree import ElementTree

from pfm import __version__
from pfm.findings import RULES, Finding, Severity
from pfm.reporting.findings import inert_on_github, summary_line, text_line, to_github
from pfm.reporting.tables import escape_controls, md_escape, to_json
from pfm.validation.validator import Validation
from pfm.wording import counted

FORMATS = ("text", "json", "github", "sarif", "junit", "markdown", "codequality")
MACHINE_FORMATS = frozenset({"json", "sarif", "junit", "codequality"})  # they show notes (info) always

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub keeps a job summary up to 1 MiB; a long list is cut well before that, with a note.
MARKDOWN_ROWS = 500


def render(result: Validation, format: str, verbose: bool = False) -> str:
    """The validation in `format` (one of FORMATS); people and annotations see notes only when `verbose`."""
    findings = shown(result, format, verbose)
    counts = result.summary()
    if format == "json":
        return to_json(result.to_dict())
    if format == "github":
        return to_github(findings) + inert_on_github(plain_text(findings, counts))
    if format == "sarif":
        return to_sarif(findings)
    if format == "junit":
        return to_junit(findings, result.files)
    if format == "markdown":
        return to_markdown(findings, counts)
    if format == "codequality":
        return to_code_quality(findings)
    return plain_text(findings, counts)


def shown(result: Validation, format: str, verbose: bool = False) -> tuple[Finding, ...]:
    """The findings `format` lists: notes (info) go to machines always, to people and annotations when `verbose`."""
    if verbose or format in MACHINE_FORMATS:
        return result.findings
    return tuple(f for f in result.findings if f.severity is not Severity.INFO)


def plain_text(findings: Sequence[Finding], counts: dict[str, int]) -> str:
    """One `file:line:col` line per finding, then the summary line."""
    return "".join(text_line(f) + "\n" for f in findings) + summary_line(counts) + "\n"


def to_sarif(findings: Sequence[Finding]) -> str:
    """One SARIF run: every rule pfm knows, and a result per finding at its file, line and column."""
    rules = [
        {"id": rule, "shortDescription": {"text": text}, "defaultConfiguration": {"level": _SARIF_LEVELS[severity]}}
        for rule, (severity, text) in sorted(RULES.items())
    ]
    results = [
        {
            "ruleId": f.rule,
            "level": _SARIF_LEVELS[f.severity],
            "message": {"text": f"{f.message}; {f.hint}" if f.hint else f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "pfm", "version": __version__, "rules": rules}}, "results": results}],
    }
    return to_json(log)


def to_junit(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """A test suite per file and a test case per finding (failures for errors and warnings), clean files passing."""
    suites = ElementTree.Element("testsuites", name="pfm validate")
    by_file: dict[str, list[Finding]] = {file: [] for file in files}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    for file, found in by_file.items():
        failing = [f for f in found if f.severity is not Severity.INFO]
        suite = _xml_child(suites, "testsuite", name=file, tests=str(max(1, len(found))), failures=str(len(failing)))
        if not found:
            _xml_child(suite, "testcase", classname=file, name="valid")
        for f in found:
            case = _xml_child(suite, "testcase", classname=file, name=f"{f.rule} at {f.line}:{f.column}")
            if f.severity is not Severity.INFO:
                failure = _xml_child(case, "failure", type=f.rule, message=f.message)
                failure.text = text_line(f)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _xml_child(parent: ElementTree.Element, tag: str, **attributes: str) -> ElementTree.Element:
    # XML 1.0 cannot hold most control characters even as references; all user text is shown escaped instead.
    return ElementTree.SubElement(parent, tag, {key: escape_controls(value) for key, value in attributes.items()})


def to_markdown(findings: Sequence[Finding], counts: dict[str, int]) -> str:
    """A headline, then the findings as a table (user text escaped), cut at MARKDOWN_ROWS rows."""
    icon = "❌" if counts["errors"] else ("⚠️" if counts["warnings"] else "✅")
    lines = [f"### {icon} pfm validate: {summary_line(counts)}", ""]
    if findings:
        lines += ["| where | severity | rule | message |", "|---|---|---|---|"]
        for f in findings[:MARKDOWN_ROWS]:
            message = f"{f.message}; {f.hint}" if f.hint else f.message
            lines.append(f"| {md_escape(f.location_text())} | {f.severity} | `{f.rule}` | {md_escape(message)} |")
        if len(findings) > MARKDOWN_ROWS:
            lines += [
                "",
                f"_{counted(len(findings) - MARKDOWN_ROWS, 'more finding')} not shown: run `pfm validate` to see them all._",
            ]
    return "\n".join(lines) + "\n"


_CODE_QUALITY_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def to_code_quality(findings: Sequence[Finding]) -> str:
    """GitLab's code-quality report: one issue per finding, with a fingerprint stable across runs."""
    issues = [
        {
            "description": f"{f.message}; {f.hint}" if f.hint else f.message,
            "check_name": f.rule,
            "fingerprint": hashlib.sha256(f"{f.rule}|{f.file}|{f.path}|{f.message}".encode()).hexdigest(),
            "severity": _CODE_QUALITY_SEVERITIES[f.severity],
            "location": {"path": f.file, "lines": {"begin": f.line}},
        }
        for f in findings
    ]
    return to_json(issues)
