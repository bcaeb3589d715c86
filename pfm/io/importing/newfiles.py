"""New documents of an import written as text from the kind's template, without a YAML round trip per file.

A register of 10,000 rows makes 20,000 new files: ruamel.yaml's emitter (pure Python) would spend most of the
import on them. The template is split once into its top-level entries (a key line with the lines indented
under it, or a comment line); a new document is the template with the entries of the keys it sets replaced
(the key line's comment kept) and its other keys added at the end, each value written in pfm's style by
PyYAML's emitter: scalars and short lists or mappings in flow style (`[a, b]`, `{year: 2027, capex: 1}`), a list
of such mappings one `- {...}` line each. A template whose text is not that simple (a value written over
several lines other than a list under its key) is not split: its documents go through the round trip.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):(?P<value>[^#]*?)(?P<comment>\s+#.*)?$")
_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

Entry = tuple[str | None, list[str]]  # a top-level key (None: a comment or blank line) and its lines


def split_template(text: str) -> list[Entry] | None:
    """The template's top-level entries in order, or None when its text is not one key per line."""
    entries: list[Entry] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            entries.append((None, [line]))
        elif line[0] in " -":
            if not entries or entries[-1][0] is None or not line.lstrip().startswith(("- ", "#")):
                return None
            entries[-1][1].append(line)
        elif match := _KEY_LINE.match(line):
            entries.append((match["key"], [line]))
        else:
            return None
    return entries


def document_text(entries: list[Entry], data: dict[str, Any]) -> str | None:
    """The template's text with `data`'s keys set; None when a value is not one pfm writes in flow style."""
    lines: list[str] = []
    written = set()
    for key, block in entries:
        if key is None or key not in data:
            lines += block
            continue
        comment = _KEY_LINE.match(block[0])
        value = _written(key, data[key], comment["comment"] if comment and comment["comment"] else "")
        if value is None:
            return None
        lines += value
        written.add(key)
    for key, value in data.items():
        if key not in written:
            added = _written(key, value, "")
            if added is None:
                return None
            lines += added
    return "\n".join(lines) + "\n"


def _written(key: str, value: Any, comment: str) -> list[str] | None:
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        rows = [_flow(item) for item in value]
        if any(row is None for row in rows):
            return None
        return [f"{key}:{comment}", *(f"  - {row}" for row in rows)]
    flow = _flow(value)
    if flow is None:
        return None
    return [f"{key}: {flow}{comment}"]


def _flow(value: Any) -> str | None:
    """One line of flow YAML for a scalar, or a list or mapping of scalars; None for anything deeper."""
    if isinstance(value, dict | list):
        items = value.values() if isinstance(value, dict) else value
        if any(isinstance(item, dict | list) for item in items):
            return None
    text = yaml.dump(value, Dumper=_DUMPER, default_flow_style=True, width=1 << 30, allow_unicode=True, sort_keys=False)
    text = text.removesuffix("\n").removesuffix("\n...")
    return None if "\n" in text else text
