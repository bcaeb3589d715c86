"""The roadmap: serial scheduling under dependencies and capacity, and its gantt charts."""

from __future__ import annotations

import random

from pfm import load_portfolio
from pfm.analysis.roadmap import Planned, Roadmap, plan_roadmap
from pfm.periods import quarter_index
from pfm.reporting.gantt import mermaid_gantt, mermaid_label, text_gantt
from pfm.reporting.views.roadmap import roadmap_table
from tests.helpers import EXAMPLE, planned_item, portfolio_of, team


def by_id(roadmap: Roadmap) -> dict[str, Planned]:
    return {entry.id: entry for entry in (*roadmap.items, *roadmap.unscheduled)}


def test_a_prerequisite_delays_its_dependent_even_when_the_dependent_ranks_higher() -> None:
    portfolio = portfolio_of(
        team("app", "10"),
        planned_item("platform", "idea", start="2027-Q1", duration="2", demand="{app: 1}"),
        planned_item("app", "idea", start="2027-Q1", duration="1", demand="{app: 1}", depends_on="[platform]"),
        planned_item("lagged", "idea", start="2027-Q1", duration="1", depends_on="[{id: platform, lag: 1}]"),
        planned_item(
            "alongside", "idea", start="2027-Q1", duration="1", depends_on="[{id: platform, type: start-to-start}]"
        ),
    )
    roadmap = plan_roadmap(portfolio, order=["app", "lagged", "alongside", "platform"])
    planned = by_id(roadmap)
    assert planned["app"] == Planned(
        "app", "2027-Q1", "2027-Q3", "2027-Q3", 2, "waits for platform (ends 2027-Q2)", False
    )
    assert (planned["lagged"].scheduled_start, planned["lagged"].reason) == (
        "2027-Q4",
        "waits for platform (ends 2027-Q2, lag 1)",
    )
    assert (planned["alongside"].scheduled_start, planned["alongside"].reason) == ("2027-Q1", "")
    assert [e.id for e in roadmap.items] == ["alongside", "platform", "app", "lagged"]  # by start, then priority


def test_finish_to_finish_bounds_the_end() -> None:
    portfolio = portfolio_of(
        planned_item("build", "idea", start="2027-Q1", duration="3"),
        planned_item("docs", "idea", start="2027-Q1", duration="1", depends_on="[{id: build, type: finish-to-finish}]"),
    )
    docs = by_id(plan_roadmap(portfolio, order=["build", "docs"]))["docs"]
    assert (docs.scheduled_start, docs.end, docs.reason) == (
        "2027-Q3",
        "2027-Q3",
        "must end no earlier than build (ends 2027-Q3)",
    )


def test_capacity_delays_an_item_and_says_which_team_when_and_how_much() -> None:
    portfolio = portfolio_of(
        team("security", "3.5"),
        planned_item("first", "idea", start="2027-Q1", duration="2", demand="{security: 2}"),
        planned_item("second", "idea", start="2027-Q2", duration="1", demand="{security: 2}"),
    )
    # first takes 2 of 3.5 in Q1 and Q2, so second finds 1.5 free in Q2 and moves to Q3.
    second = by_id(plan_roadmap(portfolio, order=["first", "second"]))["second"]
    assert (second.scheduled_start, second.delay) == ("2027-Q3", 1)
    assert second.reason == "security has 1.5 FTE free in 2027-Q2, needs 2"


def test_the_requested_start_is_respected_and_no_request_means_as_soon_as_possible() -> None:
    portfolio = portfolio_of(
        team("app", "10"),
        planned_item("later", "idea", start="2027-Q3", duration="1", demand="{app: 1}"),
        planned_item("whenever", "idea", demand="{app: 1}"),  # no start, no duration: one quarter from the first
    )
    planned = by_id(plan_roadmap(portfolio, order=["later", "whenever"]))
    assert planned["later"] == Planned("later", "2027-Q3", "2027-Q3", "2027-Q3", 0, "", False)
    assert planned["whenever"] == Planned("whenever", None, "2027-Q1", "2027-Q1", 0, "", False)


def test_the_default_priority_is_the_ranking_or_the_id_without_a_scoring_model() -> None:
    documents = [
        team("app", "1"),
        planned_item("a", "idea", start="2027-Q1", duration="1", demand="{app: 1}", scores="{value: 1}"),
        planned_item("b", "idea", start="2027-Q1", duration="1", demand="{app: 1}", scores="{value: 5}"),
    ]
    ranked = plan_roadmap(portfolio_of(*documents))
    assert [(e.id, e.scheduled_start) for e in ranked.items] == [("b", "2027-Q1"), ("a", "2027-Q2")]
    unscored = plan_roadmap(portfolio_of(*documents, scoring=False))
    assert [(e.id, e.scheduled_start) for e in unscored.items] == [("a", "2027-Q1"), ("b", "2027-Q2")]


