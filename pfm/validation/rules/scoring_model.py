"""The portfolio's own declarations: horizon, criteria, weights and pairwise comparisons."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

from pfm.io.loading import Document
from pfm.periods import quarter_index
from pfm.validation.rules.context import Context


def check_portfolio_declarations(context: Context) -> None:
    """Report an inverted horizon, bad scales, duplicate ids and an unusable weighting."""
    document = next((d for d in context.of_kind("Portfolio") if d.data is context.portfolio), None)
    if document is None:
        return
    data = context.portfolio
    periods = data["periods"]
    if quarter_index(periods["first"]) > quarter_index(periods["last"]):
        context.report(
            "portfolio.periods",
            f"the horizon starts ({periods['first']}) after it ends ({periods['last']})",
            document,
            ("periods", "last"),
        )
    for section in ("stages", "objectives"):
        _check_unique_ids(context, document, data.get(section, []), section)
    scoring = data.get("scoring")
    if scoring is not None:
        _check_scoring(context, document, scoring)


def _check_unique_ids(
    context: Context, document: Document, entries: Sequence[dict[str, Any]], section: str
) -> set[str]:
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        if entry["id"] in seen:
            context.report(
                "scoring.duplicate",
                f"{section} id '{entry['id']}' appears twice",
                document,
                (*_section_path(section), position, "id"),
            )
        seen.add(entry["id"])
    return seen


def _section_path(section: str) -> tuple[str, ...]:
    return ("scoring", "criteria") if section == "criteria" else (section,)


def _check_scoring(context: Context, document: Document, scoring: dict[str, Any]) -> None:
    criteria = scoring["criteria"]
    ids = _check_unique_ids(context, document, criteria, "criteria")
    for position, criterion in enumerate(criteria):
        scale = criterion["scale"]
        if scale["min"] >= scale["max"]:
            context.report(
                "scoring.scale",
                f"criterion '{criterion['id']}': scale min {scale['min']} is not below max {scale['max']}",
                document,
                ("scoring", "criteria", position, "scale"),
            )
    if "formula" in scoring:
        _check_formula(context, document, scoring["formula"], [c["id"] for c in criteria])
    pairwise = scoring.get("pairwise")
    if pairwise is None:
        if "pairwise" not in context.as_written(document)["scoring"]:  # else its schema error says what is wrong
            _check_weights(context, document, criteria)
        return
    weighted = next((p for p, c in enumerate(criteria) if "weight" in c), None)
    if weighted is not None:
        context.report(
            "scoring.weights-ignored",
            "weights are ignored: the pairwise comparisons decide the weights",
            document,
            ("scoring", "criteria", weighted, "weight"),
        )
    if pairwise and isinstance(pairwise[0], dict):
        complete = [
            _check_pairwise(
                context,
                document,
                block["judgements"],
                ids,
                ("scoring", "pairwise", position, "judgements"),
                f"rater '{block['rater']}': ",
            )
            for position, block in enumerate(pairwise)
        ]
    else:
        complete = [_check_pairwise(context, document, pairwise, ids, ("scoring", "pairwise"), "")]
    if all(complete) and len(ids) == len(criteria):
        _check_consistency(context, document, scoring)


def _check_consistency(context: Context, document: Document, scoring: dict[str, Any]) -> None:
    """Judgements whose consistency ratio is above Saaty's limit give weights no one meant (DESIGN: an error)."""
    from pfm.methods.weights import CR_LIMIT, derive_weights
    from pfm.validation.building import build_scoring

    result = derive_weights(build_scoring(scoring))
    if result.consistent or result.cr is None:
        return
    furthest = "; ".join(
        f"{j.a} vs {j.b}: judged {j.given:.3g}, the weights imply {j.implied:.3g}" for j in result.inconsistencies
    )
    context.report(
        "scoring.inconsistent",
        f"the pairwise judgements contradict each other: CR {result.cr:.3f} is above {CR_LIMIT:.2f}",
        document,
        ("scoring", "pairwise"),
        hint=f"revise the judgements furthest from the weights ({furthest}); `pfm weights` shows them all",
        target="key",
    )


def _check_weights(context: Context, document: Document, criteria: Sequence[dict[str, Any]]) -> None:
    missing = [p for p, c in enumerate(criteria) if "weight" not in c]
    for position in missing:
        context.report(
            "scoring.weights",
            f"criterion '{criteria[position]['id']}' has no weight and there are no pairwise comparisons",
            document,
            ("scoring", "criteria", position),
        )
    if not missing and sum(c["weight"] for c in criteria) <= 0:
        context.report("scoring.weights", "all criterion weights are zero", document, ("scoring", "criteria"))


def _check_pairwise(
    context: Context,
    document: Document,
    judgements: Sequence[list[Any]],
    ids: set[str],
    path: tuple[str | int, ...],
    who: str,
) -> bool:
    """Report unknown, repeated and missing pairs; True when the block compares every pair exactly once."""
    clean = True
    compared: set[frozenset[str]] = set()
    for position, (first, second, _) in enumerate(judgements):
        known = [
            context.check_ref(document, (*path, position, slot), name, ids, "a criterion of the scoring model")
            for slot, name in ((0, first), (1, second))
        ]
        if not all(known):
            clean = False
            continue
        pair = frozenset((first, second))
        if first == second or pair in compared:
            what = (
                "compares a criterion with itself"
                if first == second
                else f"compares {first} and {second} a second time"
            )
            context.report("scoring.pairwise-duplicate", f"{who}judgement {what}", document, (*path, position))
            clean = False
        compared.add(pair)
    order = sorted(ids)
    missing = [f"{a}/{b}" for a, b in combinations(order, 2) if frozenset((a, b)) not in compared]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        context.report(
            "scoring.pairwise-incomplete",
            f"{who}{len(missing)} pair(s) of criteria not compared: {shown}",
            document,
            path,
            hint="AHP needs a judgement for every pair of criteria",
        )
    return clean and not missing


def check_scenario_weights(context: Context) -> None:
    """Report a scenario whose weights, with the model's for the criteria it leaves out, are all zero."""
    scoring = context.portfolio.get("scoring")
    if scoring is None:
        return
    criteria = scoring["criteria"]
    # AHP derives a positive weight for every criterion; otherwise the written weight stands.
    kept = {c["id"]: 1.0 if scoring.get("pairwise") else c.get("weight", 0.0) for c in criteria}
    for document in context.of_kind("Scenario"):
        weights = document.data.get("weights")
        if weights and not any({**kept, **weights}.get(c["id"], 0.0) > 0 for c in criteria):
            context.report(
                "scenario.weights",
                "with this scenario's weights every criterion weighs zero, so no item can be scored",
                document,
                ("weights",),
                hint="give at least one criterion a weight above zero",
                target="key",
            )


def _check_formula(context: Context, document: Document, text: str, criteria: list[str]) -> None:
    from pfm.methods.formula import FINANCE_NAMES, FormulaError, compile_formula, formula_names

    try:
        compile_formula(text, [*formula_names(criteria).values(), *FINANCE_NAMES])
    except (FormulaError, ValueError) as error:
        context.report("scoring.formula", str(error).removeprefix("formula: "), document, ("scoring", "formula"))
