"""``# hpman: ignore[CODE, ...]`` (or a bare ``# hpman: ignore``) on a line silences the
findings of those codes (prefixes allowed), or all, reported on that line.

In Python source only real comments count (a string holding the text does not); in a
YAML run any ``#`` comment counts; JSON has no comments.

Stdlib only.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Mapping

from ..exceptions import HpmanError
from ..records import Finding
from ..source import decode, read_bytes

__all__ = ["Suppressions", "comment_codes", "without_suppressed"]

_MARKER = re.compile(r"#\s*hpman:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)

#: line -> the codes it silences (``None``: every code).
Suppressions = Mapping[int, "frozenset[str] | None"]


def comment_codes(comment: str) -> frozenset[str] | bool | None:
    """What one comment silences: ``None`` for every code, the codes (upper case), or
    ``False`` when it holds no marker."""
    found = _MARKER.search(comment)
    if found is None:
        return False
    if found.group(1) is None:
        return None
    return frozenset(c.strip().upper() for c in found.group(1).split(",") if c.strip())


def _add(table: dict[int, frozenset[str] | None], line: int, codes: frozenset[str] | None) -> None:
    if codes is None or (line in table and table[line] is None):
        table[line] = None
    else:
        table[line] = (table.get(line) or frozenset()) | codes


def python_suppressions(text: str) -> dict[int, frozenset[str] | None]:
    """The suppressions of Python source ``text`` (comments found by the tokenizer; a
    file it cannot read is searched line by line)."""
    table: dict[int, frozenset[str] | None] = {}
    if _MARKER.search(text) is None:  # most files: no need to tokenize
        return table
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                codes = comment_codes(token.string)
                if codes is not False:
                    _add(table, token.start[0], codes)  # type: ignore[arg-type]
    except (tokenize.TokenError, SyntaxError):
        return text_suppressions(text)
    return table


def text_suppressions(text: str) -> dict[int, frozenset[str] | None]:
    """The suppressions of a YAML (or any ``#``-commented) text: any marker on a line."""
    table: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        codes = comment_codes(line)
        if codes is not False:
            _add(table, number, codes)  # type: ignore[arg-type]
    return table


def file_suppressions(path: str) -> dict[int, frozenset[str] | None]:
    """The suppressions of the file ``path`` (by its kind: ``.json`` has none, ``.yaml``
    and ``.yml`` are read as text, anything else as Python); an unreadable file has
    none."""
    lowered = path.lower()
    if lowered.endswith(".json"):
        return {}
    try:
        data = read_bytes(path)
        if lowered.endswith((".yaml", ".yml")):
            return text_suppressions(data.decode("utf-8-sig", errors="replace"))
        text, _encoding = decode(data, path)
    except (OSError, HpmanError):
        return {}
    return python_suppressions(text)


def _silenced(table: Suppressions, finding: Finding) -> bool:
    if finding.line is None or finding.line not in table:
        return False
    codes = table[finding.line]
    return codes is None or any(finding.code.startswith(c) for c in codes)


def without_suppressed(
    findings: Iterable[Finding], tables: Mapping[str, Suppressions] | None = None
) -> list[Finding]:
    """``findings`` less those silenced by a comment on their line; ``tables`` gives a
    file's suppressions (an editor's text), other files are read."""
    found = list(findings)
    cache: dict[str, Suppressions] = dict(tables or {})
    kept = []
    for finding in found:
        if finding.line is not None and finding.path not in cache:
            cache[finding.path] = file_suppressions(finding.path)
        if not _silenced(cache.get(finding.path, {}), finding):
            kept.append(finding)
    return kept
