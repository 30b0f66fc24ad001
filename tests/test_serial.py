"""Saving and loading values as YAML/JSON: formats, tagged values, refusal, errors."""

from __future__ import annotations

import enum
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from literal_values import literals, names

from hpman_cst import serial
from hpman_cst.exceptions import SerialError
from hpman_cst.literals import same_value
from hpman_cst.runtime import HyperParameterManager


@pytest.mark.parametrize(
    ("path", "fmt", "expected"),
    [
        pytest.param("hp.yaml", None, "yaml", id="yaml"),
        pytest.param("hp.yml", None, "yaml", id="yml"),
        pytest.param("hp.json", None, "json", id="json"),
        pytest.param("HP.YAML", "auto", "yaml", id="upper-case"),
        pytest.param("hp.txt", "json", "json", id="explicit-beats-extension"),
        pytest.param("hp.json", "yaml", "yaml", id="explicit-over-json"),
    ],
)
def test_format_for(path: str, fmt: str | None, expected: str) -> None:
    assert serial.format_for(path, fmt) == expected


@pytest.mark.parametrize(
    ("path", "fmt", "message"),
    [
        pytest.param(
            "hp.pkl", None, "cannot tell the format from the extension '.pkl'", id="pickle"
        ),
        pytest.param("hp", "auto", "extension '(none)'", id="no-extension"),
        pytest.param("hp.yaml", "toml", "unknown format 'toml'", id="unknown-format"),
    ],
)
def test_format_for_refuses(path: str, fmt: str | None, message: str) -> None:
    with pytest.raises(SerialError, match=message.replace("(", r"\(").replace(")", r"\)")):
        serial.format_for(path, fmt)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param((1, 2), {"__tuple__": [1, 2]}, id="tuple"),
        pytest.param({2, 1}, {"__set__": [1, 2]}, id="set-sorted"),
        pytest.param(frozenset({"a"}), {"__frozenset__": ["a"]}, id="frozenset"),
        pytest.param(1 + 2j, {"__complex__": [1.0, 2.0]}, id="complex"),
        pytest.param(b"ab", {"__bytes__": "YWI="}, id="bytes"),
        pytest.param(..., {"__ellipsis__": None}, id="ellipsis"),
        pytest.param({1: "a"}, {"__dict__": [[1, "a"]]}, id="dict-int-keys"),
        pytest.param({"__set__": 1}, {"__dict__": [["__set__", 1]]}, id="dict-reserved-key"),
        pytest.param(float("inf"), {"__float__": "inf"}, id="json-inf"),
        pytest.param(float("nan"), {"__float__": "nan"}, id="json-nan"),
        pytest.param({"a": [1, (2,)]}, {"a": [1, {"__tuple__": [2]}]}, id="nested"),
        pytest.param([None, True, 1, 1.5, "s"], [None, True, 1, 1.5, "s"], id="plain"),
    ],
)
def test_json_tagged_forms(value: object, written: object) -> None:
    assert json.loads(serial.dumps({"x": value}, "json")) == {"x": written}


def test_yaml_writes_non_finite_floats_natively() -> None:
    assert serial.dumps({"a": float("inf"), "b": float("-inf")}, "yaml") == "a: .inf\nb: -.inf\n"


def test_yaml_output_is_plain_yaml() -> None:
    text = serial.dumps({"t": (1, {2}), "c": 1j, "b": b"x"}, "yaml")
    assert "!!" not in text
    assert yaml.safe_load(text) == {
        "b": {"__bytes__": "eA=="},
        "c": {"__complex__": [0.0, 1.0]},
        "t": {"__tuple__": [1, {"__set__": [2]}]},
    }


def test_json_is_one_name_per_line_in_order() -> None:
    assert serial.dumps({"b": [1, 2], "a": "x"}, "json") == '{\n  "b": [1, 2],\n  "a": "x"\n}\n'


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@settings(max_examples=150, deadline=None)
@given(values=st.dictionaries(names, literals, max_size=5))
def test_save_then_load_restores_every_literal(
    tmp_path_factory: pytest.TempPathFactory, fmt: str, values: dict[str, object]
) -> None:
    path = tmp_path_factory.mktemp("save") / f"hp.{fmt}"
    serial.save(values, path)
    loaded = serial.load(path)
    assert list(loaded) == list(values) if fmt == "json" else sorted(loaded) == sorted(values)
    assert all(same_value(loaded[name], value) for name, value in values.items())


