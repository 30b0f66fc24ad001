"""When an inlined default needs parentheses (``hpman remove``).

``_("a", 1 + 2) * 3`` must become ``(1 + 2) * 3``, while ``x = _("a", 1 + 2)`` becomes
``x = 1 + 2``. A call is a primary expression, so replacing it by a looser expression
needs parentheses exactly where the slot it sits in binds tighter than the expression.

One model, two adapters: the planner asks with ``ast`` nodes, the libcst transformer with
CST nodes, and the verifier checks that the rewritten module's ``ast`` equals the old one
with each call replaced by its default. The slot table is deliberately conservative: a
slot it does not know takes an atom only (so unneeded parentheses are possible, wrong
precedence is not).
"""

from __future__ import annotations

import ast
import enum
import io
import re
import tokenize
from collections.abc import Sequence

import libcst as cst
from libcst import MaybeSentinel

__all__ = [
    "Level",
    "Slot",
    "ast_expression_level",
    "ast_slot",
    "cst_expression_level",
    "cst_field_start",
    "cst_place",
    "cst_slot",
    "needs_parens",
]


class Level(enum.IntEnum):
    """Binding strength, loosest first (Python's operator precedence table)."""

    STARRED = 0  # *x: not an expression on its own
    YIELD = 1
    NAMED = 2  # x := 1
    LAMBDA = 3
    IFEXP = 4
    OR = 5
    AND = 6
    NOT = 7
    COMPARE = 8
    BIT_OR = 9
    BIT_XOR = 10
    BIT_AND = 11
    SHIFT = 12
    ARITH = 13
    TERM = 14
    UNARY = 15
    POWER = 16
    AWAIT = 17
    PRIMARY = 18  # calls, attributes, subscripts
    ATOM = 19


class Slot(enum.Enum):
    """Slots with a lexical catch beyond precedence."""

    PLAIN = "plain"
    ATTRIBUTE = "attribute"  # `1 .real`: a decimal integer cannot touch the dot
    FSTRING = "fstring"  # `{{` in an f-string field is an escaped brace
    SIGN = "sign"  # `--1` is valid but reads as a typo: write `-(-1)`
    # The one item of `with ...:` (no `as`, no parentheses): `with (a, b):` would be two
    # items (Python 3.9+), so a parenthesised tuple needs a second pair.
    BARE_WITH = "bare-with"


# Each binary operator's level, in both vocabularies.
_BINARY_OPERATORS: list[tuple[type[ast.operator], type[cst.BaseBinaryOp], Level]] = [
    (ast.BitOr, cst.BitOr, Level.BIT_OR),
    (ast.BitXor, cst.BitXor, Level.BIT_XOR),
    (ast.BitAnd, cst.BitAnd, Level.BIT_AND),
    (ast.LShift, cst.LeftShift, Level.SHIFT),
    (ast.RShift, cst.RightShift, Level.SHIFT),
    (ast.Add, cst.Add, Level.ARITH),
    (ast.Sub, cst.Subtract, Level.ARITH),
    (ast.Mult, cst.Multiply, Level.TERM),
    (ast.Div, cst.Divide, Level.TERM),
    (ast.FloorDiv, cst.FloorDivide, Level.TERM),
    (ast.Mod, cst.Modulo, Level.TERM),
    (ast.MatMult, cst.MatrixMultiply, Level.TERM),
    (ast.Pow, cst.Power, Level.POWER),
]
# The level of the other expressions looser than an atom (ast's `Starred` and `YieldFrom`
# are parts of libcst nodes).
_EXPRESSIONS: list[tuple[type[ast.AST] | None, type[cst.CSTNode] | None, Level]] = [
    (ast.Starred, None, Level.STARRED),
    (ast.Yield, cst.Yield, Level.YIELD),
    (ast.YieldFrom, None, Level.YIELD),
    (ast.NamedExpr, cst.NamedExpr, Level.NAMED),
    (ast.Lambda, cst.Lambda, Level.LAMBDA),
    (ast.IfExp, cst.IfExp, Level.IFEXP),
    (ast.Compare, cst.Comparison, Level.COMPARE),
    (ast.Await, cst.Await, Level.AWAIT),
    (ast.Call, cst.Call, Level.PRIMARY),
    (ast.Attribute, cst.Attribute, Level.PRIMARY),
    (ast.Subscript, cst.Subscript, Level.PRIMARY),
]
_AST_BINOP = {op: level for op, _, level in _BINARY_OPERATORS}
_AST_LEVEL = {node: level for node, _, level in _EXPRESSIONS if node is not None}


