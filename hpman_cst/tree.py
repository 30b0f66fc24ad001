"""The manager's data model, shaped like hpman 0.13's ``hpm_db`` because hpargparse-like
code reads it: occurrences (:class:`HyperParameterOccurrence`) gathered per name in a
:class:`HyperParamNode`, nodes placed in a :class:`HyperParamTree` by dotted name.

Read it freely; change it only through the manager (``set_value``, ``_(name, value)``,
``parse_file``...), which validates every change first and keeps its lookup caches in
step. ``tree[key] = value`` on a manager's tree is ``manager.set_value``.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

from types import MappingProxyType

from .exceptions import EmptyValue, ImpossibleTree, InvalidArgument

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    import ast
    from collections.abc import Callable, Iterator, Mapping

    from .priority import HyperParameterPriority, P
    from .records import Occurrence

__all__ = [
    "CALLABLE",
    "EMPTY",
    "PARSED",
    "SETTER",
    "HyperParamNode",
    "HyperParamTree",
    "HyperParameterOccurrence",
    "HyperParameterPriority",
    "P",
]

#: The one "no value" instance the manager stores and returns.
EMPTY = EmptyValue()

_NO_HINTS: Mapping[str | None, object] = MappingProxyType({})


# The priorities as plain ints (the values of HyperParameterPriority's members): the
# manager compares these, so that importing it loads no enum (see priority.py).
PARSED = 1
CALLABLE = 2
SETTER = 3


def __getattr__(name: str) -> object:
    # HyperParameterPriority and P live in priority.py, loaded on first use (PEP 562).
    if name in ("HyperParameterPriority", "P"):
        from . import priority

        return getattr(priority, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _priority(rank: int) -> HyperParameterPriority:
    from .priority import HyperParameterPriority

    return HyperParameterPriority(rank)


class HyperParameterOccurrence:
    """One value source of a hyper-parameter: a parsed call site, the latest run-time
    call ``_(name, value)``, or the latest setter.

    Parsed occurrences carry ``filename``, ``lineno`` (1-based), ``column`` (0-based),
    ``hints`` and ``record`` (the index's :class:`~hpman_cst.records.Occurrence`);
    run-time ones have ``None`` there, except ``hints``, which is always a mapping
    (hpman used ``None``, which crashed hpargparse). ``priority`` is a
    :class:`HyperParameterPriority`; ``rank`` is the same as a plain int.
    """

    __slots__ = ("column", "filename", "hints", "lineno", "name", "rank", "record", "value")

    def __init__(
        self,
        name: str,
        value: object,
        priority: HyperParameterPriority | int,
        *,
        record: Occurrence | None = None,
        hints: Mapping[str | None, object] = _NO_HINTS,
    ) -> None:
        self.name = name
        self.value = value
        self.rank = int(priority)
        self.record = record
        self.hints = hints
        self.filename = record.path if record is not None else None
        self.lineno = record.span.line if record is not None else None
        self.column = record.span.column if record is not None else None

    @property
    def priority(self) -> HyperParameterPriority:
        """Where the value came from (``rank`` as a :class:`HyperParameterPriority`)."""
        return _priority(self.rank)

    @priority.setter
    def priority(self, priority: HyperParameterPriority | int) -> None:
        self.rank = int(priority)

    @property
    def has_default_value(self) -> bool:
        """Whether this occurrence holds a value (a parsed call may have no default)."""
        return not isinstance(self.value, EmptyValue)

    @property
    def value_priority(self) -> int:
        """hpman's sort key: ``priority * 10``, minus one for an occurrence without value."""
        return self.rank * 10 - (not self.has_default_value)

    @property
    def ast_node(self) -> ast.expr | None:
        """The default expression re-parsed from its source text (``None`` without a
        default or for run-time occurrences). Positions are relative to that text."""
        if self.record is None or self.record.default is None:
            return None
        from .literals import parse_expression  # only here: it imports ast

        return parse_expression(self.record.default)

    def __repr__(self) -> str:
        where = f" at {self.filename}:{self.lineno}:{(self.column or 0) + 1}" if self.record else ""
        return (
            f"<HyperParameterOccurrence {self.name!r}={self.value!r} {self.priority.name}{where}>"
        )


class HyperParamNode:
    """Every occurrence of one name. ``db`` lists them best first (setter, run-time call,
    parsed defaults, parsed calls without default; parse order within each)."""

    __slots__ = ("_callable", "_parsed", "_setter", "name")

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._parsed: list[HyperParameterOccurrence] = []
        self._callable: HyperParameterOccurrence | None = None
        self._setter: HyperParameterOccurrence | None = None

    @property
    def db(self) -> tuple[HyperParameterOccurrence, ...]:
        """All occurrences, highest ``value_priority`` first (stable)."""
        runtime = [o for o in (self._setter, self._callable) if o is not None]
        parsed = sorted(self._parsed, key=lambda o: -o.value_priority)
        return (*runtime, *parsed)

    @property
    def parsed(self) -> tuple[HyperParameterOccurrence, ...]:
        """The parsed occurrences, in parse order."""
        return tuple(self._parsed)

    @property
    def default(self) -> HyperParameterOccurrence | None:
        """The first parsed occurrence that has a default."""
        return next((o for o in self._parsed if o.has_default_value), None)

    def get(self) -> HyperParameterOccurrence | None:
        """The occurrence whose value counts (``None`` for an empty node)."""
        top = self._setter or self._callable or self.default
        if top is None and self._parsed:
            return self._parsed[0]
        return top

    @property
    def value(self) -> object:
        """The value that counts, or an :class:`EmptyValue`."""
        top = self._setter or self._callable or self.default
        return EMPTY if top is None else top.value

    @property
    def empty(self) -> bool:
        """True when no occurrence holds a value."""
        return isinstance(self.value, EmptyValue)

    @property
    def top_priority(self) -> HyperParameterPriority | None:
        """The priority of the value that counts (``None`` when empty)."""
        top = self._setter or self._callable or self.default
        return None if top is None else top.priority

    @property
    def top_rank(self) -> int:
        """:attr:`top_priority` as a plain int, 0 when empty."""
        top = self._setter or self._callable or self.default
        return 0 if top is None else top.rank

    def __len__(self) -> int:
        return len(self._parsed) + (self._callable is not None) + (self._setter is not None)

    def __repr__(self) -> str:
        return f"<HyperParamNode {self.name!r}={self.value!r} ({len(self)} occurrences)>"

    def _push(self, occurrence: HyperParameterOccurrence) -> None:
        # One slot per run-time priority: a later value replaces the earlier one.
        if occurrence.rank == SETTER:
            self._setter = occurrence
        elif occurrence.rank == CALLABLE:
            self._callable = occurrence
        else:
            self._parsed.append(occurrence)


class HyperParamTree:
    """Names split on the separator, as a tree: ``children`` by name segment, ``node``
    (the occurrences of the name ending here, or ``None``).

    A position is a *leaf* without children and a *branch* with them. A name that has a
    value is never also a branch, except that a setter may turn a leaf with a parsed or
    run-time value into a branch (``set_value("c.d", 3)`` after ``_("c", {"d": 2})``, as
    in hpman): the branch then shadows the leaf's value.
    """

    DICT_ANNOTATION = "__is_dict__"
    """Marks a dict that is a value, not a tree level, in ``get_tree``/``set_tree``."""

    __slots__ = ("_setter", "children", "name", "node", "path", "sep")

    def __init__(
        self,
        separator: str = ".",
        name: str = "",
        *,
        path: tuple[str, ...] = (),
        setter: Callable[[str, object], object] | None = None,
    ) -> None:
        if not isinstance(separator, str) or not separator:
            raise InvalidArgument(f"the separator must be a non-empty string, not {separator!r}")
        self.sep = separator
        self.name = name
        self.path = path
        self.children: dict[str, HyperParamTree] = {}
        self.node: HyperParamNode | None = None
        self._setter = setter

    @property
    def full_name(self) -> str:
        """The dotted name of this position (``""`` for the root)."""
        return self.sep.join(self.path)

    @property
    def empty(self) -> bool:
        """True with neither children nor node."""
        return not self.children and self.node is None

    def is_leaf(self) -> bool:
        """True without children."""
        return not self.children

    def is_branch(self) -> bool:
        """True with children."""
        return bool(self.children)

    @property
    def has_value(self) -> bool:
        """Whether the node here holds a value (shadowed by children or not)."""
        return self.node is not None and not self.node.empty

    def find(self, parts: list[str]) -> HyperParamTree | None:
        """The position at ``parts`` below this one, or ``None``."""
        tree = self
        for part in parts:
            child = tree.children.get(part)
            if child is None:
                return None
            tree = child
        return tree

    def along(self, parts: list[str]) -> list[HyperParamTree]:
        """The positions on the way to ``parts`` below this one, one per part that exists
        (shorter than ``parts`` when the path leaves the tree)."""
        found: list[HyperParamTree] = []
        tree = self
        for part in parts:
            child = tree.children.get(part)
            if child is None:
                break
            found.append(child)
            tree = child
        return found

    def get(self, key: str) -> HyperParamTree | None:
        """The position named ``key`` relative to this one (``""`` is this one, as in
        hpman), or ``None``."""
        return self if not key else self.find(key.split(self.sep))

    def flatten(self) -> Iterator[HyperParamNode]:
        """The nodes of every leaf that has a value, depth first in insertion order."""
        stack = [self]
        while stack:
            tree = stack.pop()
            if tree.children:
                stack.extend(reversed(tree.children.values()))
            elif tree.node is not None and not tree.node.empty:
                yield tree.node

    def count(self) -> int:
        """The number of leaves that have a value."""
        return sum(1 for _ in self.flatten())

    def positions(self) -> Iterator[HyperParamTree]:
        """Every position below this one, depth first."""
        for child in self.children.values():
            yield child
            yield from child.positions()

    def tree_values(self, annotate_dict: bool = False) -> dict[str, object]:
        """This branch as a nested dict of the values below it. Names without a value are
        left out (hpman put ``EmptyValue`` objects there). With ``annotate_dict``, dict
        values get ``"__is_dict__": True`` (in a copy) so ``set_tree`` keeps them whole.

        Raises :class:`InvalidArgument` on a leaf that has a node.
        """
        if not self.children and self.node is not None:
            raise InvalidArgument(f"`{self.full_name}` is a leaf, not a tree")
        level: dict[str, object] = {}
        for key, child in self.children.items():
            if child.children:
                below = child.tree_values(annotate_dict)
                if below:
                    level[key] = below
            elif child.node is not None and not child.node.empty:
                value = child.node.value
                if annotate_dict and isinstance(value, dict):
                    value = {**value, self.DICT_ANNOTATION: True}
                level[key] = value
        return level

    def validate(self) -> bool:
        """Check recursively that no name is both a leaf with a value and a branch (other
        than a setter-made branch shadowing a lower-priority value); raise
        :class:`ImpossibleTree` otherwise. The manager keeps this true; this is for
        callers who build or edit trees by hand."""
        for tree in self.positions():
            node = tree.node
            if tree.children and node is not None and node.top_rank == SETTER:
                raise ImpossibleTree(f"`{tree.full_name}` is both a leaf and a tree")
        return True

    def __setitem__(self, key: str, value: object) -> None:
        """Set ``key`` (relative to this position) with setter priority."""
        name = self.sep.join((*self.path, key)) if self.path else key
        if self._setter is not None:
            self._setter(name, value)
            return
        tree = self._allocate(name.split(self.sep))
        if tree.children:
            raise ImpossibleTree(f"`{name}` is a tree, so it cannot take a value")
        if tree.node is None:
            tree.node = HyperParamNode(name)
        tree.node._push(HyperParameterOccurrence(name, value, SETTER))

    def _allocate(self, parts: list[str]) -> HyperParamTree:
        # The position at `parts`, creating missing levels in order (children keep their
        # first-seen order: that is get_values()'s order).
        tree = self
        for part in parts:
            child = tree.children.get(part)
            if child is None:
                child = HyperParamTree(self.sep, part, path=(*tree.path, part), setter=self._setter)
                tree.children[part] = child
            tree = child
        return tree

    def __repr__(self) -> str:
        return f"<HyperParamTree {self.full_name!r}: {len(self.children)} children>"
