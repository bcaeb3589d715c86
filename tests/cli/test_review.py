"""`pfm diff`, `pfm history` and `pfm snapshot` on real repositories: what they report, and that the
user's checkout is exactly as it was afterwards, also when pfm is interrupted."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from pfm.cli import app
from pfm.reporting.diff import MARKER
from tests.helpers import (
    BUDGETED,
    GIT_ENV,
    REPO,
    SUBJECTS,
    build_history,
    capex_2027,
    checkout_state,
    commit,
    git,
    scored,
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The five commits of build_history, and the working directory inside them."""
    top = tmp_path / "repo"
    top.mkdir()
    build_history(top)
    monkeypatch.chdir(top)
    return top


def short(top: Path, revision: str) -> str:
    return git(top, "rev-parse", "--short=7", revision).strip()


def diff(runner: CliRunner, top: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """`pfm diff ARGS`, checking that HEAD, the branch, the index, the status and every file are as before."""
    before = checkout_state(top)
    result = runner.invoke(app, ["diff", *args], env=env)
    assert checkout_state(top) == before
    return result


def payload(result: Result) -> dict[str, object]:
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_an_added_item_with_its_business_case(runner: CliRunner, repo: Path) -> None:
    data = payload(diff(runner, repo, "HEAD~4", "HEAD~3", "-f", "json"))

    assert data["old"] == {"label": f"HEAD~4 ({short(repo, 'HEAD~4')})", "ok": True, "errors": 0, "warnings": 0}
    assert data["new"] == {"label": f"HEAD~3 ({short(repo, 'HEAD~3')})", "ok": True, "errors": 0, "warnings": 0}
    assert data["headline"] == (
        "Benefits 2028 +£120k (+35.3 %); Capex 2027 +£90k (+37.5 %); 1 item added; selection: 1 in, 1 out"
    )
    assert data["material"] is True
    entities = data["entities"]
    assert isinstance(entities, dict)
    assert [(e["kind"], e["id"]) for e in entities["added"]] == [("Item", "e"), ("BusinessCase", "e-case")]
    assert (entities["removed"], entities["changed"]) == ([], [])
    ranks = data["ranks"]
    assert isinstance(ranks, dict)
    assert {m["id"]: (m["old_rank"], m["new_rank"], m["change"]) for m in ranks["items"]} == {
        "a": (1, 1, 0),
        "e": (None, 2, None),
        "b": (2, 3, -1),
        "c": (3, 4, -1),
        "d": (4, 5, -1),
    }
    assert data["selection"] == {"entered": ["e"], "left": ["b"]}  # 200,000 of capex: a and e beat a and b
    moved = {(t["year"], t["figure"]): t["delta"] for t in data["totals"] if t["delta"]}  # type: ignore[attr-defined]
    assert moved == {
        (2027, "capex"): capex_2027(repo, "HEAD~3") - capex_2027(repo, "HEAD~4"),
        (2028, "benefits"): 120_000,
    }
    assert data["npv"] == {"old": 100_000, "new": 130_000, "delta": 30_000, "percent": 30.0}
    assert data["findings"] == {"introduced": [], "fixed": []}
    assert data["notes"] == []


def test_a_score_change_re_ranks_as_text(runner: CliRunner, repo: Path) -> None:
    result = diff(runner, repo, "HEAD~3", "HEAD~2")

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"pfm diff: HEAD~3 ({short(repo, 'HEAD~3')}) -> HEAD~2 ({short(repo, 'HEAD~2')})\n"
        "2 items re-ranked\n"
        "\n"
        "Rank movers (weighted)\n"
        "  item  title  old rank  new rank  move  old score  new score\n"
        "  c     c             4         3    +1      58.33      91.67\n"
        "  b     b             3         4    -1      75.00      75.00\n"
        "\n"
        "Changed\n"
        "  Item c: scores.value: 3 -> 5\n"
    )


def test_a_dependency_cycle_is_reported_not_raised(runner: CliRunner, repo: Path) -> None:
    data = payload(diff(runner, repo, "HEAD~2", "HEAD~1", "-f", "json"))

    findings = data["findings"]
    assert isinstance(findings, dict)
    assert [(f["rule"], f["file"], f["line"]) for f in findings["introduced"]] == [
        ("deps.cycle", "items/a.yaml", 8),
        ("deps.cycle", "items/b.yaml", 8),
    ]
    assert data["headline"] == "2 new errors"
    assert data["notes"] == [f"ranks, totals and NPV not compared: HEAD~1 ({short(repo, 'HEAD~1')}) has errors"]
    assert (data["ranks"], data["selection"], data["npv"]) == (None, None, None)
    assert diff(runner, repo, "HEAD~2", "HEAD~1", "--exit-code").exit_code == 1


