"""The ast index: what counts as a call site, what each record holds, problems as data."""

from __future__ import annotations

import warnings

import pytest
from python_version import MATCH

from hpman_cst.index import index_bytes, index_source, may_contain_call
from hpman_cst.records import Marker, ProblemCode, Span


def names(source: str, placeholder: str = "_") -> list[str]:
    return [o.name for o in index_source(source, "t.py", placeholder).occurrences]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("_('a', 1)", id="module-level"),
        pytest.param("def f():\n    return _('a', 1)", id="function"),
        pytest.param("f = lambda: _('a', 1)", id="lambda"),
        pytest.param("[_('a', 1) for i in x]", id="comprehension"),
        pytest.param("@deco(_('a', 1))\ndef f(): pass", id="decorator"),
        pytest.param("def f(x=_('a', 1)): pass", id="default-argument"),
        pytest.param("def f(*, x=_('a', 1)): pass", id="kwonly-default"),
        pytest.param("class A:\n    x = _('a', 1)", id="class-body"),
        pytest.param("if (y := _('a', 1)): pass", id="walrus"),
        pytest.param("f'{_(\"a\", 1)}'", id="f-string-field"),
        pytest.param("x = _('a', 1) if c else 2", id="conditional"),
        pytest.param("match x:\n    case 1:\n        _('a', 1)", id="match", marks=MATCH),
        pytest.param("async def f():\n    await _('a', 1)", id="await"),
        pytest.param("(_)('a', 1)", id="parenthesised-callee"),
        pytest.param("((_))('a', 1)", id="double-parenthesised-callee"),
        pytest.param("x: int = _('a', 1)", id="annotated-assignment"),
        pytest.param("assert _('a', 1)", id="assert"),
        pytest.param("d[_('a', 1)]", id="subscript"),
    ],
)
def test_found_anywhere(source: str) -> None:
    assert names(source) == ["a"]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("hpman.m._('a', 1)", id="attribute"),
        pytest.param("obj._('a', 1)", id="method"),
        pytest.param("__('a', 1)", id="other-name"),
        pytest.param("hp = _\nhp('a', 1)", id="alias"),
        pytest.param("[_][0]('a', 1)", id="subscripted"),
        pytest.param("# _('a', 1)", id="comment"),
        pytest.param("'_(\"a\", 1)'", id="string"),
        pytest.param("_.get_value('a')", id="api-call"),
    ],
)
def test_not_call_sites(source: str) -> None:
    assert names(source) == []


def test_nested_calls_both_found_in_walk_order() -> None:
    index = index_source("_('a', _('b', 2))\nx = 1\n_('c', 3)", "t.py")
    assert [o.name for o in index.occurrences] == ["a", "c", "b"]
    a = index.occurrences[0]
    assert a.value is Marker.NOT_LITERAL
    assert a.default == "_('b', 2)"


def test_record_fields() -> None:
    source = "x = _(\n    'lr'  'x',  # comment\n    (1e-3),\n    help='rate',\n)\n"
    (occ,) = index_source(source, "m.py").occurrences
    assert occ.name == "lrx"
    assert occ.path == "m.py"
    assert occ.span == Span(1, 4, 5, 1)
    assert occ.name_span == Span(2, 4, 2, 13)
    assert occ.default == "1e-3"
    assert occ.default_span == Span(3, 5, 3, 9)
    assert occ.value == 1e-3
    assert occ.hints == (("help", "rate"),)
    assert occ.kind == "define"


def test_columns_count_code_points() -> None:
    (occ,) = index_source("é = 'ü'; y = _('ä', 'ö')", "t.py").occurrences
    assert occ.span.column == 13
    assert occ.default == "'ö'"
    assert occ.default_span == Span(1, 20, 1, 23)


def test_get_without_default() -> None:
    (occ,) = index_source("_('a')", "t.py").occurrences
    assert occ.value is Marker.NO_DEFAULT
    assert occ.default is None
    assert occ.kind == "get"


