"""`pfm diff`, `pfm history` and `pfm snapshot`: the portfolio across git revisions, for reviewers and boards."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfm.cli.common import append_step_summary, message, progress_bar, settings, terminated_as_interrupt, write_output
from pfm.cli.options import FormatOption, MethodOption, OutputOption, ScenarioOption, TableFormat, TimeLimitOption
from pfm.cli.output import emit
from pfm.errors import PortfolioNotFound, UsageError
from pfm.reporting.tables import Kind
from pfm.reporting.views import Table

if TYPE_CHECKING:
    from pfm.io.revisions import Provenance
    from pfm.methods import Method
    from pfm.reporting.tables import Cell
    from pfm.review.comparison import Comparison, Side
    from pfm.review.history import Point

WORKING_TREE = "working tree"
PROGRESS_FROM = 5  # commits; fewer are read before a bar would be worth drawing

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
With --item, the item's score and rank at each commit (other items' changes move it too).
JSON is chart-ready: per commit the totals per fiscal year and every item's rank and score.

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
    from pfm.io.revisions import materialise
    from pfm.review.comparison import compare, read_side

    chosen = scenario or settings(ctx).scenario
    with terminated_as_interrupt():
        root = _working_root(ctx, head)
        with materialise(base, root) as (old_folder, old_label), _side_folder(head, root) as (new_folder, new_label):
            old, new = read_side(old_folder, old_label, chosen), read_side(new_folder, new_label, chosen)
        picks = _selections(ctx, old, new, method, time_limit) if selection else (None, None, [])
        old_selected, new_selected, notes = picks
        comparison = compare(
            old, new, method=method, top=top, old_selected=old_selected, new_selected=new_selected, notes=notes
        )
        write_output(_render(comparison, format), output)
        if summary:
            _append_step_summary(comparison)
    if output is not None:
        from pfm.reporting.wording import headline

        message(ctx, f"wrote {output}: {headline(comparison)}")
    raise typer.Exit(1 if exit_code and comparison.material else 0)


def _working_root(ctx: typer.Context, head: str | None) -> Path:
    """The working tree's portfolio folder: HEAD's default, and the folder whose files a revision holds.

    When BASE and HEAD are both given they may be folders or snapshots, which need no portfolio here.
    """
    from pfm.io.loading import resolve_root

    try:
        return resolve_root(settings(ctx).portfolio)
    except PortfolioNotFound:
        if head is None or settings(ctx).portfolio is not None:
            raise
        return Path.cwd()


def _side_folder(spec: str | None, root: Path) -> AbstractContextManager[tuple[Path, str]]:
    from pfm.io.revisions import materialise

    return materialise(spec, root) if spec is not None else nullcontext((root, WORKING_TREE))


def _selections(
    ctx: typer.Context, old: Side, new: Side, method: Method, time_limit: float
) -> tuple[frozenset[str] | None, frozenset[str] | None, list[str]]:
    """Both sides' optimal selections and the notes on them; none to solve when a side has errors (compare says so)."""
    from pfm.review.history import selected_items

    if old.portfolio is None or new.portfolio is None:
        return None, None, []
    picks = []
    for side in (old, new):
        with progress_bar(ctx, f"selecting ({side.label})") as progress:
            picks.append(selected_items(side, method, time_limit, progress))
    (old_selected, old_note), (new_selected, new_note) = picks
    return old_selected, new_selected, [note for note in (old_note, new_note) if note]


def _render(comparison: Comparison, format: DiffFormat) -> str:
    from pfm.reporting import diff

    if format is DiffFormat.JSON:
        from pfm.reporting.tables import to_json

        return to_json(diff.to_payload(comparison))
    return diff.to_markdown(comparison) if format is DiffFormat.MARKDOWN else diff.to_text(comparison)


def _append_step_summary(comparison: Comparison) -> None:
    """The comment's Markdown in the job summary too: it shows for pull requests from forks, which cannot comment."""
    from pfm.reporting.diff import to_markdown

    append_step_summary(lambda: to_markdown(comparison))


