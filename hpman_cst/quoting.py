"""Writing a string literal in the style of another: same prefix, same quote characters.

Both rewrite paths use this (the planner on the index's source text, the libcst
transformers on their nodes' code), so a renamed ``'lr'`` becomes ``'learning_rate'``
and a raw ``r"lr"`` stays raw.
"""

from __future__ import annotations

import ast
import io
import itertools
import re
import sys
import tokenize
from bisect import bisect_right

from .source import SourceText, ast_parse

__all__ = [
    "FSTRING_BACKSLASHES",
    "CannotEncode",
    "FstringFields",
    "encodes",
    "escaped_for",
    "is_valid_name",
    "restyle",
    "string_literal_style",
]

_STYLE = re.compile(r"([A-Za-z]*)('''|\"\"\"|'|\")")


def string_literal_style(like: str) -> tuple[str, str]:
    """``(prefix, quote)`` of the (first part of the) string literal ``like``; the
    prefix keeps its letters and case except ``b``/``f``; ``('', "'")`` if ``like`` is
    not a string literal."""
    match = _STYLE.match(like)
    if match is None:
        return "", "'"
    prefix = "".join(c for c in match.group(1) if c in "rRuU")
    return prefix, match.group(2)


def _raw_ok(value: str, quote: str) -> bool:
    # A raw literal cannot escape anything: no quote character, no final backslash, and
    # only printable characters (a raw newline or \r would change meaning or validity).
    return quote[0] not in value and not value.endswith("\\") and value.isprintable()


def _escape(value: str, quote: str) -> str:
    out: list[str] = []
    for char in value:
        if char == "\\" or char == quote[0]:
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif char in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        else:
            code = ord(char)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
            )
    return "".join(out)


def restyle(value: str, like: str) -> str:
    """A ``str`` literal whose value is ``value``, written with the prefix and quotes of
    the literal ``like`` (the first part, for an implicit concatenation). A raw prefix is
    dropped only when ``value`` cannot be written raw; characters are escaped only where
    needed."""
    prefix, quote = string_literal_style(like)
    if "r" in prefix.lower() and _raw_ok(value, quote):
        literal = f"{prefix}{quote}{value}{quote}"
    else:
        prefix = prefix.replace("r", "").replace("R", "")
        literal = f"{prefix}{quote}{_escape(value, quote)}{quote}"
    if ast.literal_eval(literal) != value:  # cannot happen; never write a wrong literal
        return repr(value)
    return literal


def is_valid_name(name: str) -> bool:
    """Whether ``name`` is a hyper-parameter name the commands accept as a new name:
    identifiers joined by dots (``optim.lr``), the shape hpargparse can turn into
    ``--optim.lr``."""
    return bool(name) and all(part.isidentifier() for part in name.split("."))


_FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", -1)

#: Whether the running Python allows a backslash inside an f-string's replacement field
#: (``f"{d['\\n']}"``): 3.12 and later (PEP 701).
FSTRING_BACKSLASHES = sys.version_info >= (3, 12)


# Text that may hold an f-string (a prefix with f before a quote); others need no parse.
_MAY_HOLD_FSTRING = re.compile(r"[fF][rRbB]?['\"]|[rRbB][fF]['\"]")


class FstringFields:
    """Where the expressions of a text's f-string replacement fields lie (those of
    nested format specs included), to ask whether an edit falls inside one, and which
    quote closes the f-string around it (before Python 3.12 none may occur there)."""

    def __init__(self, text: str, tree: ast.AST | None = None) -> None:
        source = SourceText(text)
        ranges: list[tuple[int, int]] = []
        if not _MAY_HOLD_FSTRING.search(text):
            tree = ast.Module(body=[], type_ignores=[])
        elif tree is None:
            try:
                tree = ast_parse(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                tree = None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.FormattedValue):
                span = source.span_of(node.value)
                start = source.offset(span.line, span.column)
                ranges.append((start, source.offset(span.end_line, span.end_column)))
        # The outermost ranges only (a field's expression may hold an f-string of its
        # own); they are disjoint, so a binary search finds the one around an offset.
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(ranges, key=lambda r: (r[0], -r[1])):
            if not self.ends or start >= self.ends[-1]:
                self.starts.append(start)
                self.ends.append(end)
        # Before 3.12 an f-string is one STRING token: its quote, by where it starts.
        self.strings: list[tuple[int, str]] = []
        if self.starts and not FSTRING_BACKSLASHES:
            self.strings = _fstring_quotes(text, source)

    def holds(self, start: int, end: int) -> bool:
        """Whether the text ``start..end`` lies inside a field's expression."""
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.ends[i]

    def quote_around(self, start: int, end: int) -> str:
        """The quote of the f-string whose field holds ``start..end`` (``"`` or
        ``\'\'\'``), where it cannot occur (before Python 3.12); ``""`` otherwise."""
        if not self.strings or not self.holds(start, end):
            return ""
        i = bisect_right(self.strings, (start, "\uffff")) - 1
        return self.strings[i][1] if i >= 0 else ""


