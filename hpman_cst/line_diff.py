"""A unified diff of a rewritten file in time linear in its length.

:func:`difflib.unified_diff` aligns two texts knowing nothing of how they differ; with
thousands of changed lines among unchanged ones its matcher goes quadratic (3.5 s for a
rename of 10,000 sites in one file, four times that for 20,000). A rewrite knows where
its edits are: the text between two edits is the same in both files. So the lines that
hold no edit are paired directly, and :class:`difflib.SequenceMatcher` only aligns the
few lines around each edit (edits on touching lines form one run). The output is
:func:`difflib.unified_diff`'s format, with its three lines of context.

The edits are checked against the texts (the lines between them must be equal); when
they do not fit, or are not given, the whole texts go to difflib as before.
"""

from __future__ import annotations

import difflib
import itertools
from bisect import bisect_right
from collections.abc import Iterator, Sequence

__all__ = ["EditRange", "unified_lines"]

#: An edit as offsets: ``old[start:end]`` became ``new[new_start:new_end]``.
EditRange = tuple[int, int, int, int]
_Opcode = tuple[str, int, int, int, int]
_CONTEXT = 3


def unified_lines(
    a: Sequence[str],
    b: Sequence[str],
    edits: Sequence[EditRange],
    fromfile: str,
    tofile: str,
) -> Iterator[str]:
    """The unified diff of the lines ``a`` and ``b`` (each with its line end; joined, they
    are the old and new texts, but for a marker after the last line), as
    :func:`difflib.unified_diff` writes it. ``edits`` are the changed ranges in order."""
    opcodes = _opcodes(a, b, edits) if edits else None
    if opcodes is None:
        yield from difflib.unified_diff(a, b, fromfile=fromfile, tofile=tofile)
        return
    for number, group in enumerate(_groups(opcodes)):
        if number == 0:
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        old_range = _range(first[1], last[2])
        new_range = _range(first[3], last[4])
        yield f"@@ -{old_range} +{new_range} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            yield from ("-" + line for line in a[i1:i2])
            yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    # A hunk's range as unified diffs write it: 1-based first line and length; an empty
    # range names the line before it.
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _starts(lines: Sequence[str]) -> list[int]:
    # Where each line starts in the text (a marker after the last line moves nothing).
    return [0, *itertools.accumulate(len(line) for line in lines[:-1])]


def _opcodes(
    a: Sequence[str], b: Sequence[str], edits: Sequence[EditRange]
) -> list[_Opcode] | None:
    """The whole alignment of ``a`` and ``b``: equal runs between the runs of lines that
    hold edits, difflib's alignment inside those; ``None`` if the edits do not fit."""
    starts_a, starts_b = _starts(a), _starts(b)
    runs: list[list[int]] = []  # [a_lo, a_hi, b_lo, b_hi]: lines holding edits
    for start, end, new_start, new_end in edits:
        a_lo = bisect_right(starts_a, start) - 1
        a_hi = bisect_right(starts_a, max(start, end - 1))
        b_lo = bisect_right(starts_b, new_start) - 1
        b_hi = bisect_right(starts_b, max(new_start, new_end - 1))
        if runs and (a_lo <= runs[-1][1] or b_lo <= runs[-1][3]):
            runs[-1][1] = max(runs[-1][1], a_hi)
            runs[-1][3] = max(runs[-1][3], b_hi)
        else:
            runs.append([a_lo, a_hi, b_lo, b_hi])
    opcodes: list[_Opcode] = []
    i = j = 0
    for a_lo, a_hi, b_lo, b_hi in [*runs, [len(a), len(a), len(b), len(b)]]:
        if a_lo - i != b_lo - j or b_lo < j or a[i:a_lo] != b[j:b_lo]:
            return None  # the lines between two edits must be the same lines
        _add(opcodes, ("equal", i, a_lo, j, b_lo))
        matcher = difflib.SequenceMatcher(None, a[a_lo:a_hi], b[b_lo:b_hi])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            _add(opcodes, (tag, a_lo + i1, a_lo + i2, b_lo + j1, b_lo + j2))
        i, j = a_hi, b_hi
    return opcodes


def _add(opcodes: list[_Opcode], opcode: _Opcode) -> None:
    tag, i1, i2, j1, j2 = opcode
    if i1 == i2 and j1 == j2:
        return
    if tag == "equal" and opcodes and opcodes[-1][0] == "equal":
        opcodes[-1] = ("equal", opcodes[-1][1], i2, opcodes[-1][3], j2)
    else:
        opcodes.append(opcode)


def _groups(opcodes: list[_Opcode]) -> Iterator[list[_Opcode]]:
    """The hunks: changes with up to three equal lines around them, a change closer than
    seven lines to the next sharing its hunk (as :func:`difflib.unified_diff`)."""
    group: list[_Opcode] = []
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            group.append((tag, i1, i2, j1, j2))
            continue
        first, last = number == 0, number == len(opcodes) - 1
        if not first:  # context after the change before
            keep = i2 - i1 if not last and i2 - i1 <= 2 * _CONTEXT else min(_CONTEXT, i2 - i1)
            group.append(("equal", i1, i1 + keep, j1, j1 + keep))
            if keep == i2 - i1:
                continue
            yield group
            group = []
        if not last:  # context before the next change
            keep = min(_CONTEXT, i2 - i1)
            group = [("equal", i2 - keep, i2, j2 - keep, j2)]
    if any(op[0] != "equal" for op in group):
        yield group
