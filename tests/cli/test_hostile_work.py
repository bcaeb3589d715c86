"""Hostile work: a pack written as a set or not at all, and a sensitivity run that is bounded, visible and stoppable."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from pfm.cli import app
from tests.conftest import PORTFOLIO, REPO, WriteTree

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
