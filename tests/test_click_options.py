"""``@hpman_cst.click.options(_)``: the argparse binding's options, checks and actions on a
click command."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click
import pytest
import yaml
from cli_runner import runner
from click.testing import Result

import hpman_cst.click as hpclick
from hpman_cst.literals import same_value
from hpman_cst.runtime import HyperParameterManager

SOURCE = """\
_("num_layers", 5)
_("lr", 0.1, range=[0.0, 1.0])
_("activation", "relu", choices=["relu", "gelu"], help="nonlinearity")
_("use_bn", True)
_("milestones", (30, 60))
_("data", "", required=False)
"""


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HyperParameterManager:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src.py").write_text(SOURCE)
    return HyperParameterManager("_").parse_file(str(tmp_path / "src.py"))


def command(manager: HyperParameterManager, **kwargs: object) -> click.Command:
    @click.command()
    @click.option("--epochs", type=int, default=1)
    @hpclick.options(manager, **kwargs)  # type: ignore[arg-type]
    def train(epochs: int) -> None:
        click.echo(f"epochs={epochs} layers={manager.get_value('num_layers')}")

    return train


def invoke(cmd: click.Command, *args: str) -> Result:
    return runner().invoke(cmd, list(args), prog_name="train")


def test_options_in_help(manager: HyperParameterManager) -> None:
    out = " ".join(invoke(command(manager), "--help").stdout.split())
    assert "--num-layers INT An int hyper-parameter named `num_layers`. [default: 5]" in out
    assert "--activation {relu,gelu} nonlinearity [default: relu]" in out
    assert "--use-bn {true,false}" in out
    assert "Range: [0.0, 1.0]. [default: 0.1]" in out
    assert "--num_layers" not in out
    assert "--hp-list [table|detail|yaml|json]" in out


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--num-layers", "3"], id="dashes"),
        pytest.param(["--num_layers=3"], id="underscores"),
    ],
)
def test_values_are_set(manager: HyperParameterManager, args: list[str]) -> None:
    result = invoke(command(manager), *args, "--epochs", "2")
    assert (result.exit_code, result.stdout) == (0, "epochs=2 layers=3\n")


@pytest.mark.parametrize(
    ("args", "name", "expected"),
    [
        pytest.param(["--lr", "0.5"], "lr", 0.5, id="float"),
        pytest.param(["--use-bn", "no"], "use_bn", False, id="bool"),
        pytest.param(["--milestones", "[1, 2]"], "milestones", (1, 2), id="tuple"),
        pytest.param(["--activation", "gelu"], "activation", "gelu", id="choice"),
    ],
)
def test_value_types(
    manager: HyperParameterManager, args: list[str], name: str, expected: object
) -> None:
    assert invoke(command(manager), *args).exit_code == 0
    assert same_value(manager.get_value(name), expected)


def test_values_not_given_are_not_set(manager: HyperParameterManager) -> None:
    invoke(command(manager))
    assert manager("num_layers", 9) == 9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--num-layers", "1.5"],
            "Invalid value for '--num-layers': invalid int value: '1.5'",
            id="int",
        ),
        pytest.param(
            ["--lr", "2"], "Invalid value for '--lr': 2.0 is out of range [0.0, 1.0]", id="range"
        ),
        pytest.param(
            ["--activation", "tanh"],
            "Invalid value for '--activation': invalid choice: 'tanh' (choose from 'relu', 'gelu')",
            id="choices",
        ),
        # click 8.1 writes "No such option: --num-layer", later ones "No such option '--num-layer'"
        pytest.param(["--num-layer", "3"], "No such option", id="abbreviation"),
    ],
)
def test_bad_values_exit_2_and_save_nothing(
    manager: HyperParameterManager, tmp_path: Path, args: list[str], message: str
) -> None:
    result = invoke(command(manager), *args, "--hp-save", "out.yaml")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert not (tmp_path / "out.yaml").exists()


def test_abbreviation_suggests_the_option(manager: HyperParameterManager) -> None:
    assert "--num-layers" in invoke(command(manager), "--num-layer", "3").stderr


def test_required_hint(tmp_path: Path) -> None:
    (tmp_path / "src.py").write_text('_("data", "", required=True)\n')
    manager = HyperParameterManager("_").parse_file(str(tmp_path / "src.py"))

    @click.command()
    @hpclick.options(manager)
    def train() -> None:
        click.echo(manager.get_value("data"))

    result = invoke(train)
    assert result.exit_code == 2
    assert "Missing option '--data'" in result.stderr
    assert invoke(train, "--data", "x").stdout == "x\n"


@pytest.mark.parametrize(
    ("args", "parse"),
    [
        pytest.param(["--hp-list"], yaml.safe_load, id="bare-yaml"),
        pytest.param(["--hp-list", "json"], json.loads, id="json"),
    ],
)
def test_list(manager: HyperParameterManager, args: list[str], parse: object) -> None:
    result = invoke(command(manager), "--lr", "0.3", *args)
    assert result.exit_code == 0
    values = parse(result.stdout)  # type: ignore[operator]
    assert values["lr"] == 0.3
    assert values["milestones"] == {"__tuple__": [30, 60]}


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--hp-detail"], id="detail"),
        pytest.param(["--hp-list", "detail"], id="list-detail"),
    ],
)
def test_detail_after_override(manager: HyperParameterManager, args: list[str]) -> None:
    result = invoke(command(manager), "--num-layers", "3", *args)
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if line.startswith("| num_layers"))
    assert [cell.strip() for cell in row.split("|")[1:4]] == ["num_layers", "int", "3"]
    assert '==> 1: _("num_layers", 5)' in result.stdout


def test_table(manager: HyperParameterManager) -> None:
    result = invoke(command(manager), "--hp-list", "table")
    assert result.stdout.splitlines()[2].split() == ["activation", "str", "relu", "src.py:3"]


def test_save_then_load(manager: HyperParameterManager, tmp_path: Path) -> None:
    assert (
        invoke(
            command(manager), "--milestones", "(1, 2)", "--use-bn", "0", "--hp-save", "hp.json"
        ).exit_code
        == 0
    )
    fresh = HyperParameterManager("_").parse_file(str(tmp_path / "src.py"))
    assert invoke(command(fresh), "--hp-load", "hp.json").exit_code == 0
    assert fresh.get_values() == manager.get_values()
    assert fresh.get_value("milestones") == (1, 2)


def test_serial_format_is_honoured(manager: HyperParameterManager, tmp_path: Path) -> None:
    invoke(command(manager), "--hp-save", "hp.cfg", "--hp-serial-format", "json")
    assert json.loads((tmp_path / "hp.cfg").read_text())["num_layers"] == 5


def test_order_load_then_command_line_then_save(
    manager: HyperParameterManager, tmp_path: Path
) -> None:
    (tmp_path / "in.yaml").write_text("num_layers: 2\nlr: 0.5\n")
    result = invoke(
        command(manager), "--hp-save", "out.yaml", "--lr", "0.25", "--hp-load", "in.yaml"
    )
    assert result.stdout == "epochs=1 layers=2\n"
    assert yaml.safe_load((tmp_path / "out.yaml").read_text())["lr"] == 0.25


def test_exit(manager: HyperParameterManager, tmp_path: Path) -> None:
    result = invoke(command(manager), "--hp-save", "out.yaml", "--hp-exit")
    assert (result.exit_code, result.stdout) == (0, "")
    assert (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "num_layer: 3\n",
            "unknown hyper-parameter `num_layer` (did you mean `num_layers`?)",
            id="unknown",
        ),
        pytest.param("lr: 3\n", "`lr`: 3.0 is out of range [0.0, 1.0]", id="range"),
        pytest.param("lr: [\n", "in.yaml:2:1:", id="unparsable"),
    ],
)
def test_bad_files_exit_2(
    manager: HyperParameterManager, tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "in.yaml").write_text(text)
    result = invoke(command(manager), "--hp-load", "in.yaml", "--hp-save", "out.yaml")
    assert result.exit_code == 2
    assert "Error: Invalid value for '--hp-load': in.yaml" in result.stderr
    assert message in result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_missing_file_exits_2(manager: HyperParameterManager) -> None:
    result = invoke(command(manager), "--hp-load", "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: no such file" in result.stderr


@pytest.mark.parametrize(
    ("inject", "present", "absent"),
    [
        pytest.param(False, [], ["--hp-list", "--hp-exit"], id="none"),
        pytest.param(["list"], ["--hp-list", "--hp-exit"], ["--hp-save"], id="list"),
        pytest.param(
            ["save", "load"], ["--hp-save", "--hp-serial-format"], ["--hp-list"], id="save-load"
        ),
    ],
)
def test_any_subset_of_actions_works(
    manager: HyperParameterManager, inject: object, present: list[str], absent: list[str]
) -> None:
    cmd = command(manager, inject_actions=inject)
    assert invoke(cmd, "--num-layers", "2").stdout == "epochs=1 layers=2\n"
    options = {opt for param in cmd.params for opt in param.opts}
    assert set(present) <= options
    assert not set(absent) & options


def test_decorator_above_the_command(manager: HyperParameterManager) -> None:
    @hpclick.options(manager, action_prefix="cfg")
    @click.command()
    def train() -> None:
        click.echo(str(manager.get_value("lr")))

    assert json.loads(invoke(train, "--cfg-list", "json").stdout)["lr"] == 0.1
    assert invoke(train, "--lr", "0.2").stdout == "0.2\n"


def test_runtime_values_before_the_decorator(manager: HyperParameterManager) -> None:
    manager.set_value("num_layers", 8)
    assert invoke(command(manager)).stdout == "epochs=1 layers=8\n"


def test_source_text_of_a_not_literal_default_in_help(tmp_path: Path) -> None:
    (tmp_path / "src.py").write_text(textwrap.dedent('_("f", compute())\n'))
    cmd = command(HyperParameterManager("_").parse_file(str(tmp_path / "src.py")))
    assert "[default: compute()]" in invoke(cmd, "--help").stdout
