"""``hpman check`` without the command line: the rules of :mod:`hpman_cst.lint` over the
files scanned and the saved runs given, less what is deselected or suppressed.

The scan itself (discovery, cache, parsing) is the caller's, as for ``hpman list``; this
module reads only the runs named and, for the rules that need it, the text of files that
may hold a call static parsing cannot see.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .exceptions import HpmanError
from .formats.run_keys import read_run_file, read_run_text
from .lint import catalog
from .lint.context import Run
from .lint.rule import Rule, findings
from .lint.select import Selection
from .lint.suppress import without_suppressed
from .near_names import Normalisation
from .records import Finding, Severity
from .registry import Registry
from .serial import format_for
from .source import decode, read_bytes

__all__ = [
    "CheckProject",
    "ConfigNotFound",
    "check",
    "expand_configs",
    "failing",
    "read_runs",
    "rule_info",
    "runs_data",
]


class ConfigNotFound(HpmanError):
    """A ``--config`` path that does not exist, or a glob that matches no file."""


@dataclass
class CheckProject:
    """What the rules read: the registry of the files scanned, those files, the
    placeholders, the saved runs and how names are compared."""

    registry: Registry
    files: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ("_",)
    runs: tuple[Run, ...] = ()
    near_names: Normalisation = field(default_factory=Normalisation)
    _texts: dict[str, str | None] = field(default_factory=dict, repr=False)

    def source(self, path: str) -> str | None:
        """The decoded text of ``path`` (``None`` when it cannot be read or decoded)."""
        if path not in self._texts:
            try:
                text: str | None = decode(read_bytes(path), path)[0]
            except (OSError, HpmanError):
                text = None
            self._texts[path] = text
        return self._texts[path]


def expand_configs(patterns: Iterable[str]) -> list[str]:
    """The files ``patterns`` name: each a path, or a glob (``*``, ``?``, ``[...]``, and
    ``**`` across folders) expanded in sorted order. Files are taken as named, git
    ignoring them or not. Raises :class:`ConfigNotFound` for a path that does not exist or
    a glob that matches no file."""
    found: list[str] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
            if not matches:
                raise ConfigNotFound(f"--config {pattern}: the glob matches no file")
            found += matches
        elif not os.path.exists(pattern):
            raise ConfigNotFound("no such file", path=pattern)
        else:
            found.append(pattern)
    return list(dict.fromkeys(found))


def read_runs(paths: Sequence[str]) -> tuple[Run, ...]:
    """Each run's keys. Raises :class:`SerialError` (``path:line:column: message``) for a
    run that cannot be read or parsed."""
    runs = []
    for path in paths:
        data, text = read_run_file(path)
        runs.append(Run(path, read_run_text(text, format_for(path), path), text, data))
    return tuple(runs)


def runs_data(runs: Sequence[Run]) -> list[tuple[str, str, bytes]]:
    """``(path, text, bytes)`` of each run, as :func:`run_fix.fix_runs` takes them."""
    return [(run.path, run.text, run.data) for run in runs]


def rule_info(code: str) -> tuple[str, str, str] | None:
    """``(name, summary, doc)`` of the rule ``code``, for the renderers."""
    try:
        rule = catalog.by_code(code)
    except KeyError:
        return None
    return rule.name, rule.summary, rule.doc


def check(
    project: CheckProject, selection: Selection | None = None, only: Iterable[str] | None = None
) -> list[Finding]:
    """The findings of every enabled rule in ``project``, in source order, less those
    deselected (``selection``, ``per-file-ignores``) or silenced by an ``# hpman: ignore``
    comment; with ``only``, only findings in those files."""
    selection = selection or Selection()
    rules: list[Rule] = [r for r in catalog.RULES if selection.enabled(r.code)]
    found = [f for f in findings(rules, project) if selection.allows(f)]
    if only is not None:
        wanted = {os.path.normcase(os.path.abspath(p)) for p in only}
        found = [f for f in found if os.path.normcase(os.path.abspath(f.path)) in wanted]
    return without_suppressed(found)


def failing(found: Iterable[Finding]) -> bool:
    """Whether any finding is a warning or an error (info alone does not fail a check)."""
    return any(f.severity is not Severity.INFO for f in found)
