"""Hypothesis strategies that write Python modules with ``_`` calls in random contexts
and styles (module level, functions, lambdas, comprehensions, f-string fields, default
arguments, decorators, nested calls, parenthesised callees, comments and line
continuations inside calls, every quote style and prefix, literal and non-literal
defaults, hints, LF/CRLF/CR newlines). Used by the fuzz tests.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = ["module"]

# -- the generator -----------------------------------------------------------------------

NAME_POOL = ["lr", "bs", "optim.lr", "optim.momentum", "größe", "a_b.c_d"]
SAFE_NAME_CHARS = [*"abxyz_.09 ", "é", "名", "🐍"]
NAME_CHARS = [*SAFE_NAME_CHARS, "'", '"', "\\", "\n", "\t", "\x00", "\u2028"]


@dataclass(frozen=True)
class Mode:
    """What the surrounding code allows: inside a 3.11 f-string field, no backslashes,
    no comments, no newlines and no double quotes."""

    inline: bool = False


def _escape(value: str, quote: str) -> str:
    out: list[str] = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == quote[0]:
            out.append("\\" + char)
        elif char in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        elif ord(char) < 32 or char in "\x7f\x85\u2028\u2029":
            out.append(f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


@st.composite
def str_literal(draw: st.DrawFn, value: str, mode: Mode) -> str:
    quotes = ["'"] if mode.inline else ["'", '"', "'''", '"""']
    quote = draw(st.sampled_from(quotes))
    raw_ok = all(c in SAFE_NAME_CHARS for c in value)
    prefixes = ["", "u", "U"] + (["r", "R"] if raw_ok else [])
    prefix = draw(st.sampled_from(prefixes))
    body = value if prefix.lower() == "r" else _escape(value, quote)
    return prefix + quote + body + quote


@st.composite
def name_literal(draw: st.DrawFn, mode: Mode) -> tuple[str, str]:
    """A name value and its source: one literal, or an implicit concatenation."""
    chars = SAFE_NAME_CHARS if mode.inline else NAME_CHARS
    # Names from a small pool recur (and are valid names a rename can take); the rest
    # are any text.
    value = draw(st.one_of(st.sampled_from(NAME_POOL), st.text(st.sampled_from(chars), max_size=8)))
    if len(value) < 2 or not draw(st.booleans()):
        return value, draw(str_literal(value, mode))
    cut = draw(st.integers(1, len(value) - 1))
    glue = draw(st.sampled_from([" ", ""] if mode.inline else [" ", "", "\n  ", "  # c\n  "]))
    return value, draw(str_literal(value[:cut], mode)) + glue + draw(str_literal(value[cut:], mode))


