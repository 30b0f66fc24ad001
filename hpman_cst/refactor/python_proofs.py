"""The ``ast`` proofs of a Python rewrite: the new text re-indexes to exactly the
intended call sites (:func:`check_index`), and its syntax tree is the old one with each
edited node replaced (:func:`check_ast`)."""

from __future__ import annotations

import ast
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from ..exceptions import RewriteError
from ..literals import Unhashable, evaluate_text, parse_expression
from ..records import ApiRef, FileIndex, Marker, Occurrence, Span
from ..regions import statement_start
from ..source import SourceText, ast_parse
from .edits import EditKind, FilePlan
from .materialise import Replacement

__all__ = ["check_ast", "check_index"]

_MATCH_CASE: tuple[type[ast.AST], ...] = (ast.match_case,) if hasattr(ast, "match_case") else ()


class _Shift:
    """Maps offsets of the old text to the spliced text."""

    def __init__(self, replacements: Sequence[Replacement]) -> None:
        self.ends = [r.end for r in replacements]
        self.deltas: list[int] = []
        total = 0
        for r in replacements:
            total += len(r.new) - (r.end - r.start)
            self.deltas.append(total)

    def __call__(self, offset: int) -> int:
        # Replacements ending at or before `offset` have moved it.
        i = bisect_left(self.ends, offset + 1)
        return offset + (self.deltas[i - 1] if i else 0)


class _Edited:
    """Where the replacements of one text lie (ordered and disjoint, so their starts and
    their ends both ascend): each question is a binary search, never a scan, so that
    checking a file costs O(n log n) in its edits, not O(n²)."""

    def __init__(self, replacements: Sequence[Replacement]) -> None:
        self.starts = [r.start for r in replacements]
        self.ends = [r.end for r in replacements]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a replacement overlaps ``start..end``."""
        i = bisect_right(self.ends, start)  # the first replacement ending after `start`
        return i < len(self.starts) and self.starts[i] < end

    def any_within(self, start: int, end: int) -> bool:
        """Whether a replacement lies entirely within ``start..end``."""
        i = bisect_left(self.starts, start)  # the first starting from `start` on
        return i < len(self.ends) and self.ends[i] <= end

    def holds(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a replaced range."""
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]


