"""A saved run against the code: which of its keys no longer match (the drift check of
``hpman check --config``). A run is what ``--hp-save`` wrote some time ago; the code has
moved on since, and loading the run now would fail or, worse, load silently wrong.

Pure: no I/O (the run is read by :mod:`hpman_cst.formats.run_keys`). Stdlib only.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterator
from dataclasses import dataclass

from .convert import kind_of
from .exceptions import InvalidHint, InvalidValue, did_you_mean
from .formats.run_keys import RunKey, flatten
from .hints import check_hints, spec_for
from .near_names import Normalisation, near_pairs
from .records import Occurrence
from .registry import HyperParameter, Registry

__all__ = ["Drift", "DriftKind", "drift"]


class DriftKind(str, enum.Enum):
    """What a :class:`Drift` is (stable strings)."""

    UNKNOWN = "unknown-key"
    TYPE = "type-changed"
    HINTS = "outside-hints"
    ADDED = "added-since"


@dataclass(frozen=True)
class Drift:
    """One mismatch between a run and the code: at ``key`` (``None`` for a hyper-parameter
    the run lacks), about ``name``; ``rename`` is the name the key was probably renamed
    to, ``certain`` when nothing else could be meant."""

    kind: DriftKind
    name: str
    message: str
    key: RunKey | None = None
    rename: str | None = None
    certain: bool = False


def _saveable(parameter: HyperParameter) -> bool:
    return parameter.definition is not None and parameter.definition.is_literal


def _kind_name(value: object) -> str:
    return {"none": "None", "any": "literal"}.get(kind_of(value), kind_of(value))


def drift(
    registry: Registry, keys: tuple[RunKey, ...], near: Normalisation | None = None
) -> list[Drift]:
    """Every mismatch of a run's ``keys`` with ``registry``, in the run's order, then the
    hyper-parameters the run lacks (sorted by name)."""
    flat = list(flatten(keys, registry.names))
    in_run = {key.name for key in flat}
    added = [
        p
        for p in registry.parameters
        if _saveable(p)
        and p.name not in in_run
        and not any(n.startswith(p.name + ".") for n in in_run)
    ]
    unknown = [key for key in flat if registry.get(key.name) is None]
    renames = _renames(unknown, added, near or Normalisation())
    found: list[Drift] = []
    for key in flat:
        parameter = registry.get(key.name)
        if parameter is None:
            found.append(_unknown(key, registry, renames.get(key.name)))
        else:
            found.extend(_mismatch(key, parameter))
    certain = {new for new, is_certain in renames.values() if is_certain}
    for parameter in added:
        definition = parameter.definition
        if definition is None or parameter.name in certain:  # R001 names it
            continue
        message = (
            f"`{parameter.name}` is not in this run (added to the code since it was saved?):"
            f" it will take the default {parameter.value!r} ({definition.location})"
        )
        found.append(Drift(DriftKind.ADDED, parameter.name, message))
    return found


def _renames(
    unknown: list[RunKey], added: list[HyperParameter], near: Normalisation
) -> dict[str, tuple[str, bool]]:
    """For each unknown key, the added name it was most probably renamed to (same type of
    value, closest spelling), and whether that pairing is certain: the two are each
    other's only candidates."""
    candidates: dict[str, list[str]] = {}
    by_name = {p.name: p for p in added}
    close = set(near_pairs([k.name for k in unknown] + list(by_name), near))
    for key in unknown:
        same_type = [p.name for p in added if kind_of(p.value) == kind_of(key.value)]
        scored = sorted(
            ((_similarity(key.name, name, close), name) for name in same_type),
            reverse=True,
        )
        candidates[key.name] = [name for score, name in scored if score >= 0.5]
    chosen: dict[str, tuple[str, bool]] = {}
    for key_name, names in candidates.items():
        if not names:
            continue
        best = names[0]
        rivals = [k for k, n in candidates.items() if n and n[0] == best]
        certain = len(names) == 1 and rivals == [key_name]
        chosen[key_name] = (best, certain)
    return chosen


def _similarity(a: str, b: str, close: set[tuple[str, str]]) -> float:
    if (min(a, b), max(a, b)) in close:
        return 1.0
    leaf_a, leaf_b = a.rpartition(".")[2], b.rpartition(".")[2]
    if leaf_a == leaf_b:
        return 0.9
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def _unknown(key: RunKey, registry: Registry, rename: tuple[str, bool] | None) -> Drift:
    if rename is not None:
        new, certain = rename
        message = (
            f"`{key.name}` is no longer a hyper-parameter of the code; probably renamed to `{new}`"
        )
        return Drift(DriftKind.UNKNOWN, key.name, message, key, new, certain)
    hint = did_you_mean(key.name, registry.names)
    message = f"`{key.name}` is no longer a hyper-parameter of the code{hint}"
    return Drift(DriftKind.UNKNOWN, key.name, message, key)


def _hints(definition: Occurrence) -> dict[str | None, object]:
    return {k: v for k, v in definition.hints if k is not None}


def _mismatch(key: RunKey, parameter: HyperParameter) -> Iterator[Drift]:
    definition = parameter.definition
    if definition is None or not definition.is_literal or definition.value is None:
        return
    default = definition.value
    if kind_of(key.value) != kind_of(default):
        message = (
            f"`{key.name}` is {_article(_kind_name(key.value))} here ({key.value!r}),"
            f" but the code's default is {_article(_kind_name(default))} ({default!r},"
            f" {definition.location})"
        )
        yield Drift(DriftKind.TYPE, key.name, message, key)
        return
    try:
        spec = spec_for(key.name, default, _hints(definition))
        check_hints(spec, key.value)
    except InvalidHint:
        return  # the code's own hint is wrong: H002 says so
    except InvalidValue as exc:
        message = f"`{key.name}` = {key.value!r} is outside the code's hints: {exc.message}"
        yield Drift(DriftKind.HINTS, key.name, message, key)


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word
