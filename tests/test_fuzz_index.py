"""Fuzzing the index: hypothesis writes modules with ``_`` calls in random contexts and
styles; the index must find exactly what a small reference extractor, written here
from the ``ast`` module alone (not from ``hpman_cst.matching``), finds.

The reference rule, from hpman 0.13: a call whose callee is the bare name ``_`` is a
site; it is valid when it has one or two positional arguments and the first is a
``str`` constant; the default is the second one, read back with
``ast.get_source_segment``; keyword arguments are hints, kept when ``literal_eval``
accepts their value.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from fuzz_modules import module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpman_cst.index import index_bytes, may_contain_call
from hpman_cst.records import Marker, ProblemCode
from hpman_cst.source import SourceText

# -- the reference -----------------------------------------------------------------------

NOT_LITERAL = object()


@dataclass(frozen=True)
class Site:
    name: str
    default: str | None
    call: str
    value: object
    hints: tuple[tuple[str | None, object], ...]


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return NOT_LITERAL


def _char_position(source: str, line: int, byte_column: int) -> tuple[int, int]:
    lines = re.split(r"\r\n|\r|\n", source)
    return line, len(lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8"))


def reference(source: str) -> tuple[list[Site], list[tuple[int, int]]]:
    """The valid sites, and the (line, column) of calls of ``_`` that are not valid."""
    sites: list[Site] = []
    rejected: list[tuple[int, int]] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id != "_":
            continue
        args = node.args
        first = args[0] if args else None
        if not (
            1 <= len(args) <= 2 and isinstance(first, ast.Constant) and type(first.value) is str
        ):
            rejected.append(_char_position(source, node.lineno, node.col_offset))
            continue
        default = args[1] if len(args) == 2 else None
        hints = tuple(
            (kw.arg, value)
            for kw in node.keywords
            if (value := _literal(kw.value)) is not NOT_LITERAL
        )
        sites.append(
            Site(
                name=first.value,
                default=None if default is None else ast.get_source_segment(source, default),
                call=ast.get_source_segment(source, node) or "",
                value=None if default is None else _literal(default),
                hints=hints,
            )
        )
    return sites, rejected


# -- the properties ----------------------------------------------------------------------


def _value_key(value: object) -> object:
    return "<not a literal>" if value is NOT_LITERAL or value is Marker.NOT_LITERAL else repr(value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(module(), st.booleans())
def test_index_equals_the_reference(source: str, bom: bool) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + source.encode("utf-8", "surrogatepass")
    sites, rejected = reference(source)
    index = index_bytes(data, "fuzz.py", precheck=False)
    assert index.parsed, index.problems
    text = SourceText(source)
    found = sorted(
        (
            o.name,
            repr(o.default),
            text.segment(o.span),
            _value_key(o.value if o.has_default else None),
            repr(o.hints),
        )
        for o in index.occurrences
    )
    expected = sorted(
        (s.name, repr(s.default), s.call, _value_key(s.value), repr(s.hints)) for s in sites
    )
    assert found == expected
    shape_problems = {ProblemCode.ARGUMENT_COUNT, ProblemCode.NOT_LITERAL_NAME}
    assert sorted((p.line, p.column) for p in index.problems if p.code in shape_problems) == sorted(
        rejected
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(module())
def test_precheck_never_skips_a_generated_site(source: str) -> None:
    data = source.encode("utf-8")
    sites, rejected = reference(source)
    if sites or rejected:
        assert may_contain_call(data, "_")
    assert index_bytes(data, "fuzz.py") == index_bytes(data, "fuzz.py", precheck=False)
