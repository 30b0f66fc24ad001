"""Whether the names a literal default uses mean the builtins where it is inlined.

``ast.literal_eval`` takes ``set()`` for the empty set: the default's value is the
builtin's, whatever ``set`` means where the default is written. ``hpman remove`` writes
the text ``set()`` in place of each call; where ``set`` is bound to something else (an
assignment, an import, a ``def`` or ``class``, a parameter, a loop or comprehension
variable... in a scope that the call sees), the text would mean something else, so the
call is refused there. The check is conservative: a binding anywhere in a scope counts,
before or after the call, and a ``from ... import *`` may bind anything.
"""

from __future__ import annotations

import ast

from .exceptions import RefactorRefused
from .literals import parse_expression
from .records import Span
from .source import SourceText

__all__ = ["Bindings", "names_used"]

_ANYTHING = "*"  # a star import binds names nobody can list


def names_used(text: str) -> frozenset[str]:
    """The names the expression ``text`` reads (``set`` in ``set()``)."""
    try:
        node = parse_expression(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    return frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))


class _Scope:
    def __init__(self, kind: str, parent: _Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.names: dict[str, int] = {}  # name -> the first line binding it

    def visible(self) -> list[_Scope]:
        """This scope and the enclosing ones whose names it sees (a class body's names
        are not seen from the functions and comprehensions inside it)."""
        chain: list[_Scope] = [self]
        scope = self.parent
        while scope is not None:
            if scope.kind != "class":
                chain.append(scope)
            scope = scope.parent
        return chain


class Bindings(ast.NodeVisitor):
    """The scopes of one module, and the scope each expression of it is in."""

    def __init__(self, tree: ast.Module, source: SourceText) -> None:
        self.source = source
        self.module = _Scope("module", None)
        self.current = self.module
        self.expressions: dict[Span, _Scope] = {}
        self.visit(tree)

    def check(self, span: Span, names: frozenset[str], default: str) -> None:
        """Raise :class:`RefactorRefused` when one of ``names`` may be bound in a scope
        that the expression at ``span`` (a call, a default) sees."""
        scope = self.expressions.get(span, self.module)
        for seen in scope.visible():
            for name in sorted(names):
                line = seen.names.get(name, seen.names.get(_ANYTHING))
                if line is None:
                    continue
                how = "may be rebound by the star import" if name not in seen.names else "is bound"
                raise RefactorRefused(
                    f"cannot write `{default}` here: `{name}` {how} at line {line}, in a scope"
                    f" seen from here, so it would not mean the builtin `{name}`; edit this"
                    " call by hand",
                    line=span.line,
                    column=span.column,
                )

    # ------------------------------------------------------------------ bindings

    def _bind(self, name: str, node: ast.AST, scope: _Scope | None = None) -> None:
        (scope or self.current).names.setdefault(name, getattr(node, "lineno", 0))

    def _enter(self, kind: str) -> _Scope:
        self.current = _Scope(kind, self.current)
        return self.current

    def _leave(self, scope: _Scope) -> None:
        self.current = scope.parent or self.module

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._bind(node.id, node)

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.expr):
            self.expressions.setdefault(self.source.span_of(node), self.current)
        super().visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._bind(alias.asname or alias.name.split(".")[0], node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self._bind(alias.asname or alias.name, node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            self._bind(name, node)
            self._bind(name, node, self.module)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        for name in node.names:
            self._bind(name, node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self._bind(node.name, node)
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        # match patterns bind names as plain strings (MatchAs, MatchStar, MatchMapping).
        for field in ("name", "rest"):
            value = getattr(node, field, None)
            if isinstance(value, str) and type(node).__name__.startswith("Match"):
                self._bind(value, node)
        super().generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        # In a comprehension it binds in the enclosing function: count both.
        self.visit(node.value)
        scope: _Scope | None = self.current
        while scope is not None:
            self._bind(node.target.id, node, scope)
            if scope.kind != "comprehension":
                break
            scope = scope.parent

    # ------------------------------------------------------------------ scopes

    def _arguments(self, args: ast.arguments) -> None:
        # Defaults and annotations belong to the enclosing scope; parameters to the new.
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)

    def _parameters(self, args: ast.arguments) -> None:
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                self._bind(arg.arg, arg)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._bind(node.name, node)
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._arguments(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        scope = self._enter("function")
        self._parameters(node.args)
        for statement in node.body:
            self.visit(statement)
        self._leave(scope)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._arguments(node.args)
        scope = self._enter("function")
        self._parameters(node.args)
        self.visit(node.body)
        self._leave(scope)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind(node.name, node)
        for child in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(child)
        scope = self._enter("class")
        for statement in node.body:
            self.visit(statement)
        self._leave(scope)

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        # The first iterable is evaluated in the enclosing scope, the rest in the new one.
        self.visit(node.generators[0].iter)
        scope = self._enter("comprehension")
        for number, generator in enumerate(node.generators):
            self.visit(generator.target)
            if number:
                self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self._leave(scope)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node)

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node)

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node)

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node)
