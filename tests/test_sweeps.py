"""``hpman_cst.sweeps.suggest``: a real Optuna study runs trials of the fixture project's
objective, and every value the code reads lies in its hint's space with the right type;
a hint that gives no space is one located error before anything is drawn; Optuna is
imported by this module only."""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
from pathlib import Path

import optuna
import pytest

from hpman_cst.runtime import HyperParameterManager
from hpman_cst.sweeps import SearchSpaceError, suggest

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "export" / "project"
SPACES = {
    "lr": ("float", 1e-5, 1e-1),
    "optim.momentum": ("float", 0.0, 0.99),
    "optim.warmup": ("int", 0, 1000),
    "num_layers": ("int", 1, 12),
}
CHOICES = {
    "optim.milestones": [[30, 60], [10, 20, 30]],
    "activation": ["relu", "gelu", "tanh"],
    "batch_size": [16, 32, 64],
    "nesterov": [True, False],
}
KEPT = {"use_bn": True, "dropout": None, "kernel": (3, 3), "eps": 1e-8, "run_name": "baseline"}


def _study(seed: int, *names: str) -> dict[str, list[dict[str, list[str]]]]:
    done = subprocess.run(
        [sys.executable, str(PROJECT / "tune.py"), str(seed), *names],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[dict[str, list[str]]]] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("seed", [0, 1])
def test_a_study_draws_every_value_inside_its_space(seed: int) -> None:
    study = _study(seed)
    assert len(study["read"]) == 5
    params = study["params"]
    assert set(params[0]) == {"lr", "optim.momentum", "optim.warmup", "num_layers"} | {
        "optim.milestones",
        "activation",
        "batch_size",
        "optim.nesterov",
    }
    for read in study["read"]:
        values = {name: ast.literal_eval(shown) for name, (shown, _) in read.items()}
        types = {name: kind for name, (_, kind) in read.items()}
        for name, (kind, low, high) in SPACES.items():
            assert types[name] == kind, name
            assert low <= values[name] <= high, name
        for name, choices in CHOICES.items():
            assert values[name] in choices, name
            assert types[name] == type(choices[0]).__name__, name
        for name, default in KEPT.items():
            assert values[name] == default and type(values[name]) is type(default), name
    drawn = [p["lr"] for p in params]
    assert len(set(drawn)) == len(drawn)  # a real sampler, not the default each time


def test_names_select_a_group() -> None:
    study = _study(0, "optim")
    assert set(study["params"][0]) == {
        "optim.momentum",
        "optim.warmup",
        "optim.milestones",
        "optim.nesterov",
    }
    assert {r["lr"][0] for r in study["read"]} == {"0.0003"}


def _manager(source: str) -> HyperParameterManager:
    manager = HyperParameterManager("_")
    manager.parse_source(source, "train.py")
    return manager


def test_choices_optuna_cannot_store_come_back_as_values() -> None:
    manager = _manager(
        "_('kernel', (3, 3), choices=[(3, 3), (5, 5)])\n_('b', b'a', choices=[b'a'])\n"
    )
    trial = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0)).ask()
    values = suggest(trial, manager)
    assert values["kernel"] in [(3, 3), (5, 5)] and type(values["kernel"]) is tuple
    assert values["b"] == b"a"
    assert trial.params["kernel"] in ("(3, 3)", "(5, 5)")


def test_log_scale_is_log_and_int_range_is_int() -> None:
    manager = _manager(
        "_('lr', 0.01, range=[1e-4, 1.0], scale='log')\n_('depth', 8, range=[1, 64], scale='log')\n"
    )
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=3))
    trial = study.ask()
    values = suggest(trial, manager)
    assert type(values["lr"]) is float and type(values["depth"]) is int
    distributions = trial.distributions
    assert distributions["lr"] == optuna.distributions.FloatDistribution(1e-4, 1.0, log=True)
    assert distributions["depth"] == optuna.distributions.IntDistribution(1, 64, log=True)
    assert math.isfinite(values["lr"])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            "_('x', 0.5)\n_('lr', 0.1, range=[0.0, 1.0], scale='log')\n",
            "train.py:2:1: `lr` has a log scale starting at 0.0; it must start above 0",
            id="log-from-zero",
        ),
        pytest.param(
            "_('lr', 0.1, range=[0.0, None])\n",
            "train.py:1:1: `lr` has a range with an open side; Optuna needs both bounds",
            id="open-range",
        ),
        pytest.param(
            "_('lr', 0.1, range=[0.0, 1.0], scale='cubic')\n",
            "train.py:1:1: hint `scale` of `lr` must be 'linear' or 'log'",
            id="unknown-scale",
        ),
    ],
)
def test_a_hint_without_a_space_is_a_located_error(source: str, message: str) -> None:
    manager = _manager(source)
    trial = optuna.create_study().ask()
    with pytest.raises(SearchSpaceError) as caught:
        suggest(trial, manager)
    assert str(caught.value) == message
    assert trial.params == {}  # nothing drawn


def _imports_optuna(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] == "optuna" for name in names):
            return True
    return False


def test_optuna_is_imported_only_by_sweeps() -> None:
    package = Path(__file__).resolve().parent.parent / "hpman_cst"
    importers = [
        str(path.relative_to(package)) for path in package.rglob("*.py") if _imports_optuna(path)
    ]
    assert importers == ["sweeps.py"]
    done = subprocess.run(
        [sys.executable, "-c", "import sys, hpman_cst.sweeps; print('optuna' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "False\n"
