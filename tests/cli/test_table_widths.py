"""Every table reads at any terminal width: no id, date, figure or word of a cell is ever split across lines.

Each command's table is rendered at 60, 80 and 160 columns; every word of every cell (taken from the Markdown
form of the same tables) must appear whole in the terminal output, and no line may be wider than the terminal.
Only a word of prose wider than the room left beside the item ids may fold: at 60 columns, an id of 25 characters
inside a sentence, beside a column of ids 31 wide.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from tests.helpers import EXAMPLE, run

COMMANDS = [
    ["score"],
    ["score", "-m", "wsjf"],
    ["score", "--explain", "crm-salesforce"],
    ["rank", "--sensitivity", "50", "--top", "5"],
    ["weights"],
    ["finance"],
    ["roadmap"],
    ["select"],
    ["select", "--budget-scale", "0.8"],
    ["frontier", "--points", "5"],
    ["scenario", "list"],
    ["scenario", "compare"],
    ["deps", "order"],
    ["deps", "path"],
    ["deps", "impact", "core-ledger-phase1"],
    ["evm"],
    ["status"],
    ["spend"],
    ["benefits"],
]
WIDTHS = (60, 80, 160)
LONGEST_ID = max(len(path.stem) for path in (EXAMPLE / "items").glob("*.yaml"))
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>|~])")


def _words(markdown: str) -> set[str]:
    """Every word of every header and cell of the Markdown tables, as the terminal shows it."""
    words: set[str] = set()
    for block in markdown.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("| ")]
        for row in rows:  # the header (shown whole, or abbreviated with a legend) and the body
            text = _ESCAPED.sub(r"\1", row.replace("&#64;", "@").replace("&amp;", "&"))
            words.update(text.replace(" | ", "  ").strip("| ").split())
    return words


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_cell_is_split_at_any_width(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    markdown = run(runner, *command, "-f", "markdown")
    assert markdown.exit_code in (0, 1), markdown.output
    words = _words(markdown.stdout)
    assert words, "the command printed no table"
    ids = {path.stem for path in (EXAMPLE / "items").glob("*.yaml")}
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        table = run(runner, *command).stdout
        assert max(map(len, table.splitlines())) <= width
        room = width - 1 - (LONGEST_ID + 3) - 3
        split = sorted(word for word in words if word not in table and (len(word) <= room or word in ids))
        assert split == [], f"at {width} columns"


def test_piped_output_is_as_wide_as_the_table_needs(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a terminal or $COLUMNS, nothing folds: one line per row, whole titles, full headers."""
    monkeypatch.delenv("COLUMNS")
    lines = run(runner, "score").stdout.splitlines()
    row = next(line for line in lines if line.startswith("│ app-fraud-reimbursement "))
    assert "APP fraud reimbursement and Confirmation of Payee uplift" in row
    assert any("strategic-alignment" in line for line in lines[:4])  # no abbreviated headers
    assert len(lines) == 36 + 5  # title, three lines of header, the rows, the bottom rule


def test_long_headers_over_figures_are_abbreviated_with_a_legend(runner: CliRunner) -> None:
    lines = run(runner, "score").stdout.splitlines()  # 120 columns: the criteria do not fit by name
    header = next(line for line in lines if line.startswith("┃ id"))
    assert "┃    SA ┃" in header
    assert "SA = strategic-alignment" in "\n".join(lines[-3:])
