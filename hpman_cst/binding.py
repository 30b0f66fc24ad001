"""What the argparse and click front-ends (and ``_.save`` / ``_.load``) share: the option
spec of each hyper-parameter of a manager, reading a values file into checked values,
saving, and the listings.

Stdlib only at import time: ``hpargparse`` imports this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, Union

from . import serial
from .convert import display, has_value
from .exceptions import HpmanError, InvalidValue, SerialError, did_you_mean
from .hints import ValueSpec, coerce, spec_for, spec_from_occurrences
from .records import Occurrence

__all__ = [
    "ACTIONS",
    "LIST_FORMATS",
    "SERIAL_FORMATS",
    "ActionFailed",
    "Manager",
    "action_options",
    "actions_to_inject",
    "default_text",
    "help_text",
    "hyper_parameter_owner",
    "left_out",
    "listing",
    "load_values",
    "option_collision",
    "option_string",
    "run_actions",
    "savable_values",
    "save_values",
    "specs_for",
]

PathLike = Union[str, "os.PathLike[str]"]
LIST_FORMATS = ("table", "detail", "yaml", "json")
SERIAL_FORMATS = ("auto", "yaml", "json")
ACTIONS = ("save", "load", "list", "detail")


def actions_to_inject(inject_actions: bool | Sequence[str]) -> list[str]:
    """``inject_actions`` as a list: ``True`` is all of :data:`ACTIONS`, ``False`` none.
    Raises :class:`ValueError` for an unknown action."""
    if inject_actions is True:
        return list(ACTIONS)
    if inject_actions is False:
        return []
    chosen = list(inject_actions)
    unknown = [a for a in chosen if a not in ACTIONS]
    if unknown:
        raise ValueError(f"unknown action {unknown[0]!r}: use some of {', '.join(ACTIONS)}")
    return chosen


class Manager(Protocol):
    """The part of :class:`~hpman_cst.runtime.HyperParameterManager` the front-ends use."""

    def get_values(self) -> dict[str, Any]: ...

    def get_occurrences(self, name: str | None = None) -> tuple[Occurrence, ...]: ...

    def set_values(self, values: Mapping[str, object]) -> Any: ...


def specs_for(manager: Manager) -> dict[str, ValueSpec]:
    """A :class:`ValueSpec` for every hyper-parameter that has a value, in
    ``get_values()`` order (:func:`hpman_cst.hints.spec_from_occurrences`: a hint is taken
    from the first occurrence, in source order, that gives it).
    Raises :class:`~hpman_cst.exceptions.InvalidHint`."""
    occurrences = _by_name(manager.get_occurrences())
    return {
        name: spec_from_occurrences(name, value, occurrences.get(name, ()))
        for name, value in manager.get_values().items()
    }


def _by_name(occurrences: Sequence[Occurrence]) -> dict[str, list[Occurrence]]:
    grouped: dict[str, list[Occurrence]] = {}
    for occurrence in sorted(occurrences, key=Occurrence.sort_key):
        grouped.setdefault(occurrence.name, []).append(occurrence)
    return grouped


def option_string(name: str) -> str | None:
    """The option for hyper-parameter ``name``: ``--`` and the name with ``_`` shown as
    ``-`` (``num_layers`` -> ``--num-layers``; dots and case kept). ``None`` for a name
    no command line can spell (empty, or containing ``=``): such a name can still be
    loaded from a file."""
    if not name or "=" in name:
        return None
    return "--" + name.replace("_", "-")


def action_options(actions: Sequence[str], prefix: str) -> list[str]:
    """The options the ``actions`` (:func:`actions_to_inject`) add under ``prefix``:
    ``--hp-save``... and ``--hp-serial-format`` (with ``save`` or ``load``), ``--hp-exit``
    (with any)."""
    found = [f"--{prefix}-{action}" for action in ACTIONS if action in actions]
    if "save" in actions or "load" in actions:
        found.append(f"--{prefix}-serial-format")
    return [*found, f"--{prefix}-exit"] if actions else found


def hyper_parameter_owner(manager: Manager, name: str) -> str:
    """How a collision message names hyper-parameter ``name``: with where it is given."""
    occurrences = sorted(manager.get_occurrences(name), key=Occurrence.sort_key)
    defined = [o for o in occurrences if o.default is not None] or occurrences
    return f"hyper-parameter `{name}` ({defined[0].location})" if defined else f"`{name}`"


def option_collision(owners: Iterable[tuple[str, str]]) -> str | None:
    """The first option string two owners claim, as one message naming both (``owners``:
    pairs of option string and who claims it, in the order they are added); ``None``
    when every option has one owner. ``_("a_b")`` and ``_("a-b")`` both claim ``--a-b``;
    ``_("help")`` claims the parser's ``--help``."""
    seen: dict[str, str] = {}
    for option, owner in owners:
        first = seen.setdefault(option, owner)
        if first != owner:
            return f"{first} and {owner} would both be the option {option}; rename one of them"
    return None


def help_text(spec: ValueSpec, *, escape: bool = True) -> str:
    """The option's help: the ``help=`` hint, else a sentence naming type and name; the
    ``range=`` hint appended. ``escape`` doubles every ``%`` argparse would expand, except
    in a ``%(...)s`` the ``help=`` hint asks for."""
    if spec.help is not None:
        text = spec.help.replace("%", "%%").replace("%%(", "%(") if escape else spec.help
    else:
        article = "An" if spec.type_name[0] in "aeiou" else "A"
        generated = f"{article} {spec.type_name} hyper-parameter named `{spec.name}`."
        text = generated.replace("%", "%%") if escape else generated
    if spec.bounds is not None:
        low, high = spec.bounds
        text += f" Range: [{'-inf' if low is None else low}, {'inf' if high is None else high}]."
    return text


