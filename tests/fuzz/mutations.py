"""Valid portfolios, and one or two mutations of their YAML data at a time.

The corpus is the example portfolio and the small case portfolios that have no error findings.
A mutation changes one value at one field path of one document: another type (text, numbers at
the edges of float, null, booleans, lists, mappings), a neighbouring number, another id or an
unknown one, a deleted or unknown key, a duplicated list element, an emptied list or mapping.

Choices are drawn through a `Chooser`, so hypothesis (which shrinks) and a seeded
`random.Random` (which the long run uses, one seed per mutation) drive the same generator.
"""

from __future__ import annotations

import copy
import json
import math
import random
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml

from pfm.io.loading import discover_files
from pfm.io.yamlio import compose_all, to_data

T = TypeVar("T")
Path_ = tuple[str | int, ...]  # keys and list indices from a document's root

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases"

# Values of every type, and the edges of each: floats at overflow and underflow, integers past
# 64 bits and past the loader's digit limit, text that is empty, long, right-to-left or full of
# control characters, and text that looks like something else.
HOSTILE: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -1,
    2**31,
    2**63,
    -(2**63) - 1,
    10**30,
    -(10**30),
    10**99,
    10**100,
    0.0,
    -0.0,
    0.5,
    -0.5,
    1e308,
    -1e308,
    1.7976931348623157e308,
    1e-320,
    5e-324,
    math.inf,
    -math.inf,
    math.nan,
    "",
    " ",
    "x" * 5000,
    "ünï cödé – 中文 \u202e dlrow",
    "\x07\x1b[31mred\x1b[0m\r\n\t",
    "line one\nline two",
    "1e308",
    "NaN",
    "null",
    "2027-Q1",
    "1999-Q1",
    "9999-Q4",
    "2027-02-30",
    "2027-01-01",
    "{{ 7 * 7 }}",
    "<script>alert(1)</script>",
    "| pipe | and *stars* [link](http://example.com)",
    "../../../etc/passwd",
    [],
    [None],
    [1, 2],
    ["x"],
    [[]],
    {},
    {"a": 1},
    {"id": "x"},
)
FORMATS = ("json", "table", "markdown", "csv")  # of the CLI's results
EXAMPLE_WEIGHT = 5  # the example portfolio has every kind of file: draw it about as often as all the cases together
UNKNOWN_ID = "no-such-id"
UNKNOWN_KEY = "unexpected_key"
ACTIONS_ON_VALUE = ("replace", "replace", "nearby", "nearby", "delete")  # nearby values reach the analyses


class Chooser(Protocol):
    def pick(self, options: Sequence[T], label: str) -> T: ...


class RandomChooser:
    """Choices from a seeded random.Random: the same seed, the same mutations."""

    def __init__(self, seed: int | str) -> None:
        self.random = random.Random(seed)

    def pick(self, options: Sequence[T], label: str) -> T:
        return options[self.random.randrange(len(options))]


@dataclass(frozen=True, repr=False)
class Source:
    """A valid portfolio: its folder and each YAML file's documents as pfm reads them."""

    name: str
    root: Path
    files: dict[str, list[Any]]
    ids: tuple[str, ...]  # every id declared in it, to swap references for

    def __repr__(self) -> str:
        return f"<portfolio {self.name}>"

    def kinds(self) -> dict[str, list[str]]:
        """Kind -> the files whose first document is of it."""
        found: dict[str, list[str]] = {}
        for file, documents in sorted(self.files.items()):
            kind = documents[0].get("kind") if documents and isinstance(documents[0], dict) else None
            found.setdefault(str(kind), []).append(file)
        return found


@dataclass(frozen=True)
class Mutation:
    file: str
    document: int
    path: Path_
    action: str  # replace, nearby, delete, add-key, duplicate, empty
    value: Any = None

    def describe(self) -> str:
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)
        shown = "" if self.action in ("delete", "duplicate", "empty") else " " + _short(self.value)
        return f"{self.file}#{self.document} {where}: {self.action}{shown}"


@dataclass(frozen=True)
class Mutant:
    source: Source
    mutations: tuple[Mutation, ...]
    files: dict[str, list[Any]]  # the changed files only

    def describe(self) -> str:
        return f"{self.source.name}: " + "; ".join(m.describe() for m in self.mutations)

    def write(self, folder: Path) -> Path:
        """The mutated portfolio under `folder`: changed files dumped, the others copied as they are."""
        root = folder / self.source.name
        shutil.copytree(self.source.root, root)
        for file, documents in self.files.items():
            text = yaml.safe_dump_all(documents, allow_unicode=True, sort_keys=False, width=1000)
            (root / file).write_text(text, encoding="utf-8")
        return root


