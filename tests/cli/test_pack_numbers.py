"""One set of numbers: every figure of the board pack, as the library builds it, is the figure the command it comes
from prints with -f json for the same portfolio."""

from __future__ import annotations

import itertools
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import pfm
from pfm.defaults import PACK_ROWS
from pfm.io.revisions import provenance
from pfm.reporting.board_pack import render_pack
from pfm.reporting.pack import PACK_DRAWS, Pack, build_pack
from pfm.reporting.pack_schedule import NAMED_IDS
from pfm.reporting.tables import md_text
from pfm.reporting.templating import number
from pfm.selection.explain import CANNOT_ENTER
from tests.helpers import EXAMPLE, build_history, cli_json, example_history, git, planned_item, portfolio_of, run


@pytest.fixture(scope="module")
def pack() -> Pack:
    return pfm.board_pack(pfm.load_portfolio(EXAMPLE))


def test_the_selection_and_its_value_are_pfm_selects(runner: CliRunner, pack: Pack) -> None:
    select = cli_json(runner, "select")
    assert list(pack.selection.selected) == select["selected"]
    assert pack.selection.value == select["value"]
    assert (pack.summary.selected, pack.summary.candidates) == (
        len(select["selected"]),
        len(select["selected"]) + len(select["not_selected"]),
    )
    prices = {e["id"]: (e["reasons"], e["entry_price"]) for e in select["not_selected"]}
    assert [(list(e.reasons), e.entry_price) for e in pack.left_out] == [prices[e.id] for e in pack.left_out]
    used = {
        (int(year), figure): (cell["used"], cell["available"])
        for year, figures in select["budget"].items()
        for figure, cell in figures.items()
    }
    for year in pack.selected_totals:  # the recommended items' spend, per year, is what the selection uses
        for figure in ("capex", "opex"):
            if (year.year, figure) in used:
                assert getattr(year, figure) == pytest.approx(used[year.year, figure][0])


def test_pending_decisions_on_items_pfm_select_leaves_out_are_flagged(runner: CliRunner, pack: Pack) -> None:
    select = cli_json(runner, "select")
    # the constraints that keep each item out, as `pfm decisions` words them (without what pricing found)
    out = {e["id"]: [r for r in e["reasons"] if r != CANNOT_ENTER] for e in select["not_selected"]}
    assert any(CANNOT_ENTER in e["reasons"] for e in select["not_selected"])
    pending = [d for d in pack.portfolio.decisions.values() if d.outcome == "pending"]
    expected = {d.id: [(i, out[i]) for i in d.items if i in out] for d in pending}
    assert {o.decision.id: [(e.id, list(e.reasons)) for e in o.left_out] for o in pack.summary.at_odds} == {
        ident: found for ident, found in expected.items() if found
    }
    assert [o.decision.id for o in pack.summary.at_odds] == ["2026-11-crm-selection", "2026-11-fy2027-envelope"]
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str)
    assert "- Decisions required: **2**, of which **2** ask about items the recommendation leaves out" in md
    envelope = (
        "**Not in the recommended portfolio:** enterprise-data-platform, cloud-migration-wave2, core-ledger-phase2."
    )
    assert envelope in md


def test_ranks_and_scores_are_pfm_ranks(runner: CliRunner, pack: Pack) -> None:
    ranked = cli_json(runner, "rank")["items"]
    assert [(r.rank, r.id, r.score) for r in pack.ranking] == [(e["rank"], e["id"], e["score"]) for e in ranked]


def test_business_cases_and_yearly_totals_are_pfm_finances(runner: CliRunner, pack: Pack) -> None:
    finance = cli_json(runner, "finance")
    cases = {e["id"]: e for e in finance["items"]}
    assert [(m.item, m.npv, m.irr, m.payback_years) for m in pack.cases] == [
        (m.item, cases[m.item]["npv"], cases[m.item]["irr"], cases[m.item]["payback_years"]) for m in pack.cases
    ]
    assert {m.item for m in pack.cases} == set(cases)
    totals = finance["totals"]
    assert [(t.year, t.capex, t.opex, t.benefits) for t in pack.totals] == [
        (int(year), t["capex"], t["opex"], t["benefits"]) for year, t in totals.items()
    ]
    npv = sum(cases[ident]["npv"] for ident in pack.selection.selected if ident in cases)
    assert pack.summary.selected_npv == pytest.approx(npv)


