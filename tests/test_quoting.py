"""String literals written in the style of the one they replace."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hpman_cst.quoting import CannotEncode, escaped_for, is_valid_name, restyle


@pytest.mark.parametrize(
    ("value", "like", "literal"),
    [
        pytest.param("learning_rate", "'lr'", "'learning_rate'", id="single"),
        pytest.param("learning_rate", '"lr"', '"learning_rate"', id="double"),
        pytest.param("learning_rate", "'''lr'''", "'''learning_rate'''", id="triple"),
        pytest.param("learning_rate", 'r"lr"', 'r"learning_rate"', id="raw-kept"),
        pytest.param("learning_rate", "Rb'lr'", "R'learning_rate'", id="bytes-dropped"),
        pytest.param("learning_rate", "u'lr'", "u'learning_rate'", id="unicode-prefix"),
        pytest.param("learning_rate", "'l' \"r\"", "'learning_rate'", id="first-part-style"),
        pytest.param("it's", "'x'", "'it\\'s'", id="quote-escaped"),
        pytest.param("it's", '"x"', '"it\'s"', id="other-quote-not-escaped"),
        pytest.param("it's", "r'x'", "'it\\'s'", id="raw-dropped-for-quote"),
        pytest.param("a\\b", "r'x'", "r'a\\b'", id="raw-keeps-backslash"),
        pytest.param("a\\", "r'x'", "'a\\\\'", id="raw-dropped-for-final-backslash"),
        pytest.param("a\nb", "'x'", "'a\\nb'", id="newline-escaped"),
        pytest.param("a\x00b", "'x'", "'a\\x00b'", id="control-escaped"),
        pytest.param("é ☕", "'x'", "'é ☕'", id="non-ascii-kept"),
        pytest.param("x", "not a string", "'x'", id="fallback"),
    ],
)
def test_restyle(value: str, like: str, literal: str) -> None:
    assert restyle(value, like) == literal


@given(
    st.text(),
    st.sampled_from(["'x'", '"x"', "'''x'''", '"""x"""', "r'x'", 'R"x"', "u'x'", "r'''x'''"]),
)
def test_restyle_round_trips(value: str, like: str) -> None:
    assert ast.literal_eval(restyle(value, like)) == value


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("lr", True),
        ("optim.lr", True),
        ("学习率", True),
        ("a.b.c", True),
        ("", False),
        ("learning rate", False),
        ("optim.", False),
        (".lr", False),
        ("lr-decay", False),
        ("2lr", False),
        ("a'b", False),
    ],
)
def test_is_valid_name(name: str, valid: bool) -> None:
    assert is_valid_name(name) is valid


@pytest.mark.parametrize(
    ("source", "encoding", "expected"),
    [
        pytest.param("'λ'", "latin-1", "'\\u03bb'", id="bmp"),
        pytest.param('"é😀"', "ascii", '"\\xe9\\U0001f600"', id="latin-and-astral"),
        pytest.param("R'λ'", "latin-1", "'\\u03bb'", id="raw-without-backslash"),
        pytest.param("[u'λ', 1]  ", "cp1252", "[u'\\u03bb', 1]  ", id="inside-an-expression"),
        pytest.param('"""a\nλ"""', "latin-1", '"""a\n\\u03bb"""', id="multi-line"),
    ],
)
def test_escaped_for_writes_escapes_in_string_literals(
    source: str, encoding: str, expected: str
) -> None:
    assert escaped_for(source, encoding) == expected
    assert ast.literal_eval(expected) == ast.literal_eval(source)


@pytest.mark.parametrize(
    ("source", "why"),
    [
        pytest.param("λ", "outside a string literal", id="name"),
        pytest.param("r'\\dλ'", "raw string with backslashes", id="raw-with-backslash"),
        pytest.param("b'x' + f'{x}λ'", "f-string", id="f-string"),
    ],
)
def test_escaped_for_refuses_where_no_escape_can_stand(source: str, why: str) -> None:
    with pytest.raises(CannotEncode, match=why) as info:
        escaped_for(source, "latin-1")
    assert "(latin-1)" in str(info.value)