@pytest.mark.parametrize(
    ("default", "value"),
    [
        ("0x10", 16),
        ("1_000", 1000),
        ("-1.5", -1.5),
        ("1+2j", 1 + 2j),
        ("b'x'", b"x"),
        ("None", None),
        ("...", ...),
        ("(1, [2], {3: 4})", (1, [2], {3: 4})),
        ("set()", set()),
        ("{1, 2}", {1, 2}),
    ],
)
def test_literal_defaults(default: str, value: object) -> None:
    (occ,) = index_source(f"_('a', {default})", "t.py").occurrences
    assert occ.value == value
    assert occ.default == default


@pytest.mark.parametrize("default", ["x", "f()", "1 + 2", "10 ** 3", "'a' * 2", "[i for i in x]"])
def test_non_literal_defaults(default: str) -> None:
    (occ,) = index_source(f"_('a', {default})", "t.py").occurrences
    assert occ.value is Marker.NOT_LITERAL
    assert occ.default == default


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("_(name)", ProblemCode.NOT_LITERAL_NAME),
        ("_(f'a')", ProblemCode.NOT_LITERAL_NAME),
        ("_(b'a', 1)", ProblemCode.NOT_LITERAL_NAME),
        ("_(*args)", ProblemCode.NOT_LITERAL_NAME),
        ("_()", ProblemCode.ARGUMENT_COUNT),
        ("_(name='a')", ProblemCode.ARGUMENT_COUNT),
        ("_('a', 1, 2)", ProblemCode.ARGUMENT_COUNT),
        ("_('a', 1, help=h)", ProblemCode.NOT_LITERAL_HINT),
        ("_('a', 1, **extra)", ProblemCode.NOT_LITERAL_HINT),
        ("_('a', {1, [2]})", ProblemCode.UNHASHABLE),
        ("_('a', 1", ProblemCode.SYNTAX),
    ],
)
def test_problems_are_data(source: str, code: ProblemCode) -> None:
    index = index_source("x = 1\n" + source, "bad.py")
    assert [p.code for p in index.problems] == [code]
    assert index.problems[0].line == 2
    assert str(index.problems[0]).startswith("bad.py:2:")


def test_double_star_literal_hints_keep_none_key() -> None:
    (occ,) = index_source("_('a', 1, **{'help': 'x'})", "t.py").occurrences
    assert occ.hints == ((None, {"help": "x"}),)


def test_all_problems_reported() -> None:
    index = index_source("_(a)\n_('ok', 1)\n_(b)\n", "t.py")
    assert [p.line for p in index.problems] == [1, 3]
    assert [o.name for o in index.occurrences] == ["ok"]


def test_api_refs() -> None:
    source = (
        "_.get_value('a'); _.set_value('b', 1); _.exists('c'); _.get_occurrence('d')\n"
        "_.set_values({'e': 1, **x, 'f.g': 2}); _.get_value(name); obj.get_value('z')\n"
    )
    refs = index_source(source, "t.py").api_refs
    assert sorted((r.name, r.method) for r in refs) == [
        ("a", "get_value"),
        ("b", "set_value"),
        ("c", "exists"),
        ("d", "get_occurrence"),
        ("e", "set_values"),
        ("f.g", "set_values"),
    ]


def test_api_ref_forms() -> None:
    # Every argument that names hyper-parameters, by position or keyword, with the part of
    # the name its literal writes (below `scope`) and whether it stands for a group.
    source = (
        "_.get_value(name='a'); _.set_value(value=1, name='b'); _.get_occurrences('c')\n"
        "_.set_tree({'o': {'lr': 1, 'd': {'__is_dict__': True}, 'v': cfg}}, prefix='p')\n"
        "_.get_tree(prefix='o'); _.get_tree(''); _.set_values(dict({'e': 1}, f=2))\n"
    )
    refs = sorted(index_source(source, "t.py").api_refs, key=lambda r: r.sort_key())
    assert [(r.method, r.name, r.form.value, r.scope, r.key, r.group) for r in refs] == [
        ("get_value", "a", "keyword", "", "a", False),
        ("set_value", "b", "keyword", "", "b", False),
        ("get_occurrences", "c", "argument", "", "c", False),
        ("set_tree", "p.o", "key", "p", "o", True),
        ("set_tree", "p.o.lr", "key", "p.o", "lr", False),
        ("set_tree", "p.o.d", "key", "p.o", "d", False),
        ("set_tree", "p.o.v", "key", "p.o", "v", True),
        ("set_tree", "p", "keyword", "", "p", True),
        ("get_tree", "o", "keyword", "", "o", True),
        ("set_values", "e", "key", "", "e", False),
        ("set_values", "f", "identifier", "", "f", False),
    ]
    assert refs[-1].name_span == Span(3, 68, 3, 69)


