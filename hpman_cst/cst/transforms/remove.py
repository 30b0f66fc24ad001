"""``hpman remove``: inline a hyper-parameter away, each call becoming its default."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

import libcst as cst

from ...precedence import needs_parens
from ..precedence import cst_expression_level, cst_field_start, cst_in_field, cst_place
from ..sites import strip_parens
from ._common import Marked, SiteTransformer

__all__ = ["RemoveTransformer"]

CSTNodeT = TypeVar("CSTNodeT", bound=cst.CSTNode)

# The nodes that begin a line of their own and carry the comment lines before it.
_LINE_OWNERS = (
    cst.SimpleStatementLine,
    cst.BaseCompoundStatement,
    cst.Else,
    cst.Finally,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.MatchCase,
)


class _CommentFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.Comment] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found.append(node)


def _comments(node: cst.CSTNode) -> list[cst.Comment]:
    finder = _CommentFinder()
    node.visit(finder)
    return finder.found


class RemoveTransformer(SiteTransformer):
    """Replaces each ``_("name", default, **hints)`` by its default's source text, and
    each ``_("name")`` and ``_.get_value("name")`` by ``default`` (the name's default
    source text), parenthesised where the surrounding expression binds tighter. The
    comments of a removed call go on lines of their own before its statement (see
    :mod:`hpman_cst.comments`)."""

    def __init__(self, name: str, default: str, placeholders: Collection[str] = ("_",)) -> None:
        super().__init__(placeholders)
        self.name = name
        self.default = default
        self._parents: list[cst.CSTNode] = []
        self._attributes: list[str] = []
        self._owners: list[cst.CSTNode] = []
        self._kept: dict[int, list[str]] = {}  # id of a line owner -> comments to add

    # The parent and the attribute holding a call decide whether its default needs
    # parentheses, so keep the path from the module down to the current node.
    def on_visit(self, node: cst.CSTNode) -> bool:
        self._parents.append(node)
        if isinstance(node, _LINE_OWNERS):
            self._owners.append(node)
        return super().on_visit(node)

    def on_leave(
        self, original_node: CSTNodeT, updated_node: CSTNodeT
    ) -> CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[CSTNodeT]:
        try:
            result = super().on_leave(original_node, updated_node)
        finally:
            self._parents.pop()
        if isinstance(original_node, _LINE_OWNERS):
            self._owners.pop()
            kept = self._kept.pop(id(original_node), [])
            if kept and isinstance(result, _LINE_OWNERS):
                lines = [
                    cst.EmptyLine(comment=cst.Comment(text), newline=cst.Newline()) for text in kept
                ]
                return result.with_changes(leading_lines=[*result.leading_lines, *lines])
        return result

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self._attributes.append(attribute)
        super().on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        super().on_leave_attribute(original_node, attribute)
        self._attributes.pop()

    def _inlined(self, call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
        shape = self.site(call)
        if shape is not None:
            if shape.name != self.name:
                return None
            if shape.default is None:
                self._keep_comments(call, None)
                return self.parse_value(self.default), self.default
            if any(a.star for a in call.args if a.value is shape.default):
                return None  # `*args` cannot stand alone (the planner refuses it)
            value = strip_parens(shape.default)
            self._keep_comments(call, value)
            return value, self.code(value)
        api = self.api(call)
        if (
            api is not None
            and api.method == "get_value"
            and any(literal.name == self.name for literal in api.literals)
        ):
            self._keep_comments(call, None)
            return self.parse_value(self.default), self.default
        return None

    def _keep_comments(self, call: cst.Call, stays: cst.CSTNode | None) -> None:
        # The comments of `call` outside the part that stays, for its statement's line.
        staying = {id(c) for c in _comments(stays)} if stays is not None else set()
        inside = _comments(call.with_changes(lpar=(), rpar=()))  # its parentheses stay
        kept = [c.value.rstrip() for c in inside if id(c) not in staying]
        if kept and self._owners:
            self._kept.setdefault(id(self._owners[-1]), []).extend(kept)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        # Marked: the default may need a space from its neighbours (`1if` -> `1 if`).
        inlined = self._inlined(updated_node)
        if inlined is None:
            return updated_node
        value, text = inlined
        slot, bracketed = cst_place(self._parents, self._attributes)
        wrap = needs_parens(
            text,
            cst_expression_level(value),
            slot,
            bool(updated_node.lpar),
            bracketed=bracketed,
            field_start=cst_field_start(self._parents, self._attributes),
            in_field=cst_in_field(self._parents),
        )
        inner_left = [cst.LeftParen()] if wrap else []
        inner_right = [cst.RightParen()] if wrap else []
        value = value.with_changes(
            lpar=[*inner_left, *value.lpar], rpar=[*value.rpar, *inner_right]
        )
        # The call's own parentheses lie outside the edited span (as in `ast`).
        return Marked(value, self.marker, lpar=updated_node.lpar, rpar=updated_node.rpar)
