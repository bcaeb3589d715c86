"""`pfm report --template NAME` with a portfolio template that hangs, recurses, grows without end or is
simply wrong: each is a one-line error naming the template's file and line (exit 2), and nothing is written."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from pfm.reporting import templating
from pfm.reporting.templating import Limits
from tests.helpers import TINY, WriteTree

LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.fixture
def impatient(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-second deadline and 300 MB of memory, so that a test needs not wait a minute."""
    monkeypatch.setattr(templating, "LIMITS", Limits(seconds=1, memory=300 * 2**20))


def _report(runner: CliRunner, write_tree: WriteTree, template: str) -> tuple[str, Path]:
    """The error `pfm report --template mine` gives with `template` as templates/mine.md.j2, after checking
    it is one line with exit code 2 and the output folder stays empty."""
    root = write_tree({**TINY, "templates/mine.md.j2": template})
    out = root / "out"
    result = runner.invoke(app, ["-p", str(root), "report", "--template", "mine", "-f", "md", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("pfm: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert not out.exists() or not any(out.iterdir())
    return result.stderr, root / "templates" / "mine.md.j2"


@pytest.mark.usefixtures("impatient")
def test_nested_loops_that_would_run_for_ever_stop_at_the_deadline(runner: CliRunner, write_tree: WriteTree) -> None:
    started = time.monotonic()
    error, path = _report(runner, write_tree, f"# {{{{ portfolio.name }}}}\n{LOOPS}\n")
    assert f"{path}:2: rendering took longer than 1 s" in error
    assert time.monotonic() - started < 10


def test_a_recursive_macro_is_an_error_not_an_internal_one(runner: CliRunner, write_tree: WriteTree) -> None:
    error, path = _report(runner, write_tree, "{% macro m() %}\n{{ m() }}\n{% endmacro %}\n{{ m() }}\n")
    assert f"{path}:2: macros, includes or blocks nested too deeply" in error


def test_an_operator_cannot_build_a_huge_string(runner: CliRunner, write_tree: WriteTree) -> None:
    # 100 million is past the limit yet harmless should the limit ever fail; 'x' * 20000000000 is refused alike.
    error, path = _report(runner, write_tree, "\n{% set s = 'x' * 100000000 %}\n")
    assert f"{path}:2: 'x' * 100000000 would make 100,000,000 items" in error
    error, path = _report(runner, write_tree, "{{ 'x' * 2e10 }}")
    assert f"{path}:1: TypeError: can't multiply sequence by non-int of type 'float'" in error


def test_output_stops_at_its_size_limit(runner: CliRunner, write_tree: WriteTree) -> None:
    error, path = _report(runner, write_tree, "\n\n{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}\n")
    assert f"{path}:3: the output passes {templating.LIMITS.characters:,} characters" in error


@pytest.mark.usefixtures("impatient")
@pytest.mark.skipif(not Path("/proc/self/statm").is_file(), reason="the memory limit needs Linux's /proc")
def test_a_filter_cannot_take_all_the_memory(runner: CliRunner, write_tree: WriteTree) -> None:
    error, path = _report(runner, write_tree, "\n{{ 'x' | center(1000000000) }}\n")
    assert f"{path}:2: rendering needs more memory than the 300 MB allowed" in error


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("ok\n{% for x in %}\n", ":2: Expected an expression"),
        ("ok\n\n{{ pack.no_such_thing }}\n", ":3: 'pfm.reporting.pack.Pack object' has no attribute 'no_such_thing'"),
        ("{% set n = 0 %}\n{{ pack.summary.items / n }}\n", ":2: ZeroDivisionError: division by zero"),
        ("\n{{ portfolio.name | number }}\n", ":2: TypeError: must be real number, not str"),
        ("\n{{ portfolio.items | dictsort | first | xmlattr }}\n", ":2: AttributeError: 'tuple' object"),
    ],
)
def test_a_broken_template_is_a_one_line_error_with_its_place(
    runner: CliRunner, write_tree: WriteTree, template: str, expected: str
) -> None:
    error, path = _report(runner, write_tree, template)
    assert f"{path}{expected}" in error
