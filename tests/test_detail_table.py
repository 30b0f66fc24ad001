"""The libhpman README's ``detail`` listing: one implementation behind ``hpman list
--format detail`` and the front-ends' ``--hp-list detail``."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpman_cst.detail_table import file_lines, occurrence_lines, render_detail
from hpman_cst.index import index_file
from hpman_cst.registry import build_registry
from hpman_cst.render import render
from hpman_cst.runtime import HyperParameterManager

FILES = {
    "a.py": "x = 1   \nif x:\n\tlr = _('lr', 0.1)\t\ny = _('milestones', [30, 60])\n\n",
    "b.py": "from m import _\r\nz = _('lr', 0.1)\r\nw = _('name', 'sgd')",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_bytes(text.encode())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_list_and_front_ends_render_the_same_listing(project: Path) -> None:
    paths = sorted(FILES)
    registry = build_registry([index_file(path) for path in paths])
    listed = render(registry, "detail", {p: file_lines(p) or [] for p in paths})
    manager = HyperParameterManager("_").parse_file(paths)
    assert render_detail(manager.get_values(), manager.get_occurrences()) == listed


def test_file_lines_split_as_python_does(project: Path) -> None:
    assert file_lines("a.py") == [
        "x = 1   ",
        "if x:",
        "\tlr = _('lr', 0.1)\t",
        "y = _('milestones', [30, 60])",
        "",
    ]
    assert file_lines("b.py") == ["from m import _", "z = _('lr', 0.1)", "w = _('name', 'sgd')"]
    assert file_lines("missing.py") is None


def test_context_is_five_lines_either_side_cut_at_the_ends_of_the_file() -> None:
    lines = [f"l{n}" for n in range(1, 13)]
    assert occurrence_lines(0, "f.py:1", lines, 1)[2:] == [
        "==> 1: l1",
        "    2: l2",
        "    3: l3",
        "    4: l4",
        "    5: l5",
        "    6: l6",
    ]
    assert occurrence_lines(0, "f.py:12", lines, 12)[2:] == [
        "     7: l7",
        "     8: l8",
        "     9: l9",
        "    10: l10",
        "    11: l11",
        "==> 12: l12",
    ]


def test_tabs_are_expanded_and_trailing_blanks_dropped(project: Path) -> None:
    lines = file_lines("a.py")
    assert lines is not None
    assert occurrence_lines(0, "a.py:3", lines, 3)[2:] == [
        "    1: x = 1",
        "    2: if x:",
        "==> 3:         lr = _('lr', 0.1)",
        "    4: y = _('milestones', [30, 60])",
        "    5:",
    ]


def test_an_unreadable_file_shows_only_the_place() -> None:
    assert occurrence_lines(2, "gone.py:4", [], 4) == ["occurrence[2]:", "  gone.py:4"]
