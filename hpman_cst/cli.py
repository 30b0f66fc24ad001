"""The ``hpman`` command: parse options, call the library, render, set the exit code.

Exit codes: 0 success, 1 the command found problems or refused, 2 usage error.
Only this module prints or exits; errors from the library become one-line messages.
"""

from __future__ import annotations

import click

from . import __version__

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="hpman")
def cli() -> None:
    """See, change and clean up the hyper-parameters of a Python project.

    Hyper-parameters are the calls ``_("name", default)`` of an hpman-style manager,
    written anywhere in the code.
    """


def main() -> None:
    """Console-script entry point."""
    cli()
