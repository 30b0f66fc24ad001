"""H: hints (``choices``, ``range``, ``required``, ``help``) the default or the front-ends
disagree with. The front-ends (``hpargparse.bind``, ``hpman_cst.click``) turn hints into
option checks; a hint they cannot honour stops the training script at ``bind``, and a
default outside its own hints is a value no one could pass on the command line.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...exceptions import InvalidHint, InvalidValue
from ...hints import check_hints, hint_problem, spec_for
from ...records import Finding, Marker, Occurrence, Severity
from ..rule import Rule, Subject

__all__ = ["RULES"]


def _hinted(subject: Subject) -> Iterator[tuple[Occurrence, object]]:
    """Each occurrence with hints, and the value they apply to (its own default, else
    the effective one)."""
    for parameter in subject.registry.parameters:
        for occurrence in parameter.occurrences:
            if not occurrence.hints:
                continue
            value = occurrence.value if occurrence.is_literal else parameter.value
            yield occurrence, value


def _hints_of(occurrence: Occurrence) -> dict[str | None, object]:
    return {k: v for k, v in occurrence.hints if k is not None}


def _not_understood(rule: Rule, subject: Subject) -> Iterator[Finding]:
    for occurrence, value in _hinted(subject):
        value = None if isinstance(value, Marker) else value
        problem = hint_problem(occurrence.name, value, _hints_of(occurrence))
        if problem is not None:
            message = f"{problem}: the front-ends refuse it"
            yield rule.finding(occurrence.path, message, span=occurrence.span, name=occurrence.name)


def _outside(rule: Rule, subject: Subject) -> Iterator[Finding]:
    for occurrence, value in _hinted(subject):
        if isinstance(value, Marker):
            continue
        try:
            spec = spec_for(occurrence.name, value, _hints_of(occurrence))
            check_hints(spec, value)
        except InvalidHint:
            continue  # H002's
        except InvalidValue as exc:
            span = occurrence.default_span or occurrence.span
            message = f"the default of `{occurrence.name}` is outside its hints: {exc.message}"
            yield rule.finding(occurrence.path, message, span=span, name=occurrence.name)


RULES = (
    Rule(
        "H001",
        "default-outside-hints",
        Severity.ERROR,
        "A default that its own `choices` or `range` hint does not allow.",
        "The program runs with a value its command line would refuse: `--lr` cannot even"
        " be set back to the default, and a saved run of it does not load.",
        'dropout = _("dropout", 1.5, range=[0.0, 1.0])\n',
        _outside,
    ),
    Rule(
        "H002",
        "hint-not-understood",
        Severity.ERROR,
        "A hint the front-ends do not understand: `range` that is not `[low, high]` of"
        " numbers or is empty, `choices` that is not a non-empty list of the default's"
        " type, `required` that is not a bool, `help` that is not a string.",
        "`hpargparse.bind` and `hpman_cst.click.options` raise on it, so the training"
        " script stops before it starts.",
        'act = _("act", "relu", choices="relu")\n',
        _not_understood,
    ),
)
