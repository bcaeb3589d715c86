"""Work spread over processes comes back complete and in order."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from pfm.parallel import can_fork, map_in_parallel

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs two cores and the fork start method")


def square_with_pid(n: int) -> tuple[int, int]:
    time.sleep(0.001)  # long enough that the worker process starts before this one has claimed everything
    return n * n, os.getpid()


def test_results_come_back_in_order_from_more_than_one_process() -> None:
    seen: list[tuple[int, int]] = []
    results = map_in_parallel(
        square_with_pid, range(400), encode=list, decode=tuple, chunk=7, progress=lambda d, t: seen.append((d, t))
    )
    assert [value for value, _ in results] == [n * n for n in range(400)]
    assert len({pid for _, pid in results}) >= 2
    assert all(total == 400 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_fewer_items_than_chunks_per_process() -> None:
    assert [value for value, _ in map_in_parallel(square_with_pid, [3], encode=list, decode=tuple)] == [9]


STOPPED_MIDWAY = """
import os, time
from pfm.io.files import terminated_as_interrupt
from pfm.parallel import map_in_parallel

MAIN = os.getpid()

def big(n):
    if os.getpid() == MAIN:
        time.sleep(1)  # the workers fill the pipe meanwhile
        raise KeyboardInterrupt
    return "x" * 1_000_000

with terminated_as_interrupt():
    try:
        map_in_parallel(big, range(200), encode=str, decode=str, chunk=1)
    except KeyboardInterrupt:
        print("stopped")
"""


def test_ctrl_c_ends_workers_whose_results_fill_the_pipe() -> None:
    """The command's SIGTERM handler (Ctrl-C, for its clean-up) was inherited by the workers, so ending them
    unwound into sending more results to a pipe no one read: `pfm report` hung after Ctrl-C during validation."""
    done = subprocess.run(
        [sys.executable, "-c", STOPPED_MIDWAY], check=False, capture_output=True, text=True, timeout=60
    )
    assert done.stdout == "stopped\n", done.stderr
    assert "Traceback" not in done.stderr
