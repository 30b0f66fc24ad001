"""The hints (choices, range, required, help, scale): the model, the one check of a value
against them, and the reasons a hint cannot be honoured."""

from __future__ import annotations

import pytest

from hpman_cst.exceptions import InvalidHint, InvalidValue, NotLiteralEvaluable
from hpman_cst.hints import (
    check_value,
    coerce,
    first_hints,
    hint_problem,
    parse_text,
    scale_problem,
    spec_for,
    spec_from_occurrences,
)
from hpman_cst.records import Occurrence, Span


def test_choices_accept_a_listed_value() -> None:
    spec = spec_for("act", "relu", {"choices": ["relu", "gelu"]})
    assert parse_text(spec, "gelu") == "gelu"


def test_choices_refuse_an_unlisted_value() -> None:
    spec = spec_for("act", "relu", {"choices": ["relu", "gelu"]})
    with pytest.raises(
        InvalidValue, match=r"invalid choice: 'tanh' \(choose from 'relu', 'gelu'\)"
    ):
        parse_text(spec, "tanh")


def test_choices_are_converted_to_the_kind() -> None:
    spec = spec_for("lr", 0.1, {"choices": [1, 0.1]})
    assert spec.choices == (1.0, 0.1)
    assert coerce(spec, 1) == 1.0


def test_choices_compare_types() -> None:
    spec = spec_for("x", None, {"choices": [1, "a"]})
    with pytest.raises(InvalidValue, match="invalid choice: True"):
        parse_text(spec, "True")


def test_choices_are_checked_on_load() -> None:
    spec = spec_for("act", "relu", {"choices": ["relu", "gelu"]})
    with pytest.raises(InvalidValue, match="invalid choice: 'tanh'"):
        coerce(spec, "tanh")


@pytest.mark.parametrize(
    ("bounds", "text", "ok"),
    [
        pytest.param([0.0, 1.0], "0.5", True, id="inside"),
        pytest.param([0.0, 1.0], "0", True, id="low-bound-included"),
        pytest.param([0.0, 1.0], "1", True, id="high-bound-included"),
        pytest.param([0.0, 1.0], "1.01", False, id="above"),
        pytest.param([0.0, 1.0], "-0.1", False, id="below"),
        pytest.param([0.0, 1.0], "nan", False, id="nan"),
        pytest.param([0, None], "1e9", True, id="open-high"),
        pytest.param([None, 0], "-inf", True, id="open-low"),
    ],
)
def test_range(bounds: list[float | None], text: str, ok: bool) -> None:
    spec = spec_for("p", 0.1, {"range": bounds})
    if ok:
        assert parse_text(spec, text) == float(text)
    else:
        with pytest.raises(InvalidValue, match="is out of range"):
            parse_text(spec, text)


def test_range_message() -> None:
    spec = spec_for("layers", 5, {"range": [1, 10]})
    with pytest.raises(InvalidValue, match=r"^12 is out of range \[1, 10\]$"):
        parse_text(spec, "12")


def test_range_on_any_kind_refuses_non_numbers() -> None:
    spec = spec_for("x", None, {"range": [1, 10]})
    with pytest.raises(InvalidValue, match=r"'a' is not a number in range \[1, 10\]"):
        parse_text(spec, "a")


@pytest.mark.parametrize(
    ("default", "hints", "message"),
    [
        pytest.param(1, {"range": [1]}, "hint `range` of `x` must be [low, high]", id="range-one"),
        pytest.param(1, {"range": 5}, "hint `range` of `x` must be [low, high]", id="range-scalar"),
        pytest.param(
            1, {"range": ["a", "b"]}, "bounds must be numbers or None", id="range-strings"
        ),
        pytest.param(1, {"range": [True, 3]}, "bounds must be numbers or None", id="range-bool"),
        pytest.param(1, {"range": [5, 1]}, "is empty: 5 > 1", id="range-empty"),
        pytest.param("s", {"range": [0, 1]}, "does not apply to a str", id="range-on-str"),
        pytest.param(1, {"choices": 5}, "must be a non-empty list", id="choices-scalar"),
        pytest.param(1, {"choices": []}, "must be a non-empty list", id="choices-empty"),
        pytest.param(
            1, {"choices": ["a"]}, "holds a bad value: invalid int value: 'a'", id="choices-type"
        ),
        pytest.param(1, {"required": "yes"}, "must be True or False", id="required"),
        pytest.param(1, {"help": 3}, "must be a string", id="help"),
    ],
)
def test_bad_hints(default: object, hints: dict[str | None, object], message: str) -> None:
    with pytest.raises(InvalidHint) as caught:
        spec_for("x", default, hints, where="model.py:7:12")
    assert str(caught.value).startswith("model.py:7:12: hint `")
    assert str(caught.value).endswith(message)


