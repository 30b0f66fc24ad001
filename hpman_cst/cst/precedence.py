"""The libcst adapter of :mod:`hpman_cst.precedence`: the same levels and slots for CST
nodes, so that the libcst transformer parenthesises an inlined default exactly where the
splice does."""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst
from libcst import MaybeSentinel

from ..precedence import AST_BINARY_LEVELS, AST_LEVELS, Level, Slot, operand_slot, unary_slot

__all__ = ["cst_expression_level", "cst_field_start", "cst_in_field", "cst_place", "cst_slot"]

# Each libcst binary operator and expression with its ``ast`` counterpart, whose level it has.
_BINARY_TWINS: list[tuple[type[cst.BaseBinaryOp], type[ast.operator]]] = [
    (cst.BitOr, ast.BitOr),
    (cst.BitXor, ast.BitXor),
    (cst.BitAnd, ast.BitAnd),
    (cst.LeftShift, ast.LShift),
    (cst.RightShift, ast.RShift),
    (cst.Add, ast.Add),
    (cst.Subtract, ast.Sub),
    (cst.Multiply, ast.Mult),
    (cst.Divide, ast.Div),
    (cst.FloorDivide, ast.FloorDiv),
    (cst.Modulo, ast.Mod),
    (cst.MatrixMultiply, ast.MatMult),
    (cst.Power, ast.Pow),
]
# (ast's `Starred` and `YieldFrom` are parts of libcst nodes.)
_EXPRESSION_TWINS: list[tuple[type[cst.CSTNode], type[ast.AST]]] = [
    (cst.Yield, ast.Yield),
    (cst.NamedExpr, ast.NamedExpr),
    (cst.Lambda, ast.Lambda),
    (cst.IfExp, ast.IfExp),
    (cst.Comparison, ast.Compare),
    (cst.Await, ast.Await),
    (cst.Call, ast.Call),
    (cst.Attribute, ast.Attribute),
    (cst.Subscript, ast.Subscript),
]
_CST_BINOP = {op: AST_BINARY_LEVELS[twin] for op, twin in _BINARY_TWINS}
_CST_LEVEL = {node: AST_LEVELS[twin] for node, twin in _EXPRESSION_TWINS}


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
        return operand_slot(_CST_BINOP[type(parent.operator)], attribute == "left"), Slot.PLAIN
    if isinstance(parent, cst.UnaryOperation):
        return unary_slot(isinstance(parent.operator, cst.Not))
    if isinstance(parent, cst.BooleanOperation):
        return Level(cst_expression_level(parent) + 1), Slot.PLAIN
    if isinstance(parent, cst.Arg):
        return (Level.BIT_OR if parent.star else Level.LAMBDA), Slot.PLAIN
    kind = {"Attribute": Slot.ATTRIBUTE, "FormattedStringExpression": Slot.FSTRING}.get(
        type(parent).__name__, Slot.PLAIN
    )
    return _CST_SLOTS.get((type(parent).__name__, attribute), Level.ATOM), kind


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


def cst_in_field(path: Sequence[cst.CSTNode]) -> bool:
    """Whether the last node of ``path`` lies inside an f-string field's expression: the
    libcst view of :func:`~hpman_cst.precedence.needs_parens`' ``in_field``."""
    return any(isinstance(node, cst.FormattedStringExpression) for node in path[:-1])


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
