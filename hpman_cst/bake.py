"""``hpman bake``: the values of a saved run written back into the code's defaults, as one
plan of ``set-default`` edits (:func:`refactor.edits.merge`), proven and written
together.

A value equal to the current default is left alone. A float is written in the style of
the default it replaces (``1e-3`` baked with ``0.0003`` becomes ``3e-4``, ``0.999`` with
``0.98`` becomes ``0.98``). A key that cannot be baked is skipped and reported in the
words and codes of the drift rules (``R001`` unknown key, ``R002`` type changed,
``R003`` outside the hints, ``D003``/``D004`` no default or not a literal one).

Pure: no I/O, no libcst (the run's keys are read by :mod:`formats.run_keys`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .exceptions import RefactorRefused
from .formats.run_keys import RunKey, flatten
from .literals import Unhashable, evaluate_text, same_value
from .new_default import read_new_default
from .records import FileIndex, Marker, Occurrence
from .refactor.edits import Plan, merge
from .refactor.plan import plan_set_default
from .registry import HyperParameter, build_registry
from .runs import DriftKind, drift

__all__ = ["Baked", "Skipped", "bake", "float_text", "value_text"]

_CODES = {DriftKind.UNKNOWN: "R001", DriftKind.TYPE: "R002", DriftKind.HINTS: "R003"}


@dataclass(frozen=True)
class Skipped:
    """A key of the run that is not baked: where it is, the drift rule's ``code`` (empty
    for a refusal of ``set-default``) and why."""

    key: RunKey
    code: str
    message: str

    def line(self, path: str) -> str:
        """``path:line:column: CODE message`` (the column 1-based, as ``hpman check``)."""
        code = f"{self.code} " if self.code else ""
        return f"{path}:{self.key.line}:{self.key.column + 1}: {code}{self.message}"


@dataclass(frozen=True)
class Baked:
    """What baking a run amounts to: the merged plan (``None`` when no default changes),
    the names it sets, and the keys skipped, in the run's order."""

    plan: Plan | None
    names: tuple[str, ...]
    skipped: tuple[Skipped, ...]


def bake(
    indexes: Sequence[FileIndex],
    keys: Sequence[RunKey],
    *,
    only: Collection[str] | None = None,
    placeholders: Collection[str] = ("_",),
) -> Baked:
    """Plan writing the values of a run's ``keys`` into the defaults of ``indexes``
    (only the names in ``only``, when given). Raises :class:`RefactorRefused` when a name
    of ``only`` is not a key of the run, or when the planned edits overlap."""
    registry = build_registry(indexes)
    flat = [k for k in flatten(keys, registry.names) if only is None or k.name in only]
    missing = sorted(set(only or ()) - {k.name for k in flat})
    if missing:
        raise RefactorRefused(f"--only: `{missing[0]}` is not a key of this run")
    drifted = {d.key.name: d for d in drift(registry, tuple(keys)) if d.key is not None}
    plans: list[Plan] = []
    names: list[str] = []
    skipped: list[Skipped] = []
    for key in flat:
        found = drifted.get(key.name)
        if found is not None and found.kind in _CODES:
            skipped.append(Skipped(key, _CODES[found.kind], found.message))
            continue
        parameter = registry.get(key.name)
        assert parameter is not None  # else drift reported it unknown
        problem = _not_bakeable(parameter, key)
        if problem is not None:
            skipped.append(problem)
            continue
        definition = parameter.definition
        assert definition is not None
        if all(same_value(key.value, o.value) for o in parameter.definitions):
            continue
        try:
            text = value_text(key.name, key.value, definition, parameter.occurrences)
            plans.append(plan_set_default(indexes, key.name, text, placeholders=placeholders))
        except RefactorRefused as exc:
            skipped.append(Skipped(key, "", exc.message))
            continue
        names.append(key.name)
    return Baked(merge(*plans) if plans else None, tuple(names), tuple(skipped))


def _not_bakeable(parameter: HyperParameter, key: RunKey) -> Skipped | None:
    definition = parameter.definition
    if definition is None:
        where = parameter.occurrences[0].location
        message = f"`{key.name}` has no default to bake into (it is only read, at {where})"
        return Skipped(key, "D003", message)
    literal = [o for o in parameter.definitions if not o.is_literal]
    if literal:
        o = literal[0]
        message = (
            f"the default of `{key.name}` is not a literal ({o.default}, {o.location}):"
            " the run's value is not baked into it"
        )
        return Skipped(key, "D004", message)
    return None


def value_text(name: str, value: object, definition: Occurrence, uses: Sequence[Occurrence]) -> str:
    """The ``set-default`` VALUE that writes ``value`` over ``definition``: a float in the
    style of the default it replaces, a string as a bare word where the option reads it
    back so (written in the quotes of the default), else the literal's ``repr``. Raises
    :class:`RefactorRefused` when no Python literal spells ``value``."""
    if isinstance(value, float):
        text = float_text(value, definition.default or "")
    elif isinstance(value, str) and _bare_word_reads_back(name, value, uses):
        return value
    else:
        text = repr(value)
    back = evaluate_text(text)
    if isinstance(back, (Marker, Unhashable)) or not same_value(back, value):
        raise RefactorRefused(f"{value!r} has no Python literal to write for `{name}`")
    return text


def _bare_word_reads_back(name: str, value: str, uses: Sequence[Occurrence]) -> bool:
    if not value or value != value.strip() or not isinstance(evaluate_text(value), Marker):
        return False
    try:
        new = read_new_default(name, value, uses)
    except RefactorRefused:
        return False
    return new.as_string and new.value == value


_EXPONENT = re.compile(r"[eE]")


def float_text(value: float, like: str) -> str:
    """``value`` as a Python float literal in the style of ``like`` (the default's text):
    exponent notation (``3e-4``, its ``e``/``E``, a ``+`` and a mantissa ``.``) where
    ``like`` has one, else positional (``0.98``, ``100000.0``); the shortest digits
    that read back as ``value``. ``inf`` and ``nan`` come back as ``repr`` gives them."""
    if not math.isfinite(value):
        return repr(value)
    like = like.strip().lstrip("+-(").rstrip(")")
    if _EXPONENT.search(like) is None:
        if value == int(value) and abs(value) < 1e16:
            return repr(float(int(value)))
        text = format(Decimal(repr(value)), "f")
        text = text if "." in text else text + ".0"
        return text if len(text) <= 24 else repr(value)  # 1e300 is not written out
    digits = Decimal(repr(value)).normalize().as_tuple()
    sign = "-" if digits.sign else ""
    shown = "".join(map(str, digits.digits)) or "0"
    power = int(digits.exponent) + len(shown) - 1
    text = shown[0] + ("." + shown[1:] if len(shown) > 1 else "")
    if "." not in text and "." in _EXPONENT.split(like)[0]:
        text += ".0"
    e = "E" if "E" in like else "e"
    plus = "+" if power >= 0 and "+" in like else ""
    return f"{sign}{text}{e}{plus}{power}"
