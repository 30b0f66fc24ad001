"""Reading saved runs (YAML and JSON, flat and tree-shaped) key by key, with positions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from literal_values import literals

from hpman_cst import serial
from hpman_cst.exceptions import SerialError
from hpman_cst.formats.run_keys import RunKey, flatten, read_run, read_run_text
from hpman_cst.literals import same_value


def _positions(keys: tuple[RunKey, ...]) -> list[tuple[str, int, int]]:
    found = []
    for key in keys:
        found.append((key.name, key.line, key.column))
        found += _positions(key.children or ())
    return found


TREE_YAML = """\
lr: 0.1
optim:
  momentum: 0.9
  milestones: {__tuple__: [30, 60]}
"""
TREE_JSON = (
    '{\n  "lr": 0.1,\n  "optim": {"momentum": 0.9,\n    "milestones": {"__tuple__": [30, 60]}}\n}\n'
)


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        pytest.param(
            TREE_YAML,
            "yaml",
            [("lr", 1, 0), ("optim", 2, 0), ("optim.momentum", 3, 2), ("optim.milestones", 4, 2)],
            id="yaml-tree",
        ),
        pytest.param(
            TREE_JSON,
            "json",
            [("lr", 2, 2), ("optim", 3, 2), ("optim.momentum", 3, 12), ("optim.milestones", 4, 4)],
            id="json-tree",
        ),
        pytest.param("a: 1\r\nb: 2\r\n", "yaml", [("a", 1, 0), ("b", 2, 0)], id="yaml-crlf"),
        pytest.param('{"a": 1,\r"b": 2}', "json", [("a", 1, 1), ("b", 2, 0)], id="json-cr"),
        pytest.param(
            "é: 1\nλ: {x: 2}\n",
            "yaml",
            [("é", 1, 0), ("λ", 2, 0), ("λ.x", 2, 4)],
            id="yaml-unicode",
        ),
        pytest.param('{"é": 1, "λ": 2}', "json", [("é", 1, 1), ("λ", 1, 9)], id="json-unicode"),
        pytest.param("", "yaml", [], id="yaml-empty"),
        pytest.param("{}", "json", [], id="json-empty"),
    ],
)
def test_key_positions(text: str, fmt: serial.Format, expected: list[tuple[str, int, int]]) -> None:
    assert _positions(read_run_text(text, fmt)) == expected


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_tagged_values_are_decoded_and_not_descended(fmt: serial.Format) -> None:
    text = TREE_YAML if fmt == "yaml" else TREE_JSON
    (_lr, optim) = read_run_text(text, fmt)
    assert optim.value == {"momentum": 0.9, "milestones": (30, 60)}
    assert optim.children is not None
    milestones = optim.children[1]
    assert milestones.value == (30, 60)
    assert milestones.children is None


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        pytest.param('{"a": 1, "a": 2}', "json", "run.json:1:10: duplicate key 'a'", id="json-dup"),
        pytest.param(
            '{"b": {"a": 1,\n "a": 2}}',
            "json",
            "run.json:2:2: duplicate key 'a'",
            id="json-nested-dup",
        ),
        pytest.param('{"a": }', "json", "run.json:1:7: Expecting value", id="json-syntax"),
        pytest.param('{"a": 1} x', "json", "run.json:1:10: Extra data", id="json-extra"),
        pytest.param(
            "[1]",
            "json",
            "run.json: expected a mapping of names to values, got list",
            id="json-list",
        ),
        pytest.param(
            '{"a": {"__tuple__": 3}}',
            "json",
            "run.json:1:7: `a`: malformed __tuple__ value: 3",
            id="json-bad-tag",
        ),
        pytest.param("a: 1\na: 2\n", "yaml", "run.yaml:2:1: duplicate key 'a'", id="yaml-dup"),
        pytest.param(
            "- 1\n",
            "yaml",
            "run.yaml: expected a mapping of names to values, got list",
            id="yaml-list",
        ),
        pytest.param(
            "1: 2\n", "yaml", "run.yaml:1:1: names must be strings, got 1", id="yaml-int-key"
        ),
        pytest.param(
            "a: {__set__: 3}\n",
            "yaml",
            "run.yaml:1:4: `a`: malformed __set__ value: 3",
            id="yaml-bad-tag",
        ),
    ],
)
def test_errors_name_the_place(text: str, fmt: serial.Format, message: str) -> None:
    with pytest.raises(SerialError) as info:
        read_run_text(text, fmt, f"run.{fmt}")
    assert str(info.value) == message


def test_yaml_syntax_error_has_a_position() -> None:
    with pytest.raises(SerialError) as info:
        read_run_text("a: [\n", "yaml", "run.yaml")
    assert str(info.value).startswith("run.yaml:2:1: ")


def test_flatten_descends_groups_of_known_names_only() -> None:
    keys = read_run_text("optim:\n  lr: 1\nd: {a: 1}\nold: {x: 1}\n", "yaml")
    flat = [(k.name, k.value) for k in flatten(keys, ["optim.lr", "d"])]
    assert flat == [("optim.lr", 1), ("d", {"a": 1}), ("old", {"x": 1})]


def test_read_run_drops_a_bom_and_reads_the_extension(tmp_path: object) -> None:
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "run.yml"
    path.write_bytes(b"\xef\xbb\xbflr: 0.5\n")
    assert read_run(str(path)) == (RunKey("lr", "lr", 0.5, 1, 0, None, 1, 2),)


@settings(max_examples=60, deadline=None)
@given(
    values=st.dictionaries(
        st.from_regex(r"[a-z][a-z_.]{0,8}", fullmatch=True), literals, max_size=5
    )
)
def test_saved_values_read_back_key_by_key(values: dict[str, object]) -> None:
    for fmt in ("yaml", "json"):
        try:
            text = serial.dumps(values, fmt)  # type: ignore[arg-type]
        except SerialError:
            continue  # a value that format cannot hold
        keys = read_run_text(text, fmt)  # type: ignore[arg-type]
        assert [k.name for k in keys] == list(serial.loads(text, fmt))  # type: ignore[arg-type]
        for key in keys:
            assert same_value(key.value, values[key.name])
            line = re.split(r"\r\n|\r|\n", text)[key.line - 1]
            quote = '"' if fmt == "json" else ""
            assert line[key.column :].startswith(quote + key.key) or line[key.column] in "'\""
