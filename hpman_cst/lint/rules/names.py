"""N: names. The same knob under two names (``lr`` and ``learning_rate``) splits one
setting in two: each place reads its own default, and a command-line override reaches
only one of them.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...near_names import near_pairs
from ...records import Finding, Occurrence, Severity
from ..context import near_rules_of
from ..rule import Rule, Subject

__all__ = ["RULES"]


def _first(occurrences: tuple[Occurrence, ...], definition: Occurrence | None) -> Occurrence:
    return definition if definition is not None else min(occurrences, key=Occurrence.sort_key)


def _near_duplicates(rule: Rule, subject: Subject) -> Iterator[Finding]:
    registry = subject.registry
    places = {p.name: _first(p.occurrences, p.definition) for p in registry.parameters}
    for a, b in near_pairs(places, near_rules_of(subject)):
        first, later = sorted((places[a], places[b]), key=Occurrence.sort_key)
        message = (
            f"`{later.name}` looks like `{first.name}` (at {first.location}): one"
            f" hyper-parameter under two names?"
        )
        yield rule.finding(later.path, message, span=later.name_span, name=later.name)


RULES = (
    Rule(
        "N001",
        "near-duplicate-names",
        Severity.WARNING,
        "Two hyper-parameter names that differ only in case, separators or a common"
        " abbreviation (`lr`/`learning_rate`, `num_layers`/`n_layers`, `hidden_dim`/"
        "`hidden_size`, `batch_size`/`batchsize`), or by one typo in a long name; each pair"
        " once, at the later definition.",
        "Two names are two settings: each has its own default and option, so changing one"
        " silently leaves the code reading the other unchanged.",
        'lr = _("lr", 0.1)\nwarmup = _("learning_rate", 0.1) / 10\n',
        _near_duplicates,
    ),
)
