"""pfm.io.revisions on real git repositories made in tmp_path: old files come out, the checkout never changes."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pfm.io.caches import SHARED_MEMORY, scratch_folder
from pfm.io.revisions import (
    Commit,
    Provenance,
    RevisionError,
    _git_executable,
    commits,
    is_snapshot,
    materialise,
    provenance,
    write_snapshot,
)
from tests.helpers import checkout_state, commit, contents, git, write

PORTFOLIO = """\
apiVersion: pfm/v1
kind: Portfolio
id: demo
name: Demo
currency: GBP
periods: {first: 2027-Q1, last: 2027-Q4}
"""


@pytest.fixture
def top(tmp_path: Path) -> Path:
    """An empty repository on branch main."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    return folder


@pytest.fixture
def history(top: Path) -> Path:
    """A portfolio at the top level with two commits; the branch `old` keeps the first."""
    commit(top, "first", {"portfolio.yaml": PORTFOLIO, "items/a.yaml": "id: a\nv: 1\n", "README.md": "no"})
    git(top, "branch", "old")
    commit(top, "second", {"items/a.yaml": "id: a\nv: 2\n", "items/b.yml": "id: b\n"})
    return top


@pytest.fixture
def no_git_cache() -> Iterator[None]:
    _git_executable.cache_clear()
    yield
    _git_executable.cache_clear()


@pytest.mark.parametrize("spec", ["old", "HEAD~1", "sha"])
def test_a_revision_gives_the_old_files_and_leaves_the_checkout_alone(history: Path, spec: str) -> None:
    first = git(history, "rev-parse", "old").strip()
    spec = first if spec == "sha" else spec
    (history / "items" / "a.yaml").write_text("id: a\nv: 3\n")  # uncommitted: must survive
    before = checkout_state(history)
    with materialise(spec, history) as (folder, label):
        assert contents(folder) == {"portfolio.yaml": PORTFOLIO.encode(), "items/a.yaml": b"id: a\nv: 1\n"}
        assert label == f"{spec} ({first[:7]})"
    assert not folder.exists()
    assert checkout_state(history) == before
    assert (history / "items" / "a.yaml").read_text() == "id: a\nv: 3\n"


def test_an_interrupted_body_removes_the_folder_and_changes_nothing(history: Path) -> None:
    before = checkout_state(history)
    with pytest.raises(KeyboardInterrupt), materialise("old", history) as (folder, _):
        assert (folder / "portfolio.yaml").is_file()
        raise KeyboardInterrupt
    assert not folder.exists()
    assert checkout_state(history) == before


