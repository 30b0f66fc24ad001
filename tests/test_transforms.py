"""The refactoring commands on fixture folders, one parametrized test per command.

``fixtures/<command>/<case>/`` holds ``args.json`` (the command's arguments), ``input.py``
and either ``expected.py`` (the rewritten file) or ``expected.txt`` (the refusal, one
line). Every case also runs a second time on its own output, which must change nothing.
``HPMAN_UPDATE_FIXTURES=1`` rewrites the expected files from the actual results.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from python_version import fixture_marks

from hpman_cst.exceptions import HpmanError, RefactorRefused
from hpman_cst.index import index_bytes
from hpman_cst.records import FileIndex
from hpman_cst.refactor.edits import Plan
from hpman_cst.refactor.execute import execute
from hpman_cst.refactor.plan import plan_remove, plan_rename, plan_set_default

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
UPDATE = os.environ.get("HPMAN_UPDATE_FIXTURES") == "1"

Planner = Callable[..., Plan]
PLANNERS: dict[str, tuple[Planner, Sequence[str]]] = {
    "rename": (plan_rename, ("old", "new")),
    "set_default": (plan_set_default, ("name", "value")),
    "remove": (plan_remove, ("name",)),
}


def run(command: str, args: dict[str, Any], data: bytes, path: str = "input.py") -> bytes:
    """The command's result on one file: its new bytes (the same bytes when nothing
    changes); raises :class:`HpmanError` when it refuses or fails."""
    planner, positional = PLANNERS[command]
    options = {k: v for k, v in args.items() if k not in (*positional, "no_op")}
    placeholders = options.setdefault("placeholders", ["_"])
    indexes: list[FileIndex] = [index_bytes(data, path, placeholders)]
    plan = planner(indexes, *[args[k] for k in positional], **options)
    changes = execute(plan, read=lambda _: data)
    return changes[0].new if changes else data


def _cases(command: str) -> list[Any]:
    folder = FIXTURES / command
    return [
        pytest.param(case, id=case.name, marks=fixture_marks(case))
        for case in sorted(folder.iterdir())
        if case.is_dir()
    ]


def check_case(command: str, case: Path) -> None:
    args = json.loads((case / "args.json").read_text(encoding="utf-8"))
    data = (case / "input.py").read_bytes()
    expected_py, expected_txt = case / "expected.py", case / "expected.txt"
    try:
        result: bytes | str = run(command, args, data)
    except HpmanError as exc:
        result = str(exc)
    if UPDATE:
        expected_py.unlink(missing_ok=True)
        expected_txt.unlink(missing_ok=True)
        if isinstance(result, str):
            expected_txt.write_text(result + "\n", encoding="utf-8")
        else:
            expected_py.write_bytes(result)
    if isinstance(result, str):
        assert expected_txt.read_text(encoding="utf-8") == result + "\n"
        assert "\n" not in result  # refusals are one line
        return
    assert result == expected_py.read_bytes()
    assert result != data or args.get("no_op", False), "a case that changes nothing says so"
    try:  # a second run changes nothing (or refuses: the old name is gone)
        assert run(command, args, result) == result
    except RefactorRefused as exc:
        assert "unknown hyper-parameter" in str(exc)


@pytest.mark.fixtures
@pytest.mark.parametrize("case", _cases("rename"))
def test_rename_fixture(case: Path) -> None:
    check_case("rename", case)


@pytest.mark.fixtures
@pytest.mark.parametrize("case", _cases("set_default"))
def test_set_default_fixture(case: Path) -> None:
    check_case("set_default", case)


@pytest.mark.fixtures
@pytest.mark.parametrize("case", _cases("remove"))
def test_remove_fixture(case: Path) -> None:
    check_case("remove", case)
