"""Check documents against the JSON Schema of their kind (jsonschema-rs), as problems."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Sequence
from functools import cache, partial
from typing import Any

import jsonschema_rs

from pfm.findings import JsonPath, Location, Problem, did_you_mean
from pfm.io.loading import Document
from pfm.periods import calendar_date
from pfm.resources import KINDS, load_schema

_RULES = {
    "additionalProperties": "schema.additional-properties",
    "required": "schema.required",
    "type": "schema.type",
    "enum": "schema.enum",
    "const": "schema.const",
    "pattern": "schema.pattern",
    "propertyNames": "schema.pattern",
    "format": "schema.format",
    "minimum": "schema.range",
    "maximum": "schema.range",
    "exclusiveMinimum": "schema.range",
    "exclusiveMaximum": "schema.range",
    "multipleOf": "schema.range",
    "minLength": "schema.length",
    "maxLength": "schema.length",
    "minItems": "schema.length",
    "maxItems": "schema.length",
    "minProperties": "schema.length",
    "maxProperties": "schema.length",
    "uniqueItems": "schema.unique",
}

_PATTERN_TEXT = {
    "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$": "an id (letters, digits, '.', '_' and '-', starting with a letter or digit)",
    "^(19[0-9]{2}|2[01][0-9]{2}|2200)-Q[1-4]$": "a quarter such as 2027-Q1, in the years 1900 to 2200",
    "^[A-Z]{3}$": "an ISO 4217 currency code such as GBP",
}

_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}
_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "a boolean",
    "integer": "a whole number",
    "number": "a number",
    "null": "empty",
}
_MAX_SHOWN = 60


def _is_date(text: str) -> bool:
    return calendar_date(text) is not None


@cache
def _validator(kind: str, pointer: tuple[str | int, ...] = ()) -> Any:
    """A compiled validator for a kind's schema, or for one of its subschemas (to explain anyOf)."""
    root = load_schema(kind)
    schema: Any = root
    for part in pointer:
        schema = schema[part]
    if pointer:
        schema = {**schema, "definitions": root.get("definitions", {})}
    return jsonschema_rs.Draft7Validator(schema, formats={"date": _is_date}, validate_formats=True)


def check_document(document: Document) -> list[Problem]:
    """Schema problems of one document; envelope problems (not a mapping, unknown kind) first."""
    data = document.data
    where = Location(document.file, document.index)
    if not isinstance(data, dict):
        return [Problem("document.type", f"a document must be a mapping, not {_type_name(data)}", where)]
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:  # a list or mapping written as the kind too
        if kind is None:
            return [Problem("document.kind", "document has no 'kind'", where, hint=f"one of: {', '.join(KINDS)}")]
        shown = _show(kind)
        return [
            Problem(
                "document.kind",
                f"unknown kind {shown}",
                Location(document.file, document.index, ("kind",)),
                hint=did_you_mean(str(kind), KINDS),
            )
        ]
    if _validator(kind).is_valid(data):  # the usual case, and cheaper than collecting no errors
        return []
    return list(_problems(kind, (), data, document, ()))


_BOUND_WORDS = {
    "minimum": "less than the minimum of",
    "maximum": "greater than the maximum of",
    "exclusiveMinimum": "less than or equal to the minimum of",
    "exclusiveMaximum": "greater than or equal to the maximum of",
}


def _problems(
    kind: str, pointer: tuple[str | int, ...], instance: Any, document: Document, prefix: JsonPath
) -> Iterator[Problem]:
    for error in _validator(kind, pointer).iter_errors(instance):
        where = _error_path(instance, error)
        path: JsonPath = prefix + where
        keyword = error.kind.name
        # Paths through a $ref start at the root's definitions; others are relative to the subschema.
        schema_path = tuple(error.schema_path)
        if schema_path[:1] != ("definitions",):
            schema_path = pointer + schema_path
        if keyword in ("anyOf", "oneOf"):
            yield from _explain_alternatives(kind, schema_path, _value_at(instance, where), document, path)
        else:
            yield _problem(kind, keyword, error, schema_path, path, document)


