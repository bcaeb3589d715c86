"""What every command shares: global settings, output streams and formats."""

from __future__ import annotations

import gc
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import typer

if TYPE_CHECKING:
    from types import FrameType

    from rich.console import Console

    from pfm.model import Portfolio
    from pfm.parallel import Progress


class FiniteFloat(click.FloatRange):
    """A float option that refuses NaN and infinity as well as values out of its range.

    click's own range check lets NaN through (every comparison with it is false) and infinity through
    any open end; neither means anything as a budget scale, a gap or a time limit.
    """

    name = "number"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)  # type: ignore[arg-type]  # click hands over the command-line text
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        converted: float = super().convert(number, param, ctx)
        return converted


def number_option(*names: str, minimum: float | None = None, maximum: float | None = None, help: str) -> Any:
    """A typer option for a finite float within [minimum, maximum]: every float option of pfm is one."""
    return typer.Option(*names, click_type=FiniteFloat(minimum, maximum), help=help)


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
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from pfm.files import write_atomic

    write_atomic(output, text)


def message(ctx: typer.Context, text: str) -> None:
    """A note for the user on stderr (never mixed with results), unless --quiet."""
    if not settings(ctx).quiet:
        stderr_console(ctx).print(text)


def load(ctx: typer.Context, scenario: str | None = None) -> Portfolio:
    """The portfolio named by the global options, with the scenario (the command's, else the global one) applied."""
    from pfm.scenarios import apply_scenario

    return apply_scenario(load_base(ctx), scenario or settings(ctx).scenario)


def load_base(ctx: typer.Context) -> Portfolio:
    """The portfolio named by the global options as its files declare it, for commands that apply scenarios."""
    from pfm.model import load_portfolio

    portfolio = load_portfolio(settings(ctx).portfolio)
    # A command is short-lived and the portfolio has no reference cycles: spare the
    # collector from walking its objects again for the rest of the run.
    gc.freeze()
    return portfolio


@contextmanager
def progress_bar(ctx: typer.Context, label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr for long runs in a terminal; None when quiet or piped."""
    if settings(ctx).quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console(ctx),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


@contextmanager
def terminated_as_interrupt() -> Iterator[None]:
    """Let SIGTERM (a cancelled CI job, `kill`) end the command as Ctrl-C does, so temporary files are removed."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
