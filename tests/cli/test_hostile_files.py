"""Hostile file-system conditions through the CLI: link loops, pipes and sockets among the YAML files,
folders and files pfm may not read or write, a full disk or a closed pipe on stdout, Ctrl-C while
worker processes read the files.

Permissions are real. Root reads and writes whatever it likes, so as root the CLI runs in a child
process that has lost the capabilities overriding file permissions (its bounding set is cut before
exec). Signals, /dev/full and a pipe that would block for ever need a child process too.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from pfm.parallel import can_fork
from tests.helpers import EXAMPLE, PORTFOLIO, REPO, WriteTree, item

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _drop_file_privileges() -> None:
    """In the child, before exec: root no longer reads, writes and enters folders regardless of their modes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def pfm(*args: str, stdout: int | IO[Any] = subprocess.PIPE, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m pfm ARGS` in a child process, where file permissions hold even for root."""
    return subprocess.run(
        [sys.executable, "-m", "pfm", *args],
        cwd=REPO,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        preexec_fn=_drop_file_privileges if os.geteuid() == 0 else None,
        check=False,
    )


@contextmanager
def mode(path: Path, bits: int) -> Iterator[Path]:
    """`path` with its permission bits set to `bits`, restored afterwards (so the test folder can be removed)."""
    before = stat.S_IMODE(path.stat().st_mode)
    path.chmod(bits)
    try:
        yield path
    finally:
        path.chmod(before)


@pytest.fixture(scope="module")
def permissions_hold(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip unless a child process started by `pfm` is really kept out of a folder without permissions."""
    closed = tmp_path_factory.mktemp("closed")
    try:
        with mode(closed, 0):
            probe = subprocess.run(
                [sys.executable, "-c", f"import os; os.listdir({str(closed)!r})"],
                capture_output=True,
                preexec_fn=_drop_file_privileges if os.geteuid() == 0 else None,
                check=False,
            )
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"cannot run a child without root's file capabilities here: {error}")
    if probe.returncode == 0:
        pytest.skip("this user reads folders whatever their permissions, so unreadable folders cannot be made")


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """A copy of the example portfolio, free to break."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "portfolio"))


def one_line_error(result: subprocess.CompletedProcess[str], *names: str) -> str:
    """The run's only line on stderr, checked to be pfm's one-line error (exit 2) naming each of `names`."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pfm: error: "), lines[0]
    for name in names:
        assert name in lines[0]
    return lines[0]


# Link loops


def test_link_loops_among_the_items_are_findings_on_each_link(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/good.yaml": item("good")})
    (root / "items" / "a.yaml").symlink_to("b.yaml")
    (root / "items" / "b.yaml").symlink_to("a.yaml")
    (root / "items" / "self.yaml").symlink_to("self.yaml")
    (root / "items" / "folder.yaml").symlink_to(".")  # a link to its own folder: a folder, not a file, not entered
    (root / "items" / "up").symlink_to("..")

    result = runner.invoke(app, ["-p", str(root), "validate", "-f", "json"])

    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["rule"], f["line"]) for f in findings] == [
        ("items/a.yaml", "file.unreadable", 1),
        ("items/b.yaml", "file.unreadable", 1),
        ("items/self.yaml", "file.unreadable", 1),
    ]
    assert all("loop" in f["message"] for f in findings)


# Pipes, sockets and devices


def _special_files(folder: Path) -> list[str]:
    """Make a named pipe, a socket and (when allowed) a device among the YAML files; returns their names."""
    os.mkfifo(folder / "evil.yaml")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "socket.yaml"))
    listener.close()  # the socket file stays
    made = ["evil.yaml", "socket.yaml"]
    try:
        os.mknod(folder / "null.yaml", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        made.append("null.yaml")
    except PermissionError:  # only root makes devices
        pass
    return sorted(made)


def test_only_regular_files_are_read_a_pipe_never_blocks(tmp_path: Path, write_tree: WriteTree) -> None:
    # Short paths: a socket's path may not be longer than about 100 bytes.
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/good.yaml": item("good")})
    made = _special_files(root / "items")

    started = time.perf_counter()
    result = pfm("-p", str(root), "validate", "-f", "json", timeout=30)  # blocked for ever before

    assert time.perf_counter() - started < 20
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["rule"]) for f in findings] == [(f"items/{name}", "file.not-regular") for name in made]
    assert stat.S_ISFIFO((root / "items" / "evil.yaml").stat().st_mode)


# Unreadable folders and files


@pytest.mark.usefixtures("permissions_hold")
@pytest.mark.parametrize("folder", ["risks", "items"])
def test_an_unreadable_folder_is_a_one_line_error_naming_it(portfolio: Path, folder: str) -> None:
    closed = (portfolio / folder).resolve()
    with mode(closed, 0):
        result = pfm("-p", str(portfolio), "validate", "-f", "json")
    one_line_error(result, str(closed), "Permission denied")
    assert result.stdout == ""


@pytest.mark.usefixtures("permissions_hold")
def test_the_pack_is_not_made_without_its_risks(portfolio: Path, tmp_path: Path) -> None:
    with mode(portfolio / "risks", 0):
        result = pfm("-p", str(portfolio), "report", "-f", "md", "-o", str(tmp_path / "pack"))
    one_line_error(result, str(portfolio / "risks"))
    assert not (tmp_path / "pack").exists()


@pytest.mark.usefixtures("permissions_hold")
def test_a_portfolio_folder_that_cannot_be_entered_is_a_one_line_error(portfolio: Path) -> None:
    with mode(portfolio, 0):
        result = pfm("-p", str(portfolio / "items"), "validate")
    one_line_error(result, str(portfolio / "items"))


@pytest.mark.usefixtures("permissions_hold")
def test_an_unreadable_file_is_a_finding_naming_it(portfolio: Path) -> None:
    with mode(portfolio / "teams" / "cloud-platform.yaml", 0):
        result = pfm("-p", str(portfolio), "validate", "-f", "json")
    assert result.returncode == 1, result.stderr
    unreadable = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "file.unreadable"]
    assert [(f["file"], f["message"]) for f in unreadable] == [
        ("teams/cloud-platform.yaml", "cannot read file: Permission denied")
    ]


# Results on stdout that cannot be written


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize(
    "args",
    [
        ["validate", "-f", "json"],
        ["validate"],
        ["rank"],
        ["rank", "-f", "csv"],
        ["capacity"],
        ["deps", "graph"],
        ["--help"],
    ],
    ids=" ".join,
)
def test_a_full_disk_on_stdout_is_a_one_line_error(args: list[str]) -> None:
    with Path("/dev/full").open("w") as full:
        result = pfm("-q", "-p", str(EXAMPLE), *args, stdout=full)
    assert one_line_error(result) == "pfm: error: cannot write to standard output: No space left on device"


@pytest.mark.parametrize(
    "args", [["validate", "-f", "json"], ["validate"], ["rank", "-f", "json"], ["rank"]], ids=" ".join
)
def test_a_reader_that_left_ends_the_run_quietly(args: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = pfm("-q", "-p", str(EXAMPLE), *args, stdout=writer)
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 1


# Files and folders that cannot be written


@pytest.mark.parametrize("command", [["init"], ["schema", "export"]], ids=" ".join)
@pytest.mark.parametrize("under", ["", "/sub"], ids=["the file", "below the file"])
def test_a_file_where_a_folder_should_be_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path, command: list[str], under: str
) -> None:
    (tmp_path / "taken").write_text("a file")
    target = f"{tmp_path / 'taken'}{under}"
    result = runner.invoke(app, [*command, target])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("pfm: error: cannot ")
    assert str(tmp_path / "taken") in result.stderr
    assert result.stderr.count("\n") == 1
    assert (tmp_path / "taken").read_text() == "a file"


@pytest.mark.usefixtures("permissions_hold")
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["init", "{ro}"], "{ro}/schemas"),
        (["init", "{ro}/new"], "{ro}/new"),
        (["schema", "export", "{ro}"], "{ro}/"),
        (["schema", "export", "{ro}/new"], "{ro}/new"),
        (["-p", "{portfolio}", "new", "item", "fresh"], "items/fresh.yaml"),
        (["-p", "{portfolio}", "rank", "-o", "{ro}/rank.txt"], "{ro}/rank.txt"),
        (["-p", "{portfolio}", "deps", "graph", "-o", "{ro}/graph.mmd"], "{ro}/graph.mmd"),
        (["-p", "{portfolio}", "validate", "-f", "sarif={ro}/findings.sarif"], "{ro}/findings.sarif"),
        (["-p", "{portfolio}", "report", "-f", "md", "-o", "{ro}/pack"], "{ro}/pack"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_a_read_only_target_is_a_one_line_error_naming_it(
    portfolio: Path, tmp_path: Path, args: list[str], named: str
) -> None:
    read_only = tmp_path / "ro"
    read_only.mkdir()
    places = {"ro": str(read_only), "portfolio": str(portfolio)}
    with mode(read_only, 0o555), mode(portfolio / "items", 0o555):
        result = pfm(*(arg.format(**places) for arg in args))
    one_line_error(result, named.format(**places), "Permission denied")
    assert list(read_only.iterdir()) == []
    assert not (portfolio / "items" / "fresh.yaml").exists()


def test_a_step_summary_that_cannot_be_written_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a folder, which no one can append to
    result = runner.invoke(app, ["-p", str(EXAMPLE), "validate", "-f", "json"])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"pfm: error: cannot write {tmp_path}: Is a directory\n"


# Ctrl-C


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated portfolio of 1,000 items (about 2,000 files): enough for validate to read them in worker processes."""
    out = tmp_path_factory.mktemp("generated") / "items-1000"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--items", "1000", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:  # the process has ended
        return []


@pytest.mark.skipif(not can_fork() or not Path("/proc/self/task").exists(), reason="needs worker processes and /proc")
@pytest.mark.parametrize("whole_group", [True, False], ids=["Ctrl-C (the whole process group)", "kill -INT (pfm only)"])
def test_an_interrupt_while_workers_read_stops_at_once(large: Path, whole_group: bool) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pfm", "-p", str(large), "validate", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's foreground job has
    )
    try:
        deadline = time.monotonic() + 30
        while not (workers := _children(process.pid)) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        assert workers, "pfm ended before it started any worker process"
        if whole_group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        interrupted = time.perf_counter()
        stdout, stderr = process.communicate(timeout=30)
        stopped = time.perf_counter() - interrupted
    finally:  # should the test fail, leave nothing of pfm's process group running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert (process.returncode, stderr, stdout) == (130, "pfm: interrupted\n", "")
    assert stopped < 2, f"took {stopped:.1f} s to stop"
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "worker processes were left behind"
