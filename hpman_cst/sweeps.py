"""Optuna at run time: the values of one trial, drawn from the hints of the parsed code.

::

    import optuna
    from hpman_cst.m import _
    from hpman_cst.sweeps import suggest

    _.parse_file("src/")

    def objective(trial):
        _.set_values(suggest(trial, _))
        return train()

    optuna.create_study().optimize(objective, n_trials=20)

``choices=`` -> ``suggest_categorical`` (choices Optuna cannot store, lists, tuples...,
by their source text, turned back into the values); an int ``range=`` -> ``suggest_int``; a float
one -> ``suggest_float``; ``scale="log"`` adds ``log=True`` (which needs a lower bound
above 0). Names without a space keep their values. This is the only module that imports
Optuna, and only when :func:`suggest` is called (it takes the trial the caller made).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union, cast

from .binding import Manager
from .exceptions import HpmanError
from .export.model import Entry, entries

if TYPE_CHECKING:  # pragma: no cover
    import optuna

__all__ = ["SearchSpaceError", "suggest"]

Value = Union[None, bool, int, float, str]
_CATEGORICAL = (type(None), bool, int, float, str)


class SearchSpaceError(HpmanError, ValueError):
    """A hint that gives no Optuna space (an open range, a log scale from 0 or below): the
    message starts with where the hint is."""


def _selected(name: str, names: Collection[str] | None) -> bool:
    if names is None:
        return True
    return any(name == n or name.startswith(n + ".") for n in names)


def _error(entry: Entry, problem: str) -> SearchSpaceError:
    return SearchSpaceError(
        f"`{entry.name}` {problem}", path=entry.path, line=entry.line, column=entry.column
    )


@dataclass(frozen=True)
class _Space:
    """One name's Optuna space: ``choices``, or ``kind`` with bounds and ``log``."""

    entry: Entry
    choices: tuple[object, ...] | None = None
    kind: str = ""
    low: float = 0
    high: float = 0
    log: bool = False

    def draw(self, trial: optuna.trial.Trial) -> object:
        name = self.entry.name
        if self.choices is not None:
            if all(type(c) in _CATEGORICAL for c in self.choices):
                return trial.suggest_categorical(name, [cast(Value, c) for c in self.choices])
            # Optuna stores only scalars: a list, tuple... is drawn by its source text.
            shown = {repr(c): c for c in self.choices}
            return shown[trial.suggest_categorical(name, list(shown))]
        if self.kind == "int":
            return trial.suggest_int(name, int(self.low), int(self.high), log=self.log)
        return trial.suggest_float(name, self.low, self.high, log=self.log)


def _space(entry: Entry) -> _Space:
    """The space of ``entry`` (which has ``choices=`` or ``range=``); raises
    :class:`SearchSpaceError` when it gives none."""
    spec = entry.spec
    if spec.choices is not None:
        if len({repr(c) for c in spec.choices}) < len(spec.choices):
            raise _error(entry, "has two choices written alike; Optuna could not tell them apart")
        return _Space(entry, choices=spec.choices)
    low, high = spec.bounds or (None, None)
    if low is None or high is None:
        raise _error(entry, "has a range with an open side; Optuna needs both bounds")
    log = entry.spec.scale == "log"
    if log and low <= 0:
        raise _error(entry, f"has a log scale starting at {low}; it must start above 0")
    if spec.kind not in ("int", "float"):
        raise _error(entry, f"has a range but its default is not a number ({spec.type_name})")
    return _Space(entry, kind=spec.kind, low=low, high=high, log=log)


def _has_space(entry: Entry) -> bool:
    return entry.spec.choices is not None or entry.spec.bounds is not None


def suggest(
    trial: optuna.trial.Trial, hp_mgr: Manager, names: Collection[str] | None = None
) -> dict[str, object]:
    """The values of ``trial`` for every hyper-parameter of ``hp_mgr`` with a space
    (``choices=``, ``range=``), or for the ``names`` given (a group name selects the
    names below it), to pass to ``set_values``. Raises :class:`SearchSpaceError` for a
    hint that gives no space or cannot be honoured (nothing is drawn then)."""
    found, unmapped = entries(hp_mgr.get_values(), hp_mgr.get_occurrences())
    wanted = [e for e in found if _selected(e.name, names) and _has_space(e)]
    for bad in unmapped:
        if _selected(bad.name, names):
            raise SearchSpaceError(bad.message, path=bad.path, line=bad.line, column=bad.column)
    spaces = [_space(entry) for entry in wanted]  # every space checked before any draw
    return {space.entry.name: space.draw(trial) for space in spaces}
