"""The libcst visitor: parsing with an exact round trip, and the same call sites as the
ast index (differential tests on snippets, fixtures, generated code and the stdlib)."""

from __future__ import annotations

import collections
from pathlib import Path

import libcst as cst
import pytest
from cst_differential import Comparison, Outcome, compare_bytes, compare_file
from cst_sites_finder import default_code, find_sites, parse_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from nasty_corpus import MIN_PYTHON
from python_version import MATCH, fixture_marks, since
from stdlib_corpus import fork_pool, stdlib_files

from hpman_cst.cst.sites import (
    CstParseError,
    RoundTripError,
    ast_code,
    deeply,
    parse_text,
    string_value,
)
from hpman_cst.exceptions import SourceDecodeError
from hpman_cst.index import index_bytes, index_source, may_contain_call
from hpman_cst.records import Marker, ProblemCode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(b"\xef\xbb\xbfx = _('a', '\xc3\xa9')\n", "utf-8-sig", id="utf8-bom"),
        pytest.param(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", "iso-8859-1", id="latin1-cookie"),
        pytest.param(b"x = 1\r\ny = 2\r\n", "utf-8", id="crlf"),
        pytest.param(b"x = 1\r\ny = 2\nz = 3\r\n", "utf-8", id="mixed-newlines"),
        pytest.param(b"x = 1\ry = 2", "utf-8", id="cr-without-final-newline"),
        pytest.param(b"x = 1", "utf-8", id="no-final-newline"),
        pytest.param(b"if x:\n\tpass\n\x0c\n", "utf-8", id="tabs-and-form-feed"),
        pytest.param(b"", "utf-8", id="empty"),
    ],
)
def test_parse_bytes_round_trips(data: bytes, encoding: str) -> None:
    parsed = parse_bytes(data, "t.py")
    assert parsed.encoding == encoding
    assert parsed.module.code == parsed.text
    assert parsed.text.encode(parsed.encoding) == data


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x = 1\ry = 2\r", id="cr-final-newline-dropped"),
        pytest.param(
            "try:\n    pass\nexcept OSError :\n    pass\n", id="blank-before-except-colon"
        ),
    ],
)
def test_inexact_round_trip_detected(text: str) -> None:
    with pytest.raises(RoundTripError) as info:
        parse_text(text, "t.py")
    assert str(info.value).startswith("t.py:")


def test_libcst_parse_failure_is_an_error() -> None:
    # ast accepts a parenthesised annotated target; libcst 1.x does not.
    with pytest.raises(CstParseError) as info:
        parse_text("(x): int = 1\n", "t.py")
    assert "libcst cannot parse" in str(info.value)


def test_undecodable_bytes() -> None:
    with pytest.raises(SourceDecodeError):
        parse_bytes(b"x = '\xff'\n", "t.py")


@pytest.mark.parametrize(
    ("source", "value"),
    [
        pytest.param("'a'", "a", id="simple"),
        pytest.param("r'\\d'", "\\d", id="raw"),
        pytest.param("u'a'", "a", id="unicode-prefix"),
        pytest.param("'''a'''", "a", id="triple"),
        pytest.param("'a' \"b\"  'c'", "abc", id="concatenation"),
        pytest.param("('a'\n 'b')", "ab", id="parenthesised-multiline"),
        pytest.param("b'a'", None, id="bytes"),
        pytest.param("f'a'", None, id="f-string"),
        pytest.param("'a' f'b'", None, id="concatenation-with-f-string"),
        pytest.param("1", None, id="number"),
        pytest.param("x", None, id="name"),
    ],
)
def test_string_value(source: str, value: str | None) -> None:
    assert string_value(cst.parse_expression(source)) == value


