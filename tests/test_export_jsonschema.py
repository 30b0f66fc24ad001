"""``hpman export --format jsonschema``: the schema accepts every run file the front-ends
write for the fixture project (flat and tree-shaped, YAML and JSON) and rejects a wrong
type, an unknown key, an out-of-range value and a value outside the choices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from cli_runner import runner

from hpman_cst.cli import cli

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "export" / "project"
SCRIPTS = ("train_argparse.py", "train_click.py")


def _schema() -> dict[str, Any]:
    result = runner().invoke(cli, ["export", "--format", "jsonschema", str(PROJECT)])
    assert result.exit_code == 0, result.stderr
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _saved(tmp_path: Path, script: str, suffix: str) -> object:
    """The run file ``script --hp-save`` writes, as YAML/JSON data."""
    target = tmp_path / f"run{suffix}"
    done = subprocess.run(
        [sys.executable, str(PROJECT / script), "--hp-save", str(target), "--hp-exit"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = target.read_text(encoding="utf-8")
    return json.loads(text) if suffix == ".json" else yaml.safe_load(text)


def _tree(flat: dict[str, object]) -> dict[str, object]:
    """The tree-shaped form of a flat run file: ``optim.lr`` under ``optim: {lr: ...}``."""
    tree: dict[str, Any] = {}
    for name, value in flat.items():
        *groups, leaf = name.split(".")
        level = tree
        for group in groups:
            level = level.setdefault(group, {})
        level[leaf] = value
    return tree


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("script", SCRIPTS)
def test_accepts_what_the_front_ends_save(
    validator: jsonschema.protocols.Validator, tmp_path: Path, script: str, suffix: str
) -> None:
    data = _saved(tmp_path, script, suffix)
    assert isinstance(data, dict) and "optim.momentum" in data and "kernel" in data
    validator.validate(data)
    tree = _tree(data)
    assert "optim" in tree and "optim.momentum" not in tree
    validator.validate(tree)


def test_accepts_the_listing_as_a_values_file(validator: jsonschema.protocols.Validator) -> None:
    result = runner().invoke(cli, ["list", "--format", "yaml", str(PROJECT)])
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    validator.validate(data)
    validator.validate(_tree(data))


def test_accepts_an_empty_file_and_a_partial_one(
    validator: jsonschema.protocols.Validator,
) -> None:
    validator.validate(None)
    validator.validate({"optim": {"momentum": 0.5}, "lr": 0.001})


@pytest.mark.parametrize(
    ("data", "why"),
    [
        pytest.param({"num_layers": "four"}, "is not of type 'integer'", id="wrong-type-int"),
        pytest.param({"use_bn": "yes"}, "is not of type 'boolean'", id="wrong-type-bool"),
        pytest.param({"kernel": {"__set__": [3]}}, "is not valid", id="wrong-tag"),
        pytest.param({"lrr": 0.1}, "('lrr' was unexpected)", id="unknown-key"),
        pytest.param({"optim": {"lrr": 1}}, "('lrr' was unexpected)", id="unknown-nested-key"),
        pytest.param({"optim": 0.1}, "is not of type 'object'", id="group-not-a-mapping"),
        pytest.param({"lr": 1.0}, "is greater than the maximum of 0.1", id="above-range"),
        pytest.param({"optim": {"warmup": -1}}, "is less than the minimum of 0", id="below"),
        pytest.param({"activation": "elu"}, "is not one of", id="not-a-choice"),
    ],
)
def test_rejects(
    validator: jsonschema.protocols.Validator, data: dict[str, object], why: str
) -> None:
    errors = list(validator.iter_errors(data))
    assert errors
    assert any(why in error.message for error in errors), [e.message for e in errors]


def test_describes_each_name(tmp_path: Path) -> None:
    schema = _schema()
    lr = schema["properties"]["lr"]
    assert lr["description"] == "learning rate"
    assert lr["default"] == 3e-4
    assert (lr["minimum"], lr["maximum"]) == (1e-5, 1e-1)
    assert schema["properties"]["optim"]["properties"]["momentum"]["maximum"] == 0.99
    assert schema["properties"]["kernel"]["default"] == {"__tuple__": [3, 3]}
    assert schema["additionalProperties"] is False


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "hparams.schema.json"
    args = ["export", "--format", "jsonschema", str(PROJECT), "-o", str(target)]
    result = runner().invoke(cli, args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert json.loads(target.read_text(encoding="utf-8")) == _schema()
    assert os.path.getsize(target) > 0


def test_a_hint_that_cannot_be_honoured_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT.parent)
    result = runner().invoke(cli, ["export", "--format", "jsonschema", "unmapped"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "unmapped/bad.py:8:1: X001 hint `scale` of `cubic` must be 'linear' or 'log'",
        "unmapped/bad.py:9:1: X001 hint `range` of `words` bounds must be numbers or None",
    ]
    names = set(json.loads(result.stdout)["properties"])
    assert names == {"open", "log0", "ilog", "blob", "my lr", "fine"}
