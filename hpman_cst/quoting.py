"""Writing a string literal in the style of another: same prefix, same quote characters.

Both rewrite paths use this (the planner on the index's source text, the libcst
transformers on their nodes' code), so a renamed ``'lr'`` becomes ``'learning_rate'``
and a raw ``r"lr"`` stays raw.
"""

from __future__ import annotations

import ast
import re

__all__ = ["is_valid_name", "restyle", "string_literal_style"]

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
