from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pfm.files import CannotWrite, write_atomic


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
