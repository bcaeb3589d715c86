"""Safe, fast YAML reading with YAML 1.2 core semantics.

PyYAML's C-backed loader does the parsing; this module swaps its YAML 1.1 resolvers
for the YAML 1.2 core schema (so `no`, `on` and country codes stay strings, `010` is
ten), keeps dates as strings, turns mapping keys into strings (JSON's data model),
records duplicate keys instead of silently keeping the last, and refuses alias graphs
that would expand past a bound (a "billion laughs" file).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Nodes that aliases may add beyond those written out; generous for anchors used as
# shared defaults, far below what it takes to exhaust memory or time.
ALIAS_EXPANSION_LIMIT = 100_000

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


def _construct_core_int(loader: Loader, node: ScalarNode) -> int:
    text = str(node.value)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


def _construct_core_float(loader: Loader, node: ScalarNode) -> float:
    return float(str(node.value).lower().replace(".inf", "inf").replace(".nan", "nan"))


Loader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)
Loader.add_constructor("tag:yaml.org,2002:float", _construct_core_float)


def check_alias_expansion(root: Node, limit: int = ALIAS_EXPANSION_LIMIT) -> None:
    """Raise AliasLimitError if aliases expand the node graph by more than `limit` nodes.

    Sizes are memoised per node, so the check costs one pass over the nodes written
    out, however large the expansion would be.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    distinct = 0

    def size(node: Node) -> int:
        nonlocal distinct
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise AliasLimitError("an alias refers to the node that contains it", node)
        if isinstance(node, ScalarNode):
            total = 1
        else:
            open_nodes.add(key)
            children: list[Node] = (
                node.value if isinstance(node, SequenceNode) else [part for pair in node.value for part in pair]
            )
            total = 1 + sum(size(child) for child in children)
            open_nodes.discard(key)
            if total - distinct > limit:
                raise AliasLimitError(f"aliases expand this document to more than {limit:,} extra nodes", node)
        distinct += 1
        sizes[key] = total
        return total

    size(root)


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
