"""`pfm site`: the portfolio as a static website, and the check of a built site's links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import load_base, message, progress_bar, settings, write_output
from pfm.cli.options import ObjectiveOption, ReleaseOption, ScenarioOption, TimeLimitOption
from pfm.defaults import SELECT_TIME_LIMIT
from pfm.io.files import terminated_as_interrupt

HELP = """Build the portfolio's static website: the board pack's figures and charts as linked pages.

A home page (the KPI tiles and executive summary, stamped with the git commit), the portfolio table
(sortable, filterable by programme, stage, tag, team and text, the filter kept in the address), a
page per item (score explained, business case, dependencies both ways, risks and decisions naming
it, why it is in or out and its entry price), the roadmap, dependencies, capacity, frontier, risk
register and decision log; with --since, the changes since that revision as pfm diff shows them.

Links are relative and nothing is loaded from the network: open DIR/index.html from disk or publish
DIR on any static host (GitHub or GitLab Pages). DIR is replaced whole, never left half written. A
portfolio restyles or rewrites pages with files of the same name in its templates/site/ folder.
--check DIR checks the links of a built site instead: each must lead to a file inside it.

Examples:

  pfm site -o public/

  pfm site --since main~10 -o public/        # with the changes of the last ten commits

  pfm site --history -o public/              # item pages with rank, score and cost at every commit

  pfm site --check public/                   # exit status 1 if a link leads nowhere
"""


def register(app: typer.Typer) -> None:
    app.command("site", help=HELP)(site_command)


def site_command(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="The folder to build the site as.")
    ] = Path("site"),
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="REV", help="Add the changes since this revision, folder or snapshot."),
    ] = None,
    history: Annotated[
        bool,
        typer.Option("--history", help="Add each item's rank, score and cost at every commit (reads git history)."),
    ] = False,
    check: Annotated[
        Path | None, typer.Option("--check", metavar="DIR", help="Check the links of the site built in DIR.")
    ] = None,
    objective: ObjectiveOption = "weighted",
    time_limit: TimeLimitOption = SELECT_TIME_LIMIT,
    release_in_flight: ReleaseOption = False,
    scenario: ScenarioOption = None,
) -> None:
    from pfm.reporting.board_pack import board_pack
    from pfm.reporting.site import check_links, check_site_folder, render_site, write_site
    from pfm.review.history import history as pfm_history

    if check is not None:
        broken = check_links(check)
        write_output("".join(f"{link}\n" for link in broken), None)
        message(ctx, f"{len(broken)} broken links in {check}")
        raise typer.Exit(1 if broken else 0)
    check_site_folder(output)  # before the work, not after it
    with terminated_as_interrupt(), progress_bar(ctx, "analysing") as progress:
        pack = board_pack(
            load_base(ctx),
            scenario or settings(ctx).scenario,
            objective=objective,
            time_limit=time_limit,
            commit_in_flight=not release_in_flight,
            since=since,
            progress=progress,
            scenarios=False,  # the site has no page comparing them
            mandate_cost=False,  # nor the mandates' cost
        )
    with progress_bar(ctx, "reading history") as progress:
        past = pfm_history(pack.portfolio.root, method=objective, progress=progress) if history else None
    with progress_bar(ctx, "rendering") as progress:
        files = render_site(pack, progress, past)
    with terminated_as_interrupt():
        write_site(files, output)
    message(ctx, f"wrote the site ({len(files)} files) to {output}; open {output / 'index.html'}")
