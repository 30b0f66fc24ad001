"""`from hpman_cst.m import _`: process-wide managers by attribute name, a cheap import, and
the seed README's example run end to end."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hpman_cst
import hpman_cst.m
from hpman_cst import HyperParameterManager

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed_example"
PACKAGE_ROOT = str(Path(hpman_cst.__file__).resolve().parent.parent)


def run_python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_underscore_is_the_manager_for_underscore() -> None:
    from hpman_cst.m import _

    assert isinstance(_, HyperParameterManager)
    assert _.placeholder == "_"


def test_any_name_is_a_manager_with_that_placeholder() -> None:
    from hpman_cst.m import hp_runtime_test as renamed

    assert renamed.placeholder == "hp_runtime_test"


def test_same_name_gives_the_same_manager() -> None:
    from hpman_cst.m import hp_same_test

    assert hpman_cst.m.hp_same_test is hp_same_test
    assert hpman_cst.m._ is hpman_cst.m._


def test_managers_are_independent() -> None:
    from hpman_cst.m import hp_left_test, hp_right_test

    hp_left_test.parse_source("hp_left_test('a', 1)\nhp_right_test('b', 2)")
    assert hp_left_test.get_values() == {"a": 1}
    assert hp_right_test.get_values() == {}


@pytest.mark.parametrize("name", ["annotations", "runtime", "HyperParameterManager"])
def test_module_internals_do_not_shadow_managers(name: str) -> None:
    manager = getattr(hpman_cst.m, name)
    assert isinstance(manager, HyperParameterManager)
    assert manager.placeholder == name


@pytest.mark.parametrize("name", ["__wrapped__", "__path__", "__test__", "__custom__"])
def test_dunder_probes_are_missing_attributes(name: str) -> None:
    assert not hasattr(hpman_cst.m, name)


@pytest.mark.parametrize("name", ["__", "___", "_____"])
def test_names_made_only_of_underscores_are_managers(name: str) -> None:
    # hpman accepts any identifier (its test_hpm_zoo imports `__`); only dunders are refused.
    manager = getattr(hpman_cst.m, name)
    assert isinstance(manager, HyperParameterManager)
    assert manager.placeholder == name
    assert getattr(hpman_cst.m, name) is manager


def test_double_underscore_imports_and_parses() -> None:
    from hpman_cst.m import __

    __.reset().parse_source("__('depth', 3)\n_('width', 4)")
    assert __.get_values() == {"depth": 3}
    __.reset()


def test_zoo_fixture_runs_with_three_underscore_managers() -> None:
    done = run_python(str(SEED.parent / "runtime" / "zoo" / "train.py"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "{'depth': 1} {'width': 2} {'heads': 3}\n"


def test_inspect_unwrap_sees_a_plain_module() -> None:
    assert inspect.unwrap(hpman_cst.m) is hpman_cst.m  # type: ignore[arg-type]


def test_package_reexports_the_manager() -> None:
    assert hpman_cst.HyperParameterManager is HyperParameterManager
    assert isinstance(hpman_cst.__version__, str)


def test_import_loads_no_third_party_module() -> None:
    heavy = ("libcst", "click", "tabulate", "yaml")
    code = (
        "import sys, hpman_cst.m\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))\n"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((), "expected_no_args.txt", id="defaults"),
        pytest.param(("-a", "2", "-b", "3"), "expected_a2_b3.txt", id="a2-b3"),
    ],
)
def test_seed_example(args: tuple[str, ...], expected: str) -> None:
    result = run_python(str(SEED / "main.py"), *args, cwd=SEED)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (SEED / expected).read_text()
    assert result.stderr == ""
