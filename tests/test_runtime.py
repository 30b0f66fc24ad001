"""The manager behind `_`: values, priorities, the one-default rule, trees, setters
(hpman-reference sections 3-5), and where hpman-cst deliberately differs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from python_version import MATCH

import hpman_cst
from hpman_cst import (
    DoubleAssignmentException,
    EmptyValue,
    HpmanError,
    HyperParameterManager,
    HyperParameterNotFound,
    ImpossibleTree,
    InvalidArgument,
    NotLiteralEvaluable,
    P,
    UnknownHyperParameterWarning,
)


def parsed(source: str, filename: str = "t.py") -> HyperParameterManager:
    return HyperParameterManager("_").parse_source(source, filename)


# -- construction -------------------------------------------------------------------------


def test_placeholder_and_separator_are_stored() -> None:
    mgr = HyperParameterManager("hp", separator="/")
    assert (mgr.placeholder, mgr.separator) == ("hp", "/")


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"separator": ""}, id="empty-separator"),
        pytest.param({"placeholder": "not an identifier"}, id="bad-placeholder"),
    ],
)
def test_bad_constructor_arguments_raise_invalid_argument(kwargs: dict[str, str]) -> None:
    with pytest.raises(InvalidArgument) as info:
        HyperParameterManager(**kwargs)
    assert isinstance(info.value, ValueError)


def test_no_attribute_fallback() -> None:
    with pytest.raises(AttributeError):
        HyperParameterManager().foo  # type: ignore[attr-defined]  # noqa: B018


# -- __call__ and get_value -----------------------------------------------------------------


def test_parsed_default_is_the_value() -> None:
    mgr = parsed("_('lr', 0.1)")
    assert mgr("lr") == 0.1
    assert mgr.get_value("lr") == 0.1


def test_call_with_value_beats_parsed_default() -> None:
    mgr = parsed("_('p', 1)")
    assert mgr("p", 5) == 5
    assert mgr.get_value("p") == 5


def test_later_call_replaces_earlier_call_value() -> None:
    mgr = HyperParameterManager()
    mgr("p", 1)
    assert mgr("p", 2) == 2
    assert mgr("p") == 2


def test_setter_beats_call() -> None:
    mgr = HyperParameterManager()
    mgr.set_value("p", 3)
    assert mgr("p", 5) == 3


def test_call_with_none_is_a_value() -> None:
    mgr = HyperParameterManager()
    assert mgr("maybe", None) is None
    assert mgr.exists("maybe")


def test_call_with_explicit_empty_value_is_a_get() -> None:
    mgr = parsed("_('p', 1)")
    assert mgr("p", EmptyValue()) == 1
    with pytest.raises(HyperParameterNotFound):
        mgr("q", EmptyValue())


def test_runtime_hints_are_ignored() -> None:
    mgr = HyperParameterManager()
    assert mgr("lr", 0.1, help="rate", name="x", value=3) == 0.1
    occurrence = mgr.get_occurrence("lr")
    assert occurrence is not None
    assert dict(occurrence.hints) == {}


def test_runtime_name_need_not_be_literal() -> None:
    mgr = HyperParameterManager()
    names = [f"layer{i}" for i in range(3)]
    assert [mgr(n, i) for i, n in enumerate(names)] == [0, 1, 2]


def test_same_value_object_again_keeps_the_occurrence() -> None:
    mgr = HyperParameterManager()
    value = [1, 2]
    mgr("ms", value)
    first = mgr.get_occurrence("ms")
    assert mgr("ms", value) is value
    assert mgr.get_occurrence("ms") is first


def test_equal_but_new_value_object_is_recorded() -> None:
    mgr = HyperParameterManager()
    mgr("ms", [1, 2])
    first = mgr.get_occurrence("ms")
    mgr("ms", [1, 2])
    assert mgr.get_occurrence("ms") is not first


def test_unknown_name_raises_not_found_with_suggestion() -> None:
    mgr = parsed("_('learning_rate', 0.1)")
    with pytest.raises(HyperParameterNotFound) as info:
        mgr.get_value("learning_rat")
    assert isinstance(info.value, KeyError)
    assert str(info.value) == "`learning_rat` not found; did you mean `learning_rate`?"


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        pytest.param("LEARNING_RATE", "`learning_rate`", id="case-only"),
        pytest.param("lr", "`optim.lr`", id="missing-group"),
    ],
)
def test_not_found_suggests_case_and_group_differences(name: str, suggested: str) -> None:
    mgr = parsed("_('learning_rate', 0.1)\n_('optim.lr', 0.1)")
    with pytest.raises(HyperParameterNotFound) as info:
        mgr.get_value(name)
    assert str(info.value) == f"`{name}` not found; did you mean {suggested}?"


def test_call_of_unknown_name_raises_not_found() -> None:
    with pytest.raises(KeyError):
        HyperParameterManager()("lr")


def test_name_without_default_has_no_value() -> None:
    mgr = parsed("x = 1\nvalue = _('b')")
    with pytest.raises(HyperParameterNotFound) as info:
        mgr.get_value("b")
    assert str(info.value) == "`b` has no value: it is used without a default (t.py:2:9)"


def test_raise_exception_false_returns_empty_value() -> None:
    assert isinstance(HyperParameterManager().get_value("x", raise_exception=False), EmptyValue)


def test_non_literal_default_is_not_literal_evaluable() -> None:
    mgr = parsed("_('f', compute())")
    assert isinstance(mgr.get_value("f"), NotLiteralEvaluable)
    assert repr(mgr.get_value("f")) == "NotLiteralEvaluable()"
    assert mgr("f", 42) == 42


def test_nested_calls_are_both_recorded() -> None:
    mgr = parsed("_('a', _('b', 2))")
    assert isinstance(mgr.get_value("a"), NotLiteralEvaluable)
    assert mgr.get_value("b") == 2


def test_other_placeholders_are_not_parsed() -> None:
    mgr = HyperParameterManager("hp").parse_source("hp('a', 1)\n_('b', 2)")
    assert mgr.get_values() == {"a": 1}


def test_default_may_come_after_use() -> None:
    mgr = parsed("_('a')\n_('a')\n_('a', 3)\n_('a')")
    assert mgr.get_value("a") == 3


# -- exists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("leaf", True, id="leaf"),
        pytest.param("none", True, id="none-value"),
        pytest.param("tree", True, id="branch"),
        pytest.param("bare", False, id="no-default"),
        pytest.param("unknown", False, id="unknown"),
    ],
)
def test_exists(name: str, expected: bool) -> None:
    mgr = parsed("_('leaf', 1)\n_('none', None)\n_('tree.x', 1)\n_('bare')")
    assert mgr.exists(name) is expected


def test_branch_without_any_value_does_not_exist() -> None:
    mgr = parsed("_('a.b')")
    assert not mgr.exists("a")
    with pytest.raises(HyperParameterNotFound):
        mgr.get_value("a")


# -- get_values, get_nodes, get_occurrence(s) -----------------------------------------------


def test_get_values_leaves_out_names_without_default() -> None:
    assert parsed("_('a', 1)\n_('b')").get_values() == {"a": 1}


def test_get_nodes_match_get_values() -> None:
    mgr = parsed("_('optim.lr')\n_('bs', 64)\n_('optim.lr', .1)\n_('bare')")
    assert [(n.name, n.value) for n in mgr.get_nodes()] == list(mgr.get_values().items())


def test_get_occurrence_after_parse_is_the_default() -> None:
    mgr = parsed("_('a')\nx = _('a', 1, help='h')")
    occurrence = mgr.get_occurrence("a")
    assert occurrence is not None
    assert (occurrence.value, occurrence.filename, occurrence.lineno, occurrence.column) == (
        1,
        "t.py",
        2,
        4,
    )
    assert occurrence.priority is P.PRIORITY_PARSED_FROM_SOURCE_CODE
    assert occurrence.hints == {"help": "h"}


def test_get_occurrence_at_runtime_has_no_location() -> None:
    mgr = parsed("_('a', 1)")
    mgr.set_value("a", 2)
    occurrence = mgr.get_occurrence("a")
    assert occurrence is not None
    assert (occurrence.filename, occurrence.lineno, occurrence.priority) == (
        None,
        None,
        P.PRIORITY_SET_FROM_SETTER,
    )


def test_get_occurrence_of_name_without_default() -> None:
    occurrence = parsed("_('a')").get_occurrence("a")
    assert occurrence is not None
    assert isinstance(occurrence.value, EmptyValue)
    assert not occurrence.has_default_value


@pytest.mark.parametrize("name", ["unknown", "tree"])
def test_get_occurrence_of_unknown_or_branch_is_none(name: str) -> None:
    assert parsed("_('tree.x', 1)").get_occurrence(name) is None


def test_get_occurrences_are_index_records_in_file_order() -> None:
    mgr = parsed("_('b', _('c', 1))\n_('a', 2)\n_('b')")
    records = mgr.get_occurrences()
    assert [(r.name, r.span.line, r.span.column) for r in records] == [
        ("b", 1, 0),
        ("c", 1, 7),
        ("a", 2, 0),
        ("b", 3, 0),
    ]
    assert [r.default for r in mgr.get_occurrences("b")] == ["_('c', 1)", None]


def test_get_occurrences_answer_to_hpmans_occurrence_fields() -> None:
    # hpman's occurrence has `filename` and `lineno`; code written against it reads them.
    mgr = parsed("x = 1\n_('a', 2)\n", filename="cfg.py")
    (record,) = mgr.get_occurrences()
    assert (record.filename, record.lineno, record.column) == ("cfg.py", 2, 0)
    assert (record.filename, record.lineno) == (record.path, record.span.line)
    top = mgr.get_occurrence("a")
    assert top is not None and (top.filename, top.lineno) == (record.filename, record.lineno)


def test_occurrences_fixture_reads_hpmans_fields() -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "fixtures/runtime/occurrences/report.py"
    root = str(Path(hpman_cst.__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, str(script)],
        env={**os.environ, "PYTHONPATH": root},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "settings.py:3 lr\nsettings.py:5 epochs\n")


def test_get_occurrences_of_unknown_name_is_empty() -> None:
    assert parsed("_('a', 1)").get_occurrences("zzz") == ()


# -- the one-default rule -------------------------------------------------------------------


def test_many_occurrences_without_default_are_fine() -> None:
    mgr = parsed("_('a')\n_('a')\n_('a', 1)")
    assert mgr.get_value("a") == 1


@pytest.mark.parametrize(
    "default",
    ["32", "1.5", "'x'", "[1, (2, 3)]", "{'a': 1, 'b': 2}", "{1, 2}", "None", "compute()"],
)
def test_equal_duplicate_defaults_are_accepted(default: str) -> None:
    mgr = parsed(f"_('bs', {default})\nx = _('bs', {default})")
    assert len(mgr.get_occurrences("bs")) == 2


def test_dict_defaults_in_other_key_order_are_equal() -> None:
    mgr = parsed("_('d', {'a': 1, 'b': 2})\n_('d', {'b': 2, 'a': 1})")
    assert mgr.get_value("d") == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("1", "2", id="different"),
        pytest.param("1", "1.0", id="int-float"),
        pytest.param("1", "True", id="int-bool"),
        pytest.param("[1]", "[1.0]", id="nested-types"),
        pytest.param("{1: 'a'}", "{1.0: 'a'}", id="key-types"),
        pytest.param("(1,)", "[1]", id="tuple-list"),
        pytest.param("0.0", "-0.0", id="signed-zero"),
        pytest.param("{1: 0}", "{True: 0}", id="key-int-bool"),
        pytest.param("relu", "gelu", id="non-literals"),
        pytest.param("1", "one", id="literal-non-literal"),
    ],
)
def test_different_defaults_conflict(first: str, second: str) -> None:
    with pytest.raises(DoubleAssignmentException) as info:
        parsed(f"_('x', {first})\ny = _('x', {second})")
    headline = str(info.value).splitlines()[0]
    assert headline == f"t.py:2:5: conflicting defaults for `x`: {second} here, {first} at t.py:1:1"


def test_conflict_message_keeps_hpman_context_blocks() -> None:
    with pytest.raises(DoubleAssignmentException) as info:
        parsed("a = 1\n_('x', 1)\n_('x', 2)\n")
    assert str(info.value).splitlines()[1:] == [
        "First occurrence:",
        "t.py:2",
        "    1: a = 1",
        "==> 2: _('x', 1)",
        "    3: _('x', 2)",
        "Second occurrence:",
        "t.py:3",
        "    1: a = 1",
        "    2: _('x', 1)",
        "==> 3: _('x', 2)",
    ]


def test_first_default_is_the_first_in_breadth_first_order() -> None:
    source = "def f():\n    return _('p', 1)\n\n\nvalue = _('p', 2)\n"
    with pytest.raises(DoubleAssignmentException) as info:
        parsed(source)
    assert str(info.value).splitlines()[0] == (
        "t.py:2:12: conflicting defaults for `p`: 1 here, 2 at t.py:5:9"
    )


def test_conflict_across_parse_calls() -> None:
    mgr = parsed("_('bs', 32)", "a.py")
    with pytest.raises(DoubleAssignmentException, match=r"64 here, 32 at a\.py:1:1"):
        mgr.parse_source("_('bs', 64)", "b.py")


def test_runtime_value_does_not_count_as_a_default() -> None:
    mgr = HyperParameterManager()
    mgr("bs", 1)
    mgr.parse_source("_('bs', 2)")
    assert mgr.get_value("bs") == 1


# -- dotted names are a tree ----------------------------------------------------------------


def test_branch_value_is_a_nested_dict() -> None:
    mgr = parsed("_('optim.lr', .1)\n_('optim.sched.gamma', .5)")
    assert mgr.get_value("optim") == {"lr": 0.1, "sched": {"gamma": 0.5}}
    assert mgr("optim.sched") == {"gamma": 0.5}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("_('a.b', 1)\n_('a')", id="parent-after"),
        pytest.param("_('a')\n_('a.b', 1)", id="parent-before"),
    ],
)
def test_parent_without_default_is_harmless(source: str) -> None:
    assert parsed(source).get_value("a") == {"b": 1}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            "_('encoder', 1)\n_('encoder.dim', 2)",
            "t.py:2:1: `encoder` is both a leaf and a tree: it has a value (default at t.py:1:1)"
            " and `encoder.dim` is below it",
            id="child-after-leaf",
        ),
        pytest.param(
            "_('c', {'d': 2})\n_('c.d')",
            "t.py:2:1: `c` is both a leaf and a tree: it has a value (default at t.py:1:1)"
            " and `c.d` is below it",
            id="child-without-default",
        ),
        pytest.param(
            "_('decoder.x', 1)\n_('decoder', 2)",
            "t.py:2:1: `decoder` is both a leaf and a tree: it gets a default here and"
            " `decoder.x` (t.py:1:1) is below it",
            id="leaf-after-child",
        ),
    ],
)
def test_leaf_with_value_cannot_be_a_tree(source: str, message: str) -> None:
    with pytest.raises(ImpossibleTree) as info:
        parsed(source)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == message


def test_parsed_child_under_runtime_value_is_impossible() -> None:
    mgr = HyperParameterManager()
    mgr.set_value("a", 1)
    with pytest.raises(ImpossibleTree, match="it has a value \\(set at run time\\)"):
        mgr.parse_source("_('a.b', 2)")


@pytest.mark.parametrize("name", [".", ".x", "x.", "a..b", ""])
def test_empty_segments_are_legal_names(name: str) -> None:
    mgr = parsed(f"_({name!r}, 1)")
    assert mgr.get_values() == {name: 1}
    assert mgr(name) == 1


def test_setter_turns_a_parsed_leaf_into_a_tree() -> None:
    mgr = parsed("_('a.b', 1)\n_('c', {'d': 2})\n_('a.b')")
    with pytest.warns(UnknownHyperParameterWarning, match="`c` has a default"):
        mgr.set_value("c.d", 3)
    assert mgr.get_value("c") == {"d": 3}
    assert mgr.get_tree() == {"a": {"b": 1}, "c": {"d": 3}}
    assert mgr("c", {"d": 2}) == {"d": 3}


def test_set_tree_overrides_a_dict_valued_leaf() -> None:
    mgr = parsed("_('c', {'d': 2})")
    with pytest.warns(UnknownHyperParameterWarning, match="`c` has a default"):
        mgr.set_tree({"c": {"d": 3}})
    assert mgr.get_value("c") == {"d": 3}


def test_child_of_dict_valued_leaf_is_not_found() -> None:
    mgr = parsed("_('a.b', 1)\n_('c', {'d': 2})")
    with pytest.raises(KeyError):
        mgr("c.d")


def test_call_cannot_turn_a_leaf_into_a_tree() -> None:
    mgr = parsed("_('a', 1)")
    with pytest.raises(ImpossibleTree, match="`a` is a leaf with a value"):
        mgr("a.b", 2)


def test_call_cannot_give_a_tree_a_value() -> None:
    mgr = parsed("_('a.b', 1)")
    with pytest.raises(ImpossibleTree, match="`a` is a tree"):
        mgr("a", 2)


def test_setter_cannot_give_a_tree_a_value() -> None:
    mgr = parsed("_('a.b', 1)")
    with pytest.raises(ImpossibleTree, match="`a` is a tree"):
        mgr.set_value("a", 2)


def test_setter_cannot_put_a_name_below_a_set_value() -> None:
    mgr = HyperParameterManager()
    mgr.set_value("a", 1)
    with pytest.raises(ImpossibleTree, match="`a` has a value from a setter"):
        mgr.set_value("a.b", 2)


# -- separator ------------------------------------------------------------------------------


def test_separator_splits_parsed_names() -> None:
    mgr = HyperParameterManager("_", separator="/").parse_source("_('a/b', 1)\n_('c.d', 2)")
    assert mgr.get_tree() == {"a": {"b": 1}, "c.d": 2}
    assert mgr.get_value("a") == {"b": 1}


def test_separator_joins_set_tree_keys() -> None:
    mgr = HyperParameterManager("_", separator="/")
    mgr.set_tree({"a": {"b": 1}})
    assert mgr.get_values() == {"a/b": 1}
    assert mgr.get_tree() == {"a": {"b": 1}}


def test_multi_character_separator() -> None:
    mgr = HyperParameterManager("_", separator="::").parse_source("_('a::b', 1)")
    assert mgr.get_tree() == {"a": {"b": 1}}


# -- get_tree -------------------------------------------------------------------------------


def test_get_tree_of_empty_manager() -> None:
    assert HyperParameterManager().get_tree() == {}


def test_get_tree_of_unknown_prefix() -> None:
    assert parsed("_('a.b', 1)").get_tree("zzz") == {}


def test_get_tree_of_prefix() -> None:
    assert parsed("_('a.b.c', 1)\n_('a.d', 2)").get_tree("a.b") == {"c": 1}


def test_get_tree_of_leaf_raises_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match=r"`a\.b` is a leaf, not a tree") as info:
        parsed("_('a.b', 1)").get_tree("a.b")
    assert isinstance(info.value, ValueError)


def test_get_tree_leaves_out_names_without_default() -> None:
    assert parsed("_('a.b', 1)\n_('a.c')\n_('d.e')").get_tree() == {"a": {"b": 1}}


def test_get_tree_annotates_dict_values_in_copies() -> None:
    mgr = parsed("_('opt.kw', {'x': 1})")
    assert mgr.get_tree(annotate_dict=True) == {"opt": {"kw": {"x": 1, "__is_dict__": True}}}
    assert mgr.get_value("opt.kw") == {"x": 1}


def test_get_tree_round_trips_through_set_tree() -> None:
    mgr = parsed("_('opt.kw', {'x': 1})\n_('opt.lr', 0.1)")
    tree = mgr.get_tree(annotate_dict=True)
    mgr.set_tree(tree)
    assert mgr.get_values() == {"opt.kw": {"x": 1}, "opt.lr": 0.1}
    assert tree["opt"]["kw"] == {"x": 1, "__is_dict__": True}  # the caller's dict is untouched


# -- setters --------------------------------------------------------------------------------


def test_set_value_returns_self_and_chains() -> None:
    mgr = HyperParameterManager()
    assert mgr.set_value("a", 1).set_value("b", 2) is mgr
    assert mgr.get_values() == {"a": 1, "b": 2}


def test_later_set_replaces_earlier_set() -> None:
    mgr = HyperParameterManager()
    mgr.set_value("a", 1)
    mgr.set_value("a", "str")
    assert mgr.get_value("a") == "str"
    occurrence = mgr.tree.get("a")
    assert occurrence is not None and occurrence.node is not None
    assert len(occurrence.node) == 1


def test_set_values_before_parsing_creates_names() -> None:
    values = {"a": 1, "b": 0.3, "c": [1, 2, "a"], "d": {"a": 1}, "f": print}
    mgr = HyperParameterManager().set_values(values)
    assert mgr.get_values() == values


def test_set_value_after_parsing_stores_unknown_names_with_a_warning() -> None:
    # hpman stores them (its test_exists and real launchers rely on it); we also warn.
    mgr = parsed("_('learning_rate', 0.1)")
    with pytest.warns(UnknownHyperParameterWarning) as info:
        mgr.set_value("learning_rat", 0.2)
    assert str(info[0].message) == (
        "`learning_rat` is not a hyper-parameter of the parsed code (set anyway);"
        " did you mean `learning_rate`?"
    )
    assert mgr.get_value("learning_rat") == 0.2


def test_set_value_after_parsing_accepts_names_set_at_run_time() -> None:
    mgr = parsed("_('a', 1)")
    mgr("runtime_only", 1)
    assert mgr.set_value("runtime_only", 2).get_value("runtime_only") == 2


def test_set_value_of_empty_value_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        HyperParameterManager().set_value("a", EmptyValue())


@pytest.mark.parametrize(
    ("tree", "values"),
    [
        pytest.param({"a": {"b": {"c": 1}}}, {"a.b.c": 1}, id="nested"),
        pytest.param({"a.b": {"c": 1}}, {"a.b.c": 1}, id="dotted-key"),
        pytest.param({"a": {"__is_dict__": True, "b": 1}}, {"a": {"b": 1}}, id="dict-value"),
        pytest.param({"a": {"__is_dict__": False, "b": 1}}, {"a.b": 1}, id="marked-tree"),
        pytest.param({"a": {}}, {}, id="empty-level"),
    ],
)
def test_set_tree_flattens(tree: dict[str, object], values: dict[str, object]) -> None:
    assert HyperParameterManager().set_tree(tree).get_values() == values


def test_set_tree_with_prefix() -> None:
    mgr = HyperParameterManager().set_tree({"lr": 1, "sched": {"gamma": 2}}, prefix="optim")
    assert mgr.get_values() == {"optim.lr": 1, "optim.sched.gamma": 2}


def test_set_tree_does_not_modify_the_callers_dict() -> None:
    tree = {"a": {"__is_dict__": True, "b": 1}}
    HyperParameterManager().set_tree(tree)
    assert tree == {"a": {"__is_dict__": True, "b": 1}}


def test_set_tree_rejects_non_string_keys() -> None:
    with pytest.raises(ImpossibleTree, match="tree keys must be strings, but a has the key 1"):
        HyperParameterManager().set_tree({"a": {1: 2}})  # type: ignore[dict-item]


def test_set_tree_rejects_non_string_prefix() -> None:
    with pytest.raises(TypeError, match="prefix must be a string"):
        HyperParameterManager().set_tree({"a": 1}, prefix=1)  # type: ignore[arg-type]


def test_set_tree_over_a_tree_with_a_leaf_is_impossible() -> None:
    mgr = HyperParameterManager().set_tree({"a": {"b": 1}})
    with pytest.raises(ImpossibleTree):
        mgr.set_tree({"a": 2})


def test_settings_trees_and_flat_values_differ() -> None:
    # hpman's "confusion" test: three inputs, one tree, three different value maps.
    inputs: list[dict[str, object]] = [{"a": {"b": {"c": 1}}}, {"a.b": {"c": 1}}, {"a.b.c": 1}]
    managers = [HyperParameterManager().set_values(values) for values in inputs]
    assert [m.get_tree() for m in managers] == [{"a": {"b": {"c": 1}}}] * 3
    assert [m.get_values() for m in managers] == inputs


def test_tree_item_assignment_is_a_setter() -> None:
    mgr = parsed("_('optim.lr', 0.1)")
    mgr.tree["optim.lr"] = 0.5
    assert mgr("optim.lr") == 0.5
    branch = mgr.tree.get("optim")
    assert branch is not None
    branch["lr"] = 0.7
    assert mgr.get_value("optim.lr") == 0.7


# -- failures leave the manager unchanged ---------------------------------------------------


def state(mgr: HyperParameterManager) -> object:
    positions = [
        (t.full_name, [(o.priority, o.value, o.filename) for o in t.node.db] if t.node else None)
        for t in mgr.tree.positions()
    ]
    return (mgr.get_values(), mgr.get_tree(), mgr.get_occurrences(), positions, repr(mgr))


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda m: m.parse_source("_('new', 1)\n_('bs', 64)"), id="parse-conflict"),
        pytest.param(lambda m: m.parse_source("_('new', 1)\n_('x', "), id="parse-syntax"),
        pytest.param(lambda m: m.parse_source("_('new', 1)\n_('lr.x')"), id="parse-tree"),
        pytest.param(lambda m: m.set_value("optim", 1), id="set-branch"),
        pytest.param(
            lambda m: m.set_values({"optim.lrr": 1, "optim": 2}), id="set-unknown-and-bad"
        ),
        pytest.param(lambda m: m.set_values({"bs": 1, "optim": 2}), id="set-values-partly-bad"),
        pytest.param(lambda m: m.set_tree({"bs": 1, "optim": 3}), id="set-tree-partly-bad"),
        pytest.param(lambda m: m.set_tree({"bs": 1, "x": {2: 3}}), id="set-tree-bad-key"),
        pytest.param(lambda m: m("optim", 1), id="call-branch"),
        pytest.param(lambda m: m("lr.x", 1), id="call-below-leaf"),
        pytest.param(lambda m: m.get_tree("lr"), id="get-tree-leaf"),
    ],
)
def test_failed_change_leaves_manager_unchanged(action: object) -> None:
    mgr = parsed("_('bs', 32)\n_('optim.momentum', .9)\n_('lr', 1)\n_('bare')")
    mgr("lr", 2)
    mgr.set_value("bs", 16)
    before = state(mgr)
    with pytest.raises(HpmanError):
        action(mgr)  # type: ignore[operator]
    assert state(mgr) == before
    assert (mgr("bs"), mgr("lr"), mgr("optim.momentum")) == (16, 2, 0.9)


def test_failed_set_value_does_not_corrupt_exists() -> None:
    mgr = HyperParameterManager().set_value("x.y", 1)
    with pytest.raises(ImpossibleTree):
        mgr.set_value("x", 2)
    assert mgr.exists("x")
    assert mgr.get_value("x") == {"y": 1}


# -- reset ----------------------------------------------------------------------------------


def test_reset_forgets_everything() -> None:
    mgr = parsed("_('bs', 32)")
    mgr("lr", 1)
    mgr.set_value("bs", 2)
    assert mgr.reset() is mgr
    assert (mgr.get_values(), mgr.get_tree(), mgr.get_occurrences()) == ({}, {}, ())
    assert not mgr.exists("bs")


def test_reset_allows_reparsing_changed_defaults() -> None:
    mgr = parsed("_('bs', 32)")
    mgr.reset().parse_source("_('bs', 64)")
    assert mgr("bs") == 64


def test_reparsing_the_same_source_changes_nothing() -> None:
    mgr = parsed("_('f', compute())\n_('bs', 32)")
    before = state(mgr)
    mgr.parse_source("_('f', compute())\n_('bs', 32)", "t.py")
    assert state(mgr) == before


# -- wrong argument types -------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda m: m.get_value(1), id="get-value"),
        pytest.param(lambda m: m(1, 2), id="call"),
        pytest.param(lambda m: m.set_value(1, 2), id="set-value"),
        pytest.param(lambda m: m.get_tree(1), id="get-tree-prefix"),
        pytest.param(lambda m: m.set_tree(5), id="set-tree-not-a-dict"),
        pytest.param(lambda m: m.parse_file([b"a.py"]), id="bytes-path"),
    ],
)
def test_wrong_argument_types_raise_type_error(action: object) -> None:
    mgr = parsed("_('a', 1)")
    with pytest.raises(TypeError):
        action(mgr)  # type: ignore[operator]
    assert mgr.get_values() == {"a": 1}


def test_conflict_with_a_file_that_is_gone_names_it_without_context(tmp_path: Path) -> None:
    first = tmp_path / "first.py"
    first.write_text("_('a', 1)\n")
    mgr = HyperParameterManager().parse_file(first)
    first.unlink()
    with pytest.raises(DoubleAssignmentException) as info:
        mgr.parse_source("_('a', 2)", "second.py")
    assert str(info.value).splitlines()[1:3] == ["First occurrence:", f"{first}:1"]


def test_set_value_after_parsing_nothing_accepts_any_name() -> None:
    mgr = HyperParameterManager().parse_file([])
    assert mgr.set_value("anything", 1).get_value("anything") == 1


# -- what the parser reads (hpman-reference 4.1, 4.2) ---------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("(_)('a', 1)", id="parenthesised-callee"),
        pytest.param("f = lambda: _('a', 1)", id="lambda"),
        pytest.param("def f(x=_('a', 1)): pass", id="default-argument"),
        pytest.param(
            "class A:\n    @property\n    def p(self):\n        return _('a', 1)", id="property"
        ),
        pytest.param("s = f'{_(\"a\", 1)}'", id="f-string-field"),
        pytest.param("[_('a', 1) for i in range(3)]", id="comprehension"),
        pytest.param("match x:\n    case 1:\n        _('a', 1)", id="match-case", marks=MATCH),
    ],
)
def test_call_sites_anywhere_are_parsed(source: str) -> None:
    assert parsed(source).get_values() == {"a": 1}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("hpman.m._('a', 1)", id="attribute"),
        pytest.param("hp = _\nhp('a', 1)", id="alias"),
        pytest.param("# _('a', 1)", id="comment"),
        pytest.param("s = \"_('a', 1)\"", id="string"),
    ],
)
def test_other_calls_are_not_parsed(source: str) -> None:
    assert parsed(source).get_values() == {}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("'a' 'b'", "ab", id="implicit-concatenation"),
        pytest.param("('a')", "a", id="parenthesised"),
        pytest.param("''", "", id="empty"),
    ],
)
def test_name_literal_forms(name: str, expected: str) -> None:
    assert parsed(f"_({name}, 1)").get_values() == {expected: 1}


@pytest.mark.parametrize(
    ("default", "value"),
    [
        ("0x10", 16),
        ("1_000", 1000),
        ("-1.5", -1.5),
        ("2j", 2j),
        ("b'x'", b"x"),
        ("...", ...),
        ("set()", set()),
        ("{1: 'a'}", {1: "a"}),
        ("(1, [2])", (1, [2])),
    ],
)
def test_literal_defaults_are_values(default: str, value: object) -> None:
    assert parsed(f"_('a', {default})").get_value("a") == value


def test_line_is_the_callee_line() -> None:
    mgr = parsed("x = (\n    _(\n        'a',\n        1,\n    )\n)")
    occurrence = mgr.get_occurrence("a")
    assert occurrence is not None
    assert (occurrence.lineno, occurrence.column) == (2, 4)


def test_hints_are_kept_per_occurrence_in_keyword_order() -> None:
    mgr = parsed("_('a', 1, help='h', choices=[1, 2])\n_('a', range=[0, 9])")
    hints = [list(o.hints.items()) for o in mgr.tree.children["a"].node.parsed]  # type: ignore[union-attr]
    assert hints == [[("help", "h"), ("choices", [1, 2])], [("range", [0, 9])]]


@pytest.mark.parametrize(
    ("method", "argument"),
    [
        pytest.param("set_values", [("a", 1)], id="set_values-list"),
        pytest.param("set_values", None, id="set_values-none"),
        pytest.param("set_tree", [("a", 1)], id="set_tree-list"),
    ],
)
def test_setters_take_a_dict(method: str, argument: object) -> None:
    mgr = parsed("_('a', 1)")
    with pytest.raises(TypeError, match=rf"^{method}\(\) takes a dict, not "):
        getattr(mgr, method)(argument)
    assert mgr.get_value("a") == 1
