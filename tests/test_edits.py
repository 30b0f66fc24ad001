"""The edit records: plans of several commands merge; overlapping edits are refused."""

from __future__ import annotations

import pickle

import pytest

from hpman_cst.exceptions import RefactorRefused, RewriteError
from hpman_cst.records import Span
from hpman_cst.refactor.edits import Command, Edit, EditKind, FilePlan, Plan, merge

RENAME = Command.of("rename", old="lr", new="rate")
SET = Command.of("set-default", name="lr", value="0.5", kind="expression")


def _plan(command: Command, *edits: tuple[str, Span, str]) -> Plan:
    files: dict[str, list[Edit]] = {}
    for path, span, value in edits:
        files.setdefault(path, []).append(
            Edit(span, EditKind.EXPRESSION, value, reason=str(command), command=command)
        )
    return Plan((command,), frozenset("_"), tuple(FilePlan(p, tuple(e)) for p, e in files.items()))


def test_merge_combines_the_edits_of_one_file_in_order() -> None:
    a = _plan(RENAME, ("t.py", Span(1, 2, 1, 6), "'rate'"), ("u.py", Span(1, 0, 1, 1), "x"))
    b = _plan(SET, ("t.py", Span(1, 0, 1, 1), "y"), ("t.py", Span(1, 8, 1, 12), "0.5"))
    merged = a | b
    assert merged == merge(a, b)
    assert merged.commands == (RENAME, SET)
    assert merged.command == "rename+set-default"
    assert [f.path for f in merged.files] == ["t.py", "u.py"]
    assert [e.span.column for e in merged.files[0].edits] == [0, 2, 8]
    assert merged.sites == 4


def test_merge_refuses_overlapping_edits_naming_the_place() -> None:
    a = _plan(RENAME, ("t.py", Span(3, 2, 3, 6), "'rate'"))
    b = _plan(SET, ("t.py", Span(3, 4, 3, 12), "0.5"))
    with pytest.raises(RefactorRefused) as caught:
        merge(a, b)
    assert caught.value.path == "t.py"
    assert (caught.value.line, caught.value.column) == (3, 4)
    assert "rename lr rate" in caught.value.message
    assert "set-default lr 0.5 expression" in caught.value.message


def test_merge_refuses_plans_for_other_placeholders() -> None:
    a = _plan(RENAME, ("t.py", Span(3, 2, 3, 6), "'rate'"))
    b = Plan((SET,), frozenset({"h"}), ())
    with pytest.raises(RefactorRefused, match="different placeholders"):
        merge(a, b)


def test_command_arguments_by_name() -> None:
    assert SET["value"] == "0.5"
    with pytest.raises(KeyError):
        SET["old"]


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(RewriteError("m", path="p.py", line=3, column=4), id="rewrite-error"),
        pytest.param(RefactorRefused("m", path="p.py", line=1, column=0), id="refused"),
    ],
)
def test_refactor_errors_pickle_with_their_place(error: RewriteError | RefactorRefused) -> None:
    # A worker process returns them as they are (no stand-in record is needed).
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert (back.message, back.path, back.line, back.column, str(back)) == (
        error.message,
        error.path,
        error.line,
        error.column,
        str(error),
    )


def test_plans_pickle() -> None:
    plan = _plan(RENAME, ("t.py", Span(3, 2, 3, 6), "'rate'"))
    assert pickle.loads(pickle.dumps(plan)) == plan
