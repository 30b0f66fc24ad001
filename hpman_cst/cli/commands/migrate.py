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
from typing import TYPE_CHECKING

import click

from ...scan import paused_gc
from ...source import read_bytes
from ..exits import CommandUsageError
from ..options import ScanOptions, file_options
from ..rewrite import Mode, report, rewrite_options

if TYPE_CHECKING:  # libcst: loaded only when the command runs
    from ...refactor.edits import Change

__all__ = ["COMMANDS", "migrate_command"]


@click.command("migrate")
@functools.partial(rewrite_options, paths=file_options)
def migrate_command(mode: Mode, scan: ScanOptions) -> int:
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
        raise CommandUsageError(str(found.problems[0]))
    from ...migrate_prove import migrate_file
    from ...refactor.write import write

    changes: list[Change] = []
    notes: list[str] = []
    with paused_gc():
        for path in found.files:
            change, file_notes = migrate_file(path, read_bytes(path))
            notes += [str(note) for note in file_notes]
            if change is not None and change.changed:
                changes.append(change)
    if mode.action == "write":
        write(changes)
    return report(changes, mode, unit="import", notes=notes)


COMMANDS = (migrate_command,)
