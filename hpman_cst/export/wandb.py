"""``hpman export --format wandb``: a W&B sweep config skeleton.

``parameters`` holds, per name with a search space: ``values`` for ``choices=``,
``int_uniform`` for an int ``range=``, ``uniform`` for a float one and
``log_uniform_values`` for ``scale="log"`` (W&B's ``log_uniform`` takes natural-log
exponents as ``min``/``max``: the wrong one for bounds written as values). With ``all``,
every other name with a literal default is a fixed ``value``. The ``command`` passes them
as ``--name=value``, which both front-ends read (W&B writes Python's ``str()`` of each
value: ``True``, ``None``, ``[1, 2]``).

A name W&B cannot carry is an :class:`~.model.Unmapped` record and is left out: a name
W&B refuses, a range with an open side, a log scale that does not start above 0, a value
whose ``--name=value`` would not read back as itself (bytes, sets, ``nan``...).

Pure: no I/O. PyYAML is imported when the text is made.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from ..exceptions import InvalidValue
from ..hints import parse_text
from ..literals import same_value
from .model import Entry, Unmapped

__all__ = ["COMMAND", "NAME_PATTERN", "SweepOptions", "argument_text", "sweep", "sweep_text"]

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
COMMAND = ("${env}", "${interpreter}", "${program}", "${args}")
JSON = dict[str, Any]


@dataclass(frozen=True)
class SweepOptions:
    """The parts of the config that are not in the code."""

    program: str = "train.py"
    method: str = "random"
    metric: str = "loss"
    goal: str = "minimize"
    all: bool = False  #: also the names without a space, as fixed values


class _CannotCarry(Exception):
    pass


def _plain(value: object) -> object:
    """``value`` as YAML holds it for W&B (a tuple as a list); raises
    :class:`_CannotCarry` for what plain YAML lacks."""
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _CannotCarry
        return value
    if type(value) in (list, tuple):
        return [_plain(v) for v in cast(Sequence[object], value)]
    if type(value) is dict:
        mapping = cast(dict[object, object], value)
        if all(type(k) is str for k in mapping):
            return {k: _plain(v) for k, v in mapping.items()}
    raise _CannotCarry


def argument_text(value: object) -> str:
    """The text after ``--name=`` that a W&B agent writes for ``value`` (``str()``)."""
    return str(value)


def _carried(entry: Entry, value: object) -> object:
    """``value`` as the config holds it, once checked that the training script reads
    ``--name=<W&B's text>`` back as ``value``; raises :class:`_CannotCarry`."""
    plain = _plain(value)
    try:
        back = parse_text(entry.spec, argument_text(plain))
    except InvalidValue:
        raise _CannotCarry from None
    if not same_value(back, value):
        raise _CannotCarry
    return plain


def _space(entry: Entry) -> JSON | str | None:
    """The ``parameters`` item of ``entry``; ``None`` without a space; a string saying
    why it cannot be carried."""
    spec = entry.spec
    try:
        if spec.choices is not None:
            return {"values": [_carried(entry, c) for c in spec.choices]}
    except _CannotCarry:
        return "has a choice a W&B agent cannot pass back as itself"
    if spec.bounds is None:
        return None
    low, high = spec.bounds
    if low is None or high is None:
        return "has a range with an open side; a W&B distribution needs both bounds"
    if entry.spec.scale == "log":
        if low <= 0:
            return f"has a log scale starting at {low}; it must start above 0"
        if spec.kind == "int":
            return "is an int on a log scale; W&B has no integer log distribution"
        return {"distribution": "log_uniform_values", "min": float(low), "max": float(high)}
    if spec.kind == "int":
        return {"distribution": "int_uniform", "min": int(low), "max": int(high)}
    if spec.kind == "float":
        return {"distribution": "uniform", "min": float(low), "max": float(high)}
    return f"has a range but its default is not a number ({spec.type_name})"


def _unmapped(entry: Entry, why: str) -> Unmapped:
    return entry.unmapped(f"`{entry.name}` {why}")


def sweep(entries: Sequence[Entry], options: SweepOptions) -> tuple[JSON, list[Unmapped]]:
    """The sweep config of ``entries`` and the names left out, each with why."""
    parameters: JSON = {}
    unmapped: list[Unmapped] = []
    for entry in sorted(entries, key=lambda e: e.name):
        if not NAME_PATTERN.fullmatch(entry.name):
            unmapped.append(
                _unmapped(entry, "is not a name W&B accepts; left out of the W&B sweep")
            )
            continue
        found = _space(entry)
        if isinstance(found, str):
            unmapped.append(_unmapped(entry, f"{found}; left out of the W&B sweep"))
        elif found is not None:
            parameters[entry.name] = found
        elif options.all and entry.has_default:
            try:
                parameters[entry.name] = {"value": _carried(entry, entry.spec.default)}
            except _CannotCarry:
                why = "has a default a W&B agent cannot pass back as itself"
                unmapped.append(_unmapped(entry, f"{why}; left out of the W&B sweep"))
    config: JSON = {
        "program": options.program,
        "method": options.method,
        "metric": {"name": options.metric, "goal": options.goal},
        "parameters": parameters,
        "command": list(COMMAND),
    }
    return config, unmapped


def sweep_text(config: JSON) -> str:
    """``config`` as YAML, keys in the order W&B's documentation shows them."""
    import yaml

    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
