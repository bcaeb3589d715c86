"""Recover the line and column of a JSON path, only for the files that have findings.

Reading keeps no positions (that is what makes it fast); when a problem needs one,
the file is composed again and the path walked through its nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pfm.findings import Finding, JsonPath, Location, Problem, format_path
from pfm.io.loading import read_text
from pfm.io.yamlio import compose_all


class PositionIndex:
    """Composed node graphs of the files asked about, parsed once each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._nodes: dict[str, list[Node]] = {}

    def _documents(self, file: str) -> list[Node]:
        if file not in self._nodes:
            text, _ = read_text(self.root / file, file)
            try:
                self._nodes[file] = compose_all(text) if text is not None else []
            except (yaml.YAMLError, RecursionError):
                self._nodes[file] = []
        return self._nodes[file]

    def locate(self, location: Location) -> tuple[int, int]:
        """1-based line and column of a location; the nearest known ancestor when the path is not found."""
        if location.line is not None:
            return location.line, location.column or 1
        documents = self._documents(location.file)
        if location.document >= len(documents):
            return 1, 1
        key, node = _walk(documents[location.document], location.path)
        mark = (key if location.target == "key" and key is not None else node).start_mark
        return mark.line + 1, mark.column + 1


def _walk(root: Node, path: JsonPath) -> tuple[Node | None, Node]:
    """The key node (if any) and value node at `path`, stopping at the deepest one that exists."""
    key: Node | None = None
    node = root
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            match = _find_key(node, part)
            if match is None:
                break
            key, node = match
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key, node = None, node.value[part]
        else:
            break
    return key, node


def _find_key(node: MappingNode, name: str) -> tuple[Node, Node] | None:
    found = None
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == name:
            found = (key, value)  # the last one wins, as in the loaded data
    return found


def resolve(problems: Iterable[Problem], root: Path) -> list[Finding]:
    """Turn problems into findings with positions, sorted by file, line and column."""
    index = PositionIndex(root)
    findings = []
    for problem in problems:
        line, column = index.locate(problem.location)
        findings.append(
            Finding(
                rule=problem.rule,
                severity=problem.severity,
                message=problem.message,
                file=problem.location.file,
                line=line,
                column=column,
                path=format_path(problem.location.path),
                hint=problem.hint,
            )
        )
    return sorted(set(findings), key=Finding.sort_key)
