"""Jupyter notebooks (``.ipynb``) as project files: read, index and edit losslessly.

Each code cell is indexed with the same rule as a ``.py`` file, under the path
``nb.ipynb:cell 3`` (ruff's form: cells are counted from 1 over all cells, markdown
included), so every message names the cell: ``nb.ipynb:cell 3:2:5``. Lines of IPython
syntax (``%magic``, ``!shell``, ``x = !shell``, ``?help``, ``help?``, and every line of a
``%%cell magic`` cell) are masked as nbQA does: replaced by text of the same length that
Python reads as a harmless expression, so positions hold; they are never parsed and never
changed. A cell that parses as Python is not masked at all.

The file is read with :mod:`json` and a small scanner of its own that knows where each
cell's source strings stand in the file's text: an edit replaces only the characters of
the source strings it changes (:func:`edit_sources`), in the file's own escaping, and
never re-serialises (outputs, metadata, key order and indentation stay byte for byte).

Stdlib only: the index imports it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Union

from .records import FileIndex, Problem, ProblemCode

__all__ = [
    "CELL_LINES",
    "Cell",
    "Notebook",
    "NotebookError",
    "cell_indexes",
    "cell_path",
    "edit_sources",
    "index_notebook",
    "is_notebook",
    "json_place",
    "mask",
    "read_notebook",
    "split_cell_path",
]

#: A plan writes a cell's line ``l`` of cell ``n`` as the line ``n * CELL_LINES + l`` of
#: the notebook (see :mod:`hpman_cst.refactor.plan`); no cell may have as many lines.
CELL_LINES = 1_000_000

_CELL_SUFFIX = re.compile(r"^(.*\.ipynb):cell (\d+)$", re.DOTALL)


def is_notebook(path: str) -> bool:
    """Whether ``path`` names a notebook (by its extension)."""
    return path.lower().endswith(".ipynb")


def cell_path(path: str, number: int) -> str:
    """The path under which cell ``number`` (1-based) of notebook ``path`` is indexed."""
    return f"{path}:cell {number}"


def split_cell_path(path: str) -> tuple[str, int] | None:
    """``(notebook path, cell number)`` of a cell's path, ``None`` for any other path."""
    match = _CELL_SUFFIX.match(path)
    return (match.group(1), int(match.group(2))) if match else None


def json_place(path: str) -> dict[str, object]:
    """A path as JSON output writes it: ``{"path": ...}``, and for a notebook cell the
    notebook's path and ``"cell"`` (the line and column that follow are the cell's)."""
    split = split_cell_path(path)
    if split is None:
        return {"path": path}
    return {"path": split[0], "cell": split[1]}


class NotebookError(ValueError):
    """The text is not a notebook this module can read (``line``/``column`` 1-based)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# -- a JSON scanner that keeps where each string stands -------------------------------

_BLANK = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


@dataclass(frozen=True)
class _Str:
    value: str
    start: int  # offset of the opening quote in the file's text
    end: int  # offset after the closing quote


_Node = Union[_Str, "_Array", "_Object", None]


@dataclass(frozen=True)
class _Array:
    items: tuple[_Node, ...]
    start: int
    end: int


@dataclass(frozen=True)
class _Object:
    items: tuple[tuple[str, _Node], ...]

    def get(self, key: str) -> _Node:
        for name, value in self.items:
            if name == key:
                return value
        return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def blank(self) -> None:
        match = _BLANK.match(self.text, self.at)
        assert match is not None
        self.at = match.end()

    def fail(self, what: str) -> NotebookError:
        line = self.text.count("\n", 0, self.at) + 1
        column = self.at - (self.text.rfind("\n", 0, self.at) + 1) + 1
        return NotebookError(f"not a notebook: {what}", line, column)

    def value(self) -> _Node:
        self.blank()
        char = self.text[self.at : self.at + 1]
        if char == "{":
            return self.object()
        if char == "[":
            return self.array()
        if char == '"':
            return self.string()
        match = _SCALAR.match(self.text, self.at)
        if match is None:
            raise self.fail("a JSON value was expected")
        self.at = match.end()
        return None  # numbers and constants are not needed here

    def string(self) -> _Str:
        match = _STRING.match(self.text, self.at)
        if match is None:
            raise self.fail("an unterminated string")
        self.at = match.end()
        return _Str(json.loads(match.group(0)), match.start(), match.end())

    def array(self) -> _Array:
        start = self.at
        self.at += 1
        items: list[_Node] = []
        self.blank()
        if self.text.startswith("]", self.at):
            self.at += 1
            return _Array((), start, self.at)
        while True:
            items.append(self.value())
            self.blank()
            char = self.text[self.at : self.at + 1]
            self.at += 1
            if char == "]":
                return _Array(tuple(items), start, self.at)
            if char != ",":
                self.at -= 1
                raise self.fail("',' or ']' was expected")

    def object(self) -> _Object:
        self.at += 1
        items: list[tuple[str, _Node]] = []
        self.blank()
        if self.text.startswith("}", self.at):
            self.at += 1
            return _Object(())
        while True:
            self.blank()
            if not self.text.startswith('"', self.at):
                raise self.fail("a key was expected")
            key = self.string().value
            self.blank()
            if not self.text.startswith(":", self.at):
                raise self.fail("':' was expected")
            self.at += 1
            items.append((key, self.value()))
            self.blank()
            char = self.text[self.at : self.at + 1]
            self.at += 1
            if char == "}":
                return _Object(tuple(items))
            if char != ",":
                self.at -= 1
                raise self.fail("',' or '}' was expected")


# -- cells ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A code cell: its number (1-based over all cells), its source text (the strings
    joined), the source strings in the file's text, and whether the source is one string
    (rather than a list of lines)."""

    number: int
    source: str
    strings: tuple[_Str, ...]
    one_string: bool
    #: The array of lines in the file's text (``None`` for one string).
    array: _Array | None


