"""Discover a portfolio's files and read their YAML documents."""

from __future__ import annotations

import errno
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
import yaml_rs

from pfm.errors import PortfolioNotFound, PortfolioUnreadable
from pfm.findings import Location, Problem
from pfm.io.yamlio import MAX_NUMBER_DIGITS, DataError, Loader, check_alias_expansion, check_nesting, to_data

ROOT_FILES = ("portfolio.yaml", "portfolio.yml")
SKIPPED_FOLDERS = frozenset({"templates", "node_modules", "__pycache__"})
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document of a portfolio file, as plain data; `kind` and `id` when the data names them."""

    file: str  # path relative to the portfolio root, with forward slashes
    index: int  # position of the document within its file
    data: Any
    kind: str | None = None
    id: str | None = None

    @classmethod
    def of(cls, file: str, index: int, data: Any) -> Document:
        """A document, with its kind and id read once (the rules ask for them many times)."""
        if not isinstance(data, dict):
            return cls(file, index, data)
        kind, ident = data.get("kind"), data.get("id")
        return cls(
            file, index, data, kind if isinstance(kind, str) else None, ident if isinstance(ident, str) else None
        )


@dataclass(frozen=True, slots=True)
class FileResult:
    """What reading one file gave: its documents and the problems met on the way."""

    file: str
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


def find_root(start: Path) -> Path:
    """The portfolio root: `start` itself if it holds portfolio.yaml, else the nearest parent that does."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in ROOT_FILES):
            return folder
    raise PortfolioNotFound(f"no portfolio found: no portfolio.yaml in {start} or any folder above it")


def resolve_root(path: Path | None) -> Path:
    """The root of an explicitly given portfolio folder, or the one found from the working directory."""
    if path is None:
        return find_root(Path.cwd())
    try:
        if path.is_file():
            path = path.parent
        if not path.is_dir():
            raise PortfolioNotFound(f"no portfolio found: {path} is not a folder")
        if not any((path / name).is_file() for name in ROOT_FILES):
            raise PortfolioNotFound(f"no portfolio found: {path} has no portfolio.yaml")
    except PermissionError as error:  # a folder on the way that may not be entered
        raise PortfolioUnreadable(f"cannot read {error.filename}: {error.strerror}") from None
    return path.resolve()


def _unreadable(error: OSError) -> NoReturn:
    """A folder that cannot be listed hides files from every result: stop rather than go on without them."""
    raise PortfolioUnreadable(f"cannot read folder {error.filename}: {error.strerror}")


