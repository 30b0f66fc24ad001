"""The parts of a file that a rewrite touches, cut out so that libcst can parse them
alone.

libcst costs about 0.1 s for a 12 KB file (parse, visit and print), fifty times what
splicing and checking the edits costs. A rewrite therefore gives libcst only the
statements that hold an edit: around each edit, the smallest statement (with its
decorators) that contains it, as whole lines; regions that share a line are merged.

A region is parsed exactly as written, not a byte changed: one at the margin after a
synthetic ``pass`` line, an indented one under a synthetic ``if True:`` header (Python
accepts any deeper indentation for a block). Both start with the file's first newline, so
that libcst prints new text in the file's newline style, as it does for the whole file.
The header comes off libcst's output again.

This is an optimisation, never a proof: :mod:`hpman_cst.cst.agree` still requires the
reassembled text to equal the splice of the planned edits, to re-index to the intended
call sites and to have the intended syntax tree. A file whose regions libcst cannot parse
alone (an edit in an ``elif`` test, say) or whose output differs goes to libcst whole.
"""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .source import SourceText

__all__ = ["Region", "find_regions", "statement_start"]

_INDENT = " \t\f"


@dataclass(frozen=True)
class Region:
    """``text[start:end]`` (whole lines), given to libcst as ``header + text[start:end]``."""

    start: int
    end: int
    header: str


def find_regions(
    source: SourceText, tree: ast.Module, spans: Iterable[tuple[int, int]], newline: str
) -> list[Region] | None:
    """The regions holding the offset ranges ``spans`` of ``source`` (parsed as ``tree``),
    in order and disjoint; ``None`` when a range lies outside every statement (never for
    code that ``tree`` was parsed from, short of a bug)."""
    finder = _Finder(source)
    lines: list[tuple[int, int]] = []
    for start, end in spans:
        first, _ = source.position(start)
        last, _ = source.position(max(start, end - 1))
        found = finder.statement_lines(tree.body, first, last)
        if found is None:
            return None
        lines.append(found)
    merged: list[list[int]] = []
    for first, last in sorted(lines):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    starts = source.line_starts
    text = source.text
    regions: list[Region] = []
    for first, last in merged:
        start = starts[first - 1]
        end = starts[last] if last < len(starts) else len(text)
        head = text[start:end]
        indented = len(head) > len(head.lstrip(_INDENT))
        regions.append(Region(start, end, ("if True:" if indented else "pass") + newline))
    return regions


def statement_start(statement: ast.stmt) -> tuple[int, int]:
    """Where ``statement`` begins, its decorators included (``ast`` starts a decorated
    ``def`` at ``def``): ``(1-based line, UTF-8 byte column)``."""
    decorators: Sequence[ast.expr] = getattr(statement, "decorator_list", ())
    return min(
        [(statement.lineno, statement.col_offset), *((d.lineno, d.col_offset) for d in decorators)]
    )


def _first_line(statement: ast.stmt) -> int:
    return statement_start(statement)[0]


def _last_line(statement: ast.stmt) -> int:
    return statement.end_lineno or statement.lineno


class _Finder:
    """Finds statements by line in the blocks of one module. Each block's first and last
    lines are tabled once (both ascend: statements follow one another, sharing at most a
    line), so that a file with thousands of edits costs a binary search per edit and
    block, not a scan."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.tables: dict[int, tuple[list[int], list[int]]] = {}

    def _overlapping(self, body: Sequence[ast.stmt], first: int, last: int) -> list[ast.stmt]:
        """The statements of ``body`` on lines ``first..last``, and those sharing a line
        with them (``x = 1; y = _("lr")``), until no more share one."""
        table = self.tables.get(id(body))
        if table is None:
            table = self.tables[id(body)] = (
                [_first_line(s) for s in body],
                [_last_line(s) for s in body],
            )
        firsts, lasts = table
        while True:
            # Those starting by `last` and ending from `first` on: a slice of the block.
            low, high = bisect_left(lasts, first), bisect_right(firsts, last)
            if low >= high:
                return []
            new_first, new_last = min(first, firsts[low]), max(last, lasts[high - 1])
            if (new_first, new_last) == (first, last):
                return list(body[low:high])
            first, last = new_first, new_last

    def statement_lines(
        self, body: Sequence[ast.stmt], first: int, last: int
    ) -> tuple[int, int] | None:
        """The line range of the statements of ``body`` around lines ``first..last``,
        descending into a lone compound statement's blocks; ``None`` if none is around.

        A range must start with a statement (``b: x = 1`` on the line after ``if a and
        \\`` would parse alone as an annotation): a statement that does not begin its line
        (``else: x = 1``) gives way to the compound statement around it."""
        around = self._overlapping(body, first, last)
        if not around:
            return None
        if len(around) == 1:
            for block in _blocks(around[0]):
                inside = self._overlapping(block, first, last)
                if inside and _first_line(inside[0]) <= first and last <= _last_line(inside[-1]):
                    found = self.statement_lines(block, first, last)
                    if found is not None:
                        return found
                    break  # no region starts inside the block: take the whole statement
        if not _starts_line(self.source, around[0]):
            return None
        return _first_line(around[0]), max(_last_line(s) for s in around)


def _starts_line(source: SourceText, statement: ast.stmt) -> bool:
    """Whether ``statement`` (or its first decorator) is the first thing on its line,
    or follows only the header of a compound statement that begins the line."""
    line = source.line_text(_first_line(statement))
    indent = len(line) - len(line.lstrip(_INDENT))
    decorators: Sequence[ast.expr] = getattr(statement, "decorator_list", ())
    if decorators:
        return line[indent:].startswith("@")
    return statement.col_offset == len(line[:indent].encode("utf-8"))


def _blocks(statement: ast.stmt) -> list[Sequence[ast.stmt]]:
    """The statement lists inside a compound statement (none for a simple one)."""
    blocks: list[Sequence[ast.stmt]] = []
    for field in ("body", "orelse", "finalbody"):
        value = getattr(statement, field, None)
        if isinstance(value, list):
            blocks.append(value)
    for clause in [*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())]:
        blocks.append(clause.body)
    return blocks
