"""Safe, fast YAML reading with YAML 1.2 core semantics.

libyaml (through PyYAML's C parser) parses and composes; this module resolves plain
scalars by the YAML 1.2 core schema (so `no`, `on` and country codes stay text and `010`
is ten), and turns the node graph into JSON-compatible data itself: dates stay text,
mapping keys become their written text, duplicate keys are recorded instead of silently
dropped, tags beyond JSON's data are refused, and alias graphs that would expand past a
bound (a "billion laughs" file) or nest too deep are refused before anything is built.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Nodes that aliases may add beyond those written out: generous for anchors used as
# shared defaults, far below what it takes to exhaust memory or time.
ALIAS_EXPANSION_LIMIT = 100_000
# Deeper than any portfolio needs. libyaml's composer recurses in C and crashes on tens
# of thousands of levels, so depth is bounded before composing.
MAX_DEPTH = 100
MAX_NUMBER_DIGITS = 100

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SEQ = _TAG + "seq"
_MAP = _TAG + "map"
_PLAIN = "pfm:plain"  # a plain scalar, resolved by to_data
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(yaml.MarkedYAMLError):
    """YAML that parses but is not data a portfolio may hold; `rule` names the finding."""

    rule = "yaml.syntax"

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(problem=message, problem_mark=mark)


class TagError(DataError):
    rule = "yaml.tag"


class KeyTypeError(DataError):
    rule = "yaml.key"


class NumberError(DataError):
    rule = "yaml.number"


class AliasLimitError(DataError):
    rule = "yaml.alias-limit"


class NestingError(DataError):
    rule = "yaml.nesting"


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    key: str
    line: int  # 1-based
    column: int
    first_line: int


# YAML 1.2 breaks lines at LF and CR only (spec 5.4); libyaml, written for YAML 1.1, also breaks them at
# NEL, LS and PS. It reads a text with those swapped for private-use characters the text does not hold
# (ordinary text to libyaml, and one character each, so positions stay true), swapped back in every scalar.
YAML_1_1_BREAKS = "\x85\u2028\u2029"
_PRIVATE_USE = itertools.chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's parser and composer reading YAML 1.2 text; plain scalars are left for `to_data` to resolve.

    The C composer calls `resolve` for every node. Answering with a marker instead of
    running PyYAML's resolver list keeps that call as cheap as a Python call can be;
    `to_data` then applies the YAML 1.2 core schema where it looks at the scalar anyway.
    """

    def __init__(self, text: str) -> None:
        self._restore: dict[int, str] = {}
        if any(char in text for char in YAML_1_1_BREAKS):
            free = (chr(code) for code in _PRIVATE_USE if chr(code) not in text)
            swap = {ord(char): stand_in for char, stand_in in zip(YAML_1_1_BREAKS, free, strict=False)}
            self._restore = {ord(stand_in): chr(code) for code, stand_in in swap.items()}
            text = text.translate(swap)
        super().__init__(text)

    def get_node(self) -> Node:
        """The next document's node graph (call after check_node says there is one)."""
        node: Node = super().get_node()
        if self._restore:
            _restore_scalars(node, self._restore)
        return node

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-based resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path-based resolvers: nothing to track."""


def _restore_scalars(root: Node, table: dict[int, str]) -> None:
    """Put the characters a Loader swapped out back into every scalar of a composed document."""
    seen: set[int] = set()
    pending = [root]
    while pending:  # a loop, not recursion: aliases may make the graph deep or even cyclic
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            node.value = node.value.translate(table)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
        else:
            pending.extend(part for pair in node.value for part in pair)


# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_CORE_NULL = re.compile(r"(?:~|null|Null|NULL)\Z")
_CORE_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_CORE_INT = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_CORE_FLOAT = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)


_RESOLVED_STARTS = frozenset("-+.0123456789tTfFnN~")  # how a plain scalar that is not text can begin


def _plain(node: ScalarNode) -> Any:
    """A plain (unquoted) scalar by the core schema: null, boolean, integer, float or text."""
    text: str = node.value
    if not text:
        return None
    first = text[0]
    if first in "-+.0123456789":
        if _CORE_INT.match(text):
            return _integer(node)
        if _CORE_FLOAT.match(text):
            return _float(node)
    elif first in "tTfF":
        if _CORE_BOOL.match(text):
            return first in "tT"
    elif first in "nN~" and _CORE_NULL.match(text):
        return None
    return text


def _integer(node: ScalarNode) -> int:
    text = str(node.value)
    if len(text) > MAX_NUMBER_DIGITS:
        raise NumberError(f"a number with {len(text):,} digits is too large", node.start_mark)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _float(node: ScalarNode) -> float:
    value = float(str(node.value).lower().replace(".inf", "inf").replace(".nan", "nan"))
    if not math.isfinite(value):
        raise NumberError(f"{node.value} is not a finite number", node.start_mark)
    return value


_SCALARS: dict[str, Callable[[ScalarNode], Any]] = {
    _TAG + "timestamp": lambda node: node.value,  # dates stay text, so `format: date` can check them
    _TAG + "null": lambda node: None,
    _TAG + "bool": lambda node: node.value.lower() == "true",
    _TAG + "int": _integer,
    _TAG + "float": _float,
}


def to_data(root: Node, shared: bool = True) -> tuple[Any, list[DuplicateKey]]:
    """The JSON-compatible data of a composed document, and its duplicate keys.

    `shared=False` promises the document has no aliases, so no node needs remembering.
    Recursion is as deep as the document's nesting, which check_nesting and
    check_alias_expansion have bounded by MAX_DEPTH.
    """
    duplicates: list[DuplicateKey] = []
    built: dict[int, Any] = {}  # aliases share one value, as they share one node

    def convert(node: Node) -> Any:
        if isinstance(node, ScalarNode):
            tag = node.tag
            if tag is _PLAIN:  # the marker object resolve() hands out
                text = node.value
                return text if text and text[0] not in _RESOLVED_STARTS else _plain(node)
            if tag == _STR:
                return node.value
            constructor = _SCALARS.get(node.tag)
            if constructor is None:
                raise TagError(
                    f"tag {node.tag} is not allowed in a portfolio (only JSON-compatible data)", node.start_mark
                )
            return constructor(node)
        if shared and id(node) in built:
            return built[id(node)]
        value: list[Any] | dict[str, Any]
        if isinstance(node, SequenceNode):
            _check_tag(node, _SEQ)
            if not shared:
                return [convert(child) for child in node.value]
            value = built[id(node)] = []
            value.extend(convert(child) for child in node.value)
        elif isinstance(node, MappingNode):
            _check_tag(node, _MAP)
            value = {}
            if shared:
                built[id(node)] = value
            fill_mapping(node, value)
        else:
            raise DataError(f"unexpected {type(node).__name__}", node.start_mark)
        return value

    def fill_mapping(node: MappingNode, mapping: dict[str, Any]) -> None:
        merged: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                raise KeyTypeError("a mapping key must be plain text, not a list or a mapping", key_node.start_mark)
            if key_node.value == "<<" and key_node.tag == _PLAIN:
                merged.extend(value_node.value if value_node.__class__ is SequenceNode else [value_node])
            else:
                mapping[key_node.value] = convert(value_node)
        if len(mapping) + len(merged) < len(node.value):  # rare: find which keys came twice
            duplicates.extend(_duplicate_keys(node))
        for source in merged:  # `<<: *defaults`: keys written out win, then earlier merges
            values = convert(source)
            if not isinstance(values, dict):
                raise DataError("a merge key (<<) takes a mapping or a list of mappings", source.start_mark)
            for name, value in values.items():
                mapping.setdefault(name, value)

    return convert(root), duplicates


def _duplicate_keys(node: MappingNode) -> list[DuplicateKey]:
    first_lines: dict[str, int] = {}
    found = []
    for key_node, _ in node.value:
        if key_node.value == "<<" and key_node.tag == _PLAIN:
            continue
        mark = key_node.start_mark
        if key_node.value in first_lines:
            found.append(DuplicateKey(key_node.value, mark.line + 1, mark.column + 1, first_lines[key_node.value]))
        first_lines[key_node.value] = mark.line + 1
    return found


def _check_tag(node: Node, expected: str) -> None:
    if node.tag != expected:
        raise TagError(f"tag {node.tag} is not allowed in a portfolio (only JSON-compatible data)", node.start_mark)


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
            raise AliasLimitError("an alias refers to the node that contains it", node.start_mark)
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
                raise AliasLimitError(
                    f"aliases expand this document to more than {limit:,} extra nodes", node.start_mark
                )
            if height > MAX_DEPTH:
                raise AliasLimitError(f"aliases nest the data more than {MAX_DEPTH} levels deep", node.start_mark)
        distinct += 1
        measured[key] = (size, height)
        return size, height

    measure(root)


_INDENT = re.compile(r"^ *", re.MULTILINE)
_USUAL_INDENT = 16  # portfolio files rarely indent this far; below it one search replaces a scan of every line
_DEEP_INDENT = " " * _USUAL_INDENT
# An indicator followed, on the same line, by another indicator, an anchor or a tag:
# the compact forms (`- - x`, `- &a - x`) that nest without indenting.
_COMPACT = re.compile(r"[-?:][ \t]+(?=[-?&!][ \t]|[&!])")


def check_nesting(text: str) -> None:
    """Raise NestingError if collections nest deeper than MAX_DEPTH.

    Block nesting needs indentation (two levels per column at most), flow nesting a
    bracket, compact nesting an indicator, so a bound on the depth costs a few C-level
    scans. Only a file whose bound exceeds the limit is parsed event by event, by
    PyYAML's pure-Python parser: it keeps its own stack and has no depth limit of its
    own, so this limit acts first whatever libyaml is bundled (libyaml's scanner, from
    the copy in PyYAML 6.0.4 on, stops at 1,000 levels with a syntax error of its own,
    and reads up to 1,024 characters ahead of the events it has handed out). A syntax
    error found here is left for the composer to report.
    """
    deep = text.startswith(_DEEP_INDENT) or "\n" + _DEEP_INDENT in text
    indent = max(map(len, _INDENT.findall(text))) if deep else _USUAL_INDENT - 1
    bound = 2 * (indent + 2) + text.count("[") + text.count("{") + len(_COMPACT.findall(text))
    if bound <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise NestingError(f"collections are nested more than {MAX_DEPTH} levels deep", event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except NestingError:
        raise
    except yaml.YAMLError:
        return  # shallower than the limit up to the error, which the composer reports with its position


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
