"""Option value conversion: a command-line string or a loaded value to the default's type."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from literal_values import literals

from hpman_cst import convert
from hpman_cst.convert import kind_of
from hpman_cst.exceptions import InvalidValue, NotLiteralEvaluable
from hpman_cst.hints import coerce, parse_text, spec_for
from hpman_cst.literals import same_value
from hpman_cst.records import Marker


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        pytest.param(True, "bool", id="bool"),
        pytest.param(3, "int", id="int"),
        pytest.param(0.5, "float", id="float"),
        pytest.param(1j, "complex", id="complex"),
        pytest.param("s", "str", id="str"),
        pytest.param(b"s", "bytes", id="bytes"),
        pytest.param(None, "none", id="none"),
        pytest.param([1], "list", id="list"),
        pytest.param((1,), "tuple", id="tuple"),
        pytest.param({"a": 1}, "dict", id="dict"),
        pytest.param({1}, "set", id="set"),
        pytest.param(frozenset(), "frozenset", id="frozenset"),
        pytest.param(..., "any", id="ellipsis"),
        pytest.param(NotLiteralEvaluable(), "any", id="not-literal"),
        pytest.param(object(), "any", id="object"),
    ],
)
def test_kind_of(value: object, kind: str) -> None:
    assert kind_of(value) == kind


@pytest.mark.parametrize(
    ("default", "text", "expected"),
    [
        pytest.param(1, "12", 12, id="int"),
        pytest.param(1, " -3 ", -3, id="int-negative-spaces"),
        pytest.param(1, "1_000", 1000, id="int-underscores"),
        pytest.param(1, "0x10", 16, id="int-hex"),
        pytest.param(0.1, "2", 2.0, id="float-from-int-text"),
        pytest.param(0.1, "1e-3", 0.001, id="float-exponent"),
        pytest.param(0.1, "inf", float("inf"), id="float-inf"),
        pytest.param(1j, "1+2j", 1 + 2j, id="complex"),
        pytest.param("relu", "gelu", "gelu", id="str"),
        pytest.param("relu", "", "", id="str-empty"),
        pytest.param("relu", "[1]", "[1]", id="str-looks-like-list"),
        pytest.param(b"x", "b'ab'", b"ab", id="bytes"),
        pytest.param([30], "[1, 2]", [1, 2], id="list"),
        pytest.param([30], "(1, 2)", [1, 2], id="list-from-tuple"),
        pytest.param((1, 2), "(3, 4)", (3, 4), id="tuple"),
        pytest.param((1, 2), "3, 4", (3, 4), id="tuple-bare"),
        pytest.param((1, 2), "[3, 4]", (3, 4), id="tuple-from-list"),
        pytest.param({"a": 1}, "{'b': 2}", {"b": 2}, id="dict"),
        pytest.param({1}, "{2, 3}", {2, 3}, id="set"),
        pytest.param({1}, "set()", set(), id="set-empty"),
        pytest.param({1}, "[1, 1]", {1}, id="set-from-list"),
        pytest.param(frozenset({1}), "{2}", frozenset({2}), id="frozenset"),
        pytest.param(None, "3", 3, id="none-takes-literal"),
        pytest.param(None, "None", None, id="none-takes-none"),
        pytest.param(None, "hello", "hello", id="none-takes-text"),
        pytest.param(NotLiteralEvaluable(), "[1]", [1], id="not-literal-takes-literal"),
        pytest.param(Marker.NOT_LITERAL, "x y", "x y", id="not-literal-takes-text"),
    ],
)
def test_parse_text(default: object, text: str, expected: object) -> None:
    value = parse_text(spec_for("x", default), text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", ["true", "TRUE", "True", "yes", "Y", "t", "1"])
def test_parse_bool_true(text: str) -> None:
    assert parse_text(spec_for("x", False), text) is True


@pytest.mark.parametrize("text", ["false", "FALSE", "False", "no", "N", "f", "0"])
def test_parse_bool_false(text: str) -> None:
    assert parse_text(spec_for("x", True), text) is False


@pytest.mark.parametrize(
    ("default", "text", "message"),
    [
        pytest.param(
            True, "maybe", "invalid bool value: 'maybe' (use true/false, yes/no or 1/0)", id="bool"
        ),
        pytest.param(1, "1.5", "invalid int value: '1.5'", id="int-float-text"),
        pytest.param(1, "True", "invalid int value: 'True'", id="int-bool-text"),
        pytest.param(1, "ten", "invalid int value: 'ten'", id="int-word"),
        pytest.param(0.1, "fast", "invalid float value: 'fast'", id="float"),
        pytest.param(1j, "j j", "invalid complex value: 'j j'", id="complex"),
        pytest.param(
            b"x",
            "abc",
            "invalid bytes value: 'abc' (write a Python literal such as b'abc')",
            id="bytes",
        ),
        pytest.param(
            [30],
            "5",
            "invalid list value: '5' (write a Python literal such as [1, 2])",
            id="list-scalar",
        ),
        pytest.param([30], "[1,", "invalid list value: '[1,'", id="list-malformed"),
        pytest.param([30], "'[1]'", "invalid list value: \"'[1]'\"", id="list-quoted"),
        pytest.param({"a": 1}, "[1]", "invalid dict value: '[1]'", id="dict-list"),
        pytest.param((1,), "{1: 2}", "invalid tuple value", id="tuple-dict"),
        pytest.param({1}, "{'a': 1}", "invalid set value", id="set-dict"),
    ],
)
def test_parse_text_refuses(default: object, text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_text(spec_for("x", default), text)
    assert str(caught.value).startswith(message)
    assert caught.value.name == "x"


@pytest.mark.parametrize(
    ("default", "loaded", "expected"),
    [
        pytest.param(0.1, 1, 1.0, id="float-from-int"),
        pytest.param(1, "12", 12, id="int-from-string"),
        pytest.param(True, "false", False, id="bool-from-string-false"),
        pytest.param(True, 0, False, id="bool-from-zero"),
        pytest.param(0.1, "1e-3", 0.001, id="float-from-yaml-1.1-string"),
        pytest.param((1, 2), [3, 4], (3, 4), id="tuple-from-list"),
        pytest.param({1}, [2, 2], {2}, id="set-from-list"),
        pytest.param(1j, 2, 2 + 0j, id="complex-from-int"),
        pytest.param(None, {"a": 1}, {"a": 1}, id="none-takes-anything"),
        pytest.param("s", "t", "t", id="str"),
        pytest.param([1], "[2]", [2], id="list-from-string"),
    ],
)
def test_coerce(default: object, loaded: object, expected: object) -> None:
    value = coerce(spec_for("x", default), loaded)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("default", "loaded", "message"),
    [
        pytest.param("s", 3, "expected a str, got 3 (int)", id="str-int"),
        pytest.param(1, 2.5, "expected an int, got 2.5 (float)", id="int-float"),
        pytest.param(1, True, "expected an int, got True (bool)", id="int-bool"),
        pytest.param(0.5, True, "expected a float, got True (bool)", id="float-bool"),
        pytest.param(True, 2, "expected a bool, got 2 (int)", id="bool-two"),
        pytest.param([1], {"a": 1}, "expected a list, got {'a': 1} (dict)", id="list-dict"),
        pytest.param(True, "maybe", "invalid bool value: 'maybe'", id="bool-string"),
    ],
)
def test_coerce_refuses(default: object, loaded: object, message: str) -> None:
    with pytest.raises(InvalidValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        coerce(spec_for("x", default), loaded)


@settings(max_examples=200, deadline=None)
@given(value=literals)
def test_coerce_accepts_a_value_of_the_defaults_own_type(value: object) -> None:
    assert same_value(coerce(spec_for("x", value), value), value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("relu", "relu", id="str"),
        pytest.param(None, "None", id="none"),
        pytest.param([30, 60], "[30, 60]", id="list"),
        pytest.param(NotLiteralEvaluable(), "None", id="not-literal"),
        pytest.param(Marker.NOT_LITERAL, "None", id="marker"),
    ],
)
def test_display(value: object, shown: str) -> None:
    assert convert.display(value) == shown


def test_a_value_with_an_invalid_escape_gives_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would now be an exception
        assert parse_text(spec_for("x", None), "'\\d+'") == "\\d+"
