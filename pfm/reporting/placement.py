"""Labels placed beside their marks in a drawn chart: never on another label, inside the axes, off other marks.

Each label tries spots around its mark, nearest first, then further out with a leader line; a label no spot
fits is left out and reported, so that a chart can say what it does not name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

_ANGLES = (30, -30, 150, -150, 90, -90, 0, 180)  # degrees: upper right first, as a reader expects
_RINGS = (1.0, 2.2, 3.6, 5.2)  # gap multiples: the first ring touches the mark, the others need a leader
_GAP = 4.0  # points between a mark's edge and its label
_PAD = 1.5  # points kept clear around a label
_FONT_SIZE = 8
_TRIES = 3  # marks tried per label wanted: past that, a crowded chart names no more
_LEADER = "#6b7785"


@dataclass(frozen=True, slots=True)
class Mark:
    x: float  # data coordinates
    y: float
    radius: float  # points
    text: str


Box = tuple[float, float, float, float]  # display x0, y0, x1, y1


def renderer_of(figure: Figure) -> RendererBase:
    """Lay the figure out once and fix it there, so labels can be measured where they will be drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer: RendererBase = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    figure.draw_without_rendering()
    figure.set_layout_engine("none")
    return renderer


def place(
    ax: Axes, renderer: RendererBase, marks: Sequence[Mark], *, limit: int, style: dict[str, Any] | None = None
) -> list[Mark]:
    """Label the first `limit` marks that find room, in the order given; returns the marks left unlabelled.

    The figure must be laid out already (`renderer_of`)."""
    scale = ax.figure.dpi / 72
    centres = ax.transData.transform([(m.x, m.y) for m in marks])
    radii = np.array([mark.radius * scale for mark in marks])
    discs = np.column_stack([centres, np.maximum(radii * 0.5, 2.0)])  # the part of a mark a label must not hide
    frame = ax.bbox.extents
    taken: list[Box] = []
    left: list[Mark] = []
    tries = 0
    for number, mark in enumerate(marks):
        if not mark.text:  # a mark to keep clear, nothing to name
            continue
        tries += 1
        if len(taken) >= limit or tries > _TRIES * limit:
            left.append(mark)
            continue
        probe = ax.annotate(mark.text, (mark.x, mark.y), fontsize=_FONT_SIZE, **(style or {}))
        width, height = _size(probe, renderer, scale)
        probe.remove()
        cx, cy = float(centres[number][0]), float(centres[number][1])
        others = np.delete(discs, number, axis=0)
        spot = _spot((cx, cy, float(radii[number])), (width, height), frame, taken, others, _GAP * scale)
        if spot is None:
            left.append(mark)
            continue
        x0, y0, ring = spot
        taken.append((x0, y0, x0 + width, y0 + height))
        leader = {"arrowstyle": "-", "color": _LEADER, "linewidth": 0.5, "shrinkA": 0, "shrinkB": mark.radius}
        text = ax.annotate(
            mark.text,
            (mark.x, mark.y),
            xytext=((x0 + _PAD * scale - cx) / scale, (y0 + _PAD * scale - cy) / scale),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=_FONT_SIZE,
            arrowprops=leader if ring > 0 else None,
            annotation_clip=False,
            **(style or {}),
        )
        text.set_in_layout(False)
    return left


def _size(text: Any, renderer: RendererBase, scale: float) -> tuple[float, float]:
    box = text.get_window_extent(renderer)
    return box.width + 2 * _PAD * scale, box.height + 2 * _PAD * scale


def _spot(
    disc: tuple[float, float, float],
    size: tuple[float, float],
    frame: Sequence[float],
    taken: Sequence[Box],
    others: npt.NDArray[np.float64],
    gap: float,
) -> tuple[float, float, int] | None:
    """The lower left corner of the first free box for a label of this size, and its ring."""
    cx, cy, radius = disc
    width, height = size
    for ring, factor in enumerate(_RINGS):
        reach = radius + gap * factor * (1 if ring == 0 else 3)
        for angle in _ANGLES:
            ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            # the box's nearest point to the mark sits at `reach` along the direction
            x0 = cx + reach * ux - (width if ux < -0.3 else 0 if ux > 0.3 else width / 2)
            y0 = cy + reach * uy - (height if uy < -0.3 else 0 if uy > 0.3 else height / 2)
            box = (x0, y0, x0 + width, y0 + height)
            free = _inside(box, frame) and not any(_meets(box, other) for other in taken)
            if free and not _covers(box, others):
                return x0, y0, ring
    return None


def _inside(box: Box, frame: Sequence[float]) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _meets(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _covers(box: Box, discs: npt.NDArray[np.float64]) -> bool:
    """Whether the box reaches into any of the discs (centre x, centre y, radius)."""
    nearest_x = np.clip(discs[:, 0], box[0], box[2])
    nearest_y = np.clip(discs[:, 1], box[1], box[3])
    return bool(np.any(np.hypot(discs[:, 0] - nearest_x, discs[:, 1] - nearest_y) < discs[:, 2]))
