"""The test command passes on a machine with one Python (``compat``'s 3.9 and 3.13 runs
are skipped there) and CI insists on those interpreters: ``noxfile.py`` read with a
stand-in for nox, and what ``.ci/run`` sets."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _identity(*args: Any, **kwargs: Any) -> Any:
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return _identity


def load_noxfile(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> types.ModuleType:
    fake = types.ModuleType("nox")
    fake.options = types.SimpleNamespace()  # type: ignore[attr-defined]
    fake.session = _identity  # type: ignore[attr-defined]
    fake.parametrize = _identity  # type: ignore[attr-defined]
    fake.param = lambda *a, **k: a  # type: ignore[attr-defined]
    fake.Session = object  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nox", fake)
    for name in ("CI", "HPMAN_CST_REQUIRE_PYTHONS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("noxfile_under_test", ROOT / "noxfile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("env", "required"),
    [
        pytest.param({}, False, id="a-developer-machine"),
        pytest.param({"HPMAN_CST_REQUIRE_PYTHONS": "1"}, True, id="ci-run"),
        pytest.param({"HPMAN_CST_REQUIRE_PYTHONS": "0"}, False, id="explicitly-off"),
        pytest.param({"CI": "true"}, True, id="ci-service"),
        pytest.param({"CI": "false"}, False, id="ci-false"),
    ],
)
def test_missing_interpreters_fail_only_where_required(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], required: bool
) -> None:
    noxfile = load_noxfile(monkeypatch, env)
    assert noxfile.nox.options.error_on_missing_interpreters is required
    assert "compat" in noxfile.nox.options.sessions


def test_ci_requires_the_interpreters() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export HPMAN_CST_REQUIRE_PYTHONS=1\n" in run
    assert run.rstrip().endswith("pip install --quiet nox && nox")


def test_readme_creates_an_environment_before_installing() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    assert (
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && hpman list"
        " fixtures/example" in setup
    )
    assert "pip install nox && nox\n" in setup
