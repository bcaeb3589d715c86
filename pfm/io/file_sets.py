"""Writing several files as one set: a reader finds the old set or the new one, never a mixture.

Everything is written first into a temporary folder inside the target folder (so on the same
file system), where a full disk or an interruption costs nothing but that folder. Only then is
each top-level entry renamed into place: a file by one atomic rename over the old one, a folder
(a pack's charts) by moving the old one aside and the new one in. Ctrl-C and SIGTERM wait until
the renames are over, and if one fails (a folder in the way of a file, say) those already done
are undone from the old versions, kept until the end. Files in the target folder that are not
part of the set are never touched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pfm.io.files import CannotWrite

if TYPE_CHECKING:
    from types import FrameType

STAGING_PREFIX = ".pfm-tmp-"  # hidden, so pfm never reads a left-over one as part of a portfolio


def write_set(folder: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write `files` (path relative to `folder` -> content) into `folder` as one set; the paths written, in order."""
    made = not folder.exists()
    staging = None
    try:
        with _signals_held():  # a Ctrl-C between making the temporary folder and knowing its name would leave it
            staging = _make_staging(folder)
        _stage(folder, staging / "new", files)
        _swap(folder, staging, list(dict.fromkeys(Path(name).parts[0] for name in files)))
    except BaseException:
        with _signals_held():
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            if made:
                with contextlib.suppress(OSError):  # only if empty: it may hold files written meanwhile by others
                    folder.rmdir()
        raise
    with _signals_held():
        shutil.rmtree(staging, ignore_errors=True)  # the old versions
    return [folder / name for name in files]


def _make_staging(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=folder, prefix=STAGING_PREFIX))
    except OSError as error:
        raise CannotWrite(f"cannot write {folder}: {_reason(error)}") from None


def _stage(folder: Path, staging: Path, files: Mapping[str, str | bytes]) -> None:
    """Each file written under `staging`, with the permissions of the file it will replace."""
    for name, content in files.items():
        path = staging / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode() if isinstance(content, str) else content)
            if (folder / name).is_file():
                shutil.copymode(folder / name, path)
        except OSError as error:  # a full disk, a file size limit
            raise CannotWrite(f"cannot write {folder / name}: {_reason(error)}") from None


def _swap(folder: Path, staging: Path, entries: list[str]) -> None:
    """Rename each staged entry into `folder`, all or none."""
    old = staging / "old"
    old.mkdir()
    done: list[str] = []
    with _signals_held():
        try:
            for entry in entries:
                _put(folder / entry, staging / "new" / entry, old / entry)
                done.append(entry)
        except OSError as error:
            with contextlib.suppress(OSError):  # best effort: a rename has already failed
                _restore(folder / entry, old / entry)
                for placed in reversed(done):
                    _undo(folder / placed, staging / "new" / placed, old / placed)
            raise CannotWrite(f"cannot write {folder / entry}: {_reason(error)}") from None


def _put(target: Path, new: Path, old: Path) -> None:
    """`new` in place of `target`, whose old version (if any) stays reachable as `old`."""
    exists = os.path.lexists(target)
    if new.is_dir():
        if exists and not target.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "a file is in the way of the folder")
        if exists:
            target.rename(old)
        new.rename(target)
        return
    if exists and not target.is_dir():
        _keep(target, old)
    new.replace(target)  # atomic: a reader opens the old file or the new one


def _keep(target: Path, old: Path) -> None:
    """A second name for the old file, so that it can be put back; a copy where hard links are not supported."""
    try:
        os.link(target, old, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, old, follow_symlinks=False)


def _undo(target: Path, new: Path, old: Path) -> None:
    """Take back what `_put` placed at `target` and put its old version back."""
    if target.is_dir() and not target.is_symlink():
        target.rename(new)
    elif not os.path.lexists(old):
        target.unlink()
    _restore(target, old)


def _restore(target: Path, old: Path) -> None:
    if os.path.lexists(old):
        old.replace(target)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM take effect when the block is over, so they cannot land between two renames."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread receives signals
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
    if caught:
        signal.raise_signal(caught[0])  # now, to whoever handled it before


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def replace_folder(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """`folder` made to hold exactly `files`: written into a temporary folder beside it, then renamed into its
    place (the old one moved aside first, and removed after), so no reader ever sees half of it."""
    parent = folder.absolute().parent
    staging = None
    try:
        with _signals_held():
            parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=parent, prefix=STAGING_PREFIX))
        _stage(staging / "new", staging / "new", files)
        (staging / "new").mkdir(exist_ok=True)  # an empty set is an empty folder
        with _signals_held():
            if os.path.lexists(folder):
                if not folder.is_dir() or folder.is_symlink():
                    raise NotADirectoryError(errno.ENOTDIR, "a file is in the way of the folder")
                folder.rename(staging / "old")
            (staging / "new").rename(folder)
    except OSError as error:
        if staging is not None and not os.path.lexists(folder) and (staging / "old").is_dir():
            (staging / "old").rename(folder)  # the new one could not take its place: the old one goes back
        raise CannotWrite(f"cannot write {folder}: {_reason(error)}") from None
    finally:
        with _signals_held():
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    return folder
