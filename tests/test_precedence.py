"""``hpman remove`` parenthesises an inlined default exactly where precedence needs it."""

from __future__ import annotations

import pytest
from test_transforms import run

CASES = [
    ("y = a and _('x', b and c)", "y = a and (b and c)", "and-right"),
    ("y = _('x', b and c) and a", "y = (b and c) and a", "and-left"),
    ("y = a or _('x', b and c)", "y = a or b and c", "and-in-or"),
    ("y = a < _('x', b < c)", "y = a < (b < c)", "comparison-chain"),
    ("y = a < _('x', b | c)", "y = a < b | c", "bitor-in-comparison"),
    ("y = _('x', b if c else d) if e else f", "y = (b if c else d) if e else f", "ifexp-body"),
    ("y = a if b else _('x', c if d else e)", "y = a if b else c if d else e", "ifexp-orelse"),
    ("y = [i for i in _('x', a if b else c)]", "y = [i for i in (a if b else c)]", "comp-iter"),
    (
        "y = [i for i in z if _('x', a if b else c)]",
        "y = [i for i in z if (a if b else c)]",
        "comp-if",
    ),
    ("f(_('x', lambda: 1))", "f(lambda: 1)", "lambda-argument"),
    ("y = _('x', lambda: 1) or 2", "y = (lambda: 1) or 2", "lambda-operand"),
    ("y = _('x', (z := 1))", "y = (z := 1)", "walrus"),
    ("def g():\n    y = _('x', (yield))", "def g():\n    y = (yield)", "yield"),
    (
        "async def g():\n    y = _('x', await h()) + 1",
        "async def g():\n    y = await h() + 1",
        "await",
    ),
    (
        "async def g():\n    y = _('x', await h()).r",
        "async def g():\n    y = (await h()).r",
        "await-attr",
    ),
    ("y = _('x', a.b)(1)", "y = a.b(1)", "callee"),
    ("y = _('x', a + b)[0]", "y = (a + b)[0]", "subscripted"),
    ("y = {**_('x', a or b)}", "y = {**(a or b)}", "dict-unpacking"),
    ("f(*_('x', a or b))", "f(*(a or b))", "star-argument"),
    ("y = not _('x', a == b)", "y = not a == b", "not"),
    ("y = -_('x', a ** b)", "y = -a ** b", "power-in-unary"),
    ("y = _('x', a * b) - c", "y = a * b - c", "term-in-arith"),
    ("y = c - _('x', a - b)", "y = c - (a - b)", "arith-right"),
    ("y = _('x', a - b) - c", "y = a - b - c", "arith-left"),
    ("y = 2 ** _('x', a ** b)", "y = 2 ** a ** b", "power-right"),
    ("y = _('x', a ** b) ** 2", "y = (a ** b) ** 2", "power-left"),
    ("if _('x', lambda: 1):\n    pass", "if (lambda: 1):\n    pass", "if-test"),
    ("y = f'{_(\"x\", lambda: 1)}'", "y = f'{(lambda: 1)}'", "fstring-lambda"),
    ("@_('x', deco)\ndef g(): pass", "@deco\ndef g(): pass", "decorator"),
    ("y = _('x', a, help='h') if c else d", "y = a if c else d", "hints-dropped"),
    ("y = _('x', (1, 2))[0]", "y = (1, 2)[0]", "tuple"),
    ("y = (  _('x', a + b)  ) * 2", "y = (  a + b  ) * 2", "already-wrapped"),
    ("y = _('x', a + b) * 2  # c", "y = (a + b) * 2  # c", "comment-after"),
    # The parentheses of an enclosing call's arguments, a class's bases or a with
    # statement's items are not the call's own.
    ("print(_('x', (n := 1)))", "print((n := 1))", "walrus-only-argument"),
    ("print((_('x', (n := 1))))", "print((n := 1))", "walrus-own-parens-in-call"),
    ("print((_('x', (n := 1))),)", "print((n := 1),)", "walrus-own-parens-trailing-comma"),
    ("f(_('x', 1 if a else b))", "f(1 if a else b)", "ifexp-only-argument"),
    ("f(_('x', (i for i in y)))", "f((i for i in y))", "generator-only-argument"),
    ("f(_('x', i) for i in y)", "f(i for i in y)", "generator-element"),
    ("def g():\n    f(_('x', (yield)))", "def g():\n    f((yield))", "yield-only-argument"),
    ("class C(_('x', (n := 1))): pass", "class C((n := 1)): pass", "walrus-class-base"),
    ("@f(_('x', (n := 1)))\ndef g(): pass", "@f((n := 1))\ndef g(): pass", "decorator-argument"),
    ("y = f'{f(_(\"x\", (n := 1)))}'", "y = f'{f((n := 1))}'", "fstring-only-argument"),
    ("y = f'{(_(\"x\", a + b)) * 2}'", "y = f'{(a + b) * 2}'", "fstring-own-parens"),
    ("with _('x', (a, b)): pass", "with ((a, b)): pass", "with-tuple"),
    ("with _('x', (a,)): pass", "with ((a,)): pass", "with-one-tuple"),
    ("with _('x', (a, b)) as c: pass", "with (a, b) as c: pass", "with-tuple-as"),
    ("with (_('x', (a, b))): pass", "with ((a, b)): pass", "with-tuple-parenthesised"),
    ("with _('x', (a, b)), c: pass", "with (a, b), c: pass", "with-tuple-and-another"),
    # A line break is free inside any bracket, not only the call's own parentheses.
    ("raise E(_('x', 'a '\n  'b'))", "raise E('a '\n  'b')", "multiline-only-argument"),
    ("y = [_('x', 'a '\n  'b')]", "y = ['a '\n  'b']", "multiline-in-list"),
    ("y = lambda: _('x', 'a '\n  'b')", "y = lambda: ('a '\n  'b')", "multiline-lambda-body"),
    ("y = _('x', 'a '  # c\n  'b')", "y = ('a '  # c\n  'b')", "comment-in-default"),
    ("f(_('x', 'a '  # c\n  'b'))", "f('a '  # c\n  'b')", "comment-in-default-argument"),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for s, e, i in CASES])
def test_remove_parenthesises_where_needed(source: str, expected: str) -> None:
    result = run("remove", {"name": "x"}, (source + "\n").encode())
    assert result.decode() == expected + "\n"
