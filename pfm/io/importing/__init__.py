"""Registers into portfolio files: CSV and XLSX rows read through a mapping (`mapping`, `parsers`, `sources`) and
merged into the YAML files by id (`merge`), all behind `import_files` (`plan`). Built-in mappings for the exports
of common tools are the presets (`presets/NAME.yaml`)."""

from __future__ import annotations

from pathlib import Path

from pfm.errors import UsageError

PRESET_FOLDER = Path(__file__).resolve().parent / "presets"


def preset_names() -> list[str]:
    """The built-in mappings, by name: `project-online`, `jira`, ..."""
    return sorted(path.stem for path in PRESET_FOLDER.glob("*.yaml"))


def preset_path(name: str) -> Path:
    """The mapping file of a preset; an unknown name is a usage error that lists the known ones."""
    if name not in preset_names():
        raise UsageError(f"no preset '{name}' (presets: {', '.join(preset_names())})")
    return PRESET_FOLDER / f"{name}.yaml"
