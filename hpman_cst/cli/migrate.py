"""``hpman migrate [PATHS]``: move a project from hpman 0.13 and hpargparse 0.14 to
hpman-cst by rewriting its imports (see :mod:`hpman_cst.migrate`).

The rewriting commands' options and reports (``--diff`` by default, ``--write``,
``--check``, ``-q``, ``--color``; exit 0, 1 when ``--check`` finds files to change, 2 when
a file cannot be rewritten safely): every file is planned and proven before any is
written. Notes about imports left as they were go to stderr, one line each, and do not
change the exit status.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING

import click

from ..exceptions import HpmanError
from . import UnsafeRewriteError, _Mode, _report, _rewrite_options, cli, printable
from .options import ScanOptions, file_options

if TYPE_CHECKING:  # libcst: loaded only when the command runs
    from ..apply import Change
    from ..migrate import Note
from ..scan import paused_gc
from ..source import read_bytes

__all__ = ["migrate_command"]


@cli.command("migrate")
@functools.partial(_rewrite_options, paths=file_options)
def migrate_command(mode: _Mode, scan: ScanOptions) -> None:
    """Rewrite the hpman and hpargparse imports under PATHS to hpman-cst's.

    `from hpman.m import _` becomes `from hpman_cst.m import _`, `import hpman` becomes
    `import hpman_cst as hpman`, `from hpargparse import bind` becomes
    `from hpman_cst.hpargparse import bind`, and so on; nothing else in a file changes.
    A name without a hpman-cst counterpart (hpman's SourceHelper, hpargparse.hputils)
    is left as it was, with a note. Prints a diff; nothing is written without --write.

    \b
    Examples:
      hpman migrate                  the diff for the current folder
      hpman migrate src --write      apply it
      hpman migrate --check          exit 1 if anything is left to migrate
    """
    found = scan.discover()
    if found.problems:  # a folder that cannot be read may hold imports to migrate
        raise UnsafeRewriteError(str(found.problems[0]))
    changes: list[Change] = []
    notes: list[Note] = []
    try:
        from ..apply import write
        from ..migrate_prove import migrate_file

        with paused_gc():
            for path in found.files:
                change, file_notes = migrate_file(path, read_bytes(path))
                notes += file_notes
                if change is not None and change.changed:
                    changes.append(change)
        if mode.action == "write":
            write(changes)
    except HpmanError as exc:
        raise UnsafeRewriteError(str(exc)) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise UnsafeRewriteError(f"{where}cannot read or write: {exc.strerror or exc}") from None
    _report(changes, mode, unit="import")
    for note in notes:
        click.echo(printable(str(note), sys.stderr), err=True)
    if mode.action == "check" and changes:
        click.get_current_context().exit(1)
