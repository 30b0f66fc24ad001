"""A project as every front-end sees it: settings, discovery, cache and scan, without click.

```python
from hpman_cst.project import load_project, resolve_settings

settings = resolve_settings(["src"], placeholders=["_"])  # + [tool.hpman] of pyproject.toml
project = load_project(settings, overrides={"src/train.py": editor_text})
project.registry.names        # every hyper-parameter
project.findings              # problems and conflicts, as findings with codes
```

:class:`Settings` is what to read (from ``[tool.hpman]`` and arguments; the arguments win);
:func:`load_project` reads it into a :class:`Project`: its files, one
:class:`~hpman_cst.records.FileIndex` per file, the registry and the findings.
``overrides`` gives text from memory for a path (an editor's unsaved buffer, a notebook
cell), read instead of the file, which need not exist; that text is never cached (it
changes at every keystroke) and the disk is never touched for it.

The command line (:mod:`hpman_cst.cli.options` adapts click's options to
:func:`resolve_settings`) and the runtime's folder walk (``_.parse_file(dir)``) use it.
Errors are :mod:`hpman_cst.exceptions`. Loads no third-party module: the runtime imports
it when it parses a folder.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .cache import Cache, IndexCache
from .config import Config, load_config, placeholder_error
from .discover import Discovery, Excluder, discover
from .exceptions import InvalidArgument
from .index import index_bytes, index_source
from .notebook import index_notebook, is_notebook
from .records import FileIndex
from .scan import Scan, paused_gc

if TYPE_CHECKING:
    from .records import Finding
    from .registry import Registry

__all__ = ["Overrides", "Project", "Settings", "load_project", "resolve_settings"]

#: Text from memory by path, read instead of the file (str: decoded text; bytes: the
#: file's bytes, decoded as Python does).
Overrides = Mapping[str, "str | bytes"]


@dataclass(frozen=True)
class Settings:
    """What to read: ``paths`` (files and folders), calls of which ``placeholders``,
    leaving out what ``exclude`` matches, with up to ``jobs`` processes (``None``: all
    cores), through the cache unless ``use_cache`` is false. ``config`` is the
    ``[tool.hpman]`` they were merged with. ``as_given``: show paths as given (the
    runtime's spelling) rather than normalised (the command line's)."""

    paths: tuple[str, ...] = (".",)
    placeholders: tuple[str, ...] = ("_",)
    exclude: Excluder = field(default_factory=Excluder)
    jobs: int | None = None  #: ``None``: all cores
    use_cache: bool = True
    config: Config = field(default_factory=Config)
    as_given: bool = False
    #: Read ``.ipynb`` files met in folders too (the command line; not the runtime).
    notebooks: bool = False

    def discover(self) -> Discovery:
        """The files to read; raises :class:`~hpman_cst.exceptions.PathNotFound` for a
        missing path."""
        return discover(
            self.paths, exclude=self.exclude, as_given=self.as_given, notebooks=self.notebooks
        )

    def index_cache(self) -> IndexCache | None:
        """The per-file cache for these settings, or ``None`` without a cache."""
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


def resolve_settings(
    paths: Sequence[str] = (),
    *,
    exclude: Sequence[str] = (),
    extend_exclude: Sequence[str] = (),
    placeholders: Sequence[str] = (),
    jobs: int | None = None,
    no_cache: bool = False,
) -> Settings:
    """Merge arguments (empty or ``None``: not given) with ``[tool.hpman]`` of the
    ``pyproject.toml`` nearest to ``paths`` (default: the current folder). ``exclude``
    replaces the file's ``exclude``; ``extend_exclude`` adds to it.

    Raises :class:`~hpman_cst.exceptions.ConfigError` for a bad ``[tool.hpman]`` and
    :class:`~hpman_cst.exceptions.InvalidArgument` for a placeholder that is not an
    identifier."""
    for name in placeholders:
        problem = placeholder_error(name)
        if problem:
            raise InvalidArgument(problem)
    chosen = tuple(paths) or (".",)
    config = load_config(chosen)
    # The arguments replace the file's patterns (which are relative to its folder).
    excluder = Excluder(exclude) if exclude else Excluder(config.exclude or (), config.base)
    excluder.add(extend_exclude)
    # Python reads identifiers NFKC-normalised, so must we.
    given = tuple(unicodedata.normalize("NFKC", p) for p in placeholders)
    chosen_jobs = jobs if jobs is not None else config.jobs
    return Settings(
        paths=chosen,
        placeholders=given or config.placeholders or ("_",),
        exclude=excluder,
        jobs=chosen_jobs or None,
        use_cache=not no_cache and config.cache is not False,
        config=config,
        notebooks=True,
    )


@dataclass(frozen=True)
class Project:
    """What :func:`load_project` read: ``files`` (sorted; a path given only in the
    overrides included), ``indexes`` (one per file, in that order, then one per folder
    that could not be read)."""

    settings: Settings
    files: tuple[str, ...]
    indexes: tuple[FileIndex, ...]

    @cached_property
    def registry(self) -> Registry:
        """Every hyper-parameter of the files, with the problems and conflicts."""
        from .registry import build_registry

        return build_registry(self.indexes)

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """The problems of the files and the conflicts between them, as findings with
        their rule's code, in source order."""
        from .lint.catalog import registry_findings

        return tuple(registry_findings(self.registry))

    def index(self, path: str) -> FileIndex | None:
        """The index of the file ``path`` (spelled as in :attr:`files`), or ``None``."""
        for index in self.indexes:
            if index.path == path:
                return index
        return None


def load_project(
    settings: Settings,
    *,
    overrides: Overrides | None = None,
    prepare: Callable[[], object] | None = None,
) -> Project:
    """Discover, read (through the cache) and index the files of ``settings``; a path of
    ``overrides`` is read from there instead of the disk (matched to a discovered file
    by its absolute path, else added). ``prepare`` runs while workers parse.

    Raises :class:`~hpman_cst.exceptions.PathNotFound` for a missing path; a file that
    cannot be read or parsed is a problem of its index, never an error."""
    found = settings.discover()
    memory = _by_place(overrides or {})
    on_disk = [path for path in found.files if _place(path) not in memory]
    indexes = dict(zip(on_disk, settings.scan(on_disk).run(settings.jobs, prepare=prepare)))
    shown = {_place(path): path for path in found.files}
    with paused_gc():
        for place, (path, text) in memory.items():
            name = shown.get(place, path)
            indexes[name] = _index_text(text, name, settings.placeholders)
    files = tuple(sorted(indexes))
    problems = tuple(FileIndex(p.path, problems=(p,)) for p in found.problems)
    return Project(settings, files, tuple(indexes[f] for f in files) + problems)


def _place(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _by_place(overrides: Overrides) -> dict[str, tuple[str, str | bytes]]:
    return {_place(path): (path, text) for path, text in overrides.items()}


def _index_text(text: str | bytes, path: str, placeholders: Collection[str]) -> FileIndex:
    if isinstance(text, bytes):
        return index_bytes(text, path, tuple(placeholders))
    if is_notebook(path):
        return index_notebook(text, path, tuple(placeholders))
    return index_source(text, path, tuple(placeholders))
