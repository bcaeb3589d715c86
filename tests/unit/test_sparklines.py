"""A KPI's trend as a sparkline: from its first figure on, gaps where a commit has none, the target as a rule."""

from __future__ import annotations

import re

from pfm.reporting.sparklines import sparkline


def test_the_line_starts_at_the_first_figure_and_breaks_at_a_gap() -> None:
    svg = str(sparkline([None, None, 1.0, 2.0, None, 3.0, 4.0], target=2.5))
    runs = re.findall(r'<polyline points="([^"]+)"', svg)
    assert [len(run.split()) for run in runs] == [2, 2]  # two runs of two commits around the gap
    first_x = float(runs[0].split()[0].split(",")[0])
    assert first_x == 3.0  # the commits before the first figure take no room: the line starts at the pad
    assert "stroke-dasharray" in svg and 'aria-label="Trend over 5 commits"' in svg
    cy = float(re.search(r'<circle cx="[^"]+" cy="([^"]+)"', svg)[1])  # type: ignore[index]
    assert cy == 3.0  # the latest value, the highest, at the top


def test_fewer_than_two_figures_draw_nothing() -> None:
    assert str(sparkline([None, 0.5, None])) == ""
    assert str(sparkline([])) == ""
    flat = str(sparkline([0.5, 0.5]))
    assert "NaN" not in flat and 'cy="14.0"' in flat  # a flat trend sits in the middle
