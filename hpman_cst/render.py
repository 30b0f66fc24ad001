"""A registry as text: ``table``, ``detail``, ``json`` and ``yaml``; rewritten files as a
unified diff. Strings only: no printing, no file reading (``detail`` is given the source
lines it quotes).

``table`` and ``detail`` show values as the front-ends do (strings bare, other literals as
Python literals, set members sorted so that output never depends on hashing); a default
that is not a literal is shown as its source text (type ``unknown``), a name without a
default as ``-`` (type ``missing``).

``json`` and ``yaml`` write literal values the way ``--hp-save`` files hold them
(:mod:`hpman_cst.serial`): plain JSON/YAML types, and a one-key tagged mapping for the
values those cannot express (``{"__tuple__": [1, 2]}``, ``{"__set__": [...]}``,
``{"__complex__": [re, im]}``, ``{"__bytes__": base64}``...). The ``yaml`` listing is a
values file: ``--hp-load`` reads it back to exactly the same values.

tabulate and PyYAML are imported only by the formats that use them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from .detail_table import detail_listing, occurrence_lines
from .line_diff import EditRange, unified_lines
from .lint.catalog import registry_findings
from .notebook import json_place
from .plain_table import simple_table
from .records import Finding, Marker, Occurrence, Rebound, Value
from .registry import HyperParameter, Registry
from .serial import encode, no_default_note, not_literal_note, values_text

__all__ = [
    "FORMATS",
    "Rewritten",
    "display_path",
    "error_lines",
    "errors",
    "render",
    "render_detail",
    "render_json",
    "render_table",
    "render_yaml",
    "stable_repr",
    "unified_diff",
    "value_text",
    "visible_carriage_returns",
]

#: The formats :func:`render` knows.
FORMATS = ("table", "detail", "json", "yaml")


def stable_repr(value: object) -> str:
    """``repr(value)``, with the members of sets sorted (by their own text)."""
    if isinstance(value, (set, frozenset)):
        if not value:
            return "set()" if isinstance(value, set) else "frozenset()"
        inner = "{" + ", ".join(sorted(stable_repr(v) for v in value)) + "}"
        return inner if isinstance(value, set) else f"frozenset({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, tuple):
        items = [stable_repr(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, dict):
        pairs = (f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def value_text(parameter: HyperParameter) -> str:
    """The value as shown in ``table`` and ``detail``."""
    value = parameter.value
    if value is Marker.NO_DEFAULT:
        return "-"
    if value is Marker.NOT_LITERAL:
        definition = parameter.definition
        return _one_line(definition.default or "") if definition is not None else "-"
    return value if isinstance(value, str) else stable_repr(value)


def _at(occurrence: Occurrence) -> str:
    return f"{occurrence.path}:{occurrence.span.line}"


def errors(registry: Registry) -> list[Finding]:
    """Problems of the files and conflicts between occurrences as the findings of their
    rules (:func:`hpman_cst.lint.catalog.registry_findings`), in source order."""
    return registry_findings(registry)


def error_lines(registry: Registry) -> list[str]:
    """One ``path:line:column: CODE message`` line per error (columns shown 1-based)."""
    return [str(e) for e in errors(registry)]


def rebound_lines(registry: Registry) -> list[str]:
    """One ``path:line:column: message`` line per file and placeholder whose calls were
    left out because the placeholder is bound to something else there (not an error)."""
    return [str(r) for r in registry.rebound]


def _conflict_note(parameter: HyperParameter) -> str:
    kinds = sorted({c.kind.value.replace("-", " ") for c in parameter.conflicts})
    return ", ".join(kinds)


def render_table(registry: Registry) -> str:
    """One row per hyper-parameter, sorted by name: name, type, value, the places that
    give a default, the places that only read it (``path:line``, one per line), and, when
    any name has one, a ``conflict`` column."""
    if not registry.parameters:
        return ""
    with_conflicts = any(p.conflicts for p in registry.parameters)
    headers = ["name", "type", "value", "defined at", "used at"]
    if with_conflicts:
        headers.append("conflict")
    rows = []
    for p in registry.parameters:
        row = [
            p.name,
            p.type_name,
            value_text(p),
            "\n".join(_at(o) for o in p.definitions) or "-",
            "\n".join(_at(o) for o in p.uses) or "-",
        ]
        if with_conflicts:
            row.append(_conflict_note(p))
        rows.append(row)
    fast = simple_table(rows, headers)
    if fast is not None:
        return fast + "\n"
    from tabulate import tabulate

    return tabulate(rows, headers, tablefmt="simple", disable_numparse=True) + "\n"


def _details(parameter: HyperParameter, sources: Mapping[str, Sequence[str]]) -> str:
    out: list[str] = []
    for number, occurrence in enumerate(parameter.occurrences):
        lines = sources.get(occurrence.path, ())
        out += occurrence_lines(number, _at(occurrence), lines, occurrence.span.line)
    for conflict in parameter.conflicts:
        out.append(f"conflict: {conflict}")
    return "\n".join(out)


def render_detail(registry: Registry, sources: Mapping[str, Sequence[str]]) -> str:
    """The seed README's listing (:func:`~hpman_cst.detail_table.detail_listing`): the
    names, then a grid with name, type, value and every occurrence as ``path:line`` with
    ``CONTEXT`` lines around it (the line itself marked ``==>``) and the name's conflicts.
    ``sources`` maps each path to its lines (without line ends)."""
    if not registry.parameters:
        return ""
    return detail_listing(
        [(p.name, p.type_name, value_text(p), _details(p, sources)) for p in registry.parameters]
    )


def _json_hints(occurrence: Occurrence) -> dict[str, object]:
    return {("**" if k is None else k): encode(v, "json") for k, v in occurrence.hints}


def _json_head(parameter: HyperParameter) -> dict[str, object]:
    value: Value = parameter.value
    return {
        "name": parameter.name,
        "type": parameter.type_name,
        "value": None if isinstance(value, Marker) else encode(value, "json"),
    }


def _json_occurrence(o: Occurrence) -> dict[str, object]:
    return {
        **json_place(o.path),
        "line": o.span.line,
        "column": o.span.column,
        "end_line": o.span.end_line,
        "end_column": o.span.end_column,
        "default": o.default,
        "hints": _json_hints(o),
    }


def _json_error(error: Finding) -> dict[str, object]:
    return {
        **json_place(error.path),
        "line": error.line,
        "column": error.column,
        "code": error.code,
        "message": error.message,
    }


def _json_rebound(rebound: Rebound) -> dict[str, object]:
    return {
        **json_place(rebound.path),
        "line": rebound.line,
        "column": rebound.column,
        "placeholder": rebound.placeholder,
        "message": rebound.message,
    }


def render_json(registry: Registry) -> str:
    """One JSON document: ``{"hyperparameters": [...], "errors": [...]}`` (schema in the
    README); lines 1-based, columns 0-based, ends exclusive, as in the records.

    Laid out one occurrence and one error per line: readable, diff-friendly, and written
    by the C encoder (``indent=`` would use the slow pure-Python one)."""
    dump = json.JSONEncoder(ensure_ascii=False).encode
    parts = ['{"hyperparameters": [']
    for number, parameter in enumerate(registry.parameters):
        head = dump(_json_head(parameter))[:-1]  # without its "}": occurrences follow
        parts.append(("" if number == 0 else ",") + "\n  " + head + ', "occurrences": [')
        parts.append(",".join("\n    " + dump(_json_occurrence(o)) for o in parameter.occurrences))
        parts.append("]}")
    parts.append('\n],\n"errors": [')
    parts.append(",".join("\n  " + dump(_json_error(e)) for e in errors(registry)))
    if registry.rebound:  # (only then: the key is new)
        parts.append('\n],\n"left_out": [')
        parts.append(",".join("\n  " + dump(_json_rebound(r)) for r in registry.rebound))
    parts.append("\n]}\n")
    return "".join(parts)


def render_yaml(registry: Registry) -> str:
    """The values file of the names with a literal default (``name: value``, flat dotted
    names, sorted), as ``--hp-save`` writes it and ``--hp-load`` reads it; the names left
    out are listed in comments at the end (:func:`~hpman_cst.serial.values_text`)."""
    values = {p.name: p.value for p in registry.parameters if not isinstance(p.value, Marker)}
    notes = []
    for p in registry.parameters:
        if p.value is Marker.NOT_LITERAL and p.definition is not None:
            notes.append((p.name, not_literal_note(p.definition.default or "", _at(p.definition))))
        elif p.value is Marker.NO_DEFAULT:
            notes.append((p.name, no_default_note(_at(p.occurrences[0]))))
    return values_text(values, "yaml", notes)


def render(registry: Registry, format: str, sources: Mapping[str, Sequence[str]]) -> str:
    """``registry`` in one of :data:`FORMATS` (``sources`` is used by ``detail`` only)."""
    if format == "table":
        return render_table(registry)
    if format == "detail":
        return render_detail(registry, sources)
    if format == "json":
        return render_json(registry)
    if format == "yaml":
        return render_yaml(registry)
    raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------
# Rewritten files as a unified diff


class Rewritten(Protocol):
    """A rewritten file: its path and its old and new decoded text (and, where known,
    ``edits``: the changed ranges, :data:`~hpman_cst.line_diff.EditRange`, in order)."""

    @property
    def path(self) -> str: ...

    @property
    def old_text(self) -> str: ...

    @property
    def new_text(self) -> str: ...


# Lines as diff, patch and git count them: ended by \n only (a lone CR is part of a line).
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


def display_path(path: str, start: str | None = None) -> str:
    """``path`` relative to ``start`` (the current folder by default), with ``/``."""
    try:
        shown = os.path.relpath(path, start or os.getcwd())
    except ValueError:  # another drive on Windows
        shown = path
    return shown.replace(os.sep, "/")


def _diff_lines(text: str) -> list[str]:
    # Each line keeps its own ending (a CRLF file's diff keeps CRLF), so the diff applies
    # with patch and git apply (a file of lone CRs is one line to them); a missing final
    # newline is marked as `diff` does.
    lines: list[str] = _LINES.findall(text)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def visible_carriage_returns(diff: str) -> str:
    """``diff`` for a terminal: each carriage return shown as ``^M``, as git's pager shows
    it (a lone CR would move the cursor back and the rest of the line would overwrite the
    start). Only for display: the diff no longer applies as it did."""
    return diff.replace("\r", "^M")


def unified_diff(files: Iterable[Rewritten], start: str | None = None) -> str:
    """One unified diff (``--- a/path`` / ``+++ b/path``, paths relative to ``start``)
    of every rewritten file, in the order given."""
    out: list[str] = []
    for file in files:
        shown = display_path(file.path, start)
        edits: Sequence[EditRange] = getattr(file, "edits", ())
        out.extend(
            unified_lines(
                _diff_lines(file.old_text),
                _diff_lines(file.new_text),
                edits,
                fromfile=f"a/{shown}",
                tofile=f"b/{shown}",
            )
        )
    return "".join(out)
