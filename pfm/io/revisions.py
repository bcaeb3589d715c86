"""Read a portfolio as it was at another revision (a git commit or a snapshot file), never touching the checkout.

`pfm diff`, `pfm history` and `pfm snapshot` put old versions of the files beside the current
ones. A checkout, stash or worktree would change what the user sees (and fail on a dirty tree),
so old files are read from git's object store into a temporary folder instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import posixpath
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path, PurePath
from typing import Any

from pfm.errors import PfmError, PortfolioNotFound
from pfm.io.caches import scratch_folder
from pfm.io.files import write_atomic
from pfm.io.loading import discover_files, find_root, is_read, searched
from pfm.resources import TEMPLATE_FOLDER

SNAPSHOT_FORMAT = "pfm-snapshot"
SNAPSHOT_VERSION = 1
# Fields and commits end in NUL, the one character a subject cannot hold.
_LOG_OPTIONS = ("--reverse", "--no-show-signature", "--no-follow", "-z", "--format=%H%x00%cI%x00%s")
_REGULAR_FILE_MODES = (b"100644", b"100755")  # not symlinks (120000) nor submodules (160000)
# A git hook exports these for its own repository; pfm finds the repository from the portfolio folder instead.
_HOOK_VARIABLES = frozenset({"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"})


class RevisionError(PfmError):
    """A revision or snapshot that cannot be read: no git, not a repository, unknown revision, bad snapshot."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a portfolio folder's content comes from, so a report can say which version it describes."""

    commit: str | None  # full sha of HEAD; None outside git
    branch: str | None  # None when detached or outside git
    dirty: bool  # uncommitted changes (staged, unstaged or untracked) under the portfolio folder
    date: str | None  # committer date of HEAD, ISO 8601

    def describe(self) -> str:
        """Where the files come from, in words: "commit abc1234 on main, with uncommitted changes"."""
        if self.commit is None:
            return "not from a git commit"
        branch = f" on {self.branch}" if self.branch else ""
        return f"commit {self.commit[:7]}{branch}" + (", with uncommitted changes" if self.dirty else "")


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that changed the portfolio."""

    sha: str
    date: str  # committer date, strict ISO 8601
    subject: str


@dataclass(frozen=True, slots=True)
class _Repository:
    root: Path  # where git runs: the portfolio folder
    top: str  # the work tree's top level, for messages
    prefix: str  # the portfolio folder relative to `top`: "" or ending in "/"


def provenance(root: Path) -> Provenance:
    """HEAD's commit, branch and date for the portfolio at `root`, and whether the files pfm reads from it
    (its YAML and its templates) differ from HEAD; a report written into the folder does not count."""
    try:
        repository = _find_repository(root)
    except RevisionError:
        return Provenance(None, None, False, None)
    head = _run(root, "log", "-1", "--no-show-signature", "--format=%H%x00%cI", "HEAD", "--")
    commit, date = head.stdout.decode().rstrip("\n").split("\0") if head.returncode == 0 else (None, None)
    branch = _run(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    changes = _output(root, "status", "--porcelain", "-z", "--untracked-files=normal", "--", ".")
    dirty = any(_is_input(root, path.removeprefix(repository.prefix)) for path in _status_paths(changes))
    return Provenance(commit, os.fsdecode(branch.stdout).strip() or None, dirty, date)


def _status_paths(porcelain: bytes) -> Iterator[str]:
    """The paths of `git status --porcelain -z`, relative to the top of the work tree; both sides of a rename."""
    entries = iter(porcelain.split(b"\0"))
    for entry in entries:
        if entry:
            yield os.fsdecode(entry[3:])  # "XY path"
            if entry[:1] in (b"R", b"C"):
                yield os.fsdecode(next(entries, b""))  # the origin of a rename or copy follows


def _is_input(root: Path, path: str) -> bool:
    """Whether pfm reads the file (or, for an untracked folder ending in "/", any file in it)."""
    if path.startswith(f"{TEMPLATE_FOLDER}/"):
        return True  # the report's templates
    if path.endswith("/"):
        folders = path.removesuffix("/").split("/")
        return all(searched(folder) for folder in folders) and bool(discover_files(root / path))
    return is_read(path)


@contextmanager
def materialise(spec: str, root: Path) -> Iterator[tuple[Path, str]]:
    """A folder holding the portfolio as it is at `spec`, and a label naming that version for reports.

    `spec` is tried as a folder (used in place), then as a snapshot file, then as a git revision of the repository
    holding `root`. Files of a snapshot or revision go into a temporary folder removed on exit, whatever ends the body.
    """
    candidate = Path(spec)
    if spec and candidate.is_dir():
        yield _portfolio_folder(candidate), spec
        return
    snapshot = _read_snapshot(candidate) if candidate.is_file() else None
    with tempfile.TemporaryDirectory(prefix="pfm-revision-", dir=scratch_folder()) as temporary:
        folder = Path(temporary)
        if snapshot is not None:
            label = _restore_snapshot(snapshot, spec, folder)
        else:
            label = _restore_revision(spec, root, folder)
        yield folder, label


def commits(root: Path, since: str | None = None, paths: Sequence[str] = ()) -> list[Commit]:
    """The commits that changed the portfolio (or only `paths`, relative to `root`), oldest first.

    With `since`, only the commits after it (`since..HEAD`).
    """
    repository = _find_repository(root)
    for path in paths:
        if _safe_name(path) is None:
            raise RevisionError(f"path {path!r} is outside the portfolio folder {root}")
    revisions = f"{_resolve_commit(repository, since)}..HEAD" if since is not None else "HEAD"
    log = _output(root, "log", *_LOG_OPTIONS, revisions, "--", *(paths or ["."]))
    fields = log.decode("utf-8", errors="replace").split("\0")[:-1]
    return [Commit(*fields[start : start + 3]) for start in range(0, len(fields), 3)]


def write_snapshot(root: Path | str, out: Path | str) -> int:
    """Write the portfolio at `root` into one JSON file that `materialise` (and so `pfm diff`) reads back;
    the number of files.

    A snapshot keeps a portfolio where git does not reach: attached to a decision, sent by mail,
    compared later without the repository.
    """
    root = Path(root)
    text: dict[str, str] = {}
    binary: dict[str, str] = {}  # files that are not UTF-8 (images of report templates): JSON holds only text
    for name in _snapshot_names(root):
        try:
            raw = (root / name).read_bytes()
        except OSError as error:
            raise RevisionError(f"cannot read {root / name}: {error.strerror}") from None
        try:
            text[name] = raw.decode("utf-8")
        except UnicodeDecodeError:
            binary[name] = base64.b64encode(raw).decode("ascii")
    document = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "provenance": asdict(provenance(root)),
        "files": text,
        "binary": binary,
    }
    write_atomic(Path(out), json.dumps(document, sort_keys=True, indent=1, allow_nan=False) + "\n")
    return len(text) + len(binary)


def is_snapshot(path: Path) -> bool:
    """Whether `path` is a pfm snapshot file; any other file, or none, is simply not one."""
    return _read_snapshot(path) is not None


def _portfolio_folder(folder: Path) -> Path:
    try:
        return find_root(folder)
    except PortfolioNotFound:
        return folder.resolve()


def _snapshot_names(root: Path) -> list[str]:
    """What the loader reads, plus the report templates that discover_files leaves out."""
    templates: list[str] = []
    for folder, _, files in os.walk(root / TEMPLATE_FOLDER):
        prefix = Path(folder).relative_to(root).as_posix()
        templates.extend(f"{prefix}/{name}" for name in files)
    return sorted({*discover_files(root), *templates})


def _read_snapshot(path: Path) -> dict[str, Any] | None:
    """The snapshot's data, or None when `path` is anything else; YAML and binary files stop at the first byte."""
    try:
        with path.open("rb") as stream:
            if stream.read(256).lstrip()[:1] != b"{":
                return None
            stream.seek(0)
            data = json.load(stream)
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("format") == SNAPSHOT_FORMAT else None


