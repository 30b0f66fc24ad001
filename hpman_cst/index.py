"""The fast read path: extract hyper-parameter call sites with the stdlib ``ast``.

Used by the runtime (``_.parse_file``) and by every read-only command. One
``ast.parse`` and one breadth-first walk per file (``ast.walk``'s order, but only into
the subtrees whose lines mention a placeholder); no libcst.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import ast
import re
import sys
import unicodedata
from bisect import bisect_left
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

from .exceptions import PathNotFound, SourceDecodeError, UnreadableFile
from .literals import Unhashable, evaluate
from .matching import (
    DICT_ANNOTATION,
    ApiRole,
    Arg,
    ArgKind,
    CallShape,
    ShapeProblem,
    bind_api_arguments,
    classify,
    hint_problem,
    scoped,
)
from .notebook import index_notebook, is_notebook
from .rebinding import rebound
from .records import (
    ApiRef,
    DynamicRef,
    FileIndex,
    Marker,
    Occurrence,
    Problem,
    ProblemCode,
    Rebound,
    RefForm,
    Span,
)
from .source import SourceText, ast_parse, decode, read_bytes

__all__ = [
    "index_bytes",
    "index_file",
    "index_source",
    "index_tree",
    "may_contain_call",
    "may_mention",
]

Placeholders = Union[str, Collection[str]]


def _as_set(placeholders: Placeholders) -> frozenset[str]:
    return frozenset({placeholders} if isinstance(placeholders, str) else placeholders)


@lru_cache(maxsize=64)
def _precheck_patterns(placeholders: frozenset[str]) -> tuple[re.Pattern[bytes], re.Pattern[str]]:
    # The placeholder as a whole word, then only what may stand between a callee and its
    # "(" (or an API call's "."): blanks, closing parentheses, line continuations; a "#"
    # (a comment may stand there too) is taken as a possible call. Reading on through the
    # comment would cost its whole length per "_" in it: quadratic on a long line such as
    # "# _ # _ # ...", and exponential on "# # #" when a comment may stop anywhere.
    tail = r"[\s\\)]*[(.#]"
    as_bytes = re.compile(_words(placeholders, "[A-Za-z0-9_]") + tail.encode())
    as_text = re.compile(_words(placeholders, r"\w").decode() + tail)
    return as_bytes, as_text


def _words(placeholders: frozenset[str], word_char: str) -> bytes:
    # Each word is written literally *before* the look-behind that checks the character
    # preceding it, so that the regex engine can skip ahead to the word's first character:
    # a leading look-behind makes it try every position (thirty times slower).
    alternatives = []
    for placeholder in sorted(placeholders):
        word = re.escape(placeholder)
        alternatives.append(f"{word}(?<!{word_char}{word})")
    return f"(?:{'|'.join(alternatives)})(?!{word_char})".encode()


def may_contain_call(data: bytes, placeholders: Placeholders = "_") -> bool:
    """A conservative textual pre-check: ``False`` only when ``data`` cannot contain a
    call of (or an API call on) any of the placeholders, so the file need not be parsed.

    Identifiers are NFKC-normalised by Python (``＿`` is ``_``), so a file with non-ASCII
    bytes is decoded and normalised before the search.
    """
    as_bytes, as_text = _precheck_patterns(_as_set(placeholders))
    if data.isascii():
        return as_bytes.search(data) is not None
    try:
        text, _ = decode(data)
    except SourceDecodeError:
        return True  # let the parser report it
    return as_text.search(unicodedata.normalize("NFKC", text)) is not None


# An escape that can spell a letter of a name inside a string: \x6c, \u006c, \N{...}, \154.
_LETTER_ESCAPE = re.compile(rb"\\(?:[xuUN]|[0-7])")


def may_mention(data: bytes, name: str) -> bool:
    """A conservative textual check, as :func:`may_contain_call` is: ``False`` only when
    ``data`` (a file that may not even parse) cannot hold the hyper-parameter name
    ``name``: no dotted part of it appears (so ``'optim' '.lr'`` still counts for
    ``optim.lr``), and no escape that could spell a letter of it (``'\\x6cr'``)."""
    if _LETTER_ESCAPE.search(data):
        return True
    parts = [p for p in name.split(".") if p] or [name]
    if all(p.isascii() for p in parts):
        return any(p.encode("ascii") in data for p in parts)
    try:
        text, _ = decode(data)
    except SourceDecodeError:
        return True
    return any(p in text for p in parts)


def index_file(path: str, placeholders: Placeholders = "_", *, precheck: bool = True) -> FileIndex:
    """Index one file. An unreadable or undecodable file, or a syntax error, is reported
    as a problem of the returned :class:`FileIndex`; a missing file raises
    :class:`PathNotFound`."""
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        raise PathNotFound("no such file or directory", path=path) from None
    except UnreadableFile as exc:
        return FileIndex(path, problems=(Problem(ProblemCode.UNREADABLE, exc.message, path),))
    return index_bytes(data, path, placeholders, precheck=precheck)


def index_bytes(
    data: bytes, path: str, placeholders: Placeholders = "_", *, precheck: bool = True
) -> FileIndex:
    """Index source bytes (decoded as Python does) that came from ``path``."""
    if precheck and not may_contain_call(data, placeholders):
        return FileIndex(path)
    if is_notebook(path):
        try:
            notebook = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"a notebook must be UTF-8: {exc.reason}"
            return FileIndex(path, problems=(Problem(ProblemCode.DECODE, message, path),))
        return index_notebook(notebook, path, placeholders)
    try:
        text, _ = decode(data, path)
    except SourceDecodeError as exc:
        return FileIndex(path, problems=(Problem(ProblemCode.DECODE, exc.message, path, exc.line),))
    return index_source(text, path, placeholders)


def index_source(text: str, path: str = "<unknown>", placeholders: Placeholders = "_") -> FileIndex:
    """Index decoded source text. Never raises for bad source: problems are data."""
    try:
        tree = ast_parse(text, path)
    except SyntaxError as exc:
        column = None if not exc.offset else _syntax_column(text, exc)
        problem = Problem(ProblemCode.SYNTAX, exc.msg, path, exc.lineno, column)
        return FileIndex(path, problems=(problem,))
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, deep nesting
        message = str(exc) or "too deeply nested to parse"
        return FileIndex(path, problems=(Problem(ProblemCode.SYNTAX, message, path),))
    return index_tree(tree, text, path, placeholders)


def index_tree(
    tree: ast.Module, text: str, path: str = "<unknown>", placeholders: Placeholders = "_"
) -> FileIndex:
    """Index a module already parsed from ``text`` (the tree is left as it is)."""
    return _Extractor(SourceText(text), path, _as_set(placeholders)).run(tree)


def placeholder_lines(source: SourceText, placeholders: Placeholders) -> list[int]:
    """The sorted 1-based numbers of the lines on which a call of a placeholder (or an API
    call on it) may begin: where the pre-check's pattern matches, in code, comments or
    strings alike (this only has to be conservative)."""
    pattern = _precheck_patterns(_as_set(placeholders))[1]
    text = source.text
    if not text.isascii():
        # Python reads identifiers NFKC-normalised ("ｈｐ" is "hp"); normalising can change
        # the length of a line but not the number of lines, so normalise line by line.
        lines = _NEWLINE_SPLIT.split(text)
        source = SourceText("\n".join(unicodedata.normalize("NFKC", line) for line in lines))
        text = source.text
    return sorted({source.position(m.start())[0] for m in pattern.finditer(text)})


_NEWLINE_SPLIT = re.compile(r"\r\n|\r|\n")


# Before Python 3.12 the nodes inside an f-string could carry positions outside the
# string's own lines; their subtrees are walked whole.
_UNRELIABLE_INSIDE: tuple[type[ast.AST], ...] = (
    (ast.JoinedStr,) if sys.version_info < (3, 12) else ()
)
_DECORATED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def walk_lines(tree: ast.AST, lines: Sequence[int]) -> Iterator[ast.AST]:
    """The nodes of ``tree`` in :func:`ast.walk` order, leaving out every subtree whose
    lines contain none of ``lines`` (sorted). A node always lies within the lines of its
    parent, except decorators (before their ``def``) and, before 3.12, f-string
    internals; both are allowed for. Nodes without a position are always entered."""
    if not lines:
        return
    todo: deque[tuple[ast.AST, bool]] = deque([(tree, True)])
    count = len(lines)
    node_type = ast.AST
    while todo:
        node, prune = todo.popleft()
        yield node
        if prune and isinstance(node, _UNRELIABLE_INSIDE):
            prune = False
        # ast.iter_child_nodes, inlined: this loop is most of the walk's time.
        for field_name in node._fields:
            value = getattr(node, field_name, None)
            if isinstance(value, node_type):
                children: list[object] = [value]
            elif isinstance(value, list):
                children = value
            else:
                continue
            for child in children:
                if not isinstance(child, node_type):
                    continue
                if prune:
                    start = getattr(child, "lineno", None)
                    if start is not None:
                        if isinstance(child, _DECORATED) and child.decorator_list:
                            start = min(start, child.decorator_list[0].lineno)
                        end = getattr(child, "end_lineno", None) or start
                        index = bisect_left(lines, start)
                        if index == count or lines[index] > end:
                            continue
                todo.append((child, prune))


def _syntax_column(text: str, exc: SyntaxError) -> int:
    # SyntaxError.offset is 1-based and, for str input, counts code points.
    return max((exc.offset or 1) - 1, 0)


def _string_value(node: ast.expr) -> str | None:
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return None


def _arguments(call: ast.Call) -> list[Arg[ast.expr]]:
    args: list[Arg[ast.expr]] = [
        Arg(ArgKind.STARRED, a) if type(a) is ast.Starred else Arg(ArgKind.POSITIONAL, a)
        for a in call.args
    ]
    for kw in call.keywords:
        kind = ArgKind.KEYWORD if kw.arg is not None else ArgKind.DOUBLE_STARRED
        args.append(Arg(kind, kw.value, kw.arg))
    return args


class _Extractor:
    """One file's walk: turns matching ``ast.Call`` nodes into records."""

    def __init__(self, source: SourceText, path: str, placeholders: frozenset[str]) -> None:
        self.source = source
        self.path = path
        self.placeholders = placeholders
        self.occurrences: list[Occurrence] = []
        self.api_refs: list[ApiRef] = []
        self.dynamic_refs: list[DynamicRef] = []
        self.problems: list[Problem] = []
        self.problem_placeholders: list[str] = []  # whose call each problem is about
        self.rebound: list[Rebound] = []
        self.current = ""  # the placeholder of the call being read

    def run(self, tree: ast.AST) -> FileIndex:
        placeholders = self.placeholders
        for node in walk_lines(tree, placeholder_lines(self.source, placeholders)):
            if type(node) is not ast.Call:
                continue
            func = node.func
            if type(func) is ast.Name:
                if func.id in placeholders:
                    self.current = func.id
                    self._call_site(node, func.id)
            elif (
                type(func) is ast.Attribute
                and type(func.value) is ast.Name
                and func.value.id in placeholders
            ):
                self.current = func.value.id
                self._api_call(node, func.value.id, func.attr)
        found = self.occurrences or self.api_refs or self.problems or self.dynamic_refs
        if found and isinstance(tree, ast.Module):
            self._leave_out_rebound(tree)
        self.problems.sort(key=Problem.sort_key)
        return FileIndex(
            self.path,
            tuple(self.occurrences),
            tuple(self.api_refs),
            tuple(self.problems),
            tuple(self.dynamic_refs),
            tuple(self.rebound),
        )

    def _leave_out_rebound(self, tree: ast.Module) -> None:
        # The gettext rule (see rebinding.py): drop what a placeholder bound to something
        # else produced, and say why, once per placeholder.
        used = {o.placeholder for o in self.occurrences} | set(self.problem_placeholders)
        used |= {r.placeholder for r in self.api_refs} | {r.placeholder for r in self.dynamic_refs}
        foreign = rebound(tree, used)
        if not foreign:
            return
        for placeholder, (statement, binding) in sorted(foreign.items()):
            line = statement.lineno
            column = self.source.char_column(line, statement.col_offset)
            self.rebound.append(Rebound(self.path, placeholder, line, column, binding))
        self.occurrences = [o for o in self.occurrences if o.placeholder not in foreign]
        self.api_refs = [r for r in self.api_refs if r.placeholder not in foreign]
        self.dynamic_refs = [r for r in self.dynamic_refs if r.placeholder not in foreign]
        pairs = zip(self.problems, self.problem_placeholders)
        self.problems = [p for p, placeholder in pairs if placeholder not in foreign]

    def problem(self, found: ShapeProblem, node: ast.expr) -> None:
        span = self.source.span_of(node)
        self.problems.append(Problem(found.code, found.message, self.path, span.line, span.column))
        self.problem_placeholders.append(self.current)

    def _call_site(self, call: ast.Call, placeholder: str) -> None:
        shape = classify(_arguments(call), _string_value, placeholder)
        if isinstance(shape, ShapeProblem):
            self.problem(shape, call)
            return
        default_text: str | None = None
        default_span: Span | None = None
        value: object = Marker.NO_DEFAULT
        if shape.default is not None:
            default_span = self.source.span_of(shape.default)
            default_text = self.source.segment(default_span)
            value = evaluate(shape.default)
            if isinstance(value, Unhashable):
                message = f"default is not a valid literal: {value.reason}"
                self.problem(ShapeProblem(ProblemCode.UNHASHABLE, message), shape.default)
                value = Marker.NOT_LITERAL
        self.occurrences.append(
            Occurrence(
                name=shape.name,
                path=self.path,
                placeholder=placeholder,
                span=self.source.span_of(call),
                name_span=self.source.span_of(shape.name_node),
                default=default_text,
                default_span=default_span,
                value=value,
                hints=self._hints(shape),
            )
        )

    def _hints(self, shape: CallShape[ast.expr]) -> tuple[tuple[str | None, object], ...]:
        hints: list[tuple[str | None, object]] = []
        for arg in shape.hints:
            value = evaluate(arg.node)
            if isinstance(value, (Marker, Unhashable)):
                self.problem(hint_problem(arg), arg.node)
            else:
                hints.append((arg.keyword, value))
        return tuple(hints)

    def _api_call(self, call: ast.Call, placeholder: str, method: str) -> None:
        for param, arg in bind_api_arguments(method, _arguments(call)):
            if arg is None:  # behind *args or **kwargs
                self._dynamic(placeholder, method, call)
                continue
            form = RefForm.KEYWORD if arg.kind is ArgKind.KEYWORD else RefForm.ARGUMENT
            ref = _ApiCall(placeholder, method, self.source.span_of(call))
            if param.role is ApiRole.NAME:
                self._name(ref, arg.node, form, group=False)
            elif param.role is ApiRole.PREFIX:
                self._name(ref, arg.node, form, group=True)
            elif param.role is ApiRole.MAPPING:
                self._mapping(ref, arg.node, "", nested=False)
            elif param.role is ApiRole.TREE:
                self._tree(ref, call, arg.node)

    def _tree(self, ref: _ApiCall, call: ast.Call, tree: ast.expr) -> None:
        # The keys of a set_tree tree sit below its prefix, which must then be known (an
        # unknown one is reported as such).
        prefix = ""
        for param, arg in bind_api_arguments(ref.method, _arguments(call)):
            if param.role is ApiRole.PREFIX:
                value = None if arg is None else _string_value(arg.node)
                if value is None:
                    return
                prefix = value
        self._mapping(ref, tree, prefix, nested=True)

    def _name(self, ref: _ApiCall, node: ast.expr, form: RefForm, *, group: bool) -> None:
        name = _string_value(node)
        if name is None:
            self._dynamic(ref.placeholder, ref.method, node)
        elif name or not group:  # a prefix "" is the whole tree: no name
            self._api_ref(ref, name, self.source.span_of(node), form, "", group)

    def _mapping(self, ref: _ApiCall, node: ast.expr, scope: str, *, nested: bool) -> None:
        """The keys of a mapping (a dict literal or a ``dict(...)`` call), at every level
        when ``nested`` (a set_tree's tree), below ``scope``."""
        items = _mapping_items(node)
        if items is None:
            self._dynamic(ref.placeholder, ref.method, node)
            return
        for key, value in items:
            if isinstance(key, ast.keyword) and key.arg is not None:
                name: str | None = key.arg
                span = self._identifier_span(key)
                form = RefForm.IDENTIFIER
            elif isinstance(key, ast.expr):
                name = _string_value(key)
                span = self.source.span_of(key)
                form = RefForm.KEY
            else:
                name = None
            if name is None:  # `**other`, or a key that is not a str literal
                self._dynamic(
                    ref.placeholder, ref.method, key if isinstance(key, ast.expr) else value
                )
                continue
            if nested and name == DICT_ANNOTATION:
                continue
            full = scoped(scope, name)
            subtree = nested and _is_subtree(value)
            group = nested and (subtree or isinstance(evaluate(value), (Marker, Unhashable)))
            self._api_ref(ref, full, span, form, scope, group)
            if subtree:
                self._mapping(ref, value, full, nested=True)

    def _identifier_span(self, keyword: ast.keyword) -> Span:
        line = keyword.lineno
        column = self.source.char_column(line, keyword.col_offset)
        text = self.source.text
        start = self.source.offset(line, column)
        end = start + 1
        while end < len(text) and text[start : end + 1].isidentifier():
            end += 1
        return Span(line, column, line, column + end - start)

    def _api_ref(
        self, ref: _ApiCall, name: str, name_span: Span, form: RefForm, scope: str, group: bool
    ) -> None:
        self.api_refs.append(
            ApiRef(
                name,
                self.path,
                ref.placeholder,
                ref.method,
                ref.span,
                name_span,
                form,
                scope,
                group,
            )
        )

    def _dynamic(self, placeholder: str, method: str, node: ast.expr) -> None:
        span = self.source.span_of(node)
        self.dynamic_refs.append(DynamicRef(self.path, placeholder, method, span))