class Colour(enum.IntEnum):
    RED = 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(object(), "a object value is not a Python literal", id="object"),
        pytest.param(Colour.RED, "a Colour value is not a Python literal", id="int-subclass"),
        pytest.param([1, {2: object()}], "a object value", id="nested-object"),
    ],
)
def test_save_refuses_values_that_would_not_load_back(
    tmp_path: Path, value: object, message: str
) -> None:
    path = tmp_path / "hp.yaml"
    with pytest.raises(SerialError, match=f"cannot save `x`: {message}"):
        serial.save({"ok": 1, "x": value}, path)
    assert not path.exists()


def test_save_keeps_the_old_file_when_refusing(tmp_path: Path) -> None:
    path = tmp_path / "hp.json"
    path.write_text('{"a": 1}\n')
    with pytest.raises(SerialError):
        serial.save({"a": object()}, path)
    assert path.read_text() == '{"a": 1}\n'


def test_save_replaces_an_existing_file_keeping_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "hp.yaml"
    path.write_text("old: 1\n")
    path.chmod(0o600)
    serial.save({"new": 2}, path)
    assert path.read_text() == "new: 2\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["hp.yaml"]


def test_save_into_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "hp.yaml"
    with pytest.raises(SerialError, match="cannot write: No such file or directory"):
        serial.save({"a": 1}, path)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param("bad.yaml", "a: [1,\n", "bad.yaml:2:1: ", id="yaml-syntax"),
        pytest.param("bad.json", '{"a": }', "bad.json:1:7: Expecting value", id="json-syntax"),
        pytest.param(
            "list.yaml", "- 1\n", "expected a mapping of names to values, got list", id="yaml-list"
        ),
        pytest.param(
            "list.json", "[1]", "expected a mapping of names to values, got list", id="json-list"
        ),
        pytest.param(
            "dup.yaml", "a: 1\na: 2\n", "dup.yaml:2:1: .*duplicate key 'a'", id="yaml-duplicate"
        ),
        pytest.param("dup.json", '{"a": 1, "a": 2}', "duplicate key 'a'", id="json-duplicate"),
        pytest.param("key.yaml", "1: 2\n", "names must be strings, got 1", id="int-name"),
        pytest.param(
            "tag.json",
            '{"a": {"__tuple__": 5}}',
            "`a`: malformed __tuple__ value: 5",
            id="bad-tuple",
        ),
        pytest.param("tag.yaml", "a: {__bytes__: '!!'}", "malformed __bytes__", id="bad-bytes"),
        pytest.param(
            "tag2.yaml", "a: {__complex__: [1]}", "malformed __complex__", id="bad-complex"
        ),
        pytest.param("tag3.yaml", "a: {__float__: x}", "malformed __float__", id="bad-float"),
        pytest.param(
            "tag4.yaml", "a: {__dict__: [[[1], 2]]}", "malformed __dict__", id="unhashable-key"
        ),
        pytest.param(
            "tag5.yaml",
            "a: !!python/tuple [1]",
            "could not determine a constructor",
            id="python-tag",
        ),
    ],
)
def test_load_refuses_bad_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(SerialError, match=message) as caught:
        serial.load(path)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SerialError, match=r"missing\.yaml: no such file"):
        serial.load(tmp_path / "missing.yaml")


def test_load_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"a: \xe9\n")
    with pytest.raises(SerialError, match="not UTF-8 text"):
        serial.load(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", {}, id="empty"),
        pytest.param("\ufeffa: 1\n", {"a": 1}, id="bom"),
        pytest.param("d: 2020-01-01\n", {"d": "2020-01-01"}, id="dates-stay-strings"),
        pytest.param("lr: 1e-3\n", {"lr": "1e-3"}, id="yaml-1.1-float-is-a-string"),
        pytest.param("s: !!set {1: null}\n", {"s": {1}}, id="yaml-set-tag"),
    ],
)
def test_load_yaml_values(tmp_path: Path, text: str, expected: dict[str, object]) -> None:
    path = tmp_path / "hp.yaml"
    path.write_text(text, encoding="utf-8")
    assert serial.load(path) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"optim": {"lr": 0.1}}, {"optim.lr": 0.1}, id="tree"),
        pytest.param({"optim.lr": 0.1}, {"optim.lr": 0.1}, id="flat"),
        pytest.param({"a": {"b": {"c": 1}}}, {"a.b.c": 1}, id="deep"),
        pytest.param({"cfg": {"x": 1}}, {"cfg": {"x": 1}}, id="dict-valued-leaf"),
        pytest.param({"optim": {"zz": 1}}, {"optim.zz": 1}, id="unknown-child-kept"),
        pytest.param({"other": {"x": 1}}, {"other": {"x": 1}}, id="unknown-kept"),
    ],
)
def test_unflatten_names(data: dict[str, object], expected: dict[str, object]) -> None:
    known = ["optim.lr", "optim.momentum", "a.b.c", "cfg"]
    assert serial.unflatten_names(data, known) == expected


