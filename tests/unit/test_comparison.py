"""Comparing a portfolio at two revisions: entities, ranks, selection, totals, NPV, findings, headline."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from pfm import load_portfolio, rank
from pfm.errors import UsageError
from pfm.review.comparison import compare, headline, read_side
from pfm.review.entities import Entity, EntityChange, FieldChange, field_changes
from pfm.wording import compact_money, percent_text
from tests.helpers import BASE, CASE_A, CASE_E, EXAMPLE, PORTFOLIO, WriteTree, scored, sides


def test_a_score_raise_a_new_item_and_a_capex_change(write_tree: WriteTree) -> None:
    old, new = sides(
        write_tree,
        {
            "items/c.yaml": scored("c", 5, 2),  # 91.67: climbs above b
            "items/e.yaml": scored("e", 1, 5),  # 0: ranks last
            "business-cases/e-case.yaml": CASE_E,
            "business-cases/a-case.yaml": CASE_A.replace("capex: 100000", "capex: 150000"),
        },
    )
    c = compare(old, new, top=2)

    assert c.added == (
        Entity("Item", "e", "e", "items/e.yaml"),
        Entity("BusinessCase", "e-case", "", "business-cases/e-case.yaml"),
    )
    assert c.removed == ()
    assert c.changed == (
        EntityChange("Item", "c", "c", "items/c.yaml", "items/c.yaml", (FieldChange("scores.value", 3, 5, "changed"),)),
        EntityChange(
            "BusinessCase",
            "a-case",
            "",
            "business-cases/a-case.yaml",
            "business-cases/a-case.yaml",
            (FieldChange("costs[year=2027].capex", 100000, 150000, "changed"),),
        ),
    )
    assert c.ranks is not None
    assert [(m.id, m.old_rank, m.new_rank, m.change) for m in c.ranks.items] == [
        ("a", 1, 1, 0),
        ("c", 3, 2, 1),
        ("b", 2, 3, -1),
        ("d", 4, 4, 0),
        ("e", None, 5, None),
    ]
    assert [m.id for m in c.ranks.movers] == ["c", "b", "e"]
    assert c.ranks.movers[0].old_score == pytest.approx(100 * (2 / 3 * 0.5 + 1 / 3 * 0.75))
    assert c.ranks.movers[0].new_score == pytest.approx(100 * (2 / 3 + 1 / 3 * 0.75))
    assert c.ranks.re_ranked == 2
    assert (c.ranks.entered_top, c.ranks.left_top) == (("c",), ("b",))

    moved = {
        (t.year, t.figure): (t.amounts.old, t.amounts.new, t.amounts.delta, t.amounts.percent) for t in c.moved_totals
    }
    assert moved == {
        (2027, "capex"): (100_000, 150_000, 50_000, 50.0),
        (2028, "capex"): (50_000, 80_000, 30_000, 60.0),
        (2029, "benefits"): (0, 10_000, 10_000, None),
    }
    # No discount rate: NPV is benefits minus costs. Old 200k - 170k; new a 200k - 220k, e 10k - 30k.
    assert c.npv is not None
    assert (c.npv.old, c.npv.new, c.npv.delta) == (30_000, -40_000, -70_000)
    assert (c.findings_introduced, c.findings_fixed, c.notes) == ((), (), ())
    assert c.material
    assert headline(c) == "Capex 2027 +£50k (+50 %); Capex 2028 +£30k (+60 %); 2 items re-ranked; 1 item added"


def test_a_dangling_reference_is_a_new_error_and_stops_the_rank_comparison(write_tree: WriteTree) -> None:
    old, new = sides(write_tree, {"items/b.yaml": scored("b", 4, 2, "depends_on: [zzz]\n")})
    c = compare(old, new)

    assert [(f.rule, f.file, f.path, f.line) for f in c.findings_introduced] == [
        ("ref.unknown", "items/b.yaml", "$.depends_on[0]", 8)
    ]
    assert c.findings_fixed == ()
    assert c.changed == (
        EntityChange(
            "Item", "b", "b", "items/b.yaml", "items/b.yaml", (FieldChange("depends_on", None, ["zzz"], "added"),)
        ),
    )
    assert (c.ranks, c.totals, c.npv) == (None, (), None)
    assert c.notes == ("ranks, totals and NPV not compared: working tree has errors",)
    assert c.material
    assert headline(c) == "1 new error"

    fixed = compare(new, old)
    assert [f.rule for f in fixed.findings_fixed] == ["ref.unknown"]
    assert fixed.notes == ("ranks, totals and NPV not compared: working tree has errors",)
    assert headline(fixed) == "1 error fixed"


def test_findings_are_matched_without_their_lines(write_tree: WriteTree) -> None:
    broken = {**BASE, "items/b.yaml": scored("b", 4, 2, "depends_on: [zzz]\n")}
    edited = "apiVersion: pfm/v1\nkind: Item\nid: b\ndescription: |\n  Two lines\n  of text above the error.\n"
    old, new = sides(
        write_tree,
        {"items/b.yaml": broken["items/b.yaml"].replace("apiVersion: pfm/v1\nkind: Item\nid: b\n", edited)},
        broken,
    )
    c = compare(old, new)

    [before] = old.validation.findings
    [after] = new.validation.findings
    assert after.line == before.line + 3
    assert (c.findings_introduced, c.findings_fixed) == ((), ())
    assert c.notes == ("ranks, totals and NPV not compared: main and working tree have errors",)
    assert not c.material
    assert headline(c) == "No material change"


def test_free_text_edits_alone_are_not_material(write_tree: WriteTree) -> None:
    edited = scored("a", 5, 1, "description: Now with a description.\nowner: Someone else\ntags: [new]\n")
    old, new = sides(write_tree, {"items/a.yaml": edited.replace("title: a", "title: A better title")})
    c = compare(old, new)

    [change] = c.changed
    assert [(f.path, f.change, f.material) for f in change.fields] == [
        ("title", "changed", False),
        ("description", "added", False),
        ("owner", "added", False),
        ("tags", "added", False),
    ]
    assert c.ranks is not None and c.ranks.movers == ()
    assert not c.moved_totals
    assert not c.material
    assert headline(c) == "No material change"


def test_a_moved_file_is_reported_but_is_no_field_change(write_tree: WriteTree) -> None:
    old, new = sides(write_tree, {"items/d.yaml": None, "items/later/d.yaml": BASE["items/d.yaml"]})
    c = compare(old, new)

    assert c.changed == (EntityChange("Item", "d", "d", "items/d.yaml", "items/later/d.yaml", ()),)
    assert c.changed[0].moved
    assert (c.added, c.removed) == ((), ())
    assert not c.material


def test_nested_fields_have_dotted_paths_and_lists_compare_whole() -> None:
    old = {"budget": {"2028": {"capex": 100, "opex": 5}}, "depends_on": ["a", "b"], "gone": 1}
    new = {"budget": {"2028": {"capex": 120, "opex": 5}, "2029": {"capex": 1}}, "depends_on": ["a", "b", "c"]}
    assert list(field_changes(old, new)) == [
        FieldChange("budget.2028.capex", 100, 120, "changed"),
        FieldChange("budget.2029", None, {"capex": 1}, "added"),
        FieldChange("depends_on", ["a", "b"], ["a", "b", "c"], "changed"),
        FieldChange("gone", 1, None, "removed"),
    ]


def test_lists_of_records_compare_record_by_record() -> None:
    old = {"costs": [{"year": 2027, "capex": 9, "note": "licence"}, {"year": 2028, "capex": 4}], "m": [{"x": 1}]}
    new = {"costs": [{"year": 2027, "capex": 29, "note": "licence"}, {"year": 2029, "opex": 1}], "m": [{"x": 2}]}
    changes = list(field_changes(old, new))
    assert changes == [
        FieldChange("costs[year=2027].capex", 9, 29, "changed"),
        FieldChange("costs[year=2029]", None, {"opex": 1}, "added"),
        FieldChange("costs[year=2028]", {"capex": 4}, None, "removed"),
        FieldChange("m", [{"x": 1}], [{"x": 2}], "changed"),  # no field tells the records apart
    ]
    assert all(change.material for change in changes)
    note = FieldChange("costs[year=2027].note", "licence", "licences", "changed")
    assert not note.material


def test_a_budget_change_is_material_though_no_total_moves(write_tree: WriteTree) -> None:
    budget = {**BASE, "portfolio.yaml": PORTFOLIO + "budget:\n  2028: {capex: 100000, opex: 50000}\n"}
    old, new = sides(
        write_tree, {"portfolio.yaml": budget["portfolio.yaml"].replace("capex: 100000", "capex: 120000")}, budget
    )
    c = compare(old, new)

    [change] = c.changed
    assert (change.kind, change.id, change.fields) == (
        "Portfolio",
        "test",
        (FieldChange("budget.2028.capex", 100000, 120000, "changed"),),
    )
    assert not c.moved_totals
    assert c.material
    assert headline(c) == "1 entity changed"


def test_removed_items_and_the_selection(write_tree: WriteTree) -> None:
    old, new = sides(write_tree, {"items/d.yaml": None})
    c = compare(old, new, old_selected=frozenset({"a", "b", "d"}), new_selected=frozenset({"a", "c"}))

    assert c.removed == (Entity("Item", "d", "d", "items/d.yaml"),)
    assert c.selection is not None
    assert (c.selection.entered, c.selection.left) == (("c",), ("b", "d"))
    assert c.ranks is not None
    assert [(m.id, m.old_rank, m.new_rank) for m in c.ranks.movers] == [("d", 4, None)]
    assert c.ranks.re_ranked == 0
    assert headline(c) == "1 item removed; selection: 1 in, 2 out"
    assert compare(old, new, old_selected=frozenset({"a"})).selection is None


def test_ranks_need_a_scoring_model(write_tree: WriteTree) -> None:
    unscored = {**BASE, "portfolio.yaml": PORTFOLIO.split("scoring:")[0]}
    old, new = sides(write_tree, {"items/d.yaml": None}, unscored)
    c = compare(old, new)

    assert c.ranks is None
    assert c.notes == (
        "ranks not compared: the portfolio declares no scoring model (scoring.criteria in portfolio.yaml)",
    )
    assert c.npv is not None and (c.npv.old, c.npv.new) == (30_000, 30_000)
    assert headline(c) == "1 item removed"


def test_an_unknown_method_is_a_usage_error(write_tree: WriteTree) -> None:
    old, new = sides(write_tree, {})
    with pytest.raises(UsageError, match="unknown scoring method 'magic'"):
        compare(old, new, method="magic")


def yearly_totals(folder: Path) -> Counter[tuple[int, str]]:
    """Capex, opex and benefits per year, summed straight from the business-case files."""
    totals: Counter[tuple[int, str]] = Counter()
    for path in (folder / "business-cases").glob("*.yaml"):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        for line in case["costs"]:
            totals[line["year"], "capex"] += line.get("capex", 0)
            totals[line["year"], "opex"] += line.get("opex", 0)
        for line in case.get("benefits", []):
            totals[line["year"], "benefits"] += line["amount"]
    return totals


NEW_ITEM = """\
apiVersion: pfm/v1
kind: Item
id: quantum-pilot
title: Quantum-safe cryptography pilot
type: project
stage: idea
scores:
  strategic-alignment: 3
  financial-value: 2
  customer-impact: 1
  regulatory-compliance: 4
  risk-reduction: 5
  delivery-risk: 4
