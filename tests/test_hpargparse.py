"""``hpargparse.bind``: options, types, hints, actions and their order, bad input, and
each hpargparse 0.14 crash from the reference (section 8), now working."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from literal_values import literals

from hpman_cst import hpargparse
from hpman_cst.exceptions import InvalidHint
from hpman_cst.literals import same_value
from hpman_cst.runtime import HyperParameterManager

REPO = Path(__file__).resolve().parent.parent

SOURCE = """\
from hpman_cst.m import _

_("num_layers", 5)
_("lr", 0.1, range=[0.0, 1.0])
_("activation", "relu", choices=["relu", "gelu"], help="nonlinearity")
_("use_bn", True)
_("milestones", [30, 60, 90])
_("maybe", None)
_("optim.momentum", 0.9)
_("batch_size")
"""


def make_manager(tmp_path: Path, source: str = SOURCE) -> HyperParameterManager:
    path = tmp_path / "src.py"
    path.write_text(textwrap.dedent(source))
    return HyperParameterManager("_").parse_file(str(path))


def bound(manager: HyperParameterManager, **kwargs: object) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="train.py")
    hpargparse.bind(parser, manager, **kwargs)  # type: ignore[arg-type]
    return parser


def exits(parser: argparse.ArgumentParser, args: list[str], code: int = 0) -> None:
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(args)
    assert caught.value.code == code


def table_row(out: str, name: str) -> list[str]:
    """The name, type and value cells of ``name``'s row in a detail table."""
    row = next(line for line in out.splitlines() if line.startswith(f"| {name} "))
    return [cell.strip() for cell in row.split("|")[1:4]]


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The last stderr line, after checking that stdout stayed empty."""
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.strip().splitlines()[-1]


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HyperParameterManager:
    monkeypatch.chdir(tmp_path)
    return make_manager(tmp_path)


# -- options -----------------------------------------------------------------------


def test_one_option_per_hyper_parameter_with_a_value(manager: HyperParameterManager) -> None:
    parser = bound(manager, inject_actions=False)
    options = [a.option_strings[0] for a in parser._actions[1:]]
    assert options == [
        "--num-layers",
        "--lr",
        "--activation",
        "--use-bn",
        "--milestones",
        "--maybe",
        "--optim.momentum",
    ]


@pytest.mark.parametrize(
    ("name", "option", "dest"),
    [
        pytest.param("num_layers", "--num-layers", "num_layers", id="underscore"),
        pytest.param("opt.lr", "--opt.lr", "opt.lr", id="dotted"),
        pytest.param("Caps_Name", "--Caps-Name", "Caps_Name", id="case-kept"),
    ],
)
def test_option_spelling(tmp_path: Path, name: str, option: str, dest: str) -> None:
    parser = bound(make_manager(tmp_path, f"_({name!r}, 1)\n"), inject_actions=False)
    assert parser._actions[1].option_strings == [option]
    assert parser._actions[1].dest == dest


def test_a_name_with_a_dash_can_be_set(tmp_path: Path) -> None:
    # hpargparse 0.14: dest `lr_x` was taken for the name, tripping an AssertionError.
    manager = make_manager(tmp_path, '_("lr-x", 1)\n')
    namespace = bound(manager).parse_args(["--lr-x", "2"])
    assert (manager.get_value("lr-x"), namespace.lr_x) == (2, 2)


@pytest.mark.parametrize("name", [pytest.param("", id="empty"), pytest.param("a=b", id="equals")])
def test_names_no_command_line_can_spell_get_no_option_but_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    manager = make_manager(tmp_path, f"_({name!r}, 1)\n_('z', 0)\n")
    parser = bound(manager)
    assert [a.dest for a in parser._actions[1:3]] == ["z", "hp_save"]
    (tmp_path / "in.json").write_text(json.dumps({name: 5}))
    parser.parse_args(["--hp-load", "in.json"])
    assert manager.get_value(name) == 5


def test_percent_in_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exits(bound(make_manager(tmp_path, '_("100%", 1)\n')), ["-h"])
    assert "named `100%`" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--num-layers", "3"], id="dashes"),
        pytest.param(["--num_layers", "3"], id="underscores"),
        pytest.param(["--num_layers=3"], id="underscores-equals"),
    ],
)
def test_both_spellings_are_accepted(manager: HyperParameterManager, args: list[str]) -> None:
    namespace = bound(manager).parse_args(args)
    assert namespace.num_layers == 3
    assert manager.get_value("num_layers") == 3


@pytest.mark.parametrize(
    ("default", "text", "expected"),
    [
        pytest.param("1", "12", 12, id="int"),
        pytest.param("0.5", "2", 2.0, id="float"),
        pytest.param("'relu'", "gelu", "gelu", id="str"),
        pytest.param("True", "no", False, id="bool-no"),
        pytest.param("False", "TRUE", True, id="bool-true"),
        pytest.param("None", "3", 3, id="none-literal"),
        pytest.param("None", "text", "text", id="none-text"),
        pytest.param("[30]", "[1, 2]", [1, 2], id="list"),
        pytest.param("(1, 2)", "(3, 4)", (3, 4), id="tuple"),
        pytest.param("{'a': 1}", "{'b': 2}", {"b": 2}, id="dict"),
        pytest.param("{1}", "{2, 3}", {2, 3}, id="set"),
        pytest.param("1j", "2+1j", 2 + 1j, id="complex"),
        pytest.param("b'x'", "b'yz'", b"yz", id="bytes"),
        pytest.param("compute()", "[1]", [1], id="not-literal-default"),
    ],
)
def test_value_types(tmp_path: Path, default: str, text: str, expected: object) -> None:
    manager = make_manager(tmp_path, f'_("x", {default})\n')
    namespace = bound(manager).parse_args(["--x", text])
    assert same_value(manager.get_value("x"), expected)
    assert same_value(namespace.x, expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--num-layers", "1.5"], "argument --num-layers: invalid int value: '1.5'", id="int"
        ),
        pytest.param(["--lr", "fast"], "argument --lr: invalid float value: 'fast'", id="float"),
        pytest.param(
            ["--use-bn", "maybe"],
            "argument --use-bn: invalid bool value: 'maybe' (use true/false, yes/no or 1/0)",
            id="bool",
        ),
        pytest.param(
            ["--milestones", "5"],
            "argument --milestones: invalid list value: '5'"
            " (write a Python literal such as [1, 2])",
            id="list",
        ),
        pytest.param(
            ["--activation", "tanh"],
            "argument --activation: invalid choice: 'tanh' (choose from 'relu', 'gelu')",
            id="choices",
        ),
        pytest.param(["--lr", "1.5"], "argument --lr: 1.5 is out of range [0.0, 1.0]", id="range"),
    ],
)
def test_malformed_values_are_one_error_line_and_exit_2(
    manager: HyperParameterManager,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    exits(bound(manager), [*args, "--hp-save", "out.yaml"], code=2)
    assert error_line(capsys) == f"train.py: error: {message}"
    assert not (tmp_path / "out.yaml").exists()


def test_values_not_given_stay_at_their_priority(manager: HyperParameterManager) -> None:
    bound(manager).parse_args([])
    # Nothing was set: a run-time call with a value still wins over the parsed default.
    assert manager("num_layers", 7) == 7
    assert manager("activation", "gelu") == "gelu"


def test_namespace_holds_the_values_in_effect(manager: HyperParameterManager) -> None:
    namespace = bound(manager).parse_args(["--lr", "0.3"])
    assert (namespace.lr, namespace.num_layers, namespace.activation) == (0.3, 5, "relu")


def test_default_less_names_get_no_option(manager: HyperParameterManager) -> None:
    parser = bound(manager)
    assert "--batch-size" not in parser._option_string_actions


# -- hints -------------------------------------------------------------------------


def test_help_hint_and_defaults_in_help(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    exits(bound(manager), ["-h"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--activation {relu,gelu} nonlinearity (default: relu)" in out
    assert "--num-layers NUM_LAYERS An int hyper-parameter named `num_layers`. (default: 5)" in out
    assert "--use-bn {true,false} A bool hyper-parameter named `use_bn`. (default: True)" in out
    assert "Range: [0.0, 1.0]. (default: 0.1)" in out
    assert "(default: [30, 60, 90])" in out


def test_help_of_a_not_literal_default_shows_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exits(bound(make_manager(tmp_path, '_("f", compute(1))\n')), ["-h"])
    assert "(default: compute(1))" in " ".join(capsys.readouterr().out.split())


def test_percent_in_a_help_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manager = make_manager(tmp_path, '_("drop", 0.1, help="dropout in % (default %(default)s)")\n')
    exits(bound(manager, show_defaults=False), ["-h"])
    assert "dropout in % (default 0.1)" in " ".join(capsys.readouterr().out.split())


def test_show_defaults_false(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = bound(manager, show_defaults=False)
    assert parser.formatter_class is argparse.HelpFormatter
    exits(parser, ["-h"])
    assert "(default:" not in capsys.readouterr().out


def test_required_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = bound(make_manager(tmp_path, '_("data", "", required=True)\n'))
    exits(parser, [], code=2)
    assert error_line(capsys) == "train.py: error: the following arguments are required: --data"
    assert parser.parse_args(["--data", "x"]).data == "x"


def test_a_bad_hint_is_reported_at_bind_with_its_place(tmp_path: Path) -> None:
    manager = make_manager(tmp_path, '_("a", 1)\n_("a", range=[1])\n')
    with pytest.raises(InvalidHint) as caught:
        bound(manager)
    assert (
        str(caught.value) == f"{tmp_path / 'src.py'}:2:1: hint `range` of `a` must be [low, high]"
    )


def test_hints_from_a_default_less_occurrence_count(tmp_path: Path) -> None:
    manager = make_manager(tmp_path, '_("a", 1)\n_("a", choices=[1, 2])\n')
    with pytest.raises(SystemExit):
        bound(manager).parse_args(["--a", "3"])


# -- abbreviations -------------------------------------------------------------------


def test_abbreviations_are_refused_with_a_suggestion(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    exits(bound(manager), ["--num-layer", "3"], code=2)
    assert error_line(capsys) == (
        "train.py: error: unrecognized argument --num-layer (options cannot be abbreviated);"
        " did you mean --num-layers?"
    )
    assert manager.get_value("num_layers") == 5


def test_misspelt_options_get_a_suggestion(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    exits(bound(manager), ["--num-layrs", "3"], code=2)
    assert error_line(capsys) == (
        "train.py: error: unrecognized arguments: --num-layrs 3; did you mean --num-layers?"
    )


def test_misspelt_option_saves_nothing(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    exits(bound(manager), ["--num-layrs", "3", "--hp-save", "out.yaml"], code=2)
    assert not (tmp_path / "out.yaml").exists()


def test_the_users_own_options_keep_argparse_behaviour(manager: HyperParameterManager) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int)
    hpargparse.bind(parser, manager)
    assert parser.parse_args(["--epo", "3"]).epochs == 3


def test_values_after_double_dash_are_left_alone(manager: HyperParameterManager) -> None:
    parser = bound(manager)
    parser.add_argument("rest", nargs="*")
    assert parser.parse_args(["--", "--num_lay"]).rest == ["--num_lay"]


# -- actions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [pytest.param(["--hp-list"], id="bare"), pytest.param(["--hp-list", "yaml"], id="yaml")]
)
def test_list_yaml(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    exits(bound(manager), args)
    out = capsys.readouterr().out
    assert yaml.safe_load(out) == {
        "activation": "relu",
        "lr": 0.1,
        "maybe": None,
        "milestones": [30, 60, 90],
        "num_layers": 5,
        "optim.momentum": 0.9,
        "use_bn": True,
    }
    assert out.startswith("activation: relu\nlr: 0.1\n")


def test_list_json_in_tree_order(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    exits(bound(manager), ["--hp-list", "json"])
    data = json.loads(capsys.readouterr().out)
    assert list(data) == list(manager.get_values())


def test_list_table(manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]) -> None:
    exits(bound(manager), ["--hp-list", "table", "--lr", "0.2"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["name", "type", "value", "defined", "at"]
    assert lines[3].split() == ["lr", "float", "0.2", "src.py:4"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--hp-list", "detail"], id="list-detail"),
        pytest.param(["--hp-detail"], id="detail"),
    ],
)
def test_detail_after_overrides(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    # hpargparse 0.14: TypeError '<' not supported between 'str' and 'NoneType'.
    exits(bound(manager), ["--num-layers", "3", *args])
    out = capsys.readouterr().out
    assert out.startswith("All hyperparameters:\n    ['activation', 'lr', 'maybe',")
    assert table_row(out, "num_layers") == ["num_layers", "int", "3"]
    assert '| ==> 3: _("num_layers", 5)' in out


def test_detail_after_load(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "hp.yaml").write_text("num_layers: 4\n")
    exits(bound(manager), ["--hp-load", "hp.yaml", "--hp-detail"])
    assert table_row(capsys.readouterr().out, "num_layers") == ["num_layers", "int", "4"]


def test_save(manager: HyperParameterManager, tmp_path: Path) -> None:
    bound(manager).parse_args(["--hp-save", "out.yaml", "--milestones", "[1]"])
    assert yaml.safe_load((tmp_path / "out.yaml").read_text())["milestones"] == [1]


@pytest.mark.parametrize(
    ("args", "bind_format", "expected"),
    [
        pytest.param(["--hp-serial-format", "json"], "auto", "json", id="command-line"),
        pytest.param([], "json", "json", id="bind-argument"),
        pytest.param(["--hp-serial-format", "yaml"], "json", "yaml", id="command-line-wins"),
    ],
)
def test_serial_format_is_honoured(
    manager: HyperParameterManager, tmp_path: Path, args: list[str], bind_format: str, expected: str
) -> None:
    # hpargparse 0.14 ignored --hp-serial-format.
    bound(manager, serial_format=bind_format).parse_args(["--hp-save", "out.cfg", *args])
    text = (tmp_path / "out.cfg").read_text()
    loaded = json.loads(text) if expected == "json" else yaml.safe_load(text)
    assert loaded["num_layers"] == 5
    assert text.startswith("{") == (expected == "json")


def test_unknown_extension_is_an_error(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    exits(bound(manager), ["--hp-save", "out.pkl"], code=2)
    assert error_line(capsys).startswith(
        "train.py: error: argument --hp-save: out.pkl:"
        " cannot tell the format from the extension '.pkl'"
    )


def test_exit(manager: HyperParameterManager, tmp_path: Path) -> None:
    exits(bound(manager), ["--hp-save", "out.json", "--hp-exit"])
    assert json.loads((tmp_path / "out.json").read_text())["lr"] == 0.1


def test_order_load_then_command_line_then_save_then_list(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "in.yaml").write_text("num_layers: 2\nlr: 0.5\n")
    args = ["--hp-list", "json", "--hp-save", "out.yaml", "--lr", "0.25", "--hp-load", "in.yaml"]
    exits(bound(manager), args)
    listed = json.loads(capsys.readouterr().out)
    saved = yaml.safe_load((tmp_path / "out.yaml").read_text())
    assert listed["num_layers"] == saved["num_layers"] == 2  # from the file
    assert listed["lr"] == saved["lr"] == 0.25  # the command line wins over the file


def test_detail_wins_over_list(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    exits(bound(manager), ["--hp-list", "json", "--hp-detail"])
    assert capsys.readouterr().out.startswith("All hyperparameters:")


def test_load_tree_shaped_yaml(manager: HyperParameterManager, tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text("optim:\n  momentum: 0.5\n")
    namespace = bound(manager).parse_args(["--hp-load", "in.yaml"])
    assert manager.get_value("optim.momentum") == 0.5
    assert getattr(namespace, "optim.momentum") == 0.5


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        pytest.param("use_bn: 'false'\n", "use_bn", False, id="string-false-is-false"),
        pytest.param("use_bn: no\n", "use_bn", False, id="yaml-no"),
        pytest.param("lr: 1\n", "lr", 1.0, id="int-to-float"),
        pytest.param("num_layers: '12'\n", "num_layers", 12, id="string-to-int"),
        pytest.param("lr: 1e-3\n", "lr", 0.001, id="yaml-1.1-exponent"),
        pytest.param("maybe: 3\n", "maybe", 3, id="none-default"),
        pytest.param("batch_size: 64\n", "batch_size", 64, id="default-less-name"),
    ],
)
def test_load_converts_like_the_command_line(
    manager: HyperParameterManager, tmp_path: Path, text: str, name: str, expected: object
) -> None:
    (tmp_path / "in.yaml").write_text(text)
    bound(manager).parse_args(["--hp-load", "in.yaml"])
    assert same_value(manager.get_value(name), expected)


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        pytest.param(
            "in.yaml",
            "num_layer: 3\n",
            "in.yaml: unknown hyper-parameter `num_layer` (did you mean `num_layers`?)",
            id="unknown-key",
        ),
        pytest.param(
            "in.yaml",
            "activation: tanh\n",
            "in.yaml: `activation`: invalid choice: 'tanh' (choose from 'relu', 'gelu')",
            id="choices",
        ),
        pytest.param(
            "in.yaml", "lr: 3\n", "in.yaml: `lr`: 3.0 is out of range [0.0, 1.0]", id="range"
        ),
        pytest.param(
            "in.yaml",
            "num_layers: 2.5\n",
            "in.yaml: `num_layers`: expected an int, got 2.5 (float)",
            id="type",
        ),
        pytest.param("in.yaml", "lr: [\n", "in.yaml:2:1: ", id="unparsable"),
        pytest.param("in.json", "{", "in.json:1:2: Expecting property name", id="unparsable-json"),
        pytest.param("missing.yaml", None, "missing.yaml: no such file", id="missing"),
    ],
)
def test_bad_files_are_one_error_line_exit_2_and_nothing_saved(
    manager: HyperParameterManager,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    file: str,
    text: str | None,
    message: str,
) -> None:
    if text is not None:
        (tmp_path / file).write_text(text)
    exits(bound(manager), ["--hp-load", file, "--hp-save", "out.yaml"], code=2)
    assert error_line(capsys).startswith(f"train.py: error: argument --hp-load: {message}")
    assert not (tmp_path / "out.yaml").exists()
    assert manager.get_value("num_layers") == 5


def test_a_bad_file_sets_nothing(manager: HyperParameterManager, tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text("num_layers: 3\nlr: 7\n")
    with pytest.raises(SystemExit):
        bound(manager).parse_args(["--hp-load", "in.yaml"])
    assert manager.get_value("num_layers") == 5


@pytest.mark.parametrize(
    ("inject", "present", "absent"),
    [
        pytest.param(False, [], ["--hp-list", "--hp-exit", "--hp-serial-format"], id="none"),
        pytest.param(
            ["list"], ["--hp-list", "--hp-exit"], ["--hp-save", "--hp-serial-format"], id="list"
        ),
        pytest.param(
            ["save", "load"], ["--hp-save", "--hp-serial-format"], ["--hp-list"], id="save-load"
        ),
        pytest.param(["detail"], ["--hp-detail", "--hp-exit"], ["--hp-list"], id="detail"),
        pytest.param(["save"], ["--hp-save"], ["--hp-load"], id="save"),
    ],
)
def test_any_subset_of_actions_works(
    manager: HyperParameterManager, inject: object, present: list[str], absent: list[str]
) -> None:
    # hpargparse 0.14: AttributeError 'Namespace' object has no attribute 'hp_load'.
    parser = bound(manager, inject_actions=inject)
    assert parser.parse_args(["--num-layers", "2"]).num_layers == 2
    assert all(option in parser._option_string_actions for option in present)
    assert not any(option in parser._option_string_actions for option in absent)


def test_unknown_action_is_refused(manager: HyperParameterManager) -> None:
    with pytest.raises(ValueError, match="unknown action 'pickle'"):
        bound(manager, inject_actions=["save", "pickle"])


def test_unknown_serial_format_is_refused(manager: HyperParameterManager) -> None:
    with pytest.raises(ValueError, match="serial_format must be one of auto, yaml, json"):
        bound(manager, serial_format="pickle")


def test_action_prefix(manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]) -> None:
    exits(bound(manager, action_prefix="cfg"), ["--cfg-list", "json"])
    assert json.loads(capsys.readouterr().out)["lr"] == 0.1


# -- values set before bind (hpargparse 0.14: TypeError, hints of NoneType) ----------


def test_runtime_values_before_bind(manager: HyperParameterManager) -> None:
    manager.set_value("num_layers", 3)
    manager("lr", 0.2)
    manager("extra", [1])
    namespace = bound(manager).parse_args(["--extra", "[2]"])
    assert (namespace.num_layers, namespace.lr, namespace.extra) == (3, 0.2, [2])


def test_listing_after_runtime_values(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    manager.set_value("num_layers", 3)
    exits(bound(manager), ["--hp-detail"])
    assert table_row(capsys.readouterr().out, "num_layers") == ["num_layers", "int", "3"]


def test_listing_shows_values_no_file_can_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manager = make_manager(tmp_path, '_("f", compute())\n_("n", 1)\n')
    exits(bound(manager), ["--hp-list"])
    where = f"{tmp_path / 'src.py'}:1"
    assert capsys.readouterr().out == f"n: 1\n# f: default is not a literal: compute() ({where})\n"


# -- parser integration ----------------------------------------------------------------


def test_binding_twice_is_an_argparse_error(
    manager: HyperParameterManager, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = bound(manager)
    with pytest.raises(SystemExit):
        hpargparse.bind(parser, manager)
    assert "would both be the option" in capsys.readouterr().err


def test_works_on_a_sub_parser(manager: HyperParameterManager) -> None:
    parser = argparse.ArgumentParser()
    train = parser.add_subparsers(dest="command").add_parser("train")
    hpargparse.bind(train, manager)
    namespace = parser.parse_args(["train", "--num-layers", "4"])
    assert (namespace.command, namespace.num_layers) == ("train", 4)
    assert manager.get_value("num_layers") == 4


def test_parse_known_args_passes_unknown_arguments_on(manager: HyperParameterManager) -> None:
    namespace, rest = bound(manager).parse_known_args(["--lr", "0.5", "--other", "x"])
    assert (namespace.lr, rest) == (0.5, ["--other", "x"])


def test_exit_on_error_false_raises(manager: HyperParameterManager, tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(exit_on_error=False)
    hpargparse.bind(parser, manager)
    with pytest.raises(argparse.ArgumentError, match="unknown hyper-parameter"):
        (tmp_path / "in.yaml").write_text("nope: 1\n")
        parser.parse_args(["--hp-load", "in.yaml"])


# -- save then load restores every literal ---------------------------------------------

_names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: not n.startswith("hp")
)


@pytest.mark.parametrize("extension", ["yaml", "json"])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.dictionaries(_names, literals, min_size=1, max_size=4))
def test_save_then_load_restores_every_literal(
    tmp_path: Path, extension: str, values: dict[str, object]
) -> None:
    path = str(tmp_path / f"hp.{extension}")
    source = HyperParameterManager("_").set_values(values)
    bound(source).parse_args(["--hp-save", path])
    # Same code (same defaults), then a fresh run loads the file: the very same values.
    same_types = HyperParameterManager("_").set_values(values)
    bound(same_types).parse_args(["--hp-load", path])
    assert all(same_value(same_types.get_value(k), v) for k, v in values.items())
    # A target whose defaults are all None takes the file's values exactly as they are.
    untyped = HyperParameterManager("_").set_values(dict.fromkeys(values))
    bound(untyped).parse_args(["--hp-load", path])
    assert all(same_value(untyped.get_value(k), v) for k, v in values.items())


# -- subprocesses ----------------------------------------------------------------------


def run_script(script: Path, *args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, script.name, *args],
        cwd=script.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_piped_output_is_never_truncated(tmp_path: Path) -> None:
    long = "x" * 300
    (tmp_path / "main.py").write_text(
        "import argparse, os\nfrom hpman_cst import hpargparse\nfrom hpman_cst.m import _\n"
        f"_('long_value', {long!r})\n_('items', list(range(100)))\n"
        "_.parse_file(os.path.abspath(__file__))\n"
        "parser = argparse.ArgumentParser()\nhpargparse.bind(parser, _)\nparser.parse_args()\n"
    )
    result = run_script(tmp_path / "main.py", "--hp-list", "json", columns=20)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"long_value": long, "items": list(range(100))}
    detail = run_script(tmp_path / "main.py", "--hp-detail", columns=20).stdout
    assert long in detail


def test_import_loads_no_third_party_module() -> None:
    code = (
        "import sys, hpman_cst.hpargparse\n"
        "print(sorted(m for m in ('yaml', 'tabulate', 'click', 'libcst') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_example_project_train_script(tmp_path: Path) -> None:
    script = REPO / "fixtures" / "example" / "train.py"
    result = run_script(script, "--num-layers", "3", "--optim.lr", "0.05")
    assert result.returncode == 0, result.stderr
    assert "'lr': 0.05" in result.stdout
    listed = run_script(script, "--hp-list", "json", "--num-layers", "3")
    values = json.loads(listed.stdout)
    assert (values["num_layers"], values["optim.milestones"], values["batch_size"]) == (
        3,
        [30, 60, 90],
        256,
    )


# -- the libhpman README's second example, as fixture cases -----------------------------

TRAIN_PROJECT = REPO / "fixtures" / "argparse" / "train_project"
RUNS = sorted((REPO / "fixtures" / "argparse" / "runs").iterdir())


@pytest.mark.fixtures
@pytest.mark.parametrize("case", RUNS, ids=[case.name for case in RUNS])
def test_train_project(case: Path) -> None:
    """``fixtures/argparse/runs/<case>/args.json`` gives the command line and exit status;
    ``expected.txt`` is stdout (stderr when the run fails)."""
    spec = json.loads((case / "args.json").read_text())
    result = run_script(TRAIN_PROJECT / "train.py", *spec["args"])
    assert result.returncode == spec["exit"], result.stderr
    output, other = (
        (result.stdout, result.stderr) if spec["exit"] == 0 else (result.stderr, result.stdout)
    )
    assert other == ""
    output = output.replace("optional arguments:", "options:")  # Python < 3.10
    expected = case / "expected.txt"
    if os.environ.get("HPMAN_UPDATE_FIXTURES"):
        expected.write_text(output)
    assert output == expected.read_text()
