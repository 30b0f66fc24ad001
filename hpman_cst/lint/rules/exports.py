"""X: exports. A hint an export cannot carry (a range with an open side for a W&B
distribution, a log scale on an int, a choice a W&B agent cannot pass back as itself, a
name W&B refuses, a ``scale`` other than ``linear`` or ``log``...): ``hpman export``
leaves the name out of that export and reports it with this rule's code (the records are
:class:`hpman_cst.export.model.Unmapped`)."""

from __future__ import annotations

from collections.abc import Iterator

from ...export.model import UNMAPPED_CODE, Unmapped, registry_entries
from ...records import Finding, Severity
from ..rule import Rule, Subject

__all__ = ["RULES", "unmapped_finding"]


def unmapped_finding(rule: Rule, unmapped: Unmapped) -> Finding:
    """``unmapped`` as a finding of ``rule``."""
    return rule.finding(
        unmapped.path,
        unmapped.message,
        line=unmapped.line,
        column=unmapped.column,
        name=unmapped.name,
    )


def _check(rule: Rule, subject: Subject) -> Iterator[Finding]:
    from ...export.wandb import SweepOptions, sweep

    entries, unmapped = registry_entries(subject.registry)
    _, left_out = sweep(entries, SweepOptions())
    for record in [*unmapped, *left_out]:
        yield unmapped_finding(rule, record)


RULES = (
    Rule(
        UNMAPPED_CODE,
        "unmapped-hint",
        Severity.WARNING,
        "A hint an export cannot carry: a `range` with an open side or a log scale on an"
        " int (no W&B distribution), a log scale that does not start above 0, a choice a"
        " W&B agent cannot pass back as itself (bytes, sets, nan), a name W&B refuses, a"
        " `scale` other than `linear` or `log`.",
        "`hpman export` leaves such a name out of the sweep or schema it writes, so the"
        " sweep does not search it and the engine runs it with its default.",
        '_("lr", 0.1, range=[0.0, None])\n',
        _check,
    ),
)
