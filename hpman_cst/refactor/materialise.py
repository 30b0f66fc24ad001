"""Materialise: a file's planned edits made exact text.

:func:`resolve` turns each planned :class:`~hpman_cst.refactor.edits.Edit` into its final
text (quote style, newline style, parentheses from the ``ast`` context, the comments of a
removed call kept before its statement); :func:`splice` applies them at the index spans;
:func:`escaped` writes what the file's encoding cannot hold as escapes. Pure: the
proofs that the result means what was intended are :mod:`.prove`'s.
"""

from __future__ import annotations

import ast
import re
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
from .call_context import CallContext
from .edits import Edit, EditKind, FilePlan

__all__ = ["Replacement", "changed_ranges", "escaped", "first_newline", "resolve", "splice"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
# What an inlined default cannot bring into an f-string's replacement field.
_QUOTES_OR_BACKSLASH = re.compile(r"[\\'\"]")
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


def resolve(text: str, plan: FilePlan) -> list[Replacement]:
    """The final text of each planned edit of ``text``, in order."""
    source = SourceText(text)
    newline = first_newline(text)
    context: CallContext | None = None
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
        if (
            edit.kind is not EditKind.INLINE
            and not FSTRING_BACKSLASHES
            and _QUOTES_OR_BACKSLASH.search(new)
        ):
            fields = fields or FstringFields(text)
            _check_field_text(new, span, fields, start, end)
        if edit.kind is EditKind.INLINE:
            context = context or CallContext(text, source)
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
            context = context or CallContext(text, source)
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


def _check_field_text(new: str, span: Span, fields: FstringFields, start: int, end: int) -> None:
    # Before Python 3.12 an f-string's replacement field holds no backslash and not the
    # quote that closes the f-string.
    quote = fields.quote_around(start, end)
    if not quote:
        return
    if "\\" in new:
        why = "needs a backslash"
    elif quote in new:
        why = f"holds the quote {quote} of the f-string around it"
    else:
        return
    raise RefactorRefused(
        f"the new text `{new}` {why}, which Python before 3.12 does not allow inside an"
        " f-string's replacement field; move the call out of the f-string (assign it to a"
        " name first) and run the command again",
        line=span.line,
        column=span.column,
    )


def _check_unstarred(span: Span, context: CallContext, source: SourceText) -> None:
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


def _inline(new: str, span: Span, context: CallContext) -> str:
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
    in_field = context.fields.holds(start, end)
    if in_field and any(c in new for c in _NOT_IN_FIELDS):
        raise RefactorRefused(
            "cannot inline a default with line breaks, comments"
            + ("" if FSTRING_BACKSLASHES else " or backslashes (before Python 3.12)")
            + " into an f-string field; write the default on one line, or edit this call by"
            " hand, and run the command again",
            line=span.line,
            column=span.column,
        )
    if in_field and not FSTRING_BACKSLASHES:  # the quote closing the f-string
        _check_field_text(new, span, context.fields, start, end)
    try:
        level = ast_expression_level(parse_expression(new))
    except SyntaxError:
        level = Level.STARRED
    slot = ast_slot(parent, field, node)
    wrapped, bracketed, bare_with = context.place(span, parent, node)
    if bare_with:
        slot = (slot[0], Slot.BARE_WITH)
    field_start = start in context.field_starts  # the call starts the field's expression
    wrap = needs_parens(
        new, level, slot, wrapped, bracketed=bracketed, field_start=field_start, in_field=in_field
    )
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
