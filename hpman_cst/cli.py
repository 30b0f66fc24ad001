"""The ``hpman`` command: parse options, call the library, render, set the exit code.

Exit codes: 0 success, 1 the command found problems or refused, 2 usage error.
Only this module prints or exits; errors from the library become one-line messages.

Commands that scan a project share :func:`scan_options` (``[PATHS]...``, ``--exclude``,
``--placeholder``, ``-j/--jobs``, ``--no-cache``, and ``[tool.hpman]`` from
``pyproject.toml``), which hands them one :class:`ScanOptions`.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn, TypeVar

import click

from . import __version__
from .cache import Cache, IndexCache, blake2b, code_fingerprint
from .config import Config, load_config, placeholder_error
from .discover import Discovery, Excluder, discover
from .exceptions import ConfigError, HpmanError, PathNotFound, did_you_mean
from .records import FileIndex
from .registry import Registry, build_registry
from .render import FORMATS, error_lines, render
from .scan import Scan, paused_gc
from .source import SourceText, decode, read_bytes

__all__ = [
    "CommandError",
    "CommandUsageError",
    "ScanOptions",
    "cli",
    "main",
    "resolve_scan_options",
    "scan_options",
]

R = TypeVar("R")


class CommandError(click.ClickException):
    """A one-line error: ``hpman: <message>`` on stderr, exit status 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:  # no "Error:" prefix: messages are located
        click.echo(f"hpman: {self.format_message()}", err=True)


class CommandUsageError(CommandError):
    """A one-line error in what was asked (a missing path, a bad ``[tool.hpman]``):
    exit status 2."""

    exit_code = 2


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


# ---------------------------------------------------------------------------------------
# Shared scanning options


@dataclass(frozen=True)
class ScanOptions:
    """What a scanning command reads, from the command line and ``[tool.hpman]`` (the
    command line wins).

    ``discover()`` finds the files, ``scan(files)`` prepares their index (see
    :class:`hpman_cst.scan.Scan`), ``index()`` does both and returns one
    :class:`FileIndex` per file plus one per unreadable folder.
    """

    paths: tuple[str, ...] = (".",)
    placeholders: tuple[str, ...] = ("_",)
    exclude: Excluder = field(default_factory=Excluder)
    jobs: int | None = None  #: ``None``: all cores
    use_cache: bool = True
    config: Config = field(default_factory=Config)

    def discover(self) -> Discovery:
        """The files to read; a missing path is a :class:`CommandUsageError` (exit 2)."""
        try:
            return discover(self.paths, exclude=self.exclude)
        except PathNotFound as exc:
            raise CommandUsageError(str(exc)) from None

    def index_cache(self) -> IndexCache | None:
        """The per-file cache for these options, or ``None`` with ``--no-cache``."""
        if not self.use_cache:
            return None
        return IndexCache(Cache(), self.paths, self.placeholders)

    def scan(self, files: Sequence[str]) -> Scan:
        """Read ``files`` and prepare their index (cache looked up at ``run``)."""
        return Scan(files, self.placeholders, self.index_cache())

    def index(self) -> list[FileIndex]:
        """Discover and index: one :class:`FileIndex` per file, in sorted path order,
        then one per folder that could not be read."""
        found = self.discover()
        indexes = self.scan(found.files).run(self.jobs)
        return indexes + [FileIndex(p.path, problems=(p,)) for p in found.problems]


def _check_placeholders(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    for value in values:
        problem = placeholder_error(value)
        if problem:
            raise click.BadParameter(problem, ctx=ctx, param=param)
    # Python reads identifiers NFKC-normalised, so must we.
    return tuple(unicodedata.normalize("NFKC", v) for v in values)


def resolve_scan_options(
    paths: Sequence[str],
    exclude: Sequence[str],
    placeholders: Sequence[str],
    jobs: int | None,
    no_cache: bool,
) -> ScanOptions:
    """Merge command-line values (``None`` or empty: not given) with ``[tool.hpman]``."""
    paths = tuple(paths) or (".",)
    try:
        config = load_config(paths)
    except ConfigError as exc:
        raise CommandUsageError(str(exc)) from None
    # The command line replaces the file's patterns (which are relative to its folder).
    excluder = Excluder(exclude) if exclude else Excluder(config.exclude or (), config.base)
    chosen_jobs = jobs if jobs is not None else config.jobs
    return ScanOptions(
        paths=paths,
        placeholders=tuple(placeholders) or config.placeholders or ("_",),
        exclude=excluder,
        jobs=chosen_jobs or None,
        use_cache=not no_cache and config.cache is not False,
        config=config,
    )


_SCAN_PARAMETERS: list[Callable[[Callable[..., object]], Callable[..., object]]] = [
    click.argument(
        "paths", nargs=-1, type=click.Path(exists=True, path_type=str), metavar="[PATHS]..."
    ),
    click.option(
        "--exclude",
        multiple=True,
        metavar="GLOB",
        help="Leave out files and folders matching GLOB: a name (`tests`, `*_pb2.py`) or a"
        " path relative to the current folder (`src/legacy`). Repeatable; replaces"
        " `exclude` of [tool.hpman].",
    ),
    click.option(
        "--placeholder",
        "placeholders",
        multiple=True,
        metavar="NAME",
        callback=_check_placeholders,
        help="The name of the manager in the code (default `_`). Repeatable.",
    ),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=0),
        default=None,
        help="Parse with this many processes (default, or 0: all cores).",
    ),
    click.option(
        "--no-cache",
        is_flag=True,
        help="Neither read nor write the cache of per-file results.",
    ),
]


