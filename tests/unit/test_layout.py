"""The package reads as its pipeline: each stage imports only the stages before it, and no import goes round in a circle.

Every import counts, at the top of a module or inside a function, and those made only for type checking.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

from tests.helpers import REPO

PACKAGE = REPO / "pfm"
# In the order data flows; a module directly under pfm/ (model, periods, errors, findings, ...) is shared by all.
STAGES = ("methods", "io", "validation", "analysis", "selection", "review", "reporting", "cli")
ENTRY_POINTS = {"pfm", "pfm.__main__"}  # the public API and `python -m pfm` reach into every stage by design


def _module_name(path: Path) -> str:
    parts = path.with_suffix("").relative_to(REPO).parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each pfm module and the pfm modules it imports."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pfm":
                for alias in node.names:  # `from pfm.reporting import charts` imports the module charts
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "pfm")
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def _stage(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else -1


def test_the_package_is_laid_out_by_stage() -> None:
    top = {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").is_file()}
    assert top == set(STAGES)
    for stage in STAGES:
        assert ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))), stage


def test_no_module_imports_a_later_stage() -> None:
    backwards = sorted(
        f"{module} imports {target}"
        for module, targets in _imports().items()
        if module not in ENTRY_POINTS
        for target in targets
        if _stage(target) > _stage(module)
    )
    assert backwards == []


def test_no_import_goes_round_in_a_circle() -> None:
    graph = nx.DiGraph([(module, target) for module, targets in _imports().items() for target in targets])
    circles = [sorted(group) for group in nx.strongly_connected_components(graph) if len(group) > 1]
    assert circles == []


def test_the_checks_see_the_imports() -> None:
    """The scan finds what is there: the CLI reaches the library, and reporting reads the analyses."""
    graph = _imports()
    assert "pfm.validation.load" in graph["pfm.cli.common"]
    assert any(_stage(target) == STAGES.index("analysis") for target in graph["pfm.reporting.pack"])


def _top_level_imports(path: Path) -> set[str]:
    """The packages a module imports, pfm's and others."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_only_the_cli_imports_typer_or_rich() -> None:
    modules = [path for path in PACKAGE.rglob("*.py") if "cli" not in path.relative_to(PACKAGE).parts]
    offenders = sorted(
        f"{_module_name(path)} imports {name}"
        for path in modules
        for name in _top_level_imports(path) & {"typer", "rich", "click"}
    )
    assert offenders == []
    assert len(modules) > 60  # the scan sees the library


def test_every_library_module_loads_without_typer_or_rich() -> None:
    """Importing every module outside the CLI, in a fresh interpreter, loads neither (nor anything that does)."""
    library = [path for path in PACKAGE.rglob("*.py") if "cli" not in path.relative_to(PACKAGE).parts]
    names = sorted(name for name in map(_module_name, library) if name != "pfm.__main__")  # that one runs the CLI
    probe = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'click'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


MODULE_LINES = 400
CLI_LINES_PER_COMMAND = 75  # 1,784 lines for 24 commands when the rule was set (2,824 for 23 before)


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_400_lines() -> None:
    long = {str(path.relative_to(REPO)): _lines(path) for path in PACKAGE.rglob("*.py") if _lines(path) > MODULE_LINES}
    assert long == {}


def _commands() -> int:
    import click
    import typer

    from pfm.cli.app import app

    def leaves(command: click.Command) -> int:
        if isinstance(command, click.Group):
            return sum(leaves(sub) for sub in command.commands.values())
        return 1

    return leaves(typer.main.get_command(app))


def test_the_cli_stays_thin() -> None:
    """The command line parses options, calls the library and picks a renderer: the work is in the library, so a
    command costs the CLI its options, help and a few calls, on average under 75 lines."""
    total = sum(_lines(path) for path in (PACKAGE / "cli").rglob("*.py"))
    commands = _commands()
    assert commands >= 24
    assert total < CLI_LINES_PER_COMMAND * commands, f"{total} lines for {commands} commands"


def test_no_two_classes_share_a_name() -> None:
    """A name says which thing it is: two classes called Problem (a finding's, a selection's) read as one."""
    names: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                names.setdefault(node.name, []).append(_module_name(path))
    assert {name: where for name, where in names.items() if len(where) > 1} == {}
