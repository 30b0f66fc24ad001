"""The one place where the ``hpman`` command turns errors into exit statuses and messages.

Exit statuses: :data:`CLEAN` (0) nothing to report, :data:`FINDINGS` (1) the command found
problems or refused, :data:`USAGE` (2) a usage error or input that cannot be read (click's
own usage errors exit 2 as well). A command returns :data:`CLEAN` or :data:`FINDINGS`; an
error it raises reaches :func:`command_error` (through the group, see
:mod:`hpman_cst.cli.app`), which picks the status and the one line printed. No other
module of the command line calls ``sys.exit`` or formats an exception.
"""

from __future__ import annotations

import click

from ..exceptions import HpmanError, RefactorRefused

__all__ = [
    "CLEAN",
    "FINDINGS",
    "USAGE",
    "CommandError",
    "CommandUsageError",
    "command_error",
    "exit_with",
    "one_line",
]

CLEAN = 0
FINDINGS = 1
USAGE = 2


class CommandError(click.ClickException):
    """A one-line error: ``hpman: <message>`` on stderr, exit status :data:`FINDINGS`."""

    exit_code = FINDINGS

    def show(self, file: object = None) -> None:  # no "Error:" prefix: messages are located
        click.echo(f"hpman: {self.format_message()}", err=True)


class CommandUsageError(CommandError):
    """A one-line error in what was asked or read (a missing path, a bad ``[tool.hpman]``,
    a file that cannot be read or rewritten safely): exit status :data:`USAGE`."""

    exit_code = USAGE


def command_error(exc: HpmanError | OSError) -> CommandError:
    """The error the user sees for ``exc``: a refusal (:class:`RefactorRefused`) exits
    :data:`FINDINGS`; a missing path, a bad configuration, a file that cannot be read or
    rewritten safely (every other :class:`HpmanError`) and an operating-system error exit
    :data:`USAGE`. The message is the error's located line, kept to one line."""
    if isinstance(exc, RefactorRefused):
        return CommandError(one_line(str(exc)))
    if isinstance(exc, HpmanError):  # before OSError: PathNotFound is both
        return CommandUsageError(one_line(str(exc)))
    where = f"{exc.filename}: " if exc.filename else ""
    return CommandUsageError(one_line(f"{where}cannot read or write: {exc.strerror or exc}"))


#: The characters ``str.splitlines`` ends a line at, as Python escapes them.
_LINE_BREAKS = {
    ord(c): c.encode("unicode_escape").decode("ascii")
    for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
}


def one_line(message: str) -> str:
    """``message`` with each line break escaped (a name may hold one: ``_('a\\nb')``),
    so that an error is one line."""
    return message.translate(_LINE_BREAKS)


def exit_with(status: int) -> None:
    """End the command with ``status`` (:data:`CLEAN` returns: click ends the run)."""
    if status != CLEAN:
        raise click.exceptions.Exit(status)
