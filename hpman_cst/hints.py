"""The hints of a hyper-parameter and the one check of a value against them.

A call's keywords ``choices=[...]``, ``range=[low, high]``, ``required=True``,
``help="..."`` and ``scale="log"`` describe the values a hyper-parameter takes; with the
type of its default they make a :class:`ValueSpec`. Every place that accepts or refuses a
value asks this module: the front-ends (argparse, click, ``--hp-load`` and ``_.load``,
through :func:`parse_text` and :func:`coerce`), ``hpman set-default``
(:func:`check_hints`), a saved run compared with the code (:func:`check_value`), and the
exports, which read the model (:func:`spec_from_occurrences`). The check rules ask
:func:`hint_problem` whether the front-ends can honour a hint at all, and the exports
:func:`scale_problem` whether a ``scale=`` describes a search space.

Stdlib only: ``hpargparse`` imports this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Optional, Union, cast

from .convert import Kind, display, kind_of, read_text, to_kind, type_error, type_name
from .exceptions import InvalidHint, InvalidValue
from .literals import same_value
from .records import Occurrence

__all__ = [
    "HINTS",
    "Bounds",
    "Scale",
    "ValueSpec",
    "check_hints",
    "check_value",
    "coerce",
    "first_hints",
    "hint_problem",
    "parse_text",
    "scale_problem",
    "spec_for",
    "spec_from_occurrences",
]

Number = Union[int, float]
#: A ``range=`` hint: inclusive bounds, ``None`` for an open end.
Bounds = tuple[Optional[Number], Optional[Number]]
#: A ``scale=`` hint: how a search space spreads its values between the bounds.
Scale = Literal["linear", "log"]
#: The hints the front-ends honour (``scale`` only describes a search space); others
#: are ignored, as hpman ignores them.
HINTS = ("choices", "range", "required", "help")


@dataclass(frozen=True)
class ValueSpec:
    """What hyper-parameter ``name`` accepts: the public model of its hints.

    ``default`` is its current value and ``kind`` the type that value gives it
    (:func:`hpman_cst.convert.kind_of`); ``choices`` (converted to the kind), ``bounds``
    (the ``range=`` hint as ``(low, high)``, inclusive, ``None`` for an open end),
    ``required``, ``help`` and ``scale`` (``None`` unless the hint is ``"linear"`` or
    ``"log"``) come from the hints.
    """

    name: str
    default: object
    kind: Kind
    choices: tuple[object, ...] | None = None
    bounds: Bounds | None = None
    required: bool = False
    help: str | None = None
    scale: Scale | None = None

    @property
    def type_name(self) -> str:
        """``"int"``, ``"list"``...; ``"literal"`` for values of any kind."""
        return type_name(self.kind)

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

    ``hints`` are the call's keywords (``help``, ``choices``, ``required``, ``range``,
    ``scale``; others are ignored, as hpman ignores them). ``where`` (``path:line:column``)
    locates the hint in error messages. Raises :class:`InvalidHint` for a hint that the
    front-ends cannot honour (``range=[1]``, ``choices=5``, ``choices`` not of the value's
    type...); a ``scale`` other than ``"linear"`` or ``"log"`` is left out (only
    :func:`scale_problem` reports it: the front-ends do not use it).
    """
    hints = hints or {}
    base = ValueSpec(name, value, kind_of(value))
    choices = _choices_hint(base, hints.get("choices"), where)
    bounds = _range_hint(base, hints.get("range"), where)
    required = hints.get("required", False)
    if not isinstance(required, bool):
        raise _hint_error(name, "required", "must be True or False", where)
    help_text = hints.get("help")
    if help_text is not None and not isinstance(help_text, str):
        raise _hint_error(name, "help", "must be a string", where)
    scale = _scale(hints.get("scale"))
    return ValueSpec(name, value, base.kind, choices, bounds, required, help_text, scale)


def _scale(raw: object) -> Scale | None:
    if raw == "log":
        return "log"
    return "linear" if raw == "linear" else None


