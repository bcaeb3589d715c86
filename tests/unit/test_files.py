from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from pfm.io.files import CannotWrite, append, make_folder, write_atomic
from pfm.io.loading import FileResult, load_file


def test_writes_through_a_temporary_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.json"
    write_atomic(target, "{}\n")
    assert target.read_text() == "{}\n"
    assert list(target.parent.iterdir()) == [target]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def broken_replace(self: Path, other: Path) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_new_files_follow_the_umask_and_replaced_ones_keep_their_mode(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.pdf", b"%PDF-1.7")
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        write_atomic(kept, "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.pdf").stat().st_mode) == 0o644
    assert (tmp_path / "new.pdf").read_bytes() == b"%PDF-1.7"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_a_file_that_cannot_be_written_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(CannotWrite, match=r"^cannot write .*taken/out\.md: (File exists|Not a directory)$"):
        write_atomic(tmp_path / "taken" / "out.md", "x")
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(CannotWrite, match=r"^cannot write .*folder\.md: Is a directory$"):
        write_atomic(tmp_path / "folder.md", "x")


def test_a_folder_cannot_be_made_where_a_file_is(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file")
    make_folder(tmp_path / "new" / "deeper")
    make_folder(tmp_path / "new")
    assert (tmp_path / "new" / "deeper").is_dir()
    with pytest.raises(CannotWrite, match=r"^cannot make folder .*taken: a file of that name is in the way$"):
        make_folder(tmp_path / "taken")
    with pytest.raises(CannotWrite, match=r"^cannot make folder .*taken/sub: Not a directory$"):
        make_folder(tmp_path / "taken" / "sub")
    assert (tmp_path / "taken").read_text() == "a file"


def test_appending_adds_to_the_end_or_is_a_one_line_error(tmp_path: Path) -> None:
    append(tmp_path / "summary.md", "one\n")
    append(tmp_path / "summary.md", "two\n")
    assert (tmp_path / "summary.md").read_text() == "one\ntwo\n"
    with pytest.raises(CannotWrite, match=r"^cannot write .*: Is a directory$"):
        append(tmp_path, "x")


# Reading: only regular files, and links that lead somewhere


def _load_or_hang(root: Path, file: str) -> FileResult:
    """load_file, failing the test (not hanging it) when reading blocks."""
    results: list[FileResult] = []
    reader = threading.Thread(target=lambda: results.append(load_file(root, file)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert results, f"reading {file} blocked"
    return results[0]


def test_a_named_pipe_is_a_finding_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "evil.yaml")
    result = _load_or_hang(tmp_path, "evil.yaml")
    assert result.documents == ()
    assert [(p.rule, p.location.file, p.location.line) for p in result.problems] == [
        ("file.not-regular", "evil.yaml", 1)
    ]


@pytest.mark.parametrize("links", [{"self.yaml": "self.yaml"}, {"a.yaml": "b.yaml", "b.yaml": "a.yaml"}])
def test_a_link_loop_is_a_finding_on_the_link(tmp_path: Path, links: dict[str, str]) -> None:
    for name, target in links.items():
        (tmp_path / name).symlink_to(target)
    for name in links:
        result = load_file(tmp_path, name)
        assert [(p.rule, p.message, p.location.file) for p in result.problems] == [
            ("file.unreadable", "cannot read file: the file is a symbolic link in a loop", name)
        ]
