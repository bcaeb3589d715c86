"""User text on its way out: control characters, separators and bidirectional overrides never reach a reader raw."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from pfm.reporting.tables import escape_controls, md_escape, plain_text, to_json


def test_controls_are_named_or_written_as_unicode_escapes() -> None:
    assert escape_controls("a\nb\tc\x1b[31m\x9b\u202e\u2028") == "a\\nb\\tc\\u001b[31m\\u009b\\u202e\\u2028"


def test_plain_text_keeps_one_line() -> None:
    assert plain_text(" a \n b\u2028c\x85d\x07 ") == "a b c d\\u0007"


def test_markdown_escape_leaves_no_markup_entity_or_mention() -> None:
    assert md_escape("a|b <i>&amp; @all ~x~ \x1b") == "a\\|b \\<i\\>&amp;amp; &#64;all \\~x\\~ \\\\u001b"


@given(st.text())
def test_json_keeps_every_value_and_no_raw_control(text: str) -> None:
    written = to_json({"text": text})
    assert json.loads(written) == {"text": text}
    assert escape_controls(written.replace("\n", "")) == written.replace("\n", "")
