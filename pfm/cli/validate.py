"""`pfm validate`: every finding with file:line:col, for people, scripts and CI."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import (
    append_step_summary,
    message,
    progress_bar,
    settings,
    wants_color,
    write_output,
    writing_results,
)
from pfm.errors import UsageError
from pfm.findings import Finding, Severity
from pfm.reporting import findings as render

if TYPE_CHECKING:
    from pfm.validation.validator import Validation


class FindingsFormat(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
    JUNIT = "junit"
    MARKDOWN = "markdown"
    CODEQUALITY = "codequality"


_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

HELP = """Check the portfolio: schemas, references and rules, each finding with file:line:col.

Exit status: 0 clean (warnings allowed), 1 errors (or warnings with --strict), 2 usage error or no portfolio.

Examples:

  pfm validate

  pfm -p example-portfolio validate -f json | jq '.summary'

  pfm validate --strict -f github      # annotations on the pull request

  pfm validate -f github -f sarif=pfm.sarif -f junit=pfm.xml   # several reports in one run

When $GITHUB_STEP_SUMMARY is set (GitHub Actions), a Markdown summary is appended to it too.
"""


def register(app: typer.Typer) -> None:
    app.command("validate", help=HELP)(validate_command)


def validate_command(
    ctx: typer.Context,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT[=FILE]",
            help="text, json, github, sarif, junit, codequality (GitLab), markdown, or auto (github under GitHub "
            "Actions, else text); "
            "repeatable, each to stdout or to FILE.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    from pfm.validation.validator import validate

    reports = [_parse_format(spec, output) for spec in formats or ["auto"]]
    with progress_bar(ctx, "checking files") as progress:
        result = validate(settings(ctx).portfolio, progress=progress)
    counts = render.summary(result.findings, len(result.files), len(result.documents))
    for chosen, target in reports:
        _write_report(ctx, chosen, target, result, counts)
        if target is not None:
            message(ctx, f"wrote {target}: {render.summary_line(counts)}")
    append_step_summary(lambda: _step_summary(ctx, result, counts))
    failing = counts["errors"] + (counts["warnings"] if strict else 0)
    raise typer.Exit(1 if failing else 0)


def _step_summary(ctx: typer.Context, result: Validation, counts: dict[str, int]) -> str:
    from pfm.reporting.ci import to_markdown

    return to_markdown(_shown(ctx, result.findings, FindingsFormat.MARKDOWN), counts)


def _parse_format(spec: str, output: Path | None) -> tuple[FindingsFormat, Path | None]:
    name, _, path = spec.partition("=")
    try:
        chosen = FindingsFormat(name.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in FindingsFormat)
        raise UsageError(f"unknown format '{name}' (choose from {choices}, optionally =FILE)") from None
    if chosen is FindingsFormat.AUTO:
        chosen = FindingsFormat.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else FindingsFormat.TEXT
    return chosen, Path(path) if path else output


def _shown(ctx: typer.Context, findings: tuple[Finding, ...], chosen: FindingsFormat) -> tuple[Finding, ...]:
    """Notes (info) go to machines always, to people and annotations only when asked for."""
    if settings(ctx).verbose or chosen in (
        FindingsFormat.JSON,
        FindingsFormat.SARIF,
        FindingsFormat.JUNIT,
        FindingsFormat.CODEQUALITY,
    ):
        return findings
    return tuple(f for f in findings if f.severity is not Severity.INFO)


def _write_report(
    ctx: typer.Context, chosen: FindingsFormat, target: Path | None, result: Validation, counts: dict[str, int]
) -> None:
    from pfm.reporting import ci

    findings = _shown(ctx, result.findings, chosen)
    if chosen is FindingsFormat.JSON:
        write_output(render.to_json(findings, len(result.files), len(result.documents), result.ok), target)
    elif chosen is FindingsFormat.GITHUB:
        write_output(render.to_github(findings) + render.inert_on_github(_plain_text(findings, counts)), target)
    elif chosen is FindingsFormat.SARIF:
        write_output(ci.to_sarif(findings), target)
    elif chosen is FindingsFormat.JUNIT:
        write_output(ci.to_junit(findings, result.files), target)
    elif chosen is FindingsFormat.MARKDOWN:
        write_output(ci.to_markdown(findings, counts), target)
    elif chosen is FindingsFormat.CODEQUALITY:
        write_output(ci.to_code_quality(findings), target)
    elif target is not None or not wants_color(ctx, sys.stdout):
        write_output(_plain_text(findings, counts), target)
    else:
        _print_coloured(findings, counts)


def _plain_text(findings: tuple[Finding, ...], counts: dict[str, int]) -> str:
    return "".join(render.text_line(f) + "\n" for f in findings) + render.summary_line(counts) + "\n"


def _print_coloured(findings: tuple[Finding, ...], counts: dict[str, int]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    with writing_results():
        for finding in findings:
            line = Text(render.text_line(finding))
            start = len(render.location(finding)) + 2
            line.stylize("bold", 0, start - 2)
            line.stylize(_STYLES[finding.severity], start, start + len(finding.severity))
            console.print(line)
        style = "bold red" if counts["errors"] else ("yellow" if counts["warnings"] else "green")
        console.print(Text(render.summary_line(counts), style=style))