"""
NEW_CASE = """\
apiVersion: pfm/v1
kind: BusinessCase
id: quantum-pilot-case
item: quantum-pilot
costs:
  - {year: 2027, capex: 250000}
benefits:
  - {year: 2029, amount: 100000, type: risk-reduction}
"""


def test_a_realistic_pull_request_on_the_example_portfolio(tmp_path: Path) -> None:
    old_root, new_root = tmp_path / "main", tmp_path / "branch"
    shutil.copytree(EXAMPLE, old_root)
    shutil.copytree(EXAMPLE, new_root)
    hub = new_root / "items/payments-hub.yaml"
    hub_case = new_root / "business-cases/payments-hub-case.yaml"
    hub.write_text(
        hub.read_text(encoding="utf-8").replace("customer-impact: 2", "customer-impact: 5"), encoding="utf-8"
    )
    hub_case.write_text(
        hub_case.read_text(encoding="utf-8").replace("capex: 900000", "capex: 1900000"), encoding="utf-8"
    )
    (new_root / "items/quantum-pilot.yaml").write_text(NEW_ITEM, encoding="utf-8")
    (new_root / "business-cases/quantum-pilot-case.yaml").write_text(NEW_CASE, encoding="utf-8")

    c = compare(read_side(old_root, "main"), read_side(new_root, "branch"))

    assert [(e.kind, e.id) for e in c.added] == [("Item", "quantum-pilot"), ("BusinessCase", "quantum-pilot-case")]
    assert [(e.kind, e.id) for e in c.changed] == [("Item", "payments-hub"), ("BusinessCase", "payments-hub-case")]
    assert c.changed[0].fields == (FieldChange("scores.customer-impact", 2, 5, "changed"),)
    assert (c.removed, c.findings_introduced, c.findings_fixed) == ((), (), ())

    before = {r.id: r.rank for r in rank(load_portfolio(old_root)).items}
    after = {r.id: r.rank for r in rank(load_portfolio(new_root)).items}
    assert c.ranks is not None
    assert {m.id: (m.old_rank, m.new_rank) for m in c.ranks.items} == {
        ident: (before.get(ident), after.get(ident)) for ident in before.keys() | after.keys()
    }
    assert c.ranks.movers[0].id == "payments-hub"
    assert before["payments-hub"] > 10 >= after["payments-hub"]
    assert "payments-hub" in c.ranks.entered_top

    old_totals, new_totals = yearly_totals(old_root), yearly_totals(new_root)
    deltas = {key: new_totals[key] - old_totals[key] for key in old_totals.keys() | new_totals.keys()}
    assert {(t.year, t.figure): t.amounts.delta for t in c.moved_totals} == {
        key: delta for key, delta in deltas.items() if delta
    }
    assert deltas == {
        **dict.fromkeys(deltas, 0),
        (2027, "capex"): 250_000,
        (2028, "capex"): 1_000_000,
        (2029, "benefits"): 100_000,
    }

    capex_2028 = percent_text(100 * 1_000_000 / old_totals[2028, "capex"])
    capex_2027 = percent_text(100 * 250_000 / old_totals[2027, "capex"])
    # Re-ranked: items whose order among the items ranked on both sides changed (not those merely
    # pushed down one place by the added item).
    common_old = sorted((ident for ident in before if ident in after), key=before.__getitem__)
    common_new = sorted(common_old, key=after.__getitem__)
    re_ranked = sum(1 for place, ident in enumerate(common_old) if common_new[place] != ident)
    assert 0 < re_ranked < sum(1 for ident in before if ident in after and before[ident] != after[ident])
    assert headline(c) == (
        f"Capex 2028 +£1M ({capex_2028}); Capex 2027 +£250k ({capex_2027}); {re_ranked} items re-ranked; 1 item added"
    )
    assert c.material


@pytest.mark.parametrize(
    ("amount", "currency", "signed", "text"),
    [
        (1_200_000, "GBP", False, "£1.2M"),
        (350_000, "GBP", False, "£350k"),
        (-40_000, "GBP", True, "-£40k"),
        (40_000, "GBP", True, "+£40k"),
        (999_950, "EUR", False, "€1M"),
        (12_345_678, "USD", False, "$12.3M"),  # three significant digits
        (12_500_000, "GBP", False, "£12.5M"),  # halves rounded away from zero, never to even
        (17_500_000, "GBP", False, "£17.5M"),
        (1_250_000, "GBP", False, "£1.25M"),
        (1_255_000, "GBP", False, "£1.26M"),
        (999_999, "GBP", False, "£1M"),  # rounded before the unit is chosen: not £1000k
        (-2_125_000, "EUR", False, "-€2.13M"),
        (-17_500_000, "USD", True, "-$17.5M"),
        (-0.4, "GBP", True, "£0"),  # no sign on a zero
        (1_234_567, "JPY", False, "JPY 1.23M"),
        (112_500_000, "GBP", False, "£113M"),
        (2_500_000_000, "USD", False, "$2.5bn"),
        (1_500, "CHF", False, "CHF 1.5k"),
        (950, "CHF", False, "CHF 950"),
        (0, "GBP", True, "£0"),
    ],
)
def test_compact_money(amount: float, currency: str, signed: bool, text: str) -> None:
    assert compact_money(amount, currency, signed=signed) == text


@pytest.mark.parametrize(
    ("amount", "text"), [(112_500_000, "£112.5M"), (7_500_000.000000001, "£7.5M"), (12_500_000, "£12.5M")]
)
def test_compact_money_with_more_digits_writes_round_ticks_exactly(amount: float, text: str) -> None:
    assert compact_money(amount, "GBP", digits=6) == text


@pytest.mark.parametrize(("percent", "text"), [(4.0, "+4 %"), (4.04, "+4 %"), (-12.54, "-12.5 %"), (250, "+250 %")])
def test_percent_text(percent: float, text: str) -> None:
    assert percent_text(percent) == text
