"""What a rule is: a stable code, a name, a severity, its documentation, and a check that
turns a project into :class:`~hpman_cst.records.Finding` records.

Codes follow ruff and flake8 (``^[A-Z]{1,3}[0-9]{0,3}$``): the letters name the family
(see :data:`hpman_cst.lint.catalog.FAMILIES`), the digits the rule in it, so that a prefix
selects a family. A code never changes meaning once released; a retired rule keeps it.
Names are kebab-case (``different-defaults``) and also unique.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ..records import Finding, Severity, Span

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: this module is on the listing's path
if TYPE_CHECKING:
    from ..refactor.edits import FilePlan
    from ..registry import Registry

__all__ = ["CODE", "NAME", "Check", "Rule", "Subject", "findings"]

#: The shape of a code, as flake8 checks it.
CODE = re.compile(r"[A-Z]{1,3}[0-9]{0,3}")
#: The shape of a rule name: lowercase words joined by ``-``.
NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class Subject(Protocol):
    """What a rule reads: the project (``hpman_cst.project.Project`` provides this; any
    object with these attributes will do, a test's or a front-end's)."""

    @property
    def registry(self) -> Registry:
        """Every hyper-parameter of the project's files, with problems and conflicts."""
        ...


#: A rule's check: every finding of the rule (given to it, to make findings with
#: :meth:`Rule.finding`) in a project, in any order.
Check = Callable[["Rule", Subject], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One rule: ``code`` and ``name`` (both stable and unique), ``severity``, what it
    finds (``summary``, one line), why that matters (``why``), an ``example`` of Python
    source it fires on (or, for a rule about files, the situation), and ``check``.
    ``fixable``: whether its findings carry a fix.

    Raises :class:`ValueError` when ``code`` or ``name`` does not have its shape."""

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    example: str
    check: Check
    fixable: bool = False

    def __post_init__(self) -> None:
        if CODE.fullmatch(self.code) is None:
            raise ValueError(f"rule code {self.code!r} is not letters then digits (D001)")
        if NAME.fullmatch(self.name) is None:
            raise ValueError(f"rule name {self.name!r} is not kebab-case")

    @property
    def doc(self) -> str:
        """The rule's documentation: what it finds, why it matters, and the example."""
        example = "\n".join("    " + line if line else "" for line in self.example.splitlines())
        return (
            f"{self.code} {self.name} ({self.severity.value})\n\n"
            f"{self.summary}\n\n{self.why}\n\nExample:\n\n{example}\n"
        )

    def finding(
        self,
        path: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        span: Span | None = None,
        name: str | None = None,
        fix: tuple[FilePlan, ...] = (),
    ) -> Finding:
        """A finding of this rule (its code and severity) at ``span``, or at ``line`` and
        ``column`` where only those are known."""
        if span is not None:
            return Finding.at(self.code, self.severity, path, span, message, name=name, fix=fix)
        return Finding(self.code, self.severity, path, message, line, column, name=name, fix=fix)

    def run(self, subject: Subject) -> list[Finding]:
        """The rule's findings in ``subject``, in source order."""
        return sorted(self.check(self, subject), key=Finding.sort_key)


def findings(rules: Iterable[Rule], subject: Subject) -> list[Finding]:
    """The findings of every rule of ``rules`` in ``subject``, in source order."""
    found = [f for rule in rules for f in rule.check(rule, subject)]
    return sorted(found, key=Finding.sort_key)
