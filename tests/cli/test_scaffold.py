"""`pfm init`, `pfm new` and `pfm schema export`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from typer.testing import CliRunner

from pfm import __version__, validate
from pfm.cli import app
from pfm.reporting.diff import MARKER
from pfm.resources import KINDS
from tests.helpers import PORTFOLIO, REPO, WriteTree, git

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
    assert (target / ".github" / "workflows" / "pfm.yml").is_file()
    assert (target / ".pre-commit-config.yaml").is_file()


def steps_by_name(steps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {step.get("name", step.get("uses")): step for step in steps}


def test_init_writes_a_github_workflow_that_validates_and_comments(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "pfm.yml").read_text(encoding="utf-8"))

    assert workflow[True] == {"pull_request": None, "push": {"branches": ["main"]}}  # YAML 1.1 reads `on` as true
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = steps_by_name(workflow["jobs"]["portfolio"]["steps"])
    assert steps["actions/checkout@v4"]["with"] == {"fetch-depth": 0}
    assert steps["Install pfm"]["run"] == f'pip install "pfm=={__version__}"'
    assert steps["Validate"]["run"] == "pfm validate -f github -f sarif=pfm.sarif"
    diff = steps["Compare with the base branch"]
    assert diff["run"] == 'pfm diff "origin/$BASE" -f markdown -o pfm-diff.md --summary'
    assert "github.event_name == 'pull_request'" in diff["if"]
    comment = steps["Comment on the pull request"]
    assert comment["continue-on-error"] is True
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]  # not from a fork
    assert MARKER in comment["run"]
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert steps_by_name(action["runs"]["steps"])["Comment on the pull request"]["run"] == comment["run"]


def test_init_writes_a_pre_commit_config_with_the_published_hook(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    [repo] = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    [published] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

    assert repo["repo"] == "local"
    [hook] = repo["hooks"]
    assert hook["additional_dependencies"] == [f"pfm=={__version__}"]
    assert {key: hook[key] for key in published if key != "description"} == {
        key: value for key, value in published.items() if key != "description"
    }


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


def test_init_makes_a_git_repository_on_main_with_pfm_output_ignored(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "portfolio"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert "a new git repository" in result.stderr
    assert git(target, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert "pack/" in (target / ".gitignore").read_text().splitlines()
    assert [line.split()[1] for line in result.stderr.splitlines()[2:]] == ["-p", "-p", "-C"]  # the next commands
    ignored = git(target, "status", "--porcelain", "--ignored", "--untracked-files=all")
    (target / "pack").mkdir()
    (target / "pack" / "board-pack.pdf").write_bytes(b"%PDF")
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ignored.replace("!! pack/\n", "")


def test_init_inside_a_repository_makes_no_second_one(runner: CliRunner, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    result = runner.invoke(app, ["init", str(tmp_path / "portfolio")])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "portfolio" / ".git").exists()
    assert "git repository" not in result.stderr


def test_init_without_git_and_keeping_the_repository_s_own_files(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.log\npack/")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "pfm.yml").write_text("# ours\n")
    result = runner.invoke(app, ["init", str(tmp_path), "--no-git"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".git").exists()
    assert (tmp_path / ".github" / "workflows" / "pfm.yml").read_text() == "# ours\n"
    assert (tmp_path / ".gitignore").read_text() == "*.log\npack/\n" + "".join(
        f"{line}\n"
        for line in (
            "# What pfm writes and what is rebuilt from the files: not part of the portfolio.",
            "site/",
            ".venv/",
            "__pycache__/",
        )
    )


def test_init_writes_a_github_workflow_that_builds_checks_and_deploys_the_site(
    runner: CliRunner, tmp_path: Path
) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "pfm-site.yml").read_text(encoding="utf-8"))

    assert workflow[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = steps_by_name(workflow["jobs"]["build"]["steps"])
    assert steps["Install pfm"]["run"] == f'pip install "pfm=={__version__}"'
    assert steps["Build the site"]["run"] == "pfm site -o public && pfm site --check public"
    assert steps["actions/upload-pages-artifact@v3"]["with"] == {"path": "public"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert steps_by_name(workflow["jobs"]["deploy"]["steps"])["actions/deploy-pages@v4"]["id"] == "deployment"
