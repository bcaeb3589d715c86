"""`pfm export`: the example as a workbook read back with openpyxl, as CSV files read back with pandas, and
an output that cannot be written."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pfm
from pfm.reporting.workbook import money_format
from tests.helpers import EXAMPLE, cli_json, run

SHEETS = ["About", "items", "business_cases", "capacity", "risks", "decisions", "ranking", "selection", "finance"]
SHEETS += ["spend"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example exported to a workbook, with one item's title made to look like a formula."""
    root = tmp_path_factory.mktemp("export") / "portfolio"
    shutil.copytree(EXAMPLE, root)
    item = root / "items" / "payments-hub.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("title: Payments hub", 'title: "=1+1 Payments hub'))
    item.write_text(item.read_text(encoding="utf-8").replace("hub consolidation\n", 'hub consolidation"\n'))
    result = run(CliRunner(), "export", "-o", str(root.parent / "out.xlsx"), root=root)
    assert result.exit_code == 0, result.output
    return root.parent / "out.xlsx"


def _rows(path: Path, sheet: str) -> list[dict[str, object]]:
    from openpyxl import load_workbook

    rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_is_ready_to_read(workbook: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    assert book.sheetnames == SHEETS
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert all(8 <= (sheet.column_dimensions[c.column_letter].width or 0) <= 62 for c in sheet[1])
    cases = book["business_cases"]
    assert [c.value for c in cases[1]] == ["business_case", "item", "year", "figure", "amount"]
    assert cases["E2"].number_format.startswith("£#,##0")
    assert book["finance"]["E2"].number_format == "0.0%"  # the IRR
    decided = book["decisions"]["B2"]
    assert decided.is_date and decided.value.date() == datetime.date(2026, 3, 12)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["portfolio"] == "Northbridge Bank – IT change portfolio" and about["currency"] == "GBP"
    assert about["exported"].date() == datetime.date.today()
    assert about["commit"] is None or len(about["commit"]) == 40


def test_text_that_looks_like_a_formula_stays_text(workbook: Path) -> None:
    from openpyxl import load_workbook

    items = load_workbook(workbook)["items"]
    cell = next(row[1] for row in items.iter_rows() if row[0].value == "payments-hub")
    assert cell.value == "=1+1 Payments hub consolidation"
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_ranking_is_pfm_rank(workbook: Path, runner: CliRunner) -> None:
    ranked = cli_json(runner, "rank", root=workbook.parent / "portfolio")["items"]
    assert [row["id"] for row in _rows(workbook, "ranking")] == [entry["id"] for entry in ranked]
    assert [row["score"] for row in _rows(workbook, "ranking")] == pytest.approx([e["score"] for e in ranked])


def test_the_business_cases_add_up_to_pfm_finance(workbook: Path, runner: CliRunner) -> None:
    totals = cli_json(runner, "finance")["totals"]
    figures = {"capex": "capex", "opex": "opex", "benefit": "benefits"}
    for figure, key in figures.items():
        by_year: dict[str, float] = {}
        for row in _rows(workbook, "business_cases"):
            if row["figure"] == figure:
                by_year[str(row["year"])] = by_year.get(str(row["year"]), 0.0) + float(row["amount"])  # type: ignore[arg-type]
        assert by_year == pytest.approx({year: t[key] for year, t in totals.items() if t[key] or year in by_year})
    spend = _rows(workbook, "spend")
    assert [row["capex"] for row in spend] == pytest.approx([t["capex"] for t in totals.values()])


def test_csv_files_hold_the_same_tables(runner: CliRunner, tmp_path: Path) -> None:
    import pandas

    result = run(runner, "export", "-f", "csv", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{s.lower()}.csv" for s in SHEETS)
    raw = (tmp_path / "out" / "items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,title,")
    cases = pandas.read_csv(tmp_path / "out" / "business_cases.csv", encoding="utf-8-sig")
    assert list(cases.columns) == ["business_case", "item", "year", "figure", "amount"]
    tables = pfm.export_tables(pfm.load_portfolio(EXAMPLE)).to_dict()
    assert cases["amount"].sum() == pytest.approx(sum(row["amount"] for row in tables["business_cases"]))
    capacity = pandas.read_csv(tmp_path / "out" / "capacity.csv", encoding="utf-8-sig")
    assert len(capacity) == len(tables["capacity"]) and set(capacity["team"]) == set(pfm.load_portfolio(EXAMPLE).teams)


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_an_unwritable_output_is_one_line_and_writes_nothing(runner: CliRunner, tmp_path: Path, format: str) -> None:
    (tmp_path / "a-file").write_text("in the way")
    result = run(runner, "export", "-f", format, "-o", str(tmp_path / "a-file" / "out"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "cannot" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


def test_a_failed_export_leaves_the_old_workbook(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    result = run(runner, "export", "-o", str(target), root=tmp_path / "missing")
    assert result.exit_code != 0
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.parametrize(
    ("currency", "expected"),
    [
        ("GBP", "£#,##0;-£#,##0"),
        ("EUR", "€#,##0;-€#,##0"),
        ("USD", "$#,##0;-$#,##0"),
        ("CHF", '#,##0 "CHF";-#,##0 "CHF"'),
    ],
)
def test_money_is_in_the_currency(currency: str, expected: str) -> None:
    assert money_format(currency) == expected


def test_the_library_writes_what_the_command_writes(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    paths = pfm.export(pfm.load_portfolio(EXAMPLE), tmp_path / "book.xlsx")
    assert paths == [tmp_path / "book.xlsx"]
    assert load_workbook(paths[0]).sheetnames == SHEETS
    summary = pfm.export_tables(pfm.load_portfolio(EXAMPLE)).records()
    assert [row["sheet"] for row in summary] == SHEETS
