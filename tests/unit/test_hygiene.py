"""House rules that keep pfm fast to start and layered: checked by running the tools."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO

HEAVY = ("pandas", "networkx", "jinja2", "scipy", "matplotlib", "weasyprint", "jsonschema", "ruamel")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_the_cli_starts_without_heavy_libraries() -> None:
    probe = f"import sys, pfm.cli; print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    result = run("-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_core_never_imports_typer_or_rich() -> None:
    probe = "import sys, pfm, pfm.validation.validator, pfm.io.scaffold; print(any(m.split('.')[0] in ('typer', 'rich') for m in sys.modules))"
    assert run("-c", probe).stdout.strip() == "False"


def test_ruff_finds_nothing() -> None:
    result = run("-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = run("-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pinned_versions_satisfy_the_declared_ranges() -> None:
    """constraints.txt pins every declared dependency to a version its range in pyproject.toml allows."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["test"]]
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    unpinned = [str(r) for r in declared if canonicalize_name(r.name) not in pins]
    outside = [
        f"{r} (pinned {pins[canonicalize_name(r.name)]})"
        for r in declared
        if canonicalize_name(r.name) in pins and not r.specifier.contains(pins[canonicalize_name(r.name)])
    ]
    unbounded = [str(r) for r in declared if not any(s.operator == "<" for s in r.specifier)]
    assert (unpinned, outside, unbounded) == ([], [], [])