@pytest.mark.parametrize(
    ("default", "text"),
    [
        pytest.param("(1)", "1", id="parenthesised"),
        pytest.param("( (1) )", "1", id="twice-parenthesised"),
        pytest.param("(1, 2)", "(1, 2)", id="tuple-keeps-its-pair"),
        pytest.param("((1, 2))", "(1, 2)", id="tuple-extra-pair"),
        pytest.param("( (x for x in y) )", "(x for x in y)", id="generator"),
        pytest.param("(yield)", "yield", id="yield"),
        pytest.param("[1,  # c\n 2]", "[1,  # c\n 2]", id="comment-inside"),
    ],
)
def test_default_code_matches_ast_span(default: str, text: str) -> None:
    source = f"def f():\n    _('a', {default})\n"
    found = find_sites(cst.parse_module(source))
    (site,) = found.sites
    assert site.default is not None
    assert ast_code(found.module, site.default) == text
    (occurrence,) = index_bytes(source.encode(), "t.py").occurrences
    assert occurrence.default == text


def test_sites_in_source_order_with_nodes() -> None:
    source = "x = _('a', _('b', 2))\ny = (_)('c')\n_.get_value('a')\nobj._('z', 1)\n"
    found = find_sites(cst.parse_module(source))
    assert [s.name for s in found.sites] == ["a", "b", "c"]
    assert [s.value for s in found.sites] == [Marker.NOT_LITERAL, 2, Marker.NO_DEFAULT]
    assert isinstance(found.sites[0].call, cst.Call)
    assert isinstance(found.sites[0].name_node, cst.SimpleString)
    assert [(r.method, r.name) for r in found.api_refs] == [("get_value", "a")]


def test_problems_found() -> None:
    found = find_sites(cst.parse_module("_(x)\n_('a', 1, help=h)\n_()\n"))
    assert [p.code for p in found.problems] == [
        ProblemCode.NOT_LITERAL_NAME,
        ProblemCode.NOT_LITERAL_HINT,
        ProblemCode.ARGUMENT_COUNT,
    ]


SNIPPETS = [
    "_('a', 1)",
    "def f():\n    return _('a', 1)",
    "f = lambda: _('a', 1)",
    "[_('a', 1) for i in x]",
    "@deco(_('a', 1))\ndef f(): pass",
    "def f(x=_('a', 1), *, y=_('b', 2)): pass",
    "class A:\n    x = _('a', 1)",
    "if (y := _('a', 1)): pass",
    'f\'{_("a", 1)}\' f\'{_("b", [1, 2])!r:>{_("c", 3)}}\'',
    pytest.param("match x:\n    case 1:\n        _('a', 1)", marks=MATCH),
    "async def f():\n    await _('a', 1)",
    "(_)('a', 1); ((_))('b', 2); ( _ \\\n )('c')",
    "hpman.m._('a', 1); obj._('a', 1); __('a', 1); hp = _; hp('a', 1); [_][0]('a'); _('real')",
    "# _('a', 1)\n'_(\"a\", 1)'\n_('real')",
    "_('a', _('b', 2))\nx = 1\n_('c', 3)",
    "x = _(\n    'lr'  'x',  # comment\n    (1e-3),\n    help='rate',\n)\n",
    "é = 'ü'; y = _('ä', 'ö')",
    "_('a', 0x10); _('b', 1_000); _('c', -1.5); _('d', 1+2j); _('e', b'x'); _('f', None)",
    "_('g', ...); _('h', (1, [2], {3: 4})); _('i', set()); _('j', {1, 2}); _('k', ())",
    "_('a', x); _('b', f()); _('c', 1 + 2); _('d', 10 ** 3); _('e', 'a' * 2)",
    "_('a', -\n 1); _('b', [i for i in x]); _('c', (x for x in y)); _('d', *args)",
    "_(name); _(f'a'); _(b'a', 1); _(*args); _(); _(name='a'); _('a', 1, 2)",
    "_('a', 1, help=h); _('a', 1, **extra); _('a', {1, [2]}); _('a', 1, **{'help': 'x'})",
    "_('a', 1, help='x', choices=[1, 2], range=(0, 3))",
    "_.get_value('a'); _.set_value('b', 1); _.exists('c'); _.get_occurrence('d')",
    "_.set_values({'e': 1, **x, 'f.g': 2}); _.get_value(name); obj.get_value('z')",
    "(_).get_value('a'); (_.set_value)('b', 2); _.set_values(({'c': 1})); _.get_value(*x)",
    "_.get_value(k=1); _.set_values(dict(a=1)); _.other('a'); _.get_value('a' 'b')",
    "_.ｇet_value('b'); _('c', 1, ｈelp='x')",
    "_('a', _.get_value('b')); _.set_value('a', _('c', 3))",
    "_('a', 1, help=_('b'))\n_(x, _('c', 1))",
    "_('a', 'x' 'y'); _('b', ('x'\n 'y')); _('c', u'x'); _('d', r'\\d')",
    "_('a', lambda: 1); _('b', (yield)); _('c', (z := 1))",
]


