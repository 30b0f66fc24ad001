"""``bind(parser, _)``: every hyper-parameter on an argparse command line (a drop-in for
``hpargparse.bind`` 0.14).

After ``_.parse_file(...)``, ``bind`` adds one option per hyper-parameter that has a value
(``--num-layers`` for ``num_layers``; ``--num_layers`` is accepted too), typed from its
value and honouring the ``help=``, ``choices=``, ``required=`` and ``range=`` hints, plus
the actions ``--hp-load``, ``--hp-save``, ``--hp-list``, ``--hp-detail``,
``--hp-serial-format`` and ``--hp-exit``. Parsing then applies, in this order: the loaded
file, the command line, the save, the listings, the exit.

Bad input (a malformed value, a value outside ``choices``/``range``, an unknown name or a
bad value in a loaded file, a missing or unparsable file) is one argparse error line and
exit status 2, and nothing is saved.

Stdlib only at import time (PyYAML and tabulate are loaded when a file or table needs them).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from .binding import (
    LIST_FORMATS,
    SERIAL_FORMATS,
    ActionFailed,
    Manager,
    action_options,
    actions_to_inject,
    default_text,
    help_text,
    hyper_parameter_owner,
    option_collision,
    option_string,
    run_actions,
)
from .binding import specs_for as _specs_for
from .exceptions import InvalidValue
from .hints import ValueSpec, parse_text

__all__ = ["bind"]


def bind(
    parser: argparse.ArgumentParser,
    hp_mgr: Manager,
    *,
    inject_actions: bool | Sequence[str] = True,
    action_prefix: str = "hp",
    serial_format: str = "auto",
    show_defaults: bool = True,
) -> None:
    """Add the hyper-parameters of ``hp_mgr`` and the ``--hp-*`` actions to ``parser``.

    ``inject_actions`` is ``True`` (all of ``save``, ``load``, ``list``, ``detail``),
    ``False`` (none) or a list of them; ``--<prefix>-serial-format`` comes with ``save`` or
    ``load``, ``--<prefix>-exit`` with any action. ``serial_format`` (``auto``, ``yaml`` or
    ``json``) is the default of ``--<prefix>-serial-format``. ``show_defaults`` switches
    the parser to :class:`argparse.ArgumentDefaultsHelpFormatter`.

    Raises :class:`ValueError` for an unknown action or format,
    :class:`~hpman_cst.exceptions.InvalidHint` for a hint that cannot be honoured. Two
    claims on one option string (``_("a_b")`` and ``_("a-b")``, a hyper-parameter named
    like an option the parser has, or like an action) are one argparse error naming
    both (exit status 2, or :class:`argparse.ArgumentError` with ``exit_on_error=False``).
    """
    actions = actions_to_inject(inject_actions)
    if serial_format not in SERIAL_FORMATS:
        raise ValueError(f"serial_format must be one of {', '.join(SERIAL_FORMATS)}")
    specs = _specs_for(hp_mgr)
    if show_defaults:
        parser.formatter_class = argparse.ArgumentDefaultsHelpFormatter
    binding = _Binding(parser, hp_mgr, specs, action_prefix)
    binding.check_collisions(actions)
    binding.add_hyper_parameters()
    binding.add_actions(actions, serial_format)
    parser.parse_known_args = binding.parse_known_args  # type: ignore[method-assign, assignment]
    parser.parse_args = binding.parse_args  # type: ignore[method-assign, assignment]


class _Default:
    """The parser-level default of a hyper-parameter option: tells "not given" apart from
    any given value, and shows the current value in help."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


