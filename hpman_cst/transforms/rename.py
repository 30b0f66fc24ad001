"""``hpman rename``: give every call site of a name (or of a dotted group) a new name."""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

import libcst as cst

from ..cst_sites import ast_code
from ..quoting import restyle
from ._common import SiteTransformer, with_outer_parens

__all__ = ["RenameTransformer", "renamed"]


def renamed(name: str, old: str, new: str) -> str | None:
    """The new name of ``name`` when ``old`` becomes ``new``: ``old`` itself and every
    name in the ``old.`` group (``optim`` renames ``optim.lr``, not ``optimizer``);
    ``None`` for any other name."""
    if name == old:
        return new
    if name.startswith(old + "."):
        return new + name[len(old) :]
    return None


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
        if shape is not None:
            literals = [(shape.name, shape.name_node)]
        else:
            literals = self.api(updated_node)[1]
        result = updated_node
        for name, node in literals:
            target = renamed(name, self.old, self.new)
            if target is None:
                continue
            literal = cst.SimpleString(restyle(target, like=ast_code(self.module, node)))
            result = cast(cst.Call, result.deep_replace(node, with_outer_parens(node, literal)))
            self.edits += 1
        return result
