"""`pfm schema export DIR`: the JSON Schemas, for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import message
from pfm.wording import counted

app = typer.Typer(help="The JSON Schemas of the portfolio file format.", no_args_is_help=True)


@app.command(
    "export",
    help="Write every kind's JSON Schema to DIR (for editors and check tools).\n\nExample:\n\n  pfm schema export schemas",
)
def export_command(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="Folder to write the *.schema.json files into (created if missing).")
    ],
) -> None:
    from pfm.io.scaffold import export_schemas

    written = export_schemas(directory)
    message(ctx, f"wrote {counted(len(written), 'schema')} to {directory}")