def _ast_text(fragment: str) -> str:
    # The index strips parentheses that merely wrap a default; do the same.
    wrapped = f"(\n{fragment}\n)"
    try:
        node = ast_parse(wrapped, mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return fragment
    source = SourceText(wrapped)
    return source.segment(source.span_of(node))


def _occurrence_row(o: Occurrence) -> tuple[object, ...]:
    return (o.placeholder, o.name, o.default, repr(o.value), repr(o.hints))


def _expected_rows(
    old: FileIndex, old_text: str, new_text: str, replacements: Sequence[Replacement]
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]:
    source = SourceText(old_text)
    shift = _Shift(replacements)
    edited = _Edited(replacements)
    by_span = {r.edit.span: r for r in replacements}
    occurrences: list[tuple[object, ...]] = []
    for o in sorted(old.occurrences, key=Occurrence.sort_key):
        if o.span in by_span and by_span[o.span].edit.kind is EditKind.INLINE:
            continue
        name = by_span[o.name_span].edit.value if o.name_span in by_span else o.name
        default, value = o.default, o.value
        if o.default_span is not None:
            start = source.offset(o.default_span.line, o.default_span.column)
            end = source.offset(o.default_span.end_line, o.default_span.end_column)
            if edited.any_within(start, end):
                default = _ast_text(new_text[shift(start) : shift(end)])
                value = evaluate_text(default)
                value = Marker.NOT_LITERAL if isinstance(value, Unhashable) else value
        occurrences.append((o.placeholder, name, default, repr(value), repr(o.hints)))
    refs = [
        (
            r.placeholder,
            r.method,
            r.form.value,
            by_span[r.name_span].edit.value if r.name_span in by_span else r.key,
        )
        for r in sorted(old.api_refs, key=ApiRef.sort_key)
        if not (r.span in by_span and by_span[r.span].edit.kind is EditKind.INLINE)
    ]
    # A problem inside replaced text goes with it (an inlined call's hint, an unhashable
    # default that set-default replaces).
    problems = sorted(
        (p.code.value, p.message)
        for p in old.problems
        if p.line is None or p.column is None or not edited.holds(source.offset(p.line, p.column))
    )
    return occurrences, refs, problems  # type: ignore[return-value]


def check_index(
    plan: FilePlan,
    old_text: str,
    new_text: str,
    new: FileIndex,
    replacements: Sequence[Replacement],
) -> None:
    """Raise :class:`RewriteError` unless ``new`` (the new text's index) is the old index
    changed exactly by ``replacements``: same sites, same order, planned names and
    defaults, nothing else."""
    path = plan.path
    if plan.index is None:
        raise ValueError("a Python file's plan holds its index")
    if not new.parsed:
        problem = new.problems[0]
        raise RewriteError(
            f"the rewritten file would not parse ({problem.message}); nothing was changed:"
            " edit the call sites of this statement by hand and run the command again",
            path=path,
            line=problem.line,
            column=problem.column,
        )
    occurrences, refs, problems = _expected_rows(plan.index, old_text, new_text, replacements)
    actual = [_occurrence_row(o) for o in sorted(new.occurrences, key=Occurrence.sort_key)]
    actual_refs = [
        (r.placeholder, r.method, r.form.value, r.key)
        for r in sorted(new.api_refs, key=ApiRef.sort_key)
    ]
    actual_problems = sorted((p.code.value, p.message) for p in new.problems)
    for what, want, got in (
        ("call sites", occurrences, actual),
        ("API references", refs, actual_refs),
        ("problems", problems, actual_problems),
    ):
        if want != got:
            raise RewriteError(
                f"the rewritten file's {what} are not the intended ones, so the rewrite"
                " cannot be proven; nothing was changed: edit this file's call sites by hand"
                " and run the command again",
                path=path,
            )


class _DropDebugText(ast.NodeTransformer):
    # `f"{_('lr')=}"` holds the text `_('lr')=` as a constant: renaming the call changes
    # it, as intended. (Text outside the edits is proven unchanged by the splice check.)
    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        values = node.values
        node.values = [
            v
            for i, v in enumerate(values)
            if not (
                isinstance(v, ast.Constant)
                and isinstance(v.value, str)
                and v.value.rstrip(" \t\f\r\n").endswith("=")  # `{x = }` keeps the blanks
                and i + 1 < len(values)
                and isinstance(values[i + 1], ast.FormattedValue)
            )
        ]
        self.generic_visit(node)
        return node


def check_ast(
    path: str,
    old_text: str,
    new_text: str,
    replacements: Sequence[Replacement],
    trees: tuple[ast.Module, ast.Module] | None = None,
) -> None:
    """Raise :class:`RewriteError` unless the new module's ``ast`` is the old one with each
    replaced node swapped for its replacement (positions aside): parentheses, precedence
    and tokens around every edit come out as intended.

    ``trees`` are the two texts' modules, when already parsed; the old one is changed.
    A statement without an edit is compared by its text, which must be the same at the
    shifted place (the same text is the same statement); the others node by node.
    """
    try:
        old_tree, new_tree = trees or (ast_parse(old_text), ast_parse(new_text))
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise RewriteError(
            f"the rewritten file would not parse ({exc}); nothing was changed: edit its"
            " call sites by hand and run the command again",
            path=path,
        ) from None
    comparison = _TreeComparison(old_text, new_text, replacements)
    if not comparison.same(old_tree, new_tree):
        raise RewriteError(
            "the rewritten file's syntax tree differs from the intended one at this statement,"
            " so the rewrite would change what it means; nothing was changed: edit the call"
            " sites of this statement by hand and run the command again",
            path=path,
            line=comparison.failed or min(r.edit.span.line for r in replacements),
        )


class _TreeComparison:
    _BLOCKS = (ast.mod, ast.stmt, ast.excepthandler, *_MATCH_CASE)

    def __init__(self, old_text: str, new_text: str, replacements: Sequence[Replacement]) -> None:
        self.old = SourceText(old_text)
        self.new = SourceText(new_text)
        self.edited = _Edited(replacements)
        self.shift = _Shift(replacements)
        self.wanted = {r.edit.span: r.new for r in replacements if r.edit.kind is not EditKind.NAME}
        self.names = {
            (r.edit.span.line, r.edit.span.column): r.new
            for r in replacements
            if r.edit.kind is EditKind.NAME
        }
        #: The line of the first statement found to differ.
        self.failed: int | None = None

    def _range(self, source: SourceText, node: ast.stmt) -> tuple[int, int]:
        line, column = statement_start(node)
        end_line = node.end_lineno or node.lineno
        end_column = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return (
            source.offset(line, source.char_column(line, column)),
            source.offset(end_line, source.char_column(end_line, end_column)),
        )

    def same(self, old: object, new: object) -> bool:
        result = self._same(old, new)
        if not result and isinstance(old, ast.stmt) and self.failed is None:
            self.failed = statement_start(old)[0]  # the innermost statement that differs
        return result

    def _same(self, old: object, new: object) -> bool:
        if isinstance(old, ast.stmt):
            start, end = self._range(self.old, old)
            if not self.edited.overlaps(start, end):
                if not isinstance(new, ast.stmt):
                    return False
                new_start, new_end = self._range(self.new, new)
                return (
                    type(old) is type(new)
                    and new_start == self.shift(start)
                    and self.old.text[start:end] == self.new.text[new_start:new_end]
                )
        if isinstance(old, ast.AST) and isinstance(old, self._BLOCKS):
            if type(old) is not type(new):
                return False
            return all(
                self._same_field(value, getattr(new, field, None))
                for field, value in ast.iter_fields(old)
            )
        if isinstance(old, ast.AST):  # an expression, or a part of one (arguments, ...)
            if not isinstance(new, ast.AST):
                return False
            swapped = _DropDebugText().visit(_Swap(self.old, self.wanted, self.names).visit(old))
            return ast.dump(swapped) == ast.dump(_DropDebugText().visit(new))
        return old == new

    def _same_field(self, old: object, new: object) -> bool:
        if isinstance(old, list):
            return (
                isinstance(new, list)
                and len(old) == len(new)
                and all(self.same(a, b) for a, b in zip(old, new))
            )
        return self.same(old, new)


class _Swap(ast.NodeTransformer):
    """Replaces each expression at a planned span with the parse of its new text."""

    def __init__(
        self, source: SourceText, wanted: dict[Span, str], names: dict[tuple[int, int], str]
    ) -> None:
        self.source = source
        self.wanted = wanted
        self.names = names  # new identifiers of keywords, by where they start

    def visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.expr):
            new = self.wanted.get(self.source.span_of(node))
            if new is not None:
                return parse_expression(new)
        elif isinstance(node, ast.keyword) and node.arg is not None and self.names:
            # A renamed keyword of dict(...): its identifier starts the keyword's span.
            line = node.lineno
            name = self.names.get((line, self.source.char_column(line, node.col_offset)))
            if name is not None:
                node.arg = unicodedata.normalize("NFKC", name)
        result: ast.AST = super().visit(node)
        return result