def test_a_schema_break_and_a_fixed_cycle(runner: CliRunner, repo: Path) -> None:
    data = payload(diff(runner, repo, "HEAD~1", "HEAD", "-f", "json"))

    findings = data["findings"]
    assert isinstance(findings, dict)
    assert [(f["rule"], f["file"], f["line"], f["path"]) for f in findings["introduced"]] == [
        ("schema.type", "items/d.yaml", 7, "$.scores.value")
    ]
    assert [f["rule"] for f in findings["fixed"]] == ["deps.cycle", "deps.cycle"]
    assert data["headline"] == "1 new error; 2 errors fixed"


def test_markdown_to_a_file_and_the_job_summary(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    out, summary = tmp_path / "pfm-diff.md", tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    args = ["HEAD~4", "HEAD~3", "-f", "markdown", "-o", str(out), "--summary"]
    result = diff(runner, repo, *args, env={"GITHUB_STEP_SUMMARY": str(summary)})

    markdown = out.read_text(encoding="utf-8")
    headline = "Benefits 2028 +£120k (+35.3 %); Capex 2027 +£90k (+37.5 %); 1 item added; selection: 1 in, 1 out"
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"wrote {out}: {headline}\n")
    assert markdown.splitlines()[:4] == [
        MARKER,
        f"### pfm diff: HEAD\\~4 ({short(repo, 'HEAD~4')}) → HEAD\\~3 ({short(repo, 'HEAD~3')})",
        "",
        f"**{headline}**",
    ]
    assert "<details><summary>Selection changes (2)</summary>" in markdown
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + markdown


def test_the_exit_code_tells_material_changes_from_rewording(runner: CliRunner, repo: Path) -> None:
    assert diff(runner, repo, "HEAD~3", "HEAD~2").exit_code == 0
    assert diff(runner, repo, "HEAD~3", "HEAD~2", "--exit-code").exit_code == 1
    item = repo / "items" / "a.yaml"
    item.write_text(item.read_text(encoding="utf-8") + "description: Reworded for the board.\n", encoding="utf-8")

    reworded = diff(runner, repo, "HEAD", "--exit-code")  # the working tree, which still has d's error

    assert reworded.exit_code == 0
    assert reworded.stdout.splitlines()[:2] == [
        f"pfm diff: HEAD ({short(repo, 'HEAD')}) -> working tree",
        "No material change",
    ]


def test_the_working_tree_is_the_default_head(runner: CliRunner, repo: Path) -> None:
    (repo / "items" / "d.yaml").write_text(scored("d", 2, 3), encoding="utf-8")  # fixes d, uncommitted
    data = payload(diff(runner, repo, "HEAD", "-f", "json"))

    assert data["new"] == {"label": "working tree", "ok": True, "errors": 0, "warnings": 0}
    findings = data["findings"]
    assert isinstance(findings, dict)
    assert [f["rule"] for f in findings["fixed"]] == ["schema.type"]


