"""Help and usage errors read as plain text."""

from __future__ import annotations

from typer.testing import CliRunner

from pfm.cli import app


def test_option_defaults_are_shown_without_markup_escapes(runner: CliRunner) -> None:
    result = runner.invoke(app, ["select", "--help"])
    assert result.exit_code == 0
    assert "[default: weighted]" in result.stdout
    assert "\\[" not in result.stdout


def test_a_mistyped_command_gets_one_suggestion(runner: CliRunner) -> None:
    for args, wanted in ((["selec"], "select"), (["deps", "chek"], "check")):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert result.stderr.count("Did you mean") == 1
        assert f"Did you mean '{wanted}'?" in result.stderr
