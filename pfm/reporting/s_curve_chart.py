"""The S-curve as a chart: cumulative planned value, earned value and actual cost by quarter, for the portfolio,
and for its programmes as small multiples."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pfm.analysis.s_curve import CurvePoint
from pfm.reporting.figures import GREY, INK, NAVY, RED, WIDTH, label, money_axis, nothing, render, tidy, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TICKS = 12  # quarter labels that fit the axis side by side
PANEL_TICKS = 4  # and on a panel of the small multiples
COLUMNS = 3  # panels side by side
PANEL_HEIGHT = 2.1  # inches


def s_curve_chart(points: Sequence[CurvePoint], currency: str) -> str:
    """Cumulative PV (grey, dashed), EV (navy) and AC (red) at the end of each quarter; EV and AC up to the
    status date, which a vertical line marks."""
    if not points:
        return nothing()
    return render(
        (WIDTH, 4.2),
        f"S-curve: cumulative planned value, earned value and actual cost over {len(points)} quarters",
        lambda figure: _draw(figure, points, currency),
    )


def programme_s_curves_chart(curves: Sequence[tuple[str, Sequence[CurvePoint]]], currency: str) -> str:
    """One small S-curve per programme (its title above it), COLUMNS to a row, each on its own scale; one legend."""
    if not curves:
        return nothing()
    rows = -(-len(curves) // COLUMNS)
    return render(
        (WIDTH, PANEL_HEIGHT * rows + 0.5),
        f"S-curves of {len(curves)} programmes: cumulative planned value, earned value and actual cost",
        lambda figure: _draw_panels(figure, curves, currency, rows),
    )


def _draw_panels(figure: Figure, curves: Sequence[tuple[str, Sequence[CurvePoint]]], currency: str, rows: int) -> None:
    from matplotlib.ticker import MaxNLocator

    for n, (title, points) in enumerate(curves):
        ax = figure.add_subplot(rows, COLUMNS, n + 1)
        _lines(ax, points, PANEL_TICKS, currency)
        ax.tick_params(labelsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
        ax.set_title(wrap(title, 48), fontsize=8.5, loc="left")
    handles, names = figure.axes[0].get_legend_handles_labels()
    figure.legend(handles, names, loc="outside upper center", ncols=len(names))


def _draw(figure: Figure, points: Sequence[CurvePoint], currency: str) -> None:
    ax = figure.add_subplot()
    _lines(ax, points, TICKS, currency)
    ax.set_ylabel("Cumulative")
    figure.legend(loc="outside right upper")


def _lines(ax: Axes, points: Sequence[CurvePoint], ticks: int, currency: str) -> None:
    """PV dashed grey, EV navy and AC red on `ax`, a dotted line at the status date; `ticks` quarters named."""
    x = range(len(points))
    ax.plot(x, [p.pv for p in points], color=GREY, linestyle="--", linewidth=1.6, label="Planned value (PV)")
    reached = [(n, p.ev, p.ac) for n, p in enumerate(points) if p.ev is not None and p.ac is not None]
    quarters = [n for n, _, _ in reached]
    ax.plot(
        quarters,
        [ev for _, ev, _ in reached],
        color=NAVY,
        linewidth=2,
        marker="o",
        markersize=3,
        label="Earned value (EV)",
    )
    ax.plot(
        quarters,
        [ac for _, _, ac in reached],
        color=RED,
        linewidth=1.6,
        marker="o",
        markersize=3,
        label="Actual cost (AC)",
    )
    if reached:
        ax.axvline(quarters[-1], color=INK, linestyle=":", linewidth=1, label="Status date")
    step = -(-len(points) // ticks)
    ax.set_xticks(list(x)[::step], labels=[label(p.quarter, 12) for p in points][::step])
    money_axis(ax.yaxis, currency)
    ax.set_ylim(bottom=0)
    tidy(ax)
