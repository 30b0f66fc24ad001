"""The data model hpargparse-like code reads: occurrences, nodes, the tree
(hpman-reference section 5)."""

from __future__ import annotations

import ast

import pytest

from hpman_cst import (
    EmptyValue,
    HyperParameterManager,
    HyperParameterOccurrence,
    HyperParameterPriority,
    HyperParamNode,
    HyperParamTree,
    ImpossibleTree,
    InvalidArgument,
    P,
)


def full_node() -> HyperParamNode:
    mgr = HyperParameterManager().parse_source("_('a')\n_('a', 1)\n_('a')", "t.py")
    mgr("a", 2)
    mgr.set_value("a", 3)
    tree = mgr.tree.get("a")
    assert tree is not None and tree.node is not None
    return tree.node


def test_priorities() -> None:
    assert P is HyperParameterPriority
    assert [int(p) for p in P] == [1, 2, 3]
    assert [p.name for p in P] == [
        "PRIORITY_PARSED_FROM_SOURCE_CODE",
        "PRIORITY_SET_FROM_CALLABLE",
        "PRIORITY_SET_FROM_SETTER",
    ]


def test_node_db_is_sorted_by_value_priority() -> None:
    node = full_node()
    assert [o.value_priority for o in node.db] == [30, 20, 10, 9, 9]
    assert [o.lineno for o in node.db] == [None, None, 2, 1, 3]


def test_node_accessors() -> None:
    node = full_node()
    assert (node.name, node.value, node.empty, len(node)) == ("a", 3, False, 5)
    top = node.get()
    assert top is not None and top.priority is P.PRIORITY_SET_FROM_SETTER


def test_node_without_values_is_empty() -> None:
    mgr = HyperParameterManager().parse_source("_('a')")
    node = mgr.tree.children["a"].node
    assert node is not None and node.empty
    assert isinstance(node.value, EmptyValue)
    assert mgr.get_nodes() == []


def test_parsed_occurrence_fields() -> None:
    mgr = HyperParameterManager().parse_source("x = _('lr', 0.1, help='rate')", "t.py")
    occurrence = mgr.get_occurrence("lr")
    assert occurrence is not None
    assert (occurrence.name, occurrence.value, occurrence.filename) == ("lr", 0.1, "t.py")
    assert (occurrence.lineno, occurrence.column) == (1, 4)
    assert occurrence.hints == {"help": "rate"}
    assert occurrence.has_default_value
    assert occurrence.record is not None and occurrence.record.default == "0.1"
    node = occurrence.ast_node
    assert isinstance(node, ast.Constant) and node.value == 0.1


def test_double_star_hints_keep_the_none_key() -> None:
    mgr = HyperParameterManager().parse_source("_('a', 1, **{'help': 'x'})")
    occurrence = mgr.get_occurrence("a")
    assert occurrence is not None and occurrence.hints == {None: {"help": "x"}}


def test_runtime_occurrence_fields() -> None:
    mgr = HyperParameterManager()
    mgr("lr", 0.2)
    occurrence = mgr.get_occurrence("lr")
    assert occurrence is not None
    assert (occurrence.filename, occurrence.lineno, occurrence.column) == (None, None, None)
    assert (occurrence.record, occurrence.ast_node) == (None, None)
    assert "help" not in occurrence.hints  # a mapping, never None (hpman: None)
    assert occurrence.priority is P.PRIORITY_SET_FROM_CALLABLE
    assert occurrence.value_priority == 20


def test_occurrence_constructor() -> None:
    occurrence = HyperParameterOccurrence("x", EmptyValue(), P.PRIORITY_PARSED_FROM_SOURCE_CODE)
    assert not occurrence.has_default_value
    assert occurrence.value_priority == 9


def test_tree_structure() -> None:
    mgr = HyperParameterManager().parse_source("_('optim.lr', .1)\n_('optim.wd')\n_('bs', 8)")
    tree = mgr.tree
    assert list(tree.children) == ["optim", "bs"]
    optim = tree.get("optim")
    assert optim is not None and optim.node is None
    assert optim.is_branch() and not optim.is_leaf()
    assert optim.get("lr") is tree.get("optim.lr")
    assert tree.get("") is tree
    assert tree.get("nope") is None
    assert [n.name for n in tree.flatten()] == ["optim.lr", "bs"]
    assert tree.count() == 2
    assert tree.tree_values() == {"optim": {"lr": 0.1}, "bs": 8}
    assert tree.validate() is True
    assert HyperParamTree.DICT_ANNOTATION == "__is_dict__"


def test_detached_tree_item_assignment() -> None:
    tree = HyperParamTree()
    tree["a.b"] = 1
    assert tree.tree_values() == {"a": {"b": 1}}
    with pytest.raises(ImpossibleTree):
        tree["a"] = 2


def test_validate_rejects_a_hand_made_impossible_tree() -> None:
    tree = HyperParamTree()
    tree["a"] = 1
    tree.children["a"].children["b"] = HyperParamTree(name="b", path=("a", "b"))
    with pytest.raises(ImpossibleTree, match="`a` is both a leaf and a tree"):
        tree.validate()


def test_tree_values_of_a_leaf_is_invalid() -> None:
    tree = HyperParamTree()
    tree["a"] = 1
    with pytest.raises(InvalidArgument):
        tree.children["a"].tree_values()


def test_bad_tree_separator() -> None:
    with pytest.raises(InvalidArgument):
        HyperParamTree(separator="")


@pytest.mark.parametrize(
    ("parts", "names"),
    [
        pytest.param(["optim", "lr"], ["optim", "optim.lr"], id="whole-path"),
        pytest.param(["optim", "beta", "one"], ["optim"], id="leaves-the-tree"),
        pytest.param(["model"], [], id="not-there"),
        pytest.param([], [], id="empty"),
    ],
)
def test_along_gives_the_positions_on_the_way(parts: list[str], names: list[str]) -> None:
    mgr = HyperParameterManager().parse_source("_('optim.lr', 0.1)\n_('optim.wd', 0)\n")
    assert [tree.full_name for tree in mgr.tree.along(parts)] == names
