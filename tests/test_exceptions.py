"""The one did-you-mean of every "unknown name" message (runtime, CLI, bindings)."""

from __future__ import annotations

import pytest

from hpman_cst.exceptions import did_you_mean

KNOWN = ["learning_rate", "optim.lr", "optim.momentum", "model.depth", "batch_size", "Width"]


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        pytest.param("learning_rat", "`learning_rate`", id="typo"),
        pytest.param("LEARNING_RATE", "`learning_rate`", id="case-only"),
        pytest.param("Batch_Size", "`batch_size`", id="mixed-case"),
        pytest.param("width", "`Width`", id="case-of-the-known-name"),
        pytest.param("lr", "`optim.lr`", id="missing-group"),
        pytest.param("depth", "`model.depth` or `Width`", id="missing-group-2"),
        pytest.param("momentum", "`optim.momentum`", id="missing-group-3"),
        pytest.param("LR", "`optim.lr`", id="missing-group-and-case"),
        pytest.param("model.lr", "`optim.lr` or `model.depth`", id="wrong-group"),
        pytest.param("LEARNING_RAT", "`learning_rate`", id="case-and-typo"),
        pytest.param("epochs", "", id="nothing-close"),
    ],
)
def test_did_you_mean_finds_case_and_group_differences(name: str, suggested: str) -> None:
    assert did_you_mean(name, KNOWN) == (f"; did you mean {suggested}?" if suggested else "")


def test_several_groups_with_the_leaf_are_all_suggested() -> None:
    known = ["a.lr", "b.lr", "c.lr", "d.lr", "lr_decay"]
    assert did_you_mean("lr", known) == "; did you mean `a.lr`, `b.lr` or `c.lr`?"


def test_a_case_only_match_comes_first() -> None:
    assert did_you_mean("LR", ["lr", "optim.lr"]) == "; did you mean `lr` or `optim.lr`?"
