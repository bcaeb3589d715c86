"""`pfm diff` renderers: the pull-request comment's shape, escaping and size limit, plain text, stable JSON."""

from __future__ import annotations

import json
import re

from pfm.reporting.diff import MARKER, MOVERS_SHOWN, to_markdown, to_text
from pfm.review.comparison import Comparison, compare, headline
from tests.helpers import BASE, CASE_A, CASE_E, PORTFOLIO, WriteTree, scored, sides

HOSTILE = "a | b <script>alert(1)</script> {{ x }} @everyone `code` &amp; \x1b[31m " + "x" * 300


def pull_request(write_tree: WriteTree) -> Comparison:
    """c climbs above b, e is added with a case, a's 2027 capex rises, b gains a dangling reference."""
    old, new = sides(
        write_tree,
        {
            "items/c.yaml": scored("c", 5, 2),
            "items/e.yaml": scored("e", 1, 5),
            "business-cases/e-case.yaml": CASE_E,
            "business-cases/a-case.yaml": CASE_A.replace("capex: 100000", "capex: 150000"),
        },
    )
    return compare(old, new, top=2, old_selected=frozenset({"a", "b"}), new_selected=frozenset({"a", "c"}))


def cells(line: str) -> list[str]:
    """The cells of a Markdown table row, split at pipes that are not escaped."""
    return re.split(r"(?<!\\)\|", line)[1:-1]


def test_markdown_starts_with_the_marker_and_the_headline(write_tree: WriteTree) -> None:
    markdown = to_markdown(pull_request(write_tree))
    lines = markdown.splitlines()

    assert lines[0] == MARKER
    assert lines[1] == "### pfm diff: main → working tree"
    assert lines[3] == (
        "**Capex 2027 +£50k (+50 %); Capex 2028 +£30k (+60 %); 2 items re-ranked; 1 item added; selection: 1 in, 1 out**"
    )
    totals = markdown.split("#### Totals (GBP)\n\n")[1].split("\n\n")[0].splitlines()
    assert totals == [
        "| year | figure | old | new | delta | % |",
        "|---|---|--:|--:|--:|--:|",
        "| 2027 | capex | 100,000 | 150,000 | +50,000 | +50 % |",
        "| 2028 | capex | 50,000 | 80,000 | +30,000 | +60 % |",
        "| 2029 | benefits | 0 | 10,000 | +10,000 | – |",
        "| all | NPV | 30,000 | -40,000 | -70,000 | -233.3 % |",
    ]
    movers = markdown.split("#### Rank movers (weighted)\n\n")[1].split("\n\n")[0].splitlines()
    assert movers == [
        "| item | title | old rank | new rank | move | old score | new score |",
        "|---|---|--:|--:|--:|--:|--:|",
        "| c | c | 3 | 2 | +1 | 58.33 | 91.67 |",
        "| b | b | 2 | 3 | -1 | 75.00 | 75.00 |",
        "| e | e | – | 5 | new | – | 0.00 |",
    ]
    assert "Entering the top 2: c\n\nLeaving the top 2: b\n" in markdown
    for summary in ("Selection changes (2)", "Added (2)", "Changed (2)"):
        assert f"<details><summary>{summary}</summary>\n\n| " in markdown
    assert markdown.count("<details>") == markdown.count("</details>") == 3
    assert "| Item c | scores.value | 3 | 5 |" in markdown
    assert "| BusinessCase a-case | costs\\[year=2027\\].capex | 100,000 | 150,000 |" in markdown
    assert "too long" not in markdown and markdown.endswith("</details>\n")


def test_findings_and_notes_in_markdown(write_tree: WriteTree) -> None:
    old, new = sides(write_tree, {"items/b.yaml": scored("b", 4, 2, "depends_on: [zzz]\n")})
    markdown = to_markdown(compare(old, new))

    assert "**1 new error**" in markdown
    assert "> ranks, totals and NPV not compared: working tree has errors\n" in markdown
    assert "<details><summary>Findings introduced (1)</summary>" in markdown
    assert "| items/b.yaml:8:14 | error | `ref.unknown` | depends\\_on 'zzz' is not an item |" in markdown
    assert "Totals" not in markdown and "Rank movers" not in markdown


def test_hostile_text_renders_as_text(write_tree: WriteTree) -> None:
    hostile = scored("c", 5, 2).replace("title: c", f"title: {json.dumps(HOSTILE)}")
    old, new = sides(write_tree, {"items/c.yaml": hostile})
    c = compare(old, new)
    markdown = to_markdown(c)

    [row] = [line for line in markdown.splitlines() if line.startswith("| Item c | title |")]
    assert len(cells(row)) == 4  # the pipe in the title did not add a column
    title = cells(row)[3].strip()
    assert title.startswith(
        "a \\| b \\<script\\>alert(1)\\</script\\> {{ x }} &#64;everyone \\`code\\` &amp;amp; \\\\u001b\\[31m xxx"
    )
    assert title.endswith("x…")
    assert len(title) < 200
    [finding] = [line for line in markdown.splitlines() if line.startswith("| items/c.yaml:4:8 |")]
    assert len(cells(finding)) == 4  # the title is quoted in the message of the finding it causes (too long)
    for raw in ("<script>", "@everyone", "`code`", "x" * 200, "\x1b"):
        assert raw not in markdown

    text = to_text(c)
    assert "\x1b" not in text
    assert "\\u001b[31m" in text
    assert "<script>" in text  # a terminal shows markup as it is


