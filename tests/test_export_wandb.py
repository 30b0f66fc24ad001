"""``hpman export --format wandb``: the sweep config of the fixture project equals the
expected file, the training script (argparse and click) reads back every value a W&B
agent would pass it (``--flag=True``, ``None``, list literals, bounds of each
distribution), and a hint W&B cannot carry is an X001 line with the name left out.

The check against W&B's own sweep engine (the ``sweeps`` package, which needs numpy<2)
runs in its own nox session, ``nox -s wandb_sweeps``; it is skipped where that package is
not installed."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import runner

from hpman_cst import serial
from hpman_cst.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "export"
PROJECT = FIXTURES / "project"
EXPECTED = FIXTURES / "wandb"
UPDATE = bool(os.environ.get("HPMAN_UPDATE_FIXTURES"))
SCRIPTS = ("train_argparse.py", "train_click.py")


def _export(*args: str) -> tuple[int, str, str]:
    result = runner().invoke(cli, ["export", "--format", "wandb", *args])
    return result.exit_code, result.stdout, result.stderr


def _expect(path: Path, text: str) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.fixtures
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((), "expected.yaml", id="names-with-a-space"),
        pytest.param(("--all",), "expected_all.yaml", id="all"),
    ],
)
def test_config_equals_the_expected_file(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], expected: str
) -> None:
    monkeypatch.chdir(FIXTURES)
    status, stdout, stderr = _export("project", *args)
    _expect(EXPECTED / expected, stdout)
    _expect(EXPECTED / expected.replace(".yaml", ".stderr"), stderr)
    assert status == (1 if stderr else 0)


def _config(*args: str) -> dict[str, Any]:
    status, stdout, stderr = _export(str(PROJECT), "--all", *args)
    assert status == 1 and "`tags` has a default" in stderr  # a set: not carried
    config: dict[str, Any] = yaml.safe_load(stdout)
    return config


def _candidates(parameter: dict[str, Any]) -> list[object]:
    """Values a W&B agent may pass for one parameter: each of ``values``, the bounds
    and a value inside a distribution, the fixed ``value``."""
    if "values" in parameter:
        return list(parameter["values"])
    if "value" in parameter:
        return [parameter["value"]]
    low, high = parameter["min"], parameter["max"]
    kind = parameter["distribution"]
    if kind == "int_uniform":
        return [low, high, (low + high) // 2]
    if kind == "log_uniform_values":
        return [low, high, math.exp((math.log(low) + math.log(high)) / 2)]
    return [low, high, (low + high) / 3]


def _args(assignment: dict[str, object]) -> list[str]:
    """What W&B's ``${args}`` expands to: ``--name=value``, the value as Python's str()."""
    return [f"--{name}={value}" for name, value in assignment.items()]


def _read_back(script: str, assignment: dict[str, object], tmp_path: Path) -> dict[str, object]:
    saved = tmp_path / f"{script}.json"
    command = [sys.executable, str(PROJECT / script), *_args(assignment)]
    done = subprocess.run(
        [*command, "--hp-save", str(saved), "--hp-exit"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return serial.load(saved)


def _plain(value: object) -> object:
    """A value as YAML carries it to W&B (a tuple as a list)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _check_round(config: dict[str, Any], round_: int, tmp_path: Path) -> None:
    parameters = config["parameters"]
    assignment = {}
    for name, parameter in parameters.items():
        candidates = _candidates(parameter)
        assignment[name] = candidates[round_ % len(candidates)]
    defaults: dict[str, object] = {}
    for script in SCRIPTS:
        values = _read_back(script, assignment, tmp_path)
        defaults = defaults or values
        for name, given in assignment.items():
            got = values[name]
            assert _plain(got) == given, (script, name)
            assert type(got) is type(defaults[name]) or defaults[name] is None, (script, name)
            assert type(_plain(got)) is type(given), (script, name)


@pytest.mark.parametrize("round_", [0, 1, 2])
def test_the_training_script_reads_every_value_back(round_: int, tmp_path: Path) -> None:
    config = _config()
    assert config["command"] == ["${env}", "${interpreter}", "${program}", "${args}"]
    spellings = _args({"use_bn": True, "dropout": None, "optim.milestones": [30, 60]})
    assert spellings == ["--use_bn=True", "--dropout=None", "--optim.milestones=[30, 60]"]
    _check_round(config, round_, tmp_path)


def test_log_scale_is_log_uniform_values() -> None:
    lr = _config()["parameters"]["lr"]
    assert lr == {"distribution": "log_uniform_values", "min": 1e-05, "max": 0.1}


def test_a_hint_w_and_b_cannot_carry_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    status, stdout, stderr = _export("unmapped")
    assert status == 1
    assert list(yaml.safe_load(stdout)["parameters"]) == ["fine"]
    assert stderr.splitlines() == [
        "unmapped/bad.py:3:1: X001 `open` has a range with an open side;"
        " a W&B distribution needs both bounds; left out of the W&B sweep",
        "unmapped/bad.py:4:1: X001 `log0` has a log scale starting at 0.0;"
        " it must start above 0; left out of the W&B sweep",
        "unmapped/bad.py:5:1: X001 `ilog` is an int on a log scale;"
        " W&B has no integer log distribution; left out of the W&B sweep",
        "unmapped/bad.py:6:1: X001 `blob` has a choice a W&B agent cannot pass back as"
        " itself; left out of the W&B sweep",
        "unmapped/bad.py:7:1: X001 `my lr` is not a name W&B accepts; left out of the W&B sweep",
        "unmapped/bad.py:8:1: X001 hint `scale` of `cubic` must be 'linear' or 'log'",
        "unmapped/bad.py:9:1: X001 hint `range` of `words` bounds must be numbers or None",
    ]


def test_w_and_b_sweep_engine_accepts_the_config(tmp_path: Path) -> None:
    """W&B's own engine (``nox -s wandb_sweeps``): its schema checks pass, and the runs it
    proposes are read back by the training script."""
    sweeps = pytest.importorskip("sweeps")
    from sweeps.config import schema_violations_from_proposed_config

    for config in (_config(), yaml.safe_load(_export(str(PROJECT))[1])):
        assert schema_violations_from_proposed_config(config) == []
        sweeps.SweepConfig(config)
    config = _config()
    for _ in range(3):
        run = sweeps.next_run(config, [], validate=True)
        assignment = {name: item["value"] for name, item in run.config.items()}
        assert set(assignment) == set(config["parameters"])
        for script in SCRIPTS:
            values = _read_back(script, assignment, tmp_path)
            for name, given in assignment.items():
                assert _plain(values[name]) == given, (script, name)
