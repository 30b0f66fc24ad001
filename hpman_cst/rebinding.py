"""The gettext rule: in a module that binds a placeholder's name to something other than
a hyper-parameter manager (``from gettext import gettext as _``, ``_ = t.gettext``,
``def _(...)``, ``class _``, ``import x as _``), calls of that placeholder are not
hyper-parameter call sites. A name imported under its own name from another module
(``from .hparams import _``, the way a project re-exports its manager) is not counted,
except from ``gettext``.

Only bindings at module level count (inside ``if``/``try``/``with``/loops at module level
too, but not inside a function or class body, where ``_`` is a local throwaway), and only
those that bind the bare name: a loop variable, a tuple target or ``except ... as _`` is a
throwaway wherever it is. A module that also binds the name to a manager (``from
hpman_cst.m import _``, ``from hpman.m import _``, ``_ = HyperParameterManager("_")``)
keeps its calls. The ``ast`` index applies the rule, so the CLI, the runtime's
``parse_file`` and the rewrites (which skip the placeholders the index names) agree.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Sequence

__all__ = ["MANAGER_MODULES", "rebound"]

#: Modules whose names, imported, are managers (or their class).
MANAGER_MODULES = frozenset({"hpman", "hpman.m", "hpman_cst", "hpman_cst.m"})
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def rebound(tree: ast.Module, placeholders: Collection[str]) -> dict[str, tuple[ast.stmt, str]]:
    """For each of ``placeholders`` that ``tree`` binds at module level to something
    other than a manager, and never to a manager: the first such statement and what it
    binds the name to (``"`gettext` from `gettext`"``, ``"a function"``, ...)."""
    foreign: dict[str, tuple[ast.stmt, str]] = {}
    managers: set[str] = set()
    for statement in _module_level(tree.body):
        for name, what in _bindings(statement, managers):
            if what is None:
                managers.add(name)
            elif name in placeholders and name not in foreign:
                foreign[name] = (statement, what)
    return {name: found for name, found in foreign.items() if name not in managers}


def _module_level(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    # Every statement that runs at module level, in source order: compound statements'
    # blocks are entered, function and class bodies are not.
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        yield statement
        if isinstance(statement, _DEFINITIONS):
            continue
        blocks: list[ast.stmt] = []
        for field in ("body", "orelse", "finalbody"):
            value = getattr(statement, field, None)
            if isinstance(value, list):
                blocks += value
        for handler in getattr(statement, "handlers", ()):
            blocks += handler.body
        for case in getattr(statement, "cases", ()):
            blocks += case.body
        stack += reversed(blocks)


def _bindings(statement: ast.stmt, managers: Collection[str]) -> Iterator[tuple[str, str | None]]:
    """``(name, what)`` for each name ``statement`` binds directly; ``what`` is ``None``
    when it is bound to a manager."""
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            yield alias.asname or alias.name.partition(".")[0], f"the module `{alias.name}`"
    elif isinstance(statement, ast.ImportFrom):
        module = "." * statement.level + (statement.module or "")
        for alias in statement.names:
            name = alias.asname or alias.name
            if module in MANAGER_MODULES:
                yield name, None
            elif name != alias.name or module == "gettext":
                yield name, f"`{alias.name}` from `{module}`"
            # `from .hparams import _` is how a project re-exports its own manager: that
            # name imported as itself is not taken for something else.
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield statement.name, "a function"
    elif isinstance(statement, ast.ClassDef):
        yield statement.name, "a class"
    elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        what = None if _is_manager(statement.value, managers) else "another value"
        for target in targets:
            if isinstance(target, ast.Name):
                yield target.id, what


def _is_manager(value: ast.expr, managers: Collection[str]) -> bool:
    # `HyperParameterManager(...)` (any spelling of its module, or a name imported from
    # one), `hpman.m._`, or a name already bound to a manager.
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name) and func.id in managers:
            return True
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        return name == "HyperParameterManager"
    if isinstance(value, ast.Attribute):
        return _dotted(value.value) in MANAGER_MODULES
    return isinstance(value, ast.Name) and value.id in managers


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None
