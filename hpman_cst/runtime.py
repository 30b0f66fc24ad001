"""The manager behind ``_``: values, priorities, hints (hpman 0.13 compatible).

Three sources give a hyper-parameter its value, in increasing priority: the default
parsed from the source (``_.parse_file``), the run-time call ``_(name, value)``, and a
setter (``set_value``/``set_values``/``set_tree``). Every change is validated in full
before anything is stored, so a failed call leaves the manager as it was.

The hot path (``_("lr")``, ``_("lr", 0.1)``, ``_.get_value("lr")``) is a flat dict
lookup: ``_values`` holds the effective value of every leaf that has one, and
``_called`` the value last given to ``_(name, value)``; both are kept in step on every
change.

Stdlib only: ``from hpman_cst.m import _`` must stay cheap. Importing this module loads
only ``exceptions`` and ``tree`` (and no ``typing``, ``enum``, ``re``, ``ast`` or
``dataclasses``): the parser and its records are imported by the methods that use them.
"""

from __future__ import annotations

import gc
import os
import sys

from .exceptions import (
    EmptyValue,
    HyperParameterNotFound,
    ImpossibleTree,
    InvalidArgument,
    NotLiteralEvaluable,
)
from .tree import (
    CALLABLE,
    EMPTY,
    PARSED,
    SETTER,
    HyperParameterOccurrence,
    HyperParamNode,
    HyperParamTree,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from types import FrameType
    from typing import Any, TypeVar, Union, overload

    from .exceptions import HpmanError
    from .records import FileIndex, Marker, Occurrence, Problem
    from .staging import ParseBatch

    T = TypeVar("T")
    PathArg = Union[str, "os.PathLike[str]"]
    Paths = Union[PathArg, "list[PathArg]", "tuple[PathArg, ...]"]


__all__ = ["HyperParameterManager", "discover", "manager_for", "watch_ipython"]

_MISSING: Any = object()
_UNNAMED = "<unknown>"  # parse_source's file name when none is given


class HyperParameterManager:
    """Collects hyper-parameters from source code and serves their values.

    ``placeholder`` is the name the parser looks for (``_`` in ``_("lr", 0.1)``);
    ``separator`` splits names into a tree (``"optim.lr"`` is ``lr`` below ``optim``) and
    is honoured everywhere: parsing, ``get_tree``, ``set_tree``, ``tree.get``.

    Raises :class:`InvalidArgument` for a placeholder that is not an identifier or an
    empty separator.
    """

    def __init__(self, placeholder: str = "_", separator: str = ".") -> None:
        if not isinstance(placeholder, str) or not placeholder.isidentifier():
            raise InvalidArgument(f"the placeholder must be an identifier, not {placeholder!r}")
        if not isinstance(separator, str) or not separator:
            raise InvalidArgument(f"the separator must be a non-empty string, not {separator!r}")
        self.placeholder = placeholder
        self.separator = separator
        self.reset()

    def reset(self) -> HyperParameterManager:
        """Forget everything: parsed files, run-time values, setters. Returns ``self``."""
        self.tree = HyperParamTree(self.separator, setter=self._set_item)
        self._values: dict[str, object] = {}
        self._called: dict[str, object] = {}
        self._records: list[Occurrence] = []
        self._files: dict[str, FileIndex] = {}
        self._texts: dict[str, str] = {}  # parse_source() text by file name, for messages
        self._parsed = False
        self._warned: dict[str, str] = {}  # names a setter warned about, once each
        return self

    def __repr__(self) -> str:
        return (
            f"<HyperParameterManager placeholder={self.placeholder!r}:"
            f" {len(self._values)} hyper-parameters>"
        )

    # -- the hot path ----------------------------------------------------------------

    if TYPE_CHECKING:  # the typed variants; the def below is the implementation

        @overload
        def __call__(self, name: str, /, **hints: object) -> Any: ...
        @overload
        def __call__(self, name: str, value: T, /, **hints: object) -> T: ...

    def __call__(self, name: str, value: object = EMPTY, /, **hints: object) -> Any:
        """``_(name)`` is :meth:`get_value`; ``_(name, value)`` records ``value`` with
        run-time priority (above the parsed default, below setters) and returns the value
        that counts. Run-time hints are accepted and ignored, as in hpman.

        Raises :class:`HyperParameterNotFound` (a ``KeyError``) for ``_(name)`` of a name
        without value, :class:`ImpossibleTree` when ``name`` is a tree.
        """
        # Fast path: a get, or the very value object this call site gave last time.
        try:
            if value is EMPTY or self._called[name] is value:
                return self._values[name]
        except KeyError:
            pass
        return self._call(name, value)

    def get_value(self, name: str, raise_exception: bool = True) -> Any:
        """The value of ``name``: a leaf's value, or a branch as a nested dict.

        Raises :class:`HyperParameterNotFound` (a ``KeyError``, with close names) when
        there is none, unless ``raise_exception`` is false: then returns an
        :class:`EmptyValue`.
        """
        try:
            return self._values[name]
        except KeyError:
            return self._lookup(name, raise_exception)

    # -- reading -----------------------------------------------------------------------

    def exists(self, name: str) -> bool:
        """Whether ``name`` has a value (a leaf's, or some value below a branch)."""
        return not isinstance(self.get_value(name, raise_exception=False), EmptyValue)

    def get_values(self) -> dict[str, Any]:
        """``{name: value}`` of every leaf that has a value, in tree order: names in the
        order first seen (files sorted, breadth-first within a file), grouped by branch."""
        return {node.name: node.value for node in self.tree.flatten()}

    def get_nodes(self) -> list[HyperParamNode]:
        """The nodes of the leaves :meth:`get_values` lists, in the same order."""
        return list(self.tree.flatten())

    def get_occurrence(self, name: str) -> HyperParameterOccurrence | None:
        """The occurrence whose value counts for the leaf ``name`` (a default-less one when
        no occurrence has a value); ``None`` for branches and unknown names."""
        tree = self._find(name)
        if tree is None or tree.children or tree.node is None:
            return None
        return tree.node.get()

    def get_occurrences(self, name: str | None = None) -> tuple[Occurrence, ...]:
        """Every parsed call site (the index's records, with columns, end positions and the
        default's source text), files in parse order and each file in source order; only
        those of ``name`` when given."""
        if name is None:
            return tuple(self._records)
        return tuple(r for r in self._records if r.name == name)

    def get_tree(self, prefix: str = "", annotate_dict: bool = False) -> dict[str, Any]:
        """The values below ``prefix`` (the whole tree for ``""``) as nested dicts; ``{}``
        for an unknown prefix. With ``annotate_dict``, dict values are marked
        ``"__is_dict__": True`` so that :meth:`set_tree` keeps them whole.

        Raises :class:`InvalidArgument` when ``prefix`` is a leaf.
        """
        if not isinstance(prefix, str):
            raise TypeError(f"the tree prefix must be a string, not {type(prefix).__name__}")
        tree = self.tree if not prefix else self._find(prefix)
        return {} if tree is None else tree.tree_values(annotate_dict)

    # -- setting -----------------------------------------------------------------------

    def set_value(self, name: str, value: object) -> HyperParameterManager:
        """Give ``name`` a value with the highest (setter) priority. Returns ``self``.

        Any name is stored, as in hpman. Once source has been parsed, a name it does not
        contain, or one below a leaf that has a value (which turns that leaf into a tree),
        gives an :class:`~hpman_cst.exceptions.UnknownHyperParameterWarning` naming close
        names, once per name; a warnings filter can make it an error (then nothing is
        stored).

        Raises :class:`ImpossibleTree` when the name is a tree or lies below a set value.
        """
        return self.set_values({name: value})

    def set_values(self, values: Mapping[str, object]) -> HyperParameterManager:
        """:meth:`set_value` for every item; all or nothing. Returns ``self``.

        Raises ``TypeError`` when ``values`` is not a mapping, and whatever
        :meth:`set_value` raises."""
        if not callable(getattr(values, "items", None)):
            raise TypeError(f"set_values() takes a dict, not {type(values).__name__}")
        items = list(values.items())
        unknown = self._check_setters(items)
        if unknown:
            _warn_unknown(unknown)
            self._warned.update(unknown)
        for name, value in items:
            self._push(HyperParameterOccurrence(name, value, SETTER))
        return self

    def set_tree(self, tree: Mapping[str, object], prefix: str = "") -> HyperParameterManager:
        """Set the leaves of a nested dict, named by joining keys with the separator (below
        ``prefix``). A dict holding ``"__is_dict__": True`` is one value (without the
        marker); the caller's dicts are not modified. All or nothing. Returns ``self``.

        Raises :class:`ImpossibleTree` for a non-string key, ``TypeError`` for a
        non-string prefix, and whatever :meth:`set_values` raises.
        """
        if not isinstance(prefix, str):
            raise TypeError(f"the tree prefix must be a string, not {type(prefix).__name__}")
        flat: dict[str, object] = {}
        self._flatten(tree, [prefix] if prefix else [], flat)
        return self.set_values(flat)

    # -- parsing -----------------------------------------------------------------------

    def parse_file(self, path: Paths) -> HyperParameterManager:
        """Parse files for call sites of the placeholder. ``path`` is a file (parsed
        whatever its extension), a directory (its ``*.py`` files by the rule of ``hpman
        list``, see :func:`discover`), or a list or tuple of those. Files are read once
        each, in sorted order; a file parsed before with the same call sites is skipped,
        one with other call sites replaces what it gave before. All or nothing. Returns
        ``self``.

        Raises :class:`PathNotFound` for a missing path (before reading anything), the
        file's first problem as its error class (:class:`HpmanSyntaxError`,
        :class:`SourceDecodeError`, :class:`NotLiteralNameException`,
        :class:`ArgumentCountError`, :class:`NotLiteralEvaluable`,
        :class:`UnhashableLiteral`, :class:`UnreadableFile`),
        :class:`DoubleAssignmentException` for two different defaults and
        :class:`ImpossibleTree` for a name that is both a leaf and a tree.
        """
        # The cyclic garbage collector is paused while files are read: every ast.parse
        # allocates tens of thousands of nodes, which triggers full collections that walk
        # all the records kept so far, making a parse of N files cost O(N^2) (42 full
        # collections and 45% of the time for 1000 files). Trees and records hold no
        # reference cycles, so reference counting frees everything as before.
        from .project import Settings, load_project

        # Through the content cache of the command line (outside the project, see
        # hpman_cst.cache): a restart with unchanged code parses nothing. In this process
        # only: forking a training process (threads, a GPU context) is not safe.
        settings = Settings(_path_names(path), (self.placeholder,), jobs=1, as_given=True)
        project = load_project(settings)
        collecting = gc.isenabled()
        gc.disable()
        try:
            files = []
            for shown, index in zip(project.files, project.indexes):
                if index.problems:
                    raise _error_for(index.problems[0], self._texts.get(index.path))
                real = os.path.realpath(shown)
                if self._files.get(real) != index:
                    files.append((real, index))
            self._add(files, self._texts)
        finally:
            if collecting:
                gc.enable()
        return self

    def parse_source(
        self, source: str | bytes, filename: str = "<unknown>"
    ) -> HyperParameterManager:
        """Parse source text (or bytes, decoded as Python would) as if read from
        ``filename`` (used in records and messages). Text parsed again under the same
        ``filename`` replaces what that name gave before, as a file parsed again does;
        sources without a name (``"<unknown>"``) accumulate, as in hpman. Raises what
        :meth:`parse_file` raises for a file. Returns ``self``."""
        from .index import index_source
        from .source import decode

        if isinstance(source, bytes):
            source, _ = decode(source, filename)
        index = index_source(source, filename, self.placeholder)
        if index.problems:
            raise _error_for(index.problems[0], source)
        key = filename
        if filename == _UNNAMED:  # sources without a name accumulate, as in hpman
            if index in self._files.values():
                return self
            key = f"{_UNNAMED} {len(self._files)}"
        if self._files.get(key) != index:
            self._add([(key, index)], {**self._texts, filename: source})
        self._texts[filename] = source
        return self

    # -- files of values (see serial.py) -------------------------------------------------

    def save(self, path: PathArg, format: str | None = None) -> HyperParameterManager:
        """Write the current values to ``path`` as YAML or JSON (``format``, or the
        extension). Only values a file can hold exactly are written (see
        :mod:`hpman_cst.serial`); a value no file can hold (a default that is not a
        literal, run or not, an object set at run time) is left out, named in a comment in
        YAML as ``--hp-list`` shows it. Returns ``self``.

        Raises :class:`~hpman_cst.exceptions.SerialError`; then nothing is written.
        """
        from .binding import save_values

        save_values(self, path, format)
        return self

    def load(self, path: PathArg, format: str | None = None) -> HyperParameterManager:
        """Set the values saved in ``path`` (YAML or JSON; a tree-shaped file maps onto
        dotted names), converted and checked as on the command line: each name must be
        known, each value of its default's type and within its ``choices=``/``range=``
        hints. Returns ``self``.

        Raises :class:`~hpman_cst.exceptions.SerialError`; then nothing is set.
        """
        from .binding import load_values, specs_for

        return self.set_values(load_values(self, specs_for(self), path, format))

    # -- internals ---------------------------------------------------------------------

    def _add(self, files: list[tuple[str, FileIndex]], texts: Mapping[str, str]) -> None:
        # Store the call sites of new files, or of files whose contents changed (each
        # keyed by its real path, or by parse_source's file name); all or nothing.
        from .staging import ParseBatch

        if any(key in self._files for key, _ in files):
            self._replace(files, texts)
            return
        batch = ParseBatch(self.tree, self.separator, texts=texts)
        for key, index in files:
            batch.add(key, index)
        self._commit(batch)

    def _replace(self, files: list[tuple[str, FileIndex]], texts: Mapping[str, str]) -> None:
        # A file parsed again with new contents replaces what it contributed: the state
        # is rebuilt from every file's index (a changed file keeps its place in the
        # order), then the setter values and run-time values are put back, except the
        # run-time values of names the file's old version gave a default (the file's code
        # gave them; it gives them again when it runs). Nothing changes on an error.
        from .staging import ParseBatch

        changed = dict(files)
        stale = {
            record.name
            for key in changed
            if key in self._files
            for record in self._files[key].occurrences
            if record.has_default
        }
        runtime = [
            occurrence
            for tree in self.tree.positions()
            if tree.node is not None
            for occurrence in tree.node.db
            if occurrence.rank == SETTER
            or (occurrence.rank == CALLABLE and occurrence.name not in stale)
        ]
        indexes = {**self._files, **changed}
        saved = dict(self.__dict__)
        self.reset()
        self._texts, self._warned = saved["_texts"], saved["_warned"]
        try:
            batch = ParseBatch(self.tree, self.separator, texts=texts)
            for key, index in indexes.items():
                batch.add(key, index)
            self._commit(batch)
            for occurrence in runtime:
                if occurrence.rank == SETTER:
                    self._check_setters([(occurrence.name, occurrence.value)])
                else:
                    self._check_callable(occurrence.name)
                self._push(occurrence)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _commit(self, batch: ParseBatch) -> None:
        from .records import Marker, Occurrence

        for key, index in batch.files:
            self._files[key] = index
            self._records.extend(sorted(index.occurrences, key=Occurrence.sort_key))
            for record in index.occurrences:
                self._push(_parsed_occurrence(record, Marker))
            self._parsed = True  # from now on set_value() knows which names exist

    def _call(self, name: str, value: object) -> Any:
        if not isinstance(value, EmptyValue) and self._called.get(name, _MISSING) is not value:
            self._check_callable(name)
            self._push(HyperParameterOccurrence(name, value, CALLABLE))
        return self.get_value(name)

    def _set_item(self, name: str, value: object) -> None:
        self.set_value(name, value)

    def _find(self, name: str) -> HyperParamTree | None:
        if not isinstance(name, str):
            raise TypeError(f"hyper-parameter names are strings, not {type(name).__name__}")
        return self.tree.find(name.split(self.separator))

    def _known(self) -> Iterator[str]:
        return (tree.full_name for tree in self.tree.positions())

    def _lookup(self, name: str, raise_exception: bool) -> Any:
        tree = self._find(name)
        known: Iterator[str] | tuple[()] = ()
        if tree is None:
            reason, known = "not found", self._known()
        elif tree.children:
            values = tree.tree_values()
            if values:
                return values
            reason = "has no value: no name below it has a default"
        elif tree.node is not None and not tree.node.empty:
            return tree.node.value
        else:
            first = tree.node.get() if tree.node is not None else None
            where = f" ({first.record.location})" if first and first.record else ""
            reason = f"has no value: it is used without a default{where}"
        if not raise_exception:
            return EMPTY
        raise HyperParameterNotFound(name, known, reason=reason)

    def _check_callable(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"hyper-parameter names are strings, not {type(name).__name__}")
        parts = name.split(self.separator)
        along = self.tree.along(parts)
        if len(along) == len(parts) and along[-1].children and not along[-1].has_value:
            below = next(iter(along[-1].children.values())).full_name
            raise ImpossibleTree(
                f"`{name}` is a tree (`{below}` is below it), so"
                f" `{self.placeholder}({name!r}, ...)` cannot give it a value"
            )
        for tree in along[: len(parts) - 1]:
            if not tree.children and tree.has_value:
                raise ImpossibleTree(
                    f"`{tree.full_name}` is a leaf with a value, so `{name}` cannot be below it"
                )

    def _check_setters(self, items: list[tuple[str, object]]) -> dict[str, str]:
        # Raises for a setting that cannot be stored; returns the warnings due, by name.
        unknown: dict[str, str] = {}
        staged: set[str] = set()
        branches: set[str] = set()
        sep = self.separator
        for name, value in items:
            if not isinstance(name, str):
                raise TypeError(f"hyper-parameter names are strings, not {type(name).__name__}")
            if isinstance(value, EmptyValue):
                raise TypeError(f"cannot set `{name}` to an EmptyValue")
            parts = name.split(sep)
            along = self.tree.along(parts)
            here = along[-1] if len(along) == len(parts) else None
            if name in branches or (here is not None and here.children):
                raise ImpossibleTree(f"`{name}` is a tree, so it cannot take a value")
            for i in range(1, len(parts)):
                ancestor = sep.join(parts[:i])
                tree = along[i - 1] if i <= len(along) else None
                node = tree.node if tree is not None else None
                set_here = node is not None and node.top_rank == SETTER
                if ancestor in staged or set_here:
                    raise ImpossibleTree(
                        f"`{ancestor}` has a value from a setter, so `{name}` cannot be below it"
                    )
                branches.add(ancestor)
            if self._parsed and here is None and name not in staged and name not in self._warned:
                unknown[name] = self._unknown_message(name, along[: len(parts) - 1])
            staged.add(name)
        return unknown

    def _unknown_message(self, name: str, ancestors: list[HyperParamTree]) -> str:
        # Why setting `name` deserves a warning: the parsed code does not read it, or it
        # lies below a leaf with a value, which it turns into a tree (as hpman does).
        from .exceptions import did_you_mean

        message = f"`{name}` is not a hyper-parameter of the parsed code (set anyway)"
        leaf = next((t for t in ancestors if t.has_value and not t.children), None)
        if leaf is None:
            return message + did_you_mean(name, self._known())
        node = leaf.node
        top = node.get() if node is not None else None
        record = top.record if top is not None else None
        origin = f"a default ({record.location})" if record is not None else "a value"
        return (
            f"{message}: `{leaf.full_name}` has {origin} and is now a tree, so"
            f" `{self.placeholder}({leaf.full_name!r})` returns a dict"
        )

    def _push(self, occurrence: HyperParameterOccurrence) -> None:
        # Store one validated occurrence and bring the caches up to date. The name is
        # interned: `_("lr")` then finds the key by identity (the compiler interns the
        # literal "lr"), not by comparing characters, about 6 ns of each call.
        name = occurrence.name
        if type(name) is str:
            name = sys.intern(name)
        parts = name.split(self.separator)
        for i in range(1, len(parts)):
            self._values.pop(self.separator.join(parts[:i]), None)
        tree = self.tree._allocate(parts)
        node = tree.node
        if node is None:
            node = tree.node = HyperParamNode(name)
        node._push(occurrence)
        if occurrence.rank == CALLABLE:
            self._called[name] = occurrence.value
        value = node.value
        if tree.children or isinstance(value, EmptyValue):
            self._values.pop(name, None)
        else:
            self._values[name] = value

    def _flatten(self, tree: object, parts: list[str], out: dict[str, object]) -> None:
        annotation = HyperParamTree.DICT_ANNOTATION
        if isinstance(tree, dict):
            level = {k: v for k, v in tree.items() if k != annotation}
            if tree.get(annotation, False) and parts:
                out[self.separator.join(parts)] = level
                return
            for key, value in level.items():
                if not isinstance(key, str):
                    where = self.separator.join(parts) or "the top level"
                    raise ImpossibleTree(
                        f"tree keys must be strings, but {where} has the key {key!r}"
                        f" ({type(key).__name__})"
                    )
                self._flatten(value, [*parts, key], out)
        elif parts:
            out[self.separator.join(parts)] = tree
        else:
            raise TypeError(f"set_tree() takes a dict, not {type(tree).__name__}")


def _parsed_occurrence(record: Occurrence, marker: type[Marker]) -> HyperParameterOccurrence:
    # `marker` is records.Marker, passed in by the caller that imported it.
    value: object = record.value
    if value is marker.NO_DEFAULT:
        value = EMPTY
    elif value is marker.NOT_LITERAL:
        value = NotLiteralEvaluable()
    return HyperParameterOccurrence(
        record.name,
        value,
        PARSED,
        record=record,
        hints=dict(record.hints),
    )


def _warn_unknown(messages: Mapping[str, str]) -> None:
    # One UnknownHyperParameterWarning per name, attributed to the first caller outside
    # this package (set_value -> set_values, set_tree, tree[key] = ... all lead here).
    import warnings

    from .exceptions import UnknownHyperParameterWarning

    level = 1
    frame: FrameType | None = sys._getframe()
    while frame is not None and frame.f_globals.get("__name__", "").startswith("hpman_cst."):
        frame, level = frame.f_back, level + 1
    for message in messages.values():
        warnings.warn(message, UnknownHyperParameterWarning, stacklevel=level)


def _error_for(problem: Problem, text: str | None) -> HpmanError:
    # The error that reports a file's first problem. A syntax error also gets the fields
    # Python's own SyntaxError has (the line's text, the end position), taken from the
    # error Python raises for the same text, so a traceback shows the line and a caret.
    from .exceptions import HpmanError, HpmanSyntaxError, error_for

    error = error_for(problem)
    if isinstance(error, HpmanSyntaxError):
        from .source import ast_parse, decode, read_bytes

        try:
            if text is None:
                text, _ = decode(read_bytes(problem.path), problem.path)
            ast_parse(text, problem.path)
        except SyntaxError as exc:
            if exc.lineno == problem.line:
                error.fill_from(exc)
        except (HpmanError, OSError, ValueError, RecursionError, MemoryError):
            pass  # the file changed or cannot be read again: keep what the index found
    return error


def discover(path: Paths) -> list[tuple[str, str]]:
    """The files ``parse_file(path)`` reads, as ``(path as shown, real path)`` pairs
    sorted by the shown path, one per file. Folders are walked by the rule of ``hpman
    list`` (:mod:`hpman_cst.discover`): ``*.py`` files, leaving out hidden files and
    folders, ``__pycache__``, ``site-packages``, ``node_modules``, virtual environments
    and what git ignores; a path named is always read (a file whatever its name, a
    folder walked). Shown paths are spelled as given (``dir/sub/x.py``).

    Raises :class:`PathNotFound` for a missing entry and ``TypeError`` for something that
    is not a path or a list or tuple of paths."""
    from . import discover as discovery  # only here: it imports re, subprocess, dataclasses

    found = discovery.discover(_path_names(path), as_given=True).files
    return [(shown, os.path.realpath(shown)) for shown in found]


def _path_names(path: Paths) -> tuple[str, ...]:
    # The paths of parse_file's argument, as strings; TypeError for anything else.
    if isinstance(path, (str, os.PathLike)):
        entries: list[PathArg] = [path]
    elif isinstance(path, (list, tuple)):
        entries = list(path)
    else:
        raise TypeError(f"expected a path or a list or tuple of paths, not {type(path).__name__}")
    names: list[str] = []
    for entry in entries:
        name = os.fspath(entry)
        if not isinstance(name, str):
            raise TypeError(f"paths must be str or os.PathLike[str], not {type(name).__name__}")
        names.append(name)
    return tuple(names)


_MANAGERS: dict[str, HyperParameterManager] = {}


def watch_ipython() -> None:
    """In IPython (already imported by the process), keep managers bound to ``_`` after
    cells that display a value (:mod:`hpman_cst.jupyter`); elsewhere, nothing."""
    if "IPython" in sys.modules:
        from .jupyter import keep_managers_bound

        keep_managers_bound()


def manager_for(placeholder: str) -> HyperParameterManager:
    """The process-wide manager for ``placeholder`` (created on first use)."""
    manager = _MANAGERS.get(placeholder)
    if manager is None:
        manager = _MANAGERS.setdefault(placeholder, HyperParameterManager(placeholder))
    return manager
