"""The docs keep up with the code: every rule documented, the README's test line is what CI runs."""

from __future__ import annotations

import re

from pfm.findings import RULES
from tests.helpers import REPO


def test_every_rule_is_documented_with_its_severity() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([a-z.-]+)` \| (error|warning|info) \|", text, flags=re.MULTILINE))
    assert documented == {rule: severity.value for rule, (severity, _) in RULES.items()}


def test_ci_runs_exactly_the_readme_test_line() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    [line] = re.findall(r"^(python3 -m venv .*pytest.*)$", ci, flags=re.MULTILINE)
    assert f"\n{line}\n" in (REPO / "README.md").read_text(encoding="utf-8")
