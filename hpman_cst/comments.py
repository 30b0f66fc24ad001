"""The comments of a call that ``hpman remove`` deletes, kept on lines of their own.

``_("x",\\n    0.25,  # keep this comment\\n)`` becomes ``0.25``: the comment has no place
left inside the expression, so it moves to a line of its own just before the statement
(before its decorators), at the statement's indentation, in the file's newline style.
Comments inside the default that stays stay where they are. Where no such line can be
made (the statement starts on a line that begins inside a string or brackets), the call
is refused, never stripped of a comment.

The libcst transformer does the same with its own nodes (the comments become leading
lines of the statement); the two results must agree, as for every edit.
"""

from __future__ import annotations

import ast
import io
import tokenize
from bisect import bisect_right

from .exceptions import RefactorRefused
from .regions import statement_start
from .source import SourceText

__all__ = ["Comments", "removed_comments"]

_INDENT = " \t\f"


def removed_comments(text: str, start: int, end: int, keep: tuple[int, int] | None) -> list[str]:
    """The comments (without trailing blanks) in ``text[start:end]``, a call being
    removed, outside ``text[keep[0]:keep[1]]``, the part that stays; in order."""
    removed = text[start:end] if keep is None else text[start : keep[0]] + text[keep[1] : end]
    if "#" not in removed:
        return []
    source = SourceText(text[start:end])
    found: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text[start:end], newline="").readline):
            if token.type != tokenize.COMMENT:
                continue
            offset = start + source.offset(token.start[0], token.start[1])
            if keep is None or not keep[0] <= offset < keep[1]:
                found.append(token.string.rstrip())
    except (tokenize.TokenError, SyntaxError):
        return ["#"]  # cannot happen for a call that parsed; Comments refuses it
    return found


class Comments:
    """Where comment lines go before the statement holding a position of one text."""

    def __init__(self, text: str, tree: ast.Module) -> None:
        self.source = SourceText(text)
        # Where each logical line begins (its first token), in order.
        self.starts: list[tuple[int, int]] = []
        self.broken = False
        fresh = True
        try:
            for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
                if token.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
                    fresh = True
                elif token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER):
                    if fresh:
                        self.starts.append(token.start)
                    fresh = False
        except (tokenize.TokenError, SyntaxError):
            self.broken = True
        # A decorated statement begins at its first decorator: from there to its header.
        self.decorated = sorted(
            (statement_start(node)[0], node.lineno)
            for node in ast.walk(tree)
            if isinstance(node, ast.stmt) and getattr(node, "decorator_list", None)
        )

    def insertion(
        self, line: int, column: int, comments: list[str], newline: str
    ) -> tuple[int, str]:
        """``(offset, text)``: ``comments`` as lines to insert at ``offset``, before the
        statement holding the position ``line``:``column`` (code points). Raises
        :class:`RefactorRefused` when there is no line to put them on."""
        index = bisect_right(self.starts, (line, column)) - 1
        if self.broken or index < 0 or "#" in comments:
            raise RefactorRefused(
                "cannot keep the comments of this call; remove them by hand first",
                line=line,
                column=column,
            )
        row = self.starts[index][0]
        for first, header in self.decorated:
            if first <= row <= header:
                row = first
                break
        offset = self.source.offset(row, 0)
        line_text = self.source.line_text(row)
        indent = line_text[: len(line_text) - len(line_text.lstrip(_INDENT))]
        return offset, "".join(f"{indent}{comment}{newline}" for comment in comments)
