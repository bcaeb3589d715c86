"""Rules on items and business cases: scores, schedule, gates and exclusions."""

from __future__ import annotations

from typing import Any

from pfm.io.loading import Document
from pfm.periods import add_quarters, quarter_index
from pfm.validation.rules.context import Context

OPEN = ("proposed", "approved", "active")  # the stages whose items selection and finance count

# What a gate's `requires` entry checks, and how to say it is missing.
_REQUIREMENTS = {
    "owner": "an owner",
    "sponsor": "a sponsor",
    "start": "a start quarter",
    "duration": "a duration (or an end)",
    "scores": "scores",
    "demand": "team demand",
    "business_case": "a business case",
    "wsjf": "WSJF inputs",
    "rice": "RICE inputs",
    "milestones": "milestones",
}


def check_items(context: Context) -> None:
    """Report score, schedule, gate and exclusion problems of items, and duplicate business cases."""
    portfolio = context.portfolio
    criteria = {c["id"]: c for c in portfolio.get("scoring", {}).get("criteria", [])}
    stages = {s["id"]: s for s in portfolio.get("stages", [])}
    horizon = _horizon(portfolio)
    cases = _check_business_cases(context)
    for document in context.of_kind("Item"):
        data = document.data
        if criteria:
            _check_scores(context, document, criteria)
        stage = stages.get(data["stage"])
        # An item already in flight (or done) may well have started before the horizon.
        started = stage is not None and stage["state"] in ("active", "closed", "cancelled")
        _check_schedule(context, document, None if started else horizon)
        if "window" in data:
            _check_window(context, document, horizon, stage is not None and stage["state"] == "active")
        if stage is not None:
            _check_gate(context, document, stage, data["id"] in cases)
            if stage["state"] in OPEN:
                _check_costs_start(context, document, cases.get(data["id"]))
        _check_exclusions(context, document)
    for document in context.of_kind("Team"):
        capacity = document.data["capacity"]
        if isinstance(capacity, dict):
            _check_quarters_in_horizon(context, document, capacity, ("capacity",), horizon)


def _horizon(portfolio: dict[str, Any]) -> tuple[int, int] | None:
    periods = portfolio.get("periods")
    return (quarter_index(periods["first"]), quarter_index(periods["last"])) if periods else None


def _check_scores(context: Context, document: Document, criteria: dict[str, dict[str, Any]]) -> None:
    data = document.data
    scores = data.get("scores", {})
    for criterion, value in scores.items():
        if not context.check_ref(
            document, ("scores", criterion), criterion, criteria, "a criterion of the scoring model"
        ):
            continue
        scale = criteria[criterion]["scale"]
        if not scale["min"] <= value <= scale["max"]:
            context.report(
                "score.out-of-scale",
                f"score {value} for '{criterion}' is outside its scale {scale['min']}..{scale['max']}",
                document,
                ("scores", criterion),
            )
    if data["type"] == "programme":
        return  # a programme's value is its children's; scoring it is optional
    written = context.as_written(document).get("scores")
    scored = written if isinstance(written, dict) else scores  # an invalid score is reported as invalid, not as missing
    missing = [c for c in criteria if c not in scored]
    if missing:
        path = ("scores",) if "scores" in data else ("id",)
        context.report(
            "score.missing",
            f"no score for {', '.join(missing)}",
            document,
            path,
            target="key" if "scores" in data else "value",
        )


def _check_schedule(context: Context, document: Document, horizon: tuple[int, int] | None) -> None:
    data = document.data
    start, duration, end = data.get("start"), data.get("duration"), data.get("end")
    if start is not None and end is not None:
        if quarter_index(end) < quarter_index(start):
            context.report("schedule.inconsistent", f"end {end} is before start {start}", document, ("end",))
        elif duration is not None and add_quarters(start, duration - 1) != end:
            context.report(
                "schedule.inconsistent",
                f"start {start} + duration {duration} ends in {add_quarters(start, duration - 1)}, not {end}",
                document,
                ("end",),
            )
    estimate = data.get("duration_estimate")
    if estimate is not None and not estimate["low"] <= estimate["likely"] <= estimate["high"]:
        context.report(
            "schedule.estimate-order",
            f"duration_estimate low {estimate['low']:g}, likely {estimate['likely']:g}, high {estimate['high']:g}"
            " are not in order",
            document,
            ("duration_estimate",),
        )
    if horizon is None:
        return
    for key in ("start", "end"):
        value = data.get(key)
        if value is not None and not horizon[0] <= quarter_index(value) <= horizon[1]:
            context.report("schedule.horizon", f"{key} {value} is outside the planning horizon", document, (key,))
    for team, demand in data.get("demand", {}).items():
        if isinstance(demand, dict):
            _check_quarters_in_horizon(context, document, demand, ("demand", team), horizon)


