"""``hpman export --format jsonschema``: a JSON Schema (2020-12) for run files as
``--hp-save`` writes them and ``--hp-load`` reads them, flat (``optim.lr: 0.1``) or
tree-shaped (``optim: {lr: 0.1}``).

Each name's type comes from its default (as the front-ends type ``--lr``), ``enum`` from
``choices=``, ``minimum``/``maximum`` from ``range=``, ``description`` from ``help=``;
values YAML and JSON lack are the tagged mappings of :mod:`hpman_cst.serial`
(``{"__tuple__": [1, 2]}``). Unknown keys are rejected. The schema is stricter than
``--hp-load`` in one way: a number written as a string (``lr: "0.1"``), which the loader
converts, is a wrong type here.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import serial
from ..convert import Kind
from .model import Entry

__all__ = ["DIALECT", "schema", "schema_text"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
JSON = dict[str, Any]


def _tagged(tag: str, payload: JSON) -> JSON:
    return {
        "type": "object",
        "properties": {tag: payload},
        "required": [tag],
        "additionalProperties": False,
    }


_NUMBER = {"type": "number"}
_DEFS: JSON = {
    "tuple": _tagged("__tuple__", {"type": "array"}),
    "set": _tagged("__set__", {"type": "array"}),
    "frozenset": _tagged("__frozenset__", {"type": "array"}),
    "complex": _tagged(
        "__complex__",
        {"type": "array", "prefixItems": [_NUMBER, _NUMBER], "minItems": 2, "maxItems": 2},
    ),
    "bytes": _tagged("__bytes__", {"type": "string", "contentEncoding": "base64"}),
    "dict": _tagged(
        "__dict__",
        {"type": "array", "items": {"type": "array", "minItems": 2, "maxItems": 2}},
    ),
    "float": _tagged("__float__", {"enum": ["nan", "inf", "-inf"]}),
}


def _ref(name: str) -> JSON:
    return {"$ref": f"#/$defs/{name}"}


def _any_of(*options: JSON) -> JSON:
    return {"anyOf": list(options)}


# What each kind accepts: what --hp-save writes, and the other spellings --hp-load
# converts (a list for a tuple or a set, an int for a float or a complex).
_KINDS: dict[Kind, JSON] = {
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "float": _any_of(_NUMBER, _ref("float")),
    "complex": _any_of(_NUMBER, _ref("complex")),
    "str": {"type": "string"},
    "bytes": _ref("bytes"),
    "none": {},
    "any": {},
    "list": _any_of({"type": "array"}, _ref("tuple")),
    "tuple": _any_of(_ref("tuple"), {"type": "array"}),
    "dict": _any_of({"type": "object"}, _ref("dict")),
    "set": _any_of(_ref("set"), _ref("frozenset"), {"type": "array"}),
    "frozenset": _any_of(_ref("frozenset"), _ref("set"), {"type": "array"}),
}


def _value_schema(entry: Entry) -> JSON:
    spec = entry.spec
    if spec.choices is not None:
        return {"enum": [serial.encode(c) for c in spec.choices]}
    if spec.bounds is None:
        return dict(_KINDS[spec.kind])
    low, high = spec.bounds
    number: JSON = {"type": "integer" if spec.kind == "int" else "number"}
    if low is not None:
        number["minimum"] = low
    if high is not None:
        number["maximum"] = high
    return number


def _leaf(entry: Entry) -> JSON:
    found = _value_schema(entry)
    if entry.spec.help is not None:
        found["description"] = entry.spec.help
    if entry.has_default and serial.can_save(entry.spec.default):
        found["default"] = serial.encode(entry.spec.default)
    return found


def _level(prefix: str, leaves: dict[str, JSON]) -> JSON:
    """The object holding the names below ``prefix`` (``""`` or ``"optim."``): each name
    flat (``lr``, ``adam.beta``) and each first segment of a dotted rest as a nested
    object; a key that is both a name and a group is the name (as ``--hp-load`` reads)."""
    properties: JSON = {}
    groups: list[str] = []
    for name, leaf in leaves.items():
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            properties[rest] = leaf
            head, dot, _ = rest.partition(".")
            if dot and head not in groups:
                groups.append(head)
    for head in groups:
        if head not in properties:
            properties[head] = _level(f"{prefix}{head}.", leaves)
    return {"type": "object", "properties": properties, "additionalProperties": False}


def schema(entries: Sequence[Entry], *, title: str = "hyper-parameters") -> JSON:
    """The JSON Schema of a run file holding (some of) ``entries``' names. An empty file
    (YAML ``null``) is valid too."""
    leaves = {e.name: _leaf(e) for e in sorted(entries, key=lambda e: e.name)}
    top = _level("", leaves)
    return {
        "$schema": DIALECT,
        "title": title,
        "type": ["object", "null"],
        "properties": top["properties"],
        "additionalProperties": False,
        "$defs": _DEFS,
    }


def schema_text(entries: Sequence[Entry]) -> str:
    """:func:`schema` as indented JSON text, ending with a newline."""
    return json.dumps(schema(entries), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
