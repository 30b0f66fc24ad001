"""A file (or a source name) parsed again with different contents replaces what it
contributed: its old call sites go, setter values stay (the notebook workflow: parse,
edit the file, parse again). Fixture: fixtures/runtime/reparse/{before,after}."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hpman_cst import DoubleAssignmentException, HyperParameterManager, ImpossibleTree

REPARSE = Path(__file__).resolve().parent.parent / "fixtures" / "runtime" / "reparse"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the `before` project, as the current folder."""
    shutil.copytree(REPARSE / "before", tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def edit(project: Path, name: str = "cfg.py") -> None:
    shutil.copyfile(REPARSE / "after" / name, project / name)


def calls(mgr: HyperParameterManager) -> list[tuple[str, str, int]]:
    return [(os.path.normpath(r.path), r.name, r.span.line) for r in mgr.get_occurrences()]


@pytest.mark.parametrize("target", ["cfg.py", "."], ids=["file", "folder"])
def test_edited_file_parsed_again_replaces_its_call_sites(project: Path, target: str) -> None:
    mgr = HyperParameterManager("_").parse_file(target)
    edit(project)
    mgr.parse_file(target)
    assert mgr.get_value("optim.lr") == 0.2
    assert mgr.get_value("optim.warmup") == 500
    assert not mgr.exists("dropout")
    assert [c for c in calls(mgr) if c[0] == "cfg.py"] == [
        ("cfg.py", "optim.lr", 4),
        ("cfg.py", "epochs", 5),
        ("cfg.py", "optim.warmup", 6),
    ]


def test_other_files_keep_their_call_sites_and_order(project: Path) -> None:
    mgr = HyperParameterManager("_").parse_file(".")
    before = [c for c in calls(mgr) if c[0] == "model.py"]
    edit(project)
    mgr.parse_file(".")
    assert [c for c in calls(mgr) if c[0] == "model.py"] == before
    assert [c[0] for c in calls(mgr)] == ["cfg.py"] * 3 + ["model.py"] * 2
    assert list(mgr.get_values()) == ["optim.lr", "optim.warmup", "epochs", "hidden"]


def test_setter_values_stay_run_time_values_of_the_file_go(project: Path) -> None:
    mgr = HyperParameterManager("_").parse_file(".")
    mgr.set_value("epochs", 3)
    mgr("optim.lr", 0.1)  # the file's code ran and gave its default
    mgr("hidden", 256)  # model.py's call: that file was not edited
    edit(project)
    mgr.parse_file(".")
    assert mgr.get_value("epochs") == 3
    assert mgr.get_value("optim.lr") == 0.2
    assert mgr.get_value("hidden") == 256


def test_parse_source_again_under_the_same_name_replaces_it() -> None:
    mgr = HyperParameterManager("_").parse_source("_('a', 1)\n_('b', 2)\n", "<cell 1>")
    mgr.parse_source("_('a', 3)\n", "<cell 1>")
    mgr.parse_source("_('c', 4)\n", "<cell 2>")
    assert mgr.get_values() == {"a": 3, "c": 4}
    with pytest.raises(DoubleAssignmentException, match="<cell 1>:1:1"):
        mgr.parse_source("_('a', 5)\n", "<cell 2>")


def test_sources_without_a_name_accumulate() -> None:
    # As in hpman (hpargparse's own tests parse one snippet after another).
    mgr = HyperParameterManager("_").parse_source("_('a', 1)\n")
    mgr.parse_source("_('b', 2)\n").parse_source("_('a', 1)\n")
    assert mgr.get_values() == {"a": 1, "b": 2}
    assert [r.name for r in mgr.get_occurrences()] == ["a", "b"]
    with pytest.raises(DoubleAssignmentException):
        mgr.parse_source("_('a', 3)\n")


def test_conflict_with_another_file_still_raises_and_changes_nothing(project: Path) -> None:
    mgr = HyperParameterManager("_").parse_file(".")
    mgr.set_value("epochs", 3)
    state = (mgr.get_values(), mgr.get_occurrences(), mgr.get_tree())
    (project / "cfg.py").write_text("from hpman_cst.m import _\n_('hidden', 64)\n")
    with pytest.raises(DoubleAssignmentException) as info:
        mgr.parse_file(".")
    assert "model.py:5" in str(info.value) and "cfg.py:2" in str(info.value)
    assert (mgr.get_values(), mgr.get_occurrences(), mgr.get_tree()) == state


def test_replacement_that_breaks_a_setter_value_raises_and_changes_nothing(
    project: Path,
) -> None:
    mgr = HyperParameterManager("_").parse_file(".")
    mgr.set_value("dropout", 0.1)
    state = (mgr.get_values(), mgr.get_occurrences(), mgr.get_tree())
    (project / "cfg.py").write_text("from hpman_cst.m import _\n_('dropout.p', 0.3)\n")
    with pytest.raises(ImpossibleTree):
        mgr.parse_file(".")
    assert (mgr.get_values(), mgr.get_occurrences(), mgr.get_tree()) == state
    assert mgr("dropout") == 0.1
