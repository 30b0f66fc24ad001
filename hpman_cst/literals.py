"""Default and hint expressions to Python values: a literal is exactly what
:func:`ast.literal_eval` accepts.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import ast

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
    """Whether two literal values are the same default: equal, and of the same type all
    the way down, so ``1``, ``1.0`` and ``True`` (or ``[1]`` and ``[1.0]``) differ, while
    ``{"a": 1, "b": 2}`` and ``{"b": 2, "a": 1}`` do not."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k: k for k in b}
        return len(a) == len(b) and all(
            k in keys and same_value(k, keys[k]) and same_value(v, b[k]) for k, v in a.items()
        )
    if isinstance(a, (set, frozenset)) and isinstance(b, (set, frozenset)):
        members = {m: m for m in b}
        return len(a) == len(b) and all(m in members and same_value(m, members[m]) for m in a)
    return a == b


def same_default(a: Occurrence, b: Occurrence) -> bool:
    """Whether two definitions give the same default: equal literals of the same type
    (:func:`same_value`), or the very same non-literal source text (``nn.ReLU`` twice)."""
    if a.is_literal and b.is_literal:
        return same_value(a.value, b.value)
    if a.value is Marker.NOT_LITERAL and b.value is Marker.NOT_LITERAL:
        return a.default == b.default
    return False
