"""Options every scanning command shares, as click decorators and one settings object.

:func:`scan_options` adds ``[PATHS]...``, ``--exclude``, ``--extend-exclude``,
``--placeholder``, ``-j/--jobs`` and ``--no-cache`` to a command and hands it one
:class:`ScanOptions`, merged with ``[tool.hpman]`` from the nearest ``pyproject.toml``
(the command line wins):

```python
@click.command("rename")
@click.argument("old")
@click.argument("new")
@scan_options
def rename(old: str, new: str, scan: ScanOptions) -> int:
    indexes = scan.index()  # one FileIndex per file, cached, in parallel
```

Part of the command-line layer: a missing path or a bad ``[tool.hpman]`` is raised as
the library's error, which :mod:`hpman_cst.cli.exits` turns into exit status 2.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import click

from ..cache import Cache, IndexCache
from ..config import Config, load_config, placeholder_error
from ..discover import Discovery, Excluder, discover
from ..records import FileIndex
from ..scan import Scan

__all__ = [
    "ScanOptions",
    "file_options",
    "resolve_scan_options",
    "scan_options",
]

R = TypeVar("R")


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
        """The files to read; raises :class:`~hpman_cst.exceptions.PathNotFound` for a
        missing path."""
        return discover(self.paths, exclude=self.exclude)

    def index_cache(self) -> IndexCache | None:
        """The per-file cache for these options, or ``None`` with ``--no-cache``."""
        if not self.use_cache:
            return None
        return IndexCache(Cache(), self.paths, self.placeholders)

    def scan(self, files: Sequence[str]) -> Scan:
        """Read ``files`` and prepare their index (cache looked up at ``run``)."""
        return Scan(files, self.placeholders, self.index_cache())

    def index(self, prepare: Callable[[], object] | None = None) -> list[FileIndex]:
        """Discover and index: one :class:`FileIndex` per file, in sorted path order,
        then one per folder that could not be read. ``prepare`` runs while workers parse
        (see :meth:`Scan.run`)."""
        found = self.discover()
        indexes = self.scan(found.files).run(self.jobs, prepare=prepare)
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
    extend_exclude: Sequence[str] = (),
) -> ScanOptions:
    """Merge command-line values (``None`` or empty: not given) with ``[tool.hpman]``.
    ``exclude`` replaces the file's ``exclude``; ``extend_exclude`` adds to it."""
    paths = tuple(paths) or (".",)
    config = load_config(paths)  # raises ConfigError
    # The command line replaces the file's patterns (which are relative to its folder).
    excluder = Excluder(exclude) if exclude else Excluder(config.exclude or (), config.base)
    excluder.add(extend_exclude)
    chosen_jobs = jobs if jobs is not None else config.jobs
    return ScanOptions(
        paths=paths,
        placeholders=tuple(placeholders) or config.placeholders or ("_",),
        exclude=excluder,
        jobs=chosen_jobs or None,
        use_cache=not no_cache and config.cache is not False,
        config=config,
    )


_FILE_PARAMETERS: list[Callable[[Callable[..., object]], Callable[..., object]]] = [
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
        "--extend-exclude",
        multiple=True,
        metavar="GLOB",
        help="Like --exclude, but adds to `exclude` of [tool.hpman] instead of replacing it."
        " Repeatable.",
    ),
]

_SCAN_PARAMETERS: list[Callable[[Callable[..., object]], Callable[..., object]]] = [
    *_FILE_PARAMETERS,
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
    """Add ``[PATHS]...``, ``--exclude``, ``--extend-exclude``, ``--placeholder``,
    ``-j/--jobs`` and ``--no-cache`` to a click command; it then receives one keyword argument
    ``scan: ScanOptions`` instead. Put it right above the function, below the command's
    own arguments, so that ``PATHS`` comes last."""

    @functools.wraps(command)
    def wrapper(
        *args: object,
        paths: tuple[str, ...],
        exclude: tuple[str, ...],
        extend_exclude: tuple[str, ...],
        placeholders: tuple[str, ...],
        jobs: int | None,
        no_cache: bool,
        **kwargs: object,
    ) -> R:
        kwargs["scan"] = resolve_scan_options(
            paths, exclude, placeholders, jobs, no_cache, extend_exclude
        )
        return command(*args, **kwargs)

    decorated: Callable[..., object] = wrapper
    for parameter in reversed(_SCAN_PARAMETERS):
        decorated = parameter(decorated)
    return wrapper


def file_options(command: Callable[..., R]) -> Callable[..., R]:
    """Like :func:`scan_options` for a command that reads files without indexing them
    (``hpman migrate``): ``[PATHS]...``, ``--exclude`` and ``--extend-exclude`` only, since
    ``--placeholder``, ``-j`` and ``--no-cache`` would change nothing there."""

    @functools.wraps(command)
    def wrapper(
        *args: object,
        paths: tuple[str, ...],
        exclude: tuple[str, ...],
        extend_exclude: tuple[str, ...],
        **kwargs: object,
    ) -> R:
        kwargs["scan"] = resolve_scan_options(paths, exclude, (), None, True, extend_exclude)
        return command(*args, **kwargs)

    decorated: Callable[..., object] = wrapper
    for parameter in reversed(_FILE_PARAMETERS):
        decorated = parameter(decorated)
    return wrapper
