"""Figures computed from one commit of the portfolio, kept in the repository's git folder so a second run reads them.

One JSON file per commit in `pfm-cache/<name>/` of the git folder (never among the portfolio's files), named by
the commit's sha, pfm's version and a hash of what the figures depend on besides the commit (pfm's own analysis
code and where the portfolio sits): a new pfm version or changed code reads none of the old files. A file that
cannot be read is no figure (the caller recomputes); a file that cannot be written is no failure.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pfm.errors import PfmError
from pfm.io.files import write_atomic
from pfm.io.revisions import cache_folder

PACKAGE = Path(__file__).resolve().parents[1]
_PRESENTATION = ("cli", "reporting")  # pfm's folders that change how figures are shown, never the figures


class CommitCache:
    """The cache of one kind of figures (`name`: kpi, baselines) of the portfolio at `root`, per commit."""

    def __init__(self, root: Path, name: str) -> None:
        self.folder = cache_folder(root) / name
        self.key = f"{pfm_version()}-{_inputs_hash(str(root.resolve()))}"

    def path(self, sha: str) -> Path:
        """The cache file of commit `sha`."""
        return self.folder / f"{sha}-{self.key}.json"

    def read(self, sha: str) -> Any:
        """What was kept for commit `sha`, as JSON; None when absent or unreadable."""
        try:
            return json.loads(self.path(sha).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write(self, sha: str, data: Any) -> None:
        """Keep `data` (JSON) for commit `sha`; a cache that cannot be written is no failure."""
        try:
            write_atomic(self.path(sha), json.dumps(data))
        except PfmError:
            return


@cache
def pfm_version() -> str:
    """The installed pfm's version (its package files, `pfm/__init__.py` with `__version__` among them, are hashed
    into the key as well)."""
    return version("pfm")


@cache
def _inputs_hash(root: str) -> str:
    """A hash of what a commit's figures depend on besides its files: pfm's analysis, validation and reading code
    (its package files outside the presentation folders) and the portfolio's place."""
    digest = hashlib.sha256(root.encode())
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.is_file() and relative.parts[0] not in _PRESENTATION and "__pycache__" not in relative.parts:
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
