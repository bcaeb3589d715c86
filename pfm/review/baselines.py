"""Approved baselines from git, and earned value against them (`pfm evm`).

An item's baseline is, in order: the revision given (`baseline=REV`: every item's figures at that commit);
its `baseline:` block; else its business case and schedule as they stood at the first commit in which its
stage was in an approved state (approved, active or closed), read from git's history oldest first. Its
milestones' baselines come from the same commit (or revision): each milestone's `baseline` there, else its
planned date or period there; a `baseline` written on a milestone now wins. What a commit gives (the
baselines of the items approved, active or closed in it) is kept in the repository's git folder
(pfm.review.commit_cache), so a second call reads no commit again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pfm.analysis.evm import (
    MEASURED_STATES,
    EarnedValueReport,
    MilestoneBaseline,
    candidates,
    earned_value_report,
    milestone_baseline,
    own_baseline,
    required_status_date,
)
from pfm.errors import UsageError
from pfm.findings import did_you_mean
from pfm.io.caches import Store
from pfm.io.revisions import Commit, RevisionError, commits, materialise, resolve_commit
from pfm.model import Item, ItemBaseline, Portfolio
from pfm.records import CostLine
from pfm.review.commit_cache import commit_cache
from pfm.review.comparison import read_side

Found = dict[str, ItemBaseline | str]  # item id -> its baseline, or why it has none
Milestones = dict[str, MilestoneBaseline | str]  # item id -> its approved milestones, or why there are none
NOT_FOUND = "no approved baseline found in history"


def evm(
    portfolio: Portfolio, item: str | None = None, *, as_of: date | None = None, baseline: str | None = None
) -> EarnedValueReport:
    """Earned value and earned schedule of the approved, active and closed items at the status date, rolled up
    per programme and for the portfolio; items without a baseline or actuals are listed with the reason.

    `item` limits it to one item (and a programme's children); `as_of` overrides the portfolio's status date;
    `baseline` is a git revision every baseline is read from instead of the baseline blocks and approvals.
    """
    if item is not None and item not in portfolio.items:
        hint = did_you_mean(item, portfolio.items)
        raise UsageError(f"no item '{item}' in the portfolio" + (f"; {hint}" if hint else ""))
    day = required_status_date(portfolio, as_of)
    chosen = candidates(portfolio, item)
    wanted = [entry for entry in chosen if entry.actuals or entry.milestones]
    if baseline is not None:
        found, milestones = at_revision(portfolio, wanted, baseline)
    else:
        found, milestones = approved_baselines(portfolio, wanted)
        found |= {entry.id: own_baseline(portfolio, entry) for entry in wanted if entry.baseline is not None}
    return earned_value_report(portfolio, found, day, chosen, baseline, milestones)


def at_revision(portfolio: Portfolio, items: Iterable[Item], revision: str) -> tuple[Found, Milestones]:
    """Every item's baseline as it stood at `revision` (its block there, else its business case and schedule),
    and its milestones there."""
    sha = resolve_commit(portfolio.root, revision)
    with materialise(sha, portfolio.root) as (folder, label):
        then = read_side(folder, label).portfolio
    if then is None:
        raise UsageError(f"the portfolio at {revision} has errors: no baseline can be read from it")
    label = f"{revision} ({sha[:7]})"
    found: Found = {}
    milestones: Milestones = {}
    for item in items:
        old = then.items.get(item.id)
        found[item.id] = own_baseline(then, old, sha) if old is not None else f"not in {label}"
        milestones[item.id] = milestone_baseline(old, sha) if old is not None else f"{NOT_FOUND}: not in {label}"
    return found, milestones


def approved_baselines(portfolio: Portfolio, items: list[Item]) -> tuple[Found, Milestones]:
    """Each item's baseline, and its milestones, at the first commit in which its stage was approved, active or
    closed; or why there is none."""
    if not items:
        return {}, {}
    try:
        history = commits(portfolio.root)
    except RevisionError as error:
        found: Found = {item.id: f"no baseline: {error}; give the item a baseline block" for item in items}
        return found, {item.id: f"{NOT_FOUND}: {error}" for item in items}
    found = {}
    milestones: Milestones = {}
    pending = {item.id for item in items}
    store = commit_cache(portfolio.root, "baselines")
    for commit in history:
        approved = _approved_at(store, portfolio.root, commit)
        if approved is None:
            continue
        for ident in sorted(pending & set(approved)):
            found[ident], milestones[ident] = approved[ident]
            pending.discard(ident)
        if not pending:
            break
    for ident in pending:
        found[ident] = "never committed in an approved stage: commit it, or give it a baseline block"
        milestones[ident] = f"{NOT_FOUND}: never committed in an approved stage"
    return found, milestones


Approved = dict[str, tuple[ItemBaseline | str, MilestoneBaseline]]  # item id -> its baselines at a commit


def _approved_at(store: Store, root: Path, commit: Commit) -> Approved | None:
    """The baselines of the items approved, active or closed at `commit` (None when its portfolio has errors),
    read from `store` when kept there, else from git and then kept."""
    kept = store.read(commit.sha)
    if kept is not None:
        try:
            return _decoded(kept, commit.sha)
        except (KeyError, TypeError, ValueError):
            pass  # not as written: read the commit again
    with materialise(commit.sha, root) as (folder, label):
        then = read_side(folder, label).portfolio
    approved = (
        None
        if then is None
        else {
            item.id: (own_baseline(then, item, commit.sha, commit.date[:10]), milestone_baseline(item, commit.sha))
            for item in then.items.values()
            if then.stage_state(item) in MEASURED_STATES
        }
    )
    store.write(commit.sha, _encoded(approved))
    return approved


def _encoded(approved: Approved | None) -> dict[str, Any]:
    if approved is None:
        return {"valid": False}
    items = {}
    for ident, (baseline, milestones) in approved.items():
        written = baseline if isinstance(baseline, str) else dataclasses.asdict(baseline)
        items[ident] = {"baseline": written, "milestones": dict(milestones.dates)}
    return {"valid": True, "items": items}


def _decoded(data: dict[str, Any], sha: str) -> Approved | None:
    if not data["valid"]:
        return None
    approved: Approved = {}
    for ident, kept in data["items"].items():
        written = kept["baseline"]
        baseline = written if isinstance(written, str) else _baseline(written)
        approved[ident] = (baseline, MilestoneBaseline(sha, {str(k): str(v) for k, v in kept["milestones"].items()}))
    return approved


def _baseline(data: dict[str, Any]) -> ItemBaseline:
    costs = tuple(CostLine(int(y), float(c), float(o), str(n)) for y, c, o, n in data["costs"])
    return ItemBaseline(data["start"], data["end"], costs, data["approved"], data["decision"], data["commit"])
