"""The rewrite path's view of call sites: the same sites as the ``ast`` index, as libcst
nodes.

Only files a rewrite changes are parsed here (libcst is about ten times slower than
``ast``, and position metadata fifty times), so nothing on this path computes positions:
sites come out in source order, which is how they line up with the index.

The transformers adapt libcst arguments to :class:`matching.Arg` here
(:func:`call_shape`, :func:`api_literals`) and let :func:`matching.classify` decide,
exactly as :mod:`hpman_cst.index` does with ``ast``; identifiers are NFKC-normalised as
Python does (``＿`` is ``_``). The visitor that lists every site of a module for the
differential tests is ``tests/cst_sites_finder.py``.
"""

from __future__ import annotations

import ast
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar, Union

import libcst as cst

from ..exceptions import RewriteError
from ..literals import Unhashable, evaluate_text
from ..matching import (
    DICT_ANNOTATION,
    ApiRole,
    Arg,
    ArgKind,
    CallShape,
    ShapeProblem,
    bind_api_arguments,
    classify,
    scoped,
)
from ..records import Marker, RefForm
from ..source import ast_parse

__all__ = [
    "ApiCall",
    "ApiLiteral",
    "CstParseError",
    "ParsedModule",
    "RoundTripError",
    "TooDeep",
    "api_literals",
    "ast_code",
    "call_shape",
    "deeply",
    "first_difference_line",
    "parse_text",
    "string_value",
    "strip_parens",
]

CstArg = Arg[cst.BaseExpression]


# What a refusal of libcst's says to do.
_BY_HAND = (
    "; nothing was changed: libcst proves every rewrite, so edit the call sites of this"
    " file by hand (or the statement at this line, so that libcst reads it) and run the"
    " command again"
)


class CstParseError(RewriteError):
    """libcst cannot parse a file (which ``ast`` may well accept)."""


class RoundTripError(RewriteError):
    """libcst parses a file but does not print it back byte for byte."""


class TooDeep(RewriteError):
    """libcst ran out of recursion on a deeply nested node (a long implicit
    concatenation of strings is a chain of nodes as deep as it has parts)."""


class TooDeepToParse(CstParseError, TooDeep):
    """libcst could not parse a file for want of recursion."""


class TooDeepToPrint(RoundTripError, TooDeep):
    """libcst could not print a file for want of recursion."""


# libcst visits and prints a node's children by recursion: an implicit concatenation of
# 3,000 strings needs about 30,000 frames, far beyond Python's default limit of 1,000. A
# thread with a stack this large gives the recursion room on every Python version (before
# 3.11 each Python call also takes C stack).
_DEEP_LIMIT = 200_000
_DEEP_STACK = 1 << 30

T = TypeVar("T")


def deeply(call: Callable[[], T]) -> T:
    """``call()`` in a thread with a deep stack and a recursion limit to match: for a file
    that libcst cannot handle within the default limit. Exceptions pass through."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _DEEP_LIMIT))
        try:
            outcome.append(call())
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)
        finally:
            sys.setrecursionlimit(limit)

    size = threading.stack_size(_DEEP_STACK)
    try:
        thread = threading.Thread(target=run, name="hpman-deep")
        thread.start()
    finally:
        threading.stack_size(size)
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


@dataclass(frozen=True)
class ParsedModule:
    """A file parsed by libcst: the module, the decoded text it prints back exactly, and
    the encoding to write it back with (``utf-8-sig`` keeps a BOM)."""

    module: cst.Module
    text: str
    encoding: str


def parse_text(text: str, path: str = "<unknown>", encoding: str = "utf-8") -> ParsedModule:
    """Parse decoded source with libcst and prove the round trip is exact.

    Raises :class:`CstParseError` when libcst cannot parse ``text`` and
    :class:`RoundTripError` when ``module.code != text`` (libcst drops a trailing ``\\r``
    of old-Mac files and the blank before ``:`` in ``except X :``, for instance).
    """
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise CstParseError(
            f"libcst cannot parse this file: {exc.message}{_BY_HAND}",
            path=path,
            line=exc.raw_line,
            column=exc.raw_column,
        ) from None
    except (RecursionError, MemoryError):
        raise TooDeepToParse(
            "libcst cannot parse this file: too deeply nested" + _BY_HAND, path=path
        ) from None
    try:
        printed = module.code
    except RecursionError:
        raise TooDeepToPrint(
            "libcst cannot print this file: too deeply nested" + _BY_HAND, path=path
        ) from None
    if printed != text:
        line = first_difference_line(text, printed)
        raise RoundTripError(
            "libcst does not print this file back unchanged (at this line)" + _BY_HAND,
            path=path,
            line=line,
        )
    return ParsedModule(module, text, encoding)


_LINE_END = re.compile(r"\r\n|\r|\n")


def first_difference_line(a: str, b: str) -> int:
    """The line (1-based, lines ending as Python ends them) of ``a`` where ``a`` and
    ``b`` first differ."""
    index = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return len(_LINE_END.findall(a, 0, index)) + 1


def _identifier(name: str) -> str:
    # Python NFKC-normalises identifiers while parsing; libcst keeps the spelling.
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a ``str`` literal, implicit concatenation included; ``None`` for
    anything else (bytes, f-strings or a concatenation with an f-string part, ...)."""
    if isinstance(node, cst.SimpleString):
        if "b" in node.prefix.lower():
            return None
        value = ast.literal_eval(ast_parse(node.value, mode="eval"))
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left = string_value(node.left)
        right = string_value(node.right) if left is not None else None
        return None if right is None or left is None else left + right
    return None


