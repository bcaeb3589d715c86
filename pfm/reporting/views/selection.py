"""`pfm select` and `pfm frontier` as tables: the items chosen and why the others are out, the budget and
capacity used, and the best value at each budget level."""

from __future__ import annotations

from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table, some_of
from pfm.selection.explain import Selection
from pfm.selection.feasibility import BudgetLimit
from pfm.selection.frontier import Frontier
from pfm.wording import counted


def selection_table(selection: Selection) -> Table:
    """The selection's items, then the budget and the capacity it uses; remarks on the optimum, the mandates
    and the entry prices. When nothing fits, what cannot hold together instead (`nothing_fits`)."""
    if selection.status == "infeasible":
        return nothing_fits(selection)
    prices = {e.id: e.price_cell for e in selection.not_selected}
    rows: list[list[Cell]] = [
        [r["id"], r["title"], "selected" if r["selected"] else "left out", r["reasons"], prices.get(r["id"])]
        for r in selection.records()
    ]
    remarks = []
    if selection.optimum is not None:
        short = selection.optimum - selection.value
        remarks.append(
            f"the greedy selection is {short:,.2f} ({selection.below_optimum:.1%}) below the optimum of "
            f"{selection.optimum:,.2f}"
        )
    if selection.mandate_note:
        remarks.append(selection.mandate_note)
    if selection.unsolved:
        remarks.append(f"{selection.unsolved}: no candidate is selected")
    if selection.partly_priced:
        remarks.append(
            f"entry prices for the {selection.entry_prices} most valuable of {counted(len(selection.not_selected), 'item')}"
            " left out (--entry-prices all)"
        )
    if any(not e.price_proven for e in selection.not_selected):
        remarks.append(
            "an entry price in brackets is not proven within the time limit: the true price lies in that interval "
            "(? where no selection with the item was found in time; --time-limit)"
        )
    budget = Table(
        f"Budget used ({selection.currency})",
        ["year", "figure", "used", "available", "headroom"],
        [
            [year, kind, used, available, available - used]
            for year, figures in selection.budget.items()
            for kind, (used, available) in figures.items()
        ],
        {},
        [Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY, Kind.MONEY],
    )
    quarters = sorted({quarter for cells in selection.capacity.values() for quarter in cells})
    capacity = Table(
        "Capacity used (used / available, per quarter)",
        ["team", *quarters],
        [
            [team, *(_share(cells.get(quarter)) for quarter in quarters)]
            for team, cells in sorted(selection.capacity.items())
        ],
        {},
        [Kind.TEXT] * (1 + len(quarters)),
    )
    return Table(
        _title(selection),
        ["id", "title", "", "why left out", "entry price"],
        rows,
        selection.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.NUMBER],
        [*selection.conflicts, *_uncosted(selection)],
        ([budget, capacity] if quarters else [budget]) if selection.found else [],
        remarks,
        selection.findings,
    )


def _uncosted(selection: Selection) -> list[str]:
    """A warning when the selection funds items whose cost nobody has stated."""
    if not selection.uncosted:
        return []
    return [
        f"{counted(len(selection.uncosted), 'selected item')} {'has' if len(selection.uncosted) == 1 else 'have'} "
        f"no business case, so the budget counts {'it' if len(selection.uncosted) == 1 else 'them'} as costing "
        f"nothing: {', '.join(selection.uncosted)} (pfm new business-case ID-case)"
    ]


def _share(cell: tuple[float, float] | None) -> str:
    return "" if cell is None else f"{cell[0]:g} / {cell[1]:g}"


def _title(selection: Selection) -> str:
    status: str = selection.status
    if status in ("optimal", "time-limit") and selection.gap:
        status = f"within {selection.gap:.2%} of the best possible"
    if selection.status == "time-limit":
        status = "stopped at the time limit" + (f", {status}" if selection.gap else "")
    count = counted(len(selection.selected), "item")
    return f"Selection ({status}, {selection.objective}): {count}, value {selection.value:,.2f}"


def nothing_fits(selection: Selection) -> Table:
    """When nothing fits: the limits the commitments overrun and by how much, first; said once for every
    candidate; the minimal conflicting set when no single limit is overrun (then it takes a combination)."""
    left = counted(len(selection.not_selected), "candidate")
    shortfalls = selection.shortfalls
    if not shortfalls:
        return Table(
            f"Nothing fits ({selection.objective}): these cannot hold together",
            ["commitment or limit"],
            [[conflict] for conflict in selection.conflicts],
            selection.to_dict(),
            remarks=[f"none of the {left} can be selected until one of these gives"],
            findings=selection.findings,
        )
    committed = sorted({ident for s in shortfalls for ident in s.items})
    money = all(isinstance(s.limit, BudgetLimit) for s in shortfalls)
    unit = f", {selection.currency}" if money else ""
    return Table(
        f"Nothing fits ({selection.objective}{unit}): {counted(len(shortfalls), 'limit')} overrun",
        ["limit", "committed", "available", "short by"],
        [[s.limit.label, s.committed, s.available, s.short] for s in shortfalls],
        selection.to_dict(),
        [Kind.TEXT, *[Kind.MONEY if money else Kind.NUMBER] * 3],
        remarks=[
            f"committed (mandatory, forced in or in flight, with what they depend on): {some_of(committed)}",
            f"none of the {left} can be selected until the commitments fit: a larger budget (--budget-scale) or "
            "capacity, or fewer commitments (--release-in-flight)",
        ],
        findings=selection.findings,
    )


def frontier_table(curve: Frontier) -> Table:
    """The best value at each budget level, then the declared budget's selection and the committed items."""
    rows: list[list[Cell]] = [
        [r["point"], r["budget_scale"], r["budget"], r["cost"], r["value"], r["items"]] for r in curve.records()
    ]
    notes = []
    if curve.fits_from is None:
        notes.append("the mandatory and in-flight items do not fit at any budget level (capacity?); see pfm select")
    elif any(point.value is None for point in curve.points):
        notes.append(f"below {curve.fits_from:.0%} of the budget the mandatory and in-flight items alone do not fit")
    return Table(
        f"Efficient frontier ({curve.objective}, {curve.currency})",
        ["", "budget scale", "budget", "spent", "best value", "items"],
        rows,
        curve.to_dict(),
        [Kind.TEXT, Kind.PERCENT, Kind.MONEY, Kind.MONEY, Kind.NUMBER, Kind.WHOLE],
        notes,
        findings=curve.findings,
    )