def test_capacity_utilisation_is_pfm_capacitys(runner: CliRunner, pack: Pack) -> None:
    capacity = cli_json(runner, "capacity")
    cells = {(t["id"], p["period"]): p["utilisation"] for t in capacity["teams"] for p in t["periods"]}
    assert {(c.team, c.period): c.utilisation for _, row in pack.committed_load.teams for c in row} == cells
    over: dict[str, list[Any]] = {}
    for cell in capacity["over_allocated"]:
        over.setdefault(cell["team"], []).append(cell)
    assert [(o.team, list(o.quarters)) for o in pack.summary.over_allocated] == [
        (team, [c["period"] for c in found]) for team, found in over.items()
    ]


def test_the_roadmap_is_pfm_roadmap_of_the_selection(runner: CliRunner, pack: Pack) -> None:
    roadmap = cli_json(runner, "roadmap", "--selection")
    assert [(e.id, e.scheduled_start, e.end, e.delay) for e in pack.roadmap.items] == [
        (e["id"], e["scheduled_start"], e["end"], e["delay"]) for e in roadmap["items"]
    ]
    assert [(e.id, e.reason) for e in pack.roadmap.unscheduled] == [
        (e["id"], e["reason"]) for e in roadmap["unscheduled"]
    ]
    assert {e["id"] for e in (*roadmap["items"], *roadmap["unscheduled"])} == set(pack.selection.selected)


def test_the_finish_distributions_are_pfm_roadmap_risk_of_the_selection(runner: CliRunner, pack: Pack) -> None:
    risk = cli_json(runner, "roadmap", "--selection", "--risk", str(PACK_DRAWS))
    assert pack.roadmap_risk is not None
    assert pack.roadmap_risk.to_dict() == risk
    assert any(e["spread"] == "estimate" for e in risk["items"])  # the example's three-point estimates


def test_the_critical_path_is_pfm_deps_path_of_the_selection(runner: CliRunner, pack: Pack) -> None:
    path = cli_json(runner, "deps", "path", "--selection")
    assert ([list(c) for c in pack.graph.critical_paths], pack.graph.duration) == (
        path["critical_paths"],
        path["duration"],
    )


def test_robustness_is_pfm_scenario_compares(runner: CliRunner, pack: Pack) -> None:
    compared = cli_json(runner, "scenario", "compare")
    assert pack.scenarios is not None
    robustness = pack.scenarios.robustness
    counts = [(r["count"], r["of"]) for r in compared["robustness"].values()]
    assert robustness.always == sum(1 for count, of in counts if of and count == of)
    assert robustness.never == sum(1 for count, _ in counts if count == 0)
    assert {ident: list(names) for ident, names in robustness.contested} == {
        ident: r["selected_in"] for ident, r in compared["robustness"].items() if 0 < r["count"] < r["of"]
    }
    statuses = [(o["name"], o["status"], o["conflicts"]) for o in compared["scenarios"]]
    assert [(o.scenario, o.selection.status, list(o.selection.conflicts)) for o in pack.scenarios.outcomes] == statuses


def test_changes_since_a_revision_are_pfm_diffs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    build_history(top)
    git(top, "checkout", "-q", "HEAD~2")  # e added, then c's value raised: an entity added and a field changed
    monkeypatch.chdir(top)
    pack = pfm.board_pack(pfm.load_portfolio(top), since="HEAD~2")
    runner = CliRunner()
    compared = cli_json(runner, "diff", "HEAD~2", root=top)
    assert pack.changes is not None
    totals = [(t.year, t.figure, t.amounts.old, t.amounts.new) for t in pack.changes.totals]
    assert totals == [(t["year"], t["figure"], t["old"], t["new"]) for t in compared["totals"]]
    assert [c.to_dict() for c in pack.changes.changed] == compared["entities"]["changed"]
    markdown = run(runner, "diff", "HEAD~2", "-f", "markdown", root=top).stdout
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str)
    section = md[md.index("## Changes since the last pack") : md.index("## Recommended portfolio")]
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| year |")]
    assert any("scores.value" in row for row in rows)  # the field-level change that pfm diff shows
    missing = [row for row in rows if row not in section]
    assert not missing, missing


def test_the_pack_names_every_critical_chain_it_draws_in_red(pack: Pack) -> None:
    """The example's recommended portfolio has two chains of 11 quarters; the sentence names both, as the
    drawing colours both."""
    markdown = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(markdown, str)
    titles = {ident: pack.portfolio.items[ident].title for chain in pack.graph.critical_paths for ident in chain}
    assert len(pack.graph.critical_paths) == 2
    sentence = next(line for line in markdown.splitlines() if line.startswith("Critical paths"))
    for chain in pack.graph.critical_paths:
        assert " → ".join(titles[ident] for ident in chain) in sentence
    red = {(link.prerequisite, link.dependent) for link in pack.graph.links if link.critical}
    assert red == {(a, b) for chain in pack.graph.critical_paths for a, b in itertools.pairwise(chain)}


