"""``hpman set-default`` keeps a default's type, reads VALUE as the training script's
option reads it, checks the hints with the front-ends' check, and writes an expression
only when asked (``--expr``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import click
import pytest
from cli_runner import runner
from click.testing import Result

import hpman_cst.click
from hpman_cst import hpargparse
from hpman_cst.cli import cli
from hpman_cst.runtime import HyperParameterManager

TRAIN = (
    "import torch.nn as nn\n"
    "from hpman_cst.m import _\n"
    "\n"
    "lr = _('lr', 1e-3)\n"
    "shuffle = _('shuffle', True)\n"
    "n = _('n', 1, choices=[1, 2])\n"
    "act = _('act', nn.ReLU)\n"
)


@pytest.fixture
def train(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "train.py"
    path.write_text(TRAIN)
    monkeypatch.chdir(tmp_path)
    return path


def hpman(*args: str) -> Result:
    return runner().invoke(cli, ["set-default", *args, "--write"])


def parser_for(path: Path) -> argparse.ArgumentParser:
    manager = HyperParameterManager("_")
    manager.parse_file(str(path))
    parser = argparse.ArgumentParser()
    hpargparse.bind(parser, manager)
    return parser


def test_a_value_of_another_type_is_refused(train: Path) -> None:
    result = hpman("lr", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        "hpman: `1` is an int, but the default of `lr` is a float (`1e-3` at train.py:4:6);"
        " write `1.0` to keep it a float, or pass --allow-type-change\n"
    )
    assert train.read_text() == TRAIN


def test_the_spelling_that_keeps_the_type_keeps_the_option_working(
    train: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hpman("lr", "1.0").exit_code == 0
    assert "lr = _('lr', 1.0)\n" in train.read_text()
    assert parser_for(train).parse_args(["--lr", "0.01"]).lr == 0.01


def test_allow_type_change_writes_it_and_the_option_changes_type(
    train: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hpman("lr", "1", "--allow-type-change").exit_code == 0
    assert "lr = _('lr', 1)\n" in train.read_text()
    with pytest.raises(SystemExit):  # what the refusal protects against
        parser_for(train).parse_args(["--lr", "0.01"])
    assert "invalid int value: '0.01'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("word", "written"),
    [("false", "False"), ("no", "False"), ("YES", "True"), ("1", None), ("0", None)],
)
def test_a_bool_takes_the_words_the_option_takes(train: Path, word: str, written: str) -> None:
    front_end = parser_for(train).parse_args(["--shuffle", word]).shuffle
    result = hpman("shuffle", word)
    if written is None:  # `1`/`0` are ints as Python reads them: refused, as `lr 1` is
        assert result.exit_code == 1
        assert f"write `{front_end}` to keep it a bool" in result.stderr
        return
    assert result.exit_code == 0, result.stderr
    assert f"shuffle = _('shuffle', {written})\n" in train.read_text()
    assert repr(front_end) == written


def test_a_word_the_option_refuses_is_refused(train: Path) -> None:
    result = hpman("shuffle", "maybe")
    assert result.exit_code == 1
    assert result.stderr == (
        "hpman: `maybe` is not a Python literal, nor a value the option of `shuffle` takes"
        " (invalid bool value: 'maybe' (use true/false, yes/no or 1/0)); to write it as an"
        " expression, pass --expr\n"
    )


@pytest.mark.parametrize("value", ["1.0", "True"])
def test_choices_refuse_what_the_option_refuses(
    train: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = hpman("n", value, "--allow-type-change")
    assert result.exit_code == 1
    assert result.stderr == (
        f"hpman: `n`: invalid choice: {value} (choose from 1, 2) (hint at train.py:6:5)\n"
    )
    with pytest.raises(SystemExit):
        parser_for(train).parse_args(["--n", value])
    assert train.read_text() == TRAIN


def _click_error(path: Path, *args: str) -> str:
    manager = HyperParameterManager("_")
    manager.parse_file(str(path))

    @click.command()
    @hpman_cst.click.options(manager)
    def train() -> None:
        pass

    result = runner().invoke(train, list(args))
    assert result.exit_code == 2
    return result.stderr.splitlines()[-1].split(": ", 1)[1]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        pytest.param("n", "3", "invalid choice: 3 (choose from 1, 2)", id="choices"),
        pytest.param("p", "1.5", "1.5 is out of range [0.0, 1.0]", id="range"),
    ],
)
def test_set_default_refuses_with_the_front_ends_words(
    train: Path, capsys: pytest.CaptureFixture[str], name: str, value: str, words: str
) -> None:
    train.write_text(TRAIN + "p = _('p', 0.5, range=[0.0, 1.0])\n")
    before = train.read_bytes()
    result = hpman(name, value)
    assert result.exit_code == 1
    line = 6 if name == "n" else 8
    assert result.stderr == f"hpman: `{name}`: {words} (hint at train.py:{line}:5)\n"
    option = f"--{name}"
    with pytest.raises(SystemExit):
        parser_for(train).parse_args([option, value])
    assert capsys.readouterr().err.splitlines()[-1].endswith(f"argument {option}: {words}")
    assert words in _click_error(train, f"{option}={value}")
    load = train.parent / "run.yaml"
    load.write_text(f"{name}: {value}\n")
    with pytest.raises(SystemExit):
        parser_for(train).parse_args(["--hp-load", str(load)])
    assert capsys.readouterr().err.splitlines()[-1].endswith(f"`{name}`: {words}")
    assert train.read_bytes() == before


def test_choices_accept_a_choice(train: Path) -> None:
    assert hpman("n", "2").exit_code == 0
    assert "n = _('n', 2, choices=[1, 2])\n" in train.read_text()


def test_an_expression_needs_expr(train: Path) -> None:
    refused = hpman("act", "nn.GELU")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "hpman: `nn.GELU` is not a Python literal; to write it as an expression, pass --expr\n"
    )
    result = hpman("act", "nn.GELU", "--expr")
    assert (result.exit_code, result.stderr) == (0, "1 file changed, 1 call site\n")
    assert "act = _('act', nn.GELU)\n" in train.read_text()


def test_an_expression_over_a_literal_is_a_type_change(train: Path) -> None:
    refused = hpman("lr", "base_lr / 10", "--expr")
    assert refused.exit_code == 1
    assert "pass --allow-type-change to replace it by an expression" in refused.stderr
    assert hpman("lr", "base_lr / 10", "--expr", "--allow-type-change").exit_code == 0
    assert "lr = _('lr', base_lr / 10)\n" in train.read_text()


def test_an_expression_is_verified_like_every_edit(train: Path) -> None:
    result = hpman("act", "_('other', 1)", "--expr")
    assert result.exit_code == 2
    assert "call sites are not the intended ones" in result.stderr
    assert train.read_text() == TRAIN
