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

A manager API reference is a name literal given to ``<placeholder>.<method>(...)``, where
:data:`API_METHODS` says which parameter of which method names hyper-parameters, and how
(the runtime's parameter names, by position or keyword): a name (``_.get_value("lr")``,
``_.exists(name="lr")``), a group prefix (``_.get_tree("optim")``, ``prefix=`` of
``set_tree``), the keys of a flat mapping (``_.set_values({"lr": 1})`` or
``dict(lr=1)``), or the keys of a nested tree at every level (``_.set_tree({"optim":
{"lr": 1}})``). :func:`bind_api_arguments` finds the argument of each parameter.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .records import ProblemCode, RefForm

__all__ = [
    "API_METHODS",
    "DICT_ANNOTATION",
    "ApiParam",
    "ApiRole",
    "Arg",
    "ArgKind",
    "CallShape",
    "RefForm",
    "ShapeProblem",
    "bind_api_arguments",
    "classify",
    "scoped",
]

N = TypeVar("N")


class ApiRole(enum.Enum):
    """What an API parameter holds."""

    NAME = "name"  # one hyper-parameter name
    PREFIX = "prefix"  # a group prefix ("" is the whole tree)
    MAPPING = "mapping"  # {name: value}, flat
    TREE = "tree"  # {key: value or {key: ...}}, nested


@dataclass(frozen=True)
class ApiParam:
    """One parameter of a manager method that names hyper-parameters."""

    position: int
    keyword: str
    role: ApiRole


def _params(*params: tuple[int, str, ApiRole]) -> tuple[ApiParam, ...]:
    return tuple(ApiParam(*p) for p in params)


_NAME = _params((0, "name", ApiRole.NAME))
#: The manager methods whose arguments name hyper-parameters (the runtime's signatures).
API_METHODS: dict[str, tuple[ApiParam, ...]] = {
    "get_value": _NAME,
    "set_value": _NAME,
    "exists": _NAME,
    "get_occurrence": _NAME,
    "get_occurrences": _NAME,
    "get_tree": _params((0, "prefix", ApiRole.PREFIX)),
    "set_values": _params((0, "values", ApiRole.MAPPING)),
    "set_tree": _params((0, "tree", ApiRole.TREE), (1, "prefix", ApiRole.PREFIX)),
}

#: A key of a ``set_tree`` dict that marks the dict as one value, not a subtree.
DICT_ANNOTATION = "__is_dict__"


def bind_api_arguments(method: str, args: Sequence[Arg[N]]) -> list[tuple[ApiParam, Arg[N] | None]]:
    """The argument given for each name-bearing parameter of ``method`` (``[]`` for other
    methods), as Python would bind it: by position, else by keyword. ``None`` when
    ``*args``/``**kwargs`` may hold it (the name is then not known); parameters not passed
    at all are left out."""
    bound: list[tuple[ApiParam, Arg[N] | None]] = []
    for param in API_METHODS.get(method, ()):
        found: Arg[N] | None = None
        unknown = False
        position = 0
        for arg in args:
            if arg.kind is ArgKind.STARRED:
                unknown = unknown or position <= param.position
            elif arg.kind is ArgKind.POSITIONAL:
                if position == param.position and not unknown:
                    found = arg
                position += 1
            elif arg.kind is ArgKind.KEYWORD and arg.keyword == param.keyword:
                found = arg
        if found is None and any(a.kind is ArgKind.DOUBLE_STARRED for a in args):
            unknown = True
        if found is not None:
            bound.append((param, found))
        elif unknown:
            bound.append((param, None))
    return bound


def scoped(scope: str, key: str) -> str:
    """The full name of ``key`` written below the group ``scope`` (``""``: the top)."""
    return f"{scope}.{key}" if scope else key


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
