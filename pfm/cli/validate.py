"""`pfm validate`: every finding with file:line:col, for people, scripts and CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import message, settings, stderr_console, wants_color, write_output
from pfm.findings import Finding, Severity
from pfm.renderers import findings as render

if TYPE_CHECKING:
    from pfm.parallel import Progress


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
    with _progress_bar(ctx) as progress:
        result = validate(settings(ctx).portfolio, progress=progress)
    counts = render.summary(result.findings, len(result.files), len(result.documents))
    # Notes (info) go to scripts always, to people and annotations only when asked for.
    verbose = settings(ctx).verbose or chosen is FindingsFormat.JSON
    findings = result.findings if verbose else tuple(f for f in result.findings if f.severity is not Severity.INFO)
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


@contextmanager
def _progress_bar(ctx: typer.Context) -> Iterator[Progress | None]:
    """A progress bar on stderr for long runs in a terminal; None when quiet or piped."""
    if settings(ctx).quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("checking files"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console(ctx),
        transient=True,
    ) as bar:
        task = bar.add_task("files", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report
