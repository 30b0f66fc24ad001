"""Fuzzing the rewriting commands on generated modules (``fuzz_modules``): a rename and
a set-default change exactly the bytes a splice at the index's spans predicts, the
output re-parses, a rename there and back restores every byte, and a name that matches
nothing changes nothing. A refusal (a module libcst cannot print back, say) is allowed
but counted (`--hypothesis-show-statistics` lists them); hypothesis fails the test if it
cannot find enough examples that are not discarded.
"""

from __future__ import annotations

import ast

from fuzz_modules import module
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from hpman_cst.exceptions import RefactorRefused, RewriteError
from hpman_cst.index import index_bytes
from hpman_cst.records import FileIndex, Span
from hpman_cst.refactor.edits import Plan
from hpman_cst.refactor.execute import execute
from hpman_cst.refactor.plan import plan_rename, plan_set_default
from hpman_cst.source import SourceText, decode

# Most generated modules have no name spelled as one plain literal (a test discards
# those), so the early health check on discards fails at random; running out of valid
# examples still fails the test (hypothesis.errors.Unsatisfiable).
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def valid(name: str) -> bool:
    return all(part.isidentifier() for part in name.split("."))


def run(data: bytes, plan: Plan) -> bytes | None:
    """The new bytes of the one file, ``data`` when nothing changes, ``None`` if refused."""
    try:
        changes = execute(plan, read=lambda path: data)
    except (RefactorRefused, RewriteError) as exc:
        event(f"refused: {exc.message[:50]}")
        return None
    assert len(changes) <= 1
    return changes[0].new if changes else data


def planned(make: object) -> Plan | None:
    try:
        return make()  # type: ignore[operator,no-any-return]
    except RefactorRefused as exc:
        event(f"refused: {exc.message[:50]}")
        return None


def splice(data: bytes, edits: list[tuple[Span, str]]) -> bytes:
    text, encoding = decode(data)
    source = SourceText(text)
    out, position = [], 0
    for span, new in sorted(edits, key=lambda e: e[0]):
        start = source.offset(span.line, span.column)
        out += [text[position:start], new]
        position = source.offset(span.end_line, span.end_column)
    return ("".join(out) + text[position:]).encode(encoding)


def reparses(data: bytes) -> bool:
    text, _ = decode(data)
    ast.parse(text)
    return True


def index_of(data: bytes) -> FileIndex:
    index = index_bytes(data, "m.py")
    assume(index.parsed)
    return index


@SETTINGS
@given(module(), st.data())
def test_rename_there_and_back_restores_every_byte(source: str, data: st.DataObject) -> None:
    raw = source.encode("utf-8")
    index = index_of(raw)
    # A rename writes one plain literal: an implicit concatenation ('l' 'r') does not
    # come back as it was, so only names spelled as one plain literal everywhere.
    names = plain_names(raw, index)
    assume(names)
    old = data.draw(st.sampled_from(names))
    plan = planned(lambda: plan_rename([index], old, "zz_fresh"))
    assume(plan is not None)
    there = run(raw, plan)  # type: ignore[arg-type]
    assume(there is not None)
    assert there != raw
    assert reparses(there)  # type: ignore[arg-type]
    moved = index_bytes(there, "m.py")  # type: ignore[arg-type]
    rename_back = planned(lambda: plan_rename([moved], "zz_fresh", old))
    assert rename_back is not None
    assert run(there, rename_back) == raw  # type: ignore[arg-type]


@SETTINGS
@given(module(), st.data())
def test_rename_changes_only_the_name_literals(source: str, data: st.DataObject) -> None:
    raw = source.encode("utf-8")
    index = index_of(raw)
    # Plain one-literal spellings only: the expected text is then just the new name.
    candidates = plain_names(raw, index)
    assume(candidates)
    old = data.draw(st.sampled_from(candidates))
    plan = planned(lambda: plan_rename([index], old, "zz_fresh"))
    assume(plan is not None)
    new = run(raw, plan)  # type: ignore[arg-type]
    assume(new is not None)
    edits = []
    for o in index.occurrences:
        if o.name == old or o.name.startswith(old + "."):
            literal = index_source_segment(raw, o.name_span)
            edits.append((o.name_span, literal[0] + "zz_fresh" + o.name[len(old) :] + literal[-1]))
    assert new == splice(raw, edits)


@SETTINGS
@given(module(), st.data())
def test_set_default_changes_only_the_defaults(source: str, data: st.DataObject) -> None:
    raw = source.encode("utf-8")
    index = index_of(raw)
    names = sorted({o.name for o in index.occurrences if o.has_default})
    assume(names)
    name = data.draw(st.sampled_from(names))
    plan = planned(lambda: plan_set_default([index], name, "424242", allow_type_change=True))
    assume(plan is not None)
    new = run(raw, plan)  # type: ignore[arg-type]
    assume(new is not None)
    edits = [
        (o.default_span, "424242")
        for o in index.occurrences
        if o.name == name and o.default_span is not None
    ]
    assert new == splice(raw, edits)
    assert reparses(new)  # type: ignore[arg-type]


@SETTINGS
@given(module())
def test_a_name_that_matches_nothing_changes_nothing(source: str) -> None:
    raw = source.encode("utf-8")
    index = index_of(raw)
    other = FileIndex(
        "other.py", occurrences=index_bytes(b"_('only_elsewhere', 1)\n", "other.py").occurrences
    )
    plan = plan_rename([index, other], "only_elsewhere", "moved")
    changes = execute(
        plan, read=lambda path: raw if path == "m.py" else b"_('only_elsewhere', 1)\n"
    )
    assert [c.path for c in changes] == ["other.py"]


def plain_names(data: bytes, index: FileIndex) -> list[str]:
    """Valid names (with their dotted group) spelled as one plain literal everywhere."""
    return sorted(
        n
        for n in {o.name for o in index.occurrences if valid(o.name)}
        if all(
            index_source_segment(data, o.name_span)[1:-1] == o.name
            for o in index.occurrences
            if o.name == n or o.name.startswith(n + ".")
        )
        and not any(r.name == n or r.name.startswith(n + ".") for r in index.api_refs)
    )


def index_source_segment(data: bytes, span: Span) -> str:
    text, _ = decode(data)
    return SourceText(text).segment(span)
