"""The ``--hp-list table`` and ``--hp-list detail`` listings of the front-ends, as strings.

``detail`` is the table of the libhpman README: one row per hyper-parameter (name, type,
value) whose last cell shows every place it occurs with five lines of source on either
side, the line itself marked ``==>``. Nothing is cut to a terminal width.

Stdlib only at import time (tabulate is imported when a table is rendered).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from .convert import display, has_value
from .exceptions import HpmanError
from .records import Occurrence
from .source import SourceText, decode, read_bytes

__all__ = ["render_detail", "render_table"]

CONTEXT = 5


def render_table(values: Mapping[str, object], occurrences: Sequence[Occurrence]) -> str:
    """A plain table: name, type, value and where the default is defined, names sorted."""
    from tabulate import tabulate

    defined = {o.name: o for o in sorted(occurrences, key=Occurrence.sort_key) if o.has_default}
    rows = [
        [name, _type_name(value), display(value), _where(defined[name]) if name in defined else ""]
        for name, value in sorted(values.items())
    ]
    headers = ["name", "type", "value", "defined at"]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True) + "\n"


def render_detail(values: Mapping[str, object], occurrences: Sequence[Occurrence]) -> str:
    """The README's detail table for ``values`` (name -> current value), with the source
    context of each name's ``occurrences`` (sorted by path, line, column)."""
    from tabulate import tabulate

    by_name: dict[str, list[Occurrence]] = {}
    for occurrence in sorted(occurrences, key=Occurrence.sort_key):
        by_name.setdefault(occurrence.name, []).append(occurrence)
    sources = _Sources()
    rows = [
        [name, _type_name(value), display(value), _details(by_name.get(name, ()), sources)]
        for name, value in sorted(values.items())
    ]
    table = tabulate(
        rows,
        headers=["name", "type", "value", "details"],
        tablefmt="grid",
        disable_numparse=True,
        colalign=("left", "left", "right", "left"),
    )
    names = sorted(values)
    return f"All hyperparameters:\n    {names}\nDetails:\n{table}\n"


def _type_name(value: object) -> str:
    return type(value).__name__ if has_value(value) else "NoneType"


def _where(occurrence: Occurrence) -> str:
    return f"{_shown_path(occurrence.path)}:{occurrence.span.line}"


def _shown_path(path: str) -> str:
    """Paths below the working directory are shown relative to it."""
    if not os.path.isabs(path):
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _details(occurrences: Iterable[Occurrence], sources: _Sources) -> str:
    blocks = []
    for i, occurrence in enumerate(occurrences):
        lines = [f"occurrence[{i}]:", f"  {_where(occurrence)}"]
        lines += sources.context(occurrence.path, occurrence.span.line)
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


class _Sources:
    """Decoded source files, read once each; ``None`` for files that cannot be read."""

    def __init__(self) -> None:
        self._texts: dict[str, SourceText | None] = {}

    def get(self, path: str) -> SourceText | None:
        if path not in self._texts:
            try:
                text, _encoding = decode(read_bytes(path), path)
                self._texts[path] = SourceText(text)
            except (OSError, HpmanError):
                self._texts[path] = None
        return self._texts[path]

    def context(self, path: str, line: int) -> list[str]:
        """Lines ``line - 5`` to ``line + 5``, numbered, ``line`` marked ``==>``."""
        source = self.get(path)
        if source is None:
            return []
        count = len(source.line_starts)
        if source.text.endswith(("\n", "\r")):
            count -= 1
        first, last = max(1, line - CONTEXT), min(count, line + CONTEXT)
        width = len(str(last))
        return [
            f"{'==> ' if n == line else '    '}{n:>{width}}: "
            + source.line_text(n).rstrip("\r\n").expandtabs()
            for n in range(first, last + 1)
        ]