def _arguments(call: cst.Call) -> list[CstArg]:
    args: list[CstArg] = []
    for arg in call.args:
        if arg.star == "*":
            args.append(Arg(ArgKind.STARRED, arg.value))
        elif arg.star == "**":
            args.append(Arg(ArgKind.DOUBLE_STARRED, arg.value))
        elif arg.keyword is not None:
            args.append(Arg(ArgKind.KEYWORD, arg.value, _identifier(arg.keyword.value)))
        else:
            args.append(Arg(ArgKind.POSITIONAL, arg.value))
    return args


def call_shape(
    call: cst.Call, placeholders: Collection[str]
) -> tuple[str, CallShape[cst.BaseExpression] | ShapeProblem] | None:
    """``(placeholder, shape or problem)`` when ``call`` is a call site, else ``None``."""
    func = call.func
    if not isinstance(func, cst.Name):
        return None
    placeholder = _identifier(func.value)
    if placeholder not in placeholders:
        return None
    return placeholder, classify(_arguments(call), string_value, placeholder)


@dataclass(frozen=True, eq=False)
class ApiLiteral:
    """One name written in a manager API call (see :class:`records.ApiRef`): the full
    ``name``, the node that writes its part below ``scope`` (a string literal, or the
    ``cst.Name`` of a ``dict(lr=...)`` keyword), its form and whether it is a group."""

    name: str
    node: cst.BaseExpression
    form: RefForm
    scope: str = ""
    group: bool = False


@dataclass(frozen=True, eq=False)
class ApiCall:
    """A manager API call's literals (:class:`ApiLiteral`) in source order, and how many
    of its arguments stand for names that are not literals."""

    placeholder: str
    method: str
    literals: tuple[ApiLiteral, ...]
    dynamic: int


