"""The ``detail`` listing of the libhpman README, for both ``hpman list --format detail``
and the front-ends' ``--hp-list detail``; and the front-ends' ``--hp-list table``.

``detail`` is one row per hyper-parameter (name, type, value) whose last cell shows every
place it occurs with five lines of source on either side, the line itself marked ``==>``.
Nothing is cut to a terminal width.

Stdlib only at import time (tabulate is imported when a table is rendered).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from .convert import display, has_value
from .exceptions import HpmanError
from .notebook import NotebookError, read_notebook, split_cell_path
from .records import Occurrence
from .source import SourceText, decode, read_bytes

__all__ = [
    "CONTEXT",
    "detail_listing",
    "file_lines",
    "occurrence_lines",
    "render_detail",
    "render_table",
]

#: Lines of source shown before and after an occurrence.
CONTEXT = 5


def detail_listing(rows: Sequence[tuple[str, str, str, str]]) -> str:
    """The README's listing of ``rows`` (name, type, value, details cell, in the order
    shown): the names, then a grid."""
    from tabulate import tabulate

    table = tabulate(
        rows,
        headers=["name", "type", "value", "details"],
        tablefmt="grid",
        disable_numparse=True,
        colalign=("left", "left", "right", "left"),
    )
    names = [row[0] for row in rows]
    return f"All hyperparameters:\n    {names}\nDetails:\n{table}\n"


def occurrence_lines(number: int, where: str, lines: Sequence[str], line: int) -> list[str]:
    """The details of occurrence ``number`` (shown as ``where``) of a name: ``lines[line - 1]``
    and up to :data:`CONTEXT` lines either side, numbered, the line itself marked ``==>``;
    ``lines`` are a file's lines without line ends (empty when it could not be read)."""
    first, last = max(1, line - CONTEXT), min(len(lines), line + CONTEXT)
    width = len(str(last))
    return [f"occurrence[{number}]:", f"  {where}"] + [
        f"{'==> ' if n == line else '    '}{n:>{width}}: {lines[n - 1].expandtabs()}".rstrip()
        for n in range(first, last + 1)
    ]


def file_lines(path: str) -> list[str] | None:
    """The lines of a source file as Python splits them, without line ends; ``None`` when
    it cannot be read or decoded. A notebook cell's path (``nb.ipynb:cell 3``) gives the
    cell's lines."""
    cell = split_cell_path(path)
    try:
        if cell is None:
            source = SourceText(decode(read_bytes(path), path)[0])
        else:
            found = read_notebook(read_bytes(cell[0]).decode("utf-8")).cell(cell[1])
            if found is None:
                return None
            source = SourceText(found.source)
    except (OSError, HpmanError, NotebookError, UnicodeDecodeError):
        return None
    count = len(source.line_starts)
    if source.text.endswith(("\n", "\r")):
        count -= 1  # no line after the last line end
    return [source.line_text(n).rstrip("\r\n") for n in range(1, count + 1)]


# ---------------------------------------------------------------------------------------
# The front-ends' listings of a manager's current values


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
    """The README's detail listing for ``values`` (name -> current value), with the source
    context of each name's ``occurrences`` (sorted by path, line, column)."""
    by_name: dict[str, list[Occurrence]] = {}
    for occurrence in sorted(occurrences, key=Occurrence.sort_key):
        by_name.setdefault(occurrence.name, []).append(occurrence)
    files: dict[str, list[str]] = {}
    rows = [
        (name, _type_name(value), display(value), _details(by_name.get(name, ()), files))
        for name, value in sorted(values.items())
    ]
    return detail_listing(rows)


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


def _details(occurrences: Iterable[Occurrence], files: dict[str, list[str]]) -> str:
    """The details cell; ``files`` caches each file's lines (read once)."""
    lines: list[str] = []
    for number, occurrence in enumerate(occurrences):
        if occurrence.path not in files:
            files[occurrence.path] = file_lines(occurrence.path) or []
        text = files[occurrence.path]
        lines += occurrence_lines(number, _where(occurrence), text, occurrence.span.line)
    return "\n".join(lines)