def _explain_alternatives(
    kind: str, pointer: tuple[str | int, ...], value: Any, document: Document, path: JsonPath
) -> Iterator[Problem]:
    """For a value matching none of anyOf's shapes, report against the shape of its own type.

    When several shapes have its type (a list of judgements, or a list of raters' blocks of
    them), the one meant is the one it misses by the fewest errors, the deepest on a tie: a
    value that gets far into a shape before failing was written for it.
    """
    root = load_schema(kind)
    branches = _value_at(root, pointer)
    targets = []
    for position, branch in enumerate(branches):
        resolved = _resolve_ref(root, branch)
        if _type_matches(resolved.get("type"), value):
            targets.append(tuple(resolved["__pointer__"]) if "__pointer__" in resolved else (*pointer, position))
    if targets:
        yield from _problems(kind, min(targets, key=partial(_miss, kind, value)), value, document, path)
        return
    expected = " or ".join(sorted({_describe_type(_resolve_ref(root, b).get("type")) for b in branches}))
    yield Problem(
        "schema.type",
        f"{_show(value)} is {_type_name(value)}, expected {expected}",
        Location(document.file, document.index, path),
    )


def _miss(kind: str, value: Any, pointer: tuple[str | int, ...]) -> tuple[int, int]:
    """How badly `value` misses the subschema at `pointer`: its errors, then minus their deepest path."""
    depths = [len(error.instance_path) for error in _validator(kind, pointer).iter_errors(value)]
    return len(depths), -max(depths, default=0)


def _problem(
    kind: str, keyword: str, error: Any, schema_path: tuple[str | int, ...], path: JsonPath, document: Document
) -> Problem:
    rule = _RULES.get(keyword, "schema.invalid")
    details = error.kind.as_dict()
    file, index = document.file, document.index
    if keyword == "additionalProperties":
        unexpected = details["unexpected"]
        allowed = _allowed_properties(kind, schema_path)
        name = unexpected[0]
        hint = did_you_mean(name, allowed) or "extension keys start with x-"
        message = f"unknown key '{_clip(name)}'" + (f" (and {len(unexpected) - 1} more)" if len(unexpected) > 1 else "")
        return Problem(rule, message, Location(file, index, (*path, name), target="key"), hint=hint)
    if keyword == "required":
        return Problem(rule, f"missing required key '{details['property']}'", Location(file, index, path, target="key"))
    if keyword in ("pattern", "propertyNames"):
        pattern = _pattern_of(kind, schema_path)
        expected = _PATTERN_TEXT.get(pattern, f"text matching {pattern}")
        if keyword == "propertyNames":
            keys = _value_in(document.data, path) or {}
            name = next((k for k in keys if not re.match(pattern, k)), "")
            return Problem(
                rule, f"key '{_clip(name)}' is not {expected}", Location(file, index, (*path, name), target="key")
            )
        return Problem(rule, f"{_show(_value_in(document.data, path))} is not {expected}", Location(file, index, path))
    if keyword in _BOUND_WORDS:  # the validator writes 1e308 with all its 309 digits, hiding the limit
        value = _value_in(document.data, path)
        message = f"{_number(value)} is {_BOUND_WORDS[keyword]} {_number(details['limit'])}"
        return Problem(rule, message, Location(file, index, path))
    if keyword == "format" and details.get("format") == "date":
        value = _value_in(document.data, path)
        return Problem(
            rule, f"{_show(value)} is not a date (YYYY-MM-DD) in the years 1900 to 2200", Location(file, index, path)
        )
    if keyword == "enum":
        options = details.get("options", [])
        value = _value_in(document.data, path)
        hint = did_you_mean(str(value), [str(o) for o in options]) or f"one of: {', '.join(map(str, options))}"
        return Problem(rule, f"{_show(value)} is not one of the allowed values", Location(file, index, path), hint=hint)
    return Problem(rule, _shorten_instance(error.message, _value_in(document.data, path)), Location(file, index, path))


def _shorten_instance(message: str, value: Any) -> str:
    """The validator's message with the offending value clipped, so a long value never hides the reason."""
    written = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    if message.startswith(written):
        return _show(value) + message[len(written) :]
    return _clip(message, 200)


