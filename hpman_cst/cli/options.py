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
from typing import TypeVar

import click

from ..config import placeholder_error
from ..project import Settings, resolve_settings

__all__ = [
    "ScanOptions",
    "file_options",
    "resolve_scan_options",
    "scan_options",
]

R = TypeVar("R")


#: What a scanning command reads: the project API's settings (see
#: :class:`hpman_cst.project.Settings`), made from click's values by
#: :func:`resolve_scan_options`.
ScanOptions = Settings


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
    """Merge command-line values (``None`` or empty: not given) with ``[tool.hpman]``
    (see :func:`hpman_cst.project.resolve_settings`)."""
    return resolve_settings(
        paths,
        exclude=exclude,
        extend_exclude=extend_exclude,
        placeholders=placeholders,
        jobs=jobs,
        no_cache=no_cache,
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
