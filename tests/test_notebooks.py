"""Notebooks (``.ipynb``) as project files: indexed per code cell with IPython lines
masked, positions naming the cell, left out by ``--exclude``, not read by the runtime's
folder walk; edits change only the characters of the edited cell sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst.cli import cli
from hpman_cst.index import index_bytes
from hpman_cst.notebook import mask, read_notebook
from hpman_cst.runtime import HyperParameterManager

NOTEBOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "notebooks"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(NOTEBOOKS / "train.ipynb", tmp_path / "train.ipynb")
    (tmp_path / "m.py").write_text('x = _("lr", 0.1)\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HPMAN_CST_CACHE_DIR", str(tmp_path / ".cache"))
    return tmp_path


def hpman(*args: str) -> tuple[int, str, str]:
    result = runner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_magic_lines_are_masked_with_the_same_length() -> None:
    source = "%time y = 1\nx = _('a', 1)\n!ls -l\nfiles = !ls\nif x:\n    %env A=1\nx?\n"
    masked, lines = mask(source)
    assert lines == (1, 3, 4, 6, 7)
    assert [len(a) for a in masked.splitlines()] == [len(b) for b in source.splitlines()]
    assert masked.splitlines()[1] == "x = _('a', 1)"
    assert masked.splitlines()[5] == "    00000000"
    compile(masked, "<cell>", "exec")


def test_a_cell_magic_cell_is_masked_whole_and_python_is_left_alone() -> None:
    masked, lines = mask('%%bash\necho _("lr", 5)\n')
    assert lines == (1, 2) and "_" not in masked
    assert mask("x = 5 % 3\ny = 2\n") == ("x = 5 % 3\ny = 2\n", ())


def test_cells_are_indexed_under_their_cell_path() -> None:
    data = (NOTEBOOKS / "train.ipynb").read_bytes()
    index = index_bytes(data, "train.ipynb", "_")
    assert not index.problems
    found = sorted((o.name, o.path, o.span.line, o.span.column) for o in index.occurrences)
    assert found == [
        ("batch_size", "train.ipynb:cell 3", 1, 8),
        ("lr", "train.ipynb:cell 2", 3, 5),
        ("lr", "train.ipynb:cell 5", 1, 8),
        ("name", "train.ipynb:cell 3", 2, 7),
        ("optim", "train.ipynb:cell 5", 2, 6),
    ]


def test_a_syntax_error_names_the_cell_and_bad_json_the_file(tmp_path: Path) -> None:
    notebook = json.loads((NOTEBOOKS / "train.ipynb").read_text(encoding="utf-8"))
    notebook["cells"][4]["source"] = ["x = _('a', 1\n"]
    problems = index_bytes(json.dumps(notebook).encode(), "nb.ipynb", "_").problems
    assert [(p.path, p.line) for p in problems] == [("nb.ipynb:cell 5", 1)]
    broken = index_bytes(b'{"cells": [_(', "nb.ipynb", "_").problems
    assert broken[0].path == "nb.ipynb" and broken[0].message.startswith("not a notebook")


def test_list_names_the_cell_in_text_and_json(project: Path) -> None:
    code, out, _ = hpman("list", "--no-cache")
    assert code == 0
    assert "train.ipynb:cell 2:3" in out and "train.ipynb:cell 5:2" in out
    code, out, _ = hpman("list", "--no-cache", "--format", "json")
    places = [
        {k: o.get(k) for k in ("path", "cell", "line", "column")}
        for p in json.loads(out)["hyperparameters"]
        if p["name"] == "lr"
        for o in p["occurrences"]
    ]
    assert places == [
        {"path": "m.py", "cell": None, "line": 1, "column": 4},
        {"path": "train.ipynb", "cell": 2, "line": 3, "column": 5},
        {"path": "train.ipynb", "cell": 5, "line": 1, "column": 8},
    ]


def test_exclude_leaves_notebooks_out(project: Path) -> None:
    code, out, _ = hpman("list", "--no-cache", "--exclude", "*.ipynb")
    assert code == 0 and "ipynb" not in out and "batch_size" not in out


def test_check_reports_a_notebook_default_conflicting_with_a_py_one(project: Path) -> None:
    (project / "m.py").write_text('x = _("lr", 0.2)\n', encoding="utf-8")
    code, out, _ = hpman("check", "--no-cache")
    assert code == 1
    assert "train.ipynb:cell 2:3:6: D001 conflicting defaults for `lr`" in out


def test_the_runtime_folder_walk_reads_py_files_only(project: Path) -> None:
    manager = HyperParameterManager("_").parse_file(str(project))
    assert sorted(manager.get_values()) == ["lr"]


def test_the_cell_sources_are_read_in_both_forms() -> None:
    notebook = read_notebook((NOTEBOOKS / "train.ipynb").read_text(encoding="utf-8"))
    assert [c.number for c in notebook.cells] == [2, 3, 4, 5]
    one = notebook.cell(3)
    assert one is not None and one.one_string and "\r\n" in one.source


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("rename", "lr", "rate"), id="rename"),
        pytest.param(("set-default", "lr", "0.5"), id="set-default"),
        pytest.param(("remove", "lr"), id="remove"),
    ],
)
def test_a_rewrite_that_would_edit_a_notebook_cell_is_refused(
    project: Path, args: tuple[str, ...]
) -> None:
    # Until notebook edits are proven, a command that must change a cell refuses as a
    # whole (it rewrote the .py files and left the cells: a half-renamed project).
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    code, out, err = hpman(*args, "--no-cache", "--write")
    assert code == 1, (out, err)
    assert "train.ipynb:cell 2:3:" in err and "--exclude '*.ipynb'" in err
    assert {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()} == before
    code, _, _ = hpman(*args, "--no-cache", "--write", "--exclude", "*.ipynb")
    assert code == 0
