"""`pfm diff`, `pfm history` and `pfm snapshot`: the portfolio across git revisions, for reviewers and boards."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import message, progress_bar, settings, write_output
from pfm.cli.options import FormatOption, MethodOption, OutputOption, ScenarioOption, TableFormat, TimeLimitOption
from pfm.cli.output import emit
from pfm.errors import UsageError
from pfm.io.files import append_step_summary, terminated_as_interrupt
from pfm.wording import counted

DIFF_HELP = """Show what a change does to the portfolio: items, figures, ranks, selection and findings.

BASE and HEAD are git revisions (main, origin/main, HEAD~3, a sha), portfolio folders or
snapshot files (pfm snapshot). HEAD defaults to the working tree, uncommitted changes
included. Old revisions are read from git's object store into a temporary folder: the
checkout, the branch and the index are never touched, even when pfm is interrupted.

Errors in either side are part of the diff (findings introduced and fixed), not a failure.
Exit status: 0, or with --exit-code 1 when the change is material (anything beyond wording);
2 for a bad revision, file or option.

Examples:

  pfm diff main

  pfm diff HEAD~1 HEAD -f json | jq '.totals'

  pfm diff origin/main -f markdown -o pfm-diff.md --summary

  pfm diff board-2027-03.json --no-selection     # against a snapshot
"""

SNAPSHOT_HELP = """Write the whole portfolio into one JSON file that pfm diff reads back as a revision.

A snapshot keeps the portfolio as it stood when a decision was taken (attach it to the
minutes) and can be compared later without the repository. It records the commit and
whether there were uncommitted changes.

Example:

  pfm snapshot -o board-2027-03.json && pfm diff board-2027-03.json
"""

HISTORY_HELP = """Show the portfolio at every commit that changed it: items, errors, spend, NPV and ranks.

Oldest first. A commit whose portfolio has errors shows its error count and no figures.
With --item, the item's score, rank and cost at each commit (other items' changes move it too).
JSON is chart-ready: per commit the totals per fiscal year and every item's rank, score and cost.
Each commit's figures are kept in pfm's cache folder ($PFM_CACHE_DIR, else $XDG_CACHE_HOME/pfm or
~/.cache/pfm), by the git tree of the portfolio's files, so a second run reads them; --no-cache
computes all again.

Examples:

  pfm history

  pfm history --since v2027.1 --item crm-salesforce

  pfm history -f json -o history.json
"""


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


def register(app: typer.Typer) -> None:
    app.command("diff", help=DIFF_HELP)(diff_command)
    app.command("history", help=HISTORY_HELP)(history_command)
    app.command("snapshot", help=SNAPSHOT_HELP)(snapshot_command)


def diff_command(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(metavar="BASE", help="Revision, portfolio folder or snapshot file.")],
    head: Annotated[
        str | None,
        typer.Argument(metavar="[HEAD]", help="Revision, folder or snapshot (default: the working tree)."),
    ] = None,
    format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="text (terminal), json, or markdown (a pull-request comment)."),
    ] = DiffFormat.TEXT,
    output: OutputOption = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Table items entering or leaving the top N.")] = 10,
    method: MethodOption = "weighted",
    selection: Annotated[
        bool,
        typer.Option(
            "--selection/--no-selection", help="Compare the optimal selections (pfm select's default) of both sides."
        ),
    ] = True,
    time_limit: TimeLimitOption = 10.0,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when the change is material.")] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Also append the Markdown to $GITHUB_STEP_SUMMARY when it is set.")
    ] = False,
    scenario: ScenarioOption = None,
) -> None:
    from pfm.reporting.diff import to_markdown, to_text
    from pfm.reporting.tables import to_json
    from pfm.review.comparison import headline
    from pfm.review.diff import diff

    with terminated_as_interrupt():  # temporary folders are removed however the run ends
        with progress_bar(ctx, "comparing") as progress:
            comparison = diff(
                base,
                head,
                root=settings(ctx).portfolio,
                scenario=scenario or settings(ctx).scenario,
                method=method,
                top=top,
                selection=selection,
                time_limit=time_limit,
                progress=progress,
            )
        if format is DiffFormat.JSON:
            write_output(to_json(comparison.to_dict()), output)
        else:
            write_output((to_markdown if format is DiffFormat.MARKDOWN else to_text)(comparison), output)
        if summary:  # the job summary shows for pull requests from forks, which cannot comment
            append_step_summary(lambda: to_markdown(comparison))
    if output is not None:
        message(ctx, f"wrote {output}: {headline(comparison)}")
    raise typer.Exit(1 if exit_code and comparison.material else 0)


def snapshot_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The snapshot file to write (JSON).")],
) -> None:
    from pfm.io.loading import resolve_root
    from pfm.io.revisions import provenance, write_snapshot

    root = resolve_root(settings(ctx).portfolio)
    with terminated_as_interrupt():
        files = write_snapshot(root, output)
    message(ctx, f"wrote {output}: {counted(files, 'file')}, {provenance(root).describe()}")


def history_command(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", metavar="REV", help="Only the commits after this revision.")
    ] = None,
    item: Annotated[
        str | None, typer.Option("--item", metavar="ID", help="Show this item's score, rank and cost at each commit.")
    ] = None,
    method: MethodOption = "weighted",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Compute every commit, reading no cache.")] = False,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.reporting.views.history import history_table
    from pfm.review.history import history

    if settings(ctx).scenario is not None:
        raise UsageError("pfm history shows the portfolio as committed: it applies no scenario (drop -s)")
    with terminated_as_interrupt(), progress_bar(ctx, "reading commits") as progress:
        result = history(
            settings(ctx).portfolio, since=since, item=item, method=method, progress=progress, cache=not no_cache
        )
    emit(ctx, history_table(result), format, output)
