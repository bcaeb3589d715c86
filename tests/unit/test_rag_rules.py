"""RAG rules: strict thresholds, the worst rule wins (the first written on a tie), no figure fires no rule,
and the schema's vocabulary is the library's."""

from __future__ import annotations

from pfm.analysis.rag import DEFAULT_RULES, METRICS, Measure, hits, rag_of
from pfm.records import RagRule
from pfm.resources import load_schema


def test_the_worst_rule_wins_and_a_tie_goes_to_the_first_written() -> None:
    rules = (
        RagRule("spi", "amber", below=0.9, reason="first"),
        RagRule("cpi", "amber", below=0.9, reason="second"),
        RagRule("cpi", "red", below=0.8),
    )
    found = hits(rules, {"cpi": Measure(0.85), "spi": Measure(0.5)})
    assert [hit.rule.reason for hit in found] == ["first", "second"]
    assert rag_of(found) == "amber"
    assert found[0].text == "SPI 0.50 < 0.90"
    assert rag_of(hits(rules, {"cpi": Measure(0.79), "spi": None})) == "red"


def test_thresholds_are_strict_and_a_missing_figure_fires_nothing() -> None:
    rule = (RagRule("milestone_slip_quarters", "red", above=1),)
    assert rag_of(hits(rule, {"milestone_slip_quarters": Measure(1.0)})) == "green"
    assert rag_of(hits(rule, {"milestone_slip_quarters": Measure(2.0, "Cutover")})) == "red"
    assert hits(rule, {"milestone_slip_quarters": Measure(2.0, "Cutover")})[0].text.endswith("(Cutover)")
    assert rag_of(hits(DEFAULT_RULES, {})) == "green"


def test_the_schema_allows_exactly_the_metrics_the_library_knows() -> None:
    rule = load_schema("Portfolio")["properties"]["rag_rules"]["items"]["properties"]
    assert rule["metric"]["enum"] == list(METRICS)
    assert {r.metric for r in DEFAULT_RULES} <= set(METRICS)
