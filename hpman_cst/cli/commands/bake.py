"""``hpman bake RUN_FILE``: a saved run's values written back into the code's defaults
(:mod:`hpman_cst.bake` plans them; the plan is proven and reported as every rewrite is,
:mod:`hpman_cst.cli.rewrite`)."""

from __future__ import annotations

import click

from ...bake import bake
from ...formats.run_keys import read_run_file, read_run_text
from ...refactor.edits import Change
from ...scan import default_jobs
from ...serial import format_for
from ..exits import FINDINGS
from ..options import ScanOptions
from ..output import echo_err
from ..rewrite import Mode, report, rewrite_options
from .refactoring import _load_rewriting, _without_unrelated_broken

__all__ = ["COMMANDS", "bake_command"]


@click.command("bake")
@click.argument("run_file", metavar="RUN_FILE")
@click.option(
    "--only",
    multiple=True,
    metavar="NAME,...",
    help="Bake only these hyper-parameters (comma-separated; repeatable).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="A key that cannot be baked (unknown, another type, outside the hints, a default"
    " that is not a literal) is an error: nothing is written.",
)
@rewrite_options
def bake_command(
    run_file: str, only: tuple[str, ...], strict: bool, mode: Mode, scan: ScanOptions
) -> int:
    """Write the values of the saved run RUN_FILE (YAML or JSON, as --hp-save writes it)
    into the defaults of the code under PATHS.

    Values equal to the current default are left alone; a float is written in the style
    of the default it replaces (1e-3 baked with 0.0003 becomes 3e-4). Keys that cannot be
    baked are reported with the code of `hpman check` (R001 unknown, R002 another type,
    R003 outside the hints, D003/D004 no literal default) and skipped; with --strict they
    are an error. Prints a diff; nothing is written without --write.

    \b
    Examples:
      hpman bake outputs/best/config.yaml
      hpman bake outputs/best/config.yaml --only lr,optim.momentum --write
    """
    _data, text = read_run_file(run_file)  # SerialError: exit 2
    keys = read_run_text(text, format_for(run_file), run_file)
    names = [part.strip() for value in only for part in value.split(",") if part.strip()]
    indexes = scan.index(prepare=_load_rewriting)
    run_names = [k.name for k in keys] + names
    indexes = _without_unrelated_broken(indexes, run_names)
    baked = bake(indexes, keys, only=names or None, placeholders=scan.placeholders)
    notes = [skipped.line(run_file) for skipped in baked.skipped]
    if strict and notes:
        count = len(notes)
        echo_err(notes)
        echo_err(
            [
                f"hpman: {count} key{'s' * (count != 1)} of {run_file} cannot be baked"
                " (--strict); nothing was written"
            ]
        )
        return FINDINGS
    changes: tuple[Change, ...] = ()
    if baked.plan is not None:
        from ...refactor.execute import execute
        from ...refactor.write import write

        changes = execute(baked.plan, jobs=scan.jobs or default_jobs())
        if mode.action == "write":
            write(changes)
    return report(changes, mode, unit="default", notes=notes)


COMMANDS = (bake_command,)