@dataclass(frozen=True)
class Case:
    """A mutated portfolio, and the format its CLI results are asked in."""

    mutant: Mutant
    format: str

    def describe(self) -> str:
        return f"{self.mutant.describe()} (-f {self.format})"


def draw_case(chooser: Chooser, sources: Sequence[Source]) -> Case:
    weighted = [*[sources[0]] * EXAMPLE_WEIGHT, *sources[1:]]
    source = chooser.pick(weighted, "portfolio")
    return Case(mutate(chooser, source), chooser.pick(FORMATS, "format"))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} chars)"


def load_source(name: str, root: Path) -> Source:
    files = {}
    for file in discover_files(root):
        text = (root / file).read_text(encoding="utf-8", errors="replace")
        files[file] = [to_data(node)[0] for node in compose_all(text)]
    ids = sorted({value for documents in files.values() for _, value in _ids(documents)})
    return Source(name, root, files, tuple(ids))


def _ids(value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str):
                yield key, item
            yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)


def corpus() -> list[Source]:
    """The example portfolio and every case portfolio that has no error findings."""
    sources = [load_source("example-portfolio", REPO / "example-portfolio")]
    for case in sorted(CASES.iterdir()):
        expected = case / "expected.json"
        if expected.is_file() and not any(
            f["severity"] == "error" for f in json.loads(expected.read_text(encoding="utf-8"))["findings"]
        ):
            sources.append(load_source(case.name, case / "portfolio"))
    return sources


def paths(value: Any, prefix: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every node of a document with its path, the root first."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def mutate(chooser: Chooser, source: Source) -> Mutant:
    """One or two mutations of `source`, the second drawn on the result of the first."""
    changed: dict[str, list[Any]] = {}
    done = []
    for _ in range(chooser.pick((1, 1, 2), "mutations")):
        kind = chooser.pick(sorted(source.kinds()), "kind")
        file = chooser.pick(source.kinds()[kind], "file")
        documents = changed.setdefault(file, copy.deepcopy(source.files[file]))
        document = chooser.pick(range(len(documents)), "document") if documents else 0
        if not documents:
            continue
        nodes = dict(paths(documents[document]))
        path = chooser.pick(list(nodes), "path")
        mutation = _draw(chooser, source, file, document, path, nodes[path])
        documents[document] = apply(documents[document], mutation)
        done.append(mutation)
    return Mutant(source, tuple(done), changed)


def _draw(chooser: Chooser, source: Source, file: str, document: int, path: Path_, value: Any) -> Mutation:
    actions: list[str] = list(ACTIONS_ON_VALUE if path else ("replace",))
    if isinstance(value, dict):
        actions += ["add-key", "empty"]
    if isinstance(value, list):
        actions += ["empty"]
    if path and isinstance(path[-1], int):
        actions += ["duplicate"]
    action = chooser.pick(actions, "action")
    chosen: Any = None
    if action == "replace":
        chosen = chooser.pick(HOSTILE, "value")
    elif action == "nearby":
        chosen = chooser.pick(_nearby(value, source), "value")
    elif action == "add-key":
        chosen = chooser.pick(HOSTILE, "value")
    return Mutation(file, document, path, action, chosen)


def _nearby(value: Any, source: Source) -> list[Any]:
    """Values of the same kind as `value`, likely to pass validation and reach the analyses."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int | float):
        return [-value, 0, value * 1e6, value * 1e-6, value + 1, value - 1, value + 0.5, value * 1e300, 1e-320]
    if isinstance(value, str):
        return [*source.ids, UNKNOWN_ID, value + "x", value.upper(), "2027-Q1", "2031-Q4", "2026-Q4"]
    if isinstance(value, list):
        return [value + value, value[::-1], value[:1], [*value, UNKNOWN_ID]]
    return [{}, None]


def apply(document: Any, mutation: Mutation) -> Any:
    """The document with the mutation made (in place where it can be); returns the new root."""
    if not mutation.path:
        return _changed(document, mutation)
    *head, last = mutation.path
    parent = document
    for step in head:
        parent = parent[step]
    if mutation.action == "delete":
        del parent[last]
    elif mutation.action == "duplicate":
        parent.insert(last, copy.deepcopy(parent[last]))
    else:
        parent[last] = _changed(parent[last], mutation)
    return document


def _changed(value: Any, mutation: Mutation) -> Any:
    if mutation.action == "empty":
        return type(value)()
    if mutation.action == "add-key":
        return {**value, UNKNOWN_KEY: copy.deepcopy(mutation.value)}
    return copy.deepcopy(mutation.value)
