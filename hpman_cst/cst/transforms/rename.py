"""``hpman rename``: give every call site of a name (or of a dotted group) a new name."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar, cast

import libcst as cst

from ...quoting import restyle
from ...records import RefForm
from ...refactor.names import renamed, renamed_key
from ..sites import ast_code
from ._common import SiteTransformer, with_outer_parens

__all__ = ["RenameTransformer"]

CSTNodeT = TypeVar("CSTNodeT", bound=cst.CSTNode)


class RenameTransformer(SiteTransformer):
    """Rewrites the name literal of ``_("old...", ...)`` call sites and of the manager's
    API calls (``_.get_value("old")``, keys of ``_.set_values({...})``, ...), keeping
    each literal's prefix and quotes; an implicit concatenation becomes one literal."""

    def __init__(self, old: str, new: str, placeholders: Collection[str] = ("_",)) -> None:
        super().__init__(placeholders)
        self.old = old
        self.new = new

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        shape = self.site(updated_node)
        literals: list[tuple[str | None, cst.BaseExpression, bool]] = []
        if shape is not None:
            target = renamed(shape.name, self.old, self.new)
            literals.append((target, shape.name_node, False))
        else:
            api = self.api(updated_node)
            for literal in api.literals if api is not None else ():
                key = renamed_key(literal.name, literal.scope, self.old, self.new)
                literals.append((key, literal.node, literal.form is RefForm.IDENTIFIER))
        new_nodes: dict[cst.CSTNode, cst.CSTNode] = {}
        for text, node, identifier in literals:
            if text is None:
                continue
            new: cst.BaseExpression
            if identifier:
                new = cst.Name(text)
            else:
                string = cst.SimpleString(restyle(text, like=ast_code(self.module, node)))
                new = with_outer_parens(node, string)
            new_nodes[node] = new
        if not new_nodes:
            return updated_node
        # All at once: a replacement rebuilds every node around it, so the literals of a
        # second key (`_.set_values({"optim.lr": 1, "optim.momentum": 2})`) would no
        # longer be found in the result of a first replacement.
        return cast(cst.Call, updated_node.visit(_Replace(new_nodes)))


class _Replace(cst.CSTTransformer):
    """Replaces the nodes that are keys of ``new_nodes`` (by identity) with their values."""

    def __init__(self, new_nodes: dict[cst.CSTNode, cst.CSTNode]) -> None:
        super().__init__()
        self.new_nodes = {id(old): new for old, new in new_nodes.items()}

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) not in self.new_nodes

    def on_leave(
        self, original_node: CSTNodeT, updated_node: CSTNodeT
    ) -> CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[CSTNodeT]:
        return cast(CSTNodeT, self.new_nodes.get(id(original_node), updated_node))
