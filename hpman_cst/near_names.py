"""Names that probably mean the same knob: ``lr`` and ``learning_rate``, ``num_layers``
and ``n_layers``, ``hidden_dim`` and ``hidden_size``, ``batch_size`` and ``batchsize``.

Each name is normalised (case folded, separators dropped, common abbreviations spelled
one way); two names are near duplicates when their normal forms are equal, or, for long
enough names, within a small edit distance. Names whose digits differ (``layer1``,
``layer2``) are never near duplicates: numbered knobs are deliberate. Every part is
tunable through :class:`Normalisation`.

Pure and stdlib only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["ABBREVIATIONS", "Normalisation", "edit_distance", "near_pairs"]

#: Words written several ways, each mapped to one spelling (a word may stand for several).
ABBREVIATIONS: Mapping[str, str] = {
    "lr": "learning rate",
    "num": "n",
    "number": "n",
    "nb": "n",
    "dim": "size",
    "dims": "size",
    "bs": "batch size",
    "batchsize": "batch size",
    "wd": "weight decay",
    "eps": "epsilon",
    "iters": "iterations",
    "iter": "iterations",
    "hid": "hidden",
    "cfg": "config",
    "lyr": "layer",
}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Normalisation:
    """How names are compared.

    ``fold_case``: ``LR`` is ``lr``; ``separators``: the characters that split words
    (``_``, ``-``, ``.`` and camelCase boundaries) and are otherwise ignored;
    ``abbreviations``: word -> spelling; ``distance``: the largest edit distance (an
    insertion, deletion, substitution or swap of neighbours counts one) between normal
    forms of at least ``min_length`` characters.
    """

    fold_case: bool = True
    separators: str = "_-."
    abbreviations: Mapping[str, str] = field(default_factory=lambda: dict(ABBREVIATIONS))
    distance: int = 1
    min_length: int = 6

    def words(self, name: str) -> list[str]:
        """The words of ``name``, abbreviations spelled out."""
        text = _CAMEL.sub(" ", name) if self.separators else name
        for separator in self.separators:
            text = text.replace(separator, " ")
        if self.fold_case:
            text = text.casefold()
        words: list[str] = []
        for word in text.split():
            key = word.casefold() if self.fold_case else word
            words += self.abbreviations.get(key, word).split()
        return words

    def normal(self, name: str) -> str:
        """The form two names are compared in: their words, joined."""
        return "".join(self.words(name))


def edit_distance(a: str, b: str, limit: int) -> int:
    """The optimal-string-alignment distance of ``a`` and ``b`` (insertions, deletions,
    substitutions, swaps of neighbours), or ``limit + 1`` as soon as it exceeds
    ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            cost = 0 if char == other else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def near_pairs(names: Iterable[str], rules: Normalisation | None = None) -> list[tuple[str, str]]:
    """Every pair of near-duplicate names (each pair once, in sorted order, the smaller
    name first)."""
    rules = rules or Normalisation()
    forms: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        forms.setdefault(rules.normal(name), []).append(name)
    pairs = {(a, b) for group in forms.values() for a in group for b in group if a < b}
    if rules.distance > 0:
        pairs |= _close_forms(forms, rules)
    return sorted(pairs)


def _close_forms(forms: dict[str, list[str]], rules: Normalisation) -> set[tuple[str, str]]:
    # Two forms within distance d share a variant with d characters deleted from each
    # (symmetric deletion): only the forms sharing one are compared.
    long_forms = [f for f in forms if len(f) >= rules.min_length]
    buckets: dict[str, set[str]] = {}
    for form in long_forms:
        for variant in _deletions(form, rules.distance):
            buckets.setdefault(variant, set()).add(form)
    pairs: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        ordered = sorted(bucket)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if _DIGITS.findall(a) != _DIGITS.findall(b):
                    continue
                if edit_distance(a, b, rules.distance) <= rules.distance:
                    pairs |= {(min(x, y), max(x, y)) for x in forms[a] for y in forms[b]}
    return pairs


def _deletions(form: str, count: int) -> set[str]:
    found = {form}
    for _ in range(count):
        found |= {v[:i] + v[i + 1 :] for v in found for i in range(len(v))}
    return found