def _restore_snapshot(snapshot: dict[str, Any], file: str, folder: Path) -> str:
    """Write the snapshot's files into `folder`; its label."""
    if snapshot.get("version") != SNAPSHOT_VERSION:
        raise RevisionError(f"{file} is a pfm snapshot of version {snapshot.get('version')!r}; pfm reads version 1")
    text = _text_mapping(snapshot, "files", file)
    try:
        binary = [
            (name, base64.b64decode(value, validate=True))
            for name, value in _text_mapping(snapshot, "binary", file).items()
        ]
    except binascii.Error:
        raise RevisionError(f"not a pfm snapshot: {file} ('binary' holds text that is not base64)") from None
    # surrogatepass: JSON can spell a lone surrogate; the loader then reports the file as not UTF-8.
    _write_files(
        folder,
        [*((name, value.encode("utf-8", "surrogatepass")) for name, value in text.items()), *binary],
        f"snapshot {file}",
    )
    origin = snapshot.get("provenance")
    commit = origin.get("commit") if isinstance(origin, dict) else None
    return f"snapshot {file} (commit {commit[:7]})" if isinstance(commit, str) else f"snapshot {file}"


def _text_mapping(snapshot: dict[str, Any], key: str, file: str) -> dict[str, str]:
    value = snapshot.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise RevisionError(f"not a pfm snapshot: {file} ('{key}' is not a mapping of paths to text)")
    return value


