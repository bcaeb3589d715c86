"""`pfm weights` prints exactly what the library returns, and the weights' rows."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import pfm
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, cli_json


@pytest.mark.parametrize("method", ["eigenvector", "geometric-mean"])
def test_weights_json_is_the_library_weights(runner: CliRunner, method: str) -> None:
    scoring = pfm.load_portfolio(EXAMPLE).scoring
    assert scoring is not None
    expected = json.loads(to_json(pfm.derive_weights(scoring, method).to_dict()))  # type: ignore[arg-type]
    assert cli_json(runner, "weights", "--method", method) == expected


def test_weights_as_a_frame_have_a_row_per_criterion() -> None:
    scoring = pfm.load_portfolio(EXAMPLE).scoring
    assert scoring is not None
    frame = pfm.derive_weights(scoring).to_frame()
    assert list(frame.columns) == ["criterion", "name", "weight"]
    assert list(frame["name"]) == [c.name for c in scoring.criteria]
    assert frame["weight"].sum() == pytest.approx(1.0)
