"""When an inlined default needs parentheses (``hpman remove``).

``_("a", 1 + 2) * 3`` must become ``(1 + 2) * 3``, while ``x = _("a", 1 + 2)`` becomes
``x = 1 + 2``. A call is a primary expression, so replacing it by a looser expression
needs parentheses exactly where the slot it sits in binds tighter than the expression.

One model, two adapters: the planner asks with ``ast`` nodes (here), the libcst
transformer with CST nodes (:mod:`hpman_cst.cst.precedence`, which reads its levels
from this module's tables), and the prover checks that the rewritten module's ``ast``
equals the old one with each call replaced by its default. The slot table is
deliberately conservative: a slot it does not know takes an atom only (so unneeded
parentheses are possible, wrong precedence is not).
"""

from __future__ import annotations

import ast
import enum
import io
import re
import tokenize

__all__ = [
    "AST_BINARY_LEVELS",
    "AST_LEVELS",
    "Level",
    "Slot",
    "ast_expression_level",
    "ast_slot",
    "needs_parens",
    "operand_slot",
    "unary_slot",
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


# Each binary operator's level.
AST_BINARY_LEVELS: dict[type[ast.operator], Level] = {
    ast.BitOr: Level.BIT_OR,
    ast.BitXor: Level.BIT_XOR,
    ast.BitAnd: Level.BIT_AND,
    ast.LShift: Level.SHIFT,
    ast.RShift: Level.SHIFT,
    ast.Add: Level.ARITH,
    ast.Sub: Level.ARITH,
    ast.Mult: Level.TERM,
    ast.Div: Level.TERM,
    ast.FloorDiv: Level.TERM,
    ast.Mod: Level.TERM,
    ast.MatMult: Level.TERM,
    ast.Pow: Level.POWER,
}
# The level of the other expressions looser than an atom.
AST_LEVELS: dict[type[ast.AST], Level] = {
    ast.Starred: Level.STARRED,
    ast.Yield: Level.YIELD,
    ast.YieldFrom: Level.YIELD,
    ast.NamedExpr: Level.NAMED,
    ast.Lambda: Level.LAMBDA,
    ast.IfExp: Level.IFEXP,
    ast.Compare: Level.COMPARE,
    ast.Await: Level.AWAIT,
    ast.Call: Level.PRIMARY,
    ast.Attribute: Level.PRIMARY,
    ast.Subscript: Level.PRIMARY,
}


def operand_slot(operator: Level, left: bool) -> Level:
    """The slot of an operand of a binary operator binding at ``operator``: operators
    group to the left, so the right operand must bind tighter; ``**`` groups to the right
    and takes a unary operand on its right (``2 ** -1``)."""
    if operator is Level.POWER:
        return Level.AWAIT if left else Level.UNARY
    return operator if left else Level(operator + 1)


def unary_slot(logical_not: bool) -> tuple[Level, Slot]:
    return (Level.NOT, Slot.PLAIN) if logical_not else (Level.UNARY, Slot.SIGN)


def ast_expression_level(node: ast.AST) -> Level:
    """How tightly the ``ast`` expression ``node`` binds."""
    if isinstance(node, ast.BinOp):
        return AST_BINARY_LEVELS[type(node.op)]
    if isinstance(node, ast.BoolOp):
        return Level.OR if isinstance(node.op, ast.Or) else Level.AND
    if isinstance(node, ast.UnaryOp):
        return Level.NOT if isinstance(node.op, ast.Not) else Level.UNARY
    return AST_LEVELS.get(type(node), Level.ATOM)


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
        return operand_slot(AST_BINARY_LEVELS[type(parent.op)], field == "left"), Slot.PLAIN
    if isinstance(parent, ast.UnaryOp):
        return unary_slot(isinstance(parent.op, ast.Not))
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


def _top_level_colon(text: str) -> bool:
    # A `:` (a lambda's, or `:=`) outside every bracket of the text itself.
    if ":" not in text:
        return False
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            elif depth == 0 and token.type == tokenize.OP and token.string in (":", ":="):
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
    in_field: bool = False,
) -> bool:
    """Whether the expression ``text`` (binding at ``level``) must be parenthesised to
    replace a call in ``slot``.

    ``wrapped`` means the call sits in parentheses of its own (not those of an enclosing
    call's arguments, a class's bases or a ``with`` statement's items, which belong to
    that syntax: ``f(_("x", (n := 1)))`` needs ``f((n := 1))``); ``bracketed`` that it
    sits inside some bracket, where a line break of ``text`` is free; ``field_start``
    that the call's first character directly follows the ``{`` opening an f-string
    replacement field, with more of the field's expression after it (``f"{_("x",
    {1: 2})['a']}"``): a ``{`` there would make ``{{``, an escaped brace; ``in_field``
    that it lies anywhere inside an f-string field, where a ``:`` outside brackets
    (``lambda: 1``) would start the format spec: ``f"{_("x", lambda: 1), 2}"``."""
    if wrapped:
        return False
    if field_start and text.startswith("{"):
        return True
    if in_field and _top_level_colon(text):
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
