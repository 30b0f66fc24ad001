"""``hpman migrate``: the module names of hpman and hpargparse imports, as hpman-cst's.

Which import becomes what is decided by :func:`hpman_cst.migrate.import_target` and
:func:`~hpman_cst.migrate.from_target` (one rule for the planner and this transformer);
this transformer places the change on libcst's nodes, independently of the planner's
text spans, so that the two results can be compared."""

from __future__ import annotations

import unicodedata

import libcst as cst
from libcst.helpers import get_full_name_for_node

from ...migrate import from_target, import_target

__all__ = ["MigrateTransformer"]


def _nfkc(name: str) -> str:
    return unicodedata.normalize("NFKC", name)  # as Python reads identifiers


def _dotted(module: str) -> cst.Attribute | cst.Name:
    first, *rest = module.split(".")
    node: cst.Attribute | cst.Name = cst.Name(first)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


class MigrateTransformer(cst.CSTTransformer):
    """Rewrites ``import hpman...``/``import hpargparse...`` aliases and the module of
    ``from hpman... import ...`` statements."""

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        aliases = []
        for alias in updated_node.names:
            asname = alias.asname.name if alias.asname is not None else None
            bound = asname.value if isinstance(asname, cst.Name) else None
            dotted = _nfkc(get_full_name_for_node(alias.name) or "")
            rewrite = import_target(dotted, bound)
            if rewrite is not None:
                module, new_asname = rewrite
                alias = alias.with_changes(name=_dotted(module))
                if alias.asname is None and new_asname is not None:
                    alias = alias.with_changes(asname=cst.AsName(name=cst.Name(new_asname)))
            aliases.append(alias)
        return updated_node.with_changes(names=aliases)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        module = updated_node.module
        dotted = _nfkc(get_full_name_for_node(module) or "") if module is not None else None
        if isinstance(updated_node.names, cst.ImportStar):
            names = ["*"]
        else:
            names = [_nfkc(get_full_name_for_node(a.name) or "") for a in updated_node.names]
        new = from_target(dotted, len(updated_node.relative), names)
        if new is None:
            return updated_node
        return updated_node.with_changes(module=_dotted(new))
