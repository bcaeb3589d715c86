"""`pfm report`: the steering-committee board pack in Markdown, HTML and PDF."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import load_base, message, progress_bar, settings, write_output
from pfm.cli.options import IsoDate, ObjectiveOption, ReleaseOption, ScenarioOption, TimeLimitOption
from pfm.defaults import PACK_ROWS, SELECT_TIME_LIMIT
from pfm.io.files import terminated_as_interrupt
from pfm.wording import counted

HELP = """Render the board pack: the steering-committee or investment-board pack, from the repository.

Cover (stamped with the git commit and whether the files had uncommitted changes), executive
summary, recommended portfolio with why each item is out and its entry price, what moving starts
buys (when the portfolio sets selection.may_shift or an item a window), ranked portfolio,
financials, capacity, roadmap and dependencies, risks, scenarios side by side and the decision
log; with --since, what changed since the last pack. Every figure is the one the command behind
it prints (pfm select, finance, capacity, roadmap, deps, scenario compare).

Writes DIR/NAME.md (with its charts as SVG files in DIR/NAME-charts/), DIR/NAME.html and
DIR/NAME.pdf (A4 landscape), where NAME is the template. A portfolio restyles or rewrites the
pack with files of the same name in its templates/ folder (board-pack.html.j2, board-pack.md.j2,
board-pack.css). The files written are listed on stdout.

A table that lists items (the ranking, the business cases, the items moved, the risks overdue
for review...) shows its first --rows rows in its own order and then how many more there are
and which command lists them all; totals and counts always cover every item.

Examples:

  pfm report -o pack/

  pfm report --since board-2027-03 -o pack/      # with changes since a tag

  pfm report -s budget-cut-15 --release-in-flight -f pdf -o cut/

  pfm report --rows 20 -o pack/                  # 20 rows a table at most
"""


class PackFormat(StrEnum):
    MD = "md"
    HTML = "html"
    PDF = "pdf"


def register(app: typer.Typer) -> None:
    app.command("report", help=HELP)(report_command)


def report_command(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="The folder to write the pack into.")
    ] = Path("pack"),
    template: Annotated[
        str, typer.Option("--template", "-t", metavar="NAME", help="Template name: NAME.md.j2 and NAME.html.j2.")
    ] = "board-pack",
    formats: Annotated[
        list[PackFormat] | None,
        typer.Option("--format", "-f", help="md, html or pdf (repeatable; default: all three)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="REV", help="Add the changes since this revision, folder or snapshot."),
    ] = None,
    objective: ObjectiveOption = "weighted",
    date: Annotated[
        dt.date | None,
        typer.Option("--date", click_type=IsoDate(), help="The date on the cover (default: today)."),
    ] = None,
    time_limit: TimeLimitOption = SELECT_TIME_LIMIT,
    release_in_flight: ReleaseOption = False,
    scenario: ScenarioOption = None,
    rows: Annotated[
        int, typer.Option("--rows", min=1, metavar="N", help="Rows of each table that lists items.")
    ] = PACK_ROWS,
) -> None:
    from pfm.reporting.board_pack import board_pack, check_template, notices, render_pack, write_pack

    check_template(template)
    # SIGTERM ends the run as Ctrl-C does: the earlier revision's temporary folder is removed, the old pack kept.
    with terminated_as_interrupt(), progress_bar(ctx, "analysing") as progress:
        pack = board_pack(
            load_base(ctx),  # board_pack applies the scenario
            scenario or settings(ctx).scenario,
            objective=objective,
            time_limit=time_limit,
            commit_in_flight=not release_in_flight,
            since=since,
            today=date,
            progress=progress,
        )
    with progress_bar(ctx, "rendering") as progress:
        rendered = render_pack(pack, template, [f.value for f in formats or PackFormat], progress, rows)
    with terminated_as_interrupt():
        written = write_pack(rendered, output)
    for line in notices(pack, rendered):
        message(ctx, line)
    write_output("".join(f"{path}\n" for path in written), None)
    pages = f", {counted(rendered.pages, 'page')}" if rendered.pages else ""
    message(ctx, f"wrote the board pack (template {template}) to {output}{pages}")
    if pack.scenarios and pack.scenarios.skipped:  # the pack is whole without them, but the portfolio has errors
        raise typer.Exit(1)
