"""Default and hint expressions to Python values: a literal is exactly what
:func:`ast.literal_eval` accepts.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from typing import cast

from .records import Marker, Occurrence
from .source import ast_parse

__all__ = [
    "Unhashable",
    "evaluate",
    "evaluate_text",
    "is_literal_text",
    "parse_expression",
    "same_default",
    "same_value",
]


class Unhashable:
    """Result of evaluating a set or dict literal with an unhashable member."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def evaluate(node: ast.AST) -> object | Marker | Unhashable:
    """The value of ``node`` if it is a literal; ``Marker.NOT_LITERAL`` if it is not;
    an :class:`Unhashable` for ``{1, [2]}``-like literals (hpman let that ``TypeError``
    escape)."""
    try:
        value: object = ast.literal_eval(node)
        return value
    except ValueError:
        return Marker.NOT_LITERAL
    except TypeError as exc:
        return Unhashable(str(exc))
    except (RecursionError, MemoryError):
        # Nesting deeper than the interpreter's recursion limit.
        return Marker.NOT_LITERAL


def parse_expression(text: str) -> ast.expr:
    """The expression ``text`` read inside parentheses, as it stands inside a call (so a
    default split over lines parses); positions are relative to ``"(\\n" + text + "\\n)"``.
    Raises :class:`SyntaxError`, :class:`ValueError` (null bytes), :class:`RecursionError`
    or :class:`MemoryError` (deep nesting)."""
    return ast_parse(f"(\n{text}\n)", mode="eval").body


def evaluate_text(text: str) -> object | Marker | Unhashable:
    """:func:`evaluate` for an expression given as source text (:func:`parse_expression`)."""
    try:
        node = parse_expression(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Marker.NOT_LITERAL
    return evaluate(node)


def is_literal_text(text: str) -> bool:
    """Whether ``text`` is a single Python literal expression."""
    result = evaluate_text(text)
    return not isinstance(result, (Marker, Unhashable))


def same_value(a: object, b: object) -> bool:
    """Whether two values are the same literal: the one "same value" rule of the package
    (conflicting defaults, ``choices=``, a saved file read back, ``set-default``).

    Equal, and of the same type all the way down: ``1``, ``1.0`` and ``True`` differ, and
    so do ``[1]`` and ``[1.0]``, ``(1,)`` and ``[1]``, ``{1: 0}`` and ``{True: 0}``; the
    order of a dict or set does not count. Floats are compared as written, so ``0.0`` and
    ``-0.0`` differ while NaN is NaN (a file that writes a value must give it back)."""
    return _canonical(a) == _canonical(b)


def _canonical(value: object) -> object:
    # A value with its type at every level, floats by repr, dicts and sets in one order.
    kind = type(value)
    if kind is float or kind is complex:
        return (kind.__name__, repr(value))
    if kind is list or kind is tuple:
        return (kind.__name__, tuple(_canonical(v) for v in cast(Collection[object], value)))
    if kind is set or kind is frozenset:
        items = (_canonical(v) for v in cast(Collection[object], value))
        return (kind.__name__, tuple(sorted(items, key=repr)))
    if kind is dict:
        pairs = (
            (_canonical(k), _canonical(v)) for k, v in cast(dict[object, object], value).items()
        )
        return ("dict", tuple(sorted(pairs, key=repr)))
    return (kind.__name__, value)


def same_default(a: Occurrence, b: Occurrence) -> bool:
    """Whether two definitions give the same default: equal literals of the same type
    (:func:`same_value`), or the very same non-literal source text (``nn.ReLU`` twice)."""
    if a.is_literal and b.is_literal:
        return same_value(a.value, b.value)
    if a.value is Marker.NOT_LITERAL and b.value is Marker.NOT_LITERAL:
        return a.default == b.default
    return False
