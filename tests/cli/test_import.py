"""`pfm import`: a project register (CSV and XLSX) through a mapping into a portfolio, merged on re-import."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pfm
from pfm.io.scaffold import init_portfolio
from tests.helpers import REPO, cli_json, run

DATA = REPO / "tests" / "unit" / "data" / "import"
MAPPING = DATA / "register-mapping.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A new portfolio (as `pfm init` makes it) and a copy of the register beside it."""
    init_portfolio(tmp_path / "portfolio", "Northbridge")
    shutil.copy(DATA / "register.csv", tmp_path / "register.csv")
    return tmp_path


def _import(runner: CliRunner, folder: Path, *args: str, exit_code: int = 0) -> str:
    result = run(
        runner, "import", str(folder / "register.csv"), "--mapping", str(MAPPING), *args, root=folder / "portfolio"
    )
    assert result.exit_code == exit_code, result.output
    return result.output


def _texts(root: Path) -> dict[str, str]:
    """The text of every item and business case of the portfolio at `root`."""
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for folder in ("items", "business-cases")
        for p in sorted((root / folder).glob("*.yaml"))
    }


def test_a_register_becomes_a_portfolio_that_validates(runner: CliRunner, folder: Path) -> None:
    output = _import(runner, folder)
    root = folder / "portfolio"
    item = (root / "items" / "core-ledger-upgrade.yaml").read_text(encoding="utf-8")
    assert item.startswith("# yaml-language-server: $schema=../schemas/item.schema.json\n")
    for line in ("status: red", "stage: business-case", "start: 2027-Q2", "end: 2027-Q4", "mandatory: true"):
        assert f"\n{line}\n" in item
    assert "tags: [finance, core]" in item
    case = (root / "business-cases" / "core-ledger-upgrade-case.yaml").read_text(encoding="utf-8")
    assert "  - {year: 2027, capex: 1200000, opex: 200000}\n  - {year: 2028, capex: 350000, opex: 250000}\n" in case
    # Text where a number belongs: the row is imported, the field left out, the cell named
    assert "register.csv:row 4:column Capex 2027: not a number" in output
    assert "Section 43" in output
    retention = (root / "business-cases" / "records-retention-case.yaml").read_text(encoding="utf-8")
    assert "{year: 2027, opex: 50000}" in retention
    # Two projects of one name: the second gets a numbered id, and the import says so
    assert (root / "items" / "core-ledger-upgrade-2.yaml").is_file()
    assert "register.csv:row 5:column Project: the id 'core-ledger-upgrade' is taken by register.csv:row 2" in output
    assert "TBC" not in (root / "items" / "core-ledger-upgrade-2.yaml").read_text(encoding="utf-8")  # dropped
    assert not (root / "business-cases" / "core-ledger-upgrade-2-case.yaml").exists()  # no cost figure
    checked = pfm.validate(root)
    assert checked.ok, [f.to_dict() for f in checked.findings]
    assert run(runner, "validate", root=root).exit_code == 0


