"""Offsets in a text to ``(line, column)``: lines 1-based, columns 0-based code points."""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["LineStarts"]

_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineStarts:
    """The offsets at which the lines of a text start (``\\n``, ``\\r\\n`` and ``\\r`` end
    a line, as in JSON's whitespace and in editors)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` of ``offset``."""
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index]

    def offset(self, line: int, column: int) -> int:
        """The offset of ``(line, column)``."""
        return self.starts[line - 1] + column
