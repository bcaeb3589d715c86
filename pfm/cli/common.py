"""What every command shares: global settings, output streams and formats."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pfm.io.files import stdout_failure

if TYPE_CHECKING:
    from rich.console import Console

    from pfm.model import Portfolio
    from pfm.parallel import Progress
    from pfm.selection.milp import Watch


@dataclass
class Settings:
    """Global options, set by the app's callback."""

    portfolio: Path | None = None
    scenario: str | None = None
    color: bool = True
    quiet: bool = False
    verbose: bool = False
    debug: bool = False


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def wants_color(ctx: typer.Context, stream: object) -> bool:
    return settings(ctx).color and "NO_COLOR" not in os.environ and bool(getattr(stream, "isatty", lambda: False)())


def stderr_console(ctx: typer.Context) -> Console:
    from rich.console import Console

    return Console(stderr=True, no_color=not wants_color(ctx, sys.stderr), highlight=False, soft_wrap=True)


def write_output(text: str, output: Path | None) -> None:
    """Results to stdout, or atomically to a file (a temporary file renamed into place)."""
    if output is None:
        with writing_results():
            sys.stdout.write(text)
        return
    from pfm.io.files import write_atomic

    write_atomic(output, text)


@contextmanager
def writing_results() -> Iterator[None]:
    """Around writing results to stdout: a reader that left (`pfm rank | head`) ends the run quietly with
    exit code 1, as rich does; any other failure to write (a full disk) is a one-line error."""
    try:
        yield
        sys.stdout.flush()  # a full disk shows only when the buffer is written
    except OSError as error:
        failure = stdout_failure(error)
        if failure is None:
            raise typer.Exit(1) from None
        raise failure from None


def message(ctx: typer.Context, text: str) -> None:
    """A note for the user on stderr (never mixed with results), unless --quiet; any user text in it shown as written."""
    if not settings(ctx).quiet:
        from rich.text import Text

        from pfm.reporting.tables import escape_controls

        stderr_console(ctx).print(Text(escape_controls(text)))


def load(ctx: typer.Context, scenario: str | None = None, tolerate: Collection[str] = ()) -> Portfolio:
    """The portfolio named by the global options, with the scenario (the command's, else the global one) applied."""
    from pfm.analysis.scenarios import apply_scenario

    return apply_scenario(load_base(ctx, tolerate), scenario or settings(ctx).scenario)


def load_base(ctx: typer.Context, tolerate: Collection[str] = ()) -> Portfolio:
    """The portfolio named by the global options as its files declare it, for commands that apply scenarios.

    Errors of the rules in `tolerate` do not stop loading (see load_portfolio)."""
    from pfm.validation.load import load_portfolio

    portfolio = load_portfolio(settings(ctx).portfolio, tolerate=tolerate)
    # A command is short-lived and the portfolio has no reference cycles: spare the
    # collector from walking its objects again for the rest of the run.
    gc.freeze()
    return portfolio


@contextmanager
def progress_bar(ctx: typer.Context, label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr for long runs in a terminal; None when quiet or piped."""
    with solver_progress(ctx, label) as (report, _):
        yield report


@contextmanager
def solver_progress(ctx: typer.Context, label: str) -> Iterator[tuple[Progress | None, Watch | None]]:
    """A progress bar whose label also follows a solve (the best value found and the bound proven, as they
    improve); (None, None) when quiet or piped."""
    if settings(ctx).quiet or not sys.stderr.isatty():
        yield None, None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console(ctx),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def watch(best: float, bound: float) -> None:
            gap = abs(bound - best) / max(abs(best), 1e-9)
            bar.update(task, description=f"{label}: best {best:,.2f}, bound {bound:,.2f} ({gap:.2%} to prove)")

        yield report, watch
