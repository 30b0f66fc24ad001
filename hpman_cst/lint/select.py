"""Which findings are reported: ``--select``/``--ignore`` (codes or prefixes, as ruff
takes them; ``ALL`` is every rule) and ``per-file-ignores`` (a glob of files -> codes).

Between a selector and an ignore matching the same code, the longer (more specific) one
wins, ``ignore`` on a tie: ``--select D --ignore D001`` is every D rule but D001,
``--ignore D --select D003`` keeps D003 alone of its family.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..discover import Excluder
from ..exceptions import ConfigError, did_you_mean
from ..records import Finding

__all__ = ["Selection", "check_selectors"]

ALL = "ALL"


def check_selectors(selectors: Iterable[str], codes: Collection[str], where: str) -> list[str]:
    """``selectors`` upper-cased, each checked to select at least one of ``codes`` (a code
    or a prefix of one, or ``ALL``). Raises :class:`ConfigError` naming the selector,
    ``where`` it was given (``--select``) and close codes."""
    checked = []
    for selector in selectors:
        text = selector.strip().upper()
        if not text:
            continue
        if text != ALL and not any(code.startswith(text) for code in codes):
            hint = did_you_mean(text, codes)
            raise ConfigError(f"{where}: no rule code starts with `{selector}`{hint}")
        checked.append(text)
    return checked


def _longest(selectors: Sequence[str], code: str) -> int:
    """The length of the longest selector matching ``code`` (``ALL`` counts 0), -1 if
    none does."""
    best = -1
    for selector in selectors:
        if selector == ALL:
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


@dataclass(frozen=True)
class Selection:
    """``select`` (empty: every rule), ``ignore``, and ``per_file`` (glob pattern, its
    base folder, the codes it ignores)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def enabled(self, code: str) -> bool:
        """Whether the rule ``code`` runs at all."""
        chosen = _longest(self.select, code) if self.select else 0
        return chosen >= 0 and chosen > _longest(self.ignore, code)

    def allows(self, finding: Finding) -> bool:
        """Whether ``finding`` is reported (its rule enabled, and its file not told to
        ignore it)."""
        if not self.enabled(finding.code):
            return False
        for pattern, base, codes in self.per_file:
            if _longest(codes, finding.code) >= 0 and _matches(pattern, base, finding.path):
                return False
        return True

    @classmethod
    def from_mapping(
        cls,
        select: Sequence[str],
        ignore: Sequence[str],
        per_file: Mapping[str, Sequence[str]],
        base: str = ".",
    ) -> Selection:
        """A selection from already checked selectors; ``per_file`` patterns are relative
        to ``base`` (the folder of the ``pyproject.toml`` they come from)."""
        files = tuple((p, base, tuple(c.upper() for c in codes)) for p, codes in per_file.items())
        return cls(tuple(select), tuple(ignore), files)


def _matches(pattern: str, base: str, path: str) -> bool:
    """Whether ``path`` or one of its folders matches the glob ``pattern`` (as
    ``--exclude`` matches: a name, or a path relative to ``base``)."""
    excluder = Excluder([pattern], base)
    current = os.path.normpath(path)
    while current and current not in (".", os.sep):
        if excluder.excludes(current):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return False
