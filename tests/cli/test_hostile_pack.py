"""Hostile text in the board pack: what a title holds reaches the Markdown, the HTML and the charts as text only."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from typer.testing import CliRunner

from tests.helpers import SMALL_PORTFOLIO, WriteTree, run

# An escape sequence that recolours a terminal, a right-to-left override that reverses what follows, a bell
HOSTILE = r'"\e[31mRED\e[0m \u202Eevil\u202C \a"'


def test_control_characters_in_a_title_are_shown_escaped_in_every_file_of_the_pack(
    runner: CliRunner, write_tree: WriteTree, tmp_path: Path
) -> None:
    """The HTML tables, the Mermaid gantt and the SVG roadmap had the raw characters: a broken SVG (XML cannot hold
    them) and a title that reads backwards."""
    root = write_tree(
        {
            "portfolio.yaml": SMALL_PORTFOLIO,
            "items/a.yaml": "apiVersion: pfm/v1\nkind: Item\nid: a\ntype: project\nstage: delivery\nstart: 2027-Q1\n"
            f"duration: 2\nscores: {{value: 3}}\ntitle: {HOSTILE}\n",
        }
    )
    out = tmp_path / "pack"
    result = run(runner, "report", "-f", "md", "-f", "html", "-o", str(out), root=root)
    assert result.exit_code == 0, result.output
    written = [path for path in out.rglob("*") if path.is_file()]
    assert any(path.suffix == ".svg" for path in written)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert not set(text) & {"\x1b", "\u202e", "\x07"}, path.name
        if path.suffix == ".svg":
            ElementTree.fromstring(text)
    assert "\\u001b[31mRED" in (out / "board-pack.html").read_text(encoding="utf-8")


def test_the_html_keeps_the_spaces_its_templates_print_beside_user_text(runner: CliRunner, tmp_path: Path) -> None:
    """Folding white space in every printed value took the spaces off `" each"` and `"; and "`: "11 quarterseach"."""
    out = tmp_path / "pack"
    assert run(runner, "report", "-f", "html", "-o", str(out)).exit_code == 0
    html = (out / "board-pack.html").read_text(encoding="utf-8")
    assert "quarters each)" in html
    assert "; and " in html