def literal_default(mode: Mode) -> st.SearchStrategy[str]:
    text = st.text(st.sampled_from(SAFE_NAME_CHARS), max_size=4)
    base = st.one_of(
        st.integers(-(10**20), 10**20).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from(["None", "True", "False", "...", "1j", "-1.5e-3", "0x1F", "1_000"]),
        text.flatmap(lambda v: str_literal(v, mode)),
        st.sampled_from(["b''", "b'x'", "rb'\\d'" if not mode.inline else "b'y'", "Rb'z'"]),
    )

    def containers(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        items = st.lists(inner, max_size=3)
        return st.one_of(
            items.map(lambda xs: "[" + ", ".join(xs) + "]"),
            items.map(lambda xs: "(" + "".join(x + ", " for x in xs) + ")"),
            items.filter(bool).map(lambda xs: "{" + ", ".join(xs) + "}"),
            st.lists(st.tuples(base, inner), max_size=2).map(
                lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
            ),
            inner.map(lambda x: "(" + x + ")"),
        )

    return st.recursive(base, containers, max_leaves=6)


NON_LITERALS = [
    "x",
    "f(1)",
    "1 + 2",
    "-x",
    "[i for i in y]",
    "lambda: 0",
    "a.b",
    "f'{x}'",
    "2 ** 8",
]


@st.composite
def separator(draw: st.DrawFn, mode: Mode) -> str:
    if mode.inline:
        return draw(st.sampled_from(["", " "]))
    return draw(st.sampled_from(["", " ", "  ", "\n    ", "  # c\n    ", " \\\n    ", "\t"]))


@st.composite
def call(draw: st.DrawFn, mode: Mode, depth: int = 0) -> str:
    callee = draw(
        st.sampled_from(
            ["_", "(_)"] if mode.inline else ["_", "(_)", "( _ )", "(\n_\n)", "(_  # c\n)"]
        )
    )
    _, name = draw(name_literal(mode))
    shape = draw(st.sampled_from(["get", "define", "define", "define", "nested", "invalid"]))
    args: list[str] = [name]
    if shape == "define":
        default = draw(st.one_of(literal_default(mode), st.sampled_from(NON_LITERALS)))
        if mode.inline:
            default = default.replace('"', "'")
        args.append(default)
    elif shape == "nested" and depth < 2:
        args.append(draw(call(mode, depth + 1)))
    elif shape == "invalid":
        args = draw(
            st.sampled_from(
                [[], ["x"], ["f'a'"], [name, "1", "2"], ["*a"], ["b'x'"], [name, "*rest"]]
            )
        )
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(["help", "range", "choices", "x"]))
        value = draw(st.one_of(literal_default(mode), st.just("h")))
        args.append(f"{key}={value.replace(chr(34), chr(39)) if mode.inline else value}")
    if draw(st.integers(0, 9)) == 0:
        args.append(draw(st.sampled_from(["**kw", "**{'help': 'x'}"])))
    sep = draw(separator(mode))
    joined = (sep + "," + draw(separator(mode))).join(args)
    trailing = "," if args and not mode.inline and draw(st.booleans()) else ""
    # Between the callee and "(" the call may not be inside brackets: no bare newline.
    gap = draw(st.sampled_from(["", " "] if mode.inline else ["", " ", "\t", " \\\n    "]))
    return f"{callee}{gap}({sep}{joined}{trailing}{draw(separator(mode))})"


CONTEXTS = [
    "x{n} = {call}",
    "def f{n}():\n    return {call}",
    "f{n} = lambda: {call}",
    "c{n} = [{call} for i in range(2)]",
    "g{n} = ({call} for i in range(2) if {call2})",
    "def d{n}(a={call}, *, b={call2}):\n    pass",
    "@deco({call})\ndef h{n}():\n    pass",
    "@{call}\nclass K{n}:\n    attr = {call2}",
    "if (w{n} := {call}):\n    pass",
    "lam{n} = lambda q={call}: q",
    "async def a{n}():\n    await {call}",
    "e{n} = d[{call}]  # a comment",
    "t{n} = {{{call}: {call2}}}",
    "y{n} = \\\n    {call}",
    "obj._('a', {call})",
    "z{n} = {call}.attr + __({call2})",
    "s{n} = '_(\"not\", 1)'; {call}",
]
if sys.version_info >= (3, 10):
    CONTEXTS.append(
        "match {call}:\n    case _:\n        pass\n"
        "    case {{'k': v}} if v > {call2}:\n        pass"
    )
F_STRING_CONTEXTS = ['fs{n} = f"{{{call}}}"', 'fr{n} = rf"x{{{call}!r:>{{{call2}}}}}"']


@st.composite
def statement(draw: st.DrawFn, n: int) -> str:
    if draw(st.integers(0, 4)) == 0:
        template = draw(st.sampled_from(F_STRING_CONTEXTS))
        mode = Mode(inline=True)
    else:
        template = draw(st.sampled_from(CONTEXTS))
        mode = Mode()
    return template.format(n=n, call=draw(call(mode)), call2=draw(call(mode)))


@st.composite
def module(draw: st.DrawFn) -> str:
    count = draw(st.integers(0, 6))
    body = "\n".join(draw(statement(n)) for n in range(count))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    # Raw newlines occur only between tokens or in comments (string values are escaped),
    # so any newline style is valid Python.
    return body.replace("\n", newline) + draw(st.sampled_from(["", newline]))