def _restore_revision(spec: str, root: Path, folder: Path) -> str:
    """Write the portfolio's files at commit `spec` into `folder`; its label."""
    try:
        repository = _find_repository(root)
        sha = _resolve_commit(repository, spec)
    except RevisionError:
        if Path(spec).is_file():  # the user meant a file: say what is wrong with it, not with git
            raise RevisionError(f"not a pfm snapshot: {spec}") from None
        raise
    entries = _tree_files(repository, sha)
    blobs = _read_blobs(repository.root, {blob for _, blob in entries})
    _write_files(folder, [(name, blobs[blob]) for name, blob in entries], f"commit {sha[:7]}")
    return f"{spec} ({sha[:7]})"


def revision_blobs(root: Path, sha: str) -> dict[str, str]:
    """The git blob of each portfolio file at commit `sha` (paths relative to the portfolio): what identifies
    its content, so that a file unchanged between commits need not be read twice."""
    return dict(_tree_files(_find_repository(root), sha))


def revision_trees(root: Path, shas: Sequence[str]) -> dict[str, str]:
    """The git tree of the portfolio folder (all its files in one name) at each of `shas` that has the folder."""
    repository = _find_repository(root)
    asked = "".join(f"{sha}:{repository.prefix}\n" for sha in shas).encode()
    found = _output(repository.root, "cat-file", "--batch-check", input=asked).decode("utf-8", errors="replace")
    lines = (line.rsplit(" ", 2) for line in found.splitlines())  # "<tree> tree <size>", or "<name> missing"
    return {sha: fields[0] for sha, fields in zip(shas, lines, strict=True) if fields[1:2] == ["tree"]}


def _tree_files(repository: _Repository, sha: str) -> list[tuple[str, str]]:
    """(path relative to the portfolio, blob sha) of every portfolio file in the commit's tree."""
    prefix = repository.prefix
    listing = _output(repository.root, "ls-tree", "-r", "-z", "--full-tree", sha, "--", *([prefix] if prefix else []))
    entries: list[tuple[str, str]] = []
    for record in listing.split(b"\0")[:-1]:
        meta, _, path = record.partition(b"\t")
        mode, _, blob = meta.split(b" ")
        name = os.fsdecode(path).removeprefix(prefix)
        if mode in _REGULAR_FILE_MODES and (name.endswith((".yaml", ".yml")) or name.startswith("templates/")):
            entries.append((name, blob.decode("ascii")))
    return entries


