"""Validation of a large portfolio checks its files in several processes: the findings, their order and their
positions are the same as when one process checks them all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pfm.parallel import can_fork
from pfm.validation import validator
from tests.helpers import PORTFOLIO, WriteTree, item

FILES = validator.PARALLEL_THRESHOLD + 37


def _large_portfolio(write_tree: WriteTree) -> Path:
    """FILES items, most valid; a broken YAML file, a wrong type, an unknown reference and a duplicate id among them."""
    files = {"portfolio.yaml": PORTFOLIO}
    files |= {f"items/i{n:03d}.yaml": item(f"i{n:03d}", "depends_on: [i000]\n" if n % 7 else "") for n in range(FILES)}
    files["items/i101.yaml"] = "apiVersion: pfm/v1\nkind: Item\nid: i101\ntitle: [unclosed\n"
    files["items/i202.yaml"] = item("i202", "duration: many\n")
    files["items/i303.yaml"] = item("i303", "depends_on: [no-such-item]\n")
    files["items/i404.yaml"] = item("i005")
    return write_tree(files)


def _findings(result: validator.Validation) -> list[tuple[object, ...]]:
    return [(f.file, f.line, f.column, f.severity, f.rule, f.message) for f in result.findings]


@pytest.mark.skipif(not can_fork(), reason="parallel validation needs the fork start method")
def test_the_parallel_path_finds_what_one_process_finds(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _large_portfolio(write_tree)
    calls: list[int] = []
    real = validator.map_in_parallel

    def counted(work: Callable[[Any], Any], items: list[str], *args: Any, **kwargs: Any) -> list[Any]:
        calls.append(len(items))
        return real(work, items, *args, **kwargs)

    monkeypatch.setattr(validator, "map_in_parallel", counted)
    parallel = validator.validate(root)
    assert calls == [FILES + 1]  # every file, portfolio.yaml too, went through the worker processes

    monkeypatch.setattr(validator, "PARALLEL_THRESHOLD", FILES * 10)
    serial = validator.validate(root)
    assert calls == [FILES + 1]  # the second run stayed in this process

    assert _findings(parallel) == _findings(serial)
    assert [d.id for d in parallel.documents] == [d.id for d in serial.documents]
    assert [(f.file, f.line, f.column, f.rule) for f in parallel.findings] == [
        ("items/i101.yaml", 5, 1, "yaml.syntax"),
        ("items/i202.yaml", 8, 11, "schema.type"),
        ("items/i303.yaml", 8, 14, "ref.unknown"),
        ("items/i404.yaml", 3, 5, "id.duplicate"),
    ]
