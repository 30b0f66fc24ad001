"""The one-default rule and the leaf-or-tree rule: when call sites contradict each other,
where that is reported and what is said. The registry (``hpman list``, rules D001/D002),
the runtime's parse (:mod:`hpman_cst.staging`) and the planner all decide here, so that
one conflict reads the same, at the same place, wherever it is met.

The rules (hpman 0.13's, with hpman-cst's one decision on top):

* a name is given a default at most once; the same default again is fine (equal
  literals of the same type, ``1`` and ``1.0`` differ; or the very same non-literal
  source text, :func:`hpman_cst.literals.same_default`). A conflict is reported at each
  default that differs from the first, in hpman's order (files in the order read, then
  ``ast.walk`` order), naming the first;
* a name with a value cannot also be a group of dotted names (``model`` beside
  ``model.depth``); a default-less ``_("model")`` beside them is harmless. It is reported
  where, reading in hpman's order, the two first meet: at the first name below the
  group when the default comes first, else at the default.

Pure: no I/O. Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

from .literals import same_default

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from .records import Occurrence

__all__ = [
    "defaults_differ",
    "different_defaults",
    "different_defaults_message",
    "first_different_default",
    "is_below",
    "leaf_and_tree_message",
]


def defaults_differ(first: Occurrence, other: Occurrence) -> bool:
    """Whether ``other``, a second default of ``first``'s name, conflicts with it."""
    return not same_default(first, other)


def different_defaults(defaults: Iterable[Occurrence]) -> Iterator[tuple[Occurrence, Occurrence]]:
    """For the defaults of one name in hpman's order, each ``(first, other)`` where
    ``other``'s default differs from the first's (the conflict is reported at ``other``)."""
    first: Occurrence | None = None
    for occurrence in defaults:
        if first is None:
            first = occurrence
        elif defaults_differ(first, occurrence):
            yield first, occurrence


def first_different_default(
    defaults: Iterable[Occurrence],
) -> tuple[Occurrence, Occurrence] | None:
    """The first pair of :func:`different_defaults`, or ``None`` when the defaults agree."""
    return next(different_defaults(defaults), None)


def different_defaults_message(first: Occurrence, other: Occurrence) -> str:
    """What a conflict of defaults says at ``other`` (without the location)."""
    return (
        f"conflicting defaults for `{other.name}`: {other.default} here,"
        f" {first.default} at {first.location}"
    )


def is_below(name: str, group: str, separator: str = ".") -> bool:
    """Whether ``name`` is in the group ``group`` (``model.depth`` in ``model``)."""
    return name.startswith(group + separator)


def leaf_and_tree_message(
    leaf: str, below: str, *, at_leaf: bool, value: str | None = None, where: str | None = None
) -> str:
    """What a leaf-and-tree conflict says (without the location) about ``leaf`` (a name
    with a value) and ``below`` (the first name below it). ``at_leaf``: reported at the
    default of ``leaf``, the name below it being at ``where`` (when known); otherwise
    reported at ``below``, ``leaf`` having the value ``value`` (``"default at
    path:line:col"``, ``"set at run time"``)."""
    if at_leaf:
        other = f"`{below}` ({where})" if where else f"`{below}`"
        return f"`{leaf}` is both a leaf and a tree: it gets a default here and {other} is below it"
    return f"`{leaf}` is both a leaf and a tree: it has a value ({value}) and `{below}` is below it"