def test_an_in_flight_item_stays_put_even_when_it_overloads_a_team() -> None:
    portfolio = portfolio_of(
        team("app", "4"),
        planned_item("running", "delivery", start="2027-Q1", duration="2", demand="{app: 5}"),
        planned_item("new", "idea", start="2027-Q1", duration="1", demand="{app: 1}"),
    )
    planned = by_id(plan_roadmap(portfolio, order=["new", "running"]))
    assert planned["running"] == Planned("running", "2027-Q1", "2027-Q1", "2027-Q2", 0, "", True)
    assert (planned["new"].scheduled_start, planned["new"].reason) == (
        "2027-Q3",
        "app has 0 FTE free in 2027-Q1, needs 1",
    )


def test_a_per_quarter_mapping_moves_with_the_start() -> None:
    portfolio = portfolio_of(
        team("app", "3"),
        planned_item("running", "delivery", start="2027-Q1", duration="1", demand="{app: 1}"),
        planned_item("shaped", "idea", start="2027-Q1", duration="2", demand="{app: {2027-Q1: 3, 2027-Q2: 1}}"),
        planned_item("small", "idea", start="2027-Q3", duration="1", demand="{app: 2.5}"),
    )
    planned = by_id(plan_roadmap(portfolio, order=["shaped", "small"]))
    # shaped needs 3 in its first quarter: not in Q1 (2 free), so Q2-Q3, asking 3 then 1;
    # the 1 lands in Q3, where small then finds 2 free and moves to Q4.
    assert (planned["shaped"].scheduled_start, planned["shaped"].end) == ("2027-Q2", "2027-Q3")
    assert planned["small"].reason == "app has 2 FTE free in 2027-Q3, needs 2.5"
    assert planned["small"].scheduled_start == "2027-Q4"


def test_what_cannot_fit_is_unscheduled_and_so_is_what_waits_for_it() -> None:
    portfolio = portfolio_of(
        team("app", "4"),
        planned_item("huge", "idea", start="2027-Q1", duration="1", demand="{app: 5}"),
        planned_item("after", "idea", duration="1", depends_on="[huge]"),
        planned_item("long", "idea", start="2027-Q3", duration="3"),
        planned_item("fine", "idea", start="2027-Q1", duration="1", depends_on="[closed, stopped]"),
        planned_item("closed", "done", start="2027-Q1", duration="4"),
        planned_item("stopped", "stopped"),
    )
    roadmap = plan_roadmap(portfolio, order=["huge", "after", "long", "fine"])
    assert [(e.id, e.reason) for e in roadmap.unscheduled] == [
        ("huge", "no room before the end of the horizon (app has 4 FTE free in 2027-Q1, needs 5)"),
        ("after", "waits for huge, which does not fit"),
        ("long", "no room before the end of the horizon"),
    ]
    assert all(e.scheduled_start is None and e.end is None and e.delay is None for e in roadmap.unscheduled)
    assert [(e.id, e.scheduled_start) for e in roadmap.items] == [("fine", "2027-Q1")]  # closed items impose nothing
    table = roadmap_table(roadmap)
    assert table.title == "Roadmap: 1 item placed, 0 later than requested, 3 do not fit"
    assert [row[4] for row in table.rows] == [0, None, None, None]  # no delay where there is no start


def test_a_selection_is_placed_alone_whatever_the_state_of_the_others() -> None:
    portfolio = portfolio_of(
        team("app", "1"),
        planned_item("first", "idea", start="2027-Q1", duration="1", demand="{app: 1}"),
        planned_item("chosen", "idea", start="2027-Q1", duration="1", demand="{app: 1}", depends_on="[first]"),
        planned_item("running", "delivery", start="2027-Q1", duration="1", demand="{app: 1}"),
    )
    everything = by_id(plan_roadmap(portfolio, order=["first", "chosen"]))
    assert everything["chosen"].scheduled_start == "2027-Q3"  # after first, which waits for the running item
    alone = plan_roadmap(portfolio, order=["first", "chosen"], selection=["chosen"])
    assert [(e.id, e.scheduled_start, e.delay) for e in alone.items] == [("chosen", "2027-Q1", 0)]
    assert roadmap_table(alone).title == "Roadmap: 1 item placed, 0 later than requested, 0 do not fit"
    three = by_id(plan_roadmap(portfolio, selection=["first", "running", "chosen"], order=["chosen", "first"]))
    assert three["running"].fixed and three["chosen"].scheduled_start == "2027-Q3"


