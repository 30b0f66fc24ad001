"""One hyper-parameter as the exports see it: its default and the option spec the
front-ends build from its hints (:class:`hpman_cst.hints.ValueSpec`: typed and checked as
``--lr`` would be, with the ``scale=`` hint of a search space).

A hint an export cannot carry is data, an :class:`Unmapped` record with the rule's code
(:data:`UNMAPPED_CODE`); the caller reports it and leaves the name out of that export.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..convert import has_value
from ..exceptions import InvalidHint
from ..hints import ValueSpec, first_hints, spec_from_occurrences
from ..records import Marker, Occurrence
from ..registry import Registry

__all__ = [
    "UNMAPPED_CODE",
    "Entry",
    "Unmapped",
    "entries",
    "entry",
    "registry_entries",
]

#: The rule (:mod:`hpman_cst.lint.rules.exports`): a hint an export cannot carry.
UNMAPPED_CODE = "X001"


@dataclass(frozen=True)
class Unmapped:
    """A hint of ``name`` that an export cannot carry, at ``path:line:column`` (line
    1-based, column 0-based, as :class:`~hpman_cst.records.Problem`)."""

    name: str
    path: str
    line: int
    column: int
    message: str
    code: str = UNMAPPED_CODE

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column + 1}: {self.code} {self.message}"


@dataclass(frozen=True)
class Entry:
    """Hyper-parameter ``name``: ``spec`` holds its default (or ``None`` when it has no
    literal one: ``spec.default`` is then ``None`` and its kind ``"none"``), ``has_default``
    says which (``spec.scale`` is the ``scale=`` hint); ``path``, ``line`` (1-based) and
    ``column`` (0-based) are where its default (or first use) is."""

    name: str
    spec: ValueSpec
    has_default: bool
    path: str
    line: int
    column: int

    def unmapped(self, message: str) -> Unmapped:
        """An :class:`Unmapped` record for this name, at its definition."""
        return Unmapped(self.name, self.path, self.line, self.column, message)


def entry(name: str, value: object, occurrences: Sequence[Occurrence]) -> Entry | Unmapped:
    """The :class:`Entry` of ``name`` whose current value is ``value`` (a default, a
    ``Marker``...), its hints read from ``occurrences`` (:func:`hints.first_hints`); an
    :class:`Unmapped` when a hint cannot be honoured (:func:`hints.spec_from_occurrences`)
    or ``scale`` is neither ``"linear"`` nor ``"log"``."""
    if not occurrences:
        raise ValueError(f"no occurrence of {name!r}")
    literal = has_value(value)
    try:
        spec = spec_from_occurrences(name, value if literal else None, occurrences)
    except InvalidHint as exc:  # located at the call giving the hint
        at = next(
            (o for o in occurrences if (o.span.line, o.span.column) == (exc.line, exc.column)),
            occurrences[0],
        )
        return Unmapped(name, at.path, at.span.line, at.span.column, exc.message)
    given = first_hints(occurrences)
    if "scale" in given and spec.scale is None:
        at = given["scale"][1]
        message = f"hint `scale` of `{name}` must be 'linear' or 'log'"
        return Unmapped(name, at.path, at.span.line, at.span.column, message)
    defined = [o for o in occurrences if o.has_default] or list(occurrences)
    first = min(defined, key=Occurrence.sort_key)
    return Entry(name, spec, literal, first.path, first.span.line, first.span.column)


def entries(
    values: Mapping[str, object], occurrences: Iterable[Occurrence]
) -> tuple[list[Entry], list[Unmapped]]:
    """One :func:`entry` per name that ``occurrences`` read, in name order, with the
    value ``values`` gives it (a name without one has no default)."""
    grouped: dict[str, list[Occurrence]] = {}
    for occurrence in occurrences:
        grouped.setdefault(occurrence.name, []).append(occurrence)
    return _split(
        entry(name, values.get(name, Marker.NO_DEFAULT), grouped[name]) for name in sorted(grouped)
    )


def registry_entries(registry: Registry) -> tuple[list[Entry], list[Unmapped]]:
    """One :func:`entry` per hyper-parameter of ``registry`` (the CLI's side)."""
    return _split(entry(p.name, p.value, p.occurrences) for p in registry.parameters)


def _split(found: Iterable[Entry | Unmapped]) -> tuple[list[Entry], list[Unmapped]]:
    kept: list[Entry] = []
    unmapped: list[Unmapped] = []
    for item in found:
        if isinstance(item, Entry):
            kept.append(item)
        else:
            unmapped.append(item)
    return kept, unmapped