def discover_files(root: Path) -> list[str]:
    """Every *.yaml / *.yml file under `root`, skipping hidden folders and templates/, sorted.

    Raises PortfolioUnreadable when a folder searched cannot be listed."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root, onerror=_unreadable):
        dirs[:] = [d for d in dirs if searched(d)]
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in files if is_yaml(name))
    return sorted(found)


def is_read(path: str) -> bool:
    """Whether discover_files finds the file at `path` (relative to the root, "/"-separated)."""
    *folders, name = path.split("/")
    return all(searched(folder) for folder in folders) and is_yaml(name)


def searched(folder: str) -> bool:
    """Whether discover_files looks inside a folder of this name."""
    return not folder.startswith(".") and folder not in SKIPPED_FOLDERS


def is_yaml(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) and not name.startswith(".")


# Opening a named pipe waits for a writer and a device may act when opened: only regular files are
# opened, and without waiting, in case a pipe took the file's place since it was looked at.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_text(path: str | Path, file: str) -> tuple[str | None, Problem | None]:
    """The file's text, or the problem that keeps it from being read."""
    start = Location(file, line=1, column=1)
    try:
        status = os.stat(path)  # noqa: PTH116 - as for open() below
        if not stat.S_ISREG(status.st_mode):
            return None, Problem("file.not-regular", "not a regular file (a pipe, socket or device): not read", start)
        if status.st_size > MAX_FILE_BYTES:
            return None, Problem("file.too-large", f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", start)
        with open(os.open(path, _OPEN_FLAGS), "rb") as handle:  # noqa: PTH123 - cheaper than Path over 20,000 files
            raw = handle.read()
    except OSError as error:
        reason = "the file is a symbolic link in a loop" if error.errno == errno.ELOOP else error.strerror
        return None, Problem("file.unreadable", f"cannot read file: {reason}", start)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        return None, Problem(
            "file.encoding",
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            Location(file, line=line, column=column),
        )


# Text with any of these may use YAML that the fast reader treats differently (aliases, merge
# keys, tags, several documents, directives) or that is a finding: it goes the careful way.
_CAREFUL_MARKS = ("*", "&", "<<", "!", "---", "...", "%", "\t")
# Where the fast reader reads YAML 1.1 numbers (1_000, 0b101, 0X1F and 0O7 are text in YAML 1.2)
# or is more lenient than libyaml (`[|]`, `[?]`, `[x:]` are errors there). Each pattern runs only
# when a plain substring search says it might match.
_UNDERSCORED_NUMBER = re.compile(r"[0-9]_")
_PREFIXED_NUMBER = re.compile(r"(?<![\w.])[-+]?0[bBOX]")
# Each search stops at the next bracket, so a line of 50,000 brackets costs one scan.
_INDICATOR_IN_FLOW = re.compile(r"[\[{][^\[{\n]*?(?:[|>?]|:(?=[^ \n]))")
# A character YAML 1.2 does not let a file hold raw (section 5.1), which the fast reader takes (and cuts
# the text at NUL), or a YAML 1.1 line break (NEL, LS, PS), which is text in YAML 1.2 (see pfm.io.yamlio).
_UNUSUAL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _reads_differently(text: str) -> bool:
    if _UNUSUAL_CHARACTER.search(text):
        return True
    if "_" in text and _UNDERSCORED_NUMBER.search(text):
        return True
    if any(prefix in text for prefix in ("0b", "0B", "0X", "0O")) and _PREFIXED_NUMBER.search(text):
        return True
    return ("[" in text or "{" in text) and _INDICATOR_IN_FLOW.search(text) is not None


def parse_documents(text: str, file: str) -> FileResult:
    """Parse every document of a file; YAML errors become problems, never exceptions.

    Most portfolio files are one plain mapping: yaml-rs (Rust) reads those four times faster.
    Anything unusual, and anything that fails, is read again by the careful reader below,
    which reports problems with their positions.
    """
    data = _read_plain(text)
    if data is not None:
        return FileResult(file, (Document.of(file, 0, data),), ())
    return _parse_carefully(text, file)


def _read_plain(text: str) -> dict[str, Any] | None:
    """The file's one mapping, when it is plain YAML the fast reader agrees on; otherwise None."""
    if any(mark in text for mark in _CAREFUL_MARKS) or _reads_differently(text):
        return None
    try:
        check_nesting(text)  # the fast reader recurses too: bound the depth first
        data = yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except Exception:  # whatever the fast reader cannot take, the careful one reads and explains
        return None
    return data if isinstance(data, dict) and _is_plain(data) else None


def _is_plain(value: Any) -> bool:
    """JSON data with text keys, finite floats and integers of at most 100 digits."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_plain(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_is_plain(item) for item in value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return value != "\n"  # an empty block scalar: libyaml reads "", the fast reader "\n"
    if isinstance(value, bool) or value is None:
        return True
    return isinstance(value, int) and abs(value) < _LARGEST


_LARGEST = 10**MAX_NUMBER_DIGITS


def _parse_carefully(text: str, file: str) -> FileResult:
    """Parse every document with PyYAML's C parser and pfm's own conversion (see pfm.io.yamlio)."""
    documents: list[Document] = []
    problems: list[Problem] = []
    loader = Loader(text)
    index = 0
    try:
        check_nesting(text)
        has_aliases = "*" in text
        while loader.check_node():
            node = loader.get_node()
            if has_aliases:
                check_alias_expansion(node)
            data, duplicates = to_data(node, shared=has_aliases)
            if data is not None:  # an empty document, such as after a trailing ---, holds nothing
                documents.append(Document.of(file, index, data))
            problems.extend(
                Problem(
                    "yaml.duplicate-key",
                    f"duplicate key '{dup.key}' (first at line {dup.first_line}); only the last is kept",
                    Location(file, index, line=dup.line, column=dup.column),
                )
                for dup in duplicates
            )
            index += 1
    except yaml.MarkedYAMLError as error:
        rule = error.rule if isinstance(error, DataError) else "yaml.syntax"
        mark = error.problem_mark or error.context_mark
        message = error.problem or "invalid YAML"
        if error.context and not isinstance(error, DataError):
            message = f"{message} ({error.context})"
        where = Location(file, index, line=mark.line + 1 if mark else 1, column=mark.column + 1 if mark else 1)
        problems.append(Problem(rule, _one_line(message), where))
    except yaml.reader.ReaderError as error:  # a character YAML does not allow raw: no mark, but its offset
        line_start = text.rfind("\n", 0, error.position) + 1
        where = Location(file, index, line=text.count("\n", 0, line_start) + 1, column=error.position - line_start + 1)
        problems.append(Problem("yaml.syntax", _unacceptable(error), where))
    except yaml.YAMLError as error:
        problems.append(Problem("yaml.syntax", _one_line(str(error)), Location(file, index, line=1, column=1)))
    finally:
        loader.dispose()
    return FileResult(file, tuple(documents), tuple(problems))


def _unacceptable(error: yaml.reader.ReaderError) -> str:
    code = error.character if isinstance(error.character, int) else ord(error.character)
    return f"{error.reason}: U+{code:04X} (in double quotes, write \\u{code:04x})"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def load_file(root: Path, file: str) -> FileResult:
    """Read and parse one portfolio file; a link leading outside the portfolio is not followed."""
    path = os.path.join(root, file)  # noqa: PTH118 - strings: cheaper than Path objects over 20,000 files
    # realpath, unlike Path.resolve, leaves a link loop unresolved instead of raising: reading it is the finding
    if os.path.islink(path) and not Path(os.path.realpath(path)).is_relative_to(root.resolve()):  # noqa: PTH114
        outside = Problem(
            "file.outside", "a link to a file outside the portfolio is not read", Location(file, line=1, column=1)
        )
        return FileResult(file, (), (outside,))
    text, problem = read_text(path, file)
    if text is None:
        assert problem is not None
        return FileResult(file, (), (problem,))
    return parse_documents(text, file)