@dataclass(frozen=True)
class Notebook:
    """A notebook's text and its code cells."""

    text: str
    cells: tuple[Cell, ...]

    def cell(self, number: int) -> Cell | None:
        """The code cell ``number``, or ``None``."""
        for cell in self.cells:
            if cell.number == number:
                return cell
        return None


def read_notebook(text: str) -> Notebook:
    """The code cells of a notebook's text; raises :class:`NotebookError`."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise NotebookError("not a notebook: too deeply nested") from None
    scanner = _Scanner(text)
    top = scanner.value()
    if not isinstance(top, _Object) or not isinstance(top.get("cells"), _Array):
        raise NotebookError("not a notebook: it has no list of cells")
    cells_node = top.get("cells")
    assert isinstance(cells_node, _Array)
    cells: list[Cell] = []
    for number, node in enumerate(cells_node.items, 1):
        if not isinstance(node, _Object):
            raise NotebookError(f"not a notebook: cell {number} is not an object")
        kind = node.get("cell_type")
        if not isinstance(kind, _Str) or kind.value != "code":
            continue
        source = node.get("source")
        if isinstance(source, _Str):
            cells.append(Cell(number, source.value, (source,), True, None))
        elif isinstance(source, _Array) and all(isinstance(s, _Str) for s in source.items):
            strings = tuple(s for s in source.items if isinstance(s, _Str))
            text_of = "".join(s.value for s in strings)
            cells.append(Cell(number, text_of, strings, False, source))
        else:
            raise NotebookError(f"not a notebook: the source of cell {number} is not text")
    return Notebook(text, tuple(cells))


# -- masking IPython syntax ----------------------------------------------------------

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_ASSIGNED_MAGIC = re.compile(r"[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*=\s*[%!]")


def _lines(text: str) -> list[str]:
    return [m.group(0) for m in _LINES.finditer(text) if m.group(0)]


def _is_magic(stripped: str) -> bool:
    if not stripped or stripped.startswith("#"):
        return False
    return (
        stripped[0] in "%!?"
        or stripped.endswith("?")
        or _ASSIGNED_MAGIC.match(stripped) is not None
    )


def mask(source: str) -> tuple[str, tuple[int, ...]]:
    """``source`` with its IPython lines masked, and the 1-based numbers of the masked
    lines. A line's text is replaced by as many ``0`` (an expression statement), its
    indentation and line break kept; every line of a ``%%`` cell is masked."""
    try:
        ast.parse(source)
        return source, ()
    except (SyntaxError, ValueError):
        pass
    lines = _lines(source)
    first = next((line.strip() for line in lines if line.strip()), "")
    whole = first.startswith("%%")
    masked: list[int] = []
    out: list[str] = []
    following = False  # a masked line ending with a backslash continues on the next
    for number, line in enumerate(lines, 1):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        stripped = body.strip()
        if stripped and (whole or following or _is_magic(stripped)):
            indent = "" if whole else body[: len(body) - len(body.lstrip())]
            out.append(indent + "0" * (len(body) - len(indent)) + ending)
            masked.append(number)
            following = body.endswith("\\")
        else:
            out.append(line)
            following = False
    return "".join(out), tuple(masked)


# -- indexing ------------------------------------------------------------------------


def index_notebook(text: str, path: str, placeholders: str | Collection[str]) -> FileIndex:
    """The index of a notebook's text: every code cell's, under the cell's path."""
    from .index import index_source

    try:
        notebook = read_notebook(text)
    except NotebookError as exc:
        return FileIndex(
            path, problems=(Problem(ProblemCode.SYNTAX, exc.message, path, exc.line, exc.column),)
        )
    parts: list[FileIndex] = []
    for cell in notebook.cells:
        where = cell_path(path, cell.number)
        if cell.source.count("\n") + cell.source.count("\r") >= CELL_LINES - 1:
            problem = Problem(ProblemCode.SYNTAX, "this cell is too long to read", where)
            parts.append(FileIndex(where, problems=(problem,)))
            continue
        masked, _ = mask(cell.source)
        parts.append(index_source(masked, where, placeholders))
    return FileIndex(
        path,
        occurrences=tuple(o for p in parts for o in p.occurrences),
        api_refs=tuple(r for p in parts for r in p.api_refs),
        problems=tuple(q for p in parts for q in p.problems),
        dynamic_refs=tuple(d for p in parts for d in p.dynamic_refs),
        rebound=tuple(r for p in parts for r in p.rebound),
    )


