"""Validating parsed call sites against a manager's tree before anything is stored.

A :class:`ParseBatch` collects the indexes of the files one ``parse_file`` or
``parse_source`` call reads, checking each occurrence, in the order hpman would push it,
against the tree as it is plus what the batch already holds: the one-default rule (equal
defaults are accepted) and "a name with a value is not also a tree", as
:mod:`hpman_cst.conflicts` decides and words them. The manager commits
the batch only when every file passed, so a failed parse changes nothing.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

from .conflicts import defaults_differ, different_defaults_message, leaf_and_tree_message
from .exceptions import (
    DoubleAssignmentException,
    HpmanError,
    ImpossibleTree,
    SourceDecodeError,
    UnreadableFile,
)
from .records import FileIndex, Occurrence
from .source import decode, read_bytes
from .tree import HyperParamTree

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TypeVar

    E = TypeVar("E", bound=HpmanError)

__all__ = ["ParseBatch", "context_block"]


class ParseBatch:
    """The files of one parse call, checked and waiting to be committed."""

    def __init__(
        self, tree: HyperParamTree, separator: str, texts: Mapping[str, str] | None = None
    ) -> None:
        self.tree = tree
        self.separator = separator
        self.texts = dict(texts or {})
        self.files: list[tuple[str, FileIndex]] = []
        self._defaults: dict[str, Occurrence] = {}  # first default of each name in the batch
        self._branches: dict[str, Occurrence] = {}  # names the batch makes trees, and why

    def add(self, key: str, index: FileIndex) -> None:
        """Check every occurrence of ``index``; raise :class:`ImpossibleTree` or
        :class:`DoubleAssignmentException` at the first one that does not fit."""
        for record in index.occurrences:
            self._check(record)
        self.files.append((key, index))

    def _check(self, record: Occurrence) -> None:
        sep = self.separator
        parts = record.name.split(sep)
        along = self.tree.along(parts)
        for i in range(1, len(parts)):
            ancestor = sep.join(parts[:i])
            tree = along[i - 1] if i <= len(along) else None
            where = self._value_at(ancestor, tree)
            if where is not None:
                message = leaf_and_tree_message(ancestor, record.name, at_leaf=False, value=where)
                raise _error(ImpossibleTree, message, record)
            self._branches.setdefault(ancestor, record)
        if not record.has_default:
            return
        here = along[-1] if len(along) == len(parts) else None
        below = self._below(record.name, here)
        if below is not None:
            name, where = below
            message = leaf_and_tree_message(record.name, name, at_leaf=True, where=where)
            raise _error(ImpossibleTree, message, record)
        first = self._defaults.get(record.name)
        if first is None and here is not None and here.node is not None:
            existing = here.node.default
            first = existing.record if existing is not None else None
        if first is None:
            self._defaults[record.name] = record
        elif defaults_differ(first, record):
            raise self._conflict(first, record)

    def _value_at(self, name: str, tree: HyperParamTree | None) -> str | None:
        # Where `name` gets a value (in the batch or already), or None if it has none.
        staged = self._defaults.get(name)
        if staged is not None:
            return f"default at {staged.location}"
        if tree is None or not tree.has_value or tree.node is None:
            return None
        default = tree.node.default
        if default is not None and default.record is not None:
            return f"default at {default.record.location}"
        return "set at run time"

    def _below(self, name: str, tree: HyperParamTree | None) -> tuple[str, str | None] | None:
        # The first name below `name` (in the batch or already) and where it is, if known.
        staged = self._branches.get(name)
        if staged is not None:
            return staged.name, staged.location
        if tree is not None and tree.children:
            return next(iter(tree.children.values())).full_name, None
        return None

    def _conflict(self, first: Occurrence, second: Occurrence) -> DoubleAssignmentException:
        headline = different_defaults_message(first, second)
        body = (
            f"First occurrence:\n{context_block(first, self.texts.get(first.path))}\n"
            f"Second occurrence:\n{context_block(second, self.texts.get(second.path))}\n"
        )
        return _error(DoubleAssignmentException, f"{headline}\n{body}", second)


def _error(cls: type[E], message: str, at: Occurrence) -> E:
    return cls(message, path=at.path, line=at.span.line, column=at.span.column)


def context_block(record: Occurrence, text: str | None = None) -> str:
    """hpman's source context: ``path:line``, then up to five lines either side, numbered,
    the call's line marked ``==>``. Only ``path:line`` when the source cannot be read."""
    line = record.span.line
    header = f"{record.path}:{line}"
    if text is None:
        try:
            text, _ = decode(read_bytes(record.path), record.path)
        except (OSError, SourceDecodeError, UnreadableFile):
            return header
    lines = text.splitlines()
    first, last = max(1, line - 5), min(len(lines), line + 5)
    width = len(str(last))
    rows = [
        f"{'==> ' if n == line else '    '}{n:>{width}}: {lines[n - 1]}"
        for n in range(first, last + 1)
    ]
    return "\n".join([header, *rows])
