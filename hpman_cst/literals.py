"""Default and hint expressions to Python values: a literal is exactly what
:func:`ast.literal_eval` accepts.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import ast

from .records import Marker

__all__ = ["Unhashable", "evaluate", "evaluate_text", "is_literal_text"]


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


def evaluate_text(text: str) -> object | Marker | Unhashable:
    """:func:`evaluate` for an expression given as source text."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Marker.NOT_LITERAL
    return evaluate(tree.body)


def is_literal_text(text: str) -> bool:
    """Whether ``text`` is a single Python literal expression."""
    result = evaluate_text(text)
    return not isinstance(result, (Marker, Unhashable))