def _resolve_ref(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    pointer = tuple(ref[2:].split("/"))
    return {**_value_at(root, pointer), "__pointer__": pointer}


def _allowed_properties(kind: str, schema_path: tuple[str | int, ...]) -> list[str]:
    node = _value_at(load_schema(kind), schema_path[:-1])
    return sorted(node.get("properties", {}))


def _pattern_of(kind: str, schema_path: tuple[str | int, ...]) -> str:
    node = _value_at(load_schema(kind), schema_path[:-1])
    pattern = node.get("pattern", "")
    return pattern if isinstance(pattern, str) else ""


def _type_matches(expected: Any, value: Any) -> bool:
    actual = _JSON_TYPES.get(type(value), "null")
    if expected == "number":
        return actual in ("number", "integer")
    return bool(expected == actual)


def _describe_type(expected: Any) -> str:
    return _TYPE_WORDS.get(str(expected), str(expected))


def _error_path(instance: Any, error: Any) -> JsonPath:
    """The error's path with mapping keys as written: jsonschema-rs reports a key of digits
    ('2027', '007') as a number, which names no key of the data (the loader keeps keys as text)."""
    written = list(_written_paths(instance, tuple(error.instance_path)))
    # Keys '7' and '007' in one mapping both come back as 7: the one holding the invalid value is meant.
    fallback = written[0] if written else tuple(error.instance_path)
    return next((path for path in written if _value_at(instance, path) == error.instance), fallback)


def _written_paths(instance: Any, path: JsonPath) -> Iterator[JsonPath]:
    if not path:
        yield ()
        return
    head, rest = path[0], path[1:]
    for key in _keys_meant(instance, head):
        for tail in _written_paths(instance[key], rest):
            yield (key, *tail)


def _keys_meant(instance: Any, part: str | int) -> list[str | int]:
    if isinstance(instance, dict) and isinstance(part, int):
        return [key for key in instance if key.isascii() and key.isdigit() and int(key) == part]
    return [part]


def _value_at(instance: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        instance = instance[part]
    return instance


def _value_in(data: Any, path: JsonPath) -> Any:
    try:
        return _value_at(data, list(path))
    except (KeyError, IndexError, TypeError):
        return None


def _number(value: Any) -> str:
    return f"{value:.15g}" if isinstance(value, float) else _show(value)


def _type_name(value: Any) -> str:
    return _TYPE_WORDS[_JSON_TYPES.get(type(value), "null")]


def _show(value: Any) -> str:
    return _clip(json.dumps(value, ensure_ascii=False, default=str))


def _clip(text: str, limit: int = _MAX_SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def usable_part(document: Document) -> Document | None:
    """The document with every invalid value removed, so cross-file rules can still read the rest.

    Keys are only deleted, never moved, so every remaining value keeps its path (and so
    its line). Pruning repeats until the schema passes; None when the envelope itself is broken.
    """
    data, kind = document.data, document.kind  # a kind written as a list or mapping reads as none
    if not isinstance(data, dict) or kind not in KINDS:
        return None
    pruned: dict[str, Any] = copy.deepcopy(data)
    validator = _validator(kind)
    for _ in range(100):
        paths = [path for error in validator.iter_errors(pruned) for path in _invalid_paths(pruned, error)]
        if not paths:
            return Document.of(document.file, document.index, pruned)
        for path in paths:
            key_path = _nearest_key(path)
            if len(key_path) <= 1 and (not key_path or key_path[0] in _ENVELOPE):
                return None
            # None when an earlier path of this round already removed an ancestor (a list
            # with one row missing a key and another row with a bad value).
            parent = _value_in(pruned, key_path[:-1])
            if isinstance(parent, dict):
                parent.pop(key_path[-1], None)
    return None


_ENVELOPE = ("apiVersion", "kind", "id")


def _nearest_key(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The path up to its last mapping key (an invalid list element takes its whole list)."""
    end = len(path)
    while end and not isinstance(path[end - 1], str):
        end -= 1
    return path[:end]


def _invalid_paths(instance: Any, error: Any) -> list[tuple[Any, ...]]:
    path = _error_path(instance, error)
    if error.kind.name == "additionalProperties":
        return [(*path, key) for key in error.kind.unexpected]
    return [path]
