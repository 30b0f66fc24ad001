"""The rewrite's proofs: the planned edits as text, spliced into the old text, and the
checks that the new text means exactly what was intended.

* :func:`resolve` turns each planned :class:`~hpman_cst.plan.Edit` into its final text
  (quote style, newline style, parentheses from the ``ast`` context);
* :func:`splice` applies them at the index spans: the libcst transformer's output must
  equal this, byte for byte;
* :func:`check_index` re-indexes the new text and compares with the old index changed
  exactly as planned; :func:`check_ast` compares the new module's ``ast`` with the old
  one with each edited node replaced.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .comments import Comments, removed_comments
from .exceptions import RefactorRefused, RewriteError
from .literals import Unhashable, evaluate_text, is_literal_text, parse_expression
from .plan import Edit, EditKind, FilePlan
from .precedence import Level, Slot, ast_expression_level, ast_slot, needs_parens
from .quoting import FSTRING_BACKSLASHES, FstringFields, restyle
from .records import ApiRef, FileIndex, Marker, Occurrence, Span
from .regions import statement_start
from .scopes import Bindings, names_used
from .source import SourceText, ast_parse
from .spacing import pad

__all__ = ["Replacement", "check_ast", "check_index", "first_newline", "resolve", "splice"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_BLANKS = " \t\f\r\n"
# What an inlined default cannot bring into an f-string's replacement field.
_NOT_IN_FIELDS = "\n\r#" + ("" if FSTRING_BACKSLASHES else "\\")
_MATCH_CASE: tuple[type[ast.AST], ...] = (ast.match_case,) if hasattr(ast, "match_case") else ()


@dataclass(frozen=True)
class Replacement:
    """An edit made concrete: replace ``text[start:end]`` with ``new``."""

    edit: Edit
    start: int
    end: int
    new: str


def first_newline(text: str) -> str:
    """The first line break of ``text`` (``"\\n"`` if none): the style new lines get."""
    match = _NEWLINE.search(text)
    return match.group(0) if match else "\n"


@dataclass(frozen=True)
class _Before:
    """What precedes the parentheses around a call: up to two tokens' strings (none
    inside an f-string before Python 3.12) and where the last one ends."""

    words: tuple[str, ...]
    end: tuple[int, int]


class _Context:
    """Parents of calls and significant tokens of one text, for inlining."""

    _SKIP = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT})

    def __init__(self, text: str, source: SourceText) -> None:
        self.text = text
        self.parents: dict[Span, tuple[ast.AST, str, ast.expr]] = {}
        self.withs: dict[int, ast.With | ast.AsyncWith] = {}  # by id of their items
        #: The offset ranges of self-documenting f-string fields' expressions (``{x=}``).
        self.debug_fields: list[tuple[int, int]] = []
        #: The offsets at which an f-string field's expression starts right after its
        #: ``{`` (see :func:`~hpman_cst.precedence.needs_parens`).
        self.field_starts: set[int] = set()
        tree = ast_parse(text)
        self.fields = FstringFields(text, tree)
        for parent in ast.walk(tree):
            if isinstance(parent, ast.FormattedValue):
                self._note_debug_field(source, parent.value)
                self._note_field_starts(source, parent.value)
            if isinstance(parent, (ast.With, ast.AsyncWith)):
                for item in parent.items:
                    self.withs[id(item)] = parent
            for field, value in ast.iter_fields(parent):
                for child in value if isinstance(value, list) else [value]:
                    if isinstance(child, ast.Call):
                        self.parents[source.span_of(child)] = (parent, field, child)
        self.source = source
        self.tokens: list[tuple[tuple[int, int], tuple[int, int], str]] = []
        #: How many brackets are open before each token.
        self.depths: list[int] = []
        depth = 0
        try:
            for token in tokenize.generate_tokens(io.StringIO(text).readline):
                if token.type not in self._SKIP and token.type != tokenize.DEDENT:
                    self.tokens.append((token.start, token.end, token.string))
                    self.depths.append(depth)
                    if token.type == tokenize.OP and token.string in ("(", "[", "{"):
                        depth += 1
                    elif token.type == tokenize.OP and token.string in (")", "]", "}"):
                        depth -= 1
        except (tokenize.TokenError, SyntaxError):
            self.tokens, self.depths = [], []
        self.starts = [t[0] for t in self.tokens]
        # Where each token ends -> its index (tokens never share an end; each call looks
        # its last token up here rather than scanning the tokens after its first).
        self.ends = {t[1]: k for k, t in reversed(list(enumerate(self.tokens)))}

    def _note_debug_field(self, source: SourceText, value: ast.expr) -> None:
        # The expression of `{x = }` is followed by `=` (an `==` would be part of it),
        # past the closing parentheses of a parenthesised expression (`{(x)=}`), which
        # the node's span leaves out.
        span = source.span_of(value)
        start = source.offset(span.line, span.column)
        end = source.offset(span.end_line, span.end_column)
        if self.text[end:].lstrip(" \t\f\r\n)").startswith("="):
            self.debug_fields.append((start, end))

    def _note_field_starts(self, source: SourceText, value: ast.expr) -> None:
        # The calls at the left edge of a field's expression (`{_("x", {1})[0]}`), each
        # of which starts where the expression does unless parentheses come between; the
        # expression's own span is no help (before 3.12 a bare tuple's starts at the `{`).
        node: ast.expr | None = value
        while node is not None:
            if isinstance(node, ast.Call):
                span = source.span_of(node)
                start = source.offset(span.line, span.column)
                if self.text[start - 1 : start] == "{":
                    self.field_starts.add(start)
            node = _left_edge(node)

    def in_debug_field(self, span: Span, source: SourceText) -> bool:
        """Whether the call at ``span`` lies in a self-documenting field's expression."""
        start = source.offset(span.line, span.column)
        end = source.offset(span.end_line, span.end_column)
        return any(s <= start and end <= e for s, e in self.debug_fields)

    def place(self, span: Span, parent: ast.AST, node: ast.expr) -> tuple[bool, bool, bool]:
        """For the call at ``span``, held by ``parent``: whether it sits in parentheses of
        its own, whether it sits inside some bracket, and whether it is the bare item of
        a ``with`` statement (see :func:`~hpman_cst.precedence.needs_parens`)."""
        i = bisect_left(self.starts, (span.line, span.column))
        if i < len(self.tokens) and self.starts[i] == (span.line, span.column):
            pairs, before = self._token_pairs(i, span)
            bracketed = self.depths[i] > 0
        else:  # inside an f-string before Python 3.12, which tokenize leaves whole
            pairs, before = self._text_pairs(span)
            bracketed = True
        claimed = pairs > 0 and self._claims(parent, node, before)
        bare_with = isinstance(parent, ast.withitem) and self._lone_item(parent) and not pairs
        return pairs > claimed, bracketed, bare_with

    def _token_pairs(self, i: int, span: Span) -> tuple[int, _Before]:
        """How many pairs of parentheses enclose exactly the call whose first token is
        ``tokens[i]``, and what comes before the outermost pair."""
        tokens = self.tokens
        end = (span.end_line, span.end_column)
        j = self.ends.get(end)
        if j is None or j < i:
            return 0, _Before((), (0, 0))
        pairs = 0
        while (
            i - pairs - 1 >= 0
            and j + pairs + 1 < len(tokens)
            and tokens[i - pairs - 1][2] == "("
            and tokens[j + pairs + 1][2] == ")"
        ):
            pairs += 1
        first = i - pairs
        words = tuple(t[2] for t in tokens[max(0, first - 2) : first])
        return pairs, _Before(words, tokens[first - 1][1] if first else (0, 0))

    def _text_pairs(self, span: Span) -> tuple[int, _Before]:
        # Only blanks can separate parentheses inside an f-string field before 3.12.
        text = self.text
        left = self.source.offset(span.line, span.column) - 1
        right = self.source.offset(span.end_line, span.end_column)
        pairs = 0
        while True:
            while left >= 0 and text[left] in _BLANKS:
                left -= 1
            while right < len(text) and text[right] in _BLANKS:
                right += 1
            if left < 0 or right >= len(text) or text[left] != "(" or text[right] != ")":
                break
            left, right, pairs = left - 1, right + 1, pairs + 1
        return pairs, _Before((), self.source.position(left + 1))

    def _claims(self, parent: ast.AST, node: ast.expr, before: _Before) -> bool:
        # The outermost pair around the call belongs to the syntax of `parent` (libcst
        # puts it there too): the argument list of `f(_("x"))` (its one argument), the
        # bases of `class C(_("x")):`, the items of `with (_("x")):`.
        if isinstance(parent, ast.Call):
            func = self.source.span_of(parent.func)
            return (
                parent.args == [node]
                and not parent.keywords
                and before.end == (func.end_line, func.end_column)
            )
        if isinstance(parent, ast.ClassDef):
            return parent.bases == [node] and not parent.keywords and before.words[:1] == ("class",)
        if isinstance(parent, ast.withitem):
            return self._lone_item(parent) and before.words[-1:] == ("with",)
        return False

    def _lone_item(self, item: ast.withitem) -> bool:
        statement = self.withs.get(id(item))
        return statement is not None and len(statement.items) == 1 and item.optional_vars is None