def test_other_hints_are_ignored() -> None:
    spec = spec_for("x", 1, {"unit": "ms", None: {"a": 1}})
    assert (spec.choices, spec.bounds, spec.required, spec.help) == (None, None, False, None)


def test_required_and_help() -> None:
    spec = spec_for("x", 1, {"required": True, "help": "layers"})
    assert (spec.required, spec.help) == (True, "layers")


@pytest.mark.parametrize(
    ("default", "hints", "metavar"),
    [
        pytest.param("a", {"choices": ["a", "b"]}, "{a,b}", id="choices"),
        pytest.param(1, {"choices": [1, 2]}, "{1,2}", id="int-choices"),
        pytest.param(True, {}, "{true,false}", id="bool"),
        pytest.param(1, {}, None, id="none"),
    ],
)
def test_metavar(default: object, hints: dict[str | None, object], metavar: str | None) -> None:
    assert spec_for("x", default, hints).metavar == metavar


@pytest.mark.parametrize(
    ("default", "value", "message"),
    [
        pytest.param(1, 1.0, "expected an int, got 1.0 (float)", id="float-for-int"),
        pytest.param(1, True, "expected an int, got True (bool)", id="bool-for-int"),
        pytest.param(0.5, 1, "expected a float, got 1 (int)", id="int-for-float"),
        pytest.param((1, 2), [1, 2], "expected a tuple, got [1, 2] (list)", id="list-for-tuple"),
        pytest.param(1, 3, "invalid choice: 3 (choose from 1, 2)", id="not-a-choice"),
    ],
)
def test_check_value_takes_the_defaults_type_exactly(
    default: object, value: object, message: str
) -> None:
    spec = spec_for("n", default, {"choices": [default, 2] if default == 1 else None})
    with pytest.raises(InvalidValue) as caught:
        check_value(spec, value)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("default", "value"),
    [
        pytest.param(1, 2, id="int"),
        pytest.param(None, "anything", id="none-takes-any-value"),
        pytest.param(NotLiteralEvaluable(), [1], id="not-a-literal-takes-any-value"),
    ],
)
def test_check_value_accepts(default: object, value: object) -> None:
    check_value(spec_for("n", default), value)


def test_check_value_checks_the_range() -> None:
    with pytest.raises(InvalidValue, match=r"^1\.5 is out of range \[0\.0, 1\.0\]$"):
        check_value(spec_for("p", 0.5, {"range": [0.0, 1.0]}), 1.5)


def _occurrence(line: int, hints: dict[str, object]) -> Occurrence:
    return Occurrence(
        name="lr",
        path="train.py",
        placeholder="_",
        span=Span(line, 4, line, 30),
        name_span=Span(line, 6, line, 10),
        default="0.1",
        value=0.1,
        hints=tuple(hints.items()),
    )


def test_the_model_holds_every_hint_an_export_reads() -> None:
    spec = spec_from_occurrences(
        "lr",
        0.1,
        [
            _occurrence(3, {"range": [1e-5, 1.0], "scale": "log", "help": "step size"}),
            _occurrence(9, {"choices": [0.1, 0.01]}),
        ],
    )
    assert (spec.kind, spec.type_name, spec.bounds, spec.scale, spec.help) == (
        "float",
        "float",
        (1e-5, 1.0),
        "log",
        "step size",
    )
    assert spec.choices == (0.1, 0.01)


