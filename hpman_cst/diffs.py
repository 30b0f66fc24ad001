"""Unified diffs of rewritten files, as strings (paths shown relative to a folder)."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable

from .apply import Change

__all__ = ["display_path", "unified_diff"]

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def display_path(path: str, start: str | None = None) -> str:
    """``path`` relative to ``start`` (the current directory by default), with ``/``."""
    try:
        shown = os.path.relpath(path, start or os.getcwd())
    except ValueError:  # another drive on Windows
        shown = path
    return shown.replace(os.sep, "/")


def _lines(text: str) -> list[str]:
    # Keep each line's own ending (CRLF stays visible); mark a missing final newline as
    # `diff` does.
    lines = _LINES.findall(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def unified_diff(changes: Iterable[Change], start: str | None = None) -> str:
    """One unified diff (``--- a/path`` / ``+++ b/path``) for all ``changes``."""
    out: list[str] = []
    for change in changes:
        shown = display_path(change.path, start)
        out.extend(
            difflib.unified_diff(
                _lines(change.old_text),
                _lines(change.new_text),
                fromfile=f"a/{shown}",
                tofile=f"b/{shown}",
            )
        )
    return "".join(out)
