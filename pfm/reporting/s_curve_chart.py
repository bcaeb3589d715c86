"""The portfolio's S-curve as a chart: cumulative planned value, earned value and actual cost by quarter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pfm.analysis.s_curve import CurvePoint
from pfm.reporting.figures import GREY, INK, NAVY, RED, WIDTH, label, money_axis, nothing, render, tidy

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TICKS = 12  # quarter labels that fit the axis side by side


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


def _draw(figure: Figure, points: Sequence[CurvePoint], currency: str) -> None:
    ax = figure.add_subplot()
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
    step = -(-len(points) // TICKS)
    ax.set_xticks(list(x)[::step], labels=[label(p.quarter, 12) for p in points][::step])
    money_axis(ax.yaxis, currency)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Cumulative")
    tidy(ax)
    figure.legend(loc="outside right upper")
