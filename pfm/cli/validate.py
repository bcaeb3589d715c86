"""`pfm validate`: every finding with file:line:col, for people, scripts and CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import (
    message,
    progress_bar,
    settings,
    wants_color,
    write_output,
    writing_results,
)
from pfm.errors import UsageError
from pfm.findings import Severity
from pfm.io.files import append_step_summary
from pfm.reporting.findings import location, summary_line, text_line

if TYPE_CHECKING:
    from pfm.validation.validator import Validation
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
    from pfm.reporting.ci import render
    from pfm.validation.validator import validate

    reports = [_parse_format(spec, output) for spec in formats or ["auto"]]
    with progress_bar(ctx, "checking files") as progress:
        result = validate(settings(ctx).portfolio, progress=progress)
    verbose = settings(ctx).verbose
    for chosen, target in reports:
        if chosen == "text" and target is None and wants_color(ctx, sys.stdout):
            _print_coloured(result, verbose)
        else:
            write_output(render(result, chosen, verbose), target)
        if target is not None:
            message(ctx, f"wrote {target}: {summary_line(result.summary())}")
    append_step_summary(lambda: render(result, "markdown", verbose))
    raise typer.Exit(1 if result.failed(strict) else 0)


def _parse_format(spec: str, output: Path | None) -> tuple[str, Path | None]:
    from pfm.reporting.ci import FORMATS

    name, _, path = spec.partition("=")
    chosen = name.strip().lower()
    if chosen == "auto":
        chosen = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    elif chosen not in FORMATS:
        raise UsageError(f"unknown format '{name}' (choose from {', '.join(('auto', *FORMATS))}, optionally =FILE)")
    return chosen, Path(path) if path else output


def _print_coloured(result: Validation, verbose: bool) -> None:
    from rich.console import Console
    from rich.text import Text

    from pfm.reporting.ci import shown

    console = Console(highlight=False, soft_wrap=True)
    counts = result.summary()
    with writing_results():
        for finding in shown(result, "text", verbose):
            line = Text(text_line(finding))
            start = len(location(finding)) + 2
            line.stylize("bold", 0, start - 2)
            line.stylize(_STYLES[finding.severity], start, start + len(finding.severity))
            console.print(line)
        style = "bold red" if counts["errors"] else ("yellow" if counts["warnings"] else "green")
        console.print(Text(summary_line(counts), style=style))
