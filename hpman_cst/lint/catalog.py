"""Every rule, by code: the one place that says which codes exist.

Codes are grouped by family, one letter each (:data:`FAMILIES`); a family's codes count
up from ``001`` and are never reused. A front-end selects rules by code or by prefix
(:func:`matching`: ``D`` is every rule about defaults) and turns the extractor's problems
and the registry's conflicts into findings with their codes (:func:`finding_for`).

Pure: no I/O. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..exceptions import did_you_mean
from ..records import Finding, Problem
from ..registry import Conflict, Registry
from .rule import Rule
from .rules import calls, defaults, exports, files, hints, names, runs, unseen, usage
from .rules.defaults import conflict_finding
from .rules.problems import problem_finding

__all__ = [
    "FAMILIES",
    "RULES",
    "by_code",
    "by_name",
    "finding_for",
    "matching",
    "registry_findings",
]

#: What each family of codes is about, by its letter (the families without rules yet
#: are reserved for them).
FAMILIES: dict[str, str] = {
    "F": "files that cannot be read as Python source",
    "C": "calls of the placeholder that static parsing cannot read",
    "D": "defaults: one per hyper-parameter, of one type, and not also a group",
    "H": "hints (`range`, `choices`) the default or the front-ends do not agree with",
    "N": "names: near-duplicates and naming",
    "R": "saved runs that no longer match the code",
    "X": "exports: hints a JSON Schema, a W&B sweep or an Optuna space cannot carry",
}

#: Every rule, in code order.
RULES: tuple[Rule, ...] = (
    *files.RULES,
    *calls.RULES,
    *unseen.RULES,
    *defaults.RULES,
    *usage.RULES,
    *hints.RULES,
    *names.RULES,
    *runs.RULES,
    *exports.RULES,
)


def _index(rules: Iterable[Rule]) -> tuple[dict[str, Rule], dict[str, Rule]]:
    codes: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for rule in rules:
        if rule.code in codes or rule.name in names:
            raise ValueError(f"rule {rule.code} {rule.name} is registered twice")
        if rule.code[:1] not in FAMILIES:
            raise ValueError(f"rule {rule.code} is in no family of FAMILIES")
        codes[rule.code] = rule
        names[rule.name] = rule
    return codes, names


_BY_CODE, _BY_NAME = _index(RULES)


def by_code(code: str) -> Rule:
    """The rule ``code`` (exact, upper case). Raises :class:`KeyError` naming close
    codes when there is none."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no rule {code}{did_you_mean(code, _BY_CODE)}") from None


def by_name(name: str) -> Rule:
    """The rule named ``name``. Raises :class:`KeyError` naming close names when there
    is none."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no rule named {name}{did_you_mean(name, _BY_NAME)}") from None


def matching(prefix: str) -> tuple[Rule, ...]:
    """The rules whose code starts with ``prefix`` (a family ``D``, a code ``D001``, or
    anything between), in code order; every rule for ``""``."""
    return tuple(rule for rule in RULES if rule.code.startswith(prefix))


def finding_for(error: Problem | Conflict) -> Finding:
    """A problem of the extractor or a conflict of the registry as the finding of its
    rule (the rule named by its stable string)."""
    if isinstance(error, Problem):
        return problem_finding(by_name(error.code.value), error)
    return conflict_finding(by_name(error.kind.value), error)


def registry_findings(registry: Registry) -> list[Finding]:
    """The problems and conflicts of ``registry`` as findings, in source order."""
    errors: list[Problem | Conflict] = [*registry.problems, *registry.conflicts]
    found = [finding_for(e) for e in errors]
    return sorted(found, key=Finding.sort_key)