def test_delivery_health_is_pfm_kpi_status_spend_and_benefits(runner: CliRunner, pack: Pack) -> None:
    health = pack.health
    assert health is not None
    kpi = cli_json(runner, "kpi")
    assert [(k.id, k.value, k.target, k.met) for k in health.kpis.kpis] == [
        (k["kpi"], k["value"], k["target"], k["met"]) for k in kpi["kpis"]
    ]
    status = cli_json(runner, "status")
    assert [(r.item, r.reported, r.computed, r.reason or None) for r in health.status.items] == [
        (r["item"], r["reported"], r["computed"], r["reason"]) for r in status["items"]
    ]
    assert [r.item for r in health.status.watermelons] == [w["item"] for w in status["watermelons"]]
    assert [line.to_dict() for line in health.spend.lines] == cli_json(runner, "spend")["years"]
    benefits = cli_json(runner, "benefits")
    assert (health.benefits.planned_to_date, health.benefits.realised) == (
        benefits["total"]["planned_to_date"],
        benefits["total"]["realised"],
    )
    assert [b.to_dict() for b in health.benefits.overdue] == benefits["overdue"]
    evm = cli_json(runner, "evm")["portfolio"]
    reached = [point for point in health.curve.points if point.ev is not None][-1]
    assert (reached.ev, reached.ac) == (pytest.approx(evm["ev"]), pytest.approx(evm["ac"]))
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str)
    assert "## Delivery health" in md
    assert "![Delivery S-curve](board-pack-charts/s-curve.svg)" in md


def test_register_views_are_pfm_risks_and_pfm_decisions(runner: CliRunner, pack: Pack) -> None:
    health = pack.health
    assert health is not None
    risks = cli_json(runner, "risks")
    register = health.risks
    assert register.exposure == risks["exposure"] == 135
    assert [e.risk.id for e in register.overdue] == risks["overdue"]
    assert [e.risk.id for e in register.breaches] == risks["breaches"]
    assert [{"programme": p, "exposure": x} for p, x in register.by_programme] == risks["by_programme"]
    decisions = cli_json(runner, "decisions")
    log = health.decisions
    assert [d.id for d in log.pending] == decisions["pending"]
    assert [d.id for d in log.overdue] == decisions["overdue"]
    assert [o.to_dict() for o in log.at_odds] == decisions["at_odds"]
    assert [o.to_dict() for o in log.actions] == decisions["open_actions"]
    assert len(log.overdue_actions) == decisions["overdue_actions"] == 1
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str)
    assert "Live exposure 135 (probability × impact, open and mitigating risks); 10 reviews overdue, 4 of a high" in md
    assert "| core-modernisation | 62 |" in md
    assert "3 open, 1 overdue at 2027-06-30." in md
    assert "| 2027-05-28 (**overdue**) | Design fallback authentication for customers without a smartphone |" in md
    assert "| 2026-11-19 (overdue) | **Select the CRM platform** 2026-11-crm-selection |" in md


def test_each_programmes_s_curve_ends_at_its_pfm_evm_figures(runner: CliRunner, pack: Pack) -> None:
    health = pack.health
    assert health is not None
    programmes = {p["item"]: p for p in cli_json(runner, "evm")["programmes"]}
    assert [ident for ident, _ in health.programmes] == list(programmes)
    for ident, curve in health.programmes:
        reached = [point for point in curve.points if point.ev is not None][-1]
        assert (reached.ev, reached.ac) == (
            pytest.approx(programmes[ident]["ev"]),
            pytest.approx(programmes[ident]["ac"]),
        )
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert "![Delivery S-curve by programme](board-pack-charts/s-curve-programmes.svg)" in str(md)