def test_the_first_call_giving_a_hint_gives_it() -> None:
    later, earlier = _occurrence(9, {"help": "later"}), _occurrence(3, {"help": "earlier"})
    assert first_hints([later, earlier])["help"] == ("earlier", earlier)
    assert spec_from_occurrences("lr", 0.1, [later, earlier]).help == "earlier"


def test_a_bad_hint_is_located_at_the_call_that_gives_it() -> None:
    with pytest.raises(InvalidHint) as caught:
        spec_from_occurrences("lr", 0.1, [_occurrence(3, {}), _occurrence(9, {"range": [1]})])
    assert str(caught.value) == "train.py:9:5: hint `range` of `lr` must be [low, high]"


@pytest.mark.parametrize("scale", ["exp", 2, ["log"]])
def test_a_scale_the_front_ends_do_not_use_is_left_out_of_the_model(scale: object) -> None:
    assert spec_for("lr", 0.1, {"scale": scale}).scale is None


@pytest.mark.parametrize(
    ("default", "hints", "reason"),
    [
        pytest.param(0.1, {"range": [1]}, "hint `range` of `x` must be [low, high]", id="range"),
        pytest.param(1, {"choices": 5}, "hint `choices` of `x` must be a non-empty list", id="c"),
        pytest.param(
            "a", {"range": [0, 1]}, "hint `range` of `x` does not apply to a str", id="str-range"
        ),
        pytest.param(
            1,
            {"choices": ["a"]},
            "hint `choices` of `x` holds a bad value: invalid int value: 'a'",
            id="choices-of-another-type",
        ),
        pytest.param(
            1, {"required": "yes"}, "hint `required` of `x` must be True or False", id="r"
        ),
    ],
)
def test_hint_problem_says_why(
    default: object, hints: dict[str | None, object], reason: str
) -> None:
    assert hint_problem("x", default, hints) == reason
    with pytest.raises(InvalidHint):  # what stops the front-ends' bind
        spec_for("x", default, hints)


@pytest.mark.parametrize(
    "hints",
    [
        pytest.param({}, id="none"),
        pytest.param({"range": [1e-5, 1.0], "scale": "log"}, id="log-range"),
        pytest.param({"scale": "linear", "choices": [0.1, 0.2]}, id="linear-choices"),
        pytest.param({"unit": "ms", None: {"a": 1}}, id="other-hints"),
        pytest.param({"scale": "exp"}, id="a-scale-the-front-ends-ignore"),
        pytest.param({"scale": "log", "range": [0.0, 1.0]}, id="log-from-zero-is-not-theirs"),
    ],
)
def test_hint_problem_none_for_hints_the_front_ends_honour(
    hints: dict[str | None, object],
) -> None:
    assert hint_problem("x", 0.1, hints) is None
    spec_for("x", 0.1, hints)


@pytest.mark.parametrize(
    ("hints", "reason"),
    [
        pytest.param({"scale": "exp"}, "hint `scale` of `x` must be 'linear' or 'log'", id="exp"),
        pytest.param({"scale": ["log"]}, "hint `scale` of `x` must be 'linear' or 'log'", id="l"),
        pytest.param(
            {"scale": "log", "range": [0.0, 1.0]},
            "hint `scale` of `x` is 'log', but its range does not start above 0",
            id="log-from-zero",
        ),
        pytest.param(
            {"scale": "log", "range": [None, 1.0]},
            "hint `scale` of `x` is 'log', but its range does not start above 0",
            id="log-open-low",
        ),
        pytest.param({"scale": "log", "range": [1e-5, 1.0]}, None, id="log-above-zero"),
        pytest.param({"scale": "linear", "range": [-1.0, 1.0]}, None, id="linear-from-below-0"),
        pytest.param({"scale": "log", "range": [1]}, None, id="bad-range-is-hint-problems"),
        pytest.param({"range": [0.0, 1.0]}, None, id="no-scale"),
    ],
)
def test_scale_problem(hints: dict[str | None, object], reason: str | None) -> None:
    assert scale_problem("x", hints) == reason
