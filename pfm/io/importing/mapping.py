"""The mapping file, and rows turned into documents by it.

A mapping says, per kind, where a document's id comes from and each mapped field's value: a column, a constant,
a template over columns, or another kind's id from the same row; how to read the text (`parse`), and which
texts become which values (`map`). Problems are `RowFinding`s at `file:row N:column NAME`: an error makes the
row unusable (no id, a text outside a map), a warning leaves one field out (text where a number belongs).
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pfm.errors import UsageError
from pfm.io.entities import ID_PATTERN
from pfm.io.importing.joins import Joined, kept
from pfm.io.importing.parsers import Unparsable, parsed
from pfm.io.importing.sources import Register, missing_column
from pfm.periods import quarter_of
from pfm.resources import KINDS, resource_dir

MAPPING_SCHEMA = "import-mapping.schema.json"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class RowFinding:
    """A problem in one cell or row of a source file; an error stops the import (unless partial)."""

    severity: Literal["error", "warning"]
    file: str
    row: int
    column: str
    message: str
    text: str = ""

    def location_text(self) -> str:
        return f"{self.file}:row {self.row}" + (f":column {self.column}" if self.column else "")

    def line(self) -> str:
        quoted = f": {self.text!r}" if self.text else ""
        return f"{self.location_text()}: {self.message}{quoted}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Mapping:
    """A checked mapping file: per kind (in pfm's kind order) its `id`, `fields` and `costs` specs."""

    kinds: dict[str, dict[str, Any]]
    source: dict[str, str]
    where: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class Imported:
    """One document read from one row: its kind, id, the mapped fields (dotted paths) and cost rows."""

    kind: str
    id: str
    file: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    costs: list[dict[str, Any]] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)  # a field's value when absent: writing it is no change


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file against its JSON Schema; a wrong mapping is a usage error."""
    import jsonschema_rs
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"{path}: cannot read the mapping: {error}") from None
    schema = json.loads((resource_dir("schemas") / MAPPING_SCHEMA).read_text(encoding="utf-8"))
    problems = sorted(
        f"{'/'.join(map(str, e.instance_path)) or '(top)'}: {e.message}"
        for e in jsonschema_rs.validator_for(schema).iter_errors(data)
    )
    if problems:
        raise UsageError(f"{path}: not a valid mapping: {problems[0]}")
    kinds = {kind: data["kinds"][kind] for kind in KINDS if kind in data["kinds"]}
    return Mapping(kinds, data.get("source") or {}, _conditions(data.get("where")), data.get("tables") or {})


class _RowError(Exception):
    """The row cannot make its document; carries the finding."""

    def __init__(self, finding: RowFinding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class Reading:
    """Rows turned into documents: what came out, and what was wrong on the way."""

    documents: list[Imported] = field(default_factory=list)
    findings: list[RowFinding] = field(default_factory=list)
    renamed: list[dict[str, Any]] = field(default_factory=list)  # slugs that collided, and the id each row got


def read_rows(
    mapping: Mapping, sources: list[Register], fiscal_year_start: int = 1, tables: dict[str, Register] | None = None
) -> Reading:
    """Every row the filters keep of every source through the mapping, kind by kind (so `id_of` sees the ids made
    before it); `tables` are the mapping's joined tables, read."""
    reading = Reading()
    seen: dict[str, dict[str, tuple[str, int]]] = {kind: {} for kind in mapping.kinds}
    joined = {
        name: Joined(kept(table, _conditions(mapping.tables[name].get("where"))))
        for name, table in (tables or {}).items()
    }
    reading.findings += [
        RowFinding("warning", source.name, 1, "", "no rows below the header: nothing to import")
        for source in sources
        if not source.rows
    ]
    for source in (kept(source, mapping.where) for source in sources):
        for row, number in zip(source.rows, source.numbers, strict=True):
            cell = _Cell(source, row, number, fiscal_year_start, {}, joined)
            made = []
            try:
                for kind, spec in mapping.kinds.items():
                    document = cell.document(kind, spec, seen[kind])
                    if document is not None:
                        made.append(document)
                        cell.ids[kind] = document.id
            except _RowError as wrong:  # the whole row is out: none of its documents is imported
                reading.findings.append(wrong.finding)
                continue
            reading.findings.extend(cell.findings)
            reading.renamed.extend(cell.renamed)
            reading.documents.extend(made)
    return reading


def _conditions(where: Any) -> list[dict[str, Any]]:
    return [] if not where else where if isinstance(where, list) else [where]


