"""The ``hpman`` command: parse options, call the library, render, set the exit code.

Exit codes: 0 success, 1 the command found problems or refused, 2 usage error.
Only this layer (this module and :mod:`hpman_cst.options`) prints or exits; errors from
the library become one-line messages.

Commands that scan a project share :func:`scan_options` (``[PATHS]...``, ``--exclude``,
``--placeholder``, ``-j/--jobs``, ``--no-cache``, and ``[tool.hpman]`` from
``pyproject.toml``), which hands them one :class:`ScanOptions`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TextIO

import click

from . import __version__
from .cache import OutputMemo, code_fingerprint
from .detail_table import file_lines
from .exceptions import HpmanError, RefactorRefused, did_you_mean, location
from .options import CommandError, CommandUsageError, ScanOptions, scan_options
from .records import FileIndex, Problem, ProblemCode
from .registry import Registry, build_registry
from .render import FORMATS, error_lines, render, unified_diff
from .scan import default_jobs, paused_gc

if TYPE_CHECKING:  # the rewriting modules load libcst: imported only when they run
    from .plan import Plan

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


def _list_output(registry: Registry, format: str, names: Sequence[str]) -> _Output:
    stderr: list[str] = []
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
    stderr = error_lines(registry) + stderr
    return _Output(stdout, tuple(stderr), 1 if stderr else 0)


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
@scan_options
def list_command(format_: str, names: tuple[str, ...], scan: ScanOptions) -> None:
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
    indexes += [FileIndex(p.path, problems=(p,)) for p in found.problems]
    output = _list_output(build_registry(indexes), format, names)
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


def _rewrite_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--write`` / ``--check`` (the last one given wins), then the scan options."""
    command = scan_options(command)
    command = click.option(
        "--check",
        "mode",
        flag_value="check",
        help="Write nothing; exit 1 if anything would change.",
    )(command)
    return click.option(
        "--write", "mode", flag_value="write", help="Apply the changes (default: print a diff)."
    )(command)


def _load_rewriting() -> None:
    # libcst takes about 0.2 s to import: the scan does it while its workers parse.
    from . import apply  # noqa: F401


def _rewrite(
    planner: Callable[[list[FileIndex], frozenset[str]], Plan],
    name: str,
    mode: str | None,
    scan: ScanOptions,
) -> None:
    """Plan, prove every new file, then print the diff or write; the summary goes to
    stderr, with a warning about calls whose name is unknown (they may mean ``name``).
    Refusals exit 1, files that cannot be rewritten safely exit 2."""
    wanted = frozenset(scan.placeholders)
    try:
        indexes = scan.index(prepare=_load_rewriting)
        from .apply import execute, write

        plan = planner(indexes, wanted)
        changes = execute(plan, jobs=scan.jobs or default_jobs())
        if mode == "write":
            write(changes)
    except RefactorRefused as exc:
        raise CommandError(str(exc)) from None
    except HpmanError as exc:
        raise UnsafeRewriteError(str(exc)) from None
    except OSError as exc:  # checked beforehand; a full disk, say
        where = f"{exc.filename}: " if exc.filename else ""
        raise UnsafeRewriteError(f"{where}cannot write: {exc.strerror or exc}") from None
    files, sites = len(changes), sum(c.sites for c in changes)
    counts = f"{files} file{'s' * (files != 1)}"
    detail = f", {sites} call site{'s' * (sites != 1)}" if files else ""
    if mode is None:
        click.echo(printable(unified_diff(changes), sys.stdout), nl=False)
    if mode == "write":
        click.echo(f"{counts} changed{detail}", err=True)
    else:
        hint = "; nothing written (use --write to apply)" if mode is None and files else ""
        click.echo(f"{counts} would change{detail}{hint}", err=True)
    unknown = [p for i in indexes for p in i.problems if p.code is ProblemCode.NOT_LITERAL_NAME]
    if unknown:
        first = min(unknown, key=Problem.sort_key)
        where = location(first.path, first.line, first.column)
        calls = f"{len(unknown)} call{'s' * (len(unknown) != 1)}"
        message = (
            f"hpman: warning: {calls} with a name that is not a string literal, left as"
            f" {'they are' if len(unknown) != 1 else 'it is'} (first: {where}):"
            f" check that none means `{name}`"
        )
        click.echo(printable(message, sys.stderr), err=True)
    if mode == "check" and changes:
        click.get_current_context().exit(1)


@cli.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--merge", is_flag=True, help="Allow NEW to be in use if the defaults agree.")
@_rewrite_options
def rename_command(old: str, new: str, merge: bool, mode: str | None, scan: ScanOptions) -> None:
    """Rename hyper-parameter OLD (and its OLD.* group) to NEW under PATHS.

    Prints a diff of the change; nothing is written without --write.

    \b
    Examples:
      hpman rename lr learning_rate          _('lr', ...) -> _('learning_rate', ...)
      hpman rename optim opt --write         optim.lr -> opt.lr, optim.momentum -> ...
    """
    from .plan import plan_rename

    _rewrite(
        lambda indexes, wanted: plan_rename(indexes, old, new, merge=merge, placeholders=wanted),
        old,
        mode,
        scan,
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
@_rewrite_options
def set_default_command(name: str, value: str, mode: str | None, scan: ScanOptions) -> None:
    """Set the default of hyper-parameter NAME to VALUE wherever it has one.

    VALUE is a Python literal (8, 3e-4, [30, 60], 'adam', None), written as given; a
    bare word stands for a string where the current default is a string. A VALUE that
    starts with `-` goes after `--`. Prints a diff; nothing is written without --write.

    \b
    Examples:
      hpman set-default num_layers 8
      hpman set-default milestones '[30, 60]'
      hpman set-default optimizer adam       'sgd' -> 'adam'
      hpman set-default lr -- -1e-3          a negative number, after --
    """
    from .plan import plan_set_default

    _rewrite(
        lambda indexes, wanted: plan_set_default(indexes, name, value, placeholders=wanted),
        name,
        mode,
        scan,
    )


@cli.command("remove")
@click.argument("name")
@_rewrite_options
def remove_command(name: str, mode: str | None, scan: ScanOptions) -> None:
    """Remove hyper-parameter NAME: every call becomes its default's source text.

    Prints a diff; nothing is written without --write.

    \b
    Examples:
      hpman remove num_layers                _('num_layers', 5) * 2 -> 5 * 2
    """
    from .plan import plan_remove

    _rewrite(
        lambda indexes, wanted: plan_remove(indexes, name, placeholders=wanted), name, mode, scan
    )
