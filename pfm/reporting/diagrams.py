"""The dependency network (`pfm.analysis.network`) as Mermaid (renders on GitHub and in the board pack) or Graphviz DOT.

Item titles are user text: in Mermaid every character outside a safe set becomes an
entity code, in DOT quotes and backslashes are escaped, so a title can never become
markup or syntax.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pfm.analysis.network import Link, Node

_MERMAID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_()/'+%")


def mermaid_text(text: str) -> str:
    """User text as a Mermaid label: anything but plain characters as an entity code (#60; for <)."""
    return "".join(char if char in _MERMAID_SAFE else f"#{ord(char)};" for char in text)


def to_mermaid(nodes: Iterable[Node], links: Iterable[Link]) -> str:
    """A left-to-right flowchart: prerequisite --> dependent, programmes as subgraphs, critical links red."""
    nodes = list(nodes)
    names = {node.id: f"n{position}" for position, node in enumerate(nodes)}
    lines = ["flowchart LR"]
    for number, (group, members) in enumerate(_grouped(nodes).items()):
        indent = "  "
        if group is not None:
            title = next(m.group_title for m in members if m.group_title) or group
            lines.append(f'  subgraph g{number}["{mermaid_text(title)}"]')
            indent = "    "
        lines += [f'{indent}{names[m.id]}["{mermaid_text(m.id)}<br/>{mermaid_text(m.title)}"]' for m in members]
        if group is not None:
            lines.append("  end")
    critical = []
    for position, link in enumerate(link for link in links if link.prerequisite in names and link.dependent in names):
        label = (
            ""
            if link.type == "finish-to-start" and not link.lag
            else f"|{_short(link.type)}{link.lag:+d}|"
            if link.lag
            else f"|{_short(link.type)}|"
        )
        lines.append(f"  {names[link.prerequisite]} -->{label} {names[link.dependent]}")
        if link.critical:
            critical.append(str(position))
    if critical:
        lines.append(f"  linkStyle {','.join(critical)} stroke:#c62828,stroke-width:3px")
    return "\n".join(lines) + "\n"


def to_dot(nodes: Iterable[Node], links: Iterable[Link]) -> str:
    """Graphviz: `dot -Tsvg` draws it; programmes as clusters, critical edges red."""
    nodes = list(nodes)
    lines = ["digraph portfolio {", "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    for number, (group, members) in enumerate(_grouped(nodes).items()):
        indent = "  "
        if group is not None:
            title = next(m.group_title for m in members if m.group_title) or group
            lines += [f"  subgraph cluster_{number} {{", f"    label={_dot(title)};"]
            indent = "    "
        lines += [f"{indent}{_dot(m.id)} [label={_dot(m.id + chr(10) + m.title)}];" for m in members]
        if group is not None:
            lines.append("  }")
    known = {node.id for node in nodes}
    for link in links:
        if link.prerequisite in known and link.dependent in known:
            style = ' [color="#c62828", penwidth=2.5]' if link.critical else ""
            lines.append(f"  {_dot(link.prerequisite)} -> {_dot(link.dependent)}{style};")
    return "\n".join([*lines, "}"]) + "\n"


def _grouped(nodes: list[Node]) -> Mapping[str | None, list[Node]]:
    groups: dict[str | None, list[Node]] = {}
    for node in nodes:
        groups.setdefault(node.group, []).append(node)
    return groups


def _short(kind: str) -> str:
    return {"finish-to-start": "FS", "start-to-start": "SS", "finish-to-finish": "FF", "start-to-finish": "SF"}.get(
        kind, kind
    )


def _dot(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
