"""Figures computed from one commit of the portfolio, kept in the repository's git folder so a second run reads them.

One JSON file per commit in `pfm-cache/<name>/` of the git folder (never among the portfolio's files), named by
the commit's sha and by the key of `pfm.io.caches` (pfm's version, a hash of its analysis code) with the
portfolio's place: a new pfm version or changed code reads none of the old files. A file that cannot be read is no
figure (the caller recomputes); a file that cannot be written is no failure.
"""

from __future__ import annotations

from pathlib import Path

from pfm.io.caches import Store, code_hash, pfm_version
from pfm.io.revisions import cache_folder


def commit_cache(root: Path, name: str) -> Store:
    """The cache of one kind of figures (`name`: kpi, baselines) of the portfolio at `root`, one entry per sha."""
    return Store(cache_folder(root) / name, f"{pfm_version()}-{code_hash(str(root.resolve()))}")
