"""A real headless Chromium (Debian's `chromium`, driven by Playwright) and the sites it opens, each made once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from typer.testing import CliRunner

from tests.helpers import EXAMPLE, run

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE_TITLE = "<script>alert(1)</script> {{ 7*7 }} <img src=x onerror=alert(2)>"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("no chromium on PATH: install it with `apt-get install chromium` (.ci/run does)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def build(root: Path, folder: Path) -> Path:
    result = run(CliRunner(), "site", "-o", str(folder), root=root)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example portfolio's site."""
    return build(EXAMPLE, tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's site with one item titled as markup, a script and a template expression."""
    root = tmp_path_factory.mktemp("hostile") / "portfolio"
    shutil.copytree(EXAMPLE, root)
    path = root / "items" / "cloud-finops.yaml"
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(first, f"title: '{HOSTILE_TITLE}'", 1), encoding="utf-8")
    return build(root, root.parent / "site")