def _left_edge(node: ast.expr) -> ast.expr | None:
    """The subexpression of ``node`` that starts where ``node`` starts (unless it has
    parentheses of its own), or ``None``; as :data:`~hpman_cst.precedence._CST_LEFT_EDGES`
    for libcst."""
    if isinstance(node, (ast.BinOp, ast.Compare)):
        return node.left
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        return node.value
    if isinstance(node, ast.Call):
        return node.func
    if isinstance(node, ast.IfExp):
        return node.body
    if isinstance(node, (ast.BoolOp, ast.Tuple)):
        items = node.values if isinstance(node, ast.BoolOp) else node.elts
        return items[0] if items else None
    return None


def resolve(text: str, plan: FilePlan) -> list[Replacement]:
    """The final text of each planned edit of ``text``, in order."""
    source = SourceText(text)
    newline = first_newline(text)
    context: _Context | None = None
    fields: FstringFields | None = None
    comments: Comments | None = None
    bindings: Bindings | None = None
    names: dict[str, frozenset[str]] = {}  # the builtins each literal default uses
    result: list[Replacement] = []
    for edit in plan.edits:
        span = edit.span
        start = source.offset(span.line, span.column)
        end = source.offset(span.end_line, span.end_column)
        if edit.kind is EditKind.STRING:
            new = restyle(edit.value, like=text[start:end])
        elif edit.kind is EditKind.INLINE and edit.keep is not None:
            new = edit.value  # a call's own default stays where it is, its newlines too
        else:
            new = _NEWLINE.sub(newline, edit.value)
        if edit.kind is not EditKind.STRING:  # a literal default: `set()` means the builtin
            if edit.value not in names:
                literal = is_literal_text(edit.value)
                names[edit.value] = names_used(edit.value) if literal else frozenset()
            if names[edit.value]:
                bindings = bindings or Bindings(ast_parse(text), source)
                bindings.check(span, names[edit.value], edit.value)
        if edit.kind is not EditKind.INLINE and not FSTRING_BACKSLASHES and "\\" in new:
            fields = fields or FstringFields(text)
            if fields.holds(start, end):
                raise RefactorRefused(
                    f"the new text `{new}` needs a backslash, which Python before 3.12 does"
                    " not allow inside an f-string's replacement field; move the call out"
                    " of the f-string (assign it to a name first) and run the command again",
                    line=span.line,
                    column=span.column,
                )
        if edit.kind is EditKind.INLINE:
            context = context or _Context(text, source)
            if context.in_debug_field(span, source):
                raise RefactorRefused(
                    "this call is in a self-documenting f-string field (`{...=}`), which prints"
                    " its own source text as a label: inlining the default would change what"
                    ' the program prints; write the label out (`f"label = {...!r}"`) and'
                    " run the command again",
                    line=span.line,
                    column=span.column,
                )
            new = _inline(new, span, context)
            new = pad(new, text[max(start - 1, 0) : start], text[end : end + 1])
            keep = None
            if edit.keep is not None:
                keep = (
                    source.offset(edit.keep.line, edit.keep.column),
                    source.offset(edit.keep.end_line, edit.keep.end_column),
                )
            kept = removed_comments(text, start, end, keep)
            if kept:
                comments = comments or Comments(text, ast_parse(text))
                result.append(_insertion(edit, comments, kept, newline))
        elif text.startswith("*", start) and not new.startswith("*"):
            context = context or _Context(text, source)
            _check_unstarred(span, context, source)
        result.append(Replacement(edit, start, end, new))
    return _merged(result) if comments else result


