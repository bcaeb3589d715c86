"""docs/api.md's examples run as written, in order, from the repository's root: the documented API is the real one."""

from __future__ import annotations

import re

import pytest

from tests.helpers import REPO

API = REPO / "docs" / "api.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def test_every_example_in_the_api_guide_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = _BLOCK.findall(API.read_text(encoding="utf-8"))
    assert blocks, "docs/api.md has no Python examples"
    monkeypatch.chdir(REPO)
    namespace: dict[str, object] = {"__name__": "api_guide"}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"docs/api.md example {number}", "exec"), namespace)
        except Exception as error:  # name the example that failed, not just the line inside it
            pytest.fail(f"example {number} of docs/api.md fails: {type(error).__name__}: {error}\n{block}")
    assert capsys.readouterr().out  # the examples print what they show


def test_every_public_name_resolves_and_says_what_it_is() -> None:
    """`import pfm` exports each capability lazily; each name loads, and each has a docstring for help()."""
    import pfm

    undocumented = [
        name for name in pfm.__all__ if name != "__version__" and not (getattr(pfm, name).__doc__ or "").strip()
    ]
    assert undocumented == []
    assert {"load_portfolio", "validate", "rank", "select", "diff", "finance", "status", "import_files"} <= set(
        pfm.__all__
    )