def cell_indexes(index: FileIndex) -> dict[str, FileIndex]:
    """A notebook's index split into one index per cell that has anything, by cell path
    (each as :func:`~hpman_cst.index.index_source` gives it for the masked cell)."""
    paths: dict[str, None] = {}
    records = (index.occurrences, index.api_refs, index.problems)
    for group in (*records, index.dynamic_refs, index.rebound):
        for item in group:
            paths.setdefault(item.path)
    return {
        path: FileIndex(
            path,
            occurrences=tuple(o for o in index.occurrences if o.path == path),
            api_refs=tuple(r for r in index.api_refs if r.path == path),
            problems=tuple(p for p in index.problems if p.path == path),
            dynamic_refs=tuple(d for d in index.dynamic_refs if d.path == path),
            rebound=tuple(r for r in index.rebound if r.path == path),
        )
        for path in paths
    }


# -- lossless edits ------------------------------------------------------------------


def _raw_offsets(text: str, string: _Str) -> list[int]:
    """The offset in ``text`` at which each character of ``string``'s value starts, and
    the offset of its closing quote at the end."""
    offsets: list[int] = []
    at = string.start + 1
    end = string.end - 1
    while at < end:
        offsets.append(at)
        if text[at] != "\\":
            at += 1
            continue
        if text[at + 1] != "u":
            at += 2
            continue
        code = int(text[at + 2 : at + 6], 16)
        at += 6
        if 0xD800 <= code < 0xDC00 and text.startswith("\\u", at):
            low = int(text[at + 2 : at + 6], 16)
            if 0xDC00 <= low < 0xE000:
                at += 6
    offsets.append(end)
    return offsets


def _encoded(value: str, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)[1:-1]


def _string_edit(text: str, string: _Str, new: str, ascii_only: bool) -> tuple[int, int, str]:
    """The smallest replacement of ``string``'s characters making its value ``new``."""
    old = string.value
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old), len(new)) - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    offsets = _raw_offsets(text, string)
    start = offsets[prefix]
    end = offsets[len(old) - suffix]
    return start, end, _encoded(new[prefix : len(new) - suffix], ascii_only)


def _split_lines(source: str) -> list[str]:
    # Jupyter's list form: each line with its "\n" (a "\r" stays inside its line).
    return [m.group(0) for m in re.finditer(r"[^\n]*\n?", source) if m.group(0)]


def edit_sources(notebook: Notebook, sources: Mapping[int, str]) -> str:
    """The notebook's text with the source of each cell in ``sources`` (by number)
    replaced: only the characters of the strings that change are rewritten, escaped as
    JSON requires and in the file's style (``\\uXXXX`` for non-ASCII text only when the
    file holds no raw non-ASCII character and writes such escapes)."""
    text = notebook.text
    ascii_only = text.isascii() and "\\u" in text
    replacements: list[tuple[int, int, str]] = []
    for number, new in sorted(sources.items()):
        cell = notebook.cell(number)
        if cell is None:
            raise NotebookError(f"no code cell {number}")
        if new == cell.source:
            continue
        if cell.one_string:
            replacements.append(_string_edit(text, cell.strings[0], new, ascii_only))
            continue
        replacements.extend(_lines_edit(text, cell, _split_lines(new), ascii_only))
    parts: list[str] = []
    position = 0
    for start, end, value in sorted(replacements):
        parts += [text[position:start], value]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _lines_edit(
    text: str, cell: Cell, new: list[str], ascii_only: bool
) -> list[tuple[int, int, str]]:
    old = [s.value for s in cell.strings]
    if len(old) == len(new):
        return [
            _string_edit(text, s, line, ascii_only)
            for s, line in zip(cell.strings, new)
            if s.value != line
        ]
    # The count of lines changed: rewrite the strings from the first to the last that
    # differ, keeping the separator the file writes between items.
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    strings = cell.strings
    if not strings:
        assert cell.array is not None
        encoded_all = [json.dumps(line, ensure_ascii=ascii_only) for line in new]
        return [(cell.array.start + 1, cell.array.end - 1, ", ".join(encoded_all))]
    separator = text[strings[0].end : strings[1].start] if len(strings) >= 2 else ", "
    middle = new[head : len(new) - tail]
    encoded = [json.dumps(line, ensure_ascii=ascii_only) for line in middle]
    if head < len(old) - tail:  # some old strings are replaced
        start = strings[head].start
        end = strings[len(old) - tail - 1].end
        return [(start, end, separator.join(encoded))]
    # only insertions: after the string before them, or before the first one
    if head > 0:
        at = strings[head - 1].end
        return [(at, at, "".join(separator + e for e in encoded))]
    at = strings[0].start
    return [(at, at, "".join(e + separator for e in encoded))]
