"""What ``hpman set-default NAME VALUE`` writes, and what it refuses.

VALUE is read the way the training script's option would read it, so that what
``set-default`` accepts the front-ends accept too, and a default never changes type
silently (the options of the training script are typed from it):

- a Python literal of the default's type is written as given (``3e-4`` for ``1e-3``);
- a Python literal of another type is refused, naming both types and the spelling that
  keeps the type (``1`` for a float default: write ``1.0``), unless
  ``allow_type_change``;
- any other text is read by the front-ends' reader (:func:`hpman_cst.hints.parse_text`)
  for the default's type: a bare word for a string (written in the quotes of the default
  it replaces), ``false``/``yes``/... for a bool (written ``False``/``True``);
- with ``expression``, any Python expression is written as given (``nn.GELU``); replacing
  a literal default by an expression is a type change too.

The new value must pass the ``choices=``/``range=`` hints of every call, checked by the
front-ends' own check (:func:`hpman_cst.hints.check_hints`).

Pure: no I/O. Raises :class:`~hpman_cst.exceptions.RefactorRefused`.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass

from .convert import kind_of
from .exceptions import InvalidHint, InvalidValue, RefactorRefused
from .hints import check_hints, parse_text, spec_for
from .literals import Unhashable, evaluate_text, same_value
from .records import Marker, Occurrence
from .source import ast_parse

__all__ = ["NewDefault", "as_argument", "read_new_default"]


@dataclass(frozen=True)
class NewDefault:
    """The text replacing each default: ``text`` as source, or, when ``as_string``, the
    value of a string written in the quotes of the default it replaces. ``value`` is
    the new value, ``Marker.NOT_LITERAL`` for an expression."""

    text: str
    as_string: bool
    value: object


def read_new_default(
    name: str,
    value: str,
    occurrences: Sequence[Occurrence],
    *,
    allow_type_change: bool = False,
    expression: bool = False,
) -> NewDefault:
    """The default to write for ``set-default name value`` over ``occurrences`` (every
    call of ``name``, at least one with a default). Raises :class:`RefactorRefused`."""
    defined = [o for o in occurrences if o.has_default]
    # A VALUE that Python reads as a comment only (`#ff0000`) is a bare word, as the
    # front-ends read it, not the empty expression.
    literal = Marker.NOT_LITERAL if _only_comments(value) else evaluate_text(value)
    if isinstance(literal, (Marker, Unhashable)):
        new = _not_a_literal(name, value, defined, allow_type_change, expression)
    else:
        text = as_argument(value)
        _check_type(name, value, literal, defined, allow_type_change)
        new = NewDefault(text, False, literal)
    if new.value is not Marker.NOT_LITERAL:
        _check_hints(name, new.value, occurrences, defined[0].value)
    return new


def _not_a_literal(
    name: str, value: str, defined: Sequence[Occurrence], allow: bool, expression: bool
) -> NewDefault:
    literals = [o for o in defined if o.is_literal]
    if expression:
        text = as_argument(value)
        if literals and not allow:
            first = literals[0]
            raise RefactorRefused(
                f"`{_show(value)}` is an expression, but the default of `{name}` is"
                f" {_a(first.value)} ({_given(first)}); pass --allow-type-change to replace"
                " it by an expression"
            )
        return NewDefault(text, False, Marker.NOT_LITERAL)
    if len(literals) != len(defined):
        raise RefactorRefused(
            f"`{_show(value)}` is not a Python literal; to write it as an expression, pass --expr"
        )
    spec = spec_for(name, literals[0].value)
    try:
        read = parse_text(spec, value)
    except InvalidValue as exc:
        raise RefactorRefused(
            f"`{_show(value)}` is not a Python literal, nor a value the option of `{name}`"
            f" takes ({exc.message}); to write it as an expression, pass --expr"
        ) from None
    if spec.kind == "str" and isinstance(read, str):
        return NewDefault(value, True, read)
    spelled = _spelling(read)
    if spelled is None:
        raise RefactorRefused(
            f"`{_show(value)}` reads as {read!r}, which no Python literal spells; write"
            " another value, or an expression with --expr"
        )
    _check_type(name, value, read, defined, allow)
    return NewDefault(spelled, False, read)


def _check_type(
    name: str, value: str, new: object, defined: Sequence[Occurrence], allow: bool
) -> None:
    if allow:
        return
    for old in defined:
        if not old.is_literal or kind_of(old.value) == kind_of(new):
            continue
        message = (
            f"`{_show(value)}` is {_a(new)}, but the default of `{name}` is {_a(old.value)}"
            f" ({_given(old)})"
        )
        keeping = _keeping(name, value, old.value)
        if keeping is not None:
            message += f"; write `{keeping}` to keep it {_a(old.value)}, or"
        else:
            message += "; to change its type,"
        raise RefactorRefused(message + " pass --allow-type-change")


def _keeping(name: str, value: str, old: object) -> str | None:
    # The spelling of `value` in the type of `old`, as the front-end reads its option.
    try:
        read = parse_text(spec_for(name, old), value)
    except InvalidValue:
        return None
    spelled = _spelling(read)
    return spelled if spelled is not None and kind_of(read) == kind_of(old) else None


def _spelling(value: object) -> str | None:
    # The Python literal that evaluates to exactly `value` (`inf` has none).
    text = repr(value)
    back = evaluate_text(text)
    return text if not isinstance(back, (Marker, Unhashable)) and same_value(back, value) else None


def _check_hints(
    name: str, value: object, occurrences: Sequence[Occurrence], current: object
) -> None:
    for occurrence in occurrences:
        hints = occurrence.hint_dict
        if not hints:
            continue
        try:
            spec = spec_for(name, current, hints, where=occurrence.location)
            check_hints(spec, value)
        except InvalidHint as exc:
            raise RefactorRefused(f"{exc}; fix the hint first") from None
        except InvalidValue as exc:
            raise RefactorRefused(
                f"`{name}`: {exc.message} (hint at {occurrence.location})"
            ) from None


def _a(value: object) -> str:
    # "an int", "a float", "None", "not a literal"
    if value is None:
        return "None"
    if isinstance(value, Marker):
        return "not a literal"
    word = type(value).__name__
    return ("an " if word[0] in "aeiou" else "a ") + word


def _given(occurrence: Occurrence) -> str:
    return f"`{_show(occurrence.default)}` at {occurrence.location}"


def _show(text: str | None, width: int = 40) -> str:
    # Source text in a one-line message: blanks and line breaks collapsed, shortened.
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _only_comments(value: str) -> bool:
    lines = [line.strip() for line in value.splitlines()]
    return any(lines) and all(line.startswith("#") for line in lines if line)


def as_argument(value: str) -> str:
    """``value`` (a literal or an expression) as the one argument of a call: its text
    without parentheses around it as a whole (``(1)`` is written ``1``: they would pile
    up on every run, as the index reads a default without them), a bare tuple (``1, 2``)
    or generator (``a for a in b``) in parentheses, on one line if given so. Raises
    :class:`RefactorRefused` when it is empty, not one expression (``8), (9`` is one
    only inside parentheses; ``*rest``, ``a=1``), or holds a comment (spliced into a
    call, it would swallow the rest of the line)."""
    text = value.strip()
    wrapped = f"f(\n{text}\n)"
    try:
        call = ast_parse(wrapped, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        call = None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        raise RefactorRefused(f"the value {value!r} is not one expression")
    if not call.args and not call.keywords:
        raise RefactorRefused("the value is empty (an empty string is written '\"\"')")
    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        raise RefactorRefused(f"the value {value!r} is not one expression")
    if _has_comment(value):
        raise RefactorRefused(f"the value {value!r} must be written without a comment")
    argument = call.args[0] if len(call.args) == 1 else None
    if argument is None or _is_bare_tuple(text, argument) or _is_bare_generator(text, argument):
        return f"({text})"
    return ast.get_source_segment(wrapped, call.args[0]) or text


def _is_bare_tuple(text: str, argument: ast.expr) -> bool:
    # `1,` is one argument with the call's own trailing comma, but a tuple on its own.
    if isinstance(argument, ast.Tuple):
        return False
    try:
        alone = ast_parse(f"(\n{text}\n)", mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return isinstance(alone, ast.Tuple)


def _is_bare_generator(text: str, argument: ast.expr) -> bool:
    # `a for a in b` is the one argument of the call, whose parentheses it takes for its
    # own: written as given, in parentheses of its own (not the call's three lines).
    if not isinstance(argument, ast.GeneratorExp):
        return False
    try:
        ast_parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return False


def _has_comment(value: str) -> bool:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(value).readline))
    except (tokenize.TokenError, SyntaxError):
        return True
    return any(token.type == tokenize.COMMENT for token in tokens)
