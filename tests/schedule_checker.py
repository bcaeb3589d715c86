"""An independent check of a scheduled selection, written from the file format (docs/format.md, docs/methods.md).

It reads the portfolio's YAML files itself and the `pfm select --schedule` JSON, and shares no code with
the model: quarters are counted here, costs are moved quarter by quarter (a year's amount a quarter in each
of its four quarters, shifted, then summed per year again), and every constraint is re-checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TOLERANCE = 1e-6  # relative, as the solver's feasibility tolerance
OPEN = ("proposed", "approved", "active")  # the states of work that can be funded


def _q(label: str) -> int:
    year, quarter = str(label).split("-Q")
    return int(year) * 4 + int(quarter) - 1


def _documents(root: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in sorted(root.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and "kind" in doc:
                found[doc["kind"]].append(doc)
    return found


@dataclass
class _Files:
    """What the checks read of the portfolio's files, and the answer's starts (quarter indexes)."""

    portfolio: dict[str, Any]
    states: dict[str, str]
    items: dict[str, dict[str, Any]]
    docs: dict[str, list[dict[str, Any]]]
    starts: dict[str, int]

    @property
    def horizon(self) -> tuple[int, int]:
        return _q(self.portfolio["periods"]["first"]), _q(self.portfolio["periods"]["last"])

    def stated(self, ident: str) -> int | None:
        return _q(self.items[ident]["start"]) if "start" in self.items[ident] else None


def _duration(doc: dict[str, Any]) -> int:
    if "duration" in doc:
        return int(doc["duration"])
    if "end" in doc and "start" in doc:
        return _q(doc["end"]) - _q(doc["start"]) + 1
    return 1


def check_schedule(root: Path, answer: dict[str, Any], may_shift: int = 0) -> list[str]:
    """Every constraint the answer (the JSON of `pfm select --schedule`) breaks, in words; [] when none."""
    docs = _documents(root)
    portfolio = docs["Portfolio"][0]
    files = _Files(
        portfolio,
        {stage["id"]: stage["state"] for stage in portfolio["stages"]},
        {doc["id"]: doc for doc in docs["Item"]},
        docs,
        {entry["id"]: _q(entry["start"]) for entry in answer["items"]},
    )
    return [
        *_starts(files, may_shift),
        *_commitments(files),
        *_dependencies(files),
        *_capacity(files),
        *_budget(files),
    ]


def _starts(files: _Files, may_shift: int) -> list[str]:
    """Funded items are open projects or initiatives, started where they may be: as written, or within the
    window (the horizon for an undated item, the start +- may_shift for a dated one without a window),
    finishing within the horizon; active items as written."""
    problems = []
    first, last = files.horizon
    for ident, start in files.starts.items():
        doc = files.items[ident]
        state = files.states[doc["stage"]]
        if state not in OPEN or doc["type"] == "programme":
            problems.append(f"{ident} is {state} or a programme and cannot be funded")
        stated = files.stated(ident)
        if start == stated:
            continue
        if state == "active":
            problems.append(f"{ident} is active but moved from its start")
        window = doc.get("window")
        if window is not None:
            low = _q(window["earliest"]) if "earliest" in window else first
            high = _q(window["latest"]) if "latest" in window else last
        elif stated is not None:
            low, high = stated - may_shift, stated + may_shift
        else:
            low, high = first, last
        if not (max(low, first) <= start <= high and start + _duration(doc) - 1 <= last):
            problems.append(f"{ident} starts in quarter {start}, outside what it may take")
    return problems


def _commitments(files: _Files) -> list[str]:
    problems = []
    for ident, doc in files.items.items():
        state = files.states[doc["stage"]]
        committed = state in ("approved", "active") or (doc.get("mandatory") and state == "proposed")
        if committed and doc["type"] != "programme" and ident not in files.starts:
            problems.append(f"{ident} is committed but not selected")
        problems += [
            f"{ident} and {other} exclude each other but both are selected"
            for other in doc.get("excludes", ())
            if ident in files.starts and other in files.starts
        ]
    return problems


def _members(files: _Files, ident: str) -> list[str]:
    below = [i for i, d in files.items.items() if d.get("parent") == ident]
    return [m for b in below for m in ([b] if files.items[b]["type"] != "programme" else _members(files, b))]


def _dependencies(files: _Files) -> list[str]:
    """Each dependency of a funded item holds in time (its four types, with lag), on items and programmes;
    a pair at its written dates stands as written."""
    problems = []
    for ident, mine in files.starts.items():
        for entry in files.items[ident].get("depends_on", ()):
            dep = {"id": entry} if isinstance(entry, str) else entry
            target = files.items.get(dep["id"])
            if target is None:
                continue
            needed = [dep["id"]]
            if target["type"] == "programme":  # its open items; with none, met unless it was cancelled
                needed = [m for m in _members(files, dep["id"]) if files.states[files.items[m]["stage"]] in OPEN]
                if not needed and files.states[target["stage"]] == "cancelled":
                    problems.append(f"{ident} is selected but depends on the cancelled programme {dep['id']}")
            for need in needed:
                if files.states[files.items[need]["stage"]] == "closed":
                    continue
                if need not in files.starts:
                    problems.append(f"{ident} is selected without its prerequisite {need}")
                    continue
                theirs = files.starts[need]
                length, own = _duration(files.items[need]), _duration(files.items[ident])
                earliest = {
                    "finish-to-start": theirs + length,
                    "start-to-start": theirs,
                    "finish-to-finish": theirs + length - own,
                    "start-to-finish": theirs - own,
                }[dep.get("type", "finish-to-start")] + int(dep.get("lag", 0))
                as_written = mine == files.stated(ident) and theirs == files.stated(need)
                if mine < earliest and not as_written:
                    problems.append(f"{ident} starts in {mine}, before {need} allows ({earliest})")
    return problems


def _capacity(files: _Files) -> list[str]:
    """Each team's capacity in each quarter of the horizon holds the effort of the funded items there."""
    first, last = files.horizon
    capacity = {doc["id"]: doc.get("capacity", 0) for doc in files.docs.get("Team", [])}
    load: dict[tuple[str, int], float] = defaultdict(float)
    for ident, start in files.starts.items():
        doc = files.items[ident]
        for team, demand in (doc.get("demand") or {}).items():
            if team not in capacity:
                continue
            if isinstance(demand, dict):
                anchor = files.stated(ident)
                anchor = min(_q(q) for q in demand) if anchor is None else anchor
                for quarter, amount in demand.items():
                    load[team, _q(quarter) - anchor + start] += float(amount)
            else:
                for k in range(_duration(doc)):
                    load[team, start + k] += float(demand)
    problems = []
    for (team, quarter), used in load.items():
        label = f"{quarter // 4}-Q{quarter % 4 + 1}"
        declared = capacity[team]
        limit = float(declared.get(label, 0.0) if isinstance(declared, dict) else declared)
        if first <= quarter <= last and used > limit + TOLERANCE * max(limit, 1.0):
            problems.append(f"team {team} in {label}: {used:g} against {limit:g}")
    return problems


def _budget(files: _Files) -> list[str]:
    """Each year's budget figures hold the funded items' costs, moved with the start a quarter at a time."""
    spend: dict[tuple[int, str], float] = defaultdict(float)
    for case in files.docs.get("BusinessCase", []):
        ident = case["item"]
        if ident not in files.starts:
            continue
        stated = files.stated(ident)
        moved = files.starts[ident] - stated if stated is not None else 0
        for line in case.get("costs", ()):
            for figure in ("capex", "opex"):
                amount = float(line.get(figure, 0) or 0)
                for quarter in range(int(line["year"]) * 4, int(line["year"]) * 4 + 4):
                    spend[(quarter + moved) // 4, figure] += amount / 4
                    spend[(quarter + moved) // 4, "total"] += amount / 4
    problems = []
    for year, budget in (files.portfolio.get("budget") or {}).items():
        for figure in ("capex", "opex", "total"):
            if budget.get(figure) is not None:
                limit, used = float(budget[figure]), spend[int(year), figure]
                if used > limit + TOLERANCE * max(limit, 1.0):
                    problems.append(f"budget {year} {figure}: {used:,.0f} against {limit:,.0f}")
    return problems