def snapshot_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The snapshot file to write (JSON).")],
) -> None:
    from pfm.io.loading import resolve_root
    from pfm.io.revisions import provenance, write_snapshot

    root = resolve_root(settings(ctx).portfolio)
    with terminated_as_interrupt():
        files = write_snapshot(root, output)
    message(ctx, f"wrote {output}: {files} files, {_origin(provenance(root))}")


def _origin(origin: Provenance) -> str:
    """Where a snapshot's files come from: "commit abc1234 on main, with uncommitted changes"."""
    if origin.commit is None:
        return "not from a git commit"
    branch = f" on {origin.branch}" if origin.branch else ""
    return f"commit {origin.commit[:7]}{branch}" + (", with uncommitted changes" if origin.dirty else "")


def history_command(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", metavar="REV", help="Only the commits after this revision.")
    ] = None,
    item: Annotated[
        str | None, typer.Option("--item", metavar="ID", help="Show this item's score and rank at each commit.")
    ] = None,
    method: MethodOption = "weighted",
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.io.loading import resolve_root
    from pfm.io.revisions import commits
    from pfm.review.history import trace

    state = settings(ctx)
    if state.scenario is not None:
        raise UsageError("pfm history shows the portfolio as committed: it applies no scenario (drop -s)")
    root = resolve_root(state.portfolio)
    with terminated_as_interrupt():
        changes = commits(root, since)
        points: list[Point] = []
        bar = progress_bar(ctx, "reading commits") if len(changes) > PROGRESS_FROM else nullcontext(None)
        with bar as progress:
            for point in trace(root, changes, method):
                points.append(point)
                if progress:
                    progress(len(points), len(changes))
    if item is not None:
        _check_item(item, points)
    emit(ctx, _history_report(points, method, item), format, output)


def _check_item(item: str, points: Sequence[Point]) -> None:
    """A mistyped --item would give a column of blanks: name it, and the closest id, instead."""
    if any(item in point.items for point in points):
        return
    from pfm.findings import did_you_mean

    hint = did_you_mean(item, points[-1].items) if points else ""
    raise UsageError(f"no item '{item}' in any of the {len(points)} commits" + (f"; {hint}" if hint else ""))


def _history_report(points: Sequence[Point], method: str, item: str | None) -> Table:
    columns = ["commit", "date", "subject", "items", "errors"]
    kinds = [Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.WHOLE]
    if item is None:
        columns += ["capex", "opex", "NPV"]
        kinds += [Kind.MONEY, Kind.MONEY, Kind.MONEY]
    else:
        columns += ["score", "rank"]
        kinds += [Kind.NUMBER, Kind.WHOLE]
    rows = [[*_commit_cells(point), *_figure_cells(point, item)] for point in points]
    payload = {"method": method, "item": item, "commits": [_commit_record(point, item) for point in points]}
    title = f"History of {item} ({method})" if item else f"Portfolio history ({method})"
    return Table(title, columns, rows, payload, kinds)


def _commit_cells(point: Point) -> list[Cell]:
    commit = point.commit
    return [commit.sha[:7], commit.date[:10], commit.subject, len(point.items), point.errors]


def _figure_cells(point: Point, item: str | None) -> list[Cell]:
    if item is not None:
        standing = point.ranks.get(item) if point.ranks is not None else None
        return [standing.score, standing.rank] if standing else [None, None]
    if point.totals is None:
        return [None, None, None]
    return [sum(year.capex for year in point.totals), sum(year.opex for year in point.totals), point.npv]


def _commit_record(point: Point, item: str | None) -> dict[str, Any]:
    ranks = point.ranks
    if ranks is not None and item is not None:
        ranks = {item: ranks[item]} if item in ranks else {}
    return {
        "sha": point.commit.sha,
        "date": point.commit.date,
        "subject": point.commit.subject,
        "items": len(point.items),
        "errors": point.errors,
        "totals": (
            {str(t.year): {"capex": t.capex, "opex": t.opex, "benefits": t.benefits} for t in point.totals}
            if point.totals is not None
            else None
        ),
        "npv": point.npv,
        "ranks": (
            {ident: {"rank": s.rank, "score": s.score} for ident, s in ranks.items()} if ranks is not None else None
        ),
    }
