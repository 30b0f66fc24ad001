"""conflicts.py: one decision and one message for contradicting call sites, so that
`hpman list` and the runtime's parse report a conflict with the same text at the same
place (and the registry agrees with the runtime on where a leaf-and-tree conflict is)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst import HyperParameterManager
from hpman_cst.cli import cli
from hpman_cst.exceptions import HpmanError, RefactorRefused
from hpman_cst.index import index_file
from hpman_cst.refactor.plan import plan_remove


def _listed(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # `hpman list`'s error lines without their code: `path:line:col: message`.
    monkeypatch.chdir(folder)
    result = runner().invoke(cli, ["list", "--no-cache", "."], catch_exceptions=False)
    assert result.exit_code == 1
    lines = []
    for line in result.stderr.splitlines():
        where, _, rest = line.partition(": ")
        code, _, message = rest.partition(" ")
        assert code in ("D001", "D002"), line
        lines.append(f"{where}: {message}")
    return lines


def _raised(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # The runtime's error for the same folder, its first line (the rest is hpman's
    # source context), with the path as `hpman list` shows it.
    monkeypatch.chdir(folder)
    with pytest.raises(HpmanError) as raised:
        HyperParameterManager("_").parse_file(".")
    return str(raised.value).splitlines()[0].replace("./", "")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"a.py": "_('lr', 0.1)\n", "b.py": "x = 1\n_('lr', 0.2)\n"},
            "b.py:2:1: conflicting defaults for `lr`: 0.2 here, 0.1 at a.py:1:1",
            id="different-defaults",
        ),
        pytest.param(
            {"a.py": "_('x', 1)\n", "sub/b.py": "_('x', 1.0)\n"},
            "sub/b.py:1:1: conflicting defaults for `x`: 1.0 here, 1 at a.py:1:1",
            id="int-and-float",
        ),
        pytest.param(
            {"sub/a.py": "_('model', 1)\n", "z.py": "y = 0\n_('model.depth', 2)\n"},
            "z.py:2:1: `model` is both a leaf and a tree: it has a value (default at"
            " sub/a.py:1:1) and `model.depth` is below it",
            id="leaf-first",
        ),
        pytest.param(
            {"a.py": "_('model.depth')\n", "b.py": "y = 0\n_('model', 'resnet')\n"},
            "b.py:2:1: `model` is both a leaf and a tree: it gets a default here and"
            " `model.depth` (a.py:1:1) is below it",
            id="tree-first",
        ),
        pytest.param(
            {"t.py": "_('enc.dim', 1)\n_('enc', 2)\n_('enc.depth', 3)\n"},
            "t.py:2:1: `enc` is both a leaf and a tree: it gets a default here and"
            " `enc.dim` (t.py:1:1) is below it",
            id="one-file",
        ),
    ],
)
def test_list_and_runtime_report_one_conflict_alike(
    files: dict[str, str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert _listed(tmp_path, monkeypatch) == [expected]
    assert _raised(tmp_path, monkeypatch) == expected


def test_remove_refuses_with_the_conflict_as_list_and_runtime_report_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nested first in source order, but hpman reads the module-level default first
    # (ast.walk order): the planner names the same pair, in the same words.
    (tmp_path / "t.py").write_text("def f():\n    _('lr', 0.2)\n_('lr', 0.1)\n")
    expected = "t.py:2:5: conflicting defaults for `lr`: 0.2 here, 0.1 at t.py:3:1"
    assert _listed(tmp_path, monkeypatch) == [expected]
    assert _raised(tmp_path, monkeypatch) == expected
    with pytest.raises(RefactorRefused) as refused:
        plan_remove([index_file("t.py")], "lr")
    assert refused.value.message == f"cannot remove `lr`: {expected}"
