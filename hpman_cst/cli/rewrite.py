"""What the rewriting commands (``rename``, ``set-default``, ``remove``, ``migrate``)
share: the ``--diff`` / ``--write`` / ``--check`` mode with ``-q`` and ``--color``, and
the report (the diff on stdout, the summary on stderr, the exit status)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import click

from ..diff_color import COLOR_CHOICES, colorize_diff, use_color
from ..render import Rewritten, unified_diff, visible_carriage_returns
from ..summaries import Counted, change_summary
from .exits import CLEAN, FINDINGS
from .options import scan_options
from .output import echo, echo_err, on_terminal

__all__ = ["Change", "Mode", "report", "rewrite_options"]


class Change(Rewritten, Counted, Protocol):
    """A proven change as the report shows it: its diff and its count."""


@dataclass(frozen=True)
class Mode:
    """How a rewriting command reports: ``diff`` (the default), ``write`` or ``check``
    (``check`` with ``diff`` prints the diff too), ``quiet``, and whether diffs are
    coloured."""

    action: str = "diff"
    diff: bool = True
    quiet: bool = False
    color: bool = False


def _check_modes(write: bool, check: bool, diff: bool) -> None:
    # ruff and black refuse contradictory modes rather than let one of them win silently.
    if write and (check or diff):
        other = "--check" if check else "--diff"
        raise click.UsageError(f"--write and {other} cannot be used together")


def rewrite_options(
    command: Callable[..., int],
    paths: Callable[[Callable[..., int]], Callable[..., int]] = scan_options,
) -> Callable[..., int]:
    """``--diff`` / ``--write`` / ``--check`` (``--write`` with either other is a usage
    error), ``-q/--quiet``, ``--color``, then ``paths`` (the scan options, or
    :func:`~hpman_cst.cli.options.file_options` for a command that indexes nothing); the
    command receives one ``mode: Mode``."""

    @functools.wraps(command)
    def wrapper(
        *args: object,
        write: bool,
        check: bool,
        diff: bool,
        quiet: bool,
        color: str,
        **kwargs: object,
    ) -> int:
        _check_modes(write, check, diff)
        action = "write" if write else "check" if check else "diff"
        shows_diff = action == "diff" or diff
        kwargs["mode"] = Mode(action, shows_diff, quiet, use_color(color, sys.stdout))
        return command(*args, **kwargs)

    decorated: Callable[..., int] = paths(wrapper)
    for option in reversed(_MODE_OPTIONS):
        decorated = option(decorated)
    return decorated


_MODE_OPTIONS: list[Callable[[Callable[..., int]], Callable[..., int]]] = [
    click.option(
        "--diff",
        is_flag=True,
        help="Print a unified diff of the changes and write nothing (the default; with"
        " --check, print it and exit 1 if anything would change).",
    ),
    click.option("--write", is_flag=True, help="Apply the changes."),
    click.option(
        "--check",
        is_flag=True,
        help="Write nothing; name each file that would change and exit 1 if any would.",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print no summary, only errors and warnings."),
    click.option(
        "--color",
        type=click.Choice(COLOR_CHOICES),
        default="auto",
        show_default=True,
        help="Colour the diff (auto: only on a terminal, and not when NO_COLOR is set).",
    ),
]


def report(
    changes: Sequence[Change],
    mode: Mode,
    unit: str = "call site",
    notes: Sequence[str] = (),
) -> int:
    """Print the diff (unless ``mode`` says otherwise) on stdout, the summary (each
    change's ``sites`` counted as ``unit``) then ``notes`` on stderr; return the exit
    status (``--check`` with changes: :data:`~.exits.FINDINGS`)."""
    if mode.diff:
        diff = unified_diff(changes)
        if on_terminal(sys.stdout):
            diff = visible_carriage_returns(diff)
        echo(colorize_diff(diff) if mode.color else diff, color=mode.color or None)
    if not mode.quiet:
        echo_err(change_summary(changes, mode.action, unit))
    echo_err(notes)
    return FINDINGS if mode.action == "check" and changes else CLEAN