@dataclass
class _Cell:
    """Reads the values of one row."""

    source: Register
    row: dict[str, str]
    number: int
    fiscal_year_start: int
    ids: dict[str, str]
    tables: dict[str, Joined] = field(default_factory=dict)
    findings: list[RowFinding] = field(default_factory=list)
    renamed: list[dict[str, Any]] = field(default_factory=list)

    def warn(self, column: str, message: str, text: str = "") -> None:
        self.findings.append(RowFinding("warning", self.source.name, self.number, column, message, text))

    def error(self, column: str, message: str, text: str = "") -> _RowError:
        return _RowError(RowFinding("error", self.source.name, self.number, column, message, text))

    def document(self, kind: str, spec: dict[str, Any], seen: dict[str, tuple[str, int]]) -> Imported | None:
        """The row's document of `kind`; None for a business case without a cost figure (its costs are required)."""
        if spec["id"].get("optional") and not self.text(spec["id"]).strip():
            return None
        ident = self.identity(kind, spec["id"], seen)
        document = Imported(kind, ident, self.source.name, self.number)
        for name, field_spec in self.fields(spec.get("fields") or {}):
            value = self.value(field_spec)
            if value is not None:
                document.values[name] = value
            if "default" in field_spec:
                document.defaults[name] = field_spec["default"]
        if "costs" in spec:
            document.costs = self.costs(spec["costs"])
            if not document.costs and kind == "BusinessCase":
                self.warn("", f"no cost figure: no business case '{ident}'")
                del seen[ident.lower()]
                return None
        return document

    def fields(self, specs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """The mapping's fields, a pattern (`scores.*: {column: "score: *"}`) made one field per matching column."""
        named = []
        for name, spec in specs.items():
            if "*" not in name or "*" not in spec.get("column", ""):
                named.append((name, spec))
                continue
            before, _, after = spec["column"].partition("*")
            for column in self.source.columns:
                if column.startswith(before) and column.endswith(after) and len(column) > len(before + after):
                    key = column[len(before) : len(column) - len(after)]
                    named.append((name.replace("*", key), {**spec, "column": column}))
        return named

    def identity(self, kind: str, spec: dict[str, Any], seen: dict[str, tuple[str, int]]) -> str:
        raw = self.text(spec)
        column = spec.get("column", "")
        if not raw.strip():
            raise self.error(column, f"no id for the {kind}")
        ident = (slug(raw) if spec.get("slug") else raw.strip()) + str(spec.get("suffix", ""))
        if not ID_PATTERN.match(ident):
            raise self.error(column, f"not a valid {kind} id (letters, digits, '.', '_', '-')", raw)
        taken = seen.get(ident.lower())
        if taken and spec.get("slug"):
            base, count = ident, 2
            while f"{base}-{count}".lower() in seen:
                count += 1
            ident = f"{base}-{count}"
            self.renamed.append({"kind": kind, "file": self.source.name, "row": self.number, "slug": base, "id": ident})
            self.warn(column, f"the id '{base}' is taken by {taken[0]}:row {taken[1]}; this {kind} is '{ident}'", raw)
        elif taken:
            raise self.error(column, f"the {kind} id '{ident}' is also in {taken[0]}:row {taken[1]}", raw)
        seen[ident.lower()] = (self.source.name, self.number)
        return ident

    def text(self, spec: dict[str, Any]) -> str:
        """The raw text a spec points at: a cell, a filled template, a constant or another document's id."""
        if "column" in spec:
            return self.cell(spec["column"])
        if "template" in spec:
            return _PLACEHOLDER.sub(lambda m: self.cell(m[1]).strip(), spec["template"])
        if "id_of" in spec:
            if spec["id_of"] not in self.ids:
                raise self.error("", f"no {spec['id_of']} in this row to take the id of")
            return self.ids[spec["id_of"]]
        return "" if spec["value"] is None else str(spec["value"])

    def cell(self, column: str) -> str:
        if column not in self.row:
            raise missing_column(self.source, column)
        return self.row[column]

    def value(self, spec: dict[str, Any]) -> Any:
        """The field's value, or None to leave it out (a blank cell, a dropped or unreadable text, an optional
        column the file lacks)."""
        if "value" in spec:
            return spec["value"]
        if spec.get("optional") and spec.get("column") not in self.row:
            return None
        raw = self.text(spec).strip()
        if not raw:
            return None
        column = spec.get("column", "")
        kind = spec.get("parse", "text")
        parts = [raw] if kind != "list" else parsed("list", raw, spec)
        values = []
        for part in parts:
            mapped = self.mapped(spec, part, column)
            if mapped is _DROP:
                continue
            if not isinstance(mapped, str) or kind in ("text", "list"):
                values.append(mapped)
                if isinstance(mapped, str) and mapped.startswith("="):
                    self.warn(column, "a formula, not a value: kept as text", mapped)
                continue
            try:
                values.append(parsed(kind, mapped, {**spec, "fiscal_year_start": self.fiscal_year_start}))
            except Unparsable as why:
                self.warn(column, f"{why}; the field is left out", raw)
                return None
        if kind == "list":
            return values
        return values[0] if values else None

    def mapped(self, spec: dict[str, Any], text: str, column: str) -> Any:
        if "map" not in spec:
            return text
        for key, target in spec["map"].items():
            if str(key).strip().lower() == text.lower():
                return target
        otherwise = spec.get("otherwise", "error")
        if otherwise == "keep":
            return text
        if otherwise == "drop":
            return _DROP
        raise self.error(column, "a value the mapping's map does not list", text)

    def costs(self, spec: dict[str, Any]) -> list[dict[str, Any]]:
        """One cost row per fiscal year with a figure, from the columns named by `capex`/`opex` with {year}; with
        `year_from`, one row from the columns `capex`/`opex` name, in the fiscal year of that column's date."""
        if "year_from" in spec:
            return self.total_costs(spec)
        if "table" in spec:
            return self.long_costs(spec)
        years: dict[int, dict[str, Any]] = {}
        for measure in ("capex", "opex"):
            if measure not in spec:
                continue
            before, _, after = spec[measure].partition("{year}")
            for column in self.source.columns:
                year = column[len(before) : len(column) - len(after)] if after else column[len(before) :]
                if not (column.startswith(before) and column.endswith(after) and _YEAR.fullmatch(year)):
                    continue
                amount = self.value({"column": column, "parse": "number", "scale": spec.get("scale", 1)})
                if amount is not None:
                    years.setdefault(int(year), {"year": int(year)})[measure] = amount
        return [years[year] for year in sorted(years)]

    def long_costs(self, spec: dict[str, Any]) -> list[dict[str, Any]]:
        """Cost rows from a joined table in long format: its rows whose `key` holds this row's `on` (default: the
        same column), a row per `year`, amounts in the `capex`/`opex` columns or, with `figure` and `amount`, a
        figure's name and its amount per row; figures of one year and measure add up."""
        key = self.cell(spec.get("on", spec["key"]))
        years: dict[int, dict[str, Any]] = {}
        for row, number in self.tables[spec["table"]].rows_of(spec["key"], key):
            cell = _Cell(self.tables[spec["table"]].register, row, number, self.fiscal_year_start, {})
            year = cell.value({"column": spec["year"], "parse": "integer"})
            columns = {m: spec[m] for m in _MEASURES if m in spec}
            if "figure" in spec:
                columns = {cell.cell(spec["figure"]).strip().lower(): spec["amount"]}
            for measure, column in columns.items():
                scaled = {"column": column, "parse": "number", "scale": spec.get("scale", 1)}
                amount = cell.value(scaled) if measure in _MEASURES else None
                if year is not None and amount is not None:
                    line = years.setdefault(year, {"year": year})
                    line[measure] = line.get(measure, 0) + amount
            self.findings += cell.findings
        return [years[year] for year in sorted(years)]

    def total_costs(self, spec: dict[str, Any]) -> list[dict[str, Any]]:
        """A total cost (a list export's `Cost` column) as one row, in the fiscal year its `year_from` date is in."""
        when = self.value({"column": spec["year_from"], "parse": "date", "format": spec.get("format")})
        if when is None:
            return []
        row: dict[str, Any] = {"year": int(quarter_of(datetime.date.fromisoformat(when), self.fiscal_year_start)[:4])}
        for measure in ("capex", "opex"):
            if measure in spec:
                amount = self.value({"column": spec[measure], "parse": "number", "scale": spec.get("scale", 1)})
                if amount is not None:
                    row[measure] = amount
        return [row] if len(row) > 1 else []


_DROP = object()
_MEASURES = ("capex", "opex")


def slug(text: str) -> str:
    """An id made of a name: `Core Ledger – Phase 2` is `core-ledger-phase-2` (accents dropped, 100 at most)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:100].rstrip("-") or "row"
