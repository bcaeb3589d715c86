"""`pfm validate`: every finding with file:line:col, for people, scripts and CI."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import message, settings, stderr_console, wants_color, write_output
from pfm.findings import Finding, Severity
from pfm.renderers import findings as render


class FindingsFormat(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

HELP = """Check the portfolio: schemas, references and rules, each finding with file:line:col.

Exit status: 0 clean (warnings allowed), 1 errors (or warnings with --strict), 2 usage error or no portfolio.

Examples:

  pfm validate

  pfm -p example-portfolio validate -f json | jq '.summary'

  pfm validate --strict -f github      # annotations on the pull request
"""


def register(app: typer.Typer) -> None:
    app.command("validate", help=HELP)(validate_command)


def validate_command(
    ctx: typer.Context,
    format: Annotated[
        FindingsFormat,
        typer.Option(
            "--format", "-f", help="text, json, github, or auto (github when GITHUB_ACTIONS is set, else text)."
        ),
    ] = FindingsFormat.AUTO,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    from pfm.validation import validate

    chosen = format
    if chosen is FindingsFormat.AUTO:
        chosen = FindingsFormat.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else FindingsFormat.TEXT
    result = validate(settings(ctx).portfolio, progress=_progress(ctx))
    findings = result.findings
    counts = render.summary(findings, len(result.files), len(result.documents))
    if chosen is FindingsFormat.JSON:
        write_output(render.to_json(findings, len(result.files), len(result.documents), result.ok), output)
    elif chosen is FindingsFormat.GITHUB:
        write_output(render.to_github(findings) + _plain_text(findings, counts), output)
    elif output is not None or not wants_color(ctx, sys.stdout):
        write_output(_plain_text(findings, counts), output)
    else:
        _print_coloured(findings, counts)
    if output is not None:
        message(ctx, f"wrote {output}: {render.summary_line(counts)}")
    failing = counts["errors"] + (counts["warnings"] if strict else 0)
    raise typer.Exit(1 if failing else 0)


def _plain_text(findings: tuple[Finding, ...], counts: dict[str, int]) -> str:
    return "".join(render.text_line(f) + "\n" for f in findings) + render.summary_line(counts) + "\n"


def _print_coloured(findings: tuple[Finding, ...], counts: dict[str, int]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    for finding in findings:
        line = Text(render.text_line(finding))
        start = len(finding.location_text()) + 2
        line.stylize("bold", 0, start - 2)
        line.stylize(_STYLES[finding.severity], start, start + len(finding.severity))
        console.print(line)
    style = "bold red" if counts["errors"] else ("yellow" if counts["warnings"] else "green")
    console.print(Text(render.summary_line(counts), style=style))


def _progress(ctx: typer.Context):  # type: ignore[no-untyped-def]
    """A progress callback drawing on stderr when it is a terminal and the run is long."""
    if settings(ctx).quiet or not sys.stderr.isatty():
        return None
    console = stderr_console(ctx)

    def report(done: int, total: int) -> None:
        if total >= 400:
            console.print(f"checked {done:,}/{total:,} files", end="\r")
            if done == total:
                console.print(" " * 40, end="\r")

    return report
