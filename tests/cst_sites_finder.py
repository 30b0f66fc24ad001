"""The call sites of a module as libcst nodes, found by the one matching rule: the
differential tests hold them equal to the ``ast`` index's. Test-only (the rewrite path
finds its sites with the transformers of ``hpman_cst.transforms``); the printing of a
node inside indented blocks needs libcst's private ``CodegenState``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState

from hpman_cst.cst.sites import (
    ApiLiteral,
    CstArg,
    ParsedModule,
    api_literals,
    ast_code,
    call_shape,
    parse_text,
    strip_parens,
)
from hpman_cst.literals import Unhashable, evaluate_text
from hpman_cst.matching import CallShape, ShapeProblem, hint_problem
from hpman_cst.rebinding import rebound
from hpman_cst.records import Marker, ProblemCode
from hpman_cst.source import ast_parse, decode

__all__ = [
    "CstApiRef",
    "CstProblem",
    "CstSite",
    "CstSites",
    "default_code",
    "find_sites",
    "indented_code",
    "parse_bytes",
]


def indented_code(module: cst.Module, node: cst.BaseExpression, indent: Sequence[str] = ()) -> str:
    """The source text ``ast`` would give for ``node`` (:func:`ast_code`), inside blocks.

    ``indent`` is the indentation of the blocks around ``node`` (:attr:`CstSite.indent`):
    libcst leaves it out of a continuation line inside brackets when it prints a node on
    its own, so a multi-line default in a function body would lose it."""
    if not indent:
        return ast_code(module, node)
    state = CodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        indent_tokens=list(indent),
    )
    strip_parens(node)._codegen(state)
    return "".join(state.tokens)


def default_code(module: cst.Module, site: CstSite) -> str | None:
    """The source text of a site's default as the index records it (``*args`` for a
    starred one, whose star libcst keeps on the argument); ``None`` without a default."""
    if site.default is None:
        return None
    arg = site.default_arg
    if arg is not None and arg.star == "*":
        return (
            "*" + module.code_for_node(arg.whitespace_after_star) + module.code_for_node(arg.value)
        )
    return indented_code(module, site.default, site.indent)


@dataclass(frozen=True, eq=False)
class CstSite:
    """A well-formed call site: ``_("name", default, **hints)`` as libcst nodes."""

    call: cst.Call
    placeholder: str
    name: str
    name_node: cst.BaseExpression
    default: cst.BaseExpression | None
    default_arg: cst.Arg | None
    hints: tuple[CstArg, ...]
    value: object = Marker.NO_DEFAULT
    hint_values: tuple[tuple[str | None, object], ...] = ()
    indent: tuple[str, ...] = ()  # of the blocks around the call, outermost first


@dataclass(frozen=True, eq=False)
class CstApiRef:
    """A name written in a call of the manager's API (see :class:`records.ApiRef`)."""

    call: cst.Call
    placeholder: str
    method: str
    literal: ApiLiteral

    @property
    def name(self) -> str:
        return self.literal.name


@dataclass(frozen=True, eq=False)
class CstProblem:
    """A call site the matching rule rejects; ``node`` is where the problem is."""

    code: ProblemCode
    message: str
    node: cst.CSTNode
    placeholder: str = "_"


@dataclass(frozen=True, eq=False)
class CstSites:
    """Everything :func:`find_sites` found in one module, each kind in source order."""

    module: cst.Module
    sites: tuple[CstSite, ...] = ()
    api_refs: tuple[CstApiRef, ...] = ()
    problems: tuple[CstProblem, ...] = field(default=())
    #: ``(placeholder, method)`` of each API argument whose names are not literals.
    dynamic_refs: tuple[tuple[str, str], ...] = ()


