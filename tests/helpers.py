"""What many tests share: the example's paths, small portfolios written as text or built in code, and pfm run
through its command line. Test modules import from here, never from each other."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from click.testing import Result
from typer.testing import CliRunner

from pfm.cli import app
from pfm.io.loading import parse_documents
from pfm.model import Budget, Portfolio, Source
from pfm.review.comparison import Side, read_side
from pfm.validation.building import build_portfolio

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


# Portfolios built in code, with teams, stages of every state and budgets


HEADER = """\
apiVersion: pfm/v1
kind: Portfolio
id: test
name: Test portfolio
currency: GBP
periods: {{first: {first}, last: {last}}}
scoring:
  criteria:
    - {{id: value, name: Value, scale: {{min: 1, max: 5}}, weight: 1}}
stages:
  - {{id: idea, state: proposed}}
  - {{id: approved, state: approved}}
  - {{id: delivery, state: active}}
  - {{id: done, state: closed}}
  - {{id: stopped, state: cancelled}}
"""


def portfolio_of(*documents: str, first: str = "2027-Q1", last: str = "2027-Q4", scoring: bool = True) -> Portfolio:
    """A portfolio built from YAML texts (a header with every kind of stage is added)."""
    header = HEADER.format(first=first, last=last)
    if not scoring:
        header = header[: header.index("scoring:")] + header[header.index("stages:") :]
    texts = (header, *documents)
    parsed = [d for n, text in enumerate(texts) for d in parse_documents(text, f"doc{n}.yaml").documents]
    return build_portfolio(Path(), parsed)


def team(ident: str, capacity: str) -> str:
    return f"apiVersion: pfm/v1\nkind: Team\nid: {ident}\ntitle: {ident}\ncapacity: {capacity}\n"


def planned_item(ident: str, stage: str = "approved", **fields: str) -> str:
    lines = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: {ident}\ntype: project\nstage: {stage}\n{lines}"


def costed(ident: str, stage: str = "idea", costs: str = "", **fields: str) -> tuple[str, ...]:
    """An item and, when `costs` is given (YAML flow list), its business case."""
    documents = [planned_item(ident, stage=stage, **fields)]
    if costs:
        documents.append(f"apiVersion: pfm/v1\nkind: BusinessCase\nid: {ident}-case\nitem: {ident}\ncosts: {costs}\n")
    return tuple(documents)


def with_budget(budget: str, *documents: str) -> Portfolio:
    """A portfolio with a budget (YAML flow mapping, year -> figures) and the documents given."""
    figures = yaml.safe_load(budget)
    return replace(portfolio_of(*documents), budget={int(year): Budget(**f) for year, f in figures.items()})


def knapsack(values: list[float], weights: list[float], capacity: float) -> tuple[Portfolio, dict[str, float]]:
    documents = [d for n, w in enumerate(weights) for d in costed(f"i{n:02d}", costs=f"[{{year: 2027, capex: {w}}}]")]
    portfolio = with_budget(f"{{2027: {{capex: {capacity}}}}}", *documents)
    return portfolio, {f"i{n:02d}": v for n, v in enumerate(values)}


# Two sides of a change: a small scored portfolio and an edited copy of it


def scored(ident: str, value: int, risk: int, extra: str = "") -> str:
    """An item whose weighted score under PORTFOLIO is 100 x (2/3 (value - 1)/4 + 1/3 (5 - risk)/4)."""
    return item(ident, extra).replace("{value: 3, risk: 2}", f"{{value: {value}, risk: {risk}}}")


CASE_A = """\
apiVersion: pfm/v1
kind: BusinessCase
id: a-case
item: a
costs:
  - {year: 2027, capex: 100000, opex: 20000}
  - {year: 2028, capex: 50000}
benefits:
  - {year: 2028, amount: 200000}
"""


CASE_E = """\
apiVersion: pfm/v1
kind: BusinessCase
id: e-case
item: e
costs:
  - {year: 2028, capex: 30000}
benefits:
  - {year: 2029, amount: 10000}
