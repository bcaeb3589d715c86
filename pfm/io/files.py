"""Writing files so that an interrupted run never leaves a half-written one."""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from pfm.errors import PfmError


class CannotWrite(PfmError):
    """An output file could not be written; the message names it and says why."""


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write `text` (or bytes) to `path` through a temporary file in the same folder, renamed into place.

    A target that exists and is not a regular file (/dev/null, a pipe, a terminal) is
    written to directly: renaming over it would replace the device itself.
    """
    data = text.encode() if isinstance(text, str) else text
    try:
        _write(path, data)
    except OSError as error:  # a folder that cannot be made or written to, a full disk
        raise CannotWrite(f"cannot write {path}: {error.strerror or error}") from None


def make_folder(path: Path) -> None:
    """Make the folder `path`, with its parents, unless it is there already."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # exist_ok spares folders only
        raise CannotWrite(f"cannot make folder {path}: a file of that name is in the way") from None
    except OSError as error:
        raise CannotWrite(f"cannot make folder {path}: {error.strerror or error}") from None


def append(path: Path, text: str) -> None:
    """Add `text` at the end of the file `path` (made if missing)."""
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        raise CannotWrite(f"cannot write {path}: {error.strerror or error}") from None


def _write(path: Path, data: bytes) -> None:
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        with path.open("wb") as stream:
            stream.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, _mode(path))  # mkstemp makes the file private; the result should not be
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets under the umask."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def append_step_summary(markdown: Callable[[], str]) -> None:
    """Add the Markdown to the job's summary on GitHub Actions (when $GITHUB_STEP_SUMMARY names the file)."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        append(Path(summary_file), markdown())


@contextmanager
def terminated_as_interrupt() -> Iterator[None]:
    """Let SIGTERM (a cancelled CI job, `kill`) end the command as Ctrl-C does, so temporary files are removed."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def stdout_failure(error: OSError) -> PfmError | None:
    """What a failed write to stdout means: None when the reader left (nothing more to say), else the error to give.

    Whatever is still buffered is dropped, so that flushing it at exit fails no second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    if isinstance(error, BrokenPipeError):
        return None
    return CannotWrite(f"cannot write to standard output: {error.strerror or error}")
