"""``from hpman_cst.m import _`` runs at the start of every training script: it must not
load the stdlib modules that only rarer paths need (benchmark B6 measures the cost)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hpman_cst
from hpman_cst import exceptions, priority, runtime, tree
from hpman_cst.records import Problem, ProblemCode

PACKAGE_ROOT = str(Path(hpman_cst.__file__).resolve().parent.parent)

#: Needed only to write files (tempfile, pathlib), or to suggest close names (difflib).
DEFERRED = ("difflib", "tempfile", "pathlib", "shutil")

#: Stdlib modules that cost milliseconds each to import; only parsing, error reports and
#: the tools need them.
HEAVY_STDLIB = ("typing", "enum", "ast", "dataclasses", "re", "inspect")

#: Third-party modules of the tools (refactoring, tables, values files, command line).
THIRD_PARTY = ("libcst", "click", "tabulate", "yaml")

#: Runs after `from hpman_cst.m import _` without parsing: the hot path and the setters.
RUNTIME_USE = (
    "_('lr', 0.1); _('lr'); _.get_value('lr'); _.set_value('lr', 0.2); _('lr', 0.1)\n"
    "_.get_tree(); _.get_values(); _.exists('momentum'); _.get_value('x', False)\n"
)


def loaded_by(statements: str, tmp_path: Path) -> set[str]:
    """The modules a fresh interpreter loads while running ``statements``."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"{statements}\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = ast.literal_eval(result.stdout)
    return set(loaded)


def test_runtime_import_defers_write_and_suggestion_modules(tmp_path: Path) -> None:
    loaded = loaded_by("from hpman_cst.m import _", tmp_path)
    assert sorted(loaded & set(DEFERRED)) == []


@pytest.mark.parametrize(
    "modules",
    [
        pytest.param(HEAVY_STDLIB, id="heavy-stdlib"),
        pytest.param(THIRD_PARTY, id="third-party"),
    ],
)
def test_runtime_import_defers_heavy_modules(tmp_path: Path, modules: tuple[str, ...]) -> None:
    loaded = loaded_by("from hpman_cst.m import _", tmp_path)
    assert sorted(loaded & set(modules)) == []


def test_runtime_use_without_parsing_loads_no_heavy_module(tmp_path: Path) -> None:
    loaded = loaded_by(f"from hpman_cst.m import _\n{RUNTIME_USE}", tmp_path)
    assert sorted(loaded & {*HEAVY_STDLIB, *THIRD_PARTY, *DEFERRED}) == []


def test_package_import_loads_none_of_its_modules(tmp_path: Path) -> None:
    loaded = loaded_by("import hpman_cst", tmp_path)
    assert sorted(m for m in loaded if m.startswith("hpman_cst.")) == []


def test_runtime_import_loads_only_the_runtime_modules(tmp_path: Path) -> None:
    loaded = loaded_by("from hpman_cst.m import _", tmp_path)
    assert sorted(m for m in loaded if m.startswith("hpman_cst")) == [
        "hpman_cst",
        "hpman_cst.exceptions",
        "hpman_cst.m",
        "hpman_cst.runtime",
        "hpman_cst.tree",
    ]


@pytest.mark.parametrize("name", sorted(hpman_cst.__all__))
def test_every_exported_name_is_available(tmp_path: Path, name: str) -> None:
    # A fresh interpreter: in this one, other tests have loaded the modules already.
    code = f"import hpman_cst\nassert hpman_cst.{name} is not None\nfrom hpman_cst import {name}\n"
    loaded_by(code, tmp_path)


@pytest.mark.parametrize("name", [n for n in hpman_cst.__all__ if n != "__version__"])
def test_exported_names_are_the_defining_modules_objects(name: str) -> None:
    homes = [m for m in (exceptions, runtime, tree, priority) if name in vars(m)]
    assert homes and all(getattr(hpman_cst, name) is vars(m)[name] for m in homes)


def test_unknown_package_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        hpman_cst.no_such_name  # noqa: B018


def test_priority_enum_is_reachable_from_the_tree_module() -> None:
    assert tree.P is tree.HyperParameterPriority is priority.HyperParameterPriority
    assert [int(p) for p in priority.P] == [tree.PARSED, tree.CALLABLE, tree.SETTER]


@pytest.mark.parametrize("code", list(ProblemCode), ids=lambda c: c.name)
def test_every_problem_code_has_an_error_class(code: ProblemCode) -> None:
    error = exceptions.error_for(Problem(code=code, message="bad", path="f.py", line=1, column=0))
    assert isinstance(error, exceptions.HpmanError) and str(error) == "f.py:1:1: bad"


@pytest.mark.parametrize(
    "module",
    [
        pytest.param("hpman_cst.refactor.edits", id="edits"),
        pytest.param("hpman_cst.refactor.plan", id="planner"),
        pytest.param("hpman_cst.refactor.materialise", id="materialise"),
        pytest.param("hpman_cst.refactor.python_proofs", id="ast-proofs"),
        pytest.param("hpman_cst.refactor.write", id="write"),
    ],
)
def test_planning_loads_no_libcst(tmp_path: Path, module: str) -> None:
    # A plan is data: planning (the CLI, an editor, bake), making its text and writing it
    # need no libcst; only the Python prover (hpman_cst.cst) loads it.
    loaded = loaded_by(f"import {module}", tmp_path)
    assert sorted(m for m in loaded if m == "libcst" or m.startswith("libcst.")) == []


def test_project_api_and_its_findings_load_no_third_party_module(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text("from hpman_cst.m import _\nlr = _('lr', 0.1)\n")
    statements = (
        "from hpman_cst.project import Settings, load_project\n"
        "project = load_project(Settings())\n"
        "assert project.registry.names == ('lr',) and project.findings == ()\n"
    )
    assert sorted(loaded_by(statements, tmp_path) & set(THIRD_PARTY)) == []


@pytest.mark.parametrize("runs", [1, 2], ids=["cold-cache", "warm-cache"])
def test_parsing_a_folder_through_the_cache_loads_no_third_party_module(
    tmp_path: Path, runs: int
) -> None:
    (tmp_path / "train.py").write_text("from hpman_cst.m import _\nlr = _('lr', 0.1)\n")
    statement = "from hpman_cst.m import _\n_.parse_file('.')\nassert _.get_value('lr') == 0.1\n"
    for _ in range(runs):
        loaded = loaded_by(statement, tmp_path)
    assert sorted(loaded & set(THIRD_PARTY)) == []
