"""Group the occurrences of many files by hyper-parameter name: the effective default,
its type, every place the name is used, and conflicts as data.

The rules are the runtime's, decided and worded by :mod:`hpman_cst.conflicts`: one
default per name (the same default again is fine), reported at each default that differs
from the first; a name with a default is not also a group of dotted names, reported where
the runtime would meet the two. The effective default is the first one in hpman's order:
files in the order scanned (sorted paths), and within a file in ``ast.walk`` order.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from .conflicts import (
    different_defaults,
    different_defaults_message,
    is_below,
    leaf_and_tree_message,
)
from .records import FileIndex, Marker, Occurrence, Problem, Rebound, Value

__all__ = [
    "Conflict",
    "ConflictKind",
    "HyperParameter",
    "Registry",
    "build_registry",
    "type_name",
]


class ConflictKind(str, enum.Enum):
    """What a :class:`Conflict` is (stable strings)."""

    DIFFERENT_DEFAULTS = "different-defaults"
    LEAF_AND_BRANCH = "leaf-and-branch"


@dataclass(frozen=True)
class Conflict:
    """A rule broken by the occurrences of one name, reported at ``occurrence``;
    ``others`` are the other places involved."""

    kind: ConflictKind
    name: str
    message: str
    occurrence: Occurrence
    others: tuple[Occurrence, ...] = ()

    @property
    def path(self) -> str:
        """The file the conflict is reported in."""
        return self.occurrence.path

    @property
    def line(self) -> int:
        """The line it is reported at (1-based)."""
        return self.occurrence.span.line

    @property
    def column(self) -> int:
        """The column it is reported at (0-based)."""
        return self.occurrence.span.column

    def __str__(self) -> str:
        return f"{self.occurrence.location}: {self.message}"

    def sort_key(self) -> tuple[str, int, int]:
        """Source order: ``(path, line, column)``."""
        return self.occurrence.sort_key()


def type_name(value: Value) -> str:
    """The type shown for a value: the Python type's name, ``unknown`` for a default that
    is not a literal, ``missing`` when there is no default."""
    if value is Marker.NOT_LITERAL:
        return "unknown"
    if value is Marker.NO_DEFAULT:
        return "missing"
    return type(value).__name__


@dataclass(frozen=True)
class HyperParameter:
    """Every occurrence of one name, in source order, and what they amount to."""

    name: str
    occurrences: tuple[Occurrence, ...]
    definition: Occurrence | None = None  #: the occurrence giving the effective default
    conflicts: tuple[Conflict, ...] = ()

    @property
    def value(self) -> Value:
        """The effective default's value, or a :class:`Marker`."""
        return self.definition.value if self.definition is not None else Marker.NO_DEFAULT

    @property
    def type_name(self) -> str:
        """See :func:`type_name`."""
        return type_name(self.value)

    @property
    def definitions(self) -> tuple[Occurrence, ...]:
        """The occurrences that give a default, in source order."""
        return tuple(o for o in self.occurrences if o.has_default)

    @property
    def uses(self) -> tuple[Occurrence, ...]:
        """The occurrences without a default, in source order."""
        return tuple(o for o in self.occurrences if not o.has_default)


@dataclass(frozen=True)
class Registry:
    """All hyper-parameters (sorted by name), the problems of the files read, and the
    files whose calls of a placeholder were left out because it is bound to something
    else there (the gettext rule), in source order."""

    parameters: tuple[HyperParameter, ...] = ()
    problems: tuple[Problem, ...] = ()
    rebound: tuple[Rebound, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name, sorted."""
        return tuple(p.name for p in self.parameters)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Every conflict, in source order."""
        found = [c for p in self.parameters for c in p.conflicts]
        return tuple(sorted(found, key=Conflict.sort_key))

    def get(self, name: str) -> HyperParameter | None:
        """The hyper-parameter ``name``, if any."""
        names = self.names
        index = bisect.bisect_left(names, name)
        if index < len(names) and names[index] == name:
            return self.parameters[index]
        return None

    def select(self, names: Iterable[str]) -> Registry:
        """Only the hyper-parameters named, or below a named group (``optim`` selects
        ``optim.lr``); problems and rebound placeholders are kept."""
        wanted = tuple(set(names))
        kept = tuple(
            p
            for p in self.parameters
            if p.name in wanted or any(p.name.startswith(w + ".") for w in wanted)
        )
        return Registry(kept, self.problems, self.rebound)


def build_registry(indexes: Iterable[FileIndex]) -> Registry:
    """Group the occurrences of ``indexes`` (in scan order) by name."""
    grouped: dict[str, list[_Ranked]] = {}
    problems: list[Problem] = []
    rebound: list[Rebound] = []
    rank = 0
    for index in indexes:
        problems.extend(index.problems)
        rebound.extend(index.rebound)
        for occurrence in index.occurrences:
            grouped.setdefault(occurrence.name, []).append((rank, occurrence))
            rank += 1
    names = sorted(grouped)
    parameters = []
    for name in names:
        found = [o for _, o in grouped[name]]  # hpman's order: scan order, then ast.walk order
        defaults = [o for o in found if o.has_default]
        definition = defaults[0] if defaults else None
        conflicts = [
            Conflict(
                ConflictKind.DIFFERENT_DEFAULTS,
                name,
                different_defaults_message(first, other),
                other,
                (first,),
            )
            for first, other in different_defaults(defaults)
        ]
        if definition is not None:
            conflicts += _leaf_and_branch(name, grouped, names)
        parameters.append(
            HyperParameter(
                name,
                tuple(sorted(found, key=Occurrence.sort_key)),
                definition,
                tuple(sorted(conflicts, key=Conflict.sort_key)),
            )
        )
    return Registry(
        tuple(parameters),
        tuple(sorted(problems, key=Problem.sort_key)),
        tuple(sorted(rebound, key=Rebound.sort_key)),
    )


#: An occurrence and its place in hpman's order (files as scanned, then ``ast.walk``).
_Ranked = tuple[int, Occurrence]


def _leaf_and_branch(
    name: str, grouped: dict[str, list[_Ranked]], names: list[str]
) -> list[Conflict]:
    # Reported where the runtime, reading in hpman's order, first meets both the default
    # and a name below it (conflicts.py says where and how).
    start = bisect.bisect_left(names, name + ".")
    below: list[_Ranked] = []
    for other in names[start:]:
        if not is_below(other, name):
            break
        below.extend(grouped[other])
    if not below:
        return []
    leaf_rank, leaf = next(r for r in grouped[name] if r[1].has_default)
    child_rank, child = min(below, key=lambda r: r[0])
    children = tuple(sorted((o for _, o in below), key=Occurrence.sort_key))
    if leaf_rank < child_rank:
        message = leaf_and_tree_message(
            name, child.name, at_leaf=False, value=f"default at {leaf.location}"
        )
        others = (leaf, *(o for o in children if o is not child))
        return [Conflict(ConflictKind.LEAF_AND_BRANCH, name, message, child, others)]
    message = leaf_and_tree_message(name, child.name, at_leaf=True, where=child.location)
    return [Conflict(ConflictKind.LEAF_AND_BRANCH, name, message, leaf, children)]
