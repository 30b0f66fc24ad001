"""The one "same value" rule (:func:`hpman_cst.literals.same_value`) and its users."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import given, settings
from literal_values import literals

from hpman_cst.exceptions import InvalidValue
from hpman_cst.hints import check_hints, spec_for
from hpman_cst.literals import same_value


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(1, 1, True, id="int"),
        pytest.param(1, 1.0, False, id="int-float"),
        pytest.param(1, True, False, id="int-bool"),
        pytest.param(1.0, True, False, id="float-bool"),
        pytest.param(0, False, False, id="zero-false"),
        pytest.param(1, 1 + 0j, False, id="int-complex"),
        pytest.param("1", 1, False, id="str-int"),
        pytest.param(b"a", "a", False, id="bytes-str"),
        pytest.param(None, None, True, id="none"),
        pytest.param(float("nan"), float("nan"), True, id="nan"),
        pytest.param([float("nan")], [float("nan")], True, id="nan-in-a-list"),
        pytest.param(0.0, -0.0, False, id="signed-zero"),
        pytest.param([1], [1.0], False, id="list-int-float"),
        pytest.param([1], [True], False, id="list-int-bool"),
        pytest.param((1,), [1], False, id="tuple-list"),
        pytest.param([1, (2,)], [1, [2]], False, id="nested-tuple-list"),
        pytest.param([[1, [2, (3,)]]], [[1, [2, (3,)]]], True, id="nested-equal"),
        pytest.param([[1, [2, (3,)]]], [[1, [2, (3.0,)]]], False, id="nested-deep-float"),
        pytest.param({1: {2}}, {1: {2}}, True, id="dict-of-set"),
        pytest.param({1: 0}, {True: 0}, False, id="dict-key-int-bool"),
        pytest.param({1: 0}, {1.0: 0}, False, id="dict-key-int-float"),
        pytest.param({"a": [1]}, {"a": [1.0]}, False, id="dict-value-nested"),
        pytest.param({"a": 1, "b": 2}, {"b": 2, "a": 1}, True, id="dict-order"),
        pytest.param({1, 2}, {2, 1}, True, id="set-order"),
        pytest.param({1, 2}, {1.0, 2}, False, id="set-int-float"),
        pytest.param({1}, frozenset({1}), False, id="set-frozenset"),
        pytest.param({(1, 2)}, {(1, 2.0)}, False, id="set-of-tuples"),
        pytest.param(..., ..., True, id="ellipsis"),
    ],
)
def test_same_value(a: object, b: object, expected: bool) -> None:
    assert same_value(a, b) is expected
    assert same_value(b, a) is expected


@settings(max_examples=300, deadline=None)
@given(value=literals)
def test_a_literal_is_the_same_as_a_copy_of_itself(value: object) -> None:
    # NaN included, which == says is not itself.
    assert same_value(value, copy.deepcopy(value))


@pytest.mark.parametrize(
    ("choices", "value"),
    [
        pytest.param([[1], [2]], [1.0], id="nested-float-for-int"),
        pytest.param([(1, True)], (1, 1), id="nested-int-for-bool"),
        pytest.param([0.0, 1.0], -0.0, id="negative-zero"),
    ],
)
def test_a_choice_is_the_same_value_all_the_way_down(choices: list[object], value: object) -> None:
    spec = spec_for("x", None, {"choices": choices})
    with pytest.raises(InvalidValue, match="invalid choice"):
        check_hints(spec, value)


def test_nan_is_not_inside_a_range() -> None:
    # NaN is the same as NaN, but no number compares with it.
    with pytest.raises(InvalidValue, match="out of range"):
        check_hints(spec_for("x", 0.5, {"range": [0.0, 1.0]}), math.nan)
