"""The board pack's charts: well-formed SVG, the expected labels as text, user text literal, deterministic output."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache

import pytest

from pfm.analysis.network import Link, Node
from pfm.reporting.charts import (
    Bar,
    Bubble,
    RiskCell,
    capacity_heatmap,
    frontier_chart,
    gantt_chart,
    risk_heatmap,
    value_risk_chart,
)
from pfm.reporting.dependency_chart import dependency_chart
from pfm.reporting.figures import RED, label
from tests.helpers import REPO

HOSTILE = "$x^2$ <script>alert(1)</script> {{ 7*7 }}"
PERIODS = ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2"]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    return root


def texts(svg: str) -> list[str]:
    """The text of every <text> element, in document order."""
    return ["".join(element.itertext()) for element in parse(svg).iter() if element.tag.endswith("text")]


def text_positions(svg: str) -> dict[str, tuple[float, float]]:
    return {
        "".join(element.itertext()): (float(element.attrib["x"]), float(element.attrib["y"]))
        for element in parse(svg).iter()
        if element.tag.endswith("text")
    }


def bubbles(count: int = 15) -> list[Bubble]:
    return [
        Bubble(
            f"B{number:02d}",
            f"Item {number}",
            value=number * 5.0,
            risk=number % 5,
            cost=number * 1e5,
            selected=number % 2 == 0,
        )
        for number in range(count)
    ]


def bubble_chart() -> str:
    return value_risk_chart(bubbles(), value_label="Score", risk_label="Delivery risk", currency="GBP")[0]


def frontier() -> str:
    points = [(0.0, 0.0), (5e5, 40.0), (1e6, None), (1.5e6, 90.0), (2e6, 120.0)]
    return frontier_chart(
        points, selection=(1.5e6, 90.0), committed=(5e5, 40.0), budget=1.6e6, value_label="Score", currency="GBP"
    )


def capacity() -> str:
    return capacity_heatmap(["Platform", "Data"], PERIODS[:3], [[0.5, 0.92, 1.25], [None, float("inf"), 1.0]])


def gantt() -> str:
    bars = [
        Bar("A-1", "First", start=0, duration=2, kind="in flight"),
        Bar("C-3", "Second", start=2, duration=3, kind="selected", late=1),
        Bar("B-2", "Third", start=1, duration=1, kind="late"),
    ]
    return gantt_chart(bars, PERIODS)


def risks() -> str:
    return risk_heatmap([RiskCell("R-TOP-LEFT", 5, 1), RiskCell("R-LOW-RIGHT", 1, 5)])


def dependencies(*, critical: bool = True) -> str:
    nodes = [Node(name, f"Title {name}", None) for name in ("A", "B", "C", "LONELY")]
    links = [
        Link("A", "B", "finish-to-start", 0, critical=critical),
        Link("B", "C", "finish-to-start", 0, critical=False),
    ]
    return dependency_chart(nodes, links, [["A"], ["B"], ["C"]])


CHARTS: dict[str, Callable[[], str]] = {
    "value risk": bubble_chart,
    "frontier": frontier,
    "capacity": capacity,
    "gantt": gantt,
    "risks": risks,
    "dependencies": dependencies,
}


@cache
def drawn(name: str) -> str:
    return CHARTS[name]()


EMPTY: dict[str, Callable[[], str]] = {
    "value risk": lambda: value_risk_chart([], value_label="Score", risk_label="Risk", currency="GBP")[0],
    "frontier": lambda: frontier_chart(
        [(1.0, None)], selection=None, committed=None, budget=5.0, value_label="Score", currency="GBP"
    ),
    "capacity": lambda: capacity_heatmap([], PERIODS, []),
    "gantt": lambda: gantt_chart([], PERIODS),
    "risks": lambda: risk_heatmap([RiskCell("OUT", 0, 6)]),
    "dependencies": lambda: dependency_chart([], [], []),
}


def test_label_collapses_whitespace_and_cuts_with_an_ellipsis() -> None:
    assert label("  Move\n the\tdata  centre ") == "Move the data centre"
    assert label("abcdefghij", 5) == "abcd…"
    assert label("abcde", 5) == "abcde"
    assert label("word " + "x" * 500, 20) == "word " + "x" * 14 + "…"
    assert label("ends with a space here", 13) == "ends with a…"


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_inline_svg_text_with_an_accessible_name(name: str) -> None:
    svg = drawn(name)
    assert svg.startswith("<svg ")
    root = parse(svg)
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-label"]
    assert texts(svg)
    assert "DejaVuSans-" not in svg  # text is text, not glyph outlines
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg


@pytest.mark.parametrize("name", CHARTS)
def test_the_same_input_gives_byte_identical_svg(name: str) -> None:
    assert CHARTS[name]() == drawn(name)


def ids(svg: str) -> set[str]:
    return {element.attrib["id"] for element in parse(svg).iter() if "id" in element.attrib}


@pytest.mark.parametrize("name", CHARTS)
def test_every_reference_points_into_the_same_chart(name: str) -> None:
    svg = drawn(name)
    references = set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg))
    assert references <= ids(svg)
    assert references or name == "dependencies"  # no axes, so no clip paths or tick marks


def test_charts_inlined_in_one_page_share_no_id() -> None:
    seen: set[str] = set()
    for name in CHARTS:
        assert not ids(drawn(name)) & seen, name
        seen |= ids(drawn(name))


@pytest.mark.parametrize("name", EMPTY)
def test_empty_input_gives_a_small_svg_saying_so(name: str) -> None:
    svg = EMPTY[name]()
    assert texts(svg) == ["Nothing to show"]
    assert parse(svg).attrib["aria-label"] == "Nothing to show"


def test_the_value_risk_chart_names_the_items_that_find_room_and_keys_sizes_in_money() -> None:
    svg, unnamed = value_risk_chart(bubbles(), value_label="Score", risk_label="Delivery risk", currency="GBP")
    shown = set(texts(svg))
    named = {f"B{number:02d}" for number in range(15)} & shown
    assert named | {bubble.id for bubble in unnamed} == {f"B{number:02d}" for number in range(15)}
    assert not named & {bubble.id for bubble in unnamed}
    assert "B14" in named  # the most valuable first
    assert {"selected", "not selected", "Cost", "Delivery risk", "Score"} <= shown
    assert {"£1M", "£200k", "£50k"} <= shown  # the top cost is £1.4M: keys at round amounts below it


def test_the_value_risk_chart_reports_what_it_could_not_name_most_valuable_first() -> None:
    crowd = [Bubble(f"item-{n:03d}", "", value=50 + n % 3, risk=3, cost=1e6, selected=True) for n in range(60)]
    svg, unnamed = value_risk_chart(crowd, value_label="Score", risk_label="Risk", currency="GBP")
    assert unnamed
    assert [b.value for b in unnamed] == sorted((b.value for b in unnamed), reverse=True)
    assert not {b.id for b in unnamed} & set(texts(svg))


def test_the_value_risk_chart_draws_free_items_and_omits_the_size_key_when_nothing_costs() -> None:
    free = [Bubble("FREE", "Free", value=1, risk=1, cost=0, selected=True)]
    shown = texts(value_risk_chart(free, value_label="Score", risk_label="Risk", currency="GBP")[0])
    assert "FREE" in shown
    assert "Cost" not in shown


def test_user_text_is_drawn_literally_never_as_markup_or_mathtext() -> None:
    svg, _ = value_risk_chart(bubbles(2), value_label=HOSTILE, risk_label=HOSTILE + " and more", currency="GBP")
    shown = texts(svg)
    assert HOSTILE in shown
    assert HOSTILE + " and more" in shown  # 50 characters: axis labels allow 60
    assert "<script>" not in svg
    assert not [element for element in parse(svg).iter() if element.tag.endswith("script")]


def test_hostile_titles_are_cut_by_label_and_stay_literal() -> None:
    svg = gantt_chart([Bar("x", HOSTILE, start=0, duration=1, kind="planned")], PERIODS)
    assert label(HOSTILE, 44) in texts(svg)
    assert not [element for element in parse(svg).iter() if element.tag.endswith("script")]


def test_characters_missing_from_the_font_stay_text_without_a_warning() -> None:
    svg = gantt_chart([Bar("rocket", "🚀 launch", start=0, duration=1, kind="planned")], PERIODS)
    assert "🚀 launch" in texts(svg)


def test_the_frontier_marks_the_recommended_and_committed_selections_and_the_budget() -> None:
    shown = texts(frontier())
    assert {"recommended", "committed", " budget £1.6M ", "Spend in the budgeted years", "Score"} <= set(shown)
    assert {"£0", "£1M", "£2M"} <= set(shown)


def test_money_ticks_sit_at_round_amounts_written_exactly() -> None:
    points = [(10e6, 1.0), (25e6, 2.0)]
    svg = frontier_chart(points, selection=None, committed=None, budget=None, value_label="V", currency="GBP")
    ticks = [text for text in texts(svg) if text.startswith("£")]
    assert ticks == ["£10M", "£12.5M", "£15M", "£17.5M", "£20M", "£22.5M", "£25M"]


def test_the_frontier_without_a_budget_has_no_budget_line() -> None:
    svg = frontier_chart([(1e6, 5.0)], selection=None, committed=None, budget=None, value_label="V", currency="EUR")
    shown = texts(svg)
    assert "budget" not in shown
    assert "recommended" not in shown
    assert "€1M" in shown


def test_the_capacity_heatmap_writes_the_percentage_in_each_cell() -> None:
    shown = texts(capacity())
    assert {"50", "92", "125", "100", "∞"} <= set(shown)
    cells = [text for text in shown if text.isdigit() or text == "∞"]
    assert len(cells) == 5  # the cell without capacity or demand stays blank
    assert {"Platform", "Data", "2027-Q1", "2027-Q3", "up to 85 %", "85–100 %", "over 100 %"} <= set(shown)


def test_the_capacity_heatmap_puts_each_value_in_its_row_and_column() -> None:
    at = text_positions(capacity())
    assert at["50"][1] == at["92"][1] < at["∞"][1]  # Platform above Data
    assert at["50"][0] < at["92"][0] < at["125"][0]
    assert at["∞"][0] == pytest.approx(at["92"][0])


def test_the_capacity_heatmap_writes_white_on_red_only_above_100_percent() -> None:
    fills = {
        "".join(element.itertext()): element.attrib["style"]
        for element in parse(capacity()).iter()
        if element.tag.endswith("text")
    }
    assert "fill: #ffffff" in fills["125"]
    assert "fill: #ffffff" in fills["∞"]
    assert "fill: #ffffff" not in fills["100"]  # full is amber, not over
    assert "fill: #ffffff" not in fills["92"]


def test_the_gantt_has_one_label_per_bar_in_the_given_order_first_at_top() -> None:
    svg = gantt()
    at = text_positions(svg)
    assert at["First"][1] < at["Second"][1] < at["Third"][1]  # each bar is labelled with its title
    shown = texts(svg)
    assert [text for text in shown if text in ("First", "Second", "Third")] == ["First", "Second", "Third"]
    assert {"in flight", "selected", "late", "later than requested", *PERIODS} <= set(shown)
    assert "planned" not in shown  # the legend shows only the kinds present


def test_the_gantt_turns_many_quarter_labels_upright() -> None:
    periods = [f"{2027 + number // 4}-Q{number % 4 + 1}" for number in range(16)]
    svg = gantt_chart([Bar("X", "X", start=0, duration=16, kind="odd kind")], periods)
    quarter = next(element for element in parse(svg).iter() if "".join(element.itertext()) == "2030-Q4")
    assert "rotate(-90" in quarter.attrib["transform"]
    assert "odd kind" in texts(svg)


def test_the_risk_heatmap_places_each_risk_in_its_cell() -> None:
    at = text_positions(risks())
    top_left, low_right = at["R-TOP-LEFT"], at["R-LOW-RIGHT"]
    assert top_left[0] < low_right[0]  # impact 1 left of impact 5
    assert top_left[1] < low_right[1]  # probability 5 above probability 1 (SVG y grows downwards)


def test_the_risk_heatmap_names_whole_ids_a_cell_holds_then_counts_the_rest() -> None:
    shown = texts(risk_heatmap([RiskCell(f"R{number}", 3, 3) for number in range(7)]))
    assert shown[-5:] == ["R0", "R1", "R2", "R3", "+3 more"]  # one line each
    assert {"Impact", "Probability"} <= set(shown)
    long = "core-data-migration-quality-at-cutover"
    assert texts(risk_heatmap([RiskCell(long, 3, 3)]))[-2:] == [
        "core-data-migration-",
        "quality-at-cutover",
    ]  # wrapped at hyphens, not cut


def test_the_dependency_chart_draws_critical_links_red() -> None:
    assert RED in dependencies(critical=True)
    assert RED not in dependencies(critical=False)


def test_the_dependency_chart_lays_out_layers_left_to_right() -> None:
    svg = dependencies()
    at = text_positions(svg)
    assert at["A"][0] < at["B"][0] < at["C"][0]
    assert at["LONELY"][0] == pytest.approx(at["A"][0])  # in no layer: drawn in the first
    long_id = "X" * 40
    shown = texts(dependency_chart([Node(long_id, "Long", None)], [], []))
    assert shown == [long_id]  # whole, never cut


def test_importing_the_module_does_not_load_matplotlib() -> None:
    probe = "import sys, pfm.reporting.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "False", result.stderr