class _SiteFinder(cst.CSTVisitor):
    def __init__(self, module: cst.Module, placeholders: frozenset[str]) -> None:
        super().__init__()
        self.module = module
        self.placeholders = placeholders
        self.sites: list[CstSite] = []
        self.api_refs: list[CstApiRef] = []
        self.dynamic_refs: list[tuple[str, str]] = []
        self.problems: list[CstProblem] = []
        self.indent: list[str] = []

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indent.append(self.module.default_indent if node.indent is None else node.indent)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self.indent.pop()

    def visit_Call(self, node: cst.Call) -> None:
        found = call_shape(node, self.placeholders)
        if found is not None:
            self._site(node, *found)
            return
        api = api_literals(node, self.placeholders, self.module)
        if api is not None:
            for literal in api.literals:
                self.api_refs.append(CstApiRef(node, api.placeholder, api.method, literal))
            self.dynamic_refs += [(api.placeholder, api.method)] * api.dynamic

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def _site(
        self, call: cst.Call, placeholder: str, shape: CallShape[cst.BaseExpression] | ShapeProblem
    ) -> None:
        if isinstance(shape, ShapeProblem):
            self.problems.append(CstProblem(shape.code, shape.message, call, placeholder))
            return
        value: object = Marker.NO_DEFAULT
        default_arg: cst.Arg | None = None
        if shape.default is not None:
            default_arg = next(a for a in call.args if a.value is shape.default)
            starred = default_arg.star == "*"  # `*args` is never a literal
            value = Marker.NOT_LITERAL if starred else evaluate_text(self.code(shape.default))
            if isinstance(value, Unhashable):
                message = f"default is not a valid literal: {value.reason}"
                unhashable = CstProblem(ProblemCode.UNHASHABLE, message, shape.default, placeholder)
                self.problems.append(unhashable)
                value = Marker.NOT_LITERAL
        hint_values: list[tuple[str | None, object]] = []
        for arg in shape.hints:
            hint = evaluate_text(self.code(arg.node))
            if isinstance(hint, (Marker, Unhashable)):
                problem = hint_problem(arg)
                self.problems.append(
                    CstProblem(problem.code, problem.message, arg.node, placeholder)
                )
            else:
                hint_values.append((arg.keyword, hint))
        self.sites.append(
            CstSite(
                call=call,
                placeholder=placeholder,
                name=shape.name,
                name_node=shape.name_node,
                default=shape.default,
                default_arg=default_arg,
                hints=shape.hints,
                value=value,
                hint_values=tuple(hint_values),
                indent=tuple(self.indent),
            )
        )


def find_sites(module: cst.Module, placeholders: str | Collection[str] = "_") -> CstSites:
    """Every call site, manager API reference and rejected call site in ``module``, in
    source order. Raises :class:`RecursionError` only for absurdly deep nesting."""
    wanted = frozenset({placeholders} if isinstance(placeholders, str) else placeholders)
    finder = _SiteFinder(module, wanted)
    module.visit(finder)
    found = CstSites(
        module,
        tuple(finder.sites),
        tuple(finder.api_refs),
        tuple(finder.problems),
        tuple(finder.dynamic_refs),
    )
    if found.sites or found.api_refs or found.problems or found.dynamic_refs:
        # The gettext rule, decided by the one function the index also uses.
        used = {s.placeholder for s in found.sites} | {p.placeholder for p in found.problems}
        used |= {r.placeholder for r in found.api_refs} | {d[0] for d in found.dynamic_refs}
        foreign = rebound(ast_parse(module.code), used)
        if foreign:
            found = CstSites(
                module,
                tuple(s for s in found.sites if s.placeholder not in foreign),
                tuple(r for r in found.api_refs if r.placeholder not in foreign),
                tuple(p for p in found.problems if p.placeholder not in foreign),
                tuple(d for d in found.dynamic_refs if d[0] not in foreign),
            )
    return found


def parse_bytes(data: bytes, path: str = "<unknown>") -> ParsedModule:
    """Decode ``data`` as Python does (BOM, coding cookie), then :func:`parse_text`.

    Raises :class:`~hpman_cst.exceptions.SourceDecodeError`,
    :class:`~hpman_cst.cst.sites.CstParseError` or :class:`~hpman_cst.cst.sites.RoundTripError`.
    """
    text, encoding = decode(data, path)
    return parse_text(text, path, encoding)
