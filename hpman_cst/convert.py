"""Option values: what type a hyper-parameter takes (from its default), and how a
command-line string or a value read from a file becomes that type. The hints
(``choices=``, ``range=``...) are :mod:`hpman_cst.hints`', which reads values through
here, so a value is accepted or refused the same way wherever it comes from.

Stdlib only: ``hpargparse`` imports this module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Literal, Protocol, Union, cast

from .exceptions import EmptyValue, InvalidValue, NotLiteralEvaluable
from .records import Marker
from .source import ast_parse

__all__ = [
    "Kind",
    "Target",
    "display",
    "has_value",
    "kind_of",
    "read_text",
    "to_kind",
    "type_error",
    "type_name",
]

Kind = Literal[
    "bool",
    "int",
    "float",
    "complex",
    "str",
    "bytes",
    "none",
    "list",
    "tuple",
    "dict",
    "set",
    "frozenset",
    "any",
]
Number = Union[int, float]

_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
# Checked in this order: bool before int (bool is an int subclass).
_SCALARS: tuple[tuple[type, Kind], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (complex, "complex"),
    (str, "str"),
    (bytes, "bytes"),
    (list, "list"),
    (tuple, "tuple"),
    (dict, "dict"),
    (set, "set"),
    (frozenset, "frozenset"),
)
_CONTAINERS: dict[Kind, type] = {
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "set": set,
    "frozenset": frozenset,
}
# Which container values each container kind accepts (then converts).
_ACCEPTS: dict[Kind, tuple[type, ...]] = {
    "list": (list, tuple),
    "tuple": (tuple, list),
    "dict": (dict,),
    "set": (set, frozenset, list, tuple),
    "frozenset": (set, frozenset, list, tuple),
}
_EXAMPLES: dict[Kind, str] = {
    "list": "[1, 2]",
    "tuple": "(1, 2)",
    "dict": "{'a': 1}",
    "set": "{1, 2}",
    "frozenset": "{1, 2}",
    "bytes": "b'abc'",
}


def has_value(value: object) -> bool:
    """False for the stand-ins of "no usable value": a default that is not a literal and has
    not been computed yet, or no default at all."""
    return not isinstance(value, (Marker, NotLiteralEvaluable, EmptyValue))


def kind_of(value: object) -> Kind:
    """The kind of values a hyper-parameter with current value ``value`` accepts: its exact
    builtin type, ``"none"`` for ``None``, ``"any"`` for everything else (a default that
    is not a literal, an object set at run time)."""
    if value is None:
        return "none"
    for cls, kind in _SCALARS:
        if type(value) is cls:
            return kind
    return "any"


class Target(Protocol):
    """What a conversion needs to know: the hyper-parameter's name (for messages) and the
    kind of value it takes (:class:`hpman_cst.hints.ValueSpec` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> Kind: ...

    @property
    def type_name(self) -> str: ...


def type_name(kind: Kind) -> str:
    """How messages name ``kind``: ``"int"``, ``"list"``...; ``"None"`` for ``"none"`` and
    ``"literal"`` for values of any kind."""
    return {"none": "None", "any": "literal"}.get(kind, kind)


def read_text(target: Target, text: str) -> object:
    """Convert a command-line string to ``target``'s kind; no hint is checked (that is
    :func:`hpman_cst.hints.parse_text`).

    ``bool`` takes ``true/false``, ``yes/no``, ``t/f``, ``y/n``, ``1/0`` in any case;
    containers, ``bytes`` and ``complex`` take Python literals; ``None`` and kind ``any``
    take any Python literal, or else the text itself as a string.
    Raises :class:`InvalidValue` with an argparse-style message.
    """
    return _parse_type(target, text)


def to_kind(target: Target, value: object) -> object:
    """Convert a value read from a file (already a YAML/JSON value) to ``target``'s kind;
    no hint is checked (that is :func:`hpman_cst.hints.coerce`). Strings are parsed as on
    the command line (``"12"`` for an int, ``"false"`` for a bool); an int is accepted
    for a float; lists for tuples and sets. Raises :class:`InvalidValue`.
    """
    return _coerce_type(target, value)


def _invalid(spec: Target, shown: str, hint: str = "") -> InvalidValue:
    return InvalidValue(f"invalid {spec.type_name} value: {shown}{hint}", name=spec.name)


def _parse_type(spec: Target, text: str) -> object:
    kind = spec.kind
    if kind == "str":
        return text
    if kind == "bool":
        folded = text.strip().lower()
        if folded in _TRUE or folded in _FALSE:
            return folded in _TRUE
        raise _invalid(spec, repr(text), " (use true/false, yes/no or 1/0)")
    if kind in ("none", "any"):
        literal = _literal(text)
        return text if literal is _NOT_LITERAL else literal
    if kind == "int":
        return _parse_int(spec, text)
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise _invalid(spec, repr(text)) from None
    if kind == "complex":
        try:
            return complex(text.replace(" ", ""))
        except ValueError:
            raise _invalid(spec, repr(text)) from None
    literal = _literal(text)
    example = _EXAMPLES[kind]
    if literal is _NOT_LITERAL or isinstance(literal, str):
        raise _invalid(spec, repr(text), f" (write a Python literal such as {example})")
    try:
        return _coerce_type(spec, literal)
    except InvalidValue:
        raise _invalid(spec, repr(text), f" (write a Python literal such as {example})") from None


def _parse_int(spec: Target, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        pass
    literal = _literal(text)  # 0x10, 0o7, 0b1
    if type(literal) is int:
        return literal
    raise _invalid(spec, repr(text))


_NOT_LITERAL = object()


def _literal(text: str) -> object:
    try:
        return ast.literal_eval(ast_parse(text.strip(), mode="eval"))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _coerce_type(spec: Target, value: object) -> object:
    kind = spec.kind
    if kind in ("none", "any"):
        return value
    if isinstance(value, str) and kind != "str":
        return _parse_type(spec, value)
    if kind == "bool":
        if type(value) is bool:
            return value
        if type(value) is int and value in (0, 1):
            return bool(value)
    elif kind == "int":
        if type(value) is int:
            return value
    elif kind == "float":
        if type(value) in (int, float):
            return float(cast(Number, value))
    elif kind == "complex":
        if type(value) in (int, float, complex):
            return complex(cast(Union[Number, complex], value))
    elif kind in _CONTAINERS:
        if isinstance(value, _ACCEPTS[kind]):
            return _CONTAINERS[kind](cast(Iterable[object], value))
    elif type(value) is _builtin(kind):
        return value
    raise type_error(spec, value)


def type_error(target: Target, value: object) -> InvalidValue:
    """The error for ``value``, which is not of ``target``'s kind: ``expected an int, got
    1.0 (float)``, as ``--hp-load`` words it."""
    return InvalidValue(
        f"expected {_article(target.type_name)}, got {display(value)} ({type(value).__name__})",
        name=target.name,
    )


def _builtin(kind: Kind) -> type:
    return {"str": str, "bytes": bytes}[kind]


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def display(value: object) -> str:
    """How a value is shown in help texts and tables: strings bare, the rest as ``repr``
    (``None``, ``[30, 60]``, ``(1, 2)``); values without a literal show as ``None``."""
    if isinstance(value, str):
        return value
    if not has_value(value):
        return "None"
    return repr(value)
