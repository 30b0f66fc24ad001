"""Two claims on one option string (``_("a_b")`` and ``_("a-b")``, a hyper-parameter
named like an option the parser has, or like an action) are one argparse/click error
naming both, not a traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import click
import pytest
from cli_runner import runner

import hpman_cst.click
from hpman_cst import hpargparse
from hpman_cst.runtime import HyperParameterManager


def manager_of(tmp_path: Path, source: str) -> HyperParameterManager:
    (tmp_path / "train.py").write_text(source)
    manager = HyperParameterManager("_")
    manager.parse_file(str(tmp_path / "train.py"))
    return manager


CASES = [
    pytest.param(
        '_("a_b", 1)\n_("a-b", 2)\n',
        None,
        "hyper-parameter `a_b` ({p}:1:1) and hyper-parameter `a-b` ({p}:2:1) would both be"
        " the option --a-b; rename one of them",
        id="two-hyper-parameters",
    ),
    pytest.param(
        '_("help", 1)\n',
        None,
        "the {kind}'s option {help} and hyper-parameter `help` ({p}:1:1) would both be the"
        " option --help; rename one of them",
        id="help",
    ),
    pytest.param(
        '_("lr", 1)\n',
        "--lr",
        "the {kind}'s option --lr and hyper-parameter `lr` ({p}:1:1) would both be the option"
        " --lr; rename one of them",
        id="the-scripts-own-option",
    ),
    pytest.param(
        '_("hp_list", 1)\n',
        None,
        "hyper-parameter `hp_list` ({p}:1:1) and the hpman-cst action --hp-list"
        " (action_prefix='hp') would both be the option --hp-list; rename one of them",
        id="an-action",
    ),
]


@pytest.mark.parametrize(("source", "own", "message"), CASES)
def test_argparse(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
    own: str | None,
    message: str,
) -> None:
    parser = argparse.ArgumentParser(prog="train.py")
    if own is not None:
        parser.add_argument(own)
    with pytest.raises(SystemExit) as exited:
        hpargparse.bind(parser, manager_of(tmp_path, source))
    assert exited.value.code == 2
    expected = message.format(p=tmp_path / "train.py", kind="parser", help="-h/--help")
    assert capsys.readouterr().err.splitlines()[-1] == f"train.py: error: {expected}"


def test_argparse_without_exit_on_error_raises_the_same_message(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(exit_on_error=False)
    with pytest.raises(argparse.ArgumentError, match="would both be the option --a-b"):
        hpargparse.bind(parser, manager_of(tmp_path, '_("a_b", 1)\n_("a-b", 2)\n'))


@pytest.mark.parametrize(("source", "own", "message"), CASES)
def test_click(tmp_path: Path, source: str, own: str | None, message: str) -> None:
    manager = manager_of(tmp_path, source)

    @click.command()
    @hpman_cst.click.options(manager)
    @click.option(own or "--other", default=None)
    def train(**_: object) -> None:
        click.echo("ran")

    result = runner().invoke(train, [])
    assert result.exit_code == 2
    assert "ran" not in result.stdout
    expected = message.format(p=tmp_path / "train.py", kind="command", help="--help")
    assert result.stderr.splitlines()[-1] == f"Error: {expected}"
