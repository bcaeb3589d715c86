"""What many tests share: the example's paths, small portfolios written as text or built in code, and pfm run
through its command line. Test modules import from here, never from each other."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from pfm.cli import app
from pfm.model import Portfolio, Source

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example-portfolio"

PORTFOLIO = """\
apiVersion: pfm/v1
kind: Portfolio
id: test
name: Test portfolio
currency: GBP
periods: {first: 2027-Q1, last: 2028-Q4}
scoring:
  criteria:
    - {id: value, name: Value, scale: {min: 1, max: 5}, weight: 2}
    - {id: risk, name: Risk, scale: {min: 1, max: 5}, direction: lower, weight: 1}
stages:
  - {id: idea, state: proposed}
  - {id: approved, state: approved, requires: [owner, business_case]}
"""

WriteTree = Callable[[dict[str, str]], Path]


def item(ident: str, extra: str = "") -> str:
    """A valid item document, with extra YAML lines appended."""
    body = f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: {ident}\ntype: project\nstage: idea\nscores: {{value: 3, risk: 2}}\n"
    return body + textwrap.dedent(extra)


def bare_portfolio(**fields: object) -> Portfolio:
    """A Portfolio built in code for tests of the analyses; `fields` override the defaults."""
    defaults: dict[str, object] = {
        "root": Path(),
        "id": "test",
        "name": "Test",
        "currency": "GBP",
        "first_period": "2027-Q1",
        "last_period": "2029-Q4",
        "source": Source("portfolio.yaml"),
    }
    return Portfolio(**{**defaults, **fields})  # type: ignore[arg-type]


def run(runner: CliRunner, *args: str, root: Path = EXAMPLE) -> Result:
    """`pfm -p ROOT ARGS...` through the runner (which the CLI tests' fixture sets up: no colour, 120 columns)."""
    return runner.invoke(app, ["-p", str(root), *args])


def cli_json(runner: CliRunner, *args: str, root: Path = EXAMPLE, exit_code: int = 0) -> Any:
    """What `pfm -p ROOT ARGS... -f json` prints, parsed; the command must end with `exit_code`."""
    result = run(runner, *args, "-f", "json", root=root)
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)
