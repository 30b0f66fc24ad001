"""One discovery rule for `hpman list` and `_.parse_file(dir)`: a folder's walk leaves out
git-ignored files, virtual environments, site-packages, hidden folders and caches; a
path named is always read. Fixture: fixtures/runtime/discovery, plus what a test adds
(a git-ignored build/lib copy as `pip install .` leaves it, a .venv, ...)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst import HyperParameterManager
from hpman_cst.cli import cli
from hpman_cst.discover import discover, display_path
from hpman_cst.runtime import discover as runtime_discover

DISCOVERY = Path(__file__).resolve().parent.parent / "fixtures" / "runtime" / "discovery"
HAS_GIT = shutil.which("git") is not None

#: Files a walk leaves out, each with a call of its own (so a listing shows it if read).
LEFT_OUT = {
    "build/lib/model.py": "git-ignored copy",
    "scratch.py": "git-ignored file",
    ".venv/lib/python3.11/site-packages/dep/mod.py": "hidden virtual environment",
    "env/lib/python3.11/site-packages/dep/mod.py": "virtual environment (pyvenv.cfg)",
    "conda/pkgs/mod.py": "conda environment (conda-meta)",
    "site-packages/dep.py": "site-packages",
    "node_modules/tool/gen.py": "node_modules",
    "__pycache__/cached.py": "__pycache__",
    ".tox/py311/x.py": "hidden folder",
    "pkg/.hidden.py": "hidden file",
}


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project in a git work tree, with everything a walk must leave out."""
    if not HAS_GIT:
        pytest.skip("git is not installed")
    root = tmp_path / "project"
    shutil.copytree(DISCOVERY, root)
    git(root, "init", "-q")
    (root / ".gitignore").write_text("build/\nscratch.py\n")
    for number, relative in enumerate(LEFT_OUT):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"from hpman_cst.m import _\n_('model.hidden', {1000 + number})\n")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (root / "conda" / "conda-meta").mkdir()
    monkeypatch.chdir(root)
    return root


def listed_paths(*args: str) -> set[str]:
    """The files `hpman list` read (every one holds a call), by the JSON listing."""
    result = runner().invoke(cli, ["list", "--format", "json", "--no-cache", *args])
    assert result.exit_code in (0, 1), result.output
    listing = json.loads(result.stdout)
    return {o["path"] for h in listing["hyperparameters"] for o in h["occurrences"]}


def parsed_paths(*paths: str) -> set[str]:
    manager = HyperParameterManager("_").parse_file(list(paths))
    return {os.path.normpath(r.path) for r in manager.get_occurrences()}


def test_runtime_reads_what_hpman_list_reads(project: Path) -> None:
    expected = {"model.py", "train.py", "pkg/layers.py"}
    assert listed_paths(".") == expected
    assert parsed_paths(".") == expected
    assert parsed_paths(str(project)) == {str(project / p) for p in expected}


def test_both_walks_find_the_same_files(project: Path) -> None:
    for top in (".", str(project), "pkg"):
        walked = {display_path(shown) for shown, _ in runtime_discover(top)}
        assert walked == set(discover([top]).files)


@pytest.mark.parametrize(
    "named",
    [
        "build/lib/model.py",
        "build",
        ".venv/lib/python3.11/site-packages",
        "env/lib/python3.11/site-packages/dep/mod.py",
        "__pycache__/cached.py",
    ],
)
def test_a_path_named_is_always_read(project: Path, named: str) -> None:
    listed = {p for p in listed_paths(named) if p != "model.py"}
    assert listed and parsed_paths(named) == listed


def test_set_default_then_training_script_runs(project: Path) -> None:
    # The reproduction of issue 12: set-default changes model.py, not the ignored copy in
    # build/lib; the training script's parse then used to die on the copy's old default.
    result = runner().invoke(cli, ["set-default", "model.hidden", "512", "--write", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert (project / "build" / "lib" / "model.py").read_text().endswith("1000)\n")
    manager = HyperParameterManager("_").parse_file(str(project))
    assert manager.get_value("model.hidden") == 512
