"""The YAML reader: YAML 1.2 core semantics, strings for dates and keys, duplicates, bounded aliases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pfm.io.loading import parse_documents


def load_one(text: str) -> object:
    result = parse_documents(text, "f.yaml")
    assert result.problems == ()
    [document] = result.documents
    return document.data


def test_yaml_1_2_keeps_norway_and_yes_as_strings() -> None:
    data = load_one("country: NO\nanswer: yes\nswitch: on\nflag: true\n")
    assert data == {"country": "NO", "answer": "yes", "switch": "on", "flag": True}


def test_numbers_follow_the_core_schema() -> None:
    data = load_one("a: 010\nb: 0o10\nc: 0x1F\nd: 1:20\ne: 1e3\ng: -2.5\n")
    assert data == {"a": 10, "b": 8, "c": 31, "d": "1:20", "e": 1000.0, "g": -2.5}


def test_dates_and_timestamps_stay_strings() -> None:
    data = load_one("date: 2027-03-31\nwhen: 2027-03-31T10:00:00Z\nexplicit: !!timestamp 2027-01-01\n")
    assert data == {"date": "2027-03-31", "when": "2027-03-31T10:00:00Z", "explicit": "2027-01-01"}


def test_mapping_keys_become_their_written_text() -> None:
    data = load_one("2027: {capex: 1}\n010: x\ntrue: y\n")
    assert data == {"2027": {"capex": 1}, "010": "x", "true": "y"}


def test_duplicate_keys_are_problems_with_their_line_and_the_last_value_kept() -> None:
    result = parse_documents("a: 1\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    [problem] = result.problems
    assert problem.rule == "yaml.duplicate-key"
    assert (problem.location.line, problem.location.column) == (4, 3)
    assert "first at line 3" in problem.message
    assert result.documents[0].data == {"a": 1, "b": {"c": 2}}


def test_merge_keys_are_not_duplicates_and_explicit_keys_win() -> None:
    data = load_one("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert data == {"base": {"x": 1, "y": 2}, "item": {"x": 1, "y": 3}}


def test_billion_laughs_is_a_problem_not_a_hang() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for depth in range(1, 9):
        prev, name = chr(ord("a") + depth - 1), chr(ord("a") + depth)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = parse_documents("\n".join(levels) + "\n", "bomb.yaml")
    assert [p.rule for p in result.problems] == ["yaml.alias-limit"]
    assert result.documents == ()


def test_modest_aliases_are_allowed() -> None:
    data = load_one("shared: &s {team-a: 2}\nx: {demand: *s}\ny: {demand: *s}\n")
    assert data["x"] == data["y"] == {"demand": {"team-a": 2}}


def test_an_alias_inside_itself_is_refused() -> None:
    result = parse_documents("a: &r [*r]\n", "r.yaml")
    assert [p.rule for p in result.problems] == ["yaml.alias-limit"]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!binary aGk=", "!!set {a: null}"])
def test_tags_beyond_json_data_are_refused(tag: str) -> None:
    result = parse_documents(f"a: {tag}\n", "t.yaml")
    assert [p.rule for p in result.problems] == ["yaml.tag"]


def test_syntax_errors_carry_the_line_and_column() -> None:
    result = parse_documents("a: 1\nb: [1, 2\nc: 3\n", "s.yaml")
    [problem] = result.problems
    assert problem.rule == "yaml.syntax"
    assert problem.location.line == 3


def test_every_document_of_a_multi_document_file_is_read_and_empty_ones_skipped() -> None:
    result = parse_documents("---\n---\na: 1\n---\nb: 2\n---\n", "m.yaml")
    assert [d.data for d in result.documents] == [{"a": 1}, {"b": 2}]
    assert [d.index for d in result.documents] == [1, 2]  # positions count every document written


def test_documents_before_a_syntax_error_are_kept() -> None:
    result = parse_documents("a: 1\n---\nb: [\n", "m.yaml")
    assert [d.data for d in result.documents] == [{"a": 1}]
    assert result.problems[0].location.document == 1


@pytest.mark.parametrize("nesting", ["[" * 50_000 + "]" * 50_000, "\n  " + "- " * 50_000 + "x"])
def test_deep_nesting_is_a_problem_not_a_crash(nesting: str) -> None:
    # libyaml's composer recurses in C: fifty thousand levels would crash the interpreter.
    result = parse_documents(f"id: deep\ntags: {nesting}\n", "deep.yaml")
    assert [p.rule for p in result.problems] == ["yaml.nesting"]
    assert result.problems[0].location.line == nesting.count("\n") + 2


def test_moderate_nesting_is_fine() -> None:
    data = load_one("a: " + "[" * 60 + "]" * 60 + "\n")
    depth, value = 0, data["a"]
    while value:
        depth, value = depth + 1, value[0]
    assert depth == 59


def test_a_chain_of_aliases_nesting_deep_is_refused() -> None:
    chain = "\n".join(["a0: &a0 [1]", *(f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 150))])
    result = parse_documents(chain + "\n", "chain.yaml")
    assert [p.rule for p in result.problems] == ["yaml.alias-limit"]
    assert "levels deep" in result.problems[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: .inf\n", "not a finite number"),
        ("a: .nan\n", "not a finite number"),
        ("a: 1e400\n", "not a finite number"),
        ("a: 1" + "0" * 5000 + "\n", "5,001 digits"),
    ],
)
def test_numbers_no_figure_can_be_are_refused(text: str, message: str) -> None:
    result = parse_documents(text, "n.yaml")
    [problem] = result.problems
    assert (problem.rule, problem.location.line, problem.location.column) == ("yaml.number", 1, 4)
    assert message in problem.message


def test_the_fast_reader_agrees_with_the_careful_one_on_every_file_it_accepts() -> None:
    """Differential check over the example, every test case and a spread of scalars."""
    from pfm.io.loading import _parse_carefully, _read_plain
    from tests.helpers import REPO

    texts = [path.read_text(encoding="utf-8") for path in sorted(REPO.glob("example-portfolio/**/*.yaml"))]
    texts += [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(REPO.glob("tests/cases/*/portfolio/**/*.yaml"))
    ]
    texts += [f"k: {scalar}\nlist: [{scalar}, {scalar}]\n" for scalar in [*_SCALARS, "2027-01-01T10:00:00Z"]]
    accepted = 0
    for text in texts:
        fast = _read_plain(text)
        if fast is None:
            continue
        accepted += 1
        careful = _parse_carefully(text, "f.yaml")
        assert careful.problems == ()
        assert [d.data for d in careful.documents] == [fast]
        assert _types(careful.documents[0].data) == _types(fast)
    assert accepted > 100


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


_SCALARS = [
    "NO",
    "yes",
    "on",
    "010",
    "0o10",
    "0x1F",
    "+1",
    "-2",
    ".5",
    "1e3",
    "1.",
    "~",
    "null",
    "TRUE",
    "2027-01-01",
    "1:20",
    "'010'",
    '"x"',
    "2027-Q1",
    "a b",
    "-",
    "?",
    "x:y",
    "'it''s'",
    '"\\u00e9"',
    "é",
    "|",
    "0b101",
    "1e",
    "0.",
    "-0.0",
    "+.5",
    "0x",
    "12e3",
    "1,000",
    "a #c",
    "'#'",
    "0755",
    "-.5",
    "+0",
    "007",
    "True",
    ">",
    "''",
    '""',
    "0O7",
    "0X1f",
    "1E3",
    ".Inf",
    "@x",
    ":x",
    "x:",
    "[]",
    "{}",
    "a, b",
    "Yes",
    "0.1.2",
    "1e-3",
    "1__0",
    "1_000",
    "+-1",
    ".NaN",
    "nULL",
    "[1, 2]",
    "{a: 1}",
    "[a, [b, {c: d}]]",
    "[|]",
    "[x:]",
    "[?]",
    "|-\n  text",
    ">-\n  more text",
]
_KEYS = ["a", "b", "k-1", "x.y", "'q'", '"d"', "a b", "-k"]


def _block(value: object, depth: int) -> str:
    """A YAML block rendering of generated data, scalars written as picked."""
    pad = "  " * depth
    if isinstance(value, dict):
        return "".join(
            f"{pad}{key}:" + (f" {item}\n" if isinstance(item, str) else "\n" + _block(item, depth + 1))
            for key, item in value.items()
        )
    assert isinstance(value, list)
    return (
        "".join(
            f"{pad}- {item}\n" if isinstance(item, str) else f"{pad}-\n" + _block(item, depth + 1) for item in value
        )
        or f"{pad}- []\n"
    )


_documents = st.dictionaries(
    st.sampled_from(_KEYS),
    st.recursive(
        st.sampled_from(_SCALARS),
        lambda children: (
            st.lists(children, min_size=1, max_size=3)
            | st.dictionaries(st.sampled_from(_KEYS), children, min_size=1, max_size=3)
        ),
        max_leaves=8,
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_the_fast_reader_never_disagrees_with_the_careful_one(document: dict[str, object]) -> None:
    from pfm.io.loading import _parse_carefully, _read_plain

    text = _block(document, 0)
    fast = _read_plain(text)
    if fast is not None:
        careful = _parse_carefully(text, "f.yaml")
        assert careful.problems == ()
        assert [d.data for d in careful.documents] == [fast]
