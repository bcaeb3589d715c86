"""A set of files written all or nothing: failures and interruptions at real points leave the old set as it was."""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from pfm.io.file_sets import _signals_held, write_set
from pfm.io.files import CannotWrite

OLD: dict[str, str | bytes] = {
    "pack.md": "old md",
    "pack-charts/a.svg": "<svg>old a</svg>",
    "pack-charts/gone.svg": "x",
    "pack.pdf": b"%PDF old",
}
NEW: dict[str, str | bytes] = {
    "pack.md": "new md",
    "pack-charts/a.svg": "<svg>new a</svg>",
    "pack.html": "<p>new",
    "pack.pdf": b"%PDF new",
}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder`: files with their bytes, folders as None."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A folder holding an old pack and a file of the user's."""
    folder = tmp_path / "out"
    write_set(folder, OLD)
    (folder / "notes.txt").write_text("mine")
    return folder


def test_the_new_set_replaces_the_old_and_leaves_the_users_files(pack: Path) -> None:
    written = write_set(pack, NEW)

    assert written == [pack / name for name in NEW]
    after = snapshot(pack)
    assert after == {
        "notes.txt": b"mine",
        "pack-charts": None,
        "pack-charts/a.svg": b"<svg>new a</svg>",  # the charts folder is the pack's own: replaced whole
        "pack.html": b"<p>new",
        "pack.md": b"new md",
        "pack.pdf": b"%PDF new",
    }


class Interrupting(Mapping[str, str | bytes]):
    """The new files, but reading the third one sends this process a real SIGINT (Ctrl-C)."""

    def __getitem__(self, name: str) -> str | bytes:
        if name == list(NEW)[2]:
            os.kill(os.getpid(), signal.SIGINT)
        return NEW[name]

    def __iter__(self) -> Iterator[str]:
        return iter(NEW)

    def __len__(self) -> int:
        return len(NEW)


def test_ctrl_c_while_writing_leaves_the_old_set_and_no_temporary_folder(pack: Path) -> None:
    before = snapshot(pack)
    with pytest.raises(KeyboardInterrupt):
        write_set(pack, Interrupting())
    assert snapshot(pack) == before


def test_a_folder_in_the_way_of_a_later_file_undoes_the_earlier_ones(pack: Path) -> None:
    (pack / "pack.pdf").unlink()
    (pack / "pack.pdf").mkdir()  # someone's folder where the last file must go
    (pack / "pack.pdf" / "keep.txt").write_text("keep")
    before = snapshot(pack)

    with pytest.raises(CannotWrite, match=r"cannot write .*pack\.pdf: Is a directory"):
        write_set(pack, NEW)
    assert snapshot(pack) == before


def test_a_file_in_the_way_of_the_charts_folder_is_refused(pack: Path) -> None:
    for path in (pack / "pack-charts").iterdir():
        path.unlink()
    (pack / "pack-charts").rmdir()
    (pack / "pack-charts").write_text("a file of the user's")
    before = snapshot(pack)

    with pytest.raises(CannotWrite, match="pack-charts: a file is in the way"):
        write_set(pack, NEW)
    assert snapshot(pack) == before


def test_a_folder_made_for_a_failed_write_is_removed(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        write_set(tmp_path / "new" / "out", Interrupting())
    assert list(tmp_path.iterdir()) == [tmp_path / "new"]  # the folder above stays: only the pack's own is removed
    assert list((tmp_path / "new").iterdir()) == []


def test_a_replaced_file_keeps_its_permissions(pack: Path) -> None:
    (pack / "pack.md").chmod(0o600)
    write_set(pack, NEW)
    assert stat.S_IMODE((pack / "pack.md").stat().st_mode) == 0o600


def test_ctrl_c_during_the_swap_waits_until_it_is_over() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), _signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        reached.append("after the signal")
    assert reached == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
