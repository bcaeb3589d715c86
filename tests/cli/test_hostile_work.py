"""Hostile work: a pack written as a set or not at all, and a sensitivity run that is bounded, visible and stoppable."""

from __future__ import annotations

import os
import pty
import resource
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE, PORTFOLIO, REPO, WriteTree

# --- report: the pack as a set ---------------------------------------------------------------------

OLD_DATE, NEW_DATE = "2026-01-05", "2026-02-02"  # the date is on the cover: the old and new files differ


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder`, hidden ones included: files with their bytes, folders as None."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def old_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's full pack (Markdown, charts, HTML, PDF), written once; tests work on copies."""
    folder = tmp_path_factory.mktemp("old") / "pack"
    result = CliRunner().invoke(app, ["-p", str(EXAMPLE), "report", "-o", str(folder), "--date", OLD_DATE])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def pack(old_pack: Path, tmp_path: Path) -> Path:
    """A copy of the old pack, beside a file of the user's."""
    folder = tmp_path / "pack"
    shutil.copytree(old_pack, folder)
    (folder / "minutes.docx").write_bytes(b"the user's")
    return folder


# A file size limit makes a large write fail as a full disk would; with SIGXFSZ ignored, the write fails
# with EFBIG instead of the signal killing pfm.
LIMITED = (
    "import resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "limit = int(sys.argv.pop(1)); resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); "
    "runpy.run_module('pfm', run_name='__main__', alter_sys=True)"
)


def report(pack: Path, *args: str, limit: int = resource.RLIM_INFINITY) -> subprocess.Popen[bytes]:
    """`pfm report` into `pack` with the new date, as a process of its own; files over `limit` bytes cannot be written."""
    command = [sys.executable, "-c", LIMITED, str(limit), "-p", str(EXAMPLE), "report", "-o", str(pack)]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [*command, "--date", NEW_DATE, *args], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_a_folder_in_the_way_of_the_html_leaves_the_whole_old_pack(runner: CliRunner, pack: Path) -> None:
    (pack / "board-pack.html").unlink()
    (pack / "board-pack.html").mkdir()
    (pack / "board-pack.html" / "keep.txt").write_text("the user's")
    before = snapshot(pack)

    result = runner.invoke(
        app, ["-p", str(EXAMPLE), "report", "-o", str(pack), "--date", NEW_DATE, "-f", "md", "-f", "html"]
    )

    assert result.exit_code == 2
    assert result.stderr == f"pfm: error: cannot write {pack / 'board-pack.html'}: Is a directory\n"
    assert result.stdout == ""
    assert snapshot(pack) == before


def test_a_pdf_too_large_to_write_leaves_the_whole_old_pack(pack: Path) -> None:
    sizes = {path.name: path.stat().st_size for path in pack.rglob("*") if path.is_file()}
    limit = (sizes["board-pack.html"] + sizes["board-pack.pdf"]) // 2  # the Markdown, charts and HTML fit; the PDF not
    assert max(size for name, size in sizes.items() if name != "board-pack.pdf") < limit < sizes["board-pack.pdf"]
    before = snapshot(pack)

    _, stderr = report(pack, limit=limit).communicate(timeout=300)

    assert stderr.decode() == f"pfm: error: cannot write {pack / 'board-pack.pdf'}: File too large\n"
    assert snapshot(pack) == before


def test_ctrl_c_while_the_pack_is_written_leaves_the_old_pack_or_the_new_one(pack: Path) -> None:
    before = snapshot(pack)
    process = report(pack, "-f", "md", "-f", "html")
    # Wait until pfm writes its first file (a hidden temporary one), stop it where it is, press Ctrl-C, let it go on.
    while process.poll() is None and not any(path.name.startswith(".") for path in pack.iterdir()):
        time.sleep(0.0002)
    process.send_signal(signal.SIGSTOP)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    _, stderr = process.communicate(timeout=300)

    after = snapshot(pack)
    assert (process.returncode, stderr) in (
        (130, b"pfm: interrupted\n"),
        (0, b"wrote the board-pack pack to " + bytes(pack) + b"\n"),
    )
    assert not [name for name in after if name.startswith(".")]
    assert after["minutes.docx"] == b"the user's"
    kept = {name: after[name] == before[name] for name in ("board-pack.md", "board-pack.html")}
    assert set(kept.values()) in ({True}, {False}), kept  # both old, or both new


# --- rank --sensitivity ----------------------------------------------------------------------------


def many_items(write_tree: WriteTree, count: int = 400) -> Path:
    """A portfolio of `count` items whose order depends on the weights."""
    files = {"portfolio.yaml": PORTFOLIO}
    for k in range(count):
        files[f"items/i{k:04}.yaml"] = (
            f"apiVersion: pfm/v1\nkind: Item\nid: i{k:04}\ntitle: I{k}\ntype: project\nstage: idea\n"
            f"scores: {{value: {1 + k % 5}, risk: {1 + k * 7 % 5}}}\n"
        )
    return write_tree(files)


def test_more_draws_than_the_bound_are_refused(runner: CliRunner, write_tree: WriteTree) -> None:
    root = many_items(write_tree, 3)
    result = runner.invoke(app, ["-p", str(root), "rank", "--sensitivity", "1000001"])

    assert result.exit_code == 2
    assert "1000001 is not in the range 0<=x<=1000000" in result.stderr
    assert result.stdout == ""


def in_a_terminal(*args: str) -> tuple[subprocess.Popen[bytes], int]:
    """pfm with its stderr on a pseudo-terminal (so it shows progress); the process and the terminal's reading end."""
    reader, writer = pty.openpty()
    environment = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm", "COLUMNS": "100"}
    environment.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "pfm", *args]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=writer)
    os.close(writer)
    return process, reader


def read_until(reader: int, text: bytes, timeout: float) -> bytes:
    """What the terminal showed until `text` appeared, the writer left or `timeout` seconds passed."""
    shown, deadline = b"", time.monotonic() + timeout
    while text not in shown and time.monotonic() < deadline:
        if select.select([reader], [], [], 0.05)[0]:
            try:
                chunk = os.read(reader, 4096)
            except OSError:  # the process closed the terminal
                break
            if not chunk:
                break
            shown += chunk
    return shown


def test_a_long_sensitivity_run_shows_its_progress_and_stops_at_once_on_ctrl_c(write_tree: WriteTree) -> None:
    root = many_items(write_tree)
    process, reader = in_a_terminal("-p", str(root), "rank", "--sensitivity", "1000000", "-f", "json")
    try:
        shown = read_until(reader, b"rank stability", timeout=30)
        assert b"rank stability" in shown
        read_until(reader, b"\x00", timeout=0.5)  # let it work a moment
        process.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        shown = read_until(reader, b"pfm: interrupted", timeout=5)
        process.wait(timeout=5)
        took = time.monotonic() - interrupted
    finally:
        process.kill()
        process.wait()
        os.close(reader)

    assert process.returncode == 130
    assert b"pfm: interrupted" in shown
    assert took < 1.5


def test_quiet_shows_no_progress(write_tree: WriteTree) -> None:
    root = many_items(write_tree)
    process, reader = in_a_terminal("-q", "-p", str(root), "rank", "--sensitivity", "20000", "-f", "json")
    try:
        shown = read_until(reader, b"\x00", timeout=60)
        process.wait(timeout=60)
    finally:
        process.kill()
        process.wait()
        os.close(reader)

    assert process.returncode == 0
    assert shown == b""
