from __future__ import annotations

from pfm.findings import RULES, Finding, Severity, did_you_mean, format_path
from pfm.reporting.findings import summary_line, text_line, to_github


def finding(message: str = "m", hint: str = "", file: str = "items/a.yaml") -> Finding:
    return Finding("ref.unknown", Severity.ERROR, message, file, 3, 7, "$.depends_on[0]", hint)


def test_json_paths_read_like_jq() -> None:
    assert format_path(("depends_on", 2, "id")) == "$.depends_on[2].id"
    assert format_path(("budget", "2027", "capex")) == "$.budget.2027.capex"
    assert format_path(("weird key",)) == "$['weird key']"
    assert format_path(()) == "$"


def test_text_line_is_file_line_col_severity_rule_message_hint() -> None:
    line = text_line(finding("depends_on 'x' is not an item", "did you mean 'y'?"))
    assert line == "items/a.yaml:3:7: error [ref.unknown] depends_on 'x' is not an item; did you mean 'y'?"


def test_text_line_never_spans_lines() -> None:
    assert "\n" not in text_line(finding("first\nsecond"))


def test_github_annotations_escape_data_and_properties() -> None:
    out = to_github([finding("100% wrong\nline two", file="items/a,b:c.yaml")])
    assert out == ("::error file=items/a%2Cb%3Ac.yaml,line=3,col=7,title=pfm ref.unknown::100%25 wrong%0Aline two\n")


def test_summary_line_counts_each_severity() -> None:
    counts = {"files": 3, "documents": 4, "errors": 1, "warnings": 2, "infos": 0}
    assert summary_line(counts) == "1 error, 2 warnings in 4 documents in 3 files"


def test_did_you_mean_names_the_closest_option_only_when_close() -> None:
    assert did_you_mean("identity-ssoo", ["identity-sso", "crm"]) == "did you mean 'identity-sso'?"
    assert did_you_mean("zzz", ["identity-sso"]) == ""


def test_every_rule_has_a_severity_and_a_description() -> None:
    for rule, (severity, description) in RULES.items():
        assert rule.count(".") == 1
        assert isinstance(severity, Severity)
        assert description.endswith(".")


def test_summary_line_says_one_document_in_one_file() -> None:
    counts = {"files": 1, "documents": 1, "errors": 0, "warnings": 1, "infos": 1}
    assert summary_line(counts) == "1 warning in 1 document in 1 file (1 note)"
