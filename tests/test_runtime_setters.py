"""Setters of names the parsed code does not contain: stored as hpman stores them, with an
:class:`UnknownHyperParameterWarning` (hpman-reference, "Our decisions" 5)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import hpman_cst
from hpman_cst import HyperParameterManager, ImpossibleTree, UnknownHyperParameterWarning

LAUNCHER = Path(__file__).resolve().parent.parent / "fixtures" / "runtime" / "launcher"
PACKAGE_ROOT = str(Path(hpman_cst.__file__).resolve().parent.parent)


def parsed(source: str = "_('lr', 0.1)\n_('opt.lr', 1e-3)\n") -> HyperParameterManager:
    return HyperParameterManager("_").parse_source(source, "cfg.py")


def caught(action: object) -> list[warnings.WarningMessage]:
    """The warnings ``action()`` gives, every one of them (no filter hides repeats)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        action()  # type: ignore[operator]
    return seen


def test_warning_class_is_a_user_warning() -> None:
    assert issubclass(UnknownHyperParameterWarning, UserWarning)
    assert hpman_cst.UnknownHyperParameterWarning is UnknownHyperParameterWarning


@pytest.mark.parametrize(
    "setter",
    [
        pytest.param(lambda m: m.set_value("lr_rate", 0.5), id="set_value"),
        pytest.param(lambda m: m.set_values({"lr_rate": 0.5}), id="set_values"),
        pytest.param(lambda m: m.set_tree({"lr_rate": 0.5}), id="set_tree"),
        pytest.param(lambda m: m.tree.__setitem__("lr_rate", 0.5), id="tree-item"),
    ],
)
def test_unknown_name_is_stored_with_a_warning(setter: object) -> None:
    mgr = parsed()
    seen = caught(lambda: setter(mgr))  # type: ignore[operator]
    assert [w.category for w in seen] == [UnknownHyperParameterWarning]
    assert str(seen[0].message) == (
        "`lr_rate` is not a hyper-parameter of the parsed code (set anyway); did you mean `lr`?"
    )
    assert mgr.get_value("lr_rate") == 0.5
    assert mgr.get_values() == {"lr": 0.1, "opt.lr": 1e-3, "lr_rate": 0.5}


def test_warning_points_at_the_callers_line() -> None:
    mgr = parsed()
    seen = caught(lambda: mgr.set_value("zzz", 1))
    assert seen[0].filename == __file__


def test_unknown_name_warns_once_per_name() -> None:
    mgr = parsed()
    seen = caught(
        lambda: (
            mgr.set_value("lr_rate", 1),
            mgr.set_value("lr_rate", 2),
            mgr.set_values({"lr_rate": 3, "seed": 4}),
            mgr.set_tree({"seed": 5}),
        )
    )
    assert [str(w.message).split()[0] for w in seen] == ["`lr_rate`", "`seed`"]
    assert mgr.get_values()["lr_rate"] == 3


def test_name_without_close_match_is_named_alone() -> None:
    seen = caught(lambda: parsed().set_value("seed", 1))
    assert str(seen[0].message) == "`seed` is not a hyper-parameter of the parsed code (set anyway)"


def test_known_names_and_unparsed_managers_do_not_warn() -> None:
    assert caught(lambda: parsed().set_values({"lr": 1, "opt.lr": 2})) == []
    assert caught(lambda: HyperParameterManager("_").set_value("anything", 1)) == []


def test_setter_turning_a_default_into_a_tree_warns() -> None:
    mgr = parsed()
    seen = caught(lambda: (mgr.set_value("opt.lr.x", 3), mgr.set_value("opt.lr.y", 4)))
    assert [w.category for w in seen] == [UnknownHyperParameterWarning] * 2
    assert str(seen[0].message) == (
        "`opt.lr.x` is not a hyper-parameter of the parsed code (set anyway): `opt.lr` has a"
        " default (cfg.py:2:1) and is now a tree, so `_('opt.lr')` returns a dict"
    )
    assert mgr.get_value("opt.lr") == {"x": 3, "y": 4}


def test_error_filter_turns_the_warning_into_an_error_and_stores_nothing() -> None:
    mgr = parsed()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownHyperParameterWarning)
        with pytest.raises(UnknownHyperParameterWarning, match="did you mean `lr`"):
            mgr.set_values({"lr": 0.2, "lr_rate": 0.5})
    assert mgr.get_values() == {"lr": 0.1, "opt.lr": 1e-3}


def test_impossible_tree_still_raises_without_a_warning() -> None:
    mgr = parsed("_('opt.lr', 1e-3)\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ImpossibleTree):
            mgr.set_values({"opt": 1})


# -- the launcher fixture: a run file merged into `_` ------------------------------------------


def launch(*options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, *options, str(LAUNCHER / "launch.py"), "run.json"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_launcher_with_unknown_keys_runs_and_warns() -> None:
    done = launch()
    assert done.returncode == 0, done.stderr
    assert done.stdout == "{'lr': 0.01, 'depth': 4, 'act': 'relu'} 7\n"
    assert "UnknownHyperParameterWarning: `lr_rate` is not a hyper-parameter" in done.stderr
    assert "did you mean `lr`?" in done.stderr
    assert "UnknownHyperParameterWarning: `seed` is not a hyper-parameter" in done.stderr


def test_launcher_under_the_error_filter_stops() -> None:
    done = launch("-W", "error::hpman_cst.UnknownHyperParameterWarning")
    assert done.returncode == 1
    assert done.stdout == ""
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("hpman_cst.exceptions.UnknownHyperParameterWarning: `lr_rate`")


def test_front_ends_stay_strict_about_the_same_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from hpman_cst import hpargparse

    monkeypatch.chdir(LAUNCHER)
    mgr = HyperParameterManager("_").parse_file(str(LAUNCHER / "model.py"))
    parser = argparse.ArgumentParser(prog="launch")
    hpargparse.bind(parser, mgr)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(SystemExit) as info:
            parser.parse_args(["--hp-load", "run.json"])
    assert info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "unknown hyper-parameters `lr_rate` (did you mean `lr`?), `seed`" in error
    assert mgr.get_values() == {"lr": 0.001, "model.depth": 4, "model.act": "relu"}
