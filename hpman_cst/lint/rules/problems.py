"""Rules that report the problems the extractor records (:class:`~hpman_cst.records.Problem`):
each such rule is named for its :class:`~hpman_cst.records.ProblemCode` (its stable string)
and reports every problem of that code, with the extractor's message and place.

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Finding, Problem, ProblemCode, Severity
from ..rule import Check, Rule, Subject

__all__ = ["problem_finding", "problem_rule"]


def problem_finding(rule: Rule, problem: Problem) -> Finding:
    """``problem`` as a finding of ``rule``, at the problem's place."""
    return rule.finding(problem.path, problem.message, line=problem.line, column=problem.column)


def _problems_of(code: ProblemCode) -> Check:
    def check(rule: Rule, subject: Subject) -> Iterator[Finding]:
        for problem in subject.registry.problems:
            if problem.code is code:
                yield problem_finding(rule, problem)

    return check


def problem_rule(code: str, problem: ProblemCode, summary: str, why: str, example: str) -> Rule:
    """The rule ``code`` reporting the problems of the extractor's code ``problem`` (an
    error: the runtime refuses each of them)."""
    return Rule(code, problem.value, Severity.ERROR, summary, why, example, _problems_of(problem))