@dataclass(frozen=True)
class _ApiCall:
    placeholder: str
    method: str
    span: Span


_MappingItems = list[tuple[Union[ast.expr, ast.keyword, None], ast.expr]]


def _mapping_items(node: ast.expr) -> _MappingItems | None:
    """``(key, value)`` of a dict literal (``None`` key: ``**other``) or of a ``dict()``
    call with at most one positional dict literal and keywords (the keyword node as key);
    ``None`` for anything else. A ``**`` of a mapping of these forms gives its items."""
    found = _mapping_items_of(node)
    if found is None or all(key is not None for key, _ in found):
        return found
    items: _MappingItems = []
    for key, value in found:
        unpacked = _mapping_items(value) if key is None else None
        items += [(key, value)] if unpacked is None else unpacked
    return items


def _mapping_items_of(node: ast.expr) -> _MappingItems | None:
    if type(node) is ast.Dict:
        return list(zip(node.keys, node.values))
    if not (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id == "dict"
        and len(node.args) <= 1
    ):
        return None
    items: _MappingItems = []
    if node.args:
        inner = _mapping_items(node.args[0]) if type(node.args[0]) is ast.Dict else None
        if inner is None:
            return None
        items += inner
    items += [(k if k.arg is not None else None, k.value) for k in node.keywords]
    return items


def _is_subtree(value: ast.expr) -> bool:
    # A dict in a set_tree tree is a subtree, unless it says it is one value.
    items = _mapping_items(value)
    if items is None:
        return False
    for key, item in items:
        annotated = (
            key.arg if isinstance(key, ast.keyword) else None if key is None else _string_value(key)
        )
        if annotated == DICT_ANNOTATION:
            return not (type(item) is ast.Constant and item.value is True)
    return True