def _read_blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob, all through one `git cat-file --batch`: a process per file is too slow for 20,000."""
    wanted = sorted(shas)
    output = _output(root, "cat-file", "--batch", input="".join(f"{sha}\n" for sha in wanted).encode("ascii"))
    blobs: dict[str, bytes] = {}
    position = 0
    for sha in wanted:
        end = output.index(b"\n", position)
        header = output[position:end].split(b" ")
        if len(header) != 3 or header[1] != b"blob":
            raise RevisionError(f"git object {sha} in {root} is missing or not a file")
        start = end + 1
        position = start + int(header[2])
        blobs[sha] = output[start:position]
        position += 1  # the newline after each object
    return blobs


def _write_files(folder: Path, files: Iterable[tuple[str, bytes]], source: str) -> None:
    """Write {name: content} under `folder`; names are checked because a snapshot may come from anywhere."""
    made: set[Path] = set()
    for name, content in files:
        safe = _safe_name(name)
        if safe is None:
            raise RevisionError(f"unsafe file path {name!r} in {source}")
        target = folder / safe
        try:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(content)
        except OSError as error:
            raise RevisionError(f"cannot write {name!r} from {source}: {error.strerror}") from None


def _safe_name(name: str) -> str | None:
    """`name` normalised, or None when it could land outside the folder (absolute, `..`, a drive, a backslash)."""
    normal = posixpath.normpath(name)
    if "\\" in name or "\0" in name or PurePath(normal).drive:
        return None
    return None if normal.split("/")[0] in ("", ".", "..") else normal


def resolve_commit(root: Path, spec: str) -> str:
    """The full sha of the commit `spec` names, in the repository holding `root`."""
    return _resolve_commit(_find_repository(root), spec)


def cache_folder(root: Path) -> Path:
    """Where pfm keeps caches: `pfm-cache` in the git folder of the repository holding `root` (shared by worktrees)."""
    common = _output(root, "rev-parse", "--path-format=absolute", "--git-common-dir")
    return Path(os.fsdecode(common).strip(), "pfm-cache")


def _find_repository(root: Path) -> _Repository:
    located = _run(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if located.returncode != 0:
        if b"not a git repository" in located.stderr:
            raise RevisionError(f"{root} is not in a git repository")
        raise _failure(located, root)
    top, _, prefix = os.fsdecode(located.stdout).partition("\n")
    return _Repository(root, top, prefix.removesuffix("\n"))


def _resolve_commit(repository: _Repository, spec: str) -> str:
    """The full sha `spec` names; a leading dash would read as an option, so it names nothing."""
    if not spec.startswith("-"):
        resolved = _run(repository.root, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
        if resolved.returncode == 0:
            return resolved.stdout.decode("ascii").strip()
    raise RevisionError(f"unknown revision {spec!r} in {repository.top}")


def _output(cwd: Path, *args: str, input: bytes | None = None) -> bytes:
    result = _run(cwd, *args, input=input)
    if result.returncode != 0:
        raise _failure(result, cwd)
    return result.stdout


def _run(cwd: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git without a pager, a prompt or the user's locale, with pathspecs taken literally."""
    command = [_git_executable(), "--no-pager", "-c", "core.quotepath=off", *args]
    environment = {name: value for name, value in os.environ.items() if name not in _HOOK_VARIABLES}
    environment.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_LITERAL_PATHSPECS="1")
    stdin = subprocess.DEVNULL if input is None else None
    try:
        return subprocess.run(
            command, cwd=cwd, env=environment, input=input, stdin=stdin, capture_output=True, check=False
        )
    except OSError as error:
        raise RevisionError(f"cannot run git in {cwd}: {error.strerror}") from None


def _failure(result: subprocess.CompletedProcess[bytes], cwd: Path) -> RevisionError:
    lines = os.fsdecode(result.stderr).strip().splitlines() or [f"exit status {result.returncode}"]
    return RevisionError(f"git failed in {cwd}: {lines[0]}")


@cache
def _git_executable() -> str:
    found = shutil.which("git")
    if found is None:
        raise RevisionError("git is not installed")
    return found


def start_repository(folder: Path) -> bool:
    """Make `folder` a git repository on branch main, unless it is inside one already; True when one was made."""
    if _run(folder, "rev-parse", "--git-dir").returncode == 0:
        return False
    _output(folder, "-c", "init.defaultBranch=main", "init", "-q")
    return True
