"""Shared fixtures: portfolios written into temporary folders, and a CLI runner with fixed settings."""

from __future__ import annotations

import signal
import textwrap
from pathlib import Path

import pytest

from tests.helpers import WriteTree

# A shell starts background jobs with Ctrl-C ignored, and an ignored signal stays ignored in every
# process started from them: the tests of what Ctrl-C does would then see nothing happen. Python's own
# handler here makes the suite behave the same in the foreground and in the background, in this process
# and, since exec resets a handled signal to its default, in every pfm it starts.
signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets a cache folder of its own (pfm and the processes it starts), never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("PFM_CACHE_DIR", str(folder))
    return folder


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
