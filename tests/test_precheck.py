"""The two shortcuts of the index never lose a call site: the textual pre-check
(``may_contain_call``) and the line-pruned walk (``walk_lines``).

Sources are generated with placeholder calls in many syntactic contexts, spelled in many
ways between the callee and its ``(`` (parentheses, comments, line continuations, tabs),
including non-ASCII spellings that Python NFKC-normalises to the placeholder.
"""

from __future__ import annotations

import ast
import sysconfig
import unicodedata
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hpman_cst.exceptions import HpmanError
from hpman_cst.index import (
    index_bytes,
    index_source,
    may_contain_call,
    placeholder_lines,
    walk_lines,
)
from hpman_cst.source import SourceText, decode

# Spellings of each placeholder that Python reads as that identifier (it NFKC-normalises
# identifiers). "＿" (FULLWIDTH LOW LINE) cannot start an identifier, so "_" alone has no
# other spelling, but it can stand for "_" inside one.
SPELLINGS = {
    "_": ["_"],
    "hp": ["hp", "ｈｐ", "h\U0001d45d", "\u210e\U0001d45d"],  # fullwidth, math italic
    "my_hp": ["my_hp", "my＿hp", "ｍｙ＿ｈｐ", "my\ufe4fhp"],  # FE4F DASHED LOW LINE
}

# Callee forms; {c} is the placeholder spelling.
CALLEES = [
    "{c}",
    "({c})",
    "( {c} )",
    "(\n{c}\n)",
    "(({c}))",
    "({c}  # a comment with ( and _ in it\n)",
    "({c}\t)",
    "{c} \\\n ",
    "{c}\t",
    "({c} \\\n)",
]

ARGUMENTS = [
    "'a'",
    '"a", 1',
    "'a' 'b', [1, 2]",
    "('a'), (\n  3.5\n)",
    "r'a', x",
    "'''a''', help='h'",
    "'a', {'k': (1, 2)}, choices=[1, 2]",
    "\n    'a',\n    # comment\n    None,\n",
    "'é', b'x'",
    "f'a'",  # rejected (not a literal name): still a call site
    "'a', 1, 2",  # rejected (argument count): still a call site
]

# Statement contexts; {e} is the call expression, one level of indentation is 4 spaces.
CONTEXTS = [
    "x = {e}",
    "def f():\n    return {e}",
    "f = lambda: {e}",
    "y = [{e} for i in range(3)]",
    "y = {{k: {e} for k in z}}",
    "@{e}\ndef f():\n    pass",
    "@deco\n@{e}\nclass A:\n    pass",
    "def f(a={e}, *, b=1):\n    pass",
    "class A(Base, metaclass={e}):\n    x = 1",
    "class A:\n    x = {e}\n\n    def m(self):\n        return {e}",
    "s = f'{{{e}}}'",
    's = f"""\nline\n{{ {e} }}\n"""',
    "x = {e} if c else 2",
    "async def f():\n    await {e}",
    "assert {e}",
    "d[{e}] = 1",
    "with {e} as v:\n    pass",
    "try:\n    pass\nexcept E:\n    {e}\nfinally:\n    pass",
    "for i in {e}:\n    pass",
    "while {e}:\n    break",
    "if (w := {e}):\n    pass",
    "x: int = {e}",
    "g(1, {e}, key={e})",
    "t = (\n    1,\n    {e},\n)",
]

NOISE = [
    "",
    "# _('not a call') in a comment",
    "s = '_(\"in a string\")'",
    "for _ in range(3):\n    pass",
    "a_b = 1\n_a = 2",
    "import os",
    '"""docstring with hp(x) inside"""',
]