def test_markdown_stays_under_the_limit_and_says_it_was_cut(write_tree: WriteTree) -> None:
    many = 360  # fewer files than validation.PARALLEL_THRESHOLD: no second process
    base = {
        "portfolio.yaml": PORTFOLIO,
        **{f"items/i{k:03}.yaml": scored(f"i{k:03}", 1 + k % 5, 1 + k % 3) for k in range(many)},
    }
    edits = {
        f"items/i{k:03}.yaml": scored(f"i{k:03}", 1 + (k + 1) % 5, 1 + k % 3, f"description: {'long text ' * 30}\n")
        for k in range(many)
    }
    old, new = sides(write_tree, edits, base)
    c = compare(old, new)
    assert c.ranks is not None and len(c.ranks.movers) > MOVERS_SHOWN

    whole = to_markdown(c, limit=10**7)
    assert len(whole) > 60_000
    assert (
        f"_{len(c.ranks.movers) - MOVERS_SHOWN} more rows not shown: run `pfm diff` locally to see them all._" in whole
    )

    for limit in (60_000, 5_000):
        markdown = to_markdown(c, limit=limit)
        assert len(markdown) <= limit
        assert markdown.startswith(f"{MARKER}\n")
        assert f"**{headline(c)}**" in markdown
        assert markdown.endswith(
            "</details>\n\n---\n_This comment was cut to fit. Run `pfm diff` locally to see everything._\n"
        )
        assert markdown.count("<details>") == markdown.count("</details>")
        rows = [line for line in markdown.splitlines() if line.startswith("| ")]
        assert all(line.endswith(" |") for line in rows)


def test_text_lists_every_part(write_tree: WriteTree) -> None:
    text = to_text(pull_request(write_tree))

    assert text.startswith(
        "pfm diff: main -> working tree\n"
        "Capex 2027 +£50k (+50 %); Capex 2028 +£30k (+60 %); 2 items re-ranked; 1 item added; selection: 1 in, 1 out\n"
    )
    assert (
        "\nTotals (GBP)\n  year  figure        old      new    delta         %\n  2027  capex     100,000  150,000  +50,000     +50 %\n"
        in text
    )
    assert "\n  Entering the top 2: c\n  Leaving the top 2: b\n" in text
    assert "\nAdded\n  kind          id      title  file\n  Item          e       e      items/e.yaml\n" in text
    assert "\nChanged\n  Item c: scores.value: 3 -> 5\n" in text
    assert "\x1b" not in text


def test_payload_is_json_ready_and_stable(write_tree: WriteTree) -> None:
    first = pull_request(write_tree)
    payload = first.to_dict()

    assert list(payload) == [
        "old",
        "new",
        "material",
        "headline",
        "currency",
        "notes",
        "entities",
        "ranks",
        "selection",
        "totals",
        "npv",
        "findings",
    ]
    assert payload["old"] == {"label": "main", "ok": True, "errors": 0, "warnings": 0}
    assert payload["npv"] == {"old": 30_000, "new": -40_000, "delta": -70_000, "percent": -700_000 / 3_000}
    assert payload["selection"] == {"entered": ["c"], "left": ["b"]}
    assert payload["totals"][0] == {
        "year": 2027,
        "figure": "capex",
        "old": 100_000,
        "new": 150_000,
        "delta": 50_000,
        "percent": 50.0,
    }
    assert payload["entities"]["changed"][0]["fields"] == [
        {"path": "scores.value", "change": "changed", "old": 3, "new": 5, "material": True}
    ]
    again = compare(first.old, first.new, top=2, old_selected=frozenset({"b", "a"}), new_selected=frozenset({"c", "a"}))
    assert json.dumps(again.to_dict(), sort_keys=True) == json.dumps(payload, sort_keys=True)
    assert to_markdown(again) == to_markdown(first)
    assert to_text(again) == to_text(first)


def test_nothing_material(write_tree: WriteTree) -> None:
    old, new = sides(write_tree, {"items/a.yaml": BASE["items/a.yaml"] + "description: Reworded.\n"})
    c = compare(old, new)

    assert to_markdown(c).splitlines()[:4] == [
        MARKER,
        "### pfm diff: main → working tree",
        "",
        "**No material change**",
    ]
    assert (
        to_text(c)
        == "pfm diff: main -> working tree\nNo material change\n\nChanged\n  Item a: description: – -> Reworded.\n"
    )