def test_kpi_tiles_trend_over_git_and_skip_it_outside(tmp_path: Path) -> None:
    (tmp_path / "history").mkdir()
    folder = example_history(tmp_path / "history")
    (folder / "items/broken.yaml").unlink()  # its last commit is broken: the pack is of the files as they are now
    history = pfm.kpi_history(folder)
    pack = pfm.board_pack(pfm.load_portfolio(folder))
    assert pack.health is not None and pack.health.trends is not None
    assert pack.health.trends["risk_exposure"] == tuple((p.values or {}).get("risk_exposure") for p in history.points)
    html = render_pack(pack, formats=["html"]).files["board-pack.html"]
    assert str(html).count('<svg class="sparkline"') == 5
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLE, plain)  # not in a git repository: the tiles have no trend, and no error
    outside = pfm.board_pack(pfm.load_portfolio(plain))
    assert outside.health is not None and outside.health.trends is None
    html = render_pack(outside, formats=["html"]).files["board-pack.html"]
    assert "sparkline" not in str(html) and "pfm kpi --history" not in str(html)


def test_without_a_status_date_the_pack_has_no_delivery_health() -> None:
    portfolio = portfolio_of(planned_item("a"))
    assert portfolio.as_of is None
    pack = build_pack(portfolio, None, provenance(portfolio.root))
    assert pack.health is None
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str) and "Delivery health" not in md


def test_if_starts_may_move_is_pfm_select_schedule(runner: CliRunner, pack: Pack) -> None:
    scheduled = cli_json(runner, "select", "--schedule")  # --may-shift from the portfolio's selection.may_shift
    assert pack.portfolio.may_shift == 2 and pack.schedule is not None
    assert (pack.schedule.scheduled.value, pack.schedule.fixed.value, pack.schedule.gain) == (
        scheduled["scheduled"]["value"],
        scheduled["fixed_dates"]["value"],
        scheduled["gain"],
    )
    assert (pack.schedule.scheduled.gap, pack.schedule.fixed.gap) == (
        scheduled["scheduled"]["gap"],
        scheduled["fixed_dates"]["gap"],
    )
    moved = [(p["id"], p["stated_start"], p["start"], p["reason"]) for p in scheduled["items"] if p["moved"]]
    assert moved and [(p.id, p.stated, p.start, p.reason) for p in pack.schedule.moved] == moved
    assert (list(pack.schedule.gained), list(pack.schedule.dropped)) == (scheduled["gained"], scheduled["dropped"])
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str) and "## If starts may move" in md
    assert f"Moving starts gains **{scheduled['gain']:,.2f}** of value" in md
    for ident, stated, start, reason in moved:
        assert f"| {ident} | {pack.portfolio.items[ident].title} | {stated} | {start} |" in md
        assert f"| {reason} |" in md
    assert "![Starts moved by the optimiser]" in md
    nothing_moves = cli_json(runner, "select", "--schedule", "--may-shift", "0")  # the example has no windows
    assert not [p for p in nothing_moves["items"] if p["moved"]]


def test_a_portfolio_that_does_not_ask_has_no_page_on_moving_starts() -> None:
    portfolio = portfolio_of(planned_item("a"))
    assert portfolio.may_shift is None
    pack = build_pack(portfolio, None, provenance(portfolio.root))
    assert pack.schedule is None
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str) and "If starts may move" not in md


def test_entry_prices_are_pfm_selects_figure_or_interval(runner: CliRunner, pack: Pack) -> None:
    select = {e["id"]: e for e in cli_json(runner, "select")["not_selected"]}
    md = render_pack(pack, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str) and pack.left_out
    for e in pack.left_out:
        price = select[e.id]
        assert (e.entry_price, e.price_low, e.price_high, e.price_proven) == (
            price["entry_price"],
            price["entry_price_low"],
            price["entry_price_high"],
            price["entry_price_proven"],
        )
        if price["entry_price_proven"] or price["entry_price_low"] is None:
            cell = number(price["entry_price"])
        else:
            high = price["entry_price_high"]
            cell = f"[{price['entry_price_low']:,.2f}, {'?' if high is None else f'{high:,.2f}'}]"
        assert f"| {md_text('; '.join(price['reasons']))} | {md_text(cell)} |" in md


def test_a_long_list_of_moves_is_cut_to_its_first_rows_and_names(pack: Pack) -> None:
    assert pack.schedule is not None
    first = pack.schedule.moved[0]
    many = tuple(replace(first, id=f"{first.id}-{n}") for n in range(PACK_ROWS + 5))
    long = replace(pack, schedule=replace(pack.schedule, items=many, gained=tuple(p.id for p in many)))
    md = render_pack(long, formats=["md"]).files["board-pack.md"]
    assert isinstance(md, str)
    assert "_5 more rows not shown: pfm select --schedule lists them all._" in md
    assert md.count(f"| {first.id}-") == PACK_ROWS
    assert f"{PACK_ROWS + 5} more are funded" in md and f"and {PACK_ROWS + 5 - NAMED_IDS} more)" in md
