"""The `pfm` application: global options, command groups and the mapping of errors to exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import click
import typer
import typer.core
from typer.core import TyperGroup

from pfm import __version__
from pfm.cli import (
    capacity,
    deps,
    evm,
    finance,
    registers,
    report,
    review,
    scaffold,
    scenario,
    schema,
    scores,
    select,
    site,
    tracking,
    transfer,
    validate,
    weights,
)
from pfm.cli.common import Settings, settings
from pfm.errors import PfmError
from pfm.io.files import stdout_failure
from pfm.reporting.tables import escape_controls

# Help is plain text (rich_markup_mode=None), but typer 0.20 still escapes "[default: ...]" for rich
# whenever rich is installed, so every option's help ended in "\[default: ...]". pfm prints results with
# rich itself; typer needs none of it.
typer.core.HAS_RICH = False


class PfmGroup(TyperGroup):
    """Turns pfm's errors into one-line messages and exit codes: 2 usage, 3 a bug in pfm."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except PfmError as error:  # the message may quote the user's text
            typer.echo(f"pfm: error: {escape_controls(str(error))}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("pfm: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as error:  # a bug in pfm: short message, traceback only when asked
            if isinstance(ctx.obj, Settings) and ctx.obj.debug:
                traceback.print_exc()
            typer.echo(
                f"pfm: internal error: {type(error).__name__}: {escape_controls(str(error))} (run with --debug for details)",
                err=True,
            )
            raise typer.Exit(3) from None


app = typer.Typer(
    name="pfm",
    cls=PfmGroup,
    help="Portfolio management as code: validate, score, rank and select the IT portfolio kept as YAML in git.",
    epilog=(
        "Examples:\n\n\b\n  pfm -p example-portfolio validate\n  pfm init my-portfolio\n"
        "  pfm new item crm-replatform --title 'Re-platform CRM'"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    suggest_commands=False,  # click already says "Did you mean ...?"; typer would say it twice
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pfm {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    portfolio: Annotated[
        Path | None,
        typer.Option(
            "--portfolio",
            "-p",
            envvar="PFM_PORTFOLIO",
            show_envvar=False,
            help="Portfolio folder; also PFM_PORTFOLIO (default: the nearest folder with portfolio.yaml, from here up).",
        ),
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="Apply this scenario before any analysis.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only results; no notes or progress.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="More detail in notes.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour (also when NO_COLOR is set).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    state = settings(ctx)
    state.portfolio, state.scenario, state.quiet = portfolio, scenario, quiet
    state.verbose, state.color, state.debug = verbose, not no_color, debug


validate.register(app)
scores.register(app)
weights.register(app)
finance.register(app)
evm.register(app)
tracking.register(app)
registers.register(app)
capacity.register(app)
select.register(app)
scaffold.register(app)
review.register(app)
report.register(app)
site.register(app)
transfer.register(app)
app.add_typer(deps.app, name="deps")
app.add_typer(schema.app, name="schema")
app.add_typer(scenario.app, name="scenario")


def main() -> None:
    """Console entry point."""
    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except OSError as error:  # click writing help or a usage message; the commands handle their own output
        code = _stdout_failed(error, 1)
    try:
        sys.stdout.flush()
    except OSError as error:
        code = _stdout_failed(error, code)
    with contextlib.suppress(OSError):  # nowhere left to say anything
        sys.stderr.flush()
    # A large portfolio is millions of small objects; freeing them one by one at exit takes a
    # third of a second on 10,000 items, and nothing is left to clean up (files are closed,
    # worker processes joined), so leave at once.
    os._exit(code)


def _stdout_failed(error: OSError, code: int) -> int:
    """The exit code once writing to stdout failed: `code` when the reader left, else 2, saying why."""
    failure = stdout_failure(error)
    if failure is None:
        return code
    typer.echo(f"pfm: error: {failure}", err=True)
    return 2
