"""Rules on delivery tracking: status snapshots, milestone actuals, benefits realised and decision actions."""

from __future__ import annotations

import itertools
from typing import Any

from pfm.findings import JsonPath
from pfm.io.loading import Document
from pfm.periods import quarter_index, when_quarter
from pfm.validation.building import snapshots
from pfm.validation.rules.context import Context


def check_tracking(context: Context) -> None:
    """Report RAG rules without one threshold, snapshots after the status date, spend or progress going backwards, milestones achieved before
    their item's start, benefits realised by an item without a business case, and decision actions due before
    their decision."""
    portfolio = context.portfolio
    _check_rag_rules(context)
    _check_actions(context)
    as_of = portfolio.get("as_of")
    fiscal_year_start = portfolio.get("fiscal_year_start", 1)
    cases = {document.data["item"] for document in context.of_kind("BusinessCase")}
    for document in context.of_kind("Item"):
        data = document.data
        dated = _dated_snapshots(data)
        for path, snapshot in dated:
            if as_of is not None and snapshot["as_of"] > as_of:
                context.report(
                    "actuals.future",
                    f"actuals dated {snapshot['as_of']}, after the portfolio's status date {as_of}",
                    document,
                    (*path, "as_of"),
                    "correct the date, or move the portfolio's as_of forward",
                )
        for (_, before), (path, after) in itertools.pairwise(dated):
            _check_backwards(context, document, before, after, path)
        _check_milestones(context, document, fiscal_year_start)
        if data["id"] not in cases:
            for path, snapshot in _snapshots(data):
                if snapshot.get("benefits_realised"):
                    context.report(
                        "benefits.no-case",
                        f"{data['id']} reports benefits realised but has no business case to measure them against",
                        document,
                        (*path, "benefits_realised"),
                        "add the item's business case, or remove the benefits",
                    )


def _snapshots(data: dict[str, Any]) -> list[tuple[JsonPath, dict[str, Any]]]:
    """Each snapshot with its path: ("actuals",) for one written as a mapping, else ("actuals", n)."""
    written = snapshots(data)
    if isinstance(data.get("actuals"), dict):
        return [(("actuals",), written[0])]
    return [(("actuals", n), snapshot) for n, snapshot in enumerate(written)]


def _dated_snapshots(data: dict[str, Any]) -> list[tuple[JsonPath, dict[str, Any]]]:
    """The snapshots that have a date, in date order (the order written on a tie)."""
    return sorted(((p, s) for p, s in _snapshots(data) if "as_of" in s), key=lambda entry: entry[1]["as_of"])


def _check_backwards(
    context: Context, document: Document, before: dict[str, Any], after: dict[str, Any], path: JsonPath
) -> None:
    spent = {key: after.get(key, 0) - before.get(key, 0) for key in ("capex", "opex")}
    if spent["capex"] + spent["opex"] < 0:
        context.report(
            "actuals.spend-decrease",
            f"spend to date falls by {-(spent['capex'] + spent['opex']):,.0f} between {before['as_of']} and "
            f"{after['as_of']}: capex and opex are cumulative",
            document,
            (*path, "capex" if spent["capex"] < 0 else "opex"),
            "give the spend to date (cumulative), not the spend of the period",
        )
    for key in ("percent_complete", "earned_value"):
        if key in before and key in after and after[key] < before[key]:
            context.report(
                "actuals.progress",
                f"{key} goes back from {before[key]:g} ({before['as_of']}) to {after[key]:g} ({after['as_of']})",
                document,
                (*path, key),
                "progress to date only grows; when the scope grew, re-baseline the item",
            )


def _check_milestones(context: Context, document: Document, fiscal_year_start: int) -> None:
    start = document.data.get("start")
    if start is None:
        return
    for n, milestone in enumerate(document.data.get("milestones", ())):
        actual = milestone.get("actual")
        if actual is not None and when_quarter(actual, fiscal_year_start) < quarter_index(start):
            context.report(
                "milestone.before-start",
                f"milestone '{milestone['name']}' was achieved ({actual}) before {document.data['id']} starts in {start}",
                document,
                ("milestones", n, "actual"),
                "correct the actual date, or the item's start",
            )


def _check_actions(context: Context) -> None:
    for document in context.of_kind("Decision"):
        taken = document.data["date"]
        for n, action in enumerate(document.data.get("actions", ())):
            if action["due"] < taken:
                context.report(
                    "decision.action-due",
                    f"action '{action['action']}' is due {action['due']}, before its decision of {taken}",
                    document,
                    ("actions", n, "due"),
                    "correct the due date, or the decision's date",
                )


def _check_rag_rules(context: Context) -> None:
    document = next((d for d in context.of_kind("Portfolio") if d.data is context.portfolio), None)
    if document is None:
        return
    for n, rule in enumerate(context.portfolio.get("rag_rules", ())):
        if ("below" in rule) == ("above" in rule):
            context.report(
                "rag-rules.threshold",
                f"rule {n + 1} of rag_rules gives {'both' if 'below' in rule else 'neither'} of below and above",
                document,
                ("rag_rules", n),
                "give one threshold: below (the rule applies under it) or above",
            )