def _check_window(context: Context, document: Document, horizon: tuple[int, int] | None, active: bool) -> None:
    """A start window that cannot be met, lies beyond the horizon, leaves out the start, or is on work under way."""
    data = document.data
    window, start = data["window"], data.get("start")
    earliest, latest = window.get("earliest"), window.get("latest")
    if active:
        message = "the item is active: it keeps its dates, and a selection does not move it"
        context.report("window.in-flight", message, document, ("window",), target="key")
        return
    if earliest is not None and latest is not None and quarter_index(latest) < quarter_index(earliest):
        context.report("window.order", f"latest {latest} is before earliest {earliest}", document, ("window", "latest"))
        return
    for key, value in window.items():
        if horizon is not None and not horizon[0] <= quarter_index(value) <= horizon[1]:
            message = f"{key} {value} is outside the planning horizon; a selection starts the item within it"
            context.report("window.horizon", message, document, ("window", key))
    outside = start is not None and (
        (earliest is not None and quarter_index(start) < quarter_index(earliest))
        or (latest is not None and quarter_index(start) > quarter_index(latest))
    )
    if outside:
        message = f"start {start} is outside the window; a selection may still keep it there"
        context.report("window.start", message, document, ("start",))


def _check_quarters_in_horizon(
    context: Context,
    document: Document,
    per_period: dict[str, Any],
    path: tuple[str, ...],
    horizon: tuple[int, int] | None,
) -> None:
    if horizon is None:
        return
    for quarter in per_period:
        if not horizon[0] <= quarter_index(quarter) <= horizon[1]:
            context.report(
                "schedule.horizon",
                f"{quarter} is outside the planning horizon",
                document,
                (*path, quarter),
                target="key",
            )


def _check_gate(context: Context, document: Document, stage: dict[str, Any], has_case: bool) -> None:
    data = document.data
    present = {
        "business_case": has_case,
        "duration": "duration" in data or "end" in data,
    }
    missing = [need for need in stage.get("requires", []) if not present.get(need, bool(data.get(need)))]
    if missing:
        wanted = ", ".join(_REQUIREMENTS[need] for need in missing)
        context.report("gate.requirement", f"stage '{stage['id']}' requires {wanted}", document, ("stage",))


def _check_exclusions(context: Context, document: Document) -> None:
    data = document.data
    items = context.ids("Item")
    depends = {entry if isinstance(entry, str) else entry["id"] for entry in data.get("depends_on", [])}
    for position, other in enumerate(data.get("excludes", [])):
        if other in depends:
            context.report(
                "excludes.dependency",
                f"'{other}' is both a dependency and an exclusion",
                document,
                ("excludes", position),
            )
        partner = items.get(other)
        theirs = partner.data.get("excludes", []) if partner is not None and isinstance(partner.data, dict) else None
        if isinstance(theirs, list) and data["id"] not in theirs:
            context.report(
                "excludes.asymmetric",
                f"excludes '{other}', which does not exclude '{data['id']}'",
                document,
                ("excludes", position),
                hint=f"add {data['id']} to the excludes of {other}",
            )


def _check_costs_start(context: Context, document: Document, case: Document | None) -> None:
    """Costs in a fiscal year before the item's start quarter: a slip of the pen, or a plan gone stale."""
    data = document.data
    start = data.get("start")
    if case is None or start is None:
        return
    first = int(start[:4])  # quarters are fiscal quarters: 2027-Q1 is in fiscal year 2027
    for position, row in enumerate(case.data["costs"]):
        if row["year"] < first and (row.get("capex") or row.get("opex")):
            context.report(
                "business-case.before-start",
                f"costs in {row['year']}, before {data['id']} starts in {start}",
                case,
                ("costs", position, "year"),
                hint="move the costs to the years of delivery, or the item's start earlier",
            )


def _check_business_cases(context: Context) -> dict[str, Document]:
    """Each item's business case (the first, where there are two); reports items with two and years listed twice."""
    owners: dict[str, Document] = {}
    for document in context.of_kind("BusinessCase"):
        data = document.data
        item = data["item"]
        if item in owners:
            context.report(
                "business-case.duplicate",
                f"item '{item}' already has a business case in {owners[item].file}",
                document,
                ("item",),
            )
        owners.setdefault(item, document)
        seen: set[int] = set()
        for position, row in enumerate(data["costs"]):
            if row["year"] in seen:  # benefits may list a year per benefit type; costs once
                context.report(
                    "business-case.year",
                    f"costs list {row['year']} more than once",
                    document,
                    ("costs", position, "year"),
                )
            seen.add(row["year"])
    return owners