def _operand_slot(operator: Level, left: bool) -> Level:
    """The slot of an operand of a binary operator binding at ``operator``: operators
    group to the left, so the right operand must bind tighter; ``**`` groups to the right
    and takes a unary operand on its right (``2 ** -1``)."""
    if operator is Level.POWER:
        return Level.AWAIT if left else Level.UNARY
    return operator if left else Level(operator + 1)


def _unary_slot(logical_not: bool) -> tuple[Level, Slot]:
    return (Level.NOT, Slot.PLAIN) if logical_not else (Level.UNARY, Slot.SIGN)


def ast_expression_level(node: ast.AST) -> Level:
    """How tightly the ``ast`` expression ``node`` binds."""
    if isinstance(node, ast.BinOp):
        return _AST_BINOP[type(node.op)]
    if isinstance(node, ast.BoolOp):
        return Level.OR if isinstance(node.op, ast.Or) else Level.AND
    if isinstance(node, ast.UnaryOp):
        return Level.NOT if isinstance(node.op, ast.Not) else Level.UNARY
    return _AST_LEVEL.get(type(node), Level.ATOM)


# (parent type name, field) -> the loosest expression the slot takes unparenthesised.
_FREE_SLOTS: dict[tuple[str, str], Level] = {
    **dict.fromkeys(
        [
            ("Assign", "value"),
            ("AugAssign", "value"),
            ("AnnAssign", "value"),
            ("Return", "value"),
            ("Expr", "value"),
            ("Assert", "test"),
            ("Assert", "msg"),
            ("Raise", "exc"),
            ("Raise", "cause"),
            ("Yield", "value"),
            ("YieldFrom", "value"),
            ("NamedExpr", "value"),
            ("Lambda", "body"),
            ("IfExp", "orelse"),
            ("Call", "args"),
            ("List", "elts"),
            ("Tuple", "elts"),
            ("Set", "elts"),
            ("Dict", "values"),
            ("Subscript", "slice"),
            ("ListComp", "elt"),
            ("SetComp", "elt"),
            ("GeneratorExp", "elt"),
            ("DictComp", "value"),
            ("arguments", "defaults"),
            ("arguments", "kw_defaults"),
            ("ClassDef", "bases"),
        ],
        Level.LAMBDA,
    ),
    **dict.fromkeys(
        [
            ("If", "test"),
            ("While", "test"),
            ("For", "iter"),
            ("AsyncFor", "iter"),
            ("withitem", "context_expr"),
            ("Match", "subject"),
            ("match_case", "guard"),
            ("FunctionDef", "decorator_list"),
            ("AsyncFunctionDef", "decorator_list"),
            ("ClassDef", "decorator_list"),
            ("FunctionDef", "returns"),
            ("AsyncFunctionDef", "returns"),
            ("AnnAssign", "annotation"),
            ("arg", "annotation"),
            ("Dict", "keys"),
            ("DictComp", "key"),
            ("Slice", "lower"),
            ("Slice", "upper"),
            ("Slice", "step"),
            ("FormattedValue", "value"),
        ],
        Level.IFEXP,
    ),
    **dict.fromkeys(
        [("comprehension", "iter"), ("comprehension", "ifs"), ("IfExp", "test"), ("IfExp", "body")],
        Level.OR,
    ),
    **dict.fromkeys(
        [("Compare", "left"), ("Compare", "comparators"), ("Starred", "value")], Level.BIT_OR
    ),
    **dict.fromkeys(
        [("Attribute", "value"), ("Subscript", "value"), ("Call", "func"), ("Await", "value")],
        Level.PRIMARY,
    ),
}


def ast_slot(parent: ast.AST, field: str, node: ast.AST) -> tuple[Level, Slot]:
    """The loosest level the slot ``parent.field`` (holding ``node``) takes without
    parentheses, and its lexical kind."""
    if isinstance(parent, ast.BinOp):
        return _operand_slot(_AST_BINOP[type(parent.op)], field == "left"), Slot.PLAIN
    if isinstance(parent, ast.UnaryOp):
        return _unary_slot(isinstance(parent.op, ast.Not))
    if isinstance(parent, ast.BoolOp):
        # Strictly tighter on both sides: `(a and b) and c` is not `a and b and c` in ast.
        return Level(ast_expression_level(parent) + 1), Slot.PLAIN
    if isinstance(parent, ast.keyword):
        return (Level.BIT_OR if parent.arg is None else Level.LAMBDA), Slot.PLAIN
    if isinstance(parent, ast.Dict) and field == "values":
        index = next(i for i, v in enumerate(parent.values) if v is node)
        if parent.keys[index] is None:  # {**mapping}
            return Level.BIT_OR, Slot.PLAIN
    kind = {"Attribute": Slot.ATTRIBUTE, "FormattedValue": Slot.FSTRING}.get(
        type(parent).__name__, Slot.PLAIN
    )
    return _FREE_SLOTS.get((type(parent).__name__, field), Level.ATOM), kind


