"""Option values: what type a hyper-parameter takes (from its default), how a command-line
string or a value read from a file becomes that type, and the ``choices=`` / ``range=``
checks. Both front-ends (argparse and click) and ``_.load`` go through here, so a value
is accepted or refused the same way wherever it comes from.

Stdlib only: ``hpargparse`` imports this module.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Optional, Union, cast

from .exceptions import EmptyValue, InvalidHint, InvalidValue, NotLiteralEvaluable
from .records import Marker
from .source import ast_parse

__all__ = [
    "Kind",
    "ValueSpec",
    "check_hints",
    "coerce",
    "display",
    "has_value",
    "kind_of",
    "parse_text",
    "spec_for",
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
Bounds = tuple[Optional[Number], Optional[Number]]

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


@dataclass(frozen=True)
class ValueSpec:
    """What one hyper-parameter option accepts.

    ``kind`` comes from the current value; ``choices`` (already converted to the kind),
    ``bounds`` (inclusive, ``None`` = open), ``required`` and ``help`` from the hints.
    """

    name: str
    default: object
    kind: Kind
    choices: tuple[object, ...] | None = None
    bounds: Bounds | None = None
    required: bool = False
    help: str | None = None

    @property
    def type_name(self) -> str:
        """``"int"``, ``"list"``...; ``"literal"`` for values of any kind."""
        return {"none": "None", "any": "literal"}.get(self.kind, self.kind)

    @property
    def metavar(self) -> str | None:
        """``{a,b}`` when the values are a fixed set (choices, bool), else ``None``."""
        if self.choices is not None:
            return "{" + ",".join(display(c) for c in self.choices) + "}"
        if self.kind == "bool":
            return "{true,false}"
        return None


def spec_for(
    name: str,
    value: object,
    hints: Mapping[str | None, object] | None = None,
    *,
    where: str | None = None,
) -> ValueSpec:
    """The :class:`ValueSpec` of hyper-parameter ``name`` whose current value is ``value``.

    ``hints`` are the call's keywords (``help``, ``choices``, ``required``, ``range``;
    others are ignored, as hpman ignores them). ``where`` (``path:line:column``) locates
    the hint in error messages. Raises :class:`InvalidHint` for a hint that cannot be
    honoured (``range=[1]``, ``choices=5``, ``choices`` not of the value's type...).
    """
    hints = hints or {}
    kind = kind_of(value)
    base = ValueSpec(name, value, kind)
    choices = _choices_hint(base, hints.get("choices"), where)
    bounds = _range_hint(base, hints.get("range"), where)
    required = hints.get("required", False)
    if not isinstance(required, bool):
        raise _hint_error(name, "required", "must be True or False", where)
    help_text = hints.get("help")
    if help_text is not None and not isinstance(help_text, str):
        raise _hint_error(name, "help", "must be a string", where)
    return ValueSpec(name, value, kind, choices, bounds, required, help_text)


def _hint_error(name: str, hint: str, problem: str, where: str | None) -> InvalidHint:
    path, line, column = _split_where(where)
    return InvalidHint(f"hint `{hint}` of `{name}` {problem}", path=path, line=line, column=column)


def _split_where(where: str | None) -> tuple[str | None, int | None, int | None]:
    if where is None:
        return None, None, None
    parts = where.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return parts[0], int(parts[1]), int(parts[2]) - 1
    return where, None, None


def _choices_hint(base: ValueSpec, raw: object, where: str | None) -> tuple[object, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, (list, tuple, set, frozenset)) or not raw:
        raise _hint_error(base.name, "choices", "must be a non-empty list", where)
    items = sorted(raw, key=repr) if isinstance(raw, (set, frozenset)) else list(raw)
    converted: list[object] = []
    for item in items:
        try:
            converted.append(_coerce_type(base, item))
        except InvalidValue as exc:
            raise _hint_error(base.name, "choices", f"holds a bad value: {exc}", where) from None
    return tuple(converted)


def _range_hint(base: ValueSpec, raw: object, where: str | None) -> Bounds | None:
    if raw is None:
        return None
    if base.kind not in ("int", "float", "none", "any"):
        raise _hint_error(base.name, "range", f"does not apply to a {base.type_name}", where)
    if not isinstance(raw, (list, tuple)) or len(raw) != 2:
        raise _hint_error(base.name, "range", "must be [low, high]", where)
    low, high = raw
    for bound in (low, high):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            raise _hint_error(base.name, "range", "bounds must be numbers or None", where)
    if low is not None and high is not None and low > high:
        raise _hint_error(base.name, "range", f"is empty: {low} > {high}", where)
    return (cast(Optional[Number], low), cast(Optional[Number], high))


def parse_text(spec: ValueSpec, text: str) -> object:
    """Convert a command-line string to ``spec``'s kind and check it.

    ``bool`` takes ``true/false``, ``yes/no``, ``t/f``, ``y/n``, ``1/0`` in any case;
    containers, ``bytes`` and ``complex`` take Python literals; ``None`` and kind ``any``
    take any Python literal, or else the text itself as a string.
    Raises :class:`InvalidValue` with an argparse-style message.
    """
    value = _parse_type(spec, text)
    check_hints(spec, value)
    return value


def coerce(spec: ValueSpec, value: object) -> object:
    """Convert a value read from a file (already a YAML/JSON value) to ``spec``'s kind and
    check it. Strings are parsed as on the command line (``"12"`` for an int, ``"false"``
    for a bool); an int is accepted for a float; lists for tuples and sets.
    Raises :class:`InvalidValue`.
    """
    converted = _coerce_type(spec, value)
    check_hints(spec, converted)
    return converted


def _invalid(spec: ValueSpec, shown: str, hint: str = "") -> InvalidValue:
    return InvalidValue(f"invalid {spec.type_name} value: {shown}{hint}", name=spec.name)


def _parse_type(spec: ValueSpec, text: str) -> object:
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


def _parse_int(spec: ValueSpec, text: str) -> int:
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


def _coerce_type(spec: ValueSpec, value: object) -> object:
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
    raise InvalidValue(
        f"expected {_article(spec.type_name)}, got {display(value)} ({type(value).__name__})",
        name=spec.name,
    )


def _builtin(kind: Kind) -> type:
    return {"str": str, "bytes": bytes}[kind]


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def check_hints(spec: ValueSpec, value: object) -> None:
    """Check ``value`` (already of ``spec``'s kind) against the ``choices=`` and
    ``range=`` hints: a choice must be equal and of the same type (``1.0`` and ``True``
    are not the choice ``1``), a value in a range a number inside it. The one check of
    the front-ends, ``_.load`` and ``hpman set-default``.
    Raises :class:`InvalidValue` with an argparse-style message."""
    if spec.choices is not None and not any(_same(value, c) for c in spec.choices):
        allowed = ", ".join(repr(c) for c in spec.choices)
        raise InvalidValue(f"invalid choice: {value!r} (choose from {allowed})", name=spec.name)
    if spec.bounds is not None:
        _check_bounds(spec, spec.bounds, value)


def _check_bounds(spec: ValueSpec, bounds: Bounds, value: object) -> None:
    low, high = bounds
    shown = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValue(f"{value!r} is not a number in range {shown}", name=spec.name)
    inside = not math.isnan(value) and (low is None or value >= low)
    inside = inside and (high is None or value <= high)
    if not inside:
        raise InvalidValue(f"{value!r} is out of range {shown}", name=spec.name)


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def display(value: object) -> str:
    """How a value is shown in help texts and tables: strings bare, the rest as ``repr``
    (``None``, ``[30, 60]``, ``(1, 2)``); values without a literal show as ``None``."""
    if isinstance(value, str):
        return value
    if not has_value(value):
        return "None"
    return repr(value)
