"""The ``hpman`` command: parse options, call the library, render, set the exit code.

Exit codes: 0 success, 1 the command found problems or refused, 2 usage error.
Only this layer (this module and :mod:`hpman_cst.cli.options`) prints or exits; errors from
the library become one-line messages.

Commands that scan a project share :func:`scan_options` (``[PATHS]...``, ``--exclude``,
``--placeholder``, ``-j/--jobs``, ``--no-cache``, and ``[tool.hpman]`` from
``pyproject.toml``), which hands them one :class:`ScanOptions`.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TextIO

import click

from .. import __version__
from ..cache import OutputMemo, code_fingerprint
from ..detail_table import file_lines
from ..diff_color import COLOR_CHOICES, colorize_diff, use_color
from ..exceptions import HpmanError, RefactorRefused, UnreadableFile, did_you_mean, location
from ..index import may_mention
from ..records import FileIndex, ProblemCode
from ..registry import Registry, build_registry
from ..render import (
    FORMATS,
    display_path,
    error_lines,
    rebound_lines,
    render,
    unified_diff,
    visible_carriage_returns,
)
from ..scan import default_jobs, paused_gc
from ..source import read_bytes
from .options import CommandError, CommandUsageError, ScanOptions, scan_options

if TYPE_CHECKING:  # the rewriting modules load libcst: imported only when they run
    from ..apply import Change
    from ..plan import Plan

__all__ = [
    "CommandError",
    "CommandUsageError",
    "ScanOptions",
    "cli",
    "main",
    "scan_options",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


def main() -> None:
    """Console-script entry point."""
    cli()


# ---------------------------------------------------------------------------------------
# hpman list


def _library_fingerprint(format: str) -> str:
    """What the rendering libraries are (their files' sizes and times), without importing
    them."""
    modules = {"table": ("tabulate", "wcwidth"), "detail": ("tabulate", "wcwidth")}
    parts = []
    for module in modules.get(format, ("yaml",) if format == "yaml" else ()):
        try:
            spec = importlib.util.find_spec(module)
            origin = spec.origin if spec is not None else None
            info = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            info = None
        parts.append(f"{module}:{info.st_size}:{info.st_mtime_ns}" if info else f"{module}:-")
    return ";".join(parts)


@dataclass(frozen=True)
class _Output:
    stdout: str
    stderr: tuple[str, ...]
    exit_code: int


def _list_output(
    registry: Registry,
    format: str,
    names: Sequence[str],
    files: int = 0,
    placeholders: Sequence[str] = ("_",),
) -> _Output:
    stderr: list[str] = []
    if not registry.parameters and not names:
        stderr.append(_nothing_found(files, placeholders))
    if names:
        for name in names:
            if registry.get(name) is None and not registry.select([name]).parameters:
                hint = did_you_mean(name, registry.names)
                stderr.append(f"hpman: no hyper-parameter named `{name}`{hint}")
        registry = registry.select(names)
    sources: dict[str, list[str]] = {}
    if format == "detail":
        paths = sorted({o.path for p in registry.parameters for o in p.occurrences})
        sources = {path: lines for path in paths if (lines := file_lines(path)) is not None}
    stdout = render(registry, format, sources)
    problems = error_lines(registry)
    failed = bool(problems) or (bool(names) and bool(stderr))
    notes = rebound_lines(registry)  # not errors: the exit status is unchanged
    return _Output(stdout, tuple(problems + notes + stderr), 1 if failed else 0)


#: The start of the note :func:`_nothing_found` writes (``-q`` leaves it out).
_NOTHING_FOUND = "hpman: no hyper-parameters found in "


def _nothing_found(files: int, placeholders: Sequence[str]) -> str:
    looked_for = ", ".join(f"`{p}`" for p in placeholders)
    return (
        f"{_NOTHING_FOUND}{files} file{'s' * (files != 1)} read (looked for calls of"
        f" {looked_for}); if the manager has another name, pass --placeholder NAME"
    )


@cli.command("list")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table: one row per name; detail: every occurrence with its source;"
    " json: everything, for tools; yaml: name: value, for --hp-load.",
)
@click.option(
    "--name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this hyper-parameter (or the group of dotted names under it). Repeatable.",
)
@click.option("-q", "--quiet", is_flag=True, help="Say nothing when nothing is found.")
@scan_options
def list_command(format_: str, names: tuple[str, ...], quiet: bool, scan: ScanOptions) -> None:
    """List every hyper-parameter under PATHS (default: the current folder).

    Problems (files that do not parse, calls that are not valid, conflicting defaults)
    are printed as `path:line:column: message` on stderr, the rest is still listed, and
    the exit status is 1.

    \b
    Examples:
      hpman list src tests/conftest.py --exclude "*_pb2.py"
      hpman list --name optim --format yaml   only optim.*, as a file --hp-load reads
      hpman list --format detail --name lr    every occurrence, with its source
    """
    with paused_gc():  # a short run over acyclic records: see paused_gc
        output = _list(scan, format_, names)
    if quiet:
        kept = tuple(line for line in output.stderr if not line.startswith(_NOTHING_FOUND))
        output = _Output(output.stdout, kept, output.exit_code)
    _emit(output)


def _list(scan: ScanOptions, format: str, names: tuple[str, ...]) -> _Output:
    found = scan.discover()
    prepared = scan.scan(found.files)
    memo = None
    if prepared.digest is not None:
        # The whole output, remembered under everything it depends on: an unchanged
        # project is listed without parsing or unpickling anything.
        options = (os.getcwd(), *scan.paths, "", *scan.placeholders, format, "", *names)
        problems = [str(p) for p in found.problems]
        key = (prepared.digest, code_fingerprint(), _library_fingerprint(format), *problems)
        memo = OutputMemo(options, key)
        remembered = memo.get()
        if isinstance(remembered, _Output):
            return remembered
    indexes = prepared.run(scan.jobs)
    read = sum(1 for i in indexes if all(p.code is not ProblemCode.UNREADABLE for p in i.problems))
    indexes += [FileIndex(p.path, problems=(p,)) for p in found.problems]
    registry = build_registry(indexes)
    output = _list_output(registry, format, names, read, scan.placeholders)
    if memo is not None:
        memo.put(output)
    return output


def _emit(output: _Output) -> NoReturn:
    click.echo(printable(output.stdout, sys.stdout), nl=False)
    for line in output.stderr:
        click.echo(printable(line, sys.stderr), err=True)
    click.get_current_context().exit(output.exit_code)


def printable(text: str, stream: TextIO) -> str:
    """``text`` as the stream can encode it: what it cannot (a name holding a lone
    surrogate, CJK on a latin-1 console) becomes a backslash escape instead of a crash
    (inside a JSON string, such an escape is valid JSON for the same character)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    return text


# ---------------------------------------------------------------------------------------
# hpman rename / set-default / remove


class UnsafeRewriteError(CommandError):
    """A file that cannot be rewritten safely (it does not parse, libcst does not print it
    back unchanged, or the new text fails verification): exit status 2."""

    exit_code = 2


@dataclass(frozen=True)
class _Mode:
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


def _rewrite_options(
    command: Callable[..., None],
    paths: Callable[[Callable[..., None]], Callable[..., None]] = scan_options,
) -> Callable[..., None]:
    """``--diff`` / ``--write`` / ``--check`` (``--write`` with either other is a usage
    error), ``-q/--quiet``, ``--color``, then ``paths`` (the scan options, or
    :func:`~hpman_cst.cli.options.file_options` for a command that indexes nothing); the
    command receives one ``mode: _Mode``."""

    @functools.wraps(command)
    def wrapper(
        *args: object,
        write: bool,
        check: bool,
        diff: bool,
        quiet: bool,
        color: str,
        **kwargs: object,
    ) -> None:
        _check_modes(write, check, diff)
        action = "write" if write else "check" if check else "diff"
        shows_diff = action == "diff" or diff
        kwargs["mode"] = _Mode(action, shows_diff, quiet, use_color(color, sys.stdout))
        command(*args, **kwargs)

    decorated: Callable[..., None] = paths(wrapper)
    for option in reversed(_MODE_OPTIONS):
        decorated = option(decorated)
    return decorated


_MODE_OPTIONS: list[Callable[[Callable[..., None]], Callable[..., None]]] = [
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


def _load_rewriting() -> None:
    # libcst takes about 0.2 s to import: the scan does it while its workers parse.
    from .. import apply  # noqa: F401


def _rewrite(
    planner: Callable[[list[FileIndex], frozenset[str]], Plan],
    name: str,
    mode: _Mode,
    scan: ScanOptions,
    also: Sequence[str] = (),
) -> None:
    """Plan, prove every new file, then print the diff, name the files ``--check`` would
    rewrite, or write; the summary goes to stderr, with a warning about calls whose name
    is unknown (they may mean ``name``). A file that does not parse blocks the command
    only when its text could hold ``name`` or a name of ``also`` (the new name of a
    rename). Refusals exit 1, files that cannot be rewritten safely exit 2."""
    wanted = frozenset(scan.placeholders)
    try:
        indexes = _without_unrelated_broken(scan.index(prepare=_load_rewriting), (name, *also))
        from ..apply import execute, write

        plan = planner(indexes, wanted)
        changes = execute(plan, jobs=scan.jobs or default_jobs())
        if mode.action == "write":
            write(changes)
    except RefactorRefused as exc:
        raise CommandError(str(exc)) from None
    except HpmanError as exc:
        raise UnsafeRewriteError(str(exc)) from None
    except OSError as exc:  # checked beforehand; a full disk, say
        where = f"{exc.filename}: " if exc.filename else ""
        raise UnsafeRewriteError(f"{where}cannot write: {exc.strerror or exc}") from None
    _report(changes, mode)
    _warn_unknown_names(indexes, name)
    if mode.action == "check" and changes:
        click.get_current_context().exit(1)


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


def _report(changes: Sequence[Change], mode: _Mode, unit: str = "call site") -> None:
    """The diff (unless ``mode`` says otherwise) on stdout, the summary on stderr (each
    change's ``sites`` counted as ``unit``)."""
    if mode.diff:
        diff = unified_diff(changes)
        if _on_terminal(sys.stdout):
            diff = visible_carriage_returns(diff)
        shown = printable(colorize_diff(diff) if mode.color else diff, sys.stdout)
        click.echo(shown, nl=False, color=mode.color or None)
    if not mode.quiet:
        _summary(changes, mode, unit)


def _on_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _summary(changes: Sequence[Change], mode: _Mode, unit: str = "call site") -> None:
    if mode.action == "check":  # as `black --check`: each file, then the count
        for change in changes:
            click.echo(
                printable(f"would rewrite {display_path(change.path)}", sys.stderr), err=True
            )
    files, sites = len(changes), sum(c.sites for c in changes)
    counts = f"{files} file{'s' * (files != 1)}"
    detail = f", {sites} {unit}{'s' * (sites != 1)}" if files else ""
    if mode.action == "write":
        click.echo(f"{counts} changed{detail}", err=True)
    else:
        hint = "; nothing written (use --write to apply)" if mode.action == "diff" and files else ""
        click.echo(f"{counts} would change{detail}{hint}", err=True)


def _warn_unknown_names(indexes: Sequence[FileIndex], name: str) -> None:
    # Calls whose name is not a literal: `_(key)`, and API calls such as `_.get_value(key)`
    # or `_.set_values(config)`.
    unknown = [
        (p.path, p.line or 0, p.column or 0)
        for i in indexes
        for p in i.problems
        if p.code is ProblemCode.NOT_LITERAL_NAME
    ]
    unknown += [(r.path, r.span.line, r.span.column) for i in indexes for r in i.dynamic_refs]
    if unknown:
        where = location(*min(unknown))
        calls = f"{len(unknown)} call{'s' * (len(unknown) != 1)}"
        message = (
            f"hpman: warning: {calls} with a name that is not a string literal, left as"
            f" {'they are' if len(unknown) != 1 else 'it is'} (first: {where}):"
            f" check that none means `{name}`"
        )
        click.echo(printable(message, sys.stderr), err=True)


@cli.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--merge", is_flag=True, help="Allow NEW to be in use if the defaults agree.")
@_rewrite_options
def rename_command(old: str, new: str, merge: bool, mode: _Mode, scan: ScanOptions) -> None:
    """Rename hyper-parameter OLD (and its OLD.* group) to NEW under PATHS.

    Prints a diff of the change; nothing is written without --write.

    \b
    Examples:
      hpman rename lr learning_rate          _('lr', ...) -> _('learning_rate', ...)
      hpman rename optim opt --write         optim.lr -> opt.lr, optim.momentum -> ...
    """
    from ..plan import plan_rename

    _rewrite(
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


@cli.command("set-default", cls=_ValueCommand)
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
@_rewrite_options
def set_default_command(
    name: str,
    value: str,
    allow_type_change: bool,
    expression: bool,
    mode: _Mode,
    scan: ScanOptions,
) -> None:
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
    from ..plan import plan_set_default

    def planner(indexes: list[FileIndex], wanted: frozenset[str]) -> Plan:
        return plan_set_default(
            indexes,
            name,
            value,
            placeholders=wanted,
            allow_type_change=allow_type_change,
            expression=expression,
        )

    _rewrite(planner, name, mode, scan)


@cli.command("remove")
@click.argument("name")
@_rewrite_options
def remove_command(name: str, mode: _Mode, scan: ScanOptions) -> None:
    """Remove hyper-parameter NAME: every call becomes its default's source text.

    Prints a diff; nothing is written without --write.

    \b
    Examples:
      hpman remove num_layers                _('num_layers', 5) * 2 -> 5 * 2
    """
    from ..plan import plan_remove

    _rewrite(
        lambda indexes, wanted: plan_remove(indexes, name, placeholders=wanted), name, mode, scan
    )


# `hpman migrate` lives in its own module, which registers itself on `cli` when imported
# (it uses this module's options and reports, so it is imported last).
from . import migrate  # noqa: E402, F401
