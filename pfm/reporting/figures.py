"""matplotlib figures as SVG text: one house style, text kept as text, and output that is the same for the same input.

User text is drawn literally (never read as mathtext), ids are made unique per figure so that
several can be inlined in one page, and matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import textwrap
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pfm.reporting.tables import plain_text
from pfm.wording import compact_money

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

NAVY = "#1f3b5c"  # selected, primary
GREY = "#9aa5b1"  # not selected, secondary
GREEN = "#2e7d32"
AMBER = "#f9a825"
RED = "#c62828"
INK = "#222222"
PALE = "#e6ebf0"
RULE = "#dde2e7"  # grid and boundary lines
WIDTH = 10.5  # inches: an A4 landscape page less its margins
MAX_HEIGHT = 6.5
Href = Callable[[str], str] | None  # an item's id -> the link its mark in a chart leads to; None: no links

_STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "pfm",
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": GREY,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
}
# Ids must not clash when several charts are inlined in one page: matplotlib numbers its groups per chart
# (dropped) and names each definition by a hash of its content, which two charts can share (suffixed).
_GROUP_ID = re.compile(r'<g id="[\w.]+_[0-9]+"')
_TAG = re.compile(r"<[^>]+>")  # user text never reaches inside a tag: its < and > are escaped
_HASHED_ID = re.compile(r'(id="|#)([a-z][0-9a-f]{10})\b')


def label(text: str, limit: int = 40) -> str:
    """User text fit for a chart: whitespace collapsed, cut to `limit` characters ending in "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, width: int) -> str:
    """User text fit for a chart without losing any of it: whitespace collapsed, lines of about `width`
    characters, broken at spaces and hyphens (a longer word keeps its own line); control characters, which SVG
    cannot hold, shown as escapes."""
    return "\n".join(textwrap.wrap(plain_text(text), width, break_long_words=False)) or " "


def render(size: tuple[float, float], description: str, draw: Callable[[Figure], None]) -> str:
    """The figure `draw` fills, `size` inches, as SVG text starting at `<svg` and labelled `description`."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
        # a title in a script DejaVu lacks is still text in the SVG: the reader's fonts draw it
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure = Figure(figsize=size, layout="constrained")
        draw(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue().decode()
    svg = _scoped(_GROUP_ID.sub("<g", svg[svg.index("<svg") :]))
    svg = svg.replace(' target="_blank"', "")  # matplotlib's links open a new window; a chart's open in place
    return svg.replace("<svg", f'<svg role="img" aria-label="{html.escape(description)}"', 1)


def _scoped(svg: str) -> str:
    suffix = hashlib.sha256(svg.encode()).hexdigest()[:8]
    return _TAG.sub(lambda tag: _HASHED_ID.sub(rf"\1\2-{suffix}", tag[0]), svg)


def nothing() -> str:
    """A small figure that says there is nothing to show."""
    return render((4.0, 1.0), "Nothing to show", _draw_nothing)


def _draw_nothing(figure: Figure) -> None:
    figure.text(0.5, 0.5, "Nothing to show", ha="center", va="center", color=INK)


def tidy(ax: Axes) -> None:
    """A light grid behind the data, no top or right frame."""
    ax.grid(True, color=RULE, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)


def money_axis(axis: Axis, currency: str) -> None:
    """Ticks at round amounts (1, 2, 2.5 or 5 × 10ⁿ), each written exactly: £12.5M, not £12M."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda amount, _: compact_money(amount, currency, digits=6)))