def _insertion(edit: Edit, comments: Comments, kept: list[str], newline: str) -> Replacement:
    # The comments of a removed call, as lines before its statement.
    try:
        offset, lines = comments.insertion(edit.span.line, edit.span.column, kept, newline)
    except RefactorRefused as exc:
        raise RefactorRefused(
            f"{exc.message} (`remove` keeps every comment of a call it removes)",
            line=exc.line,
            column=exc.column,
        ) from None
    line, column = comments.source.position(offset)
    return Replacement(
        Edit(Span(line, column, line, column), EditKind.INSERT, lines), offset, offset, lines
    )


def _merged(replacements: list[Replacement]) -> list[Replacement]:
    # Insertions go before the edits of their statement; those at one place become one.
    ordered = sorted(replacements, key=lambda r: (r.start, r.end > r.start))
    merged: list[Replacement] = []
    for r in ordered:
        last = merged[-1] if merged else None
        if last is not None and r.start == r.end == last.start == last.end:
            merged[-1] = Replacement(last.edit, last.start, last.end, last.new + r.new)
        else:
            merged.append(r)
    return merged


def _check_unstarred(span: Span, context: _Context, source: SourceText) -> None:
    # `_("a", help="h", *b)`: a plain value cannot replace `*b` after a keyword argument.
    for _parent, _field, call in context.parents.values():
        if not isinstance(call, ast.Call) or not call.keywords:
            continue
        first_keyword = min((k.lineno, k.col_offset) for k in call.keywords)
        for arg in call.args:
            if source.span_of(arg) == span and first_keyword < (arg.lineno, arg.col_offset):
                raise RefactorRefused(
                    f"the default `{source.segment(span)}` follows a keyword argument, where"
                    " only a starred argument can stand; move it before the keyword arguments"
                    " first",
                    line=span.line,
                    column=span.column,
                )


