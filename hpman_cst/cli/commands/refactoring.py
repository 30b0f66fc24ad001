"""``hpman rename``, ``hpman set-default`` and ``hpman remove``: plan the change over the
project, prove every new file, then print the diff, name the files ``--check`` would
rewrite, or write (:mod:`hpman_cst.cli.rewrite` holds the shared mode and report)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from ...exceptions import UnreadableFile
from ...index import may_mention
from ...records import FileIndex, ProblemCode
from ...scan import default_jobs
from ...source import read_bytes
from ...summaries import unknown_names_warning
from ..options import ScanOptions
from ..rewrite import Mode, report, rewrite_options

if TYPE_CHECKING:  # the rewriting modules load libcst: imported only when they run
    from ...refactor.edits import Plan

__all__ = ["COMMANDS", "remove_command", "rename_command", "set_default_command"]


def _load_rewriting() -> None:
    # libcst takes about 0.2 s to import: the scan does it while its workers parse.
    from ...refactor import execute  # noqa: F401


def _rewrite(
    planner: Callable[[list[FileIndex], frozenset[str]], Plan],
    name: str,
    mode: Mode,
    scan: ScanOptions,
    also: Sequence[str] = (),
) -> int:
    """Plan, prove every new file, then report (and write, with ``--write``); a warning
    follows about calls whose name is unknown (they may mean ``name``). A file that does
    not parse blocks the command only when its text could hold ``name`` or a name of
    ``also`` (the new name of a rename). Returns the exit status."""
    wanted = frozenset(scan.placeholders)
    indexes = _without_unrelated_broken(scan.index(prepare=_load_rewriting), (name, *also))
    from ...refactor.execute import execute
    from ...refactor.write import write

    plan = planner(indexes, wanted)
    changes = execute(plan, jobs=scan.jobs or default_jobs())
    if mode.action == "write":
        write(changes)
    warning = unknown_names_warning(indexes, name)
    return report(changes, mode, notes=() if warning is None else (warning,))


def _without_unrelated_broken(indexes: list[FileIndex], names: Sequence[str]) -> list[FileIndex]:
    """``indexes`` without the files that do not parse or decode and whose text cannot
    hold any of ``names`` (:func:`~hpman_cst.index.may_mention`): they cannot concern the
    rewrite. A file that cannot be read at all stays (and blocks it)."""
    kept = []
    for index in indexes:
        codes = {p.code for p in index.problems}
        if not index.parsed and ProblemCode.UNREADABLE not in codes:
            try:
                data = read_bytes(index.path)
            except (OSError, UnreadableFile):
                data = None
            if data is not None and not any(may_mention(data, n) for n in names):
                continue
        kept.append(index)
    return kept


@click.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--merge", is_flag=True, help="Allow NEW to be in use if the defaults agree.")
@rewrite_options
def rename_command(old: str, new: str, merge: bool, mode: Mode, scan: ScanOptions) -> int:
    """Rename hyper-parameter OLD (and its OLD.* group) to NEW under PATHS.

    Prints a diff of the change; nothing is written without --write.

    \b
    Examples:
      hpman rename lr learning_rate          _('lr', ...) -> _('learning_rate', ...)
      hpman rename optim opt --write         optim.lr -> opt.lr, optim.momentum -> ...
    """
    from ...refactor.plan import plan_rename

    return _rewrite(
        lambda indexes, wanted: plan_rename(indexes, old, new, merge=merge, placeholders=wanted),
        old,
        mode,
        scan,
        also=(new,),
    )


class _ValueCommand(click.Command):
    """A command taking a VALUE, which may be a negative number: click reads ``-1e-3`` as
    options (no option of hpman starts with a digit), so its error says what to do."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # (the parser consumes the list)
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            number = next((a for a in given if _NEGATIVE_NUMBER.match(a)), None)
            if number is None or not number.startswith(exc.option_name):
                raise
            message = (
                f"`{number}` is taken for an option; a VALUE that starts with `-` goes after"
                f" `--`: hpman {ctx.info_name} NAME -- {number}"
            )
            raise click.UsageError(message, ctx) from None


_NEGATIVE_NUMBER = re.compile(r"-\.?[0-9]")


@click.command("set-default", cls=_ValueCommand)
@click.argument("name")
@click.argument("value")
@click.option(
    "--allow-type-change",
    is_flag=True,
    help="Accept a VALUE of another type than the current default (the training script's"
    " option then takes that type).",
)
@click.option(
    "--expr",
    "expression",
    is_flag=True,
    help="VALUE is any Python expression (nn.GELU, 2 ** 10), written as given.",
)
@rewrite_options
def set_default_command(
    name: str,
    value: str,
    allow_type_change: bool,
    expression: bool,
    mode: Mode,
    scan: ScanOptions,
) -> int:
    """Set the default of hyper-parameter NAME to VALUE wherever it has one.

    VALUE is a Python literal of the default's type (8, 3e-4, [30, 60], 'adam', None),
    written as given, or what the training script's option accepts: a bare word for a
    string, true/false for a bool. Another type is refused unless --allow-type-change
    (`1` for the float `1e-3`: write `1.0`); an expression needs --expr. A VALUE that
    starts with `-` goes after `--`. Prints a diff; nothing is written without --write.

    \b
    Examples:
      hpman set-default num_layers 8
      hpman set-default milestones '[30, 60]'
      hpman set-default optimizer adam       'sgd' -> 'adam'
      hpman set-default shuffle false        True -> False
      hpman set-default act nn.GELU --expr   an expression
      hpman set-default lr -- -1e-3          a negative number, after --
    """
    from ...refactor.plan import plan_set_default

    def planner(indexes: list[FileIndex], wanted: frozenset[str]) -> Plan:
        return plan_set_default(
            indexes,
            name,
            value,
            placeholders=wanted,
            allow_type_change=allow_type_change,
            expression=expression,
        )

    return _rewrite(planner, name, mode, scan)


@click.command("remove")
@click.argument("name")
@rewrite_options
def remove_command(name: str, mode: Mode, scan: ScanOptions) -> int:
    """Remove hyper-parameter NAME: every call becomes its default's source text.

    Prints a diff; nothing is written without --write.

    \b
    Examples:
      hpman remove num_layers                _('num_layers', 5) * 2 -> 5 * 2
    """
    from ...refactor.plan import plan_remove

    return _rewrite(
        lambda indexes, wanted: plan_remove(indexes, name, placeholders=wanted), name, mode, scan
    )


COMMANDS = (rename_command, set_default_command, remove_command)
