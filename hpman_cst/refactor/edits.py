"""Edits as data: what a refactoring will change, free of any parser (stdlib only).

A :class:`Plan` is a set of text edits per file (:class:`FilePlan`), each file tagged with
its :class:`FileKind`, plus the :class:`Command` records that planned them: a prover of
that file kind (for Python, libcst) knows how to redo each command independently and
check that it agrees with the edits. Plans of several commands merge into one
(:func:`merge`, ``a | b``) and are then proven and written together, all or nothing.

An :class:`Edit` replaces a span of the file's text. Its ``value`` is either the new text
itself or what the materialiser turns into text (see :class:`EditKind`: a string in the
quote style of the one it replaces, a default inlined with the parentheses its place
needs); ``reason`` says why, for people reading a plan.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..exceptions import RefactorRefused
from ..records import FileIndex, Span

__all__ = [
    "Change",
    "Command",
    "Edit",
    "EditKind",
    "FileKind",
    "FilePlan",
    "Plan",
    "merge",
]


class FileKind(enum.Enum):
    """What a file holds, and so which prover checks its edits."""

    PYTHON = "python"
    YAML = "yaml"
    JSON = "json"
    SHELL = "shell"
    NOTEBOOK = "notebook"


class EditKind(enum.Enum):
    """How an edit's new text is made from its value."""

    STRING = "string"  # a str literal with this value, in the style of the one replaced
    EXPRESSION = "expression"  # this source text, as given
    INLINE = "inline"  # this source text replacing a whole call, parenthesised as needed
    NAME = "name"  # this identifier, as given (a keyword of dict(...))
    INSERT = "insert"  # this text inserted (the comments of a removed call, before its line)


@dataclass(frozen=True)
class Command:
    """A command as a prover needs it to redo the command's edits on its own: its name
    (``"rename"``, ``"set-default"``, ``"remove"``) and its arguments by name."""

    name: str
    arguments: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, command: str, /, **arguments: str) -> Command:
        """The command named ``command`` with ``arguments``."""
        return cls(command, tuple(arguments.items()))

    def __getitem__(self, key: str) -> str:
        """The argument ``key``; raises :class:`KeyError` if the command has none."""
        for name, value in self.arguments:
            if name == key:
                return value
        raise KeyError(key)

    def __str__(self) -> str:
        return " ".join([self.name, *(value for _, value in self.arguments)])


@dataclass(frozen=True)
class Edit:
    """Replace the text at ``span`` (from the index) according to ``kind``."""

    span: Span
    kind: EditKind
    value: str
    #: Part of ``span`` whose text survives the edit (an inlined call's default).
    keep: Span | None = None
    #: Why: the command that planned it, in words.
    reason: str = ""
    #: The command that planned it (the prover redoes each command's edits on its own).
    command: Command | None = None


def _start(span: Span) -> tuple[int, int]:
    return span.line, span.column


def _end(span: Span) -> tuple[int, int]:
    return span.end_line, span.end_column


@dataclass(frozen=True)
class FilePlan:
    """The edits of one file, in order and disjoint, with what they were planned from
    (for a Python file, its index: the prover checks that the file still indexes so)."""

    path: str
    edits: tuple[Edit, ...]
    kind: FileKind = FileKind.PYTHON
    index: FileIndex | None = None

    def __post_init__(self) -> None:
        for before, after in zip(self.edits, self.edits[1:]):
            if _start(after.span) < _end(before.span) or (
                # two insertions at one place would be ordered by chance
                after.span == before.span and after.command != before.command
            ):
                raise RefactorRefused(
                    f"two edits overlap here ({before.reason or before.kind.value} and"
                    f" {after.reason or after.kind.value}); they cannot be made together:"
                    " run the commands one after the other",
                    path=self.path,
                    line=after.span.line,
                    column=after.span.column,
                )

    def __or__(self, other: FilePlan) -> FilePlan:
        return _merge_file(self, other)


def _merge_file(a: FilePlan, b: FilePlan) -> FilePlan:
    if a.kind is not b.kind or a.index != b.index:
        raise RefactorRefused(
            "the plans were made from different scans of this file; plan them again together",
            path=a.path,
        )
    edits = tuple(sorted((*a.edits, *b.edits), key=lambda e: (_start(e.span), _end(e.span))))
    return FilePlan(a.path, edits, a.kind, a.index)


@dataclass(frozen=True)
class Plan:
    """What one or more commands will change: per-file edits (files in the order they
    were scanned) and the commands that planned them."""

    commands: tuple[Command, ...]
    placeholders: frozenset[str]
    files: tuple[FilePlan, ...]

    @property
    def command(self) -> str:
        """The commands' names, joined by ``+``."""
        return "+".join(c.name for c in self.commands)

    @property
    def sites(self) -> int:
        """How many call sites (and API references) the plan changes."""
        return sum(len(f.edits) for f in self.files)

    def __or__(self, other: Plan) -> Plan:
        return merge(self, other)


def merge(*plans: Plan) -> Plan:
    """One plan making the edits of every plan in ``plans``, proven and written together.

    Raises :class:`RefactorRefused` naming the place where two edits overlap (edit the
    same text), or when the plans were made with different placeholders or from
    different scans of a file."""
    if not plans:
        raise ValueError("merge() needs at least one plan")
    first = plans[0]
    files: dict[str, FilePlan] = {}
    commands: list[Command] = []
    for plan in plans:
        if plan.placeholders != first.placeholders:
            raise RefactorRefused(
                "the plans were made for different placeholders; plan them again together"
            )
        commands += [c for c in plan.commands if c not in commands]
        for file in plan.files:
            files[file.path] = files[file.path] | file if file.path in files else file
    return Plan(tuple(commands), first.placeholders, tuple(files.values()))


@dataclass(frozen=True)
class Change:
    """One file's proven rewrite: old and new bytes and decoded texts."""

    path: str
    old: bytes
    new: bytes
    old_text: str
    new_text: str
    sites: int
    #: The changed ranges, ``(start, end, new start, new end)`` offsets into the texts,
    #: in order: the diff aligns the lines around them only (see :mod:`line_diff`).
    edits: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def changed(self) -> bool:
        return self.old != self.new
