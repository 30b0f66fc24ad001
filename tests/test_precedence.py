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
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for s, e, i in CASES])
def test_remove_parenthesises_where_needed(source: str, expected: str) -> None:
    result = run("remove", {"name": "x"}, (source + "\n").encode())
    assert result.decode() == expected + "\n"
