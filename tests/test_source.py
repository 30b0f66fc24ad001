"""Decoding source bytes and line tables of decoded source.

Decoding is judged against Python itself: whatever ``compile()`` makes of the bytes (the
tree of the text it decodes, or a refusal), :func:`decode` followed by ``ast.parse`` must
make the same, for every newline convention. The line table's fast path for text
without carriage returns gives the same line starts as the general one.
"""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hpman_cst.exceptions import SourceDecodeError
from hpman_cst.source import SourceText, ast_parse, decode

_NEWLINE = re.compile(r"\r\n|\r|\n")


@given(st.text(st.sampled_from("ab \t\f\v\x0c\x1c\u2028\n\r"), max_size=40))
def test_line_starts_are_where_python_starts_lines(text: str) -> None:
    expected = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    assert SourceText(text).line_starts == expected


# -- decoding, against compile() -------------------------------------------------------


def _python_reads(data: bytes) -> str | None:
    """The tree (with positions) Python compiles ``data`` to; ``None`` if it refuses."""
    try:
        tree = compile(data, "<gen>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError:
        return None
    return ast.dump(tree, include_attributes=True)


def _we_read(data: bytes) -> str | None:
    """The same through :func:`decode`; ``None`` if it refuses. The bytes given are valid
    Python once decoded right, so a syntax error here is a wrong decoding: it propagates."""
    try:
        text, _ = decode(data, "t.py")
    except SourceDecodeError:
        return None
    return ast.dump(ast_parse(text, "t.py"), include_attributes=True)


@pytest.mark.parametrize(
    ("data", "value"),
    [
        # Python ends lines at \r as well: a cookie on line 3 does not count...
        pytest.param(b"#a\r#b\r# coding: latin-1\rs = '\xc3\xa9'\r", "\xe9", id="cr-line-3"),
        pytest.param(b"#a\r\n#b\r# coding: latin-1\ns = '\xc3\xa9'\n", "\xe9", id="mixed-line-3"),
        pytest.param(b"#!python\r\n# x\r# coding: xyz\ns = 1\n", 1, id="mixed-unknown-line-3"),
        pytest.param(b"x = 1\r# coding: latin-1\rs = '\xc3\xa9'\r", "\xe9", id="cr-after-code"),
        # ... and one on line 1 or 2 does, even when line 1 is not UTF-8.
        pytest.param(b"#!python\r# coding: latin-1\rs = '\xe9'\r", "\xe9", id="cr-line-2"),
        pytest.param(b"# coding: latin-1\rs = '\xe9'\r", "\xe9", id="cr-line-1"),
        pytest.param(b"# \xe9\n# coding: latin-1\ns = '\xe9'\n", "\xe9", id="latin-1-line-1"),
        pytest.param(b"# \xe9\r# coding: cp1252\rs = '\x80'", "\u20ac", id="cp1252-cr-no-eol"),
        pytest.param(b"\x0c \t\r\n#coding=latin-1\rs = '\xe9'", "\xe9", id="blank-line-1"),
        pytest.param(b"# coding: , coding=latin-1\rs = '\xe9'", "\xe9", id="second-spec"),
        # A UTF-8 BOM goes with no cookie or one Python normalises to utf-8 only.
        pytest.param(b"\xef\xbb\xbf# coding: UTF_8\rs = '\xc3\xa9'", "\xe9", id="bom-utf-8"),
        pytest.param(b"\xef\xbb\xbf#\r# coding: utf-8-unix\rs = 1", 1, id="bom-utf-8-unix"),
        pytest.param(b"\xef\xbb\xbf# coding: utf8\ns = 1\n", None, id="bom-utf8"),
        pytest.param(b"\xef\xbb\xbf#\r# coding: latin-1\rs = 1", None, id="bom-latin-1-cr"),
        pytest.param(b"\xef\xbb\xbfs = 1\r# coding: latin-1\r", 1, id="bom-cookie-after-code"),
        # A cookie on line 2 of a file without a newline at its end still counts.
        pytest.param(b"#\r# coding: xyz", None, id="cr-unknown-at-eof"),
        pytest.param(b"\\\r# coding: xyz\rs = 1", 1, id="continuation-line-1"),
    ],
)
def test_decode_reads_what_python_reads(data: bytes, value: object) -> None:
    python = _python_reads(data)
    assert _we_read(data) == python
    if value is None:
        assert python is None
    else:
        text, _ = decode(data)
        assert ast.literal_eval(ast_parse(text).body[-1].value) == value  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        pytest.param(b"x = 1\ry = 2\rs = '\xe9'\r", 3, id="cr"),
        pytest.param(b"x = 1\r\ny = 2\rz = 3\ns = '\xe9'\r", 4, id="mixed"),
        pytest.param(b"#\r# coding: xyz\rx = 1\r", 2, id="cookie-on-line-2"),
    ],
)
def test_decode_errors_name_the_line_python_counts(data: bytes, line: int) -> None:
    with pytest.raises(SourceDecodeError) as caught:
        decode(data, "t.py")
    assert caught.value.line == line