def default_text(manager: Manager, spec: ValueSpec) -> str:
    """How the current value is shown in help: the value, or for a default that is not a
    literal, its source text (``compute()``)."""
    if has_value(spec.default):
        return display(spec.default)
    for occurrence in manager.get_occurrences(spec.name):
        if occurrence.default is not None:
            return occurrence.default
    return "None"


def load_values(
    manager: Manager,
    specs: Mapping[str, ValueSpec],
    path: PathLike,
    format: str | None = None,
) -> dict[str, object]:
    """The values in the file ``path``, converted and checked like command-line values
    (types, ``choices=``, ``range=``). Tree-shaped files map onto dotted names. Nothing
    is set: the caller applies the result.

    Raises :class:`SerialError` (one line, starting with the path) for a missing or
    unparsable file, an unknown name (with close names) or a bad value.
    """
    known = set(specs) | {o.name for o in manager.get_occurrences()}
    data = serial.load(path, format, names=known)
    unknown = [name for name in data if name not in known]
    if unknown:
        described = ", ".join(f"`{n}`{_suggest(n, known)}" for n in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise SerialError(f"unknown hyper-parameter{plural} {described}", path=str(path))
    values: dict[str, object] = {}
    for name, value in data.items():
        spec = specs.get(name) or spec_for(name, None)
        try:
            values[name] = coerce(spec, value)
        except InvalidValue as exc:
            raise SerialError(f"`{name}`: {exc.message}", path=str(path)) from None
    return values


def _suggest(name: str, known: set[str]) -> str:
    hint = did_you_mean(name, known)
    return f" ({hint[2:]})" if hint else ""


def left_out(manager: Manager) -> list[tuple[str, str]]:
    """The names a values file cannot hold, each with why (:func:`serial.values_text`
    writes them as comments): a default that is not a literal, a value set at run time
    that is not one, a name read but never given a default."""
    values = manager.get_values()
    by_name = _by_name(manager.get_occurrences())
    notes: list[tuple[str, str]] = []
    for name, occurrences in by_name.items():
        if name in values and serial.can_save(values[name]):
            continue
        source = next((o for o in occurrences if o.default is not None), None)
        if source is not None and not source.is_literal:
            notes.append((name, serial.not_literal_note(source.default or "", _at(source))))
        elif name in values and has_value(values[name]):
            notes.append((name, f"{type(values[name]).__name__} value, not a literal"))
        elif name not in values:
            notes.append((name, serial.no_default_note(_at(occurrences[0]))))
    notes += [
        (name, f"{type(value).__name__} value, not a literal")
        for name, value in values.items()
        if name not in by_name and not serial.can_save(value)
    ]
    return notes


def _at(occurrence: Occurrence) -> str:
    from .discover import display_path

    return f"{display_path(occurrence.path).replace(os.sep, '/')}:{occurrence.span.line}"


def savable_values(manager: Manager) -> dict[str, object]:
    """``get_values()`` without the values no file can hold: a default that is not a
    literal, computed or not yet, or an object set at run time (:func:`left_out` names
    them; ``--hp-list`` leaves out the same)."""
    return {k: v for k, v in manager.get_values().items() if serial.can_save(v)}


def save_values(manager: Manager, path: PathLike, format: str | None = None) -> None:
    """Save the current values to ``path`` (see :func:`serial.save`).
    Raises :class:`SerialError`."""
    serial.save(savable_values(manager), path, format, notes=left_out(manager))


def listing(manager: Manager, format: str) -> str:
    """The ``--hp-list`` text: ``yaml`` or ``json`` (the saved form of the current values,
    which loads back as it is), ``table`` or ``detail`` (with source context). Values no
    file can hold (a default that is not a literal, an object set at run time) are left
    out of ``json`` and shown as comments at the end of ``yaml``."""
    values = manager.get_values()
    if format in ("yaml", "json"):
        shown = {k: v for k, v in values.items() if serial.can_save(v)}
        return serial.values_text(shown, "yaml" if format == "yaml" else "json", left_out(manager))
    from .detail_table import render_detail, render_table

    render = render_detail if format == "detail" else render_table
    return render(values, manager.get_occurrences())


class ActionFailed(Exception):
    """An action (``load``, ``save``, ``list``, or ``set`` for the command-line values)
    failed; ``error`` says why. The front-end turns it into its usage error."""

    def __init__(self, action: str, error: HpmanError) -> None:
        super().__init__(f"{action}: {error}")
        self.action = action
        self.error = error


def run_actions(
    manager: Manager,
    specs: Mapping[str, ValueSpec],
    given: Mapping[str, object],
    *,
    load: PathLike | None = None,
    save: PathLike | None = None,
    list_format: str | None = None,
    serial_format: str = "auto",
) -> str | None:
    """Apply the front-end actions in hpargparse's order: read ``load`` (all of it is
    checked before anything is set), set it and then the ``given`` command-line values
    (which win), write ``save``, and return the ``list_format`` listing to print (the
    caller prints it and exits), or ``None``.

    Raises :class:`ActionFailed`; when loading fails nothing is set or saved.
    """
    updates: dict[str, object] = {}
    if load is not None:
        updates.update(_attempt("load", lambda: load_values(manager, specs, load, serial_format)))
    updates.update(given)
    if updates:
        _attempt("set", lambda: manager.set_values(updates))
    if save is not None:
        _attempt("save", lambda: save_values(manager, save, serial_format))
    if list_format is not None:
        text: str = _attempt("list", lambda: listing(manager, list_format))
        return text
    return None


T = TypeVar("T")


def _attempt(action: str, run: Callable[[], T]) -> T:
    try:
        return run()
    except HpmanError as exc:
        raise ActionFailed(action, exc) from None
