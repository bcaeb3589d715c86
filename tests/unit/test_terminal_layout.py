"""How tables fit a terminal (pfm.reporting.terminal): ids and figures keep their width, prose folds, headers shorten."""

from __future__ import annotations

from pfm.reporting.tables import Kind
from pfm.reporting.terminal import EDGES, fit, legend_lines

HEADERS = ["id", "title", "strategic-alignment", "financial-value"]
KINDS = [Kind.TEXT, Kind.TEXT, Kind.NUMBER, Kind.NUMBER]
CELLS = [
    ["regulatory-reporting-automation", "Regulatory reporting automation for the prudential returns", "24.57", "8.89"],
    ["crm", "CRM", "1.00", "0.00"],
]


def _width(columns: tuple[object, ...]) -> int:
    return 1 + sum(c.width + EDGES for c in columns)  # type: ignore[attr-defined]


def test_without_a_width_every_column_gets_all_it_asks_for() -> None:
    layout = fit(HEADERS, KINDS, CELLS, None)
    [part] = layout.parts
    assert [c.width for c in part] == [31, len(CELLS[0][1]), len("strategic-alignment"), len("financial-value")]
    assert layout.legend == ()


def test_ids_and_figures_keep_their_width_and_prose_folds_at_its_longest_word() -> None:
    layout = fit(HEADERS, KINDS, CELLS, 80)
    assert all(_width(part) <= 80 for part in layout.parts)
    columns = {c.header: c for part in layout.parts for c in part}
    assert columns["id"].width == 31 and not columns["id"].folds
    assert columns["title"].folds and columns["title"].width >= len("automation")
    assert columns["SA"].width == 5 and columns["SA"].right
    assert layout.legend == (("FV", "financial-value"), ("SA", "strategic-alignment"))


def test_a_table_too_wide_is_split_with_the_id_in_every_part() -> None:
    headers = ["id", *(f"2027-Q{q}" for q in range(1, 5)), *(f"2028-Q{q}" for q in range(1, 5))]
    cells = [["regulatory-reporting-automation", *["1,000,000"] * 8]]
    layout = fit(headers, [Kind.TEXT, *[Kind.MONEY] * 8], cells, 60)
    assert len(layout.parts) > 1
    assert all(part[0].header == "id" and _width(part) <= 60 for part in layout.parts)
    assert [c.header for part in layout.parts for c in part[1:]] == headers[1:]  # every quarter once, in order
    assert layout.legend == ()  # a quarter is as wide as its figures: never abbreviated


def test_the_legend_keeps_each_entry_on_one_line() -> None:
    legend = [("CI", "customer-impact"), ("DR", "delivery-risk"), ("RC", "regulatory-compliance")]
    assert legend_lines(legend, 40) == ["CI = customer-impact; DR = delivery-risk", "RC = regulatory-compliance"]
    assert legend_lines(legend, None) == ["CI = customer-impact; DR = delivery-risk; RC = regulatory-compliance"]