@pytest.mark.parametrize("source", SNIPPETS)
def test_parsers_agree_on_snippets(source: str) -> None:
    comparison = compare_bytes(source.encode(), "snippet.py")
    assert comparison.outcome is Outcome.COMPARED
    assert comparison.cst_rows == comparison.index_rows
    assert comparison.index_rows  # every snippet has something to compare


def test_parsers_agree_on_nfkc_placeholder() -> None:
    comparison = compare_bytes("ｈｐ('a', 1); hp.ｇet_value('a')".encode(), "t.py", "hp")
    assert comparison.cst_rows == comparison.index_rows
    assert len(comparison.index_rows) == 2


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=str(p.relative_to(FIXTURES)),
            marks=[
                *fixture_marks(p),
                *(
                    [since(*MIN_PYTHON[p.parent.name])]
                    if p.parent.parent.name == "nasty" and p.parent.name in MIN_PYTHON
                    else []
                ),
            ],
        )
        for p in _fixture_files()
    ],
)
def test_parsers_agree_on_fixtures(path: Path) -> None:
    # (with the deep stack rewrites give libcst for a long implicit concatenation)
    comparison = deeply(lambda: compare_bytes(path.read_bytes(), str(path)))
    assert comparison.outcome in (Outcome.COMPARED, Outcome.BOTH_REJECT)
    assert comparison.cst_rows == comparison.index_rows


_NAMES = st.sampled_from(["a", "lr", "optim.lr", "x" * 3, "é"])
_QUOTED = st.builds(
    lambda name, quote, prefix: f"{prefix}{quote}{name}{quote}",
    _NAMES,
    st.sampled_from(["'", '"', "'''"]),
    st.sampled_from(["", "r", "u", "b", "f"]),
).filter(lambda literal: literal.isascii() or not literal.startswith("b"))  # b'é' is invalid
_DEFAULTS = st.sampled_from(
    ["1", "(1)", "-1", "x", "[1, 2]", "(1,)", "{1: 2}", "{1, [2]}", "f()", "'s' 't'", "*a"]
)
_SPACE = st.sampled_from(["", " ", "\n  ", "  # c\n", "\\\n"])


@st.composite
def _calls(draw: st.DrawFn) -> str:
    callee = draw(st.sampled_from(["_", "(_)", "obj._", "_.get_value", "_.set_values", "__"]))
    args = [draw(_QUOTED)]
    if callee == "_.set_values":
        args = ["{" + draw(_QUOTED) + ": 1}"]
    elif draw(st.booleans()):
        args.append(draw(_DEFAULTS))
    if draw(st.booleans()):
        args.append(draw(st.sampled_from(["help='h'", "range=[0, 1]", "choices=c", "**{'a': 1}"])))
    space = draw(_SPACE)
    return f"{callee}({space}{(',' + space).join(args)})"


@st.composite
def _modules(draw: st.DrawFn) -> str:
    calls = draw(st.lists(_calls(), min_size=1, max_size=4))
    nested = draw(st.booleans())
    body = f"_('outer', [{', '.join(calls)}])" if nested else "\n".join(calls)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (body + "\n").replace("\n", newline)


@settings(max_examples=150, deadline=None)
@given(_modules())
def test_parsers_agree_on_generated_code(source: str) -> None:
    comparison = compare_bytes(source.encode(), "gen.py")
    if comparison.outcome is Outcome.BOTH_REJECT:
        return  # e.g. a continuation line that leaves the call
    assert comparison.outcome is Outcome.COMPARED
    assert comparison.cst_rows == comparison.index_rows


