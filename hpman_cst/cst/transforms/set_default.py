"""``hpman set-default``: replace the default expression of every call site of a name."""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst

from ...quoting import restyle
from ..sites import ast_code
from ._common import SiteTransformer, with_outer_parens

__all__ = ["SetDefaultTransformer"]


class SetDefaultTransformer(SiteTransformer):
    """Replaces the default of each ``_("name", default, ...)`` with ``value``: written
    as given, or, with ``as_string``, as a string literal in the style of the default it
    replaces (``'sgd'`` -> ``'adam'``). Calls without a default are left alone."""

    def __init__(
        self,
        name: str,
        value: str,
        *,
        as_string: bool = False,
        placeholders: Collection[str] = ("_",),
    ) -> None:
        super().__init__(placeholders)
        self.name = name
        self.value = value
        self.as_string = as_string

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        shape = self.site(updated_node)
        if shape is None or shape.name != self.name or shape.default is None:
            return updated_node
        default = shape.default
        arg = next(a for a in updated_node.args if a.value is default)
        if self.as_string:
            text = restyle(self.value, like=ast_code(self.module, default))
        else:
            text = self.value
        new = self.parse_value(text)
        if arg.star:  # `*args` as a whole is the default
            new_arg = arg.with_changes(
                star="", whitespace_after_star=cst.SimpleWhitespace(""), value=new
            )
        else:
            new_arg = arg.with_changes(value=with_outer_parens(default, new))
        return updated_node.with_changes(
            args=[new_arg if a is arg else a for a in updated_node.args]
        )