def test_a_workbook_gives_the_same_portfolio_as_the_csv(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    """The register saved from Excel: dates as date cells, money as numbers and text, a serial date for one start."""
    from openpyxl import Workbook

    _import(runner, folder)
    expected = _texts(folder / "portfolio")
    lines = (DATA / "register.csv").read_text(encoding="utf-8").splitlines()
    import csv

    rows = list(csv.reader(lines))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Projects"
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = list(row)
        for column in (6, 7):
            cells[column] = datetime.datetime.strptime(row[column], "%d/%m/%Y")
        cells[10:13] = [int(value) for value in row[10:13]]
        sheet.append(cells)
    sheet["G3"] = 46753  # 01/01/2028 as the serial number a date column pasted as values holds
    book.save(tmp_path / "register.xlsx")
    init_portfolio(tmp_path / "other", "Northbridge")
    result = run(
        runner, "import", str(tmp_path / "register.xlsx"), "--sheet", "Projects", "--mapping", str(MAPPING),
        root=tmp_path / "other",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "register.xlsx:row 4:column Capex 2027: not a number" in result.output
    assert _texts(tmp_path / "other") == expected


def test_a_re_import_changes_only_the_value_that_changed(runner: CliRunner, folder: Path) -> None:
    _import(runner, folder)
    path = folder / "portfolio" / "items" / "mobile-app-refresh.yaml"
    text = path.read_text(encoding="utf-8").replace("owner: Tom Lee\n", "owner: Tom Lee   # until March\n")
    text += "x-finance-code: FC-1029\n"  # a field the mapping does not name
    path.write_text(text, encoding="utf-8")
    register = folder / "register.csv"
    register.write_text(register.read_text(encoding="utf-8").replace(",Green,", ",Amber,"), encoding="utf-8")
    before = _texts(folder / "portfolio")
    output = _import(runner, folder, "--dry-run")
    assert _texts(folder / "portfolio") == before  # a dry run writes nothing
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in output.splitlines() if "│" in line]
    assert cells == [["changed", "Item", "mobile-app-refresh", "status", "green", "amber"]]
    assert "0 added, 1 changed, 0 removed, 0 missing, 6 unchanged (dry run: nothing written)" in output
    report = cli_json(
        runner, "import", str(register), "--mapping", str(MAPPING), "--dry-run", root=folder / "portfolio"
    )
    assert report["summary"] == {"added": 0, "changed": 1, "removed": 0, "missing": 0, "unchanged": 6}
    assert report["changes"] == [
        {
            "action": "changed",
            "kind": "Item",
            "id": "mobile-app-refresh",
            "file": "items/mobile-app-refresh.yaml",
            "fields": [{"field": "status", "old": "green", "new": "amber"}],
        }
    ]
    library = pfm.import_files([register], MAPPING, folder / "portfolio", dry_run=True)
    assert library.to_dict() == report
    _import(runner, folder)
    after = path.read_text(encoding="utf-8")
    assert after == text.replace("status: green\n", "status: amber\n")  # comment, order and x- field kept


def test_a_row_without_an_id_stops_the_import_unless_partial(runner: CliRunner, folder: Path) -> None:
    register = folder / "register.csv"
    register.write_text(register.read_text(encoding="utf-8").replace(",Mobile App Refresh,", ",,"), encoding="utf-8")
    before = _texts(folder / "portfolio")
    output = _import(runner, folder, exit_code=1)
    assert "error: register.csv:row 3:column Project: no id for the Item" in output
    assert "nothing written" in output
    assert _texts(folder / "portfolio") == before
    _import(runner, folder, "--partial")
    written = sorted(_texts(folder / "portfolio"))
    assert "items/core-ledger-upgrade.yaml" in written
    assert not any("mobile" in name for name in written)


def test_ids_missing_from_the_source_are_removed_only_with_prune(runner: CliRunner, folder: Path) -> None:
    _import(runner, folder)
    register = folder / "register.csv"
    register.write_text(
        "".join(line for line in register.read_text(encoding="utf-8").splitlines(True) if "PRJ-003" not in line),
        encoding="utf-8",
    )
    gone = folder / "portfolio" / "items" / "records-retention.yaml"
    report = cli_json(runner, "import", str(register), "--mapping", str(MAPPING), root=folder / "portfolio")
    assert report["summary"]["missing"] == 2
    assert gone.is_file()
    report = cli_json(runner, "import", str(register), "--mapping", str(MAPPING), "--prune", root=folder / "portfolio")
    assert [(c["action"], c["id"]) for c in report["changes"]] == [
        ("removed", "records-retention-case"),
        ("removed", "records-retention"),
    ]
    assert not gone.exists()
    assert pfm.validate(folder / "portfolio").ok


def test_a_text_outside_a_value_map_is_an_error_of_its_row(runner: CliRunner, folder: Path) -> None:
    register = folder / "register.csv"
    register.write_text(
        register.read_text(encoding="utf-8").replace(",Idea,Green,", ",Discovery,Green,"), encoding="utf-8"
    )
    output = _import(runner, folder, "--dry-run", exit_code=1)
    assert "error: register.csv:row 3:column Stage: a value the mapping's map does not list: 'Discovery'" in output


def test_a_semicolon_csv_in_windows_encoding_is_read(runner: CliRunner, folder: Path) -> None:
    """Excel's "CSV" in a European locale: cp1252 (£ is one byte) and semicolons."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO((DATA / "register.csv").read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    (folder / "register.csv").write_bytes(buffer.getvalue().encode("cp1252"))
    _import(runner, folder)
    case = (folder / "portfolio" / "business-cases" / "core-ledger-upgrade-case.yaml").read_text(encoding="utf-8")
    assert "{year: 2027, capex: 1200000, opex: 200000}" in case


def test_a_wrong_mapping_is_a_usage_error(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("kinds:\n  Item:\n    id: {column: Project}\n    fields:\n      title: {colum: Project}\n")
    result = run(runner, "import", str(folder / "register.csv"), "--mapping", str(wrong), root=folder / "portfolio")
    assert result.exit_code == 2
    assert "not a valid mapping" in result.output
    assert json.loads((REPO / "schemas" / "import-mapping.schema.json").read_text(encoding="utf-8"))["title"]


JOINED = DATA / "joined"


def test_a_costs_file_in_long_format_is_joined_on_the_key(runner: CliRunner, tmp_path: Path) -> None:
    """Projects and their costs (a row per project, year and line) in two files; filters leave rows out of both."""
    root = tmp_path / "portfolio"
    init_portfolio(root, "Northbridge")
    files = (str(JOINED / "projects.csv"), str(JOINED / "costs.csv"))
    result = run(runner, "import", *files, "--mapping", str(JOINED / "mapping.yaml"), "-f", "json", root=root)
    assert result.exit_code == 0, result.output
    portfolio = pfm.load_portfolio(root)
    assert sorted(portfolio.items) == ["P-01", "P-03", "P-04"]  # P-02 is cancelled
    costs = {case.item: [(c.year, c.capex, c.opex) for c in case.costs] for case in portfolio.business_cases.values()}
    assert costs == {
        "P-01": [(2027, 1_500_000, 200_000), (2028, 350_000, 250_000)],  # two lines of 2027 add up
        "P-03": [(2027, 400_000, 50_000), (2028, 650_000, 120_000), (2029, 0, 130_000)],
    }  # P-04's only line is withdrawn: no cost, no business case
    findings = json.loads(result.stdout)["findings"]
    assert {"file": "costs.csv", "row": 8, "column": "Capex", "text": "n/a"}.items() <= findings[0].items()
    assert run(runner, "validate", root=root).exit_code == 0


def test_a_joined_file_not_given_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    init_portfolio(tmp_path / "portfolio", "Northbridge")
    mapping = str(JOINED / "mapping.yaml")
    result = run(runner, "import", str(JOINED / "projects.csv"), "--mapping", mapping, root=tmp_path / "portfolio")
    assert result.exit_code == 2
    assert "the mapping joins the table 'costs' from costs.csv: give that file too" in result.output


BAD_INPUT = {
    # case: (how the register is spoiled, the exit status, what the one line says)
    "empty file": (lambda p: p.write_bytes(b""), 2, "register.csv: cannot read it: No columns to parse from file"),
    "header only": (
        lambda p: p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"),
        0,
        "register.csv:row 1: no rows below the header: nothing to import",
    ),
    "missing column": (
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace("Project Manager", "PM"), encoding="utf-8"),
        2,
        "register.csv: no column 'Project Manager' (the mapping names it); did you mean 'Project'?; its columns: 'Ref', 'Project', 'PM'",
    ),
    "misspelt column": (
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace("Sponsor", "Sponsr"), encoding="utf-8"),
        2,
        "did you mean 'Sponsr'?",
    ),
    "duplicate id": (
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace("PRJ-002", "PRJ-001"), encoding="utf-8"),
        1,
        "register.csv:row 3:column Ref: the Item id 'PRJ-001' is also in register.csv:row 2: 'PRJ-001'",
    ),
    "not a directory": (lambda p: (p.unlink(), p.mkdir()), 2, "register.csv: not a file"),
    "utf-16": (
        lambda p: p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16")),
        0,
        "register.csv:row 4:column Capex 2027: not a number; the field is left out",
    ),
    "formula": (
        lambda p: p.write_text(
            p.read_text(encoding="utf-8").replace("Mobile App Refresh", '"=HYPERLINK(""http://x"",""Mobile"")"'),
            encoding="utf-8",
        ),
        0,
        "register.csv:row 3:column Project: a formula, not a value: kept as text",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_one_line_or_a_finding(runner: CliRunner, folder: Path, case: str) -> None:
    spoil, exit_code, says = BAD_INPUT[case]
    mapping = folder / "mapping.yaml"  # the register's ids from its Ref column, so that duplicates are errors
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace("{column: Project, slug: true}", "{column: Ref}"))
    spoil(folder / "register.csv")
    before = _texts(folder / "portfolio")
    result = run(runner, "import", str(folder / "register.csv"), "-m", str(mapping), root=folder / "portfolio")
    assert result.exit_code == exit_code, result.output
    assert says in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if exit_code:
        assert _texts(folder / "portfolio") == before  # nothing half-written


@pytest.mark.parametrize("encoding", ["utf-8", "nonsense"])
def test_a_wrong_encoding_is_one_line(runner: CliRunner, folder: Path, encoding: str) -> None:
    register = folder / "register.csv"
    register.write_bytes(register.read_text(encoding="utf-8").encode("cp1252"))
    result = run(runner, "import", str(register), "-m", str(MAPPING), "--encoding", encoding, root=folder / "portfolio")
    assert result.exit_code == 2
    assert result.output.startswith(f"pfm: error: {register}: cannot read it as {encoding}: ")
    assert len(result.output.strip().splitlines()) == 1


def test_a_workbook_that_is_not_one_is_one_line(runner: CliRunner, folder: Path) -> None:
    fake = folder / "register.xlsx"
    fake.write_text("Ref,Project\nPRJ-001,Ledger\n", encoding="utf-8")
    result = run(runner, "import", str(fake), "-m", str(MAPPING), root=folder / "portfolio")
    assert result.exit_code == 2
    assert result.output.startswith(f"pfm: error: {fake}: cannot read it: ")