def first_hints(occurrences: Sequence[Occurrence]) -> dict[str | None, tuple[object, Occurrence]]:
    """Each hint of ``occurrences`` (the calls of one name) with the occurrence that gives
    it: the first in source order that has it, the rule of the front-ends and exports."""
    found: dict[str | None, tuple[object, Occurrence]] = {}
    for occurrence in sorted(occurrences, key=Occurrence.sort_key):
        for key, hint in occurrence.hints:
            found.setdefault(key, (hint, occurrence))
    return found


def spec_from_occurrences(name: str, value: object, occurrences: Sequence[Occurrence]) -> ValueSpec:
    """The :class:`ValueSpec` of ``name`` whose current value is ``value``, each hint
    taken from :func:`first_hints`. Raises :class:`InvalidHint` located at the call that
    gives the bad hint."""
    hints = first_hints(occurrences)
    for key in HINTS:  # hint by hint: an error points at the call that gives it
        if key in hints:
            hint, occurrence = hints[key]
            spec_for(name, value, {key: hint}, where=occurrence.location)
    return spec_for(name, value, {key: hint for key, (hint, _) in hints.items()})


def hint_problem(name: str, value: object, hints: Mapping[str | None, object]) -> str | None:
    """Why the front-ends cannot honour the ``hints`` of ``name`` (whose current value is
    ``value``), as one sentence (``hint `range` of `lr` must be [low, high]``): the
    reason :func:`spec_for` raises :class:`InvalidHint`, which stops ``bind``; ``None``
    when they can. A ``scale`` is not theirs: see :func:`scale_problem`."""
    try:
        spec_for(name, value, hints)
    except InvalidHint as exc:
        return exc.message
    return None


def scale_problem(name: str, hints: Mapping[str | None, object]) -> str | None:
    """Why the ``scale=`` hint of ``name`` describes no search space, or ``None`` (also
    without one): it must be ``"linear"`` or ``"log"``, and ``"log"`` needs a range
    that starts above 0. The front-ends ignore ``scale``; an export or a sweep cannot."""
    if "scale" not in hints:
        return None
    scale = _scale(hints["scale"])
    if scale is None:
        return f"hint `scale` of `{name}` must be 'linear' or 'log'"
    raw = hints.get("range")
    if scale == "log" and isinstance(raw, (list, tuple)) and len(raw) == 2:
        low = raw[0]
        if low is None or (isinstance(low, (int, float)) and low <= 0):
            return f"hint `scale` of `{name}` is 'log', but its range does not start above 0"
    return None


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
            converted.append(to_kind(base, item))
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
    """A command-line string as the option of ``spec`` reads it: converted to its kind
    (:func:`hpman_cst.convert.read_text`), then :func:`check_hints`.
    Raises :class:`InvalidValue` with an argparse-style message."""
    value = read_text(spec, text)
    check_hints(spec, value)
    return value


def coerce(spec: ValueSpec, value: object) -> object:
    """A value read from a file (already a YAML/JSON value) as ``--hp-load`` reads it:
    converted to ``spec``'s kind (:func:`hpman_cst.convert.to_kind`), then
    :func:`check_hints`. Raises :class:`InvalidValue`."""
    converted = to_kind(spec, value)
    check_hints(spec, converted)
    return converted


def check_value(spec: ValueSpec, value: object) -> None:
    """Check a value as it stands (a saved run's, a new default): of ``spec``'s kind
    exactly (no conversion: ``1`` is not a float, ``True`` not an int; any value for a
    default of kind ``none`` or ``any``), then :func:`check_hints`.
    Raises :class:`InvalidValue` with the front-ends' words."""
    if spec.kind not in ("none", "any") and kind_of(value) != spec.kind:
        raise type_error(spec, value)
    check_hints(spec, value)


def check_hints(spec: ValueSpec, value: object) -> None:
    """Check ``value`` (already of ``spec``'s kind) against the ``choices=`` and
    ``range=`` hints: a choice must be the same value (:func:`literals.same_value`:
    ``1.0`` and ``True`` are not the choice ``1``), a value in a range a number inside
    it. The one check of the front-ends, ``_.load`` and ``hpman set-default``.
    Raises :class:`InvalidValue` with an argparse-style message."""
    if spec.choices is not None and not any(same_value(value, c) for c in spec.choices):
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