_CST_BINOP = {op: level for _, op, level in _BINARY_OPERATORS}
_CST_LEVEL = {node: level for _, node, level in _EXPRESSIONS if node is not None}


def cst_expression_level(node: cst.CSTNode) -> Level:
    """How tightly the libcst expression ``node`` binds (its own parentheses ignored)."""
    if isinstance(node, cst.BinaryOperation):
        return _CST_BINOP[type(node.operator)]
    if isinstance(node, cst.BooleanOperation):
        return Level.OR if isinstance(node.operator, cst.Or) else Level.AND
    if isinstance(node, cst.UnaryOperation):
        return Level.NOT if isinstance(node.operator, cst.Not) else Level.UNARY
    return _CST_LEVEL.get(type(node), Level.ATOM)


_CST_SLOTS: dict[tuple[str, str], Level] = {
    **dict.fromkeys(
        [
            ("Assign", "value"),
            ("AugAssign", "value"),
            ("AnnAssign", "value"),
            ("Return", "value"),
            ("Expr", "value"),
            ("Assert", "test"),
            ("Assert", "msg"),
            ("Raise", "exc"),
            ("Raise", "cause"),
            ("Yield", "value"),
            ("From", "item"),
            ("NamedExpr", "value"),
            ("Lambda", "body"),
            ("IfExp", "orelse"),
            ("Element", "value"),
            ("DictElement", "value"),
            ("Index", "value"),
            ("ListComp", "elt"),
            ("SetComp", "elt"),
            ("GeneratorExp", "elt"),
            ("DictComp", "value"),
            ("Param", "default"),
        ],
        Level.LAMBDA,
    ),
    **dict.fromkeys(
        [
            ("If", "test"),
            ("While", "test"),
            ("For", "iter"),
            ("WithItem", "item"),
            ("Match", "subject"),
            ("MatchCase", "guard"),
            ("Decorator", "decorator"),
            ("Annotation", "annotation"),
            ("DictElement", "key"),
            ("DictComp", "key"),
            ("Slice", "lower"),
            ("Slice", "upper"),
            ("Slice", "step"),
            ("FormattedStringExpression", "expression"),
        ],
        Level.IFEXP,
    ),
    **dict.fromkeys(
        [("CompFor", "iter"), ("CompIf", "test"), ("IfExp", "test"), ("IfExp", "body")], Level.OR
    ),
    **dict.fromkeys(
        [
            ("Comparison", "left"),
            ("ComparisonTarget", "comparator"),
            ("StarredElement", "value"),
            ("StarredDictElement", "value"),
        ],
        Level.BIT_OR,
    ),
    **dict.fromkeys(
        [("Attribute", "value"), ("Subscript", "value"), ("Call", "func"), ("Await", "expression")],
        Level.PRIMARY,
    ),
}


def cst_slot(parent: cst.CSTNode, attribute: str) -> tuple[Level, Slot]:
    """:func:`ast_slot` for a libcst parent and the attribute holding the child."""
    if isinstance(parent, cst.BinaryOperation):
        return _operand_slot(_CST_BINOP[type(parent.operator)], attribute == "left"), Slot.PLAIN
    if isinstance(parent, cst.UnaryOperation):
        return _unary_slot(isinstance(parent.operator, cst.Not))
    if isinstance(parent, cst.BooleanOperation):
        return Level(cst_expression_level(parent) + 1), Slot.PLAIN
    if isinstance(parent, cst.Arg):
        return (Level.BIT_OR if parent.star else Level.LAMBDA), Slot.PLAIN
    kind = {"Attribute": Slot.ATTRIBUTE, "FormattedStringExpression": Slot.FSTRING}.get(
        type(parent).__name__, Slot.PLAIN
    )
    return _CST_SLOTS.get((type(parent).__name__, attribute), Level.ATOM), kind


_DECIMAL_INT = re.compile(r"[0-9](?:_?[0-9])*")


def _bare_line_break(text: str) -> bool:
    # A line break (or a comment) outside any bracket of the text itself is only valid
    # while the text sits inside the call's parentheses.
    if "\n" not in text and "\r" not in text:
        return False
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            elif (
                depth == 0
                and token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
                and token.string  # not the NEWLINE tokenize adds at the end
            ):
                return True
    except (tokenize.TokenError, SyntaxError):
        return True
    return False