def _inline(new: str, span: Span, context: _Context) -> str:
    found = context.parents.get(span)
    if found is None:
        raise RewriteError(
            "no call at the planned position (a bug of hpman-cst: please report it);"
            " nothing was changed",
            line=span.line,
            column=span.column,
        )
    parent, field, node = found
    start = context.source.offset(span.line, span.column)
    end = context.source.offset(span.end_line, span.end_column)
    if any(c in new for c in _NOT_IN_FIELDS) and context.fields.holds(start, end):
        raise RefactorRefused(
            "cannot inline a default with line breaks, comments"
            + ("" if FSTRING_BACKSLASHES else " or backslashes (before Python 3.12)")
            + " into an f-string field; write the default on one line, or edit this call by"
            " hand, and run the command again",
            line=span.line,
            column=span.column,
        )
    try:
        level = ast_expression_level(parse_expression(new))
    except SyntaxError:
        level = Level.STARRED
    slot = ast_slot(parent, field, node)
    wrapped, bracketed, bare_with = context.place(span, parent, node)
    if bare_with:
        slot = (slot[0], Slot.BARE_WITH)
    field_start = start in context.field_starts  # the call starts the field's expression
    wrap = needs_parens(new, level, slot, wrapped, bracketed=bracketed, field_start=field_start)
    return f"({new})" if wrap else new


def splice(text: str, replacements: Sequence[Replacement]) -> str:
    """``text`` with every replacement applied (they are ordered and disjoint)."""
    parts: list[str] = []
    position = 0
    for r in replacements:
        parts += [text[position : r.start], r.new]
        position = r.end
    parts.append(text[position:])
    return "".join(parts)


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