def test_a_snapshot_round_trip(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "board.json"
    before = checkout_state(repo)
    written = runner.invoke(app, ["snapshot", "-o", str(snapshot)])
    assert checkout_state(repo) == before
    assert (written.exit_code, written.stdout) == (0, "")
    assert written.stderr == f"wrote {snapshot}: 10 files, commit {short(repo, 'HEAD')} on main\n"

    same = diff(runner, repo, str(snapshot), "--exit-code")
    assert same.exit_code == 0
    assert same.stdout.splitlines()[:2] == [
        f"pfm diff: snapshot {snapshot} (commit {short(repo, 'HEAD')}) -> working tree",
        "No material change",
    ]

    (repo / "items" / "d.yaml").write_text(scored("d", 2, 3), encoding="utf-8")
    assert runner.invoke(app, ["-q", "snapshot", "-o", str(snapshot)]).stderr == ""
    data = payload(diff(runner, repo, str(snapshot), "HEAD", "-f", "json"))
    assert data["headline"] == "1 new error"
    old = data["old"]
    assert isinstance(old, dict)
    assert old["label"] == f"snapshot {snapshot} (commit {short(repo, 'HEAD')})"


def test_a_folder_as_either_side(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "HEAD~3")
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    git(repo, "checkout", "-q", "main")

    data = payload(diff(runner, repo, str(copy), "HEAD~2", "-f", "json"))
    assert data["old"] == {"label": str(copy), "ok": True, "errors": 0, "warnings": 0}
    assert data["headline"] == "2 items re-ranked"


def test_the_same_scenario_applies_to_both_sides(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin = "apiVersion: pfm/v1\nkind: Scenario\nid: pin-c\ntitle: Pin c\nitems:\n  c: {scores: {value: 1}}\n"
    for side, value in (("old", 3), ("new", 5)):
        for name, text in {"portfolio.yaml": BUDGETED, "scenarios/pin-c.yaml": pin}.items():
            (tmp_path / side / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / side / name).write_text(text, encoding="utf-8")
        for ident, v, r in (("b", 4, 2), ("c", value, 2)):
            (tmp_path / side / "items").mkdir(exist_ok=True)
            (tmp_path / side / "items" / f"{ident}.yaml").write_text(scored(ident, v, r), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no portfolio here: two folders need none

    plain = payload(runner.invoke(app, ["diff", "old", "new", "-f", "json"]))
    pinned = payload(runner.invoke(app, ["-s", "pin-c", "diff", "old", "new", "-f", "json"]))

    assert plain["headline"] == "2 items re-ranked"
    assert pinned["headline"] == "1 entity changed"  # c's new value is overridden on both sides
    assert pinned == payload(runner.invoke(app, ["diff", "old", "new", "-f", "json", "--scenario", "pin-c"]))
    missing = runner.invoke(app, ["diff", "old", "new", "-s", "nope"])
    assert (missing.exit_code, missing.stderr) == (2, "pfm: error: old: no scenario 'nope' (scenarios: pin-c)\n")


def test_a_base_without_the_portfolio_adds_everything(runner: CliRunner, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "readme", {"README.md": "portfolio to come\n"})
    commit(tmp_path, "portfolio", {"port/portfolio.yaml": BUDGETED, "port/items/a.yaml": scored("a", 5, 1)})

    data = payload(diff(runner, tmp_path, "HEAD~1", "-f", "json", env={"PFM_PORTFOLIO": str(tmp_path / "port")}))

    assert data["headline"] == "1 item added"
    assert data["notes"] == [
        f"ranks, totals and NPV not compared: HEAD~1 ({short(tmp_path, 'HEAD~1')}) has no portfolio"
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["nope"], "unknown revision 'nope' in {top}"),
        (["HEAD", "-m", "magic"], None),
        (["-x"], None),
    ],
)
def test_bad_revisions_and_options_are_one_line_errors(
    runner: CliRunner, repo: Path, args: list[str], error: str | None
) -> None:
    result = diff(runner, repo, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    if error is not None:
        assert result.stderr == f"pfm: error: {error.format(top=repo)}\n"


def test_outside_git_a_revision_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "portfolio.yaml").write_text(BUDGETED, encoding="utf-8")
    result = runner.invoke(
        app, ["-p", str(tmp_path), "diff", "main"], env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    )
    assert (result.exit_code, result.stderr) == (2, f"pfm: error: {tmp_path} is not in a git repository\n")


# --- interrupted ---------------------------------------------------------------------------------


def big_history(top: Path) -> None:
    """Two commits of 600 items: enough for a diff to take a moment."""
    git(top, "init", "-q", "-b", "main")
    items = {f"items/i{n:03}.yaml": scored(f"i{n:03}", 1 + n % 5, 1 + n % 3) for n in range(600)}
    commit(top, "many", {"portfolio.yaml": BUDGETED, **items})
    commit(top, "one more", {"items/extra.yaml": scored("extra", 5, 1)})


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_diff_leaves_no_temporary_folder_and_the_checkout_alone(tmp_path: Path, signum: int) -> None:
    top, scratch = tmp_path / "repo", tmp_path / "tmp"
    top.mkdir()
    scratch.mkdir()
    big_history(top)
    (top / "items" / "i000.yaml").write_text(scored("i000", 5, 5), encoding="utf-8")  # uncommitted
    before = checkout_state(top)
    environment = {**GIT_ENV, "TMPDIR": str(scratch), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "pfm", "-p", str(top), "diff", "HEAD~1", "HEAD"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Wait until pfm is writing an old revision's files, then stop it. (Only pfm's own folder counts:
    # Python's tempfile briefly writes a probe file into TMPDIR the first time it looks for it.)
    while process.poll() is None and not any(path.is_file() for path in scratch.glob("pfm-revision-*/**/*")):
        time.sleep(0.001)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)

    assert (process.returncode, stderr) == (130, b"pfm: interrupted\n")
    assert list(scratch.iterdir()) == []
    assert checkout_state(top) == before


# --- history ---------------------------------------------------------------------------------------


def test_history_rows(runner: CliRunner, repo: Path) -> None:
    result = runner.invoke(app, ["history", "-f", "csv"])

    assert (result.exit_code, result.stderr) == (0, "")
    shas = [short(repo, f"HEAD~{n}") for n in range(4, -1, -1)]
    date = git(repo, "log", "-1", "--format=%cs").strip()
    figures = [
        "4,0,240000.0,0.0,100000.0",
        "5,0,330000.0,0.0,130000.0",
        "5,0,330000.0,0.0,130000.0",
        "5,2,,,",
        "5,1,,,",
    ]
    assert (
        result.stdout
        == "\ufeff"
        + "\n".join(  # CliRunner reads the CSV's CRLF as LF
            [
                "commit,date,subject,items,errors,capex,opex,NPV",
                *(f"{sha},{date},{subject},{row}" for sha, subject, row in zip(shas, SUBJECTS, figures, strict=True)),
            ]
        )
        + "\n"
    )


def test_history_reads_its_cache_unless_told_not_to(runner: CliRunner, repo: Path, _user_cache: Path) -> None:
    first = runner.invoke(app, ["history", "-f", "json"])
    kept = sorted((_user_cache / "history").glob("*.json"))
    assert first.exit_code == 0 and len(kept) == 5  # one file per commit: each changed the files
    for path in kept:
        path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")) | {"errors": 9}), encoding="utf-8")

    cached = json.loads(runner.invoke(app, ["history", "-f", "json"]).stdout)
    computed = json.loads(runner.invoke(app, ["history", "--no-cache", "-f", "json"]).stdout)
    assert {c["errors"] for c in cached["commits"]} == {9}
    assert computed == json.loads(first.stdout)


def test_history_of_one_item_as_json(runner: CliRunner, repo: Path) -> None:
    result = runner.invoke(app, ["history", "--item", "c", "--since", "HEAD~3", "-f", "json"])

    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert list(data) == ["method", "item", "commits"]
    assert (data["method"], data["item"]) == ("weighted", "c")
    first, *rest = data["commits"]
    assert list(first) == ["sha", "date", "subject", "items", "errors", "totals", "npv", "ranks", "costs"]
    assert first["sha"] == git(repo, "rev-parse", "HEAD~2").strip()
    assert first["date"] == git(repo, "log", "-1", "--format=%cI", "HEAD~2").strip()
    assert first["totals"] == {
        "2027": {"capex": 330_000, "opex": 0, "benefits": 0},
        "2028": {"capex": 0, "opex": 0, "benefits": 460_000},
    }
    assert first["ranks"] == {"c": {"rank": 3, "score": pytest.approx(91.6667, abs=1e-4)}}
    assert first["costs"] == {"c": 60_000}  # its business case's capex
    assert [(c["subject"], c["errors"], c["totals"], c["npv"], c["ranks"], c["costs"]) for c in rest] == [
        (SUBJECTS[3], 2, None, None, None, None),
        (SUBJECTS[4], 1, None, None, None, None),
    ]


def test_history_every_rank_and_the_other_formats(runner: CliRunner, repo: Path) -> None:
    data = json.loads(runner.invoke(app, ["history", "-f", "json", "-m", "wsjf"]).stdout)
    assert data["item"] is None and data["method"] == "wsjf"
    assert data["commits"][1]["ranks"] == {}  # no item has WSJF inputs: none is ranked by it
    data = json.loads(runner.invoke(app, ["history", "-f", "json"]).stdout)
    assert sorted(data["commits"][1]["ranks"]) == ["a", "b", "c", "d", "e"]
    markdown = runner.invoke(app, ["history", "-f", "markdown", "--item", "e"]).stdout
    assert markdown.startswith(
        "### History of e (weighted)\n\n| commit | date | subject | items | errors | score | rank | cost |\n"
    )
    assert "| Start the portfolio | 4 | 0 |  |  |  |\n" in markdown
    assert "| Add e with its business case | 5 | 0 | 100.00 | 2 | 90,000 |\n" in markdown


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["history", "--item", "cc"], "no item 'cc' in any of the 5 commits; did you mean 'c'?"),
        (["-s", "x", "history"], "pfm history shows the portfolio as committed: it applies no scenario (drop -s)"),
        (["history", "--since", "nope"], "unknown revision 'nope' in {top}"),
    ],
)
def test_history_errors(runner: CliRunner, repo: Path, args: list[str], error: str) -> None:
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"pfm: error: {error.format(top=repo)}\n")