@st.composite
def call_sources(draw: st.DrawFn, placeholder: str) -> str:
    """A module with one or more calls of ``placeholder`` (possibly as ``<p>.get_value``)."""
    parts: list[str] = [draw(st.sampled_from(NOISE))]
    for _ in range(draw(st.integers(1, 3))):
        spelling = draw(st.sampled_from(SPELLINGS[placeholder]))
        callee = draw(st.sampled_from(CALLEES)).format(c=spelling)
        if draw(st.booleans()) or callee.endswith("\\\n "):
            call = f"{callee}({draw(st.sampled_from(ARGUMENTS))})"
        else:
            call = f"{callee}.get_value('a')"
        context = draw(st.sampled_from(CONTEXTS))
        parts.append(context.replace("{e}", call).replace("{{", "{").replace("}}", "}"))
        parts.append(draw(st.sampled_from(NOISE)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join("\n".join(parts).split("\n")) + newline


def parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def reference_calls(tree: ast.AST, placeholder: str) -> list[ast.Call]:
    """Placeholder calls and API calls in plain ``ast.walk`` order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                func = func.value
            if isinstance(func, ast.Name) and func.id == placeholder:
                found.append(node)
    return found


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.data())
@pytest.mark.parametrize("placeholder", ["_", "hp", "my_hp"])
def test_precheck_never_skips_a_call_site(placeholder: str, data: st.DataObject) -> None:
    source = data.draw(call_sources(placeholder))
    assume(parses(source))
    assert reference_calls(ast.parse(source), placeholder)
    assert may_contain_call(source.encode("utf-8"), placeholder)
    assert may_contain_call(source.encode("utf-8"), [placeholder, "other"])


@PROPERTY
@given(st.data())
@pytest.mark.parametrize("placeholder", ["_", "hp", "my_hp"])
def test_pruned_walk_keeps_every_call_in_walk_order(placeholder: str, data: st.DataObject) -> None:
    source = data.draw(call_sources(placeholder))
    assume(parses(source))
    tree = ast.parse(source)
    lines = placeholder_lines(SourceText(source), placeholder)
    expected = reference_calls(tree, placeholder)
    wanted = set(expected)
    assert [n for n in walk_lines(tree, lines) if n in wanted] == expected


@PROPERTY
@given(st.data())
def test_index_bytes_with_precheck_equals_without(data: st.DataObject) -> None:
    source = data.draw(call_sources("_"))
    encoded = source.encode("utf-8")
    assert index_bytes(encoded, "m.py") == index_bytes(encoded, "m.py", precheck=False)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("\ufeff_('a', 1)\n", id="bom-char"),
        pytest.param("x = 'é'\nmy＿hp('a', 1)\n", id="fullwidth-after-non-ascii-line"),
        pytest.param("x = 1 # é\r_('a', 1)\r", id="lone-cr-newlines"),
        pytest.param("@(\n    _('a')\n)\ndef f(): pass\n", id="parenthesised-decorator"),
        pytest.param("x = f'''\n{ _('a')\n}'''\n", id="multiline-fstring-field"),
    ],
)
def test_pruned_walk_edge_cases(source: str) -> None:
    text = source.lstrip("\ufeff")
    (occurrence,) = index_source(text, "m.py", ["_", "my_hp"]).occurrences
    assert occurrence.name == "a"


def test_placeholder_lines_normalise_non_ascii() -> None:
    text = "x = 'é'\ny = my＿hp('a')\nz = 1\n"
    assert placeholder_lines(SourceText(text), "my_hp") == [2]
    assert unicodedata.normalize("NFKC", "my＿hp") == "my_hp"


def test_no_placeholder_line_means_no_walk() -> None:
    tree = ast.parse("x = 1\n")
    assert list(walk_lines(tree, [])) == []


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)


@pytest.mark.slow
def test_pruned_walk_agrees_with_ast_walk_on_the_stdlib() -> None:
    checked = 0
    for path in stdlib_files():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escapes in test data
                tree = ast.parse(path.read_bytes())
            source = SourceText(decode(path.read_bytes())[0])
        except (SyntaxError, ValueError, HpmanError):
            continue  # files that do not parse have nothing to walk
        for placeholder in ("_", "len", "print"):
            expected = reference_calls(tree, placeholder)
            wanted = set(expected)
            lines = placeholder_lines(source, placeholder)
            assert [n for n in walk_lines(tree, lines) if n in wanted] == expected, path
            checked += len(expected)
    assert checked > 5_000


@pytest.mark.parametrize(
    ("tail", "may"),
    [
        pytest.param("# " * 5000, True, id="many-hashes"),
        pytest.param("# )" * 5000, True, id="hashes-and-parentheses"),
        pytest.param("#" + " " * 5000 + "x", True, id="long-blank-comment"),
        pytest.param(") \\\n" * 5000 + "x", False, id="many-continuations"),
    ],
)
def test_precheck_is_linear_on_adversarial_comments(tail: str, may: bool) -> None:
    # A comment that may end anywhere made the search backtrack exponentially: these
    # inputs would not finish. None of them holds a call, but a "#" right after the
    # placeholder counts as a possible one (reading through comments is quadratic on
    # "# _ # _ # ...": see test_hostile.py).
    source = f"x = _ {tail}\ny = 1\n"
    assert may_contain_call(source.encode(), "_") is may
    assert placeholder_lines(SourceText(source), "_") == ([1] if may else [])
