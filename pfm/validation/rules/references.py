"""Every id a document refers to must exist."""

from __future__ import annotations

from pfm.io.loading import Document
from pfm.validation.cycles import find_cycles
from pfm.validation.rules.context import Context

_AN_ITEM = "an item"


def check_references(context: Context) -> None:
    """Report references to items, teams, decisions, criteria, stages and objectives that do not exist."""
    items = context.ids("Item")
    teams = context.ids("Team")
    criteria = {c["id"] for c in context.portfolio.get("scoring", {}).get("criteria", [])}
    decisions = context.ids("Decision")
    for document in context.of_kind("Item"):
        _check_item_references(context, document, items, teams)
        decision = document.data.get("baseline", {}).get("decision")
        if decision is not None:
            context.check_ref(document, ("baseline", "decision"), decision, decisions, "a decision")
    _check_parent_cycles(context, items)
    for document in context.of_kind("BusinessCase"):
        context.check_ref(document, ("item",), document.data["item"], items, _AN_ITEM)
    for kind in ("Risk", "Decision"):
        for document in context.of_kind(kind):
            for position, ident in enumerate(document.data.get("items", [])):
                context.check_ref(document, ("items", position), ident, items, _AN_ITEM)
    for document in context.of_kind("Scenario"):
        _check_scenario_references(context, document, items, teams, criteria)


def _check_item_references(
    context: Context, document: Document, items: dict[str, Document], teams: dict[str, Document]
) -> None:
    data = document.data
    own = data["id"]
    _check_parent(context, document, items)
    for position, entry in enumerate(data.get("depends_on", [])):
        ident, path = (
            (entry, ("depends_on", position))
            if isinstance(entry, str)
            else (entry["id"], ("depends_on", position, "id"))
        )
        if ident != own:  # depending on itself is a cycle of one, reported as such
            context.check_ref(document, path, ident, items, _AN_ITEM)
    for position, ident in enumerate(data.get("excludes", [])):
        if ident == own:
            context.report("ref.self", "an item cannot exclude itself", document, ("excludes", position))
        else:
            context.check_ref(document, ("excludes", position), ident, items, _AN_ITEM)
    for team in data.get("demand", {}):
        context.check_ref(document, ("demand", team), team, teams, "a team")
    if context.portfolio:
        objectives = {o["id"] for o in context.portfolio.get("objectives", [])}
        for position, ident in enumerate(data.get("objectives", [])):
            context.check_ref(document, ("objectives", position), ident, objectives, "an objective of the portfolio")
        stages = {s["id"] for s in context.portfolio.get("stages", [])}
        if stages:
            context.check_ref(document, ("stage",), data["stage"], stages, "a stage of the portfolio")


def _check_scenario_references(
    context: Context, document: Document, items: dict[str, Document], teams: dict[str, Document], criteria: set[str]
) -> None:
    data = document.data
    for criterion in data.get("weights", {}):
        context.check_ref(document, ("weights", criterion), criterion, criteria, "a criterion of the scoring model")
    for team in data.get("capacity", {}):
        context.check_ref(document, ("capacity", team), team, teams, "a team")
    for ident, change in data.get("items", {}).items():
        if not context.check_ref(document, ("items", ident), ident, items, _AN_ITEM):
            continue
        for criterion in change.get("scores", {}):
            context.check_ref(
                document, ("items", ident, "scores", criterion), criterion, criteria, "a criterion of the scoring model"
            )
        for team in change.get("demand", {}):
            context.check_ref(document, ("items", ident, "demand", team), team, teams, "a team")
    states = {s["id"]: s["state"] for s in context.portfolio.get("stages", [])}
    for key in ("force_in", "force_out"):
        for position, ident in enumerate(data.get(key, [])):
            if context.check_ref(document, (key, position), ident, items, _AN_ITEM) and key == "force_in":
                stage = data.get("items", {}).get(ident, {}).get("stage", items[ident].data.get("stage"))
                _check_forced_stage(context, document, position, ident, stage, states.get(stage))


def _check_forced_stage(
    context: Context, document: Document, position: int, ident: str, stage: str | None, state: str | None
) -> None:
    """Delivered work has nothing left to fund, and cancelled work comes back by a decision, not by a what-if."""
    if state in ("closed", "cancelled"):
        context.report(
            "scenario.force-closed",
            f"force_in '{ident}': the item is {state} (stage '{stage}')",
            document,
            ("force_in", position),
            hint=f"move the item back to an open stage in the scenario's items ({ident}: {{stage: ...}}) to fund it again",
        )


def _check_parent(context: Context, document: Document, items: dict[str, Document]) -> None:
    parent = document.data.get("parent")
    if parent is None:
        return
    if parent == document.data["id"]:
        context.report("ref.self", "an item cannot be its own parent", document, ("parent",))
    elif context.check_ref(document, ("parent",), parent, items, _AN_ITEM):
        kind = items[parent].data.get("type", "item")
        if kind != "programme":
            context.report("ref.parent-type", f"parent '{parent}' is a {kind}, not a programme", document, ("parent",))


def _check_parent_cycles(context: Context, items: dict[str, Document]) -> None:
    """Programmes that contain each other in a circle: no roll-up can add them up. Each is reported at its parent."""
    parents = {
        ident: [parent]
        for ident, document in items.items()
        if (parent := document.data.get("parent")) in items and parent != ident
    }
    for cycle in find_cycles(parents):
        text = " → ".join([*cycle, cycle[0]])
        for ident in cycle:
            context.report(
                "ref.parent-cycle",
                f"programmes contain each other: {text} (this line: {ident} is in {parents[ident][0]})",
                items[ident],
                ("parent",),
            )
