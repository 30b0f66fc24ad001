"""Materialise: a file's planned edits made exact text.

:func:`resolve` turns each planned :class:`~hpman_cst.refactor.edits.Edit` into its final
text (quote style, newline style, parentheses from the ``ast`` context, the comments of a
removed call kept before its statement); :func:`splice` applies them at the index spans;
:func:`escaped` writes what the file's encoding cannot hold as escapes. Pure: the
proofs that the result means what was intended are :mod:`.prove`'s.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..comments import Comments, removed_comments
from ..exceptions import RefactorRefused, RewriteError
from ..literals import is_literal_text, parse_expression
from ..precedence import Level, Slot, ast_expression_level, ast_slot, needs_parens
from ..quoting import (
    FSTRING_BACKSLASHES,
    CannotEncode,
    FstringFields,
    encodes,
    escaped_for,
    restyle,
)
from ..records import Span
from ..scopes import Bindings, names_used
from ..source import SourceText, ast_parse
from ..spacing import pad
from .edits import Edit, EditKind, FilePlan

__all__ = ["Replacement", "changed_ranges", "escaped", "first_newline", "resolve", "splice"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_BLANKS = " \t\f\r\n"
# What an inlined default cannot bring into an f-string's replacement field.
_NOT_IN_FIELDS = "\n\r#" + ("" if FSTRING_BACKSLASHES else "\\")


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
        Edit(
            Span(line, column, line, column),
            EditKind.INSERT,
            lines,
            reason=edit.reason,
            command=edit.command,
        ),
        offset,
        offset,
        lines,
    )


def _merged(replacements: list[Replacement]) -> list[Replacement]:
    # Insertions go before the edits of their statement; those of one command at one
    # place become one (the prover redoes each command's edits on its own).
    ordered = sorted(replacements, key=lambda r: (r.start, r.end > r.start))
    merged: list[Replacement] = []
    for r in ordered:
        last = merged[-1] if merged else None
        if (
            last is not None
            and r.start == r.end == last.start == last.end
            and r.edit.command == last.edit.command
        ):
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


def escaped(
    path: str, text: str, replacements: Sequence[Replacement], encoding: str
) -> list[Replacement]:
    """``replacements`` with each character the file's encoding cannot hold written as an
    escape in its string literal (escapes change no string's value, and the proofs run on
    the escaped text). Raises :class:`RefactorRefused` where no escape can stand for it
    (a name)."""
    done: list[Replacement] = []
    fields: FstringFields | None = None  # an escape cannot go in one before Python 3.12
    for r in replacements:
        if encodes(r.new, encoding):
            done.append(r)
            continue
        fields = fields or FstringFields(text)
        try:
            new = escaped_for(r.new, encoding, in_fstring_field=fields.holds(r.start, r.end))
            done.append(replace(r, new=new))
        except CannotEncode as exc:
            span = r.edit.span
            raise RefactorRefused(str(exc), path=path, line=span.line, column=span.column) from None
    return done


def changed_ranges(
    text: str, replacements: Sequence[Replacement]
) -> tuple[tuple[int, int, int, int], ...]:
    """The replacements that change something, as offsets into the old and new texts."""
    found: list[tuple[int, int, int, int]] = []
    moved = 0  # how far the new text has moved from the old so far
    for r in replacements:
        if r.new != text[r.start : r.end]:
            found.append((r.start, r.end, r.start + moved, r.start + moved + len(r.new)))
        moved += len(r.new) - (r.end - r.start)
    return tuple(found)
