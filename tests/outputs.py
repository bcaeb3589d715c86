"""Every command's output on the example portfolio, captured to a folder, so two versions of pfm can be compared byte
for byte: a change of structure that should change no output is checked with it.

    python -m tests.outputs capture before/        # on the old version
    python -m tests.outputs capture after/         # on the new one
    python -m tests.outputs compare before/ after/

The example is copied into a git repository with two commits made at fixed dates (so commit ids, and every output
that names them, are the same on each run), and each command runs as a user would run it: the `pfm` console script,
at 80 and 160 columns, without colour. Only the run time in `pfm select`'s JSON differs from run to run; it is
left out of the comparison.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example-portfolio"
ITEM = "crm-salesforce"

TABLE_COMMANDS = [
    ["score"],
    ["score", "-m", "wsjf"],
    ["score", "-m", "rice"],
    ["score", "-m", "npv"],
    ["score", "--explain", ITEM],
    ["rank"],
    ["rank", "--top", "5", "--sensitivity", "200", "--seed", "3"],
    ["rank", "-m", "npv", "--sensitivity", "100", "--top", "4"],
    ["rank", "--tag", "payments"],
    ["weights"],
    ["weights", "--method", "geometric-mean"],
    ["finance"],
    ["finance", ITEM],
    ["evm"],
    ["evm", "core-modernisation", "--as-of", "2027-03-31"],
    ["status"],
    ["spend"],
    ["benefits"],
    ["risks"],
    ["decisions"],
    ["kpi"],
    ["capacity"],
    ["capacity", "--all"],
    ["roadmap"],
    ["roadmap", "--selection"],
    ["select"],
    ["select", "--method", "greedy"],
    ["select", "--budget-scale", "0.8"],
    ["select", "--objective", "npv", "--entry-prices", "all"],
    ["-s", "budget-cut-15", "select"],
    ["frontier", "--points", "5"],
    ["scenario", "list"],
    ["scenario", "compare"],
    ["deps", "check"],
    ["deps", "order"],
    ["deps", "path"],
    ["deps", "path", "--selection"],
    ["deps", "impact", "core-ledger-phase1", "--slip", "2"],
    ["history"],
    ["history", "--item", ITEM],
]
TABLE_FORMATS = ["table", "json", "csv", "markdown"]
OTHER_COMMANDS = [
    ["validate"],
    *(["validate", "-f", name] for name in ("json", "github", "sarif", "junit", "markdown", "codequality")),
    ["roadmap", "-f", "mermaid"],
    *(["deps", "graph", "-f", name] for name in ("mermaid", "dot", "json")),
    ["deps", "graph", "--focus", ITEM, "--depth", "1"],
    *(["diff", "HEAD~1", "HEAD", "-f", name] for name in ("text", "json", "markdown")),
]
WIDTHS = (80, 160)


def _git(root: Path, *args: str, date: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "pfm",
        "GIT_AUTHOR_EMAIL": "pfm@example.org",
        "GIT_COMMITTER_NAME": "pfm",
        "GIT_COMMITTER_EMAIL": "pfm@example.org",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _repository(into: Path) -> Path:
    """The example in a git repository, with a second commit that moves one item's score and cost."""
    root = into / "portfolio"
    shutil.copytree(EXAMPLE, root)
    _git(root, "init", "-q", "-b", "main", date="2027-01-04T09:00:00Z")
    _git(root, "add", "-A", date="2027-01-04T09:00:00Z")
    _git(root, "commit", "-q", "-m", "The portfolio as approved", date="2027-01-04T09:00:00Z")
    case = root / "business-cases" / f"{ITEM}-case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("capex: ", "capex: 1", 1), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "Re-estimate the CRM costs", date="2027-02-01T09:00:00Z")
    return root


def _name(command: list[str], fmt: str, width: int | None) -> str:
    words = "_".join(word.lstrip("-").replace("/", "-") for word in command)
    return f"{words}.{fmt}" + (f".{width}" if width else "")


def _run(root: Path, command: list[str], width: int) -> str:
    env = {**os.environ, "COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    pfm = Path(sys.executable).with_name("pfm")
    done = subprocess.run(
        [str(pfm), "-p", str(root), *command], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    return f"$ pfm {' '.join(command)}\nexit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"


def capture(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        root = _repository(Path(work))
        for command in TABLE_COMMANDS:
            for fmt in TABLE_FORMATS:
                for width in WIDTHS if fmt == "table" else WIDTHS[:1]:
                    text = _run(root, [*command, "-f", fmt], width)
                    (folder / _name(command, fmt, width if fmt == "table" else None)).write_text(text)
        for command in OTHER_COMMANDS:
            (folder / _name(command, "out", None)).write_text(_run(root, command, WIDTHS[0]))
        for name, since in (("report.md", []), ("report-since.md", ["--since", "HEAD~1"])):
            pack = Path(work) / name
            _run(root, ["report", "-f", "md", "--date", "2027-02-02", *since, "-o", str(pack)], WIDTHS[0])
            (folder / name).write_text((pack / "board-pack.md").read_text(encoding="utf-8"))


def _comparable(text: str) -> str:
    """The output without what differs from run to run: the seconds a selection took."""
    head, marker, rest = text.partition("--- stdout\n")
    body, separator, tail = rest.partition("--- stderr\n")
    try:
        payload = json.loads(body)
    except ValueError:
        return text
    if isinstance(payload, dict):
        payload.pop("seconds", None)
    return head + marker + json.dumps(payload, indent=2) + "\n" + separator + tail


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = 0
    for name in names:
        old, new = before / name, after / name
        if not old.exists() or not new.exists():
            print(f"only in {'after' if new.exists() else 'before'}: {name}")
            differ += 1
            continue
        a, b = _comparable(old.read_text()), _comparable(new.read_text())
        if a != b:
            differ += 1
            sys.stdout.writelines(difflib.unified_diff(a.splitlines(True), b.splitlines(True), str(old), str(new), n=1))
    print(f"{len(names)} outputs, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "capture":
        capture(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
