"""Unusual characters read the same by the fast reader and the careful one, as YAML 1.2 defines them.

YAML 1.2 (section 5.4) breaks lines only at LF and CR: NEL (U+0085), LS (U+2028) and PS (U+2029), line
breaks in YAML 1.1, are ordinary characters. Control characters other than tab, LF and CR (and DEL, the C1
controls but NEL, U+FFFE and U+FFFF) may not be written raw at all (section 5.1): they are a finding.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pfm.io.loading import FileResult, _parse_carefully, _read_plain, parse_documents

_ALPHABET = ["a", "b", " ", "é", "#", ":", "-", "\x85", "\u2028", "\u2029", "\ufeff", "\r", "\t", "\x07", "\x1b"]
_ALPHABET += ["\x7f", "\x9b", "\x0b", "\ufffe"]
_texts = st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=8)
# Only a printable character other than a line break can stand in a one-line scalar as itself.
_PRINTABLE = [char for char in _ALPHABET if char not in "\r\x07\x1b\x7f\x9b\x0b\ufffe"]

ANCHOR = "anchored: &a 1\n"  # any `&` sends a file to the careful reader


def _single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_FORMS = {
    "plain": lambda text: f"title: {text}\n",
    "single": lambda text: f"title: {_single(text)}\n",
    "double": lambda text: f"title: {_double(text)}\n",
    "key": lambda text: f"{_double(text)}: 1\n",
    "block": lambda text: f"title: |\n  {text}\n",
}


def _outcome(result: FileResult, drop: str | None = None) -> object:
    """The data read, or the rules of the problems met."""
    if result.problems:
        return sorted({p.rule for p in result.problems})
    return [{k: v for k, v in d.data.items() if k != drop} for d in result.documents]


@settings(max_examples=400, deadline=None)
@given(_texts, st.sampled_from(sorted(_FORMS)))
def test_fast_and_careful_readers_agree(text: str, form: str) -> None:
    yaml = _FORMS[form](text)
    fast = _read_plain(yaml)
    careful = _parse_carefully(yaml, "f.yaml")
    if fast is not None:
        assert _outcome(careful) == [fast]
    assert _outcome(parse_documents(yaml, "f.yaml")) == _outcome(parse_documents(ANCHOR + yaml, "f.yaml"), "anchored")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_PRINTABLE), min_size=1, max_size=8), st.sampled_from([_single, _double]))
def test_quoted_text_reads_as_written(text: str, quote: object) -> None:
    assert callable(quote)
    for prefix in ("", ANCHOR):
        result = parse_documents(f"{prefix}title: {quote(text)}\n", "f.yaml")
        assert result.problems == ()
        assert result.documents[0].data["title"] == text


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("prefix", ["", ANCHOR])
@pytest.mark.parametrize("written", ["title: a{c}b\n", "title: 'a{c}b'\n", "a{c}b: x\n", "title: ab{c}\n"])
def test_yaml_1_1_line_breaks_are_text(char: str, prefix: str, written: str) -> None:
    yaml = prefix + written.format(c=char)
    result = parse_documents(yaml, "f.yaml")
    assert result.problems == ()
    expected = written.format(c=char).rstrip("\n").split(": ")
    assert result.documents[0].data[expected[0]] == expected[1].strip("'")


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\x9b", "\ufffe"])
@pytest.mark.parametrize("prefix", ["", ANCHOR])
def test_raw_control_characters_are_a_finding(char: str, prefix: str) -> None:
    result = parse_documents(f"{prefix}title: a{char}b\n", "f.yaml")
    assert [p.rule for p in result.problems] == ["yaml.syntax"]
    assert result.problems[0].location.line == 1 + prefix.count("\n")
