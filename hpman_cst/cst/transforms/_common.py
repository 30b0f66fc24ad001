"""What the transformers share: finding sites by the one matching rule, parentheses that
lie outside a node's ``ast`` span, and new expressions in the module's newline style."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import cast

import libcst as cst
from libcst._nodes.expression import ExpressionPosition
from libcst._nodes.internal import CodegenState

from ...matching import CallShape
from ...spacing import unmark
from ..sites import ApiCall, api_literals, call_shape, strip_parens

__all__ = ["Marked", "SiteTransformer", "parse_value", "render", "with_outer_parens"]

_NEWLINE = re.compile(r"\r\n|\r|\n")


class SiteTransformer(cst.CSTTransformer):
    """Base: remembers the module (for code and newlines)."""

    def __init__(self, placeholders: Collection[str] = ("_",)) -> None:
        super().__init__()
        self.placeholders = frozenset(placeholders)
        self.module = cst.Module(body=())
        #: Marks the edges of new text in the output (see :func:`render`).
        self.marker = "\ue000"

    def visit_Module(self, node: cst.Module) -> bool:
        self.module = node
        return True

    def code(self, node: cst.CSTNode) -> str:
        """The exact source text of ``node``."""
        return self.module.code_for_node(node)

    def site(self, call: cst.Call) -> CallShape[cst.BaseExpression] | None:
        """The shape of ``call`` if it is a well-formed call site."""
        found = call_shape(call, self.placeholders)
        if found is None or not isinstance(found[1], CallShape):
            return None
        return found[1]

    def api(self, call: cst.Call) -> ApiCall | None:
        """The names a manager API call writes; ``None`` for any other call."""
        return api_literals(call, self.placeholders, self.module)

    def parse_value(self, text: str) -> cst.BaseExpression:
        """``text`` as an expression, its line breaks in the module's newline style."""
        return parse_value(text, self.module.default_newline)


def parse_value(text: str, newline: str) -> cst.BaseExpression:
    """Parse ``text`` as an expression after converting its line breaks to ``newline``
    (libcst prints a parsed node's line breaks in the host module's default style).

    The text is parsed inside parentheses, as it stood inside a call (``1 +`` and ``2``
    may be on two lines there), and comes back without them."""
    wrapped = cst.parse_expression(f"({newline}{_NEWLINE.sub(newline, text)}{newline})")
    return cast(cst.BaseExpression, strip_parens(wrapped).visit(_Verbatim()))


class _Verbatim(cst.CSTTransformer):
    """Continuation lines printed as written: libcst would put the indentation of the
    block the new text lands in before each of them, where the splice (the text as
    written, valid inside brackets at any indentation) does not."""

    def leave_ParenthesizedWhitespace(
        self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace
    ) -> cst.ParenthesizedWhitespace:
        return updated_node.with_changes(indent=False)


def with_outer_parens(old: cst.BaseExpression, new: cst.BaseExpression) -> cst.BaseExpression:
    """``new`` inside the parentheses of ``old`` that ``ast`` leaves outside ``old``'s
    span (so that replacing the span's text and replacing the node agree)."""
    kept = len(getattr(strip_parens(old), "lpar", ()))
    outer_left = list(old.lpar[: len(old.lpar) - kept])
    outer_right = list(old.rpar[kept:])
    return new.with_changes(
        lpar=[*outer_left, *new.lpar],
        rpar=[*new.rpar, *outer_right],
    )


@dataclass(frozen=True)
class Marked(cst.BaseExpression):
    """``value`` printed between two markers, where :func:`render` puts the space a
    token boundary needs (:mod:`hpman_cst.spacing`): an expression that takes the place
    of a call loses the call's ``)``, which kept it apart from a following keyword."""

    value: cst.BaseExpression
    marker: str
    lpar: Sequence[cst.LeftParen] = ()
    rpar: Sequence[cst.RightParen] = ()

    def _visit_and_replace_children(self, visitor: cst.CSTVisitorT) -> Marked:
        value = self.value.visit(visitor)
        if not isinstance(value, cst.BaseExpression):  # pragma: no cover - never removed
            raise TypeError("a marked expression cannot be removed")
        return Marked(value=value, marker=self.marker, lpar=self.lpar, rpar=self.rpar)

    def _safe_to_use_with_word_operator(self, position: ExpressionPosition) -> bool:
        return True  # render() adds the space where one is needed

    def _codegen_impl(self, state: CodegenState) -> None:
        with self._parenthesize(state):
            state.add_token(self.marker)
            self.value._codegen(state)
            state.add_token(self.marker)


def render(module: cst.Module, transformer: cst.CSTTransformer, marker: str) -> str:
    """The code of ``module`` visited by ``transformer``, with a space where new text
    would run into its neighbours; ``marker`` must not occur in the module's code."""
    if isinstance(transformer, SiteTransformer):
        transformer.marker = marker
    return unmark(module.visit(transformer).code, marker)
