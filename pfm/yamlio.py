"""Safe, fast YAML reading with YAML 1.2 core semantics.

PyYAML's C-backed loader does the parsing; this module swaps its YAML 1.1 resolvers
for the YAML 1.2 core schema (so `no`, `on` and country codes stay strings, `010` is
ten), keeps dates as strings, turns mapping keys into strings (JSON's data model),
records duplicate keys instead of silently keeping the last, and refuses alias graphs
that would expand past a bound (a "billion laughs" file).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Nodes that aliases may add beyond those written out; generous for anchors used as
# shared defaults, far below what it takes to exhaust memory or time.
ALIAS_EXPANSION_LIMIT = 100_000
# Deeper nesting than any portfolio needs; libyaml's composer recurses in C and crashes
# on tens of thousands of levels, so depth is checked before composing.
MAX_DEPTH = 100
MAX_NUMBER_DIGITS = 100

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AliasLimitError(Exception):
    """Aliases that expand past the limit, or that contain themselves."""

    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    key: str
    line: int  # 0-based, as PyYAML marks are
    column: int
    first_line: int


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """CSafeLoader with YAML 1.2 core resolvers and duplicate-key detection."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {type(node).__name__}", node.start_mark
            )
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if not isinstance(key_node, ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    "a key must be a plain scalar",
                    key_node.start_mark,
                )
            line = key_node.start_mark.line
            if key_node.value in seen:
                self.duplicates.append(
                    DuplicateKey(key_node.value, line, key_node.start_mark.column, seen[key_node.value])
                )
            seen[key_node.value] = line
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mapping[str(key_node.value)] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_map(self, node: MappingNode) -> Iterator[dict[str, Any]]:
        data: dict[str, Any] = {}
        yield data
        data.update(self.construct_mapping(node))

    def construct_as_string(self, node: ScalarNode) -> str:
        return str(node.value)

    def construct_unsupported(self, node: Node) -> None:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"tag {node.tag} is not allowed in a portfolio (only JSON-compatible data)",
            node.start_mark,
        )


Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_yaml_map)
Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_as_string)
for _tag in ("binary", "set", "omap", "pairs"):
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", Loader.construct_unsupported)

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


class NumberError(yaml.constructor.ConstructorError):
    """A number no portfolio figure can be: infinite, not a number, or absurdly long."""


def _construct_core_int(loader: Loader, node: ScalarNode) -> int:
    text = str(node.value)
    if len(text) > MAX_NUMBER_DIGITS:
        raise NumberError(None, None, f"a number with {len(text):,} digits is too large", node.start_mark)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


def _construct_core_float(loader: Loader, node: ScalarNode) -> float:
    value = float(str(node.value).lower().replace(".inf", "inf").replace(".nan", "nan"))
    if not math.isfinite(value):
        raise NumberError(None, None, f"{node.value} is not a finite number", node.start_mark)
    return value


Loader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)
Loader.add_constructor("tag:yaml.org,2002:float", _construct_core_float)


def check_alias_expansion(root: Node, limit: int = ALIAS_EXPANSION_LIMIT) -> None:
    """Raise AliasLimitError if aliases expand the node graph by more than `limit` nodes,
    nest it deeper than MAX_DEPTH, or make it contain itself.

    Sizes and heights are memoised per node, so the check costs one pass over the nodes
    written out, however large the expansion would be. An alias always names a node
    met earlier, so the recursion is only as deep as the text's own nesting.
    """
    measured: dict[int, tuple[int, int]] = {}  # node -> (expanded size, height)
    open_nodes: set[int] = set()
    distinct = 0

    def measure(node: Node) -> tuple[int, int]:
        nonlocal distinct
        key = id(node)
        if key in measured:
            return measured[key]
        if key in open_nodes:
            raise AliasLimitError("an alias refers to the node that contains it", node)
        size, height = 1, 1
        if not isinstance(node, ScalarNode):
            open_nodes.add(key)
            children: list[Node] = (
                node.value if isinstance(node, SequenceNode) else [part for pair in node.value for part in pair]
            )
            for child in children:
                child_size, child_height = measure(child)
                size += child_size
                height = max(height, child_height + 1)
            open_nodes.discard(key)
            if size - distinct > limit:
                raise AliasLimitError(f"aliases expand this document to more than {limit:,} extra nodes", node)
            if height > MAX_DEPTH:
                raise AliasLimitError(f"aliases nest the data more than {MAX_DEPTH} levels deep", node)
        distinct += 1
        measured[key] = (size, height)
        return size, height

    measure(root)


def compose_all(text: str) -> list[Node]:
    """The node graphs of every document in `text` (for recovering positions)."""
    loader = Loader(text)
    try:
        nodes: list[Node] = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


class NestingError(Exception):
    """Collections nested deeper than MAX_DEPTH."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"collections are nested more than {MAX_DEPTH} levels deep")
        self.line, self.column = line, column


def check_nesting(text: str) -> None:
    """Raise NestingError if collections nest deeper than MAX_DEPTH.

    Every level opens at a line start, a bracket or an indicator followed by a space, so
    counting those bounds the depth cheaply; only a file over the bound is parsed event
    by event (libyaml's parser keeps its own stack, so this cannot crash).
    """
    bound = sum(text.count(mark) for mark in ("\n", "[", "{", "- ", "-\t", "? ", "?\t", ": ", ":\t"))
    if bound <= MAX_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise NestingError(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