def test_revisions_are_written_to_memory_unless_tmpdir_says_otherwise(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMPDIR", raising=False)
    with materialise("old", history) as (folder, _):
        in_memory = Path(SHARED_MEMORY).is_dir() and os.access(SHARED_MEMORY, os.W_OK)
        assert folder.parent == (Path(SHARED_MEMORY) if in_memory else Path(tempfile.gettempdir()))
    assert not folder.exists()
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert scratch_folder() is None  # tempfile then honours TMPDIR


def test_a_portfolio_in_a_sub_folder_comes_with_its_own_files_only(top: Path) -> None:
    commit(
        top,
        "first",
        {
            "README.md": "top",
            "port/portfolio.yaml": PORTFOLIO,
            "port/items/a.yaml": "id: a\n",
            "port/templates/report.html": "<h1>{{ name }}</h1>",
            "port/notes.txt": "not read",
            "portfolio-two/portfolio.yaml": PORTFOLIO,
        },
    )
    commit(top, "second", {"port/items/a.yaml": "id: a\nnew: true\n"})
    with materialise("HEAD~1", top / "port") as (folder, _):
        assert contents(folder) == {
            "portfolio.yaml": PORTFOLIO.encode(),
            "items/a.yaml": b"id: a\n",
            "templates/report.html": b"<h1>{{ name }}</h1>",
        }


def test_a_portfolio_missing_at_the_revision_is_an_empty_folder(top: Path) -> None:
    commit(top, "before the portfolio", {"README.md": "x"})
    commit(top, "portfolio", {"port/portfolio.yaml": PORTFOLIO})
    with materialise("HEAD~1", top / "port") as (folder, label):
        assert list(folder.iterdir()) == []
        assert label.startswith("HEAD~1 (")


def test_symlinks_in_the_tree_are_not_written(top: Path) -> None:
    write(top, {"portfolio.yaml": PORTFOLIO})
    (top / "items").mkdir()
    (top / "items" / "secret.yaml").symlink_to("/etc/passwd")
    commit(top, "with a link", {})
    with materialise("HEAD", top) as (folder, _):
        assert contents(folder) == {"portfolio.yaml": PORTFOLIO.encode()}


def test_an_unknown_revision_is_a_one_line_error(history: Path) -> None:
    with pytest.raises(RevisionError) as caught, materialise("mian", history):
        pass
    assert str(caught.value) == f"unknown revision 'mian' in {history.resolve()}"


def test_a_folder_outside_git_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(RevisionError) as caught, materialise("HEAD", tmp_path):
        pass
    assert str(caught.value) == f"{tmp_path} is not in a git repository"
    assert provenance(tmp_path) == Provenance(None, None, False, None)


def test_missing_git_is_a_one_line_error(history: Path, monkeypatch: pytest.MonkeyPatch, no_git_cache: None) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(RevisionError, match=r"^git is not installed$"), materialise("HEAD", history):
        pass
    assert provenance(history) == Provenance(None, None, False, None)


def test_a_folder_spec_is_used_in_place(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(history.parent)
    with materialise("repo/items", history) as (folder, label):
        assert (folder, label) == (history.resolve(), "repo/items")
    assert (history / "items" / "a.yaml").is_file()


def test_a_snapshot_round_trip_gives_identical_files(history: Path, tmp_path: Path) -> None:
    extra = {"templates/report.html": "<p>£</p>\r\n", "items/c.yaml": "\ufeffid: c\n"}
    write(history, extra)
    (history / "templates" / "logo.png").write_bytes(b"\x89PNG\xff\x00")
    snapshot = tmp_path / "before.json"

    assert write_snapshot(history, snapshot) == 6
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("pfm-snapshot", 1)
    head = git(history, "rev-parse", "HEAD").strip()
    date = git(history, "log", "-1", "--format=%cI").strip()
    assert data["provenance"] == {"commit": head, "branch": "main", "dirty": True, "date": date}
    assert is_snapshot(snapshot)
    (history / "items" / "a.yaml").write_text("changed after the snapshot")

    with materialise(str(snapshot), history) as (folder, label):
        assert label == f"snapshot {snapshot} (commit {head[:7]})"
        assert contents(folder) == {
            "portfolio.yaml": PORTFOLIO.encode(),
            "items/a.yaml": b"id: a\nv: 2\n",
            "items/b.yml": b"id: b\n",
            "items/c.yaml": "\ufeffid: c\n".encode(),
            "templates/report.html": "<p>£</p>\r\n".encode(),
            "templates/logo.png": b"\x89PNG\xff\x00",
        }
    assert not folder.exists()


def test_a_snapshot_outside_git_has_no_provenance(tmp_path: Path) -> None:
    write(tmp_path / "port", {"portfolio.yaml": PORTFOLIO})
    write_snapshot(tmp_path / "port", tmp_path / "snap.json")
    with materialise(str(tmp_path / "snap.json"), tmp_path / "port") as (folder, label):
        assert label == f"snapshot {tmp_path / 'snap.json'}"
        assert contents(folder) == {"portfolio.yaml": PORTFOLIO.encode()}


@pytest.mark.parametrize("name", ["../escape.yaml", "/tmp/escape.yaml", "items/../../escape.yaml", "a\\..\\b.yaml"])
def test_a_snapshot_path_leaving_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    snapshot = tmp_path / "evil.json"
    snapshot.write_text(json.dumps({"format": "pfm-snapshot", "version": 1, "files": {name: "x"}}))
    with pytest.raises(RevisionError, match="unsafe file path"), materialise(str(snapshot), tmp_path):
        pass
    assert not (tmp_path.parent / "escape.yaml").exists()


def test_only_snapshots_are_snapshots(tmp_path: Path) -> None:
    write(tmp_path, {"portfolio.yaml": PORTFOLIO, "other.json": '{"format": "something else"}', "list.json": "[1]"})
    (tmp_path / "random.bin").write_bytes(b"\x00\xff{\x80" * 100)
    (tmp_path / "brace.bin").write_bytes(b"{\xff\xfe")
    names = ["portfolio.yaml", "other.json", "list.json", "random.bin", "brace.bin", "missing.json", "."]
    assert [is_snapshot(tmp_path / name) for name in names] == [False] * len(names)


def test_a_file_that_is_not_a_snapshot_says_so(history: Path) -> None:
    with pytest.raises(RevisionError) as caught, materialise(str(history / "portfolio.yaml"), history):
        pass
    assert str(caught.value) == f"not a pfm snapshot: {history / 'portfolio.yaml'}"


def test_commits_come_oldest_first_and_after_since(history: Path) -> None:
    third = commit(history, "third\twith a tab", {"items/b.yml": "id: b\nx: 1\n"})
    commit(history, "outside the portfolio", {"README.md": "changed"})
    found = commits(history)
    assert [c.subject for c in found] == ["first", "second", "third\twith a tab", "outside the portfolio"]
    assert found[2] == Commit(third, found[2].date, "third\twith a tab")
    assert found[2].date[:4].isdigit() and "T" in found[2].date
    assert [c.subject for c in commits(history, since="old")] == [
        "second",
        "third\twith a tab",
        "outside the portfolio",
    ]
    assert [c.subject for c in commits(history, paths=["items/b.yml"])] == ["second", "third\twith a tab"]


def test_commits_of_a_sub_folder_leave_out_the_rest(top: Path) -> None:
    commit(top, "portfolio", {"port/portfolio.yaml": PORTFOLIO})
    commit(top, "elsewhere", {"other/x.yaml": "x: 1\n"})
    commit(top, "item", {"port/items/a.yaml": "id: a\n"})
    assert [c.subject for c in commits(top / "port")] == ["portfolio", "item"]
    with pytest.raises(RevisionError, match="outside the portfolio folder"):
        commits(top / "port", paths=["../other"])
    with pytest.raises(RevisionError, match=r"^unknown revision 'nope' in "):
        commits(top / "port", since="nope")


def test_provenance_names_the_commit_branch_and_changes_under_the_portfolio_only(top: Path) -> None:
    sha = commit(top, "portfolio", {"port/portfolio.yaml": PORTFOLIO})
    clean = provenance(top / "port")
    assert (clean.commit, clean.branch, clean.dirty) == (sha, "main", False)
    assert clean.date == git(top, "log", "-1", "--format=%cI").strip()
    write(top, {"elsewhere.yaml": "x: 1\n"})
    assert not provenance(top / "port").dirty
    # What pfm writes into the folder, and what it never reads, leave the portfolio as committed.
    write(top, {"port/pack/board-pack.md": "# pack\n", "port/.venv/lib/x.yaml": "x: 1\n", "port/notes.txt": "-"})
    write(top, {"port/node_modules/y.yaml": "y: 1\n"})
    assert not provenance(top / "port").dirty
    write(top, {"port/items/new/n.yaml": "id: new\n"})  # an untracked folder holding YAML
    assert provenance(top / "port").dirty
    (top / "port" / "items" / "new" / "n.yaml").unlink()
    write(top, {"port/templates/board-pack.css": "h1 {}\n"})  # a template the pack would use
    assert provenance(top / "port").dirty
    (top / "port" / "templates" / "board-pack.css").unlink()
    assert not provenance(top / "port").dirty
    git(top, "mv", "port/portfolio.yaml", "port/renamed.yaml")
    assert provenance(top / "port").dirty
    git(top, "mv", "port/renamed.yaml", "port/portfolio.yaml")
    git(top, "checkout", "-q", "--detach")
    assert provenance(top / "port").branch is None


def test_a_git_hook_environment_does_not_mislead(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_DIR", "/nowhere/.git")
    monkeypatch.setenv("GIT_INDEX_FILE", "/nowhere/index")
    assert provenance(history).branch == "main"
