"""The commands a user would run on a (mutated) portfolio, through the real CLI with typer's CliRunner.

Each must end with exit code 0, 1 or 2 and no traceback; its JSON must parse as plain JSON
(no NaN or Infinity). `--debug` makes an internal error print its traceback, which names the
pfm line it came from.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from .execute import Problem, Run, from_exception

SOLVE = ["--time-limit", "1"]
_FRAME = re.compile(r'File "[^"]*?[/\\](pfm[/\\][^"]+)", line (\d+), in (\S+)')
_ERROR = re.compile(r"^pfm: internal error: (\w+): ", re.MULTILINE)
VALIDATE_FORMATS = {"json": "json", "table": "text", "markdown": "markdown", "csv": "github"}


def commands(fmt: str, first_item: str | None, pack_folder: Path | None) -> list[list[str]]:
    """Every command that analyses the portfolio, with results in `fmt` (json, table, markdown or csv)."""
    shown = ["-f", fmt]
    found = [
        ["validate", "-f", VALIDATE_FORMATS[fmt]],
        *(["score", "-m", method, *shown] for method in ("weighted", "wsjf", "rice", "npv", "formula")),
        ["rank", "--sensitivity", "5", "--top", "3", *shown],
        ["rank", "-m", "npv", "--sensitivity", "5", *shown],
        ["weights", *shown],
        ["finance", *shown],
        ["deps", "check", *shown],
        ["deps", "order", *shown],
        ["deps", "path", *shown],
        ["deps", "graph", "-f", {"json": "json", "table": "mermaid"}.get(fmt, "dot")],
        ["capacity", "--all", *shown],
        ["roadmap", "-f", "mermaid" if fmt == "csv" else fmt],
        ["select", *SOLVE, "--entry-prices", "2", *shown],
        ["select", "--method", "greedy", "--objective", "npv", *shown],
        ["frontier", "--points", "3", *SOLVE, *shown],
        ["scenario", "list", *shown],
        ["scenario", "compare", *SOLVE, *shown],
    ]
    if first_item is not None:
        found.append(["deps", "impact", first_item, "--slip", "2", *shown])
        found.append(["score", "--explain", first_item, *shown])
    if pack_folder is not None:
        found.append(["report", "-f", "md", *SOLVE, "--date", "2027-01-01", "-o", str(pack_folder)])
    return found


def run_commands(
    run: Run, root: Path, fmt: str, first_item: str | None, *, valid: bool = True, pack_folder: Path | None = None
) -> None:
    """The commands through the CLI; on an invalid portfolio only validate and one analysis (which must exit 1)."""
    from pfm.cli.app import app

    runner = CliRunner()
    chosen = commands(fmt, first_item, pack_folder)
    for args in chosen if valid else chosen[:2]:
        label = "pfm " + " ".join(a if a != str(pack_folder) else "DIR" for a in args)
        result = run.step(
            label,
            lambda args=args: runner.invoke(
                app, ["--debug", "-p", str(root), *args], env={"NO_COLOR": "1", "COLUMNS": "120"}
            ),
        )
        if result is None:
            continue
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            run.problems.append(_escaped(label, result.exception))
        else:
            _judge(run, label, args, result.exit_code, result.stdout, result.stderr)


def _escaped(label: str, error: BaseException) -> Problem:
    problem = from_exception("exception", label, error)
    return Problem("cli escaped", label, problem.error, problem.location, problem.detail)


def _judge(run: Run, label: str, args: list[str], code: int, stdout: str, stderr: str) -> None:
    if code == 3 or "Traceback (most recent call last)" in stdout + stderr:
        frames = _FRAME.findall(stderr)
        where = f"{frames[-1][0]}:{frames[-1][1]} in {frames[-1][2]}".replace("\\", "/") if frames else ""
        errors = _ERROR.findall(stderr)
        kind = "cli exit 3" if code == 3 else "cli traceback"
        run.problems.append(Problem(kind, label, errors[-1] if errors else f"exit {code}", where, stderr[-4000:]))
    elif code not in (0, 1, 2):
        run.problems.append(Problem("cli exit code", label, f"exit {code}", "", stderr[-2000:]))
    elif "json" in args and (code == 0 or (code == 1 and stdout)):  # exit 1 without output: the portfolio is invalid
        _plain_json(run, label, stdout)


def _plain_json(run: Run, label: str, text: str) -> None:
    def refuse(constant: str) -> float:
        raise ValueError(f"{constant} in JSON output")

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError as error:
        run.problems.append(Problem("cli json", label, str(error).split(":")[0], "", text[:2000]))