def test_a_dependency_cycle_leaves_its_items_unscheduled() -> None:
    portfolio = portfolio_of(
        planned_item("a", "idea", depends_on="[b]"),
        planned_item("b", "idea", depends_on="[a]"),
    )
    roadmap = plan_roadmap(portfolio, order=["a", "b"])
    assert roadmap.items == ()
    assert [(e.id, e.reason) for e in roadmap.unscheduled] == [
        ("a", "waits for b, caught in a dependency cycle"),
        ("b", "waits for a, caught in a dependency cycle"),
    ]


def test_the_schedule_is_deterministic_whatever_the_file_order() -> None:
    documents = [
        team("app", "3"),
        *(
            planned_item(
                f"i{n}", "idea", start=f"2027-Q{n % 4 + 1}", duration=str(n % 3 + 1), demand=f"{{app: {n % 3 + 1}}}"
            )
            for n in range(12)
        ),
    ]
    first = plan_roadmap(portfolio_of(*documents, last="2029-Q4"))
    for seed in range(3):
        random.Random(seed).shuffle(documents)
        assert plan_roadmap(portfolio_of(*documents, last="2029-Q4")) == first
    assert len(first.items) + len(first.unscheduled) == 12


def test_mermaid_gantt_escapes_hostile_titles_and_groups_by_programme() -> None:
    portfolio = portfolio_of(
        "apiVersion: pfm/v1\nkind: Item\nid: prog\ntitle: 'Big: programme'\ntype: programme\nstage: delivery\n",
        planned_item("evil", "idea", start="2027-Q2", duration="2", parent="prog").replace(
            "title: evil", "title: 'A: B # C; D'"
        ),
        planned_item("loner", "delivery", start="2027-Q1", duration="1").replace("title: loner", "title: section x"),
    )
    chart = mermaid_gantt(portfolio, plan_roadmap(portfolio))
    assert chart.splitlines() == [
        "gantt",
        "    title Test portfolio",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m",
        "    section Big#58; programme",
        "    A#58; B #35; C#59; D :evil, 2027-04-01, 2027-10-01",
        "    section Standalone",
        "    #115;ection x :active, loner, 2027-01-01, 2027-04-01",
    ]
    assert mermaid_label('say "hi" (now) %% `x`\nnext') == "say #34;hi#34; #40;now#41; #37;#37; #96;x#96; next"


def test_text_gantt_shows_the_delay_and_the_scheduled_quarters() -> None:
    portfolio = portfolio_of(
        team("app", "2"),
        planned_item("first", "idea", start="2027-Q1", duration="2", demand="{app: 2}"),
        planned_item("second", "idea", start="2027-Q2", duration="1", demand="{app: 1}"),
    )
    assert text_gantt(portfolio, plan_roadmap(portfolio, order=["first", "second"])) == [
        ("first", "██··"),
        ("second", "·░█·"),
    ]


def test_the_example_roadmap_delays_work_for_stated_reasons_and_keeps_the_rules() -> None:
    portfolio = load_portfolio(EXAMPLE)
    roadmap = plan_roadmap(portfolio)
    planned = by_id(roadmap)
    assert "cloud-landing-zone" not in planned  # closed
    assert "core-modernisation" not in planned  # a programme
    assert planned["identity-sso-mfa"].fixed and planned["identity-sso-mfa"].scheduled_start == "2027-Q1"
    delayed = [e for e in roadmap.items if e.delay > 0]
    assert delayed and all(e.reason for e in delayed)
    for entry in roadmap.items:
        start = quarter_index(entry.scheduled_start or "")
        assert entry.requested_start is None or start >= quarter_index(entry.requested_start)
        for dependency in portfolio.items[entry.id].depends_on:
            prerequisite = planned.get(dependency.id)
            if prerequisite is not None and not entry.fixed and dependency.type == "finish-to-start":
                assert prerequisite.end is not None and start > quarter_index(prerequisite.end)
    assert all(e.reason for e in roadmap.unscheduled)
    assert mermaid_gantt(portfolio, roadmap) == mermaid_gantt(portfolio, plan_roadmap(portfolio))


def test_only_the_higher_ranked_of_two_alternatives_is_planned() -> None:
    portfolio = portfolio_of(
        team("t", "10"),
        planned_item("buy", start="2027-Q1", duration="2", demand="{t: 2}", excludes="[build]"),
        planned_item("build", start="2027-Q1", duration="2", demand="{t: 2}", excludes="[buy]"),
    )
    roadmap = plan_roadmap(portfolio, order=["build", "buy"])
    assert [p.id for p in roadmap.items] == ["build"]
    assert [(p.id, p.reason) for p in roadmap.unscheduled] == [("buy", "the alternative build is planned instead")]
