"""Colours for a unified diff on a terminal (``--color``), as git and ruff show them:
file headers bold, hunk headers cyan, removed lines red, added lines green, context
plain. Text in, text out: the decision whether to colour is :func:`use_color`'s.
"""

from __future__ import annotations

import os
import re
from typing import TextIO

__all__ = ["COLOR_CHOICES", "colorize_diff", "use_color"]

#: The values of ``--color``.
COLOR_CHOICES = ("auto", "always", "never")

_RESET = "\x1b[0m"
_BOLD, _CYAN, _RED, _GREEN = "\x1b[1m", "\x1b[36m", "\x1b[31m", "\x1b[32m"
# One line of the diff (ended by \n only, as in the diff) and its own ending (a CRLF
# file's diff keeps CRLF; the code goes before it).
_LINE = re.compile(r"([^\n]*?)(\r\n|\n|\Z)")
_HUNK = re.compile(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def use_color(choice: str, stream: TextIO) -> bool:
    """Whether ``--color choice`` colours output to ``stream``: ``always``, ``never``, or
    ``auto``: only on a terminal, and not when the ``NO_COLOR`` environment variable is
    set (https://no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colorize_diff(diff: str) -> str:
    """``diff`` (a unified diff) with each header, removed and added line wrapped in ANSI
    colour codes, the line ending kept after the reset."""
    out: list[str] = []
    old = new = 0  # lines of the current hunk still to come: a removed line "--- x" is
    for match in _LINE.finditer(diff):  # told apart from a file header by these counts
        line, end = match.group(1), match.group(2)
        if not line and not end:
            break
        style = ""
        if old > 0 or new > 0:
            if line.startswith("-"):
                style, old = _RED, old - 1
            elif line.startswith("+"):
                style, new = _GREEN, new - 1
            elif not line.startswith("\\"):
                old, new = old - 1, new - 1
        elif line.startswith(("--- ", "+++ ")):
            style = _BOLD
        elif hunk := _HUNK.match(line):
            style = _CYAN
            old, new = (int(n) if n is not None else 1 for n in hunk.groups())
        out.append(f"{style}{line}{_RESET}{end}" if style else line + end)
    return "".join(out)
