"""The one matching rule: which calls are hyper-parameter call sites, and how their
arguments are read. Both parsers (the ``ast`` index and the libcst visitor) adapt their
nodes to :class:`Arg` and call :func:`classify`; neither decides anything on its own.

The rule is hpman 0.13's:

* a call site is a call whose callee is the bare placeholder name (``_``), wrapped in
  any number of parentheses, anywhere in the module (f-string fields included);
  ``obj._(...)``, ``hpman.m._(...)`` and aliases are not;
* it takes one or two positional arguments (a ``*starred`` one counts): the name, which
  must be a string literal (implicit concatenation allowed, f-strings and bytes not), and
  the default; keyword arguments are hints, whose values must be literals;
* a default or hint is a *literal* exactly when :func:`ast.literal_eval` accepts it.

A manager API reference is ``<placeholder>.<method>("name", ...)`` for the methods in
:data:`API_NAME_METHODS`, or a string key of a dict literal passed to
``<placeholder>.set_values({...})``.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .records import ProblemCode

__all__ = [
    "API_MAPPING_METHODS",
    "API_NAME_METHODS",
    "Arg",
    "ArgKind",
    "CallShape",
    "ShapeProblem",
    "classify",
]

#: Manager methods whose first positional argument is a hyper-parameter name.
API_NAME_METHODS = frozenset({"get_value", "set_value", "exists", "get_occurrence"})
#: Manager methods whose first positional argument maps names to values.
API_MAPPING_METHODS = frozenset({"set_values"})

N = TypeVar("N")


class ArgKind(enum.Enum):
    """The syntactic kind of one call argument."""

    POSITIONAL = "positional"
    STARRED = "starred"  # *args
    KEYWORD = "keyword"  # key=value
    DOUBLE_STARRED = "double-starred"  # **mapping


@dataclass(frozen=True)
class Arg(Generic[N]):
    """One argument of a call, as either parser sees it."""

    kind: ArgKind
    node: N
    keyword: str | None = None


@dataclass(frozen=True)
class CallShape(Generic[N]):
    """A well-formed call site: its name, its default node (if any) and its hints."""

    name: str
    name_node: N
    default: N | None
    hints: tuple[Arg[N], ...]


@dataclass(frozen=True)
class ShapeProblem:
    """A call site the rule rejects."""

    code: ProblemCode
    message: str


def classify(
    args: Sequence[Arg[N]],
    string_value: Callable[[N], str | None],
    placeholder: str = "_",
) -> CallShape[N] | ShapeProblem:
    """Read the arguments of a placeholder call.

    ``string_value(node)`` returns the value of a (possibly implicitly concatenated)
    ``str`` literal, or ``None`` for anything else; it is the only parser-specific part.
    Returns the call's shape, or the problem that makes it invalid.
    """
    positional = [a for a in args if a.kind in (ArgKind.POSITIONAL, ArgKind.STARRED)]
    if not 1 <= len(positional) <= 2:
        return ShapeProblem(
            ProblemCode.ARGUMENT_COUNT,
            f"`{placeholder}()` takes 1 or 2 positional arguments (name, default),"
            f" got {len(positional)}",
        )
    first = positional[0]
    name = string_value(first.node) if first.kind is ArgKind.POSITIONAL else None
    if name is None:
        return ShapeProblem(
            ProblemCode.NOT_LITERAL_NAME,
            "hyper-parameter name must be a string literal",
        )
    default = positional[1].node if len(positional) == 2 else None
    hints = tuple(a for a in args if a.kind in (ArgKind.KEYWORD, ArgKind.DOUBLE_STARRED))
    return CallShape(name=name, name_node=first.node, default=default, hints=hints)


def hint_problem(arg: Arg[N]) -> ShapeProblem:
    """The problem for a hint argument whose value is not a literal."""
    what = f"hint `{arg.keyword}`" if arg.keyword is not None else "`**` hints"
    return ShapeProblem(ProblemCode.NOT_LITERAL_HINT, f"value of {what} is not a literal")