def scan_options(command: Callable[..., R]) -> Callable[..., R]:
    """Add ``[PATHS]...``, ``--exclude``, ``--placeholder``, ``-j/--jobs`` and
    ``--no-cache`` to a click command; it then receives one keyword argument
    ``scan: ScanOptions`` instead. Put it right above the function, below the command's
    own arguments, so that ``PATHS`` comes last."""

    @functools.wraps(command)
    def wrapper(
        *args: object,
        paths: tuple[str, ...],
        exclude: tuple[str, ...],
        placeholders: tuple[str, ...],
        jobs: int | None,
        no_cache: bool,
        **kwargs: object,
    ) -> R:
        kwargs["scan"] = resolve_scan_options(paths, exclude, placeholders, jobs, no_cache)
        return command(*args, **kwargs)

    decorated: Callable[..., object] = wrapper
    for parameter in reversed(_SCAN_PARAMETERS):
        decorated = parameter(decorated)
    return wrapper


# ---------------------------------------------------------------------------------------
# hpman list


def _source_lines(paths: Sequence[str]) -> dict[str, list[str]]:
    """The lines of each file (as Python splits them, without line ends), for ``detail``;
    files that can no longer be read are left out."""
    sources: dict[str, list[str]] = {}
    for path in paths:
        try:
            text = SourceText(decode(read_bytes(path), path)[0])
        except (OSError, HpmanError):
            continue
        count = len(text.line_starts)
        if text.text.endswith(("\n", "\r")):
            count -= 1  # no line after the last line end
        sources[path] = [text.line_text(n).rstrip("\r\n") for n in range(1, count + 1)]
    return sources


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
    registry: Registry, format: str, names: Sequence[str], read_sources: bool
) -> _Output:
    stderr: list[str] = []
    if names:
        for name in names:
            if registry.get(name) is None and not registry.select([name]).parameters:
                hint = did_you_mean(name, registry.names)
                stderr.append(f"hpman: no hyper-parameter named `{name}`{hint}")
        registry = registry.select(names)
    sources: dict[str, list[str]] = {}
    if format == "detail" and read_sources:
        paths = sorted({o.path for p in registry.parameters for o in p.occurrences})
        sources = _source_lines(paths)
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
    """
    with paused_gc():  # a short run over acyclic records: see paused_gc
        output = _list(scan, format_, names)
    _emit(output)


def _list(scan: ScanOptions, format: str, names: tuple[str, ...]) -> _Output:
    found = scan.discover()
    prepared = scan.scan(found.files)
    memo = None
    if prepared.digest is not None:
        memo = _Memo(scan, format, names, found, prepared.digest)
        remembered = memo.get()
        if remembered is not None:
            return remembered
    indexes = prepared.run(scan.jobs)
    indexes += [FileIndex(p.path, problems=(p,)) for p in found.problems]
    output = _list_output(build_registry(indexes), format, names, read_sources=True)
    if memo is not None:
        memo.put(output)
    return output


def _emit(output: _Output) -> NoReturn:
    click.echo(output.stdout, nl=False)
    for line in output.stderr:
        click.echo(line, err=True)
    click.get_current_context().exit(output.exit_code)


class _Memo:
    """The whole output of a run, remembered under everything it depends on: the paths
    and contents of the files (the scan's digest), the options, the code of hpman-cst and
    of the rendering library. An unchanged project is listed without parsing or
    unpickling anything."""

    def __init__(
        self,
        scan: ScanOptions,
        format: str,
        names: Sequence[str],
        found: Discovery,
        digest: bytes,
    ) -> None:
        self.cache = Cache()
        options = repr((os.getcwd(), scan.paths, scan.placeholders, format, tuple(names)))
        self.name = f"output-{_short_hash(options)}.pickle"
        problems = repr([str(p) for p in found.problems])
        self.key = (
            code_fingerprint() + digest + _library_fingerprint(format).encode() + problems.encode()
        )

    def get(self) -> _Output | None:
        stored = self.cache.load(self.name)
        if (
            isinstance(stored, tuple)
            and len(stored) == 2
            and stored[0] == self.key
            and isinstance(stored[1], _Output)
        ):
            self.cache.touch(self.name)
            return stored[1]
        return None

    def put(self, output: _Output) -> None:
        self.cache.dump(self.name, (self.key, output))


def _short_hash(text: str) -> str:
    return blake2b(text.encode(), digest_size=10).hexdigest()
