"""Near-duplicate names: the normalisation (case, separators, abbreviations) and the edit
distance, each tunable; numbered names are never near."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hpman_cst.near_names import Normalisation, edit_distance, near_pairs


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("lr", "learning_rate", id="abbreviation"),
        pytest.param("num_layers", "n_layers", id="num-n"),
        pytest.param("hidden_dim", "hidden_size", id="dim-size"),
        pytest.param("batch_size", "batchsize", id="separator"),
        pytest.param("LR", "lr", id="case"),
        pytest.param("numLayers", "num_layers", id="camel"),
        pytest.param("optim.lr", "optim.learning_rate", id="in-a-group"),
        pytest.param("momentum", "momentun", id="typo"),
        pytest.param("dropout", "droput", id="deletion"),
    ],
)
def test_near(a: str, b: str) -> None:
    assert near_pairs([a, b, "unrelated"]) == [tuple(sorted((a, b)))]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("layer1", "layer2", id="numbered"),
        pytest.param("in_dim", "out_dim", id="in-out"),
        pytest.param("optim.lr", "sched.lr", id="other-group"),
        pytest.param("lr", "wd", id="short"),
        pytest.param("steps", "stops", id="short-typo"),
    ],
)
def test_not_near(a: str, b: str) -> None:
    assert near_pairs([a, b]) == []


def test_each_part_is_tunable() -> None:
    assert near_pairs(["LR", "lr"], Normalisation(fold_case=False, abbreviations={})) == []
    assert near_pairs(["batch_size", "batchsize"], Normalisation(separators="", distance=0)) == []
    assert near_pairs(["lr", "learning_rate"], Normalisation(abbreviations={})) == []
    assert near_pairs(["momentum", "momentun"], Normalisation(distance=0)) == []
    assert near_pairs(
        ["cfg_path", "config_file"], Normalisation(abbreviations={"cfg": "config", "path": "file"})
    ) == [("cfg_path", "config_file")]


@given(st.text("abc", max_size=7), st.text("abc", max_size=7))
def test_edit_distance_is_symmetric_and_bounded(a: str, b: str) -> None:
    d = edit_distance(a, b, 10)
    assert d == edit_distance(b, a, 10)
    assert (d == 0) == (a == b)
    assert d <= max(len(a), len(b))
