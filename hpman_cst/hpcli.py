"""The ``hpcli`` command (hpargparse 0.14's, same interface): the hyper-parameters of some
files as a command line, without writing a script.

``hpcli FILES_OR_DIRS... [--placeholder NAME] [options]`` parses the files with a fresh
manager for the placeholder (``_`` by default), binds every hyper-parameter that has a
value as an option (:func:`hpman_cst.hpargparse.bind`), applies the options given and
lists the result: ``--hp-list`` is on by default (YAML), so every run prints the values
and exits 0. ``--hp-list detail``, ``--hp-save PATH``, ``--hp-load PATH`` and ``-h`` work
as in a bound training script.

Exit codes: 0 success; 1 the files hold a problem (a call that is not valid, conflicting
defaults, a syntax error); 2 usage (a bad option or value, a path that does not exist, a
file that cannot be read or decoded).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import hpargparse
from .exceptions import HpmanError, InvalidArgument, PathNotFound, SourceDecodeError, UnreadableFile
from .runtime import HyperParameterManager

__all__ = ["main"]

PROG = "hpcli"

#: What ``-h`` says before the options of the files (and alone, without files).
DESCRIPTION = (
    "List and set the hyper-parameters of FILES_OR_DIRS (Python files, or folders of them):"
    " each one with a value is an option below; the values after the options given are"
    " printed as YAML (--hp-list on by default)."
)


def _front_parser() -> argparse.ArgumentParser:
    """The two arguments of ``hpcli`` itself; every other argument is left for the bound
    parser (``-h`` too, so that it shows the files' options)."""
    front = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} FILES_OR_DIRS... [--placeholder NAME] [options]",
        description=DESCRIPTION,
        add_help=False,
    )
    front.add_argument("paths", nargs="+", metavar="FILES_OR_DIRS")
    front.add_argument(
        "--placeholder",
        default="_",
        metavar="NAME",
        help="the name of the manager in the files (default: _)",
    )
    return front


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point; ``argv`` defaults to ``sys.argv[1:]``. Exits (always,
    through :class:`SystemExit`) with the status described in the module docstring."""
    args = list(sys.argv[1:] if argv is None else argv)
    front = _front_parser()
    if not [a for a in args if not a.startswith("-")] and {"-h", "--help"} & set(args):
        front.print_help()  # no files: hpcli's own help, not argparse's "required" error
        front.exit(0)
    known, rest = front.parse_known_args(args)
    manager = _parsed(front, known.placeholder, known.paths)
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION)
    parser.exit_on_error = False  # a collision of two options is raised, not exit 2
    try:
        hpargparse.bind(parser, manager)
    except (HpmanError, ValueError, argparse.ArgumentError) as exc:  # a hint, a collision
        _fail(front, str(exc), 1)
    parser.exit_on_error = True
    parser.set_defaults(hp_list="yaml")  # every run lists the values (and exits 0)
    parser.parse_args(rest)
    sys.exit(0)  # not reached: the listing exits


def _parsed(
    front: argparse.ArgumentParser, placeholder: str, paths: list[str]
) -> HyperParameterManager:
    """A fresh manager for ``placeholder`` with ``paths`` parsed; exits with a one-line
    message when that fails."""
    try:
        manager = HyperParameterManager(placeholder)
    except InvalidArgument as exc:
        front.error(f"argument --placeholder: {exc}")
    try:
        return manager.parse_file(tuple(paths))
    except (PathNotFound, UnreadableFile, SourceDecodeError) as exc:
        _fail(front, str(exc), 2)
    except HpmanError as exc:  # a problem in the code: a syntax error, a conflict...
        _fail(front, str(exc), 1)


def _fail(front: argparse.ArgumentParser, message: str, status: int) -> NoReturn:
    # one line: a conflict's message goes on with the source around both places
    first = message.splitlines()[0] if message else message
    front.exit(status, f"{PROG}: error: {first}\n")