def needs_parens(
    text: str,
    level: Level,
    slot: tuple[Level, Slot],
    wrapped: bool,
    *,
    bracketed: bool = False,
    field_start: bool = False,
) -> bool:
    """Whether the expression ``text`` (binding at ``level``) must be parenthesised to
    replace a call in ``slot``.

    ``wrapped`` means the call sits in parentheses of its own (not those of an enclosing
    call's arguments, a class's bases or a ``with`` statement's items, which belong to
    that syntax: ``f(_("x", (n := 1)))`` needs ``f((n := 1))``); ``bracketed`` that it
    sits inside some bracket, where a line break of ``text`` is free; ``field_start``
    that the call's first character directly follows the ``{`` opening an f-string
    replacement field, with more of the field's expression after it (``f"{_("x",
    {1: 2})['a']}"``): a ``{`` there would make ``{{``, an escaped brace."""
    if wrapped:
        return False
    if field_start and text.startswith("{"):
        return True
    slot_level, kind = slot
    if level < slot_level or (not bracketed and _bare_line_break(text)):
        return True
    if kind is Slot.ATTRIBUTE and _DECIMAL_INT.fullmatch(text):
        return True
    if kind is Slot.SIGN and text[:1] in ("+", "-", "~"):
        return True
    if kind is Slot.BARE_WITH and level is Level.ATOM and text.startswith("("):
        return True
    return kind is Slot.FSTRING and text.startswith("{")


# (parent, attribute) pairs of libcst nodes whose child starts where the parent starts
# (unless the child has parentheses of its own): the left edge of an expression.
_CST_LEFT_EDGES = frozenset(
    {
        ("BinaryOperation", "left"),
        ("BooleanOperation", "left"),
        ("Comparison", "left"),
        ("Attribute", "value"),
        ("Subscript", "value"),
        ("Call", "func"),
        ("IfExp", "body"),
        ("Element", "value"),
    }
)


def cst_field_start(path: Sequence[cst.CSTNode], attributes: Sequence[str]) -> bool:
    """Whether the last node of ``path`` (as in :func:`cst_place`) starts right after the
    ``{`` of an f-string replacement field, no blank between: the libcst view of
    :func:`needs_parens`' ``field_start``."""
    for index in range(len(path) - 1, 0, -1):
        child, parent, attribute = path[index], path[index - 1], attributes[index - 1]
        if getattr(child, "lpar", ()):
            return False
        if isinstance(parent, cst.FormattedStringExpression):
            blank = parent.whitespace_before_expression
            return attribute == "expression" and blank.empty
        if isinstance(parent, cst.Tuple):
            if not (attribute == "elements" and parent.elements and parent.elements[0] is child):
                return False
        elif (type(parent).__name__, attribute) not in _CST_LEFT_EDGES:
            return False
    return False


# libcst parents whose every child lies inside their brackets, and the (parent, attribute)
# pairs that hold a child inside brackets; any parenthesised node does too.
_CST_BRACKETS: tuple[type[cst.CSTNode], ...] = (
    cst.List,
    cst.Set,
    cst.Dict,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
    cst.FormattedStringExpression,
)
_CST_BRACKETED_FIELDS = frozenset(
    {
        ("Call", "args"),
        ("Subscript", "slice"),
        ("ClassDef", "bases"),
        ("ClassDef", "keywords"),
        ("FunctionDef", "params"),
    }
)


def cst_place(
    path: Sequence[cst.CSTNode], attributes: Sequence[str]
) -> tuple[tuple[Level, Slot], bool]:
    """The slot of the last node of ``path`` (the nodes from the module down to it, each
    held in its parent by the matching one of ``attributes``) and whether it sits inside
    some bracket: the libcst view of what :func:`needs_parens` asks."""
    parent, attribute = path[-2], attributes[-1]
    slot = cst_slot(parent, attribute)
    if isinstance(parent, cst.WithItem) and len(path) > 2:
        with_ = path[-3]
        if (
            isinstance(with_, cst.With)
            and len(with_.items) == 1
            and parent.asname is None
            and not isinstance(with_.lpar, cst.LeftParen)
        ):
            slot = (slot[0], Slot.BARE_WITH)
    bracketed = any(
        isinstance(node, _CST_BRACKETS)
        or (type(node).__name__, field) in _CST_BRACKETED_FIELDS
        or (isinstance(node, cst.BaseExpression) and len(node.lpar) > 0)
        or (isinstance(node, cst.With) and field == "items" and node.lpar != MaybeSentinel.DEFAULT)
        for node, field in zip(path, attributes)  # (the node itself: `wrapped`)
    )
    return slot, bracketed