def _fstring_quotes(text: str, source: SourceText) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            match = _STYLE.match(token.string) if token.type == tokenize.STRING else None
            if match is not None and "f" in match.group(1).lower():
                found.append((source.offset(*token.start), match.group(2)))
    except (tokenize.TokenError, SyntaxError):
        return []
    return found


class CannotEncode(ValueError):
    """New source text holds a character its file's encoding cannot, where no escape
    can stand for it; the message says what to do."""


def escaped_for(source: str, encoding: str, *, in_fstring_field: bool = False) -> str:
    """``source`` (an expression's text) with each character ``encoding`` cannot hold
    written as an escape (``\\u03bb``) inside the string literal holding it; a raw
    literal without backslashes loses its ``r`` (the same string). Raises
    :class:`CannotEncode` for such a character anywhere else (a name, a comment, a
    raw literal with backslashes, an f-string), and for any when ``source`` goes inside
    an f-string's replacement field before Python 3.12, which allows no backslash
    there."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        raise CannotEncode(
            f"the new text cannot be written in this file's encoding ({encoding});"
            " convert the file to UTF-8"
        ) from None
    lines = source.splitlines(keepends=True)
    starts = [0, *itertools.accumulate(len(line) for line in lines)]
    out: list[str] = []
    position = 0
    for token in tokens:
        start = starts[token.start[0] - 1] + token.start[1] if token.start[0] <= len(lines) else 0
        text = token.string
        if not text or encodes(text, encoding):
            continue
        bad = next(c for c in text if not encodes(c, encoding))
        if token.type != tokenize.STRING and token.type == _FSTRING_MIDDLE:
            raise CannotEncode(
                f"`{bad}` cannot be written in this file's encoding ({encoding}) in an"
                " f-string; convert the file to UTF-8"
            )
        if token.type != tokenize.STRING:
            raise CannotEncode(
                f"`{bad}` cannot be written in this file's encoding ({encoding}) outside a"
                " string literal; use a name the encoding can hold, or convert the file to"
                " UTF-8"
            )
        if in_fstring_field and not FSTRING_BACKSLASHES:
            raise CannotEncode(
                f"`{bad}` cannot be written in this file's encoding ({encoding}), and its"
                " escape cannot go inside an f-string's replacement field before Python"
                " 3.12 (no backslash is allowed there); convert the file to UTF-8, or"
                " move the call out of the f-string, and run the command again"
            )
        out += [source[position:start], _escape_literal(text, bad, encoding)]
        position = start + len(text)
    out.append(source[position:])
    return "".join(out)


def encodes(text: str, encoding: str) -> bool:
    """Whether ``encoding`` can hold every character of ``text``."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _escape_literal(literal: str, bad: str, encoding: str) -> str:
    match = _STYLE.match(literal)
    assert match is not None  # a STRING token
    prefix, body = match.group(1), literal[len(match.group(1)) :]
    if "f" in prefix.lower() or "b" in prefix.lower():
        raise CannotEncode(
            f"`{bad}` cannot be written in this file's encoding ({encoding}) in an f-string"
            " or bytes literal; convert the file to UTF-8"
        )
    if "r" in prefix.lower():
        if "\\" in body:
            raise CannotEncode(
                f"`{bad}` cannot be written in this file's encoding ({encoding}), and a raw"
                " string with backslashes cannot hold an escape; convert the file to UTF-8"
            )
        prefix = prefix.replace("r", "").replace("R", "")  # the same string without it
    chars = []
    for char in body:
        if encodes(char, encoding):
            chars.append(char)
        elif ord(char) <= 0xFF:
            chars.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            chars.append(f"\\u{ord(char):04x}")
        else:
            chars.append(f"\\U{ord(char):08x}")
    return prefix + "".join(chars)
