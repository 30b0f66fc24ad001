"""tabulate's ``simple`` table, written directly when every cell is plain.

``hpman list`` prints one line per place a name is used: 20,000 lines for a project of
1,000 model files, which tabulate takes about 0.3 s to lay out (it measures every cell
for escape codes and wide characters, and handles multi-line cells one by one). For
cells of printable ASCII without surrounding blanks, the layout is simple and this module
produces exactly tabulate's text in a tenth of the time; anything else (non-ASCII, which
tabulate may measure with ``wcwidth``, control characters, blanks that tabulate strips)
is left to tabulate. A property test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["simple_table"]

_GAP = "  "  # between columns
_MIN_PADDING = 2  # a column is at least its header plus this wide (tabulate.MIN_PADDING)


def simple_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str | None:
    """``tabulate(rows, headers, tablefmt="simple", disable_numparse=True)`` for string
    cells (``"\\n"`` separating the lines of a cell); ``None`` when a cell or header is
    not plain, for the caller to use tabulate."""
    if not all(_plain(h) for h in headers):
        return None
    widths = [len(h) + _MIN_PADDING for h in headers]
    table: list[list[list[str]]] = []
    for row in rows:
        if not all(cell == cell.strip() for cell in row):
            return None  # tabulate strips a cell before it splits it into lines
        cells = [cell.split("\n") for cell in row]
        for column, lines in enumerate(cells):
            for line in lines:
                if not _plain(line):
                    return None
                if len(line) > widths[column]:
                    widths[column] = len(line)
        table.append(cells)
    out = [_GAP.join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    out.append(_GAP.join("-" * w for w in widths))
    for cells in table:
        for k in range(max(len(lines) for lines in cells)):
            line = _GAP.join(
                (lines[k] if k < len(lines) else "").ljust(w) for lines, w in zip(cells, widths)
            )
            line = line.rstrip()
            if not line:
                return None  # tabulate drops some blank lines; leave those to it
            out.append(line)
    return "\n".join(out)


def _plain(text: str) -> bool:
    return text.isascii() and text.isprintable() and text == text.strip()