def test_api_mappings_unpacked_into_a_mapping() -> None:
    # `**{...}` of a literal mapping gives its keys; `**config` stays unknown.
    source = "_.set_values({**{'a': 1}, **dict(b=2, **{'c': 3}), **config})\n"
    index = index_source(source, "t.py")
    assert [(r.name, r.form.value) for r in index.api_refs] == [
        ("a", "key"),
        ("b", "identifier"),
        ("c", "key"),
    ]
    assert [d.span.column for d in index.dynamic_refs] == [53]


@pytest.mark.parametrize(
    "call",
    [
        "_.get_value(k)",
        "_.exists(name=k)",
        "_.set_value(*args)",
        "_.get_occurrence(**kwargs)",
        "_.set_values(config)",
        "_.set_values({k: 1})",
        "_.set_values({**config})",
        "_.set_values(dict(**config))",
        "_.set_tree(config)",
        "_.set_tree({'lr': 1}, prefix=group)",
        "_.get_tree(group)",
    ],
)
def test_api_calls_with_names_that_are_not_literals(call: str) -> None:
    index = index_source(f"{call}\n", "t.py")
    assert (index.api_refs, index.problems) == ((), ())
    (dynamic,) = index.dynamic_refs
    assert (dynamic.method, dynamic.span.line) == (call[2 : call.index("(")], 1)


def test_other_placeholders() -> None:
    assert names("hp('a', 1); _('b', 2)", "hp") == ["a"]
    assert sorted(names("hp('a', 1); _('b', 2)", {"hp", "_"})) == ["a", "b"]  # type: ignore[arg-type]


def test_bytes_decoding_bom_and_cookie() -> None:
    bom = b"\xef\xbb\xbf_('a', '\xc3\xa9')\n"
    (occ,) = index_bytes(bom, "bom.py").occurrences
    assert occ.value == "é"
    latin = b"# -*- coding: latin-1 -*-\n_('a', '\xe9')\n"
    (occ,) = index_bytes(latin, "latin.py").occurrences
    assert occ.value == "é"


def test_undecodable_is_a_problem() -> None:
    index = index_bytes(b"x = 1\n_('a', '\xff')\n", "bad.py")
    assert [p.code for p in index.problems] == [ProblemCode.DECODE]
    assert index.problems[0].line == 2
    assert not index.parsed


@pytest.mark.parametrize(
    "source",
    ["_('a')", "(_)('a')", "( _ \\\n )('a')", "(_  # c\n)('a')", "_.get_value('a')", "＿('a')"],
)
def test_precheck_keeps_call_sites(source: str) -> None:
    assert may_contain_call(source.encode(), "_")


@pytest.mark.parametrize("source", ["x = 1", "for _ in x: pass", "a_('x')", "_a('x')", "'_'"])
def test_precheck_skips(source: str) -> None:
    assert not may_contain_call(source.encode(), "_")


# An invalid escape: a DeprecationWarning up to Python 3.11, a SyntaxWarning from 3.12.
INVALID_ESCAPE = "import re\nx = re.compile('\\(')\n_('pattern', '\\d+')\n"


def test_parsing_gives_no_compiler_warnings() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        index = index_source(INVALID_ESCAPE, "t.py")
    assert [str(w.message) for w in caught] == []
    assert [(o.name, o.value) for o in index.occurrences] == [("pattern", "\\d+")]


def test_warnings_as_errors_do_not_make_a_syntax_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        index = index_source(INVALID_ESCAPE, "t.py")
    assert (index.problems, len(index.occurrences)) == ((), 1)


def test_warning_filters_are_left_as_they_were() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        before = list(warnings.filters)
        index_source(INVALID_ESCAPE, "t.py")
        assert warnings.filters == before
