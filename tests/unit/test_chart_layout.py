"""The board pack's charts place their text: on the example and on portfolios of 5 to 1,000 items, no two
texts drawn into a chart overlap, none reaches past the figure's edge (nor, for text inside the plot, past the axes),
none overlaps a legend's marker and none is cut short with "…".

The boxes are the ones matplotlib reports while it writes the SVG: every drawn text's window extent, taken with the
renderer that draws it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from pfm.io.revisions import provenance
from pfm.reporting.pack import build_pack
from pfm.reporting.pack_charts import draw_charts
from pfm.validation.load import load_portfolio
from tests.helpers import EXAMPLE, REPO

SMALL = ("cloud-landing-zone", "cloud-finops", "identity-sso-mfa", "windows-server-eol", "zero-trust-network")
TOLERANCE = 0.5  # points: boxes that merely touch do not overlap


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width > TOLERANCE and height > TOLERANCE

    def inside(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        return (
            self.x0 >= x0 - TOLERANCE
            and self.y0 >= y0 - TOLERANCE
            and self.x1 <= x1 + TOLERANCE
            and self.y1 <= y1 + TOLERANCE
        )


@dataclass
class Drawn:
    """A chart's boxes by artist: matplotlib may draw a figure more than once to lay it out; the last draw counts."""

    texts: dict[int, Box]
    marks: dict[int, Box]  # legend markers
    outside: dict[int, str]  # texts past the figure's or their axes' edge


def _box(text: str, extent: object) -> Box:
    x0, y0, x1, y1 = extent.extents  # type: ignore[attr-defined]
    return Box(text, x0, y0, x1, y1)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Drawn]]:
    """Every chart drawn while the fixture is active, as the boxes of what was drawn."""
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    charts: list[Drawn] = []
    saving = [False]  # a chart also draws itself to place its labels: only the SVG's drawing counts
    text_draw, legend_draw, savefig, text_extent = Text.draw, Legend.draw, Figure.savefig, Text.get_window_extent

    def draw_text(self: Text, renderer: object) -> None:
        text_draw(self, renderer)  # type: ignore[arg-type]
        if not saving[0] or not self.get_visible() or not self.get_text().strip():
            return
        box = _box(self.get_text(), text_extent(self, renderer))  # the text alone, without an arrow
        chart = charts[-1]
        chart.texts[id(self)] = box
        chart.outside.pop(id(self), None)
        figure = self.get_figure(root=True)
        assert figure is not None
        if not box.inside(*figure.bbox.extents):
            chart.outside[id(self)] = f"{box.text!r} past the figure"
        axes = self.axes
        if axes is not None and self in axes.texts and not box.inside(*axes.bbox.extents):
            chart.outside[id(self)] = f"{box.text!r} past the axes"

    def draw_legend(self: Legend, renderer: object) -> None:
        legend_draw(self, renderer)  # type: ignore[arg-type]
        for handle in self.legend_handles if saving[0] else ():
            if handle is not None:
                charts[-1].marks[id(handle)] = _box("marker", handle.get_window_extent(renderer))  # type: ignore[arg-type]

    def save(self: Figure, *args: object, **kwargs: object) -> None:
        charts.append(Drawn({}, {}, {}))
        saving[0] = True
        try:
            savefig(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            saving[0] = False

    monkeypatch.setattr(Text, "draw", draw_text)
    monkeypatch.setattr(Legend, "draw", draw_legend)
    monkeypatch.setattr(Figure, "savefig", save)
    yield charts


def small_portfolio(out: Path) -> Path:
    """The example cut down to five items, with their business cases and risks."""
    shutil.copytree(EXAMPLE, out, ignore=shutil.ignore_patterns("decisions", "scenarios"))
    for path in [*(out / "items").glob("*.yaml"), *(out / "business-cases").glob("*.yaml")]:
        if path.stem.removesuffix("-case") not in SMALL:
            path.unlink()
    for path in (out / "risks").glob("*.yaml"):
        risk = yaml.safe_load(path.read_text(encoding="utf-8"))
        risk["items"] = [item for item in risk["items"] if item in SMALL]
        if risk["items"]:
            path.write_text(yaml.safe_dump(risk, sort_keys=False), encoding="utf-8")
        else:
            path.unlink()
    return out


def portfolio(name: str, folder: Path) -> Path:
    if name == "example":
        return EXAMPLE
    if name == "5 items":
        return small_portfolio(folder / "small")
    items = name.split(maxsplit=1)[0]
    script = REPO / "benchmarks" / "generate.py"
    out = folder / f"items-{items}"
    # Sized so that the committed work fits and about half the rest can be chosen: every chart of the
    # recommended portfolio (frontier, roadmap, dependencies) has something to draw.
    fitted = ["--teams", "8", "--fit", "0.5"] if "fitted" in name else []
    # With start windows the pack asks what moving starts buys: the chart of the moved items is drawn too.
    windows = ["--windows", "2"] if "windows" in name else []
    command = [sys.executable, script, "--items", items, "--out", out, *fitted, *windows]
    subprocess.run(command, check=True, capture_output=True)
    return out


PORTFOLIOS = [
    "example",
    "5 items",
    "40 items",
    "200 items",
    "200 items fitted",
    "200 items fitted windows",
    "1000 items",
]


def overlaps(chart: Drawn) -> list[str]:
    found = []
    texts = list(chart.texts.values())
    for number, one in enumerate(texts):
        found += [f"{one.text!r} and {other.text!r}" for other in texts[number + 1 :] if one.overlaps(other)]
        found += [f"{one.text!r} on a legend marker" for mark in chart.marks.values() if one.overlaps(mark)]
    return found


@pytest.mark.parametrize("name", PORTFOLIOS)
def test_no_chart_text_overlaps_another_or_the_edge_or_is_cut(name: str, recorded: list[Drawn], tmp_path: Path) -> None:
    root = portfolio(name, tmp_path)
    charts = draw_charts(build_pack(load_portfolio(root), None, provenance(root)))
    assert len(recorded) == len(charts)
    # the S-curves, the portfolio's and the programmes' small multiples, are checked where there is a status date
    assert name != "example" or {"s-curve", "s-curve-programmes", "starts"} <= set(charts)
    assert "windows" not in name or "starts" in charts
    problems = []
    for chart_name, chart in zip(charts, recorded, strict=True):
        cut = [box.text for box in chart.texts.values() if "…" in box.text]
        problems += [f"{chart_name}: {problem}" for problem in overlaps(chart) + list(chart.outside.values())]
        problems += [f"{chart_name}: {text!r} cut" for text in cut]
    assert not problems, "\n".join(problems)
