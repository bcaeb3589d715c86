"""`pfm init` and `pfm new`: start a portfolio, add to it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import message, settings, writing_results
from pfm.wording import counted

INIT_HELP = """Scaffold a portfolio repository in DIR: portfolio.yaml, one folder per kind, the JSON Schemas and editor settings.

Also a GitHub workflow (.github/workflows/pfm.yml: validate every pull request and comment
what it changes), a pre-commit config that validates before each commit and a .gitignore for
the packs pfm renders; files of these names that DIR already has are kept. DIR becomes a git
repository on branch main unless it is inside one (--no-git: never). The skeleton validates
clean. Example:

  pfm init my-portfolio && pfm -p my-portfolio validate
"""

NEW_HELP = """Write a new KIND file with the required fields and the schema modeline for editors.

KIND is one of: item, business-case, team, risk, scenario, decision. The file goes to the
kind's folder (items/, business-cases/, ...) as ID.yaml.

Examples:

  pfm new item crm-replatform --title "Re-platform CRM onto SaaS"

  pfm new business-case crm-replatform-case --item crm-replatform
"""


def register(app: typer.Typer) -> None:
    app.command("init", help=INIT_HELP)(init_command)
    app.command("new", help=NEW_HELP)(new_command)


def init_command(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder for the new portfolio (created if missing).")] = Path(),
    name: Annotated[
        str | None, typer.Option("--name", help="Portfolio name (default: from the folder's name).")
    ] = None,
    git: Annotated[bool, typer.Option("--git/--no-git", help="Make DIR a git repository unless it is in one.")] = True,
) -> None:
    import shlex

    from pfm.io.revisions import start_repository
    from pfm.io.scaffold import init_portfolio

    written = init_portfolio(directory, name)
    started = git and start_repository(directory)
    folder = shlex.quote(str(directory))
    message(
        ctx,
        f"created a portfolio in {directory} ({counted(len(written), 'file')}"
        + (", a new git repository)" if started else ")"),
    )
    for line in (
        "next:",
        f"  pfm -p {folder} new item my-first-project --title 'My first project'",
        f"  pfm -p {folder} validate",
        f"  git -C {folder} add -A && git -C {folder} commit -m 'Start the portfolio'",
    ):
        message(ctx, line)


def new_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="item, business-case, team, risk, scenario or decision.")],
    ident: Annotated[str, typer.Argument(metavar="ID", help="Id of the new entity; also the file's name.")],
    title: Annotated[str | None, typer.Option("--title", help="Title (default: from the id).")] = None,
    item: Annotated[
        str | None,
        typer.Option("--item", help="For a business case: the item it belongs to (default: ID without -case)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    from pfm.io.loading import resolve_root
    from pfm.io.scaffold import kind_of, new_entity

    root = resolve_root(settings(ctx).portfolio)
    path = new_entity(root, kind_of(kind), ident, title=title, item=item, force=force)
    with writing_results():
        typer.echo(path.relative_to(root).as_posix())
    if not (root / "schemas").is_dir():
        message(
            ctx,
            "note: the file's first line points editors at schemas/, which this portfolio lacks; "
            "`pfm schema export schemas` writes the schemas there, so editors complete and check the file",
        )
