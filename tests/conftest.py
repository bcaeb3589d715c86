"""Shared fixtures: portfolios written into temporary folders, and a CLI runner with fixed settings."""

from __future__ import annotations

import signal
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from pfm.model import Portfolio, Source

# A shell starts background jobs with Ctrl-C ignored, and an ignored signal stays ignored in every
# process started from them: the tests of what Ctrl-C does would then see nothing happen. Python's own
# handler here makes the suite behave the same in the foreground and in the background, in this process
# and, since exec resets a handled signal to its default, in every pfm it starts.
signal.signal(signal.SIGINT, signal.default_int_handler)

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


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write {relative path: text} under a fresh folder; text is dedented. Returns the folder."""

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path

    return write


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
