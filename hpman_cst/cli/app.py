"""The ``hpman`` group: its help and version, the commands found in
:mod:`hpman_cst.cli.commands`, and the one place where their errors and statuses become
the process's exit status (:mod:`hpman_cst.cli.exits`)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import click

from .. import __version__
from ..exceptions import HpmanError
from . import commands
from .exits import CLEAN, command_error, exit_with

__all__ = ["HpmanGroup", "add_commands", "cli", "main"]


class HpmanGroup(click.Group):
    """A click group whose commands return their exit status (:data:`~.exits.CLEAN` or
    :data:`~.exits.FINDINGS`) and raise library errors as they come: both are turned into
    the exit status and one line here, by :func:`~.exits.command_error`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            status = super().invoke(ctx)
        except BrokenPipeError:  # a closed pipe (`hpman list | head`): click's own handling
            raise
        except (HpmanError, OSError) as exc:
            raise command_error(exc) from None
        exit_with(status if isinstance(status, int) else CLEAN)
        return status


def add_commands(group: click.Group, package: ModuleType) -> None:
    """Add to ``group`` the ``COMMANDS`` (a sequence of click commands) of each module of
    ``package``, in the order of the modules' names."""
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        loaded = importlib.import_module(f"{package.__name__}.{module.name}")
        for command in loaded.COMMANDS:
            group.add_command(command)


@click.group(cls=HpmanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="hpman")
def cli() -> None:
    """See, change and clean up the hyper-parameters of a Python project.

    Hyper-parameters are the calls `_("name", default)` of an hpman-style manager,
    written anywhere in the code.

    \b
    Examples:
      hpman list                     every hyper-parameter under the current folder
      hpman list --format detail     ... with the source around each occurrence
      hpman rename lr learning_rate  print the diff of a rename (--write applies it)
      hpman set-default lr 3e-4      change a default wherever it is given
      hpman remove num_layers        replace each call by its default
      hpman migrate --write          move the imports from hpman/hpargparse to hpman-cst

    Run `hpman COMMAND --help` for the options of a command.
    """


add_commands(cli, commands)


def main() -> None:
    """Console-script entry point."""
    cli()
