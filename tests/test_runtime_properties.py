"""Properties of the manager under random sequences of parses, calls and setters: the
fast lookups always agree with the tree, a failed change leaves everything as it was,
and get_tree/set_tree round-trip get_values."""

from __future__ import annotations

import contextlib
import warnings
from typing import Union

from hypothesis import given, settings
from hypothesis import strategies as st

from hpman_cst import (
    EmptyValue,
    HpmanError,
    HyperParameterManager,
    UnknownHyperParameterWarning,
)

NAMES = ["a", "b", "a.b", "a.c", "a.b.c", "b.x", "c"]
name = st.sampled_from(NAMES)
value = st.integers(0, 2) | st.sampled_from([[1], {"k": 1}, None])

Parse = tuple[str, list[tuple[str, Union[int, None]]]]
Op = Union[Parse, tuple[str, str, object], tuple[str, dict[str, object]]]

ops = st.one_of(
    st.tuples(
        st.just("parse"), st.lists(st.tuples(name, st.none() | st.integers(0, 2)), max_size=3)
    ),
    st.tuples(st.just("call"), name, value),
    st.tuples(st.just("set"), st.dictionaries(name, value, max_size=3)),
)


def apply(mgr: HyperParameterManager, op: Op, step: int) -> None:
    if op[0] == "parse":
        lines = [f"_({n!r})" if d is None else f"_({n!r}, {d!r})" for n, d in op[1]]  # type: ignore[misc]
        mgr.parse_source("\n".join(lines), f"f{step}.py")
    elif op[0] == "call":
        mgr(op[1], op[2])  # type: ignore[misc]
    else:
        with warnings.catch_warnings():  # names the parsed code lacks: stored, with a warning
            warnings.simplefilter("ignore", UnknownHyperParameterWarning)
            mgr.set_values(op[1])  # type: ignore[arg-type]


def state(mgr: HyperParameterManager) -> object:
    positions = [
        (t.full_name, [(o.priority, o.value, o.filename) for o in t.node.db] if t.node else None)
        for t in mgr.tree.positions()
    ]
    return (list(mgr.get_values().items()), mgr.get_tree(), mgr.get_occurrences(), positions)


@settings(max_examples=300, deadline=None)
@given(st.lists(ops, max_size=8))
def test_fast_path_agrees_and_failures_change_nothing(sequence: list[Op]) -> None:
    mgr = HyperParameterManager()
    for step, op in enumerate(sequence):
        before = state(mgr)
        try:
            apply(mgr, op, step)
        except HpmanError:
            assert state(mgr) == before
        values = mgr.get_values()
        for n in NAMES:
            if n in values:
                assert mgr(n) is values[n]
                assert mgr.get_value(n) is values[n]
            else:  # a branch (a dict of the values below) or nothing
                slow = mgr.get_value(n, raise_exception=False)
                assert mgr.exists(n) == (not isinstance(slow, EmptyValue))
                assert isinstance(slow, (dict, EmptyValue))
        assert mgr.tree.validate()


@settings(max_examples=200, deadline=None)
@given(st.lists(ops, max_size=8))
def test_get_tree_round_trips_through_set_tree(sequence: list[Op]) -> None:
    mgr = HyperParameterManager()
    for step, op in enumerate(sequence):
        with contextlib.suppress(HpmanError):
            apply(mgr, op, step)
    copy = HyperParameterManager().set_tree(mgr.get_tree(annotate_dict=True))
    assert list(copy.get_values().items()) == list(mgr.get_values().items())
