"""``--hp-save``, ``--hp-list`` and ``hpman list --format yaml`` write the same values file
for the same values, names left out (a default that is not a literal, no default)
included: all three against one fixture, ``fixtures/values_file/project``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst import hpargparse, serial
from hpman_cst.cli import cli
from hpman_cst.runtime import HyperParameterManager

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "values_file" / "project"
EXPECTED = (PROJECT / "expected.yaml").read_text(encoding="utf-8")


@pytest.fixture
def parser(monkeypatch: pytest.MonkeyPatch) -> argparse.ArgumentParser:
    monkeypatch.chdir(PROJECT)
    manager = HyperParameterManager("_")
    manager.parse_file("model.py")
    bound = argparse.ArgumentParser()
    hpargparse.bind(bound, manager)
    return bound


def test_hpman_list_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    result = runner().invoke(cli, ["list", "model.py", "--format", "yaml", "--no-cache"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == EXPECTED


def test_hp_list(parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--hp-list"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == EXPECTED


def test_hp_save(parser: argparse.ArgumentParser, tmp_path: Path) -> None:
    saved = tmp_path / "run.yaml"
    parser.parse_args(["--hp-save", str(saved)])
    assert saved.read_text(encoding="utf-8") == EXPECTED


def test_the_file_loads_back_to_the_literal_values() -> None:
    assert serial.loads(EXPECTED, "yaml") == {
        "ids": {1, 2, 3},
        "lr": 1e-3,
        "milestones": (30, 60),
        "name": "x: y",
        "optim.momentum": 0.9,
    }


def test_hp_save_and_hp_list_after_the_defaults_ran(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # In a training script `_("act", nn.ReLU)` runs before the options are parsed: the
    # value is then the class itself, which no file can hold. --hp-save leaves it out as
    # --hp-list does (the same comment), instead of refusing to save anything.
    manager = HyperParameterManager("_")
    manager.parse_file(str(PROJECT / "model.py"))
    manager("act", argparse.Namespace)
    manager("pad", object())
    bound = argparse.ArgumentParser()
    hpargparse.bind(bound, manager)
    saved = tmp_path / "run.yaml"
    bound.parse_args(["--hp-save", str(saved)])
    assert saved.read_text(encoding="utf-8") == EXPECTED
    with pytest.raises(SystemExit) as exited:
        bound.parse_args(["--hp-list"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == EXPECTED
