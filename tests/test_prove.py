"""The prover registry: each file kind is proven by its own prover, or refused."""

from __future__ import annotations

import pytest

from hpman_cst.exceptions import RewriteError
from hpman_cst.records import Span
from hpman_cst.refactor import prove
from hpman_cst.refactor.edits import Change, Command, Edit, EditKind, FileKind, FilePlan, Plan
from hpman_cst.refactor.execute import execute

SET = Command.of("set-default", name="lr", value="0.5", kind="expression")
YAML = FilePlan(
    "run.yaml",
    (Edit(Span(1, 4, 1, 7), EditKind.EXPRESSION, "0.5", reason="set lr", command=SET),),
    FileKind.YAML,
)


def test_a_file_kind_without_a_prover_is_refused() -> None:
    with pytest.raises(RewriteError) as caught:
        execute(Plan((SET,), frozenset("_"), (YAML,)), read=lambda _: b"lr: 0.1\n")
    assert str(caught.value) == "run.yaml: no prover checks yaml files yet; nothing was changed"


def test_a_registered_prover_proves_its_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    def splice_yaml(file: FilePlan, data: bytes, placeholders: frozenset[str]) -> Change:
        (edit,) = file.edits
        text = data.decode()
        new = text[: edit.span.column] + edit.value + text[edit.span.end_column :]
        return Change(file.path, data, new.encode(), text, new, 1)

    monkeypatch.setitem(prove.PROVERS, FileKind.YAML, splice_yaml)
    (change,) = execute(Plan((SET,), frozenset("_"), (YAML,)), read=lambda _: b"lr: 0.1\n")
    assert change.new == b"lr: 0.5\n"