_PAYLOAD = st.text(st.sampled_from("a \xe9\xff\u0085\u20ac\u03bb"), max_size=3)
_COOKIES = st.sampled_from(
    [
        "latin-1", "Latin_1", "iso-8859-1", "iso_latin_1", "latin1", "cp1252", "iso-8859-15",
        "utf-8", "UTF_8", "utf8", "utf-8-sig", "utf-8-unix", "ascii", "utf-7", "xyz", "rot13",
    ]
)  # fmt: skip
_SPECS = st.sampled_from(
    ["# -*- coding: {} -*-", "#coding={}", "  # vim: set fileencoding={} :",
     "\f# coding:\t{}", "# coding: , coding: {}", "# encoding {}", "x = 0  # coding: {}"]
)  # fmt: skip


@st.composite
def _head_line(draw: st.DrawFn) -> tuple[str, str]:
    """One of the first lines: (its text, the non-ASCII payload in it)."""
    kind = draw(st.sampled_from(["blank", "comment", "cookie", "code"]))
    payload = draw(_PAYLOAD) if kind in ("comment", "cookie") else ""
    if kind == "blank":
        return draw(st.sampled_from(["", "  ", "\t\f "])), ""
    if kind == "code":
        return "x = 0", ""
    if kind == "comment":
        return f"# {payload}", payload
    return draw(_SPECS).format(draw(_COOKIES)) + f" {payload}", payload


@st.composite
def _source_file(draw: st.DrawFn) -> bytes:
    """A valid Python file once decoded right, in some encoding (maybe not the one its
    cookie names), with random newlines. Every non-ASCII character of its comments is
    also in a string literal: Python does not check the UTF-8 of comments it skips (a
    file run with ``python`` is checked, ``compile()`` does not), a string it must decode."""
    head = draw(st.lists(_head_line(), min_size=0, max_size=3))
    body = [f"s{i} = '{p}'" for i, p in enumerate(draw(st.lists(_PAYLOAD, max_size=2)))]
    lines = [text for text, _ in head] + body + ["t = '{}'".format("".join(p for _, p in head))]
    fixed = draw(st.sampled_from(["\n", "\r\n", "\r", None]))
    ends = [fixed or draw(st.sampled_from(["\n", "\r\n", "\r"])) for _ in lines]
    if draw(st.booleans()):
        ends[-1] = ""
    text = "".join(line + end for line, end in zip(lines, ends))
    writing = draw(st.sampled_from(["utf-8", "latin-1", "cp1252"]))
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode(writing, "replace")


@given(_source_file())
@example(b"#a\r#b\r# coding: latin-1\rt = '\xc3\xa9'\r")
@example(b"# \xe9\n# coding: latin-1\nt = '\xe9'\n")
def test_decode_agrees_with_compile(data: bytes) -> None:
    assert _we_read(data) == _python_reads(data)
