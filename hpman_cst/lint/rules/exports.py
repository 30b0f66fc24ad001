"""X: exports. A hint an export cannot carry (a range with an open side for a W&B
distribution, a log scale on an int, a choice a W&B agent cannot pass back as itself, a
name W&B refuses): ``hpman export`` leaves the name out of that export and reports it with
this rule's code (the records are :class:`hpman_cst.export.model.Unmapped`; ``hpman
export`` also reports so the hints no front-end honours, which ``hpman check`` reports as
H002)."""

from __future__ import annotations

from collections.abc import Iterator

from ...export.model import UNMAPPED_CODE, Entry, Unmapped, registry_entries
from ...hints import first_hints, hint_problem
from ...records import Finding, Severity
from ...registry import Registry
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
    """What the W&B export leaves out (its strictest), but for the hints no front-end
    honours, which H002 reports already."""
    from ...export.wandb import SweepOptions, sweep

    registry = subject.registry
    entries, _ = registry_entries(registry)
    honoured = [e for e in entries if not _hint_problem(registry, e)]
    _, left_out = sweep(honoured, SweepOptions())
    for record in left_out:
        yield unmapped_finding(rule, record)


def _hint_problem(registry: Registry, entry: Entry) -> bool:
    parameter = registry.get(entry.name)
    if parameter is None:
        return False
    hints = {key: hint for key, (hint, _) in first_hints(parameter.occurrences).items()}
    return hint_problem(entry.name, entry.spec.default, hints) is not None


RULES = (
    Rule(
        UNMAPPED_CODE,
        "unmapped-hint",
        Severity.WARNING,
        "A hint an export cannot carry: a `range` with an open side or a log scale on an"
        " int (no W&B distribution), a choice a W&B agent cannot pass back as itself"
        " (bytes, sets, nan), a name W&B refuses.",
        "`hpman export` leaves such a name out of the sweep or schema it writes, so the"
        " sweep does not search it and the engine runs it with its default.",
        '_("lr", 0.1, range=[0.0, None])\n',
        _check,
    ),
)
