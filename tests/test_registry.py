"""build_registry(): occurrences grouped by name, effective default, conflicts as data."""

from __future__ import annotations

import pytest

from hpman_cst.index import index_source
from hpman_cst.records import FileIndex, Marker, Problem, ProblemCode
from hpman_cst.registry import ConflictKind, Registry, build_registry, type_name


def registry(*sources: str) -> Registry:
    return build_registry(index_source(s, f"f{n}.py") for n, s in enumerate(sources))


def test_grouped_and_sorted_by_name() -> None:
    reg = registry("_('b', 1)\n_('a')", "_('a', 2)")
    assert reg.names == ("a", "b")
    a = reg.get("a")
    assert a is not None
    assert [(o.path, o.span.line) for o in a.occurrences] == [("f0.py", 2), ("f1.py", 1)]
    assert a.value == 2 and a.definition is not None and a.definition.path == "f1.py"
    assert [o.path for o in a.uses] == ["f0.py"]
    assert [o.path for o in a.definitions] == ["f1.py"]


def test_effective_default_is_the_first_in_hpman_order() -> None:
    # Within a file, ast.walk order: the module-level default on line 3 comes first.
    reg = registry("def f():\n    _('x', 1)\n_('x', 2)\n")
    parameter = reg.get("x")
    assert parameter is not None and parameter.value == 2
    (conflict,) = parameter.conflicts
    assert conflict.occurrence.span.line == 2


def test_equal_defaults_are_fine() -> None:
    reg = registry("_('a', [1, 2])", "_('a', [1, 2])", "_('f', g(x))", "_('f', g(x))")
    assert reg.conflicts == ()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("1", "2", id="values"),
        pytest.param("1", "1.0", id="int-float"),
        pytest.param("1", "True", id="int-bool"),
        pytest.param("[1]", "(1,)", id="list-tuple"),
        pytest.param("f(x)", "f(y)", id="non-literals"),
        pytest.param("1", "f(x)", id="literal-and-not"),
    ],
)
def test_different_defaults_conflict(first: str, second: str) -> None:
    reg = registry(f"_('a', {first})", f"_('a', {second})")
    (conflict,) = reg.conflicts
    assert conflict.kind is ConflictKind.DIFFERENT_DEFAULTS
    assert conflict.occurrence.path == "f1.py"
    assert [o.path for o in conflict.others] == ["f0.py"]
    assert (
        str(conflict)
        == f"f1.py:1:1: conflicting defaults for `a`: {second} here, {first} at f0.py:1:1"
    )
    assert reg.get("a") is not None and reg.get("a").definition.path == "f0.py"  # type: ignore[union-attr]


def test_leaf_and_branch_conflict_is_at_the_name_below_when_the_default_comes_first() -> None:
    # As the runtime reports it: reading in hpman's order, at the first name below.
    reg = registry("_('model', 1)", "_('model.depth')\n_('model.width', 2)")
    (conflict,) = reg.conflicts
    assert conflict.kind is ConflictKind.LEAF_AND_BRANCH
    assert conflict.name == "model" and conflict.occurrence.name == "model.depth"
    assert [(o.name, o.path) for o in conflict.others] == [
        ("model", "f0.py"),
        ("model.width", "f1.py"),
    ]
    assert str(conflict) == (
        "f1.py:1:1: `model` is both a leaf and a tree: it has a value (default at f0.py:1:1)"
        " and `model.depth` is below it"
    )


def test_leaf_and_branch_conflict_is_at_the_default_when_a_name_below_comes_first() -> None:
    reg = registry("_('model.depth')", "_('model', 1)\n_('model.width', 2)")
    (conflict,) = reg.conflicts
    assert conflict.name == "model" and conflict.occurrence.name == "model"
    assert [o.name for o in conflict.others] == ["model.depth", "model.width"]
    assert str(conflict) == (
        "f1.py:1:1: `model` is both a leaf and a tree: it gets a default here and"
        " `model.depth` (f0.py:1:1) is below it"
    )


def test_default_less_parent_is_harmless() -> None:
    assert registry("_('data')", "_('data.root', '/x')\n_('database', 1)").conflicts == ()


def test_problems_kept_in_source_order() -> None:
    reg = build_registry(
        [
            FileIndex("b.py", problems=(Problem(ProblemCode.SYNTAX, "bad", "b.py", 1, 0),)),
            FileIndex("a.py", problems=(Problem(ProblemCode.UNREADABLE, "gone", "a.py"),)),
        ]
    )
    assert [p.path for p in reg.problems] == ["a.py", "b.py"]


def test_select_names_and_groups() -> None:
    reg = registry("_('optim.lr', 1)\n_('optim.beta', 2)\n_('optimizer', 3)\n_('bs', 4)")
    assert reg.select(["optim"]).names == ("optim.beta", "optim.lr")
    assert reg.select(["bs", "optimizer"]).names == ("bs", "optimizer")
    assert reg.select(["nothing"]).names == ()


@pytest.mark.parametrize(
    ("value", "name"),
    [
        pytest.param(Marker.NOT_LITERAL, "unknown", id="not-literal"),
        pytest.param(Marker.NO_DEFAULT, "missing", id="no-default"),
        pytest.param(None, "NoneType", id="none"),
        pytest.param((1,), "tuple", id="tuple"),
    ],
)
def test_type_names(value: object, name: str) -> None:
    assert type_name(value) == name


def test_name_without_any_default() -> None:
    parameter = registry("_('bs')").get("bs")
    assert parameter is not None
    assert (parameter.value, parameter.type_name, parameter.definition) == (
        Marker.NO_DEFAULT,
        "missing",
        None,
    )
