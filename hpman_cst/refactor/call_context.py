"""Where a call sits in a text, as inlining its default must know: its parent node, the
parentheses around it and whose they are, whether it lies inside brackets or at the left
edge of an f-string field (see :func:`~hpman_cst.precedence.needs_parens`)."""

from __future__ import annotations

import ast
import io
import tokenize
from bisect import bisect_left
from dataclasses import dataclass

from ..quoting import FstringFields
from ..records import Span
from ..source import SourceText, ast_parse

__all__ = ["CallContext"]

_BLANKS = " \t\f\r\n"


@dataclass(frozen=True)
class _Before:
    """What precedes the parentheses around a call: up to two tokens' strings (none
    inside an f-string before Python 3.12) and where the last one ends."""

    words: tuple[str, ...]
    end: tuple[int, int]


class CallContext:
    """Parents of calls and significant tokens of one text, for inlining: where each call
    sits (its parent, its parentheses, its brackets, f-string fields)."""

    _SKIP = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT})

    def __init__(self, text: str, source: SourceText) -> None:
        self.text = text
        self.parents: dict[Span, tuple[ast.AST, str, ast.expr]] = {}
        self.withs: dict[int, ast.With | ast.AsyncWith] = {}  # by id of their items
        #: The offset ranges of self-documenting f-string fields' expressions (``{x=}``).
        self.debug_fields: list[tuple[int, int]] = []
        #: The offsets at which an f-string field's expression starts right after its
        #: ``{`` (see :func:`~hpman_cst.precedence.needs_parens`).
        self.field_starts: set[int] = set()
        tree = ast_parse(text)
        self.fields = FstringFields(text, tree)
        for parent in ast.walk(tree):
            if isinstance(parent, ast.FormattedValue):
                self._note_debug_field(source, parent.value)
                self._note_field_starts(source, parent.value)
            if isinstance(parent, (ast.With, ast.AsyncWith)):
                for item in parent.items:
                    self.withs[id(item)] = parent
            for field, value in ast.iter_fields(parent):
                for child in value if isinstance(value, list) else [value]:
                    if isinstance(child, ast.Call):
                        self.parents[source.span_of(child)] = (parent, field, child)
        self.source = source
        self.tokens: list[tuple[tuple[int, int], tuple[int, int], str]] = []
        #: How many brackets are open before each token.
        self.depths: list[int] = []
        depth = 0
        try:
            for token in tokenize.generate_tokens(io.StringIO(text).readline):
                if token.type not in self._SKIP and token.type != tokenize.DEDENT:
                    self.tokens.append((token.start, token.end, token.string))
                    self.depths.append(depth)
                    if token.type == tokenize.OP and token.string in ("(", "[", "{"):
                        depth += 1
                    elif token.type == tokenize.OP and token.string in (")", "]", "}"):
                        depth -= 1
        except (tokenize.TokenError, SyntaxError):
            self.tokens, self.depths = [], []
        self.starts = [t[0] for t in self.tokens]
        # Where each token ends -> its index (tokens never share an end; each call looks
        # its last token up here rather than scanning the tokens after its first).
        self.ends = {t[1]: k for k, t in reversed(list(enumerate(self.tokens)))}

    def _note_debug_field(self, source: SourceText, value: ast.expr) -> None:
        # The expression of `{x = }` is followed by `=` (an `==` would be part of it),
        # past the closing parentheses of a parenthesised expression (`{(x)=}`), which
        # the node's span leaves out.
        span = source.span_of(value)
        start = source.offset(span.line, span.column)
        end = source.offset(span.end_line, span.end_column)
        if self.text[end:].lstrip(" \t\f\r\n)").startswith("="):
            self.debug_fields.append((start, end))

    def _note_field_starts(self, source: SourceText, value: ast.expr) -> None:
        # The calls at the left edge of a field's expression (`{_("x", {1})[0]}`), each
        # of which starts where the expression does unless parentheses come between; the
        # expression's own span is no help (before 3.12 a bare tuple's starts at the `{`).
        node: ast.expr | None = value
        while node is not None:
            if isinstance(node, ast.Call):
                span = source.span_of(node)
                start = source.offset(span.line, span.column)
                if self.text[start - 1 : start] == "{":
                    self.field_starts.add(start)
            node = _left_edge(node)

    def in_debug_field(self, span: Span, source: SourceText) -> bool:
        """Whether the call at ``span`` lies in a self-documenting field's expression."""
        start = source.offset(span.line, span.column)
        end = source.offset(span.end_line, span.end_column)
        return any(s <= start and end <= e for s, e in self.debug_fields)

    def place(self, span: Span, parent: ast.AST, node: ast.expr) -> tuple[bool, bool, bool]:
        """For the call at ``span``, held by ``parent``: whether it sits in parentheses of
        its own, whether it sits inside some bracket, and whether it is the bare item of
        a ``with`` statement (see :func:`~hpman_cst.precedence.needs_parens`)."""
        i = bisect_left(self.starts, (span.line, span.column))
        if i < len(self.tokens) and self.starts[i] == (span.line, span.column):
            pairs, before = self._token_pairs(i, span)
            bracketed = self.depths[i] > 0
        else:  # inside an f-string before Python 3.12, which tokenize leaves whole
            pairs, before = self._text_pairs(span)
            bracketed = True
        claimed = pairs > 0 and self._claims(parent, node, before)
        bare_with = isinstance(parent, ast.withitem) and self._lone_item(parent) and not pairs
        return pairs > claimed, bracketed, bare_with

    def _token_pairs(self, i: int, span: Span) -> tuple[int, _Before]:
        """How many pairs of parentheses enclose exactly the call whose first token is
        ``tokens[i]``, and what comes before the outermost pair."""
        tokens = self.tokens
        end = (span.end_line, span.end_column)
        j = self.ends.get(end)
        if j is None or j < i:
            return 0, _Before((), (0, 0))
        pairs = 0
        while (
            i - pairs - 1 >= 0
            and j + pairs + 1 < len(tokens)
            and tokens[i - pairs - 1][2] == "("
            and tokens[j + pairs + 1][2] == ")"
        ):
            pairs += 1
        first = i - pairs
        words = tuple(t[2] for t in tokens[max(0, first - 2) : first])
        return pairs, _Before(words, tokens[first - 1][1] if first else (0, 0))

    def _text_pairs(self, span: Span) -> tuple[int, _Before]:
        # Only blanks can separate parentheses inside an f-string field before 3.12.
        text = self.text
        left = self.source.offset(span.line, span.column) - 1
        right = self.source.offset(span.end_line, span.end_column)
        pairs = 0
        while True:
            while left >= 0 and text[left] in _BLANKS:
                left -= 1
            while right < len(text) and text[right] in _BLANKS:
                right += 1
            if left < 0 or right >= len(text) or text[left] != "(" or text[right] != ")":
                break
            left, right, pairs = left - 1, right + 1, pairs + 1
        return pairs, _Before((), self.source.position(left + 1))

    def _claims(self, parent: ast.AST, node: ast.expr, before: _Before) -> bool:
        # The outermost pair around the call belongs to the syntax of `parent` (libcst
        # puts it there too): the argument list of `f(_("x"))` (its one argument), the
        # bases of `class C(_("x")):`, the items of `with (_("x")):`.
        if isinstance(parent, ast.Call):
            func = self.source.span_of(parent.func)
            return (
                parent.args == [node]
                and not parent.keywords
                and before.end == (func.end_line, func.end_column)
            )
        if isinstance(parent, ast.ClassDef):
            return parent.bases == [node] and not parent.keywords and before.words[:1] == ("class",)
        if isinstance(parent, ast.withitem):
            return self._lone_item(parent) and before.words[-1:] == ("with",)
        return False

    def _lone_item(self, item: ast.withitem) -> bool:
        statement = self.withs.get(id(item))
        return statement is not None and len(statement.items) == 1 and item.optional_vars is None


def _left_edge(node: ast.expr) -> ast.expr | None:
    """The subexpression of ``node`` that starts where ``node`` starts (unless it has
    parentheses of its own), or ``None``; as :data:`~hpman_cst.precedence._CST_LEFT_EDGES`
    for libcst."""
    if isinstance(node, (ast.BinOp, ast.Compare)):
        return node.left
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        return node.value
    if isinstance(node, ast.Call):
        return node.func
    if isinstance(node, ast.IfExp):
        return node.body
    if isinstance(node, (ast.BoolOp, ast.Tuple)):
        items = node.values if isinstance(node, ast.BoolOp) else node.elts
        return items[0] if items else None
    return None