"""


# Scores: a 100, b 75, c 58.33, d 33.33.
BASE = {
    "portfolio.yaml": PORTFOLIO,
    "items/a.yaml": scored("a", 5, 1),
    "items/b.yaml": scored("b", 4, 2),
    "items/c.yaml": scored("c", 3, 2),
    "items/d.yaml": scored("d", 2, 3),
    "business-cases/a-case.yaml": CASE_A,
}


def sides(write_tree: WriteTree, edits: Mapping[str, str | None], base: Mapping[str, str] = BASE) -> tuple[Side, Side]:
    """`base` as "main", and a copy with `edits` (path -> text, None to delete) as "working tree"."""
    root = write_tree({f"old/{name}": text for name, text in base.items()})
    shutil.copytree(root / "old", root / "new")
    for name, text in edits.items():
        path = root / "new" / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return read_side(root / "old", "main"), read_side(root / "new", "working tree")


# Real git repositories in temporary folders


# Builds the repositories the same way whatever the developer's own git configuration says.
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, cwd=cwd, env=GIT_ENV, check=True, capture_output=True, text=True).stdout


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def commit(top: Path, message: str, files: dict[str, str]) -> str:
    write(top, files)
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", message)
    return git(top, "rev-parse", "HEAD").strip()


def checkout_state(top: Path) -> tuple[str, ...]:
    """What the user sees: HEAD, branch, index and work tree (status), and the index file itself."""
    status = git(top, "status", "--porcelain", "--untracked-files=all")
    index = (top / ".git" / "index").read_bytes().hex()
    return git(top, "rev-parse", "HEAD"), git(top, "symbolic-ref", "HEAD"), status, index, str(contents(top))


BUDGETED = PORTFOLIO + "budget:\n  2027: {capex: 200000}\n"


SUBJECTS = (
    "Start the portfolio",
    "Add e with its business case",
    "Raise c's value",
    "a and b depend on each other",
    "Break d's scores",
)


def case(item: str, capex: int, benefit: int) -> str:
    """A business case: capex in 2027, a benefit in 2028."""
    return (
        f"apiVersion: pfm/v1\nkind: BusinessCase\nid: {item}-case\nitem: {item}\n"
        f"costs:\n  - {{year: 2027, capex: {capex}}}\nbenefits:\n  - {{year: 2028, amount: {benefit}}}\n"
    )


def build_history(top: Path) -> list[str]:
    """Five commits (see SUBJECTS); their shas, oldest first.

    Weighted scores: a 100, b 75, c 58.33 (91.67 once raised), d 33.33, e 100. With 200,000 of
    capex in 2027 the best selection is a, b and d (d costs nothing), then a, d and e.
    """
    git(top, "init", "-q", "-b", "main")
    start = {
        "portfolio.yaml": BUDGETED,
        "items/a.yaml": scored("a", 5, 1),
        "items/b.yaml": scored("b", 4, 2),
        "items/c.yaml": scored("c", 3, 2),
        "items/d.yaml": scored("d", 2, 3),
        "business-cases/a-case.yaml": case("a", 100_000, 150_000),
        "business-cases/b-case.yaml": case("b", 80_000, 100_000),
        "business-cases/c-case.yaml": case("c", 60_000, 90_000),
    }
    changes = [
        start,
        {"items/e.yaml": scored("e", 5, 1), "business-cases/e-case.yaml": case("e", 90_000, 120_000)},
        {"items/c.yaml": scored("c", 5, 2)},
        {
            "items/a.yaml": scored("a", 5, 1, "depends_on: [b]\n"),
            "items/b.yaml": scored("b", 4, 2, "depends_on: [a]\n"),
        },
        {
            "items/a.yaml": scored("a", 5, 1),
            "items/b.yaml": scored("b", 4, 2),
            "items/d.yaml": scored("d", 2, 3).replace("value: 2", "value: high"),
        },
    ]
    return [commit(top, subject, files) for subject, files in zip(SUBJECTS, changes, strict=True)]


def capex_2027(top: Path, sha: str) -> float:
    """The 2027 capex of every business case at `sha`, read straight from git."""
    names = git(top, "ls-tree", "--name-only", f"{sha}:business-cases").split()
    cases = [yaml.safe_load(git(top, "show", f"{sha}:business-cases/{name}")) for name in names]
    return sum(line.get("capex", 0) for case in cases for line in case["costs"] if line["year"] == 2027)


# A tiny portfolio with hostile text, for the board pack


HOSTILE = "<script>alert(1)</script> | **bold** {{ 7*7 }} {% if x %} ``` end"


LONG = "Supercalifragilistic" * 8


TINY = {
    "portfolio.yaml": """\
        apiVersion: pfm/v1
        kind: Portfolio
        id: tiny
        name: Tiny portfolio
        currency: GBP
        periods: {first: 2027-Q1, last: 2028-Q4}
        finance: {discount_rate: 0.08, base_year: 2027}
        budget:
          2027: {capex: 1000000, opex: 500000}
        scoring:
          criteria:
            - {id: value, name: Value, scale: {min: 1, max: 5}, weight: 2}
            - {id: risk, name: Risk, scale: {min: 1, max: 5}, direction: lower, weight: 1}
        stages:
          - {id: idea, name: Idea, state: proposed}
        """,
    "items/a.yaml": f"""\
        apiVersion: pfm/v1
        kind: Item
        id: a
        title: "{HOSTILE}"
        description: "{LONG}"
        type: project
        stage: idea
        status: red
        start: 2027-Q1
        duration: 2
        scores: {{value: 5, risk: 2}}
        demand: {{team-x: 2}}
        """,
    "items/b.yaml": f"""\
        apiVersion: pfm/v1
        kind: Item
        id: b
        title: "{LONG}"
        type: project
        stage: idea
        start: 2027-Q3
        duration: 2
        scores: {{value: 3, risk: 1}}
        depends_on: [a]
        """,
    "business-cases/a.yaml": """\
        apiVersion: pfm/v1
        kind: BusinessCase
        id: a-case
        item: a
        costs: [{year: 2027, capex: 600000}]
        benefits: [{year: 2028, amount: 900000}]
        """,
    "business-cases/b.yaml": """\
        apiVersion: pfm/v1
        kind: BusinessCase
        id: b-case
        item: b
        costs: [{year: 2027, capex: 300000, opex: 100000}]
        benefits: [{year: 2028, amount: 500000}]
        """,
    "teams/team-x.yaml": """\
        apiVersion: pfm/v1
        kind: Team
        id: team-x
        title: Team X
        capacity: 3
        """,
    "risks/r.yaml": f"""\
        apiVersion: pfm/v1
        kind: Risk
        id: r
        title: "{HOSTILE}"
        probability: 4
        impact: 5
        items: [a]
        mitigation: "</style><img src=x onerror=alert(1)>"
        """,
    "decisions/d.yaml": f"""\
        apiVersion: pfm/v1
        kind: Decision
        id: d
        title: "{HOSTILE}"
        date: '2026-11-01'
        forum: Board
        outcome: pending
        decision: "[click](javascript:alert(1)) @everyone"
        """,
}


def example_history(top: Path) -> Path:
    """A repository at `top` with the example portfolio in `p/` over three commits: as it is, with a risk's
    probability raised from 3 to 5 (risk exposure up by 6), then with an item file broken. The portfolio folder."""
    git(top, "init", "-q", "-b", "main")
    shutil.copytree(EXAMPLE, top / "p")
    commit(top, "Start", {})
    risk = (top / "p/risks/mobile-cutover-disruption.yaml").read_text(encoding="utf-8")
    commit(
        top,
        "Raise a risk",
        {"p/risks/mobile-cutover-disruption.yaml": risk.replace("probability: 3", "probability: 5")},
    )
    commit(top, "Break an item", {"p/items/broken.yaml": "kind: Item\nid: [\n"})
    return top / "p"


KNAPSACKS = Path(__file__).parents[1] / "benchmarks" / "knapsack.py"


@cache
def knapsacks() -> ModuleType:
    """benchmarks/knapsack.py as a module: OR-Library's mknap problems (`read_orlib`) and their portfolios."""
    spec = importlib.util.spec_from_file_location("knapsack", KNAPSACKS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["knapsack"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def write_knapsack_portfolio(instance: Any, root: Path) -> dict[str, float]:
    """A knapsack of benchmarks/knapsack.py as portfolio files under `root`, its value per item returned apart (for
    `select_portfolio`): the first half of its rows budget years, the rest teams' capacity in 2027-Q1."""
    years = len(instance.capacities) // 2
    teams = range(years, len(instance.capacities))
    budget = "".join(f"  {2027 + j}: {{capex: {instance.capacities[j]:g}}}\n" for j in range(years))
    (root / "portfolio.yaml").write_text(
        "apiVersion: pfm/v1\nkind: Portfolio\nid: orlib\nname: OR-Library instance\ncurrency: GBP\n"
        "periods: {first: 2027-Q1, last: 2027-Q4}\n"
        "stages: [{id: proposed, state: proposed}]\n"
        f"budget:\n{budget}",
        encoding="utf-8",
    )
    for j in teams:
        (root / f"t{j}.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: Team\nid: t{j}\ntitle: Team {j}\n"
            f"capacity: {{2027-Q1: {instance.capacities[j]:g}}}\n",
            encoding="utf-8",
        )
    values = {}
    for i, profit in enumerate(instance.values):
        ident = f"p{i:02d}"
        demand = ", ".join(f"t{j}: {{2027-Q1: {instance.weights[j][i]:g}}}" for j in teams)
        (root / f"{ident}.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: Project {i}\ntype: project\n"
            f"stage: proposed\ndemand: {{{demand}}}\n",
            encoding="utf-8",
        )
        costs = ", ".join(f"{{year: {2027 + j}, capex: {instance.weights[j][i]:g}}}" for j in range(years))
        (root / f"{ident}-case.yaml").write_text(
            f"apiVersion: pfm/v1\nkind: BusinessCase\nid: {ident}-case\nitem: {ident}\ncosts: [{costs}]\n",
            encoding="utf-8",
        )
        values[ident] = profit
    return values


# portfolio.yaml of a small portfolio: one budget year, one criterion, a proposed and an active stage
SMALL_PORTFOLIO = """\
apiVersion: pfm/v1
kind: Portfolio
id: p
name: P
currency: GBP
periods: {first: 2027-Q1, last: 2028-Q4}
budget:
  2027: {capex: 1000, opex: 500}
scoring:
  criteria:
    - {id: value, name: Value, scale: {min: 1, max: 5}, weight: 1}
stages:
  - {id: idea, state: proposed}
  - {id: delivery, state: active}
"""
