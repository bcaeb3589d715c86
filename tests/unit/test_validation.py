"""validate() on small portfolios built in the test."""

from __future__ import annotations

import pytest

from pfm import validate
from pfm.errors import PortfolioNotFound
from pfm.validation import validator as validation_module
from tests.helpers import PORTFOLIO, WriteTree, item


def rules_at(result: validation_module.Validation) -> list[tuple[str, str, int, int]]:
    return [(f.rule, f.file, f.line, f.column) for f in result.findings]


def test_a_clean_portfolio_has_no_findings(write_tree: WriteTree) -> None:
    root = write_tree(
        {"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a"), "items/b.yaml": item("b", "depends_on: [a]\n")}
    )
    result = validate(root)
    assert result.ok
    assert result.findings == ()
    assert result.files == ("items/a.yaml", "items/b.yaml", "portfolio.yaml")


def test_a_dangling_reference_points_at_the_reference_with_a_hint(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/alpha.yaml": item("alpha"),
            "items/b.yaml": item("b", "depends_on:\n  - alpah\n"),
        }
    )
    [finding] = validate(root).findings
    assert (finding.rule, finding.file, finding.line, finding.column) == ("ref.unknown", "items/b.yaml", 9, 5)
    assert finding.message == "depends_on 'alpah' is not an item"
    assert finding.hint == "did you mean 'alpha'?"
    assert finding.path == "$.depends_on[0]"


def test_a_schema_error_does_not_hide_a_dangling_reference_elsewhere_in_the_document(write_tree: WriteTree) -> None:
    extra = "owner: 42\nparent: nowhere\n"
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", extra)})
    assert rules_at(validate(root)) == [("schema.type", "items/a.yaml", 8, 8), ("ref.unknown", "items/a.yaml", 9, 9)]


def test_hidden_folders_and_templates_are_not_read(write_tree: WriteTree) -> None:
    broken = "kind: [\n"
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            ".github/x.yaml": broken,
            "templates/entities/item.yaml": broken,
            "items/.draft.yaml": broken,
        }
    )
    assert validate(root).findings == ()


def test_a_folder_without_portfolio_yaml_is_not_a_portfolio(write_tree: WriteTree) -> None:
    root = write_tree({"items/a.yaml": item("a")})
    with pytest.raises(PortfolioNotFound, match=r"no portfolio\.yaml"):
        validate(root)


def test_the_portfolio_is_found_from_a_subfolder(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a")})
    monkeypatch.chdir(root / "items")
    assert validate().root == root.resolve()


def test_two_processes_find_exactly_what_one_finds(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"portfolio.yaml": PORTFOLIO}
    for n in range(30):
        extra = (f"owner: {n}\n" if n % 3 == 0 else "") + (f"depends_on: [missing-{n}]\n" if n % 5 == 0 else "")
        files[f"items/i{n}.yaml"] = item(f"i{n}", extra)
    root = write_tree(files)
    serial = validate(root)
    monkeypatch.setattr(validation_module, "PARALLEL_THRESHOLD", 2)
    parallel = validate(root)
    assert parallel == serial
    assert [f.rule for f in serial.findings].count("schema.type") == 10
    assert [f.rule for f in serial.findings].count("ref.unknown") == 6