class _Binding:
    def __init__(
        self,
        parser: argparse.ArgumentParser,
        manager: Manager,
        specs: dict[str, ValueSpec],
        prefix: str,
    ) -> None:
        self.parser = parser
        self.manager = manager
        self.specs = specs
        self.prefix = prefix
        self.original = parser.parse_known_args
        self.dests: dict[str, str] = {}  # hyper-parameter name -> namespace attribute
        self.defaults: dict[str, _Default] = {}
        self.options: dict[str, str] = {}  # spelling with "-" -> option string
        self.action_dests: dict[str, str] = {}

    # -- building --------------------------------------------------------------------

    def check_collisions(self, actions: list[str]) -> None:
        """One argparse error naming both owners when two would claim one option
        string: two hyper-parameters (``a_b``, ``a-b``), one and an option the parser
        has (``--help``, the script's own), or one and an action (``--hp-list``)."""
        owners = [
            (option, f"the parser's option {'/'.join(action.option_strings)}")
            for option, action in self.parser._option_string_actions.items()
        ]
        for name in self.specs:
            option = option_string(name)
            if option is not None:
                owners.append((option, hyper_parameter_owner(self.manager, name)))
        owners += [
            (option, f"the hpman-cst action {option} (action_prefix={self.prefix!r})")
            for option in action_options(actions, self.prefix)
        ]
        message = option_collision(owners)
        if message is not None:
            self._error(message)

    def add_hyper_parameters(self) -> None:
        for name, spec in self.specs.items():
            option = option_string(name)
            if option is None:
                continue
            default = _Default(default_text(self.manager, spec))
            action = self.parser.add_argument(
                option,
                default=default,
                type=_converter(spec),
                metavar=spec.metavar,
                required=spec.required,
                help=help_text(spec),
            )
            self.dests[name] = action.dest
            self.defaults[name] = default
            self.options[option] = option

    def add_actions(self, actions: list[str], serial_format: str) -> None:
        if not actions:
            return
        add = self._add_action
        if "save" in actions:
            add(
                "save",
                help="Save hyper-parameters to a file. The hyper-parameters are saved "
                "after processing of all other options",
                metavar="PATH",
            )
        if "load" in actions:
            add(
                "load",
                help="Load hyper-parameters from a file. The hyper-parameters are loaded "
                "before any other options are processed",
                metavar="PATH",
            )
        if "list" in actions:
            add(
                "list",
                nargs="?",
                const="yaml",
                choices=LIST_FORMATS,
                help="List all hyper-parameters (yaml when no format is given); `detail` "
                "shows where each one is defined, with source context",
            )
        if "detail" in actions:
            add("detail", action="store_true", help=f"Shorthand for --{self.prefix}-list detail")
        if "save" in actions or "load" in actions:
            add(
                "serial-format",
                choices=SERIAL_FORMATS,
                default=serial_format,
                help="Format of the saved and loaded files; `auto` tells it from the "
                "extension (.yaml, .yml, .json)",
            )
        add("exit", action="store_true", help="Process all hyper-parameter actions, then exit")

    def _add_action(self, name: str, **kwargs: Any) -> None:
        option = f"--{self.prefix}-{name}"
        self.action_dests[name] = self.parser.add_argument(option, **kwargs).dest
        self.options[option.replace("_", "-")] = option

    # -- parsing ---------------------------------------------------------------------

    def parse_known_args(
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        return self._parse(args, namespace, strict=False)

    def parse_args(
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        return self._parse(args, namespace, strict=True)[0]

    def _parse(
        self,
        args: Sequence[str] | None,
        namespace: argparse.Namespace | None,
        *,
        strict: bool,
    ) -> tuple[argparse.Namespace, list[str]]:
        argv = self._normalise(sys.argv[1:] if args is None else list(args))
        parsed, extras = self.original(argv, namespace)
        if strict and extras:
            self._error(f"unrecognized arguments: {' '.join(extras)}{self._suggest(extras)}")
        self._process(parsed)
        return parsed, extras

    def _normalise(self, argv: list[str]) -> list[str]:
        """``--num_layers`` becomes ``--num-layers``; an abbreviation of one of our options
        (``--num-layer``) is an error rather than silently accepted."""
        known = self.parser._option_string_actions
        result: list[str] = []
        for i, arg in enumerate(argv):
            if arg == "--":
                return result + argv[i:]
            if arg.startswith("--") and len(arg) > 2:
                option, equals, value = arg.partition("=")
                if option not in known:
                    spelled = self.options.get(option.replace("_", "-"))
                    if spelled is None:
                        self._refuse_abbreviation(option)
                    else:
                        arg = spelled + equals + value
            result.append(arg)
        return result

    def _refuse_abbreviation(self, option: str) -> None:
        matches = [o for o in self.options.values() if o.startswith(option)]
        if matches:
            listed = " or ".join(sorted(matches)[:3])
            self._error(
                f"unrecognized argument {option} (options cannot be abbreviated); "
                f"did you mean {listed}?"
            )

    def _suggest(self, extras: Iterable[str]) -> str:
        options = list(self.parser._option_string_actions)
        for extra in extras:
            if extra.startswith("-"):
                close = difflib.get_close_matches(extra.partition("=")[0], options, n=1)
                if close:
                    return f"; did you mean {close[0]}?"
        return ""

    def _process(self, namespace: argparse.Namespace) -> None:
        given = {
            name: getattr(namespace, dest)
            for name, dest in self.dests.items()
            if getattr(namespace, dest, self.defaults[name]) is not self.defaults[name]
        }
        list_format = "detail" if self._action(namespace, "detail") else None
        try:
            text = run_actions(
                self.manager,
                self.specs,
                given,
                load=self._action(namespace, "load"),
                save=self._action(namespace, "save"),
                list_format=list_format or self._action(namespace, "list"),
                serial_format=self._action(namespace, "serial-format") or "auto",
            )
        except ActionFailed as failed:
            where = "" if failed.action == "set" else f"argument --{self.prefix}-{failed.action}: "
            self._error(f"{where}{failed.error}")
        values = self.manager.get_values()
        for name, dest in self.dests.items():
            if name in values:
                setattr(namespace, dest, values[name])
        if text is not None:
            sys.stdout.write(text)
            sys.stdout.flush()
            self.parser.exit(0)
        if self._action(namespace, "exit"):
            self.parser.exit(0)

    def _action(self, namespace: argparse.Namespace, action: str) -> Any:
        dest = self.action_dests.get(action)
        return None if dest is None else getattr(namespace, dest, None)

    def _error(self, message: str) -> NoReturn:
        if not getattr(self.parser, "exit_on_error", True):
            raise argparse.ArgumentError(None, message)
        self.parser.error(message)


def _converter(spec: ValueSpec) -> Any:
    def convert(text: str) -> object:
        try:
            return parse_text(spec, text)
        except InvalidValue as exc:
            raise argparse.ArgumentTypeError(exc.message) from None

    convert.__name__ = spec.type_name
    return convert
