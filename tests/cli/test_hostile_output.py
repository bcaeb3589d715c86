"""Output that stays what it claims to be whatever the user's text holds: well-formed XML and JSON, GitHub
annotations that cannot be split or forged, Markdown that stays a table, a terminal that receives no control
sequence, and tables that never hide figures without saying so."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE

# A terminal escape (red, then clear screen by the 8-bit CSI), a bell, rich markup, a right-to-left override,
# a pipe and HTML for Markdown, a would-be GitHub command, and a word longer than any terminal.
HOSTILE = "\x1b[31mred\x07 [bold]x[/bold] \x9b2J \u202eevil |pipe| <b> %0A::warning::forged " + "W" * 100
# Characters that must never reach a reader raw (a newline ends a line, so only the text output may hold one).
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The example portfolio with HOSTILE as an unknown key (a finding quotes it) and as an item's title."""
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    path = root / "items" / "aml-transaction-monitoring.yaml"
    text = path.read_text(encoding="utf-8")
    quoted = json.dumps(HOSTILE)  # a JSON string is a YAML double-quoted scalar
    text = text.replace("title: AML transaction monitoring replacement", f"title: {quoted}")
    path.write_text(text.replace("type: project\n", f"type: project\n{quoted}: 1\n", 1), encoding="utf-8")
    return root


def _validate(runner: CliRunner, root: Path, fmt: str) -> str:
    result = runner.invoke(app, ["-p", str(root), "validate", "-f", fmt])
    assert result.exit_code == 1, result.output
    return result.stdout


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    for child in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
        yield from _strings(child)


def _assert_safe(text: str) -> None:
    assert not RAW.findall(text)


def test_text_findings_show_control_characters_escaped(runner: CliRunner, hostile: Path) -> None:
    out = _validate(runner, hostile, "text")
    _assert_safe(out)
    [line] = [line for line in out.splitlines() if "schema.additional-properties" in line]
    assert "unknown key '\\u001b[31mred\\u0007 [bold]x[/bold] \\u009b2J \\u202eevil" in line


def test_junit_is_well_formed_xml(runner: CliRunner, hostile: Path) -> None:
    out = _validate(runner, hostile, "junit")
    _assert_safe(out)
    root = ElementTree.fromstring(out.encode())
    [failure] = [f for f in root.iter("failure") if f.get("type") == "schema.additional-properties"]
    assert "\\u001b[31mred\\u0007" in (failure.get("message") or "")
    assert "\\u202eevil" in (failure.text or "")


def test_github_annotations_cannot_be_split_or_forged(runner: CliRunner, hostile: Path) -> None:
    out = _validate(runner, hostile, "github")
    _assert_safe(out)
    commands = _github_commands(out)
    assert [line.split(" ", 1)[0] for line in commands] == ["::error"]  # the user's "::warning::" forged nothing
    assert "%250A::warning:" in commands[0]  # % escaped, so GitHub shows the text, not a new line


def _github_commands(log: str) -> list[str]:
    """The workflow commands GitHub would run in `log`: none between ::stop-commands::T and ::T::."""
    commands, paused = [], None
    for line in log.splitlines():
        if paused is not None:
            paused = None if line == f"::{paused}::" else paused
        elif line.startswith("::stop-commands::"):
            paused = line.removeprefix("::stop-commands::")
        elif line.startswith("::"):
            commands.append(line)
    assert paused is None, "the log leaves commands paused"
    return commands