@settings(max_examples=150, deadline=None)
@given(_modules(), st.sampled_from([b"", b"\xef\xbb\xbf"]))
def test_parse_emit_is_byte_identical(source: str, bom: bytes) -> None:
    data = bom + source.encode()
    try:
        parsed = parse_bytes(data, "gen.py")
    except CstParseError:
        return
    assert parsed.text.encode(parsed.encoding) == data


def _report(title: str, comparisons: list[Comparison]) -> None:
    # Shown with `pytest -s`: the known categories, counted and listed.
    counts = collections.Counter(c.outcome.value for c in comparisons)
    print(f"\n{title}: {dict(counts)}")
    for c in comparisons:
        if c.outcome not in (Outcome.COMPARED, Outcome.BOTH_REJECT):
            print(f"  {c.outcome.value}: {c.path}")
        if not c.round_trip_exact:
            print(f"  libcst round trip not exact: {c.path}")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")
def test_parsers_agree_on_stdlib_with_underscore() -> None:
    files = stdlib_files()
    data = {path: Path(path).read_bytes() for path in files}
    candidates = [p for p in files if may_contain_call(data[p], "_")]
    skipped = [p for p in files if p not in set(candidates)]
    assert len(candidates) > 10  # gettext users: argparse, optparse, getopt, ...
    comparisons = [compare_bytes(data[p], p, "_") for p in candidates]
    _report("stdlib, placeholder _", comparisons)
    disagree = [c.path for c in comparisons if not c.agree]
    assert disagree == []
    assert sum(1 for c in comparisons if c.outcome is Outcome.COMPARED) > 10
    assert sum(len(c.index_rows) for c in comparisons) > 100
    # The pre-check may skip a file only if it truly has no site: every skipped file with
    # ast, and a sample of them with libcst too.
    for path in skipped:
        index = index_bytes(data[path], path, "_", precheck=False)
        assert (index.occurrences, index.api_refs) == ((), ()), path
        assert all(p.code in (ProblemCode.SYNTAX, ProblemCode.DECODE) for p in index.problems)
    sample = skipped[::40]
    with fork_pool() as pool:
        sampled = list(pool.map(compare_file, [(p, "_") for p in sample], chunksize=4))
    assert all(c.cst_rows == [] for c in sampled if c.outcome is Outcome.COMPARED)
    assert sum(1 for c in sampled if c.outcome is Outcome.COMPARED) > 30


BUSY = frozenset({"print", "getattr", "hasattr", "setattr", "open", "len", "str", "isinstance"})


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")
def test_parsers_agree_on_stdlib_with_busy_placeholders() -> None:
    # Common builtins as placeholders exercise every argument shape and problem kind on
    # real code; every 20th file keeps the test short.
    sample = stdlib_files()[::20]
    with fork_pool() as pool:
        comparisons = list(pool.map(compare_file, [(p, BUSY) for p in sample], chunksize=4))
    _report("stdlib sample, builtins as placeholders", comparisons)
    assert [c.path for c in comparisons if not c.agree] == []
    kinds = collections.Counter(row[0] for c in comparisons for row in c.index_rows)
    assert kinds["site"] > 20
    assert kinds["problem"] > 500


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def f():\n    x = _('a', [1,\n              2])\n", id="function"),
        pytest.param(
            "class K:\n\tdef m(self):\n\t\tif x:\n\t\t\treturn _('a', {\n\t\t\t\t1: 2,\n\t\t\t})\n",
            id="nested-tabs",
        ),
        pytest.param("if x:\r\n  y = _('a', (1,\r\n    2))\r\n", id="crlf-two-spaces"),
    ],
)
def test_default_code_keeps_the_block_indentation(source: str) -> None:
    # libcst prints a node on its own without the indentation of the blocks around it.
    found = find_sites(cst.parse_module(source))
    (occurrence,) = index_source(source, "t.py").occurrences
    assert default_code(found.module, found.sites[0]) == occurrence.default
