"""The benchmark generator writes valid portfolios, down to the example's own size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pfm
from tests.helpers import EXAMPLE, REPO


def test_a_portfolio_the_size_of_the_example_names_each_item_once_and_is_valid(tmp_path: Path) -> None:
    count = len(list((EXAMPLE / "items").glob("*.yaml")))  # fewer open items than the example's ids
    out = tmp_path / "generated"
    script = REPO / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, script, "--items", str(count), "--out", out], check=True, capture_output=True)
    validation = pfm.validate(out)
    assert validation.ok, [f.message for f in validation.findings]
    assert len(list((out / "decisions").glob("*.yaml"))) == len(list((EXAMPLE / "decisions").glob("*.yaml")))
