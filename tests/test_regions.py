"""The statements a rewrite gives libcst: shapes of regions, and, on real code, that the
regions give exactly what libcst gives on the whole file."""

from __future__ import annotations

import ast
import collections
import functools
import warnings
from pathlib import Path

import pytest
from stdlib_corpus import fork_pool, stdlib_files

from hpman_cst.cst import agree
from hpman_cst.exceptions import HpmanError
from hpman_cst.index import index_bytes
from hpman_cst.refactor.edits import Plan
from hpman_cst.refactor.materialise import resolve
from hpman_cst.refactor.plan import plan_remove, plan_rename, plan_set_default
from hpman_cst.regions import find_regions
from hpman_cst.source import SourceText, decode


def regions_of(source: str, *needles: str) -> list[str] | None:
    """The region texts (header included) around the first occurrence of each needle."""
    text = SourceText(source)
    spans = [(source.index(n), source.index(n) + len(n)) for n in needles]
    found = find_regions(text, ast.parse(source), spans, "\n")
    if found is None:
        return None
    return [r.header + source[r.start : r.end] for r in found]


@pytest.mark.parametrize(
    ("source", "needles", "expected"),
    [
        pytest.param("a = 1\nb = X\nc = 2\n", ["X"], ["pass\nb = X\n"], id="simple"),
        pytest.param("a = 1\nb = X", ["X"], ["pass\nb = X"], id="no-final-newline"),
        pytest.param(
            "def f():\n    a = 1\n    b = (X,\n  2)\n    c = 3\n",
            ["X"],
            ["if True:\n    b = (X,\n  2)\n"],
            id="continuation-less-indented",
        ),
        pytest.param(
            "class A:\n\tdef f(self):\n\t\treturn X\n",
            ["X"],
            ["if True:\n\t\treturn X\n"],
            id="tabs",
        ),
        pytest.param(
            "a = X; b = Y\nc = 1\n", ["X", "Y"], ["pass\na = X; b = Y\n"], id="one-line-two-edits"
        ),
        pytest.param(
            "a = X\nb = 1\nc = Y\n", ["X", "Y"], ["pass\na = X\n", "pass\nc = Y\n"], id="two"
        ),
        pytest.param(
            "@dec(X)\n@other\ndef f():\n    pass\n",
            ["X"],
            ["pass\n@dec(X)\n@other\ndef f():\n    pass\n"],
            id="decorator",
        ),
        pytest.param(
            "for i in range(X):\n    a = Y\n",
            ["X", "Y"],
            ["pass\nfor i in range(X):\n    a = Y\n"],
            id="header-and-body-merge",
        ),
        pytest.param(
            "match v:\n    case 1:\n        a = X\n",
            ["X"],
            ["if True:\n        a = X\n"],
            id="match-case",
            marks=pytest.mark.skipif("sys.version_info < (3, 10)"),
        ),
        pytest.param(
            "try:\n    pass\nexcept E:\n    a = X\nfinally:\n    b = Y\n",
            ["X", "Y"],
            ["if True:\n    a = X\n", "if True:\n    b = Y\n"],
            id="handler-and-finally",
        ),
        pytest.param(
            "while c:\n    pass\nelse: a = X\n",
            ["X"],
            ["pass\nwhile c:\n    pass\nelse: a = X\n"],
            id="else-on-its-line-takes-the-loop",
        ),
    ],
)
def test_region_shapes(source: str, needles: list[str], expected: list[str]) -> None:
    assert regions_of(source, *needles) == expected


def test_newline_of_the_header_is_the_files() -> None:
    source = "def f():\r\n    return X\r\n"
    found = find_regions(SourceText(source), ast.parse(source), [(22, 23)], "\r\n")
    assert found is not None
    assert [r.header for r in found] == ["if True:\r\n"]


# -- real code: regions and the whole file agree ---------------------------------------------

# Builtins called with a string first: many sites of every shape on real code.
BUSY = ("print", "open", "str", "ValueError", "TypeError", "RuntimeError", "OSError")


def _plans(data: bytes, path: str) -> list[Plan]:
    """A rename, a set-default and a remove of the file's first names, where allowed."""
    index = index_bytes(data, path, BUSY)
    names = list(dict.fromkeys(o.name for o in index.occurrences))
    plans: list[Plan] = []
    for name in names[:3]:
        for make in (
            functools.partial(plan_rename, old=name, new="renamed.name"),
            functools.partial(plan_set_default, name=name, value="(1,\n 2)"),
            functools.partial(plan_remove, name=name),
        ):
            try:
                plans.append(make([index], placeholders=BUSY))
            except HpmanError:
                continue
    return plans


def compare_file(path: str) -> collections.Counter[str]:
    """How regions and the whole module compared on each plan for ``path``."""
    outcomes: collections.Counter[str] = collections.Counter()
    data = Path(path).read_bytes()
    try:
        text, encoding = decode(data, path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plans = _plans(data, path)
    except (HpmanError, SyntaxError, ValueError):
        return outcomes
    for plan in plans:
        for file in plan.files:
            try:
                replacements = resolve(text, file)
                make = agree.transformer(plan.commands[0], plan.placeholders)
                whole: str | None = agree.whole(text, path, encoding, make)
            except (HpmanError, RecursionError):
                whole = None
                replacements = []
            if not replacements:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
            make = agree.transformer(plan.commands[0], plan.placeholders)
            regions = agree.by_regions(text, tree, path, replacements, make)
            if regions is None:
                outcomes["regions refused"] += 1
            elif whole is None:
                outcomes["only regions"] += 1
            elif regions == whole:
                outcomes["same"] += 1
            else:
                outcomes[f"DIFFERENT {path} {plan.command}"] += 1
    return outcomes


@pytest.mark.slow
def test_regions_and_whole_module_agree_on_the_stdlib() -> None:
    total: collections.Counter[str] = collections.Counter()
    with fork_pool() as pool:
        for outcomes in pool.map(compare_file, stdlib_files()[::4], chunksize=4):
            total.update(outcomes)
    print(dict(total))
    assert [k for k in total if k.startswith("DIFFERENT")] == []
    assert total["same"] > 200
    assert total["regions refused"] < total["same"] / 20