def test_a_file_named_like_a_workflow_command_runs_none(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    # A document at the root with an unknown key: the plain log line starts with the file's name.
    (root / "::warning::forged.yaml").write_text(
        (EXAMPLE / "teams" / "data-analytics.yaml").read_text(encoding="utf-8").replace("id: data-analytics", "id: x")
        + "stray: 1\n",
        encoding="utf-8",
    )
    out = _validate(runner, root, "github")
    assert any(line.startswith("::warning::forged.yaml:") for line in out.splitlines())  # the raw log line is there
    commands = _github_commands(out)
    assert commands and all(line.startswith(("::error file=", "::warning file=")) for line in commands), commands
    assert [line for line in commands if "forged" in line] == [
        line for line in commands if "file=%3A%3Awarning%3A%3Aforged.yaml," in line
    ]


def test_markdown_summary_stays_one_table_row(runner: CliRunner, hostile: Path) -> None:
    out = _validate(runner, hostile, "markdown")
    _assert_safe(out)
    [row] = [line for line in out.splitlines() if "schema.additional-properties" in line]
    assert re.sub(r"\\.", "", row).count("|") == 5  # the user's pipe is escaped, so still four cells
    assert "\\\\u001b\\[31m" in row  # shown as written: a backslash, then the escape's name


@pytest.mark.parametrize("fmt", ["json", "sarif", "codequality"])
def test_json_formats_keep_the_text_exact_but_escaped(runner: CliRunner, hostile: Path, fmt: str) -> None:
    out = _validate(runner, hostile, fmt)
    _assert_safe(out)  # C1 controls and bidi overrides are written as \\u escapes: the same JSON data
    assert any(text.startswith(f"unknown key '{HOSTILE[:40]}") for text in _strings(json.loads(out)))


@pytest.mark.parametrize(("command", "fmt"), [("rank", "table"), ("select", "table"), ("rank", "markdown")])
def test_tables_show_user_text_escaped_and_whole(
    runner: CliRunner, hostile: Path, monkeypatch: pytest.MonkeyPatch, command: str, fmt: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    path = hostile / "items" / "aml-transaction-monitoring.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"{json.dumps(HOSTILE)}: 1\n", ""), encoding="utf-8")
    result = runner.invoke(app, ["-p", str(hostile), command, "-f", fmt])
    assert result.exit_code == 0, result.output
    _assert_safe(result.stdout)
    assert "[bold]x[/bold]" in result.stdout.replace("\\", "")  # markup shown, not applied
    assert "".join(re.findall("W{5,}", result.stdout)) == "W" * 100  # the long word folded, not cut


def test_errors_on_stderr_are_escaped(runner: CliRunner, hostile: Path) -> None:
    result = runner.invoke(app, ["-p", str(hostile), "rank"])  # the error quotes the first finding
    assert result.exit_code == 1
    _assert_safe(result.stderr)
    assert "\\u001b[31mred\\u0007 [bold]x[/bold] \\u009b2J \\u202eevil" in result.stderr


def test_messages_on_stderr_are_not_read_as_markup(runner: CliRunner, hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "[bold]report[/bold]\u202e.json"
    result = runner.invoke(app, ["-p", str(hostile), "validate", "-f", f"json={target}"])
    assert result.exit_code == 1
    _assert_safe(result.stderr)
    assert f"wrote {tmp_path}/[bold]report[/bold]\\u202e.json" in result.stderr


def _long_horizon(tmp_path: Path) -> Path:
    """The example portfolio planned over twenty quarters."""
    root = tmp_path / "long"
    shutil.copytree(EXAMPLE, root)
    path = root / "portfolio.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("last: 2029-Q4", "last: 2031-Q4"), encoding="utf-8")
    return root


@pytest.mark.parametrize("width", ["80", "60"])
def test_capacity_over_a_long_horizon_shows_every_figure(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    root = _long_horizon(tmp_path)
    data = json.loads(runner.invoke(app, ["-p", str(root), "capacity", "-f", "json"]).stdout)
    assert len(data["periods"]) == 20
    monkeypatch.setenv("COLUMNS", width)
    result = runner.invoke(app, ["-p", str(root), "capacity"])
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert max(map(len, result.stdout.splitlines())) <= int(width)
    for team in data["teams"]:
        lines = [line.split() for line in result.stdout.splitlines()]
        shown = [figure for words in lines if words[:1] == [team["id"]] for figure in words[1:]]
        expected = [f"{c['utilisation']:.0%}".rstrip("%") for c in team["periods"] if c["utilisation"] is not None]
        assert shown == expected
    assert "split" in result.stderr and "-f csv" in result.stderr


_NUMBER = re.compile(r"-?[0-9][0-9,.]*%?")


@pytest.mark.parametrize(
    "command",
    [
        ["rank"],
        ["select"],
        ["finance"],
        ["score"],
        ["frontier"],
        ["scenario", "compare", "budget-cut-15", "regulatory-first"],
    ],
)
def test_wide_tables_at_80_columns_show_every_figure_whole(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    markdown = runner.invoke(app, ["-p", str(EXAMPLE), *command, "-f", "markdown"]).stdout
    figures = {cell.strip() for line in markdown.splitlines() for cell in line.split("|")[1:-1]}
    figures = {cell for cell in figures if _NUMBER.fullmatch(cell)}
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["-p", str(EXAMPLE), *command])
    assert result.exit_code in (0, 1)
    assert "…" not in result.stdout
    shown = set(re.findall(r"(?<![\w,.])-?[0-9][0-9,.]*%?", result.stdout))
    assert figures <= shown