def api_literals(
    call: cst.Call, placeholders: Collection[str], module: cst.Module
) -> ApiCall | None:
    """The names a manager API call (``_.get_value("lr")``, ``_.set_tree({"optim": {"lr":
    1}})``, ...) writes, found by the same rule as :mod:`hpman_cst.index`; ``None`` for any
    other call."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
        return None
    placeholder = _identifier(func.value.value)
    if placeholder not in placeholders:
        return None
    method = _identifier(func.attr.value)
    args = _arguments(call)
    bound = bind_api_arguments(method, args)
    if not bound:
        return None
    finder = _ApiFinder(module)
    prefix: str | None = ""
    for param, arg in bound:
        if param.role is ApiRole.PREFIX and param.position:  # set_tree's prefix
            prefix = None if arg is None else string_value(arg.node)
    positions = {id(a): i for i, a in enumerate(args)}
    for param, arg in sorted(bound, key=lambda b: -1 if b[1] is None else positions[id(b[1])]):
        if arg is None:
            finder.dynamic += 1
            continue
        form = RefForm.KEYWORD if arg.kind is ArgKind.KEYWORD else RefForm.ARGUMENT
        if param.role in (ApiRole.NAME, ApiRole.PREFIX):
            finder.name(arg.node, form, group=param.role is ApiRole.PREFIX)
        elif param.role is ApiRole.MAPPING:
            finder.mapping(arg.node, "", nested=False)
        elif prefix is not None:
            finder.mapping(arg.node, prefix, nested=True)
    return ApiCall(placeholder, method, tuple(finder.literals), finder.dynamic)


class _ApiFinder:
    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.literals: list[ApiLiteral] = []
        self.dynamic = 0

    def name(self, node: cst.BaseExpression, form: RefForm, *, group: bool) -> None:
        name = string_value(node)
        if name is None:
            self.dynamic += 1
        elif name or not group:
            self.literals.append(ApiLiteral(name, node, form, "", group))

    def mapping(self, node: cst.BaseExpression, scope: str, *, nested: bool) -> None:
        items = _mapping_items(node)
        if items is None:
            self.dynamic += 1
            return
        for key, value in items:
            if key is None:  # `**other`
                self.dynamic += 1
                continue
            if isinstance(key, cst.Name):
                name: str | None = _identifier(key.value)
                form = RefForm.IDENTIFIER
            else:
                name = string_value(key)
                form = RefForm.KEY
            if name is None:
                self.dynamic += 1
                continue
            if nested and name == DICT_ANNOTATION:
                continue
            full = scoped(scope, name)
            subtree = nested and _is_subtree(value)
            literal = evaluate_text(self.module.code_for_node(value))
            group = nested and (subtree or isinstance(literal, (Marker, Unhashable)))
            self.literals.append(ApiLiteral(full, key, form, scope, group))
            if subtree:
                self.mapping(value, full, nested=True)


_Items = list[tuple[Union[cst.BaseExpression, cst.Name, None], cst.BaseExpression]]


def _mapping_items(node: cst.BaseExpression) -> _Items | None:
    # As index._mapping_items: a dict literal, or dict() with at most one positional
    # dict literal and keywords (their cst.Name as key); None key: `**other`, unless
    # `other` is itself such a mapping, whose items it gives.
    found = _mapping_items_of(node)
    if found is None or all(key is not None for key, _ in found):
        return found
    items: _Items = []
    for key, value in found:
        unpacked = _mapping_items(value) if key is None else None
        items += [(key, value)] if unpacked is None else unpacked
    return items


def _mapping_items_of(node: cst.BaseExpression) -> _Items | None:
    if isinstance(node, cst.Dict):
        return [
            (e.key, e.value) if isinstance(e, cst.DictElement) else (None, e.value)
            for e in node.elements
        ]
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name)):
        return None
    if _identifier(node.func.value) != "dict":
        return None
    positional = [a for a in node.args if a.keyword is None and not a.star]
    if any(a.star == "*" for a in node.args) or len(positional) > 1:
        return None
    items: _Items = []
    if positional:
        if not isinstance(positional[0].value, cst.Dict):
            return None
        items += _mapping_items(positional[0].value) or []
    for arg in node.args:
        if arg.star == "**":
            items.append((None, arg.value))
        elif arg.keyword is not None:
            items.append((arg.keyword, arg.value))
    return items


def _is_subtree(value: cst.BaseExpression) -> bool:
    items = _mapping_items(value)
    if items is None:
        return False
    for key, item in items:
        if isinstance(key, cst.Name):
            annotated: str | None = _identifier(key.value)
        else:
            annotated = None if key is None else string_value(key)
        if annotated == DICT_ANNOTATION:
            return not (isinstance(item, cst.Name) and item.value == "True")
    return True


def strip_parens(node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` without the parentheses ``ast`` leaves out of its span: all of them,
    except the one pair that belongs to a tuple or generator expression."""
    lpar: Sequence[cst.LeftParen] = getattr(node, "lpar", ())
    rpar: Sequence[cst.RightParen] = getattr(node, "rpar", ())
    if not lpar and not rpar:
        return node
    if isinstance(node, (cst.Tuple, cst.GeneratorExp)):
        return node.with_changes(lpar=lpar[-1:], rpar=rpar[:1])
    return node.with_changes(lpar=(), rpar=())


def ast_code(module: cst.Module, node: cst.BaseExpression) -> str:
    """The source text ``ast`` would give for ``node`` (see :func:`strip_parens`)."""
    return module.code_for_node(strip_parens(node))