def test_unflatten_names_refuses_a_name_given_twice() -> None:
    with pytest.raises(SerialError, match=r"hp\.yaml: `optim\.lr` is given twice"):
        serial.unflatten_names(
            {"optim.lr": 1.0, "optim": {"lr": 2.0}}, ["optim.lr"], path="hp.yaml"
        )


def test_load_with_names_maps_a_tree(tmp_path: Path) -> None:
    path = tmp_path / "hp.yaml"
    path.write_text("optim:\n  lr: 0.5\n  milestones: {__tuple__: [1, 2]}\n")
    assert serial.load(path, names=["optim.lr", "optim.milestones"]) == {
        "optim.lr": 0.5,
        "optim.milestones": (1, 2),
    }


def test_import_does_not_load_yaml() -> None:
    code = "import sys, hpman_cst.serial, hpman_cst.convert; print('yaml' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# -- the manager's save() and load() ----------------------------------------------------

MANAGER_SOURCE = """\
_("layers", 5)
_("lr", 0.1, range=[0.0, 1.0])
_("act", "relu", choices=["relu", "gelu"])
_("shape", (3, 4))
_("optim.momentum", 0.9)
_("model", build())
"""


def parsed(tmp_path: Path) -> HyperParameterManager:
    (tmp_path / "src.py").write_text(MANAGER_SOURCE)
    return HyperParameterManager("_").parse_file(str(tmp_path / "src.py"))


@pytest.mark.parametrize("name", ["hp.yaml", "hp.json"])
def test_manager_save_then_load(tmp_path: Path, name: str) -> None:
    source = parsed(tmp_path).set_values({"layers": 2, "shape": (1,), "act": "gelu"})
    assert source.save(tmp_path / name) is source
    target = parsed(tmp_path)
    assert target.load(tmp_path / name) is target
    assert target.get_values() == {**source.get_values(), "model": target.get_value("model")}
    assert target.get_value("shape") == (1,)


def test_manager_save_leaves_out_defaults_that_are_not_literals(tmp_path: Path) -> None:
    parsed(tmp_path).save(tmp_path / "hp.json")
    assert "model" not in json.loads((tmp_path / "hp.json").read_text())


def test_manager_format_argument(tmp_path: Path) -> None:
    manager = parsed(tmp_path)
    manager.save(tmp_path / "hp.cfg", format="json")
    assert json.loads((tmp_path / "hp.cfg").read_text())["layers"] == 5
    manager.set_value("layers", 1).load(tmp_path / "hp.cfg", format="json")
    assert manager.get_value("layers") == 5


def test_manager_load_tree_shaped_file(tmp_path: Path) -> None:
    (tmp_path / "hp.yaml").write_text("optim:\n  momentum: 0.5\n")
    assert parsed(tmp_path).load(tmp_path / "hp.yaml").get_value("optim.momentum") == 0.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "layer: 3\n", "unknown hyper-parameter `layer` (did you mean `layers`?)", id="unknown"
        ),
        pytest.param("lr: 2\n", "`lr`: 2.0 is out of range [0.0, 1.0]", id="range"),
        pytest.param("act: tanh\n", "`act`: invalid choice: 'tanh'", id="choices"),
        pytest.param("layers: x\n", "`layers`: invalid int value: 'x'", id="type"),
    ],
)
def test_manager_load_checks_and_sets_nothing_on_error(
    tmp_path: Path, text: str, message: str
) -> None:
    manager = parsed(tmp_path)
    (tmp_path / "hp.yaml").write_text("shape: [9]\n" + text)
    with pytest.raises(SerialError) as caught:
        manager.load(tmp_path / "hp.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'hp.yaml'}: {message}")
    assert manager.get_value("shape") == (3, 4)


def test_manager_save_leaves_out_a_computed_default_no_file_can_hold(tmp_path: Path) -> None:
    # `_("model", build())` has run: its value is an object, left out with the comment
    # --hp-list writes for it (issue 12: --hp-save and --hp-list write the same text)
    manager = parsed(tmp_path)
    manager("model", object())
    manager.save(tmp_path / "hp.yaml")
    text = (tmp_path / "hp.yaml").read_text(encoding="utf-8")
    assert "\n# model: default is not a literal: build() (" in text
    assert "model" not in serial.load(tmp_path / "hp.yaml")
