"""R: saved runs (``--config FILE``, as ``--hp-save`` wrote them) that no longer match the
code. Runs live for months; the code moves on. A renamed hyper-parameter makes the run
fail to load, a changed type or hint loads it wrong or not at all, and a hyper-parameter
added since silently takes its default.

Pure: no I/O (the runs are read before the rules run). Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Finding, Severity
from ...refactor.edits import FilePlan
from ...run_fix import key_rename
from ...runs import DriftKind, drift
from ..context import near_rules_of, runs_of
from ..rule import Check, Rule, Subject

__all__ = ["RULES"]


def _drift_of(kind: DriftKind) -> Check:
    def check(rule: Rule, subject: Subject) -> Iterator[Finding]:
        for run in runs_of(subject):
            for found in drift(subject.registry, run.keys, near_rules_of(subject)):
                if found.kind is not kind:
                    continue
                key = found.key
                line, column = (key.line, key.column) if key is not None else (1, 0)
                fix: tuple[FilePlan, ...] = ()
                if key is not None and found.certain and found.rename is not None and run.text:
                    plan = key_rename(run.path, run.text, key, found.rename)
                    fix = () if plan is None else (plan,)
                yield rule.finding(
                    run.path, found.message, line=line, column=column, name=found.name, fix=fix
                )

    return check


RULES = (
    Rule(
        "R001",
        "unknown-run-key",
        Severity.ERROR,
        "A key of a saved run that is no longer a hyper-parameter of the code, with the"
        " closest names and the rename the code probably made.",
        "Loading the run (`--hp-load`, `_.load`) stops at the unknown name; launchers that"
        " merge it with `set_values` set a name nothing reads.",
        '# run.yaml, saved when the code said _("lr", 0.1)\nlr: 0.05\n'
        '# the code now says _("learning_rate", 0.1)\n',
        _drift_of(DriftKind.UNKNOWN),
        fixable=True,
    ),
    Rule(
        "R002",
        "run-type-changed",
        Severity.WARNING,
        "A value of a saved run whose type is not that of the code's default (`8` for a"
        " default that is now `8.0`, a string for a number).",
        "The run either does not load any more, or loads converted: the experiment it"
        " records is no longer the one that would run.",
        "# run.yaml\nlayers: '4'\n# the code says _(\"layers\", 4)\n",
        _drift_of(DriftKind.TYPE),
    ),
    Rule(
        "R003",
        "run-outside-hints",
        Severity.ERROR,
        "A value of a saved run that the code's `choices` or `range` hint no longer allows.",
        "Loading the run is refused by the same check the command line applies.",
        '# run.yaml\nact: swish\n# the code says _("act", "relu", choices=["relu", "gelu"])\n',
        _drift_of(DriftKind.HINTS),
    ),
    Rule(
        "R004",
        "added-since-run",
        Severity.INFO,
        "A hyper-parameter of the code that a saved run does not hold (added since it was"
        " saved); reported at the top of the run with the default it will now take.",
        "Re-running the run silently uses that default, which the original run never had.",
        '# run.yaml\nlr: 0.1\n# the code now also says _("warmup", 100)\n',
        _drift_of(DriftKind.ADDED),
    ),
)
