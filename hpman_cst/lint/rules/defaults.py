"""D: defaults that contradict each other. A hyper-parameter is given its default in one
place, however many places read it; the runtime's ``parse_file`` refuses the files
otherwise (the rules themselves are :mod:`hpman_cst.conflicts`')."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Finding, Severity
from ...registry import Conflict, ConflictKind
from ..rule import Check, Rule, Subject

__all__ = ["RULES", "conflict_finding"]


def conflict_finding(rule: Rule, conflict: Conflict) -> Finding:
    """``conflict`` as a finding of ``rule``, at the occurrence it is reported at."""
    at = conflict.occurrence
    return rule.finding(conflict.path, conflict.message, span=at.span, name=conflict.name)


def _conflicts_of(kind: ConflictKind) -> Check:
    def check(rule: Rule, subject: Subject) -> Iterator[Finding]:
        for conflict in subject.registry.conflicts:
            if conflict.kind is kind:
                yield conflict_finding(rule, conflict)

    return check


RULES = (
    Rule(
        "D001",
        ConflictKind.DIFFERENT_DEFAULTS.value,
        Severity.ERROR,
        "A hyper-parameter given two different defaults (`1` and `1.0` differ: their types"
        " do), reported at the second in the order the runtime reads them.",
        "Only the first default counts, so the second place silently runs with a value its"
        " code does not say; `_.parse_file` raises on it.",
        'lr = _("lr", 0.1)\nwarmup_lr = _("lr", 0.01)\n',
        _conflicts_of(ConflictKind.DIFFERENT_DEFAULTS),
    ),
    Rule(
        "D002",
        ConflictKind.LEAF_AND_BRANCH.value,
        Severity.ERROR,
        "A hyper-parameter with a default that is also the group of dotted names below it"
        " (`model` beside `model.depth`).",
        "A name is either a value or a tree of values (`_.get_tree`, `--hp-save` files);"
        " both at once cannot be stored, and `_.parse_file` raises on it.",
        'model = _("model", "resnet")\ndepth = _("model.depth", 50)\n',
        _conflicts_of(ConflictKind.LEAF_AND_BRANCH),
    ),
)
