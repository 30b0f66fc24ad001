"""D (continued): names without a default, and defaults no tool can read. A hyper-parameter
is meant to be set in one place and read anywhere; without a literal default it cannot be
listed with a value, saved, loaded or overridden from the command line.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Finding, ProblemCode, Severity
from ..rule import Rule, Subject

__all__ = ["RULES"]


def _no_default(rule: Rule, subject: Subject) -> Iterator[Finding]:
    names = subject.registry.names
    for index, parameter in enumerate(subject.registry.parameters):
        following = names[index + 1] if index + 1 < len(names) else ""
        if parameter.definition is None and not following.startswith(parameter.name + "."):
            first = parameter.occurrences[0]
            message = f"`{parameter.name}` is read here but given a default nowhere"
            yield rule.finding(first.path, message, span=first.span, name=parameter.name)


def _not_literal(rule: Rule, subject: Subject) -> Iterator[Finding]:
    # A literal Python cannot build (`{[1]: 2}`) is C004's, not a non-literal default.
    unhashable = {
        (p.path, p.line, p.column)
        for p in subject.registry.problems
        if p.code is ProblemCode.UNHASHABLE
    }
    for parameter in subject.registry.parameters:
        for occurrence in parameter.definitions:
            span = occurrence.default_span or occurrence.span
            if (occurrence.path, span.line, span.column) in unhashable:
                continue
            if not occurrence.is_literal:
                message = (
                    f"the default of `{parameter.name}` is not a literal ({occurrence.default}):"
                    f" it cannot be saved, loaded or set from the command line"
                )
                yield rule.finding(occurrence.path, message, span=span, name=parameter.name)


RULES = (
    Rule(
        "D003",
        "missing-default",
        Severity.WARNING,
        'A hyper-parameter read (`_("lr")`) but given a default nowhere in the files'
        " checked; reported at its first use.",
        "Unless something sets it before the read, the read raises at run time; and no"
        " command can list, save or override a value for it.",
        'lr = _("lr")\n',
        _no_default,
    ),
    Rule(
        "D004",
        "not-literal-default",
        Severity.INFO,
        "A default that is not a Python literal (`nn.ReLU`, `2 ** 10`).",
        "Its value is only known when the program runs: `--hp-save` leaves it out, a run"
        " cannot load it back and the command line cannot override it.",
        'act = _("act", nn.ReLU)\n',
        _not_literal,
    ),
)
