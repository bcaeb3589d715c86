"""`pfm init`, `pfm new` and `pfm schema export`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from typer.testing import CliRunner

from pfm import validate
from pfm.cli import app
from pfm.resources import KINDS
from tests.conftest import PORTFOLIO, WriteTree

KIND_ARGS = ["item", "business-case", "team", "risk", "scenario", "decision"]


def test_init_writes_a_skeleton_that_validates_clean(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "acme-portfolio"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert validate(target).findings == ()
    text = (target / "portfolio.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schemas/portfolio.schema.json\n")
    assert "id: acme-portfolio\nname: Acme Portfolio\n" in text
    assert "# a lower risk scores better" in text  # the template's comments survive
    assert sorted(p.name for p in (target / "schemas").iterdir()) == sorted(
        f"{stem}.schema.json" for stem in KINDS.values()
    )
    settings = json.loads((target / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["schemas/item.schema.json"] == ["items/*.yaml"]


def test_init_refuses_to_overwrite_a_portfolio(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree({"portfolio.yaml": PORTFOLIO})
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 2
    assert "already holds a portfolio" in result.stderr
    assert (root / "portfolio.yaml").read_text() == PORTFOLIO


def test_every_kind_can_be_added_and_the_portfolio_stays_free_of_errors(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    runner.invoke(
        app, ["-p", str(tmp_path), "new", "item", "crm-replatform", "--title", "Re-platform CRM: <b>SaaS</b>"]
    )
    for kind in KIND_ARGS[1:]:
        ident = "crm-replatform-case" if kind == "business-case" else f"first-{kind}"
        result = runner.invoke(app, ["-p", str(tmp_path), "new", kind, ident])
        assert result.exit_code == 0, result.output
    outcome = validate(tmp_path)
    assert outcome.ok, outcome.findings
    assert [f.rule for f in outcome.findings] == ["score.missing"]  # a new item is not scored yet
    item = yaml.safe_load((tmp_path / "items" / "crm-replatform.yaml").read_text())
    assert item["title"] == "Re-platform CRM: <b>SaaS</b>"
    assert item["stage"] == "idea"  # the portfolio's first stage


def test_new_writes_the_modeline_relative_to_the_file(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    result = runner.invoke(app, ["-p", str(tmp_path), "new", "risk", "vendor-lock-in"])
    assert result.stdout == "risks/vendor-lock-in.yaml\n"
    first = (tmp_path / "risks" / "vendor-lock-in.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/risk.schema.json"


def test_new_refuses_bad_ids_unknown_kinds_and_existing_files(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    assert runner.invoke(app, ["-p", str(tmp_path), "new", "item", "x"]).exit_code == 0
    again = runner.invoke(app, ["-p", str(tmp_path), "new", "item", "x"])
    assert (again.exit_code, again.stderr) == (
        2,
        "pfm: error: items/x.yaml already exists (use --force to overwrite)\n",
    )
    bad_id = runner.invoke(app, ["-p", str(tmp_path), "new", "item", "../escape"])
    assert bad_id.exit_code == 2
    assert "not a valid id" in bad_id.stderr
    assert not (tmp_path / "escape.yaml").exists()
    kind = runner.invoke(app, ["-p", str(tmp_path), "new", "widget", "y"])
    assert kind.exit_code == 2
    assert "unknown kind 'widget'" in kind.stderr


def test_a_portfolio_template_overrides_the_built_in_one(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    own = tmp_path / "templates" / "entities" / "team.yaml"
    own.parent.mkdir(parents=True)
    own.write_text(
        "apiVersion: pfm/v1\nkind: Team\nid: ID\ntitle: TITLE\nunit: person-days  # house rule\ncapacity: 60\n"
    )
    runner.invoke(app, ["-p", str(tmp_path), "new", "team", "payments"])
    text = (tmp_path / "teams" / "payments.yaml").read_text()
    assert "unit: person-days  # house rule\ncapacity: 60\n" in text
    assert validate(tmp_path).ok


def test_schema_export_writes_valid_draft_07_schemas(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "export", str(tmp_path / "out")])
    assert result.exit_code == 0
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == len(KINDS)
    for path in written:
        schema = json.loads(path.read_text())
        jsonschema.Draft7Validator.check_schema(schema)
